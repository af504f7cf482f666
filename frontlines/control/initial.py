"""Initial control state: map marks read from CSV or GeoJSON points.

CSV columns: ``label`` (or ``name``), ``latitude``, ``longitude``, ``controller``, and optionally
``geonameid``, ``mark_kind`` (or ``kind``), ``source``. GeoJSON: a FeatureCollection of Point
features whose properties carry the same names. A controller such as
``contested:HTS/al-Nusra vs ISIL`` makes a contested point with no holder and two contenders.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontlines.control.records import ControlPoint
from frontlines.control.sides import SideMap, fold
from frontlines.errors import InputError, RecordFormatError

__all__ = ["InitialMark", "load_initial", "parse_initial_csv", "parse_initial_geojson"]


@dataclass(frozen=True, slots=True, kw_only=True)
class InitialMark:
    """One mark of the initial map: a point, its controller label and the side it maps to."""

    point: ControlPoint
    controller: str
    side: str | None
    contenders: tuple[str, ...] = ()
    source: str = ""


def load_initial(path: str | Path, *, sides: SideMap | None = None,
                 source: str | None = None) -> list[InitialMark]:
    """Read initial marks from a ``.csv`` or ``.geojson``/``.json`` file."""
    path = Path(path)
    sides = sides or SideMap.load()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"initial control file {path} does not exist; pass a CSV (label, "
                         "latitude, longitude, controller) or GeoJSON points file") from None
    except UnicodeDecodeError:
        raise RecordFormatError(f"initial control file {path} is not UTF-8 text; save it as "
                                "UTF-8") from None
    source = source or path.name
    if path.suffix.lower() in (".geojson", ".json"):
        return parse_initial_geojson(text, sides=sides, source=source, where=str(path))
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return parse_initial_csv(text, sides=sides, source=source, where=str(path),
                                 delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
    raise InputError(f"initial control file {path}: unknown type {path.suffix!r}; use .csv, "
                     ".tsv or .geojson")


def _mark(row: dict[str, Any], *, sides: SideMap, source: str, where: str,
          seen: dict[str, int]) -> InitialMark:
    label = str(row.get("label") or row.get("name") or "").strip()
    controller = str(row.get("controller") or "").strip()
    if not label:
        raise RecordFormatError(f"{where}: no 'label' (or 'name'); every mark needs a place name")
    if not controller:
        raise RecordFormatError(f"{where}: mark {label!r} has no 'controller'; give the holding "
                                "side, e.g. 'Lebanese Government', or 'contested:A vs B'")
    try:
        lat = float(row["latitude"])
        lon = float(row["longitude"])
    except (KeyError, TypeError, ValueError):
        raise RecordFormatError(
            f"{where}: mark {label!r} needs numeric 'latitude' and 'longitude' in decimal "
            f"degrees, got {row.get('latitude')!r}, {row.get('longitude')!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise RecordFormatError(f"{where}: mark {label!r} has coordinates out of range "
                                f"({lat}, {lon}); latitude is -90..90, longitude -180..180")
    geonameid = row.get("geonameid")
    try:
        geonameid = int(geonameid) if geonameid not in (None, "") else None
    except ValueError:
        raise RecordFormatError(f"{where}: mark {label!r}: geonameid {geonameid!r} is not a "
                                "whole number; leave it empty or give the GeoNames id") from None
    contenders = sides.contenders(controller)
    side = None if contenders else sides.side_of(controller)
    base = "init:" + fold(label).replace(" ", "-")
    seen[base] = seen.get(base, 0) + 1
    key = base if seen[base] == 1 else f"{base}-{seen[base]}"
    point = ControlPoint(key=key, name=label, latitude=lat, longitude=lon, geonameid=geonameid,
                         kind=str(row.get("mark_kind") or row.get("kind") or ""))
    return InitialMark(point=point, controller=controller, side=side, contenders=contenders,
                       source=str(row.get("source") or source))


def parse_initial_csv(text: str, *, sides: SideMap, source: str = "initial map",
                      where: str = "<csv>", delimiter: str = ",") -> list[InitialMark]:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = {"latitude", "longitude", "controller"} - set(reader.fieldnames or [])
    if missing or not ({"label", "name"} & set(reader.fieldnames or [])):
        raise RecordFormatError(
            f"{where}: header {reader.fieldnames} lacks {sorted(missing) or ['label']}; "
            "expected columns label, latitude, longitude, controller")
    seen: dict[str, int] = {}
    return [_mark(row, sides=sides, source=source, where=f"{where} line {line}", seen=seen)
            for line, row in enumerate(reader, start=2)]


def parse_initial_geojson(text: str, *, sides: SideMap, source: str = "initial map",
                          where: str = "<geojson>") -> list[InitialMark]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordFormatError(f"{where}: not valid JSON ({exc}); fix the file") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise RecordFormatError(f"{where}: expected a GeoJSON FeatureCollection of Point "
                                "features with 'label' and 'controller' properties")
    seen: dict[str, int] = {}
    marks = []
    for i, feat in enumerate(_features(data)):
        geom = feat.get("geometry") or {}
        if geom.get("type") != "Point":
            raise RecordFormatError(f"{where} feature {i}: geometry is {geom.get('type')!r}; "
                                    "initial marks must be Point features")
        lon, lat = geom["coordinates"][:2]
        row = dict(feat.get("properties") or {}, latitude=lat, longitude=lon)
        marks.append(_mark(row, sides=sides, source=source, where=f"{where} feature {i}",
                           seen=seen))
    return marks


def _features(data: dict[str, Any]) -> Iterable[dict[str, Any]]:
    return data.get("features") or []
