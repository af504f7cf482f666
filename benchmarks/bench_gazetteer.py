"""Gazetteer speed: import time of GeoNames dumps, lookups/s for exact, key and fuzzy matches.

Data: ../shared/data's LB.txt (real GeoNames dump) and SY.txt (GeoNames format) when present,
else our 33-row test slice. Queries: exact = GeoNames' own names of the indexed places; key =
variant spellings (accents, articles and vowels changed); fuzzy = names with one letter dropped
that no key matches. Every query is distinct (a seeded sample without repeats) and each batch
runs once on a new connection with the ``name_key``/``light_key`` memos emptied, so no figure
comes from a cache filled by the same names. ``python -m benchmarks bench_gazetteer`` or
``run() -> dict``.
"""

from __future__ import annotations

import os
import random
import sqlite3
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRONTLINES_SHARED_DATA", REPO.parent / "shared" / "data"))
FIXTURE = REPO / "tests" / "fixtures" / "gazetteer" / "levant_slice.txt"
_SWAPS = (("ou", "u"), ("â", "a"), ("é", "e"), ("El ", "Al "), ("e", "a"), ("q", "k"),
          ("Q", "K"), ("î", "ee"), ("Aa", "A"))


def _sources() -> list[Path]:
    dumps = [SHARED / "gazetteer" / "geonames-lb-2016" / "LB.txt",
             SHARED / "gazetteer" / "geonames-format-from-wof" / "SY.txt"]
    found = [p for p in dumps if p.exists()]
    return found or [FIXTURE]


def _variant(name: str) -> str:
    for old, new in _SWAPS:
        if old in name:
            return name.replace(old, new, 1)
    return name.lower()


def _rate(path: Path, queries: list[str], match: str) -> tuple[float, float]:
    """One pass over distinct ``queries`` with a new connection and the key memos emptied."""
    from frontlines.gazetteer import Gazetteer, light_key, name_key

    light_key.cache_clear()
    name_key.cache_clear()
    gaz = Gazetteer(path)
    started = time.perf_counter()
    hits = 0
    for query in queries:
        found = gaz.lookup(query)
        hits += bool(found) and found[0].match == match
    seconds = time.perf_counter() - started
    gaz.close()
    return round(len(queries) / seconds, 1), round(hits / max(1, len(queries)), 3)


def run(queries: int = 2000, seed: int = 2017) -> dict:
    from frontlines.gazetteer import Gazetteer, build_index, light_key, name_key

    figures: dict = {}
    sources = _sources()
    with tempfile.TemporaryDirectory() as tmp:
        for source in sources:
            started = time.perf_counter()
            build_index(Path(tmp) / f"{source.stem}.sqlite", sources=[source])
            figures[f"import_{source.name}_s"] = round(time.perf_counter() - started, 2)
            rows = sum(1 for _ in source.open(encoding="utf-8"))
            figures[f"import_{source.name}_rows"] = rows
        target = Path(tmp) / "all.sqlite"
        started = time.perf_counter()
        build_index(target, sources=sources)
        figures["import_all_s"] = round(time.perf_counter() - started, 2)
        gaz = Gazetteer(target)
        rng = random.Random(seed)
        with sqlite3.connect(target) as conn:
            names = [r[0] for r in conn.execute("SELECT name FROM places WHERE source != "
                                                "'supplement' AND length(name) > 4")]
        names = sorted(set(names))
        rng.shuffle(names)  # distinct queries, each batch drawn from its own names
        exact = names[:queries]
        keyed = list(dict.fromkeys(
            v for v in (_variant(n) for n in names[queries:queries * 4])
            if not gaz.lookup(v, fuzzy=False) or
            gaz.lookup(v, fuzzy=False)[0].match == "key"))[:queries]
        fuzzy = []
        for name in names[queries * 4:queries * 9]:
            cut = rng.randrange(1, len(name) - 1)
            query = name[:cut] + name[cut + 1:]
            if light_key(query) and not gaz.has_key(name_key(query)) and query not in fuzzy:
                fuzzy.append(query)
            if len(fuzzy) >= queries // 4:
                break
        for label, batch in (("exact", exact), ("key", keyed), ("fuzzy", fuzzy)):
            rate, share = _rate(target, batch, label)
            figures[f"lookups_per_s_{label}"] = rate
            figures[f"share_best_is_{label}"] = share
            figures[f"queries_{label}"] = len(batch)
        figures["places"] = gaz.info()["places"]
        figures["names"] = gaz.info()["names"]
        gaz.close()
    methods = _methods(figures, sources)
    for key, value in figures.items():
        if key in methods:
            print(f"   {key:<44} {value:>18}  — {methods[key]}")
    figures["methods"] = methods
    return figures


def _methods(figures: dict, sources: list[Path]) -> dict[str, str]:
    """The method beside each figure."""
    out = {}
    for source in sources:
        out[f"import_{source.name}_s"] = (f"build_index of {source} alone into a new SQLite "
                                          "file, 1 run")
        out[f"import_{source.name}_rows"] = "lines in that file"
    out["import_all_s"] = f"build_index of all {len(sources)} file(s) into a new file, 1 run"
    for label, what in (("exact", "GeoNames' own names of indexed places"),
                        ("key", "variant spellings (accents, articles, vowels changed)"),
                        ("fuzzy", "names with one letter dropped that no key matches")):
        queries = figures[f"queries_{label}"]
        out[f"lookups_per_s_{label}"] = (
            f"{queries} distinct {what}; new connection, name_key/light_key memos emptied; "
            "1 pass, 1 run")
        out[f"share_best_is_{label}"] = f"share of those {queries} whose best match is {label}"
        out[f"queries_{label}"] = "queries timed (seeded sample without repeats)"
    out["places"] = out["names"] = "in the benchmark index"
    return out


if __name__ == "__main__":
    run()
