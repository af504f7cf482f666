"""Spatial predicates on stored events, one home for both databases.

On SQLite (and PostgreSQL without PostGIS) a bounding box is a range test on the plain
``latitude``/``longitude`` columns. The PostGIS path (geometry column with a GiST index) is
added here too, so callers never branch on the dialect themselves.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from frontlines.store import schema

__all__ = ["BBox", "within_bbox"]

BBox = tuple[float, float, float, float]  # west, south, east, north (RFC 7946 order)


def within_bbox(bbox: BBox, *, dialect: str = "sqlite") -> sa.ColumnElement[Any]:
    """A WHERE clause keeping events whose point lies in ``bbox`` (edges included).

    A box whose west edge is east of its east edge crosses the antimeridian (RFC 7946 5.2).
    """
    west, south, east, north = bbox
    ev = schema.events.c
    lat_ok = ev.latitude.between(south, north)
    if west <= east:
        lon_ok = ev.longitude.between(west, east)
    else:
        lon_ok = sa.or_(ev.longitude >= west, ev.longitude <= east)
    return sa.and_(ev.latitude.is_not(None), lat_ok, lon_ok)
