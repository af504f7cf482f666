"""PostGIS on a PostgreSQL store: the ``events.geom`` point column and its GiST index.

``events.geom`` is ``geometry(Point, 4326)`` (GeoAlchemy2's type), a *stored generated*
column computed by PostgreSQL from ``longitude``/``latitude``: every insert and update fills
it, whoever writes the row, and adding it fills it for the rows already there. It is NULL
for an event without coordinates. The column is not in ``schema.events`` (SQLite has no
such column): queries reach it through ``frontlines.store.spatial``.

``add_geometry(conn)`` is called by migration 0003 and again by ``Store`` when a store made
without PostGIS is opened on a server that has it now. It returns False, changing
nothing, when the server has no PostGIS or the user may not create the extension.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

GEOMETRY = Geometry("POINT", srid=4326, spatial_index=False)
GEOM_INDEX = "ix_events_geom"
_log = logging.getLogger("frontlines.store")


def postgis_available(conn: Connection) -> bool:
    """The server ships the PostGIS extension (installed in this database or not)."""
    return conn.scalar(sa.text(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")) is not None


def has_geometry(conn: Connection) -> bool:
    """``events.geom`` exists in this database."""
    return conn.scalar(sa.text(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = 'events' AND column_name = 'geom'")) is not None


def _create_extension(conn: Connection) -> bool:
    if conn.scalar(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")):
        return True
    try:
        with conn.begin_nested():  # a refusal must not abort the caller's transaction
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except DBAPIError as exc:
        reason = " ".join(str(getattr(exc, "orig", exc)).split())
        _log.warning("PostGIS is installed on the server but this user may not create the "
                     "extension (%s); events keep plain latitude/longitude columns. A "
                     "superuser can run 'CREATE EXTENSION postgis' in this database, then "
                     "reopen the store to add the geometry column", reason)
        return False
    return True


def add_geometry(conn: Connection) -> bool:
    """Add ``events.geom`` and its GiST index when PostGIS can be had; True if present."""
    if has_geometry(conn):
        return True
    if not postgis_available(conn) or not _create_extension(conn):
        return False
    kind = GEOMETRY.compile(dialect=postgresql.dialect())
    conn.execute(sa.text(
        f"ALTER TABLE events ADD COLUMN geom {kind} GENERATED ALWAYS AS ("
        "CASE WHEN latitude IS NULL OR longitude IS NULL THEN NULL "
        "ELSE ST_SetSRID(ST_MakePoint(longitude, latitude), 4326) END) STORED"))
    conn.execute(sa.text(f"CREATE INDEX {GEOM_INDEX} ON events USING gist (geom)"))
    return True


_SAID: set[str] = set()


def say_plain_once(where: str) -> None:
    """Log, once per process and database, that a PostgreSQL store runs without PostGIS."""
    if where in _SAID:
        return
    _SAID.add(where)
    _log.warning("%s: PostgreSQL without PostGIS; bbox and radius queries use the plain "
                 "latitude/longitude columns. Install the server's PostGIS package "
                 "(Debian: postgresql-<major>-postgis-3) and reopen the store to add a "
                 "geometry column with a spatial index", where)
