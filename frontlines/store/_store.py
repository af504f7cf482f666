"""``Store``: articles, toponyms and events in SQLite (WAL) or PostgreSQL.

Writes are idempotent and transactional: ``ingest`` writes one transaction per batch, an
article's row, its toponyms and its event links commit together, articles already stored
are skipped whole, and an event reported by several articles is one ``events`` row (keyed
by ``event_key``) with one ``event_sources`` row per report. With ``corroborate`` (the
default) a report of the same real event told differently joins the stored event too, as a
merge that ``merges()`` lists and ``unmerge(id)`` undoes (rules: ``merge.py``).

Events read back carry ACLED's ``event_id_cnty`` (ISO3 + a number per store and country,
given at insert, never reused: ``LBN12``) and ``timestamp`` (Unix seconds of the last
change: insert, new source, merge, unmerge); the internal id stays ``event_key``.
``spatial`` tells ``frontlines.store.spatial`` whether PostGIS is there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass
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
from frontlines.store._batch import PG_WRITE_LOCK, IngestStats, ingest_batch
from frontlines.store._engines import _parse_url, _postgresql_engine, _sqlite_engine, mask_url
from frontlines.store._merging import Merge, list_merges, unmerge
from frontlines.store._migrate import migrate
from frontlines.store._rows import (
    _article,
    _chunks,
    _country_filter,
    _event,
    _toponym,
    _Unstorable,
    event_key,
)
from frontlines.store.merge import Rules, load_rules

__all__ = ["EventSource", "IngestStats", "Merge", "Store", "event_key", "mask_url"]


_FIX = "set the 'db' setting (FRONTLINES_DB) or pass --db"


# -- records ------------------------------------------------------------------------------
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

    def __init__(self, url: str, *, corroborate: bool = True,
                 rules: Rules | None = None) -> None:
        self._url = _parse_url(url)
        #: merge a new report into a stored event it corroborates (see ``merge.py``)
        self.corroborate = corroborate
        self.rules = rules or load_rules()
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
        with self._write() as conn:
            self.spatial = migrate(conn, where=self.url)

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
        return ingest_batch(conn, batch, rules=self.rules if self.corroborate else None)

    # -- merges --------------------------------------------------------------------------
    def merges(self, *, event_id: str | None = None,
               include_undone: bool = False) -> list[Merge]:
        """Merges made by corroboration, oldest first; ``event_id`` keeps those whose
        kept or merged event it is; ``include_undone`` adds the undone ones."""
        with self._read() as conn:
            return list_merges(conn, event_id=event_id, include_undone=include_undone)

    def unmerge(self, merge_id: int) -> Merge:
        """Undo merge ``merge_id``: the merged event is stored again with the reports the
        merge brought; the kept event's outlets, fatalities and confidence are
        recomputed from the reports it keeps. Returns the (now undone) merge."""
        try:
            with self._write() as conn, conn.begin():
                if self._pg:
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"),
                                 {"id": PG_WRITE_LOCK})
                return unmerge(conn, merge_id, dt.datetime.now(dt.UTC), self.url)
        except DBAPIError as exc:
            raise self._error(exc, f"could not undo merge {merge_id}") from None

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

