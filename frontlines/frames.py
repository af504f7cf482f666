"""pandas and GeoPandas views of a store: events, control and alerts as (Geo)DataFrames.

    import frontlines
    df = frontlines.read_events("sqlite:///events.db", since="2017-08-01", country="Lebanon")
    gdf = frontlines.read_events("sqlite:///events.db", geo=True)      # EPSG:4326 points
    control = frontlines.read_control("sqlite:///events.db", at="2017-08-25",
                                      initial="examples/.maps/lebanon-syria-border-2017-07.csv")
    alerts = frontlines.read_alerts("sqlite:///events.db", at="2017-08-20")

Events: ACLED's columns in ACLED's order, then provenance; ``event_date`` is datetime64,
counts and codes are integers, coordinates floats (NaN when unknown), ``geonameid`` a
nullable integer. Control: one row per area (polygon), front line (line) and control point
(point), told apart by ``kind``; alerts: one row per alert (point). Lists (sources, event
ids) are joined with "; " and nested records written as JSON, so every frame can be written
to a GeoPackage or a spreadsheet as it is. ``db`` is a SQLAlchemy URL, a ``Store``, or None
for the ``db`` setting. GeoDataFrames need the optional ``geo`` extra
(``pip install frontlines[geo]``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from frontlines.errors import ConfigError
from frontlines.model import ACLED_COLUMNS, PROVENANCE_COLUMNS, Event

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

    from frontlines.control import AlertReport, Snapshot
    from frontlines.store import Store

__all__ = [
    "CRS",
    "alerts_frame",
    "control_frame",
    "events_frame",
    "read_alerts",
    "read_control",
    "read_events",
    "read_events_gdf",
]

CRS = "EPSG:4326"
COLUMNS: tuple[str, ...] = ACLED_COLUMNS + PROVENANCE_COLUMNS
_INTS = ("year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision",
         "fatalities", "timestamp", "char_start", "char_end")
_FLOATS = ("latitude", "longitude", "confidence")
_GEO_HINT = ("GeoDataFrames need geopandas, the optional 'geo' extra: "
             "pip install 'frontlines[geo]'")


def _geopandas() -> Any:
    try:
        import geopandas
    except ImportError:
        raise ImportError(_GEO_HINT) from None
    return geopandas


def _date(value: str | dt.date | None, what: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{what} {value!r} is not a date; expected an ISO date such as "
                          "2017-08-19") from None


def _store(db: str | Store | None) -> Store:
    from frontlines.store import Store

    if isinstance(db, Store):
        return db
    from frontlines.pipeline import Frontlines
    from frontlines.settings import Settings

    return Frontlines(Settings(db=db) if db else Settings()).store()


# -- events -----------------------------------------------------------------------------------
def events_frame(events: Iterable[Event]) -> pd.DataFrame:
    """Events as a typed DataFrame with the export's columns (pure: no store)."""
    rows = [{c: getattr(e, c) for c in COLUMNS} for e in events]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    for column in _INTS:
        frame[column] = pd.to_numeric(frame[column]).astype("int64")
    for column in _FLOATS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["geonameid"] = pd.array(frame["geonameid"].tolist(), dtype="Int64")
    return frame


def _points(frame: pd.DataFrame) -> Any:
    gpd = _geopandas()
    from shapely.geometry import Point

    geometry = [Point(lon, lat) if pd.notna(lon) and pd.notna(lat) else None
                for lon, lat in zip(frame["longitude"], frame["latitude"], strict=True)]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)


def read_events(db: str | Store | None = None, *, since: str | dt.date | None = None,
                until: str | dt.date | None = None, country: str | None = None,
                geo: bool = False) -> pd.DataFrame:
    """The store's events as a DataFrame (``geo=True``: a GeoDataFrame of points in EPSG:4326;
    events without coordinates have no geometry). Filters as ``frontlines export``."""
    from frontlines.export_filters import check_country

    store = _store(db)
    events = store.events(since=_date(since, "since"), until=_date(until, "until"),
                          country=check_country(country) if country else None)
    frame = events_frame(events)
    return _points(frame) if geo else frame


def read_events_gdf(db: str | Store | None = None, **filters: Any) -> gpd.GeoDataFrame:
    """``read_events(db, geo=True, **filters)``."""
    return read_events(db, geo=True, **filters)


# -- control and alerts -----------------------------------------------------------------------
def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, str) for v in value):
            return "; ".join(value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _features_frame(features: Sequence[dict[str, Any]], columns: Sequence[str]) -> Any:
    gpd = _geopandas()
    from shapely.geometry import shape

    rows = [{k: _flat(v) for k, v in (f.get("properties") or {}).items()} for f in features]
    geometry = [shape(f["geometry"]) if f.get("geometry") else None for f in features]
    frame = pd.DataFrame(rows)
    for column in columns:
        if column not in frame:
            frame[column] = pd.Series(dtype="object")
    if "at" in frame:
        frame["at"] = pd.to_datetime(frame["at"])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=CRS), crs=CRS)


def control_frame(snapshot: Snapshot) -> gpd.GeoDataFrame:
    """A control snapshot as one GeoDataFrame: areas, front lines and points (``kind``)."""
    return _features_frame(snapshot.as_geojson()["features"], ("kind", "side", "at"))


def alerts_frame(report: AlertReport) -> gpd.GeoDataFrame:
    """Alerts as a GeoDataFrame of points (one row per alert)."""
    return _features_frame(report.as_geojson()["features"],
                           ("kind", "rule", "place", "status", "severity", "at"))


def _control_args(db: str | Store | None, sides: Any, gazetteer: Any) -> tuple[Any, Any, Any]:
    from frontlines.control import SideMap

    store = _store(db)
    if gazetteer is None:
        from frontlines.pipeline import Frontlines
        from frontlines.settings import Settings

        gazetteer = Frontlines(Settings()).gazetteer  # the 'gazetteer' setting's index
    side_map = SideMap.load(extra=sides) if isinstance(sides, (str, Path)) else sides
    return store, gazetteer, side_map


def read_control(db: str | Store | None = None, *, at: str | dt.date, initial: Any = None,
                 sides: Any = None, gazetteer: Any = None) -> gpd.GeoDataFrame:
    """Who holds what at the end of day ``at`` (``initial``: an initial map file or marks;
    ``sides``: a sides YAML path or a SideMap; ``gazetteer``: default the 'gazetteer'
    setting's index), as a GeoDataFrame in EPSG:4326."""
    from frontlines.control import control_snapshot

    store, gazetteer, side_map = _control_args(db, sides, gazetteer)
    when = _date(at, "at")
    assert when is not None
    return control_frame(control_snapshot(store, at=when, gazetteer=gazetteer, initial=initial,
                                          sides=side_map))


def read_alerts(db: str | Store | None = None, *, at: str | dt.date, initial: Any = None,
                sides: Any = None, gazetteer: Any = None) -> gpd.GeoDataFrame:
    """The alerts in force at the end of day ``at`` as a GeoDataFrame of points (arguments
    as ``read_control``)."""
    from frontlines.control import exposure_alerts

    store, gazetteer, side_map = _control_args(db, sides, gazetteer)
    when = _date(at, "at")
    assert when is not None
    return alerts_frame(exposure_alerts(store, gazetteer, at=when, initial=initial,
                                        sides=side_map))
