"""Varied benchmark articles: templates x real places x actors x numbers x dates, seeded.

``articles(n, seed=...)`` composes ``n`` distinct conflict and non-conflict reports (about two
in three conflict) from ``corpus.yaml``'s templates, filled with real populated places of
sixteen countries read from the gazetteer index (``places()``; the package's Levant
supplement when no index exists). Each article's main place is drawn without replacement
from a seeded shuffle of the pool, so the first ``k`` articles and the rest name different
main places: split one call into warm-up and timed sets and the timed set is unseen.
Deterministic for a seed and a place pool; no two articles are identical (checked).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from frontlines.model import Article

HERE = Path(__file__).resolve().parent
SUPPLEMENT = HERE.parent / "frontlines" / "data" / "gazetteer" / "levant_supplement.csv"
PER_COUNTRY = 250  # cap, so Ukraine's 5,000 places do not swamp the pool
_MARKS = str.maketrans({"‘": "'", "’": "'", "ʿ": "'", "ʾ": "'", "`": "'"})


@dataclass(frozen=True)
class Place:
    name: str
    admin1: str
    country: str  # ISO alpha-2


def _plain(name: str) -> str:
    """Names as wire copy writes them: no diacritics, straight apostrophes."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_MARKS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@cache
def vocabulary() -> dict:
    return yaml.safe_load((HERE / "corpus.yaml").read_text(encoding="utf-8"))


def _index_path() -> Path | None:
    try:
        from frontlines.settings import Settings

        path = Path(Settings().gazetteer).expanduser()
    except Exception:  # settings unreadable: use the supplement
        return None
    return path if path.exists() else None


@cache
def places(index: str | None = None) -> tuple[Place, ...]:
    """Populated places with a province, of the countries in ``corpus.yaml``, sorted.

    From ``index`` (default: the configured gazetteer index) when it exists, else the
    Levant supplement. ``source()`` says which.
    """
    countries = sorted(vocabulary()["countries"])
    path = Path(index) if index else _index_path()
    found: list[Place] = []
    if path is not None and path.exists():
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for code in countries:
                rows = conn.execute(
                    "SELECT name, admin1 FROM places WHERE country = ? AND fclass = 'P' "
                    "AND coalesce(admin1, '') != '' ORDER BY population DESC, geonameid "
                    "LIMIT ?", (code, PER_COUNTRY)).fetchall()
                found.extend(Place(_plain(n), _plain(a), code) for n, a in rows)
        finally:
            conn.close()
    if not found:
        with SUPPLEMENT.open(encoding="utf-8") as fh:
            rows = csv.DictReader(line for line in fh if not line.startswith("#"))
            found = [Place(_plain(r["name"]), "Baalbek-Hermel" if r["country_code"] == "LB"
                           else "Homs", r["country_code"]) for r in rows
                     if r["feature_class"] == "P" and r["country_code"] in ("LB", "SY")]
    unique = {p for p in found if p.name and p.name != p.admin1 and len(p.name) > 2}
    return tuple(sorted(unique, key=lambda p: (p.country, p.name, p.admin1)))


def source(index: str | None = None) -> str:
    """Where ``places()`` came from, for the printed method."""
    path = Path(index) if index else _index_path()
    pool = places(index)
    where = f"gazetteer index {path.name}" if path is not None else "Levant supplement"
    return f"{len(pool)} real places of {len({p.country for p in pool})} countries from {where}"


def _day(rng: random.Random, published: dt.date) -> tuple[str, dt.date]:
    back = rng.choice((0, 1, 1, 2, 3))
    when = published - dt.timedelta(days=back)
    if back == 0:
        return rng.choice(("on Monday", "today", "this morning")).replace(
            "Monday", when.strftime("%A")), when
    if back == 1 and rng.random() < 0.5:
        return "yesterday", when
    if rng.random() < 0.5:
        return f"on {when.strftime('%A')}", when
    return f"on {when.day} {when.strftime('%B')}", when


def _article(rng: random.Random, place: Place, pool_by_country: dict[str, list[Place]],
             number: int) -> Article:
    vocab = vocabulary()
    info = vocab["countries"][place.country]
    family = "conflict" if rng.random() < 0.66 else "peaceful"
    kinds = vocab[family]
    kind = kinds[rng.choice(sorted(kinds))]
    neighbours = [p for p in pool_by_country[place.country] if p.name != place.name]
    place2 = rng.choice(neighbours).name if neighbours else place.admin1
    published = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(8 * 365))
    day, _ = _day(rng, published)
    groups = list(info["groups"])
    rng.shuffle(groups)
    fields = {
        "place": place.name, "place2": place2, "admin1": place.admin1,
        "country": info["name"], "demonym": info["demonym"],
        "state": rng.choice(info["state"]), "group": groups[0], "group2": groups[-1],
        "weapon": rng.choice(vocab["weapons"]), "outlet": rng.choice(vocab["outlets"]),
        "official": rng.choice(vocab["officials"]), "day": day,
        "n": rng.choice((2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 17, 20, 23, 30, 41)),
        "m": rng.randrange(3, 60),
    }
    details = rng.sample(kind["details"], k=rng.randint(1, min(3, len(kind["details"]))))
    sentences = [rng.choice(kind["leads"]), *details]
    text = " ".join(_sentence(s.format(**fields)) for s in sentences)
    title = _sentence(rng.choice(kind["titles"]).format(**fields), stop="")
    return Article.make(text=text, title=title, published=published,
                        source=f"bench-corpus:{family}", id=f"bench-{number:06d}")


def _sentence(text: str, *, stop: str = ".") -> str:
    text = text[0].upper() + text[1:]
    return text if not stop or text.endswith((".", "!", "?")) else text + stop


def articles(n: int, *, seed: int = 2017, index: str | None = None) -> list[Article]:
    """``n`` distinct articles, deterministic for ``seed`` and the place pool."""
    pool = list(places(index))
    if not pool:
        raise RuntimeError("no places for the benchmark corpus: build a gazetteer index "
                           "('frontlines gazetteer build') or restore levant_supplement.csv")
    by_country: dict[str, list[Place]] = {}
    for place in pool:
        by_country.setdefault(place.country, []).append(place)
    rng = random.Random(seed)
    order = pool[:]
    rng.shuffle(order)
    out: list[Article] = []
    seen: set[str] = set()
    attempts = 0
    while len(out) < n:
        attempts += 1
        if attempts > 20 * n + 100:
            raise RuntimeError(f"could only compose {len(out)} distinct articles of {n}")
        place = order[(attempts - 1) % len(order)]  # each place once before any repeats
        article = _article(rng, place, by_country, len(out))
        if article.full_text in seen:
            continue
        seen.add(article.full_text)
        out.append(article)
    return out


if __name__ == "__main__":
    import sys

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(source())
    for item in articles(count):
        print(f"--- {item.id} {item.published} {item.source}\n{item.full_text}\n")
