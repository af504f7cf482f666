"""Gazetteer speed: import time of GeoNames dumps, lookups/s for exact, key and fuzzy matches.

Data: ../shared/data's LB.txt (real GeoNames dump) and SY.txt (GeoNames format) when present,
else our 33-row test slice. Queries: exact = GeoNames' own names of the indexed places; key =
variant spellings (accents, articles and vowels changed); fuzzy = names with one letter dropped
that no key matches. ``python -m benchmarks.bench_gazetteer`` or ``run() -> dict``.
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


def _rate(gaz, queries: list[str], match: str) -> tuple[float, float]:
    started = time.perf_counter()
    hits = 0
    for query in queries:
        found = gaz.lookup(query)
        hits += bool(found) and found[0].match == match
    seconds = time.perf_counter() - started
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
        exact = rng.choices(names, k=queries)
        keyed = [v for v in (_variant(n) for n in rng.choices(names, k=queries * 3))
                 if not gaz.lookup(v, fuzzy=False) or
                 gaz.lookup(v, fuzzy=False)[0].match == "key"][:queries]
        fuzzy = []
        for name in rng.choices(names, k=queries * 5):
            cut = rng.randrange(1, len(name) - 1)
            query = name[:cut] + name[cut + 1:]
            if light_key(query) and not gaz.has_key(name_key(query)):
                fuzzy.append(query)
            if len(fuzzy) >= queries // 4:
                break
        for label, batch in (("exact", exact), ("key", keyed), ("fuzzy", fuzzy)):
            rate, share = _rate(gaz, batch, label)
            figures[f"lookups_per_s_{label}"] = rate
            figures[f"share_best_is_{label}"] = share
            figures[f"queries_{label}"] = len(batch)
        figures["places"] = gaz.info()["places"]
        figures["names"] = gaz.info()["names"]
        gaz.close()
    for key, value in figures.items():
        print(f"  {key:32} {value}")
    return figures


if __name__ == "__main__":
    run()
