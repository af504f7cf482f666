"""``Store``: articles, toponyms and events in SQLite (WAL) or PostgreSQL.

Writes are idempotent and transactional: ``ingest`` writes one transaction per batch, an
article's row, its toponyms and its event links commit together, articles already stored
are skipped whole, and an event reported by several articles is one ``events`` row (keyed
by ``event_key``) with one ``event_sources`` row per report.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
)

from frontlines.errors import StoreError
from frontlines.model import Analysis, Article, Event, Toponym
from frontlines.progress import Progress
from frontlines.store import schema
from frontlines.store._engines import _parse_url, _postgresql_engine, _sqlite_engine, mask_url
from frontlines.store._numbers import assign_numbers, stamp
from frontlines.store._postgis import (
    add_geometry,
    has_geometry,
    postgis_available,
    say_plain_once,
)
from frontlines.store._rows import (
    _article,
    _article_row,
    _chunks,
    _country_filter,
    _event,
    _event_row,
    _merge_fatalities,
    _merge_sources,
    _source_row,
    _toponym,
    _toponym_row,
    _Unstorable,
    event_key,
)
from frontlines.store.spatial import POSTGIS

__all__ = ["EventSource", "IngestStats", "Store", "event_key", "mask_url"]


MIGRATIONS = Path(__file__).with_name("migrations")
_FIX = "set the 'db' setting (FRONTLINES_DB) or pass --db"
_PG_LOCK_ID = 7_012_017  # advisory lock taken while migrating a PostgreSQL store
_PG_WRITE_LOCK = 7_012_018  # advisory lock held by the one writer of a batch


# -- records ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class IngestStats:
    """What one ``Store.ingest`` call wrote."""

    articles_new: int = 0
    articles_skipped_existing: int = 0
    events_new: int = 0
    events_merged: int = 0
    toponyms_new: int = 0
    batches: int = 0

    def __add__(self, other: IngestStats) -> IngestStats:
        return IngestStats(*(getattr(self, f.name) + getattr(other, f.name)
                             for f in dataclasses.fields(self)))

    def __str__(self) -> str:
        return (f"{self.articles_new} new article(s), {self.articles_skipped_existing} "
                f"already stored, {self.toponyms_new} toponym(s), {self.events_new} new "
                f"event(s), {self.events_merged} report(s) merged into known events")


@dataclass(frozen=True, slots=True, kw_only=True)
class EventSource:
    """One article's report of a stored event (a row of ``event_sources``)."""

    event_id: str
    article_id: str
    char_start: int
    char_end: int
    sentence: str
    trigger: str
    claim_source: str
    certainty: str
    confidence: float
    fatalities: int
    event_id_cnty: str
    source: str | None = None  # the article's outlet
    url: str | None = None
    published: dt.date | None = None


# -- the store ----------------------------------------------------------------------------
class Store:
    """A Frontlines database. Opening it migrates the schema to the newest revision.

    >>> store = Store("sqlite://")           # in memory; or sqlite:///events.db,
    >>> store.counts()["events"]             # postgresql+psycopg://user:pw@host/db
    0
    """

    def __init__(self, url: str, *, corroborate: bool = True) -> None:
        self._url = _parse_url(url)
        self.corroborate = corroborate
        #: what ``frontlines.store.spatial`` should be told: "sqlite", "postgresql" (plain
        #: columns) or "postgresql+postgis" (events.geom with a GiST index)
        self.spatial = "sqlite"
        self.url = mask_url(self._url)
        self._pg = self._url.get_backend_name() == "postgresql"
        self._engine = (_postgresql_engine(self._url) if self._pg
                        else _sqlite_engine(self._url))
        try:
            self._migrate()
        except StoreError:
            self._engine.dispose()
            raise
        except DBAPIError as exc:
            self._engine.dispose()
            raise self._error(exc, "cannot open the database") from None

    # -- plumbing ------------------------------------------------------------------------
    @property
    def engine(self) -> Engine:
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def _error(self, exc: BaseException, what: str) -> StoreError:
        reason = getattr(exc, "orig", None) or exc
        detail = " ".join(str(reason).split())
        if isinstance(exc, (IntegrityError, DataError)):
            fix = ("the database refused the records (a bug upstream of the store); nothing "
                   "of this batch was written; please report it with the input attached")
        elif self._pg:
            fix = ("check that the PostgreSQL server is running and that host, port, user, "
                   f"password and database name are right; {_FIX}")
        else:
            fix = ("check that the file is a Frontlines SQLite database, is writable and is "
                   f"not held by another program; {_FIX}")
        return StoreError(f"{what} ({detail}); {fix}", where=self.url)

    def _write(self) -> Connection:
        return self._engine.connect().execution_options(frontlines_write=True)

    def _migrate(self) -> None:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        script = ScriptDirectory.from_config(config)
        head = script.get_current_head()
        with self._write() as conn:
            if not self._pg:
                # SQLite rebuilds a table to alter it; with foreign keys on, dropping the
                # old copy would cascade-delete the rows that refer to it. The pragma only
                # takes effect outside a transaction; keys are checked before commit.
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
            try:
                with conn.begin():
                    self._upgrade(conn, config, script, head)
            finally:
                if not self._pg:
                    conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
            if self._pg:
                self.spatial = self._postgis(conn)

    def _postgis(self, conn: Connection) -> str:
        """``postgresql+postgis`` when events.geom exists (added now if PostGIS became
        available since the store was made), else ``postgresql``, said once."""
        with conn.begin():
            if has_geometry(conn):
                return POSTGIS
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
            if postgis_available(conn) and add_geometry(conn):
                return POSTGIS
        say_plain_once(self.url)
        return "postgresql"

    def _upgrade(self, conn: Connection, config: Any, script: Any, head: str | None) -> None:
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.util import CommandError

        if self._pg:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
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
                    "Frontlines, or use another database", where=self.url) from None
        if current is None:
            self._refuse_foreign(conn)
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        if not self._pg:
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
            if broken is not None:
                raise StoreError(f"upgrading the schema broke a reference ({tuple(broken)}); "
                                 "nothing was changed; please report this", where=self.url)

    def _refuse_foreign(self, conn: Connection) -> None:
        """A database with no schema revision must not already hold tables of its own
        (in SQLite: any table; in PostgreSQL: tables named like ours)."""
        present = set(sa.inspect(conn).get_table_names())
        clash = present & set(schema.metadata.tables) if self._pg else present
        if clash:
            raise StoreError(
                f"is not a Frontlines database: it already has table(s) "
                f"{', '.join(sorted(clash))} and no Frontlines schema revision; point the "
                f"store at a new or existing Frontlines database; {_FIX}", where=self.url)

    # -- writing -------------------------------------------------------------------------
    def ingest(self, analyses: Iterable[Analysis], *, batch_size: int = 32,
               progress: Progress | None = None,
               on_error: Callable[[Analysis, StoreError], None] | None = None) -> IngestStats:
        """Store ``analyses``; one transaction per ``batch_size`` articles.

        ``analyses`` is consumed lazily: each batch is committed as soon as it is complete,
        so an interrupted run loses at most the batch in flight. Articles already stored
        are skipped whole, so re-ingesting changes nothing and a run interrupted mid-way
        is completed by running it again. ``progress(done, total)`` is called after each
        committed batch (``total`` is None for iterators).

        When the database refuses a batch's records (not when it is unreachable), the
        batch is stored again article by article (with ``on_error``): each article that is
        still refused goes to ``on_error(analysis, StoreError)`` and the others are
        stored. Without ``on_error`` a refused batch raises ``StoreError``, nothing of it
        written.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        total = len(analyses) if isinstance(analyses, Sized) else None
        stats, done = IngestStats(), 0
        for batch in _chunks(analyses, batch_size):
            try:
                with self._write() as conn, conn.begin():
                    stats += self._ingest_batch(conn, batch)
            except (IntegrityError, DataError, _Unstorable) as exc:
                if on_error is None:
                    if len(batch) == 1:
                        raise self._refused(batch[0], exc) from None
                    raise self._error(exc, f"could not store a batch of {len(batch)} "
                                           f"article(s) starting with "
                                           f"{batch[0].article.id!r}") from None
                stats += self._ingest_one_by_one(batch, on_error)
            except DBAPIError as exc:
                raise self._error(exc, f"could not store a batch of {len(batch)} article(s) "
                                       f"starting with {batch[0].article.id!r}") from None
            done += len(batch)
            if progress:
                progress(done, total)
        return stats

    def _refused(self, analysis: Analysis, exc: BaseException) -> StoreError:
        reason = getattr(exc, "orig", None) or exc
        detail = " ".join(str(reason).split())[:300]
        article = analysis.article
        return StoreError(
            f"the database refused this article ({type(reason).__name__}: {detail}); it was "
            f"not stored, the rest of the run was. Please report this with the article "
            f"attached", where=f"{article.origin or 'article ' + article.id} ({self.url})")

    def _ingest_one_by_one(self, batch: Sequence[Analysis],
                           on_error: Callable[[Analysis, StoreError], None] | None
                           ) -> IngestStats:
        stats = IngestStats()
        for analysis in batch:
            try:
                with self._write() as conn, conn.begin():
                    stats += self._ingest_batch(conn, [analysis])
            except (IntegrityError, DataError, _Unstorable) as exc:
                error = self._refused(analysis, exc)
                if on_error is None:
                    raise error from None
                on_error(analysis, error)
            except DBAPIError as exc:
                raise self._error(exc, f"could not store article "
                                       f"{analysis.article.id!r}") from None
        return stats

    def _ingest_batch(self, conn: Connection, batch: Sequence[Analysis]) -> IngestStats:
        """Write one batch inside the caller's transaction, in a handful of statements."""
        if self._pg:  # one writer at a time (SQLite's BEGIN IMMEDIATE does the same)
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_WRITE_LOCK})
        now = dt.datetime.now(dt.UTC)
        ar, ev = schema.articles.c, schema.events.c
        known = set(conn.scalars(sa.select(ar.id).where(
            ar.id.in_({analysis.article.id for analysis in batch}))))
        fresh: list[Analysis] = []
        for analysis in batch:
            if analysis.article.id not in known:
                known.add(analysis.article.id)
                fresh.append(analysis)
        skipped = len(batch) - len(fresh)
        if not fresh:
            return IngestStats(articles_skipped_existing=skipped, batches=1)

        toponym_rows: dict[tuple[str, int, int], dict[str, Any]] = {}
        reports: list[tuple[str, Event]] = []
        for analysis in fresh:
            article = analysis.article
            for toponym in analysis.toponyms:
                toponym_rows.setdefault((article.id, toponym.start, toponym.end),
                                        _toponym_row(article.id, toponym))
            for event in analysis.events:
                if event.article_id != article.id:
                    event = event.replace(article_id=article.id)
                reports.append((event_key(event), event))

        # Events: new ones are inserted whole; a report of a known event merges into it.
        keys = {key for key, _ in reports}
        merged: dict[str, dict[str, Any]] = {
            row.event_id: {"source": row.source, "confidence": row.confidence,
                           "fatalities": row.fatalities, "changed": False}
            for row in conn.execute(sa.select(ev.event_id, ev.source, ev.confidence,
                                              ev.fatalities).where(ev.event_id.in_(keys)))}
        new_rows: dict[str, dict[str, Any]] = {}
        source_rows: dict[tuple[str, str, int], dict[str, Any]] = {}
        for key, event in reports:
            target = new_rows.get(key) or merged.get(key)
            if target is None:
                new_rows[key] = _event_row(key, event, now)
            else:
                target["source"] = _merge_sources(target["source"], event.source)
                target["confidence"] = max(target["confidence"], event.confidence)
                target["fatalities"] = _merge_fatalities(target["fatalities"],
                                                         event.fatalities)
                target["changed"] = True
            source_rows.setdefault((key, event.article_id, event.char_start),
                                   _source_row(key, event))

        conn.execute(schema.articles.insert(), [_article_row(a.article, now) for a in fresh])
        if toponym_rows:
            conn.execute(schema.toponyms.insert(), list(toponym_rows.values()))
        if new_rows:
            assign_numbers(conn, new_rows.values())
            conn.execute(schema.events.insert(), list(new_rows.values()))
        updates = [{"key": key, "new_source": m["source"], "new_confidence": m["confidence"],
                    "new_fatalities": m["fatalities"], "new_updated_at": now,
                    "new_timestamp": stamp(now)["timestamp"]}
                   for key, m in merged.items() if m["changed"]]
        if updates:
            conn.execute(schema.events.update().where(ev.event_id == sa.bindparam("key"))
                         .values(source=sa.bindparam("new_source"),
                                 confidence=sa.bindparam("new_confidence"),
                                 fatalities=sa.bindparam("new_fatalities"),
                                 updated_at=sa.bindparam("new_updated_at"),
                                 timestamp=sa.bindparam("new_timestamp")), updates)
        if source_rows:
            conn.execute(schema.event_sources.insert(), list(source_rows.values()))
        return IngestStats(articles_new=len(fresh), articles_skipped_existing=skipped,
                           events_new=len(new_rows), events_merged=len(reports) - len(new_rows),
                           toponyms_new=len(toponym_rows), batches=1)

    # -- reading -------------------------------------------------------------------------
    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                yield conn
        except DBAPIError as exc:
            raise self._error(exc, "cannot read the database") from None

    def has_article(self, article_id: str) -> bool:
        with self._read() as conn:
            return conn.scalar(sa.select(sa.literal(1)).where(
                schema.articles.c.id == article_id)) is not None

    def articles(self) -> Iterator[Article]:
        """Every stored article, in id order."""
        with self._read() as conn:
            rows = conn.execute(sa.select(schema.articles).order_by(schema.articles.c.id))
            for row in rows:
                yield _article(row)

    def article(self, article_id: str) -> Article | None:
        with self._read() as conn:
            row = conn.execute(sa.select(schema.articles).where(
                schema.articles.c.id == article_id)).first()
        return _article(row) if row else None

    def toponyms(self, article_id: str) -> list[Toponym]:
        """The article's toponyms, in text order."""
        tp = schema.toponyms.c
        with self._read() as conn:
            rows = conn.execute(sa.select(schema.toponyms).where(tp.article_id == article_id)
                                .order_by(tp.start, tp.end)).all()
        return [_toponym(row) for row in rows]

    def events(self, *, since: dt.date | None = None, until: dt.date | None = None,
               country: str | None = None, min_sources: int = 1) -> list[Event]:
        """Stored events, oldest first; ``since``/``until`` are inclusive days.

        ``country`` is a name, ISO2 or ISO3 code. ``min_sources=2`` keeps events confirmed
        by two or more independent sources (see ``source_counts``).
        """
        ev = schema.events.c
        query = sa.select(schema.events)
        if since is not None:
            query = query.where(ev.event_date >= since)
        if until is not None:
            query = query.where(ev.event_date <= until)
        if country:
            query = query.where(_country_filter(country))
        if min_sources > 1:
            counts = self._source_counts_query().subquery()
            query = query.join(counts, counts.c.event_id == ev.event_id).where(
                counts.c.sources >= min_sources)
        query = query.order_by(ev.event_date, ev.iso3, ev.number)
        with self._read() as conn:
            return [_event(row) for row in conn.execute(query)]

    def event(self, event_id: str) -> Event | None:
        """The stored event ``event_id`` (see ``event_key``), or None."""
        with self._read() as conn:
            row = conn.execute(sa.select(schema.events).where(
                schema.events.c.event_id == event_id)).first()
        return _event(row) if row else None

    def event_ids(self, *, since: dt.date | None = None,
                  until: dt.date | None = None) -> list[str]:
        ev = schema.events.c
        query = sa.select(ev.event_id)
        if since is not None:
            query = query.where(ev.event_date >= since)
        if until is not None:
            query = query.where(ev.event_date <= until)
        with self._read() as conn:
            return list(conn.scalars(query.order_by(ev.event_date, ev.event_id)))

    def event_sources(self, event_id: str) -> list[EventSource]:
        """Every report of the event ``event_id`` (see ``event_key``), oldest first."""
        es, ar = schema.event_sources.c, schema.articles.c
        query = (sa.select(schema.event_sources, ar.source, ar.url, ar.published_date)
                 .join(schema.articles, ar.id == es.article_id)
                 .where(es.event_id == event_id)
                 .order_by(ar.published_date, es.article_id, es.char_start))
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [EventSource(event_id=r.event_id, article_id=r.article_id,
                            char_start=r.char_start, char_end=r.char_end, sentence=r.sentence,
                            trigger=r.trigger, claim_source=r.claim_source,
                            certainty=r.certainty, confidence=r.confidence,
                            fatalities=r.fatalities, event_id_cnty=r.event_id_cnty,
                            source=r.source, url=r.url, published=r.published_date)
                for r in rows]

    def _source_counts_query(self) -> sa.Select[Any]:
        es, ar = schema.event_sources.c, schema.articles.c
        # Independent = distinct outlets; an article with no outlet counts on its own.
        outlet = sa.func.coalesce(sa.func.nullif(sa.func.lower(sa.func.trim(ar.source)), ""),
                                  sa.literal("article:") + ar.id)
        return (sa.select(es.event_id, sa.func.count(sa.distinct(outlet)).label("sources"))
                .join(schema.articles, ar.id == es.article_id)
                .group_by(es.event_id))

    def source_counts(self, event_ids: Iterable[str] | None = None) -> dict[str, int]:
        """Number of independent sources (distinct outlets) reporting each event."""
        query = self._source_counts_query()
        if event_ids is not None:
            query = query.where(schema.event_sources.c.event_id.in_(list(event_ids)))
        with self._read() as conn:
            return {row.event_id: row.sources for row in conn.execute(query)}

    def independent_sources(self, event: Event | str) -> int:
        """How many independent sources report ``event`` (an Event or its event_id)."""
        event_id = event if isinstance(event, str) else event_key(event)
        return self.source_counts([event_id]).get(event_id, 0)

    def counts(self) -> dict[str, int]:
        """Row counts of every table."""
        tables = (schema.articles, schema.toponyms, schema.events, schema.event_sources)
        with self._read() as conn:
            return {t.name: conn.scalar(sa.select(sa.func.count()).select_from(t)) or 0
                    for t in tables}

