"""Events out (and back in): ACLED CSV, JSON lines, RFC 7946 GeoJSON.

    write_events(events, "csv", fh)        # ACLED_COLUMNS as ACLED writes them, then provenance
    write_events(events, "csv", fh, layout="legacy")   # numeric inter codes (pre-2024 releases)
    write_events(events, "jsonl", fh)      # Event.to_dict(), one per line, lossless
    write_events(events, "geojson", fh)    # FeatureCollection of Points [lon, lat]
    events = list(read_events_jsonl(fh))   # and read_events_csv(fh) for the CSV

Open CSV files with ``newline=""`` (the csv module writes RFC 4180 ``\\r\\n`` line ends).
The CSV follows ACLED's export (``frontlines.export_acled``): the ``layout`` picks labels or
codes for inter1/inter2/interaction, coordinates have at most 4 decimals. GeoPackage and
Excel files are written by ``frontlines.export_tables``.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import math
import typing
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, Literal, TextIO

from frontlines.errors import ConfigError, RecordFormatError
from frontlines.export_acled import acled_cells, check_layout, parse_inter, parse_interaction
from frontlines.model import ACLED_COLUMNS, PROVENANCE_COLUMNS, Event

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "Format",
    "format_for_path",
    "read_events_csv",
    "read_events_jsonl",
    "write_events",
]

Format = Literal["jsonl", "csv", "geojson"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "geojson")
CSV_COLUMNS: tuple[str, ...] = ACLED_COLUMNS + PROVENANCE_COLUMNS

_FIELDS = {f.name: f for f in dataclasses.fields(Event)}
_HINTS = typing.get_type_hints(Event)
# JSON keys in ACLED's order, then provenance, then anything else (actors).
_ORDER = tuple(dict.fromkeys([*ACLED_COLUMNS, *PROVENANCE_COLUMNS, *_FIELDS]))
_COORD_DECIMALS = 6  # RFC 7946 §11.2: ~10 cm; more precision is noise


def format_for_path(path: str) -> str:
    """The format a file name asks for: .csv, .jsonl/.ndjson/.json, .geojson, .gpkg, .xlsx."""
    name = path.lower()
    if name.endswith((".gpkg", ".xlsx")):
        return name.rsplit(".", 1)[1]
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".geojson", ".geo.json")):
        return "geojson"
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    raise ConfigError(f"{path}: cannot tell the export format from the file name; name it "
                      "*.csv, *.jsonl, *.geojson, *.gpkg or *.xlsx, or choose one of "
                      + ", ".join(FORMATS))


def write_events(events: Iterable[Event], fmt: Format, fh: TextIO, *,
                 layout: str = "current") -> int:
    """Write ``events`` to ``fh`` as ``fmt``; returns how many were written. ``layout``
    ("current" or "legacy") is the ACLED release layout of the CSV."""
    if fmt == "csv":
        return _write_csv(events, fh, check_layout(layout))
    writers = {"jsonl": _write_jsonl, "geojson": _write_geojson}
    try:
        writer = writers[fmt]
    except KeyError:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of "
                          + ", ".join(FORMATS)) from None
    return writer(events, fh)


# -- JSON lines ---------------------------------------------------------------------------
def _ordered(event: Event) -> dict[str, Any]:
    data = event.to_dict()
    return {key: data[key] for key in _ORDER}


def _dumps(data: Any, where: str) -> str:
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise RecordFormatError("has a NaN or infinite number, which JSON cannot hold; "
                                "use null for an unknown value", where=where) from None


def _where(event: Event) -> str:
    return f"event {event.event_id_cnty or '?'} (article {event.article_id or '?'})"


def _write_jsonl(events: Iterable[Event], fh: TextIO) -> int:
    count = 0
    for event in events:
        fh.write(_dumps(_ordered(event), _where(event)) + "\n")
        count += 1
    return count


def read_events_jsonl(fh: TextIO) -> Iterator[Event]:
    """Events from JSON lines written by ``write_events(..., "jsonl", ...)``; blank lines skip."""
    name = getattr(fh, "name", "<events>")
    for number, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        where = f"{name} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RecordFormatError(f"not valid JSON ({exc.msg} at column {exc.colno}); "
                                    "each line must be one event object", where=where) from None
        if not isinstance(data, dict):
            raise RecordFormatError(f"expected a JSON object, got {type(data).__name__}; "
                                    "each line must be one event object", where=where)
        try:
            yield Event.from_dict(data)
        except (TypeError, ValueError) as exc:
            raise RecordFormatError(f"not an event ({exc}); expected the fields of "
                                    "'frontlines extract --format jsonl'", where=where) from None


# -- CSV ----------------------------------------------------------------------------------
def _plain(number: float) -> str:
    """A float in plain decimal notation that reads back to the same float."""
    text = repr(number)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return _plain(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _write_csv(events: Iterable[Event], fh: TextIO, layout: str) -> int:
    writer = csv.writer(fh)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for event in events:
        writer.writerow(acled_cells(event, layout)
                        + [_cell(getattr(event, column)) for column in PROVENANCE_COLUMNS])
        count += 1
    return count


def _parse_cell(column: str, text: str) -> Any:
    tp = _HINTS[column]
    optional = type(None) in typing.get_args(tp)
    base = next((a for a in typing.get_args(tp) if a is not type(None)), tp)
    if column in ("inter1", "inter2"):
        return parse_inter(text)
    if column == "interaction":
        return parse_interaction(text)
    if text == "" and base is not str:
        if optional:
            return None
        field = _FIELDS[column]
        return field.default if field.default is not dataclasses.MISSING else 0
    if base is int:
        return int(float(text)) if "." in text else int(text)
    if base is float:
        return float(text)
    if base is dt.date:
        return dt.date.fromisoformat(text)
    return text


def read_events_csv(fh: TextIO) -> Iterator[Event]:
    """Events from a CSV with ACLED's columns, in either release layout (extra columns are
    ignored; ``actors`` is not part of the CSV, so it reads back empty). Coordinates read
    back as written (4 decimals: ``export_acled.round_like_acled``)."""
    name = getattr(fh, "name", "<events>")
    reader = csv.DictReader(fh)
    header = reader.fieldnames or []
    missing = [c for c in ("event_date", "event_type", "sub_event_type", "actor1")
               if c not in header]
    if missing:
        raise RecordFormatError(f"the header lacks {missing}; expected ACLED's columns "
                                f"({', '.join(ACLED_COLUMNS[:5])}, ...)", where=f"{name} line 1")
    known = [c for c in header if c in _FIELDS]
    for row in reader:
        where = f"{name} line {reader.line_num}"
        try:
            values = {c: _parse_cell(c, row[c] or "") for c in known}
            yield Event(**values)
        except (TypeError, ValueError) as exc:
            raise RecordFormatError(f"not an event ({exc}); dates are YYYY-MM-DD and "
                                    "numbers plain", where=where) from None


# -- GeoJSON ------------------------------------------------------------------------------
def _geometry(event: Event) -> dict[str, Any] | None:
    lat, lon = event.latitude, event.longitude
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise RecordFormatError(f"latitude {lat} / longitude {lon} are outside "
                                "[-90, 90] / [-180, 180]; fix the event's coordinates "
                                "(are they swapped?)", where=_where(event))
    # RFC 7946 §3.1.1: [longitude, latitude].
    return {"type": "Point",
            "coordinates": [round(lon, _COORD_DECIMALS) + 0.0,
                            round(lat, _COORD_DECIMALS) + 0.0]}


def _feature(event: Event) -> dict[str, Any]:
    return {"type": "Feature", "geometry": _geometry(event), "properties": _ordered(event)}


def _write_geojson(events: Iterable[Event], fh: TextIO) -> int:
    fh.write('{"type": "FeatureCollection", "features": [')
    count = 0
    for event in events:
        fh.write(("," if count else "") + "\n" + _dumps(_feature(event), _where(event)))
        count += 1
    fh.write("\n]}\n")
    return count
