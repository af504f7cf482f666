"""Database URLs and engines: parsing and masking URLs, SQLite (WAL, one writer) and
PostgreSQL engines."""


import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import (
    ArgumentError,
    NoSuchModuleError,
)

from frontlines.errors import StoreError
from frontlines.geo import haversine_km

_URL_EXAMPLES = ("sqlite:///path/to/frontlines.db or "
                 "postgresql+psycopg://user:password@host:5432/dbname")
_FIX = "set the 'db' setting (FRONTLINES_DB) or pass --db"


# -- URLs ---------------------------------------------------------------------------------
_PASSWORD = re.compile(r"(://[^:/@\s]*:)([^@/\s]*)@")


def mask_url(url: str | URL) -> str:
    """``url`` with its password replaced by ``***`` (also for URLs that do not parse)."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    return _PASSWORD.sub(r"\1***@", url)


def _parse_url(url: str) -> URL:
    text = url.strip()
    if "\x00" in text or "%00" in text:
        raise StoreError(f"the URL holds a NUL character (\\x00 or %00), which no file name or "
                         f"database name may contain; remove it. Expected e.g. "
                         f"{_URL_EXAMPLES}; {_FIX}", where=mask_url(url.replace("\x00", "%00")))
    for bare in ("postgres://", "postgresql://"):  # no driver named: use the installed one
        if text.startswith(bare):
            text = "postgresql+psycopg://" + text[len(bare):]
    try:
        parsed = sa.make_url(text)
    except ArgumentError:
        raise StoreError(f"not a database URL; expected e.g. {_URL_EXAMPLES}; {_FIX}",
                         where=mask_url(url)) from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported database {backend!r}; Frontlines stores events in "
                         f"SQLite or PostgreSQL, e.g. {_URL_EXAMPLES}; {_FIX}",
                         where=mask_url(parsed))
    return parsed


def _is_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


# -- engines ------------------------------------------------------------------------------
def _sqlite_engine(url: URL) -> Engine:
    memory = _is_memory(url)
    if not memory and not str(url.database).startswith("file:"):
        path = Path(str(url.database)).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder {path.parent} ({exc.strerror}); "
                             f"choose a writable path; {_FIX}", where=mask_url(url)) from None
    kwargs: dict[str, Any] = {"connect_args": {"timeout": 30, "check_same_thread": False}}
    if memory:
        kwargs["poolclass"] = sa.StaticPool
    engine = sa.create_engine(url, **kwargs)

    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver level: SQLAlchemy's "begin" below issues BEGIN itself,
        # so reads and DDL are inside transactions too.
        dbapi_connection.isolation_level = None
        dbapi_connection.create_function("frontlines_km", 4, _km, deterministic=True)
        cursor = dbapi_connection.cursor()
        try:
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A writer takes the write lock up front, so its reads see what it will write over.
        write = connection.get_execution_options().get("frontlines_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _km(lat1: float | None, lon1: float | None, lat2: float | None,
        lon2: float | None) -> float | None:
    """SQL ``frontlines_km(lat1, lon1, lat2, lon2)``: great-circle km, NULL if any is."""
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return None
    return haversine_km(lat1, lon1, lat2, lon2)


def _postgresql_engine(url: URL) -> Engine:
    try:
        return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise StoreError(f"the database driver is not installed ({exc}); use "
                         f"postgresql+psycopg://... (psycopg 3 ships with Frontlines)",
                         where=mask_url(url)) from None
