"""Spatial predicates on stored events, one home for both databases.

``within_bbox(bbox, dialect=...)`` and ``within_radius(lat, lon, km, dialect=...)`` return
WHERE clauses over ``schema.events``. ``dialect`` says which database runs the query:

- ``"postgresql+postgis"``: the store has PostGIS — ``events.geom`` (geometry(Point, 4326),
  GiST index ``ix_events_geom``). A box is ``ST_Intersects(geom, ST_MakeEnvelope(w, s, e, n,
  4326))`` (two envelopes when it crosses the antimeridian); a radius is ``ST_DWithin`` on
  geography (on the mean-radius sphere, as ``frontlines.geo.haversine_km``), behind a box
  test the index answers.
- ``"sqlite"``, ``"postgresql"`` (no PostGIS) or any other name: range tests on the plain
  ``latitude``/``longitude`` columns (index ``ix_events_latitude_longitude``); a radius is
  that box, then the great-circle distance (SQLite: ``frontlines_km``, which every
  Frontlines SQLite connection has, computed by ``frontlines.geo.haversine_km``; PostgreSQL:
  the same formula in SQL).

``conn.dialect.name`` alone cannot tell whether PostGIS is there; ``Store.spatial`` can:
pass ``dialect=store.spatial`` to get the index. With ``dialect="postgresql"`` the plain
test is used, which is right on every PostgreSQL store, only slower.

Edges are included. Boxes are ``(west, south, east, north)`` in degrees (RFC 7946 order);
a box whose west edge is east of its east edge crosses the antimeridian (RFC 7946 5.2).
"""

from __future__ import annotations

import math
from typing import Any

import sqlalchemy as sa
from geoalchemy2 import Geography
from geoalchemy2 import functions as gis

from frontlines.geo import EARTH_RADIUS_KM
from frontlines.store import schema
from frontlines.store._postgis import GEOMETRY

__all__ = ["POSTGIS", "BBox", "radius_bbox", "within_bbox", "within_radius"]

BBox = tuple[float, float, float, float]  # west, south, east, north (RFC 7946 order)
POSTGIS = "postgresql+postgis"
SQLITE_DISTANCE = "frontlines_km"  # (lat1, lon1, lat2, lon2) -> km, see _engines.py


def _geom() -> sa.ColumnElement[Any]:
    return sa.literal_column(f"{schema.events.name}.geom", type_=GEOMETRY)


def _halves(west: float, east: float) -> list[tuple[float, float]]:
    return [(west, east)] if west <= east else [(west, 180.0), (-180.0, east)]


def _envelope(west: float, south: float, east: float, north: float) -> sa.ColumnElement[Any]:
    if west < east and south < north:
        return gis.ST_MakeEnvelope(west, south, east, north, 4326)
    # A box of no width or height: ST_MakeEnvelope would make a degenerate polygon that
    # intersects nothing; the envelope of its diagonal is the line or point it really is.
    diagonal = gis.ST_MakeLine(gis.ST_MakePoint(west, south), gis.ST_MakePoint(east, north))
    return gis.ST_SetSRID(gis.ST_Envelope(diagonal), 4326)


def within_bbox(bbox: BBox, *, dialect: str = "sqlite") -> sa.ColumnElement[Any]:
    """A WHERE clause keeping events whose point lies in ``bbox`` (edges included)."""
    west, south, east, north = bbox
    if dialect == POSTGIS:
        geom = _geom()
        return sa.or_(*(gis.ST_Intersects(geom, _envelope(w, south, e, north))
                        for w, e in _halves(west, east)))
    ev = schema.events.c
    lat_ok = ev.latitude.between(south, north)
    if west <= east:
        lon_ok = ev.longitude.between(west, east)
    else:
        lon_ok = sa.or_(ev.longitude >= west, ev.longitude <= east)
    return sa.and_(ev.latitude.is_not(None), lat_ok, lon_ok)


def radius_bbox(lat: float, lon: float, km: float) -> BBox:
    """The smallest lat/lon box holding every point within ``km`` of (lat, lon)."""
    if not (math.isfinite(lat) and math.isfinite(lon) and math.isfinite(km)) or km < 0:
        raise ValueError(f"radius query needs finite coordinates and a distance >= 0, "
                         f"got lat={lat!r}, lon={lon!r}, km={km!r}")
    angle = km / EARTH_RADIUS_KM  # radians of arc
    pad = 1e-7  # degrees (~1 cm): rounding never drops a point on the circle
    south = max(-90.0, lat - math.degrees(angle) - pad)
    north = min(90.0, lat + math.degrees(angle) + pad)
    reach = math.sin(angle) / max(math.cos(math.radians(lat)), 1e-12)
    if angle >= math.pi / 2 or reach >= 1 or north >= 90 or south <= -90:
        return (-180.0, south, 180.0, north)  # the circle reaches a pole or wraps around
    dlon = math.degrees(math.asin(reach)) + pad
    west, east = lon - dlon, lon + dlon
    if west < -180:
        west += 360
    if east > 180:
        east -= 360
    return (west, south, east, north)


def _haversine_sql(lat: float, lon: float) -> sa.ColumnElement[Any]:
    ev, f = schema.events.c, sa.func
    dp = f.radians(ev.latitude - lat) / 2
    dl = f.radians(ev.longitude - lon) / 2
    a = (f.power(f.sin(dp), 2)
         + math.cos(math.radians(lat)) * f.cos(f.radians(ev.latitude)) * f.power(f.sin(dl), 2))
    return 2 * EARTH_RADIUS_KM * f.asin(f.least(1.0, f.sqrt(a)))


def within_radius(lat: float, lon: float, km: float, *,
                  dialect: str = "sqlite") -> sa.ColumnElement[Any]:
    """A WHERE clause keeping events within ``km`` great-circle km of (lat, lon)."""
    box = radius_bbox(lat, lon, km)
    if dialect == POSTGIS:
        centre = sa.cast(gis.ST_SetSRID(gis.ST_MakePoint(lon, lat), 4326), Geography)
        near = gis.ST_DWithin(sa.cast(_geom(), Geography), centre, km * 1000.0, False)
        return sa.and_(within_bbox(box, dialect=dialect), near)
    ev = schema.events.c
    if dialect == "sqlite":
        distance = getattr(sa.func, SQLITE_DISTANCE)(lat, lon, ev.latitude, ev.longitude)
    else:
        distance = _haversine_sql(lat, lon)
    return sa.and_(within_bbox(box, dialect=dialect), distance <= km)
