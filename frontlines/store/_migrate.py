"""Opening a store: Alembic upgrades to the newest revision (one history for SQLite and
PostgreSQL), refusing databases that belong to other programs or to a newer Frontlines,
and PostGIS detection on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from frontlines.errors import StoreError
from frontlines.store import schema
from frontlines.store._postgis import (
    add_geometry,
    has_geometry,
    postgis_available,
    say_plain_once,
)
from frontlines.store.spatial import POSTGIS

MIGRATIONS = Path(__file__).with_name("migrations")
PG_LOCK_ID = 7_012_017  # advisory lock taken while migrating a PostgreSQL store
_FIX = "set the 'db' setting (FRONTLINES_DB) or pass --db"


def migrate(conn: Connection, *, where: str) -> str:
    """Upgrade the database on ``conn`` (not in a transaction) to head; returns what
    ``frontlines.store.spatial`` should be told ("sqlite", "postgresql" or
    "postgresql+postgis")."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    pg = conn.dialect.name == "postgresql"
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    if not pg:
        # SQLite rebuilds a table to alter it; with foreign keys on, dropping the old copy
        # would cascade-delete the rows that refer to it. The pragma only takes effect
        # outside a transaction; keys are checked before commit.
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        with conn.begin():
            _upgrade(conn, config, script, pg=pg, where=where)
    finally:
        if not pg:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
    return _postgis(conn, where) if pg else "sqlite"


def _postgis(conn: Connection, where: str) -> str:
    """``postgresql+postgis`` when events.geom exists (added now if PostGIS became
    available since the store was made), else ``postgresql``, said once."""
    with conn.begin():
        if has_geometry(conn):
            return POSTGIS
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": PG_LOCK_ID})
        if postgis_available(conn) and add_geometry(conn):
            return POSTGIS
    say_plain_once(where)
    return "postgresql"


def _upgrade(conn: Connection, config: Any, script: Any, *, pg: bool, where: str) -> None:
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.util import CommandError

    head = script.get_current_head()
    if pg:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": PG_LOCK_ID})
    current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return
    if current is not None:
        try:
            script.get_revision(current)
        except CommandError:
            raise StoreError(
                f"the database schema is at revision {current!r}, which this version "
                f"of Frontlines does not know (newest known: {head!r}); upgrade "
                "Frontlines, or use another database", where=where) from None
    if current is None:
        _refuse_foreign(conn, pg=pg, where=where)
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
    if not pg:
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
        if broken is not None:
            raise StoreError(f"upgrading the schema broke a reference ({tuple(broken)}); "
                             "nothing was changed; please report this", where=where)


def _refuse_foreign(conn: Connection, *, pg: bool, where: str) -> None:
    """A database with no schema revision must not already hold tables of its own
    (in SQLite: any table; in PostgreSQL: tables named like ours)."""
    present = set(sa.inspect(conn).get_table_names())
    clash = present & set(schema.metadata.tables) if pg else present
    if clash:
        raise StoreError(
            f"is not a Frontlines database: it already has table(s) "
            f"{', '.join(sorted(clash))} and no Frontlines schema revision; point the "
            f"store at a new or existing Frontlines database; {_FIX}", where=where)
