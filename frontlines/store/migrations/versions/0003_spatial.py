"""Spatial access: a latitude/longitude index everywhere; on PostgreSQL with PostGIS a
``geom geometry(Point, 4326)`` column on events (generated from the coordinates, so every
existing and future row is filled) with a GiST index.

Without PostGIS (the package is not installed, or the user may not create the extension)
the store keeps the plain columns; ``Store`` adds the geometry later when it can.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_latitude_longitude", "events", ["latitude", "longitude"])
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        from frontlines.store._postgis import add_geometry

        add_geometry(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_events_geom")
        op.execute("ALTER TABLE events DROP COLUMN IF EXISTS geom")
    op.drop_index("ix_events_latitude_longitude", table_name="events")
