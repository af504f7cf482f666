"""The database side of corroboration: finding stored events a batch's reports may
corroborate, recording merges, listing them and undoing them.

A merge keeps the stored event; the new report becomes one of its ``event_sources`` (with
``merge_id`` set) and the event it would have made is kept whole in ``event_merges``.
Later reports with that merged event's exact identity go to the kept event under the same
merge. ``unmerge`` puts the merged event back (its old ACLED number, else the next one),
moves every source the merge brought back to it, and recomputes outlets, fatalities and
confidence of both events from their sources.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from frontlines.errors import StoreError
from frontlines.model import Event
from frontlines.store import schema
from frontlines.store._numbers import acled_id, assign_numbers, stamp
from frontlines.store._rows import _event_row, _merge_fatalities, _merge_sources
from frontlines.store.merge import Match, Rules, Sighting, date_flags, match, sighting
from frontlines.store.spatial import radius_bbox, within_bbox

_LIST_FIX = "'frontlines merges --all' lists every merge with its id"


@dataclass(frozen=True, slots=True, kw_only=True)
class Merge:
    """One merge of a report's event into a stored event (a row of ``event_merges``)."""

    merge_id: int
    kept_event_id: str
    kept_event_id_cnty: str
    merged_event_id: str
    merged_event: Event
    why: str
    merged_at: dt.datetime
    undone_at: dt.datetime | None
    sources: int  # reports the merge brought to the kept event (0 once undone)

    def to_dict(self) -> dict[str, Any]:
        return {"merge_id": self.merge_id, "kept_event_id": self.kept_event_id,
                "kept_event_id_cnty": self.kept_event_id_cnty,
                "merged_event_id": self.merged_event_id,
                "merged_event": self.merged_event.to_dict(), "why": self.why,
                "merged_at": self.merged_at.isoformat(),
                "undone_at": self.undone_at.isoformat() if self.undone_at else None,
                "sources": self.sources}


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# -- at ingest ---------------------------------------------------------------------------------
_SIGHTING_COLUMNS = ("event_id", "article_id", "event_date", "event_type", "sub_event_type",
                     "actor1", "actor2", "inter1", "inter2", "latitude", "longitude",
                     "geo_precision", "geonameid", "location", "country")


class Corroborator:
    """Corroboration for one batch, inside its transaction.

    ``route(key)`` says where a report of an already merged event goes; ``find(...)`` the
    stored or in-batch event a new report corroborates; ``record(...)`` writes the merge.
    ``aggregates`` holds the source/confidence/fatalities of stored events it found, for
    the batch to update.
    """

    def __init__(self, conn: Connection, rules: Rules,
                 reports: Sequence[tuple[str, Event, dt.date | None]]) -> None:
        self.conn, self.rules = conn, rules
        ev, em, ar = schema.events.c, schema.event_merges.c, schema.articles.c
        keys = {key for key, _, _ in reports}
        self.routes: dict[str, tuple[str, int]] = {
            row.merged_event_id: (row.kept_event_id, row.merge_id)
            for row in conn.execute(sa.select(em.merged_event_id, em.kept_event_id,
                                              em.merge_id)
                                    .where(em.undone_at.is_(None),
                                           em.merged_event_id.in_(keys)))}
        reach = max(rules.max_days, rules.max_days_publication_dated)
        days = {event.event_date + dt.timedelta(days=d)
                for _, event, _ in reports for d in range(-reach, reach + 1)}
        types = {event.event_type for _, event, _ in reports}
        self.known: list[Sighting] = []
        self.aggregates: dict[str, dict[str, Any]] = {}
        if not days:
            return
        query = (sa.select(*(getattr(ev, c) for c in _SIGHTING_COLUMNS), ev.source,
                           ev.confidence, ev.fatalities, ev.sentence, ar.published_date)
                 .join(schema.articles, ar.id == ev.article_id)
                 .where(ev.event_date.in_(sorted(days)), ev.event_type.in_(sorted(types)),
                        _near_any([event for _, event, _ in reports], rules)))
        for row in conn.execute(query):
            data = {c: getattr(row, c) for c in _SIGHTING_COLUMNS}
            self.known.append(Sighting(**data, published=row.published_date,
                                       **date_flags(row.sentence, row.event_date,
                                                    row.published_date)))
            self.aggregates[row.event_id] = {"source": row.source, "confidence": row.confidence,
                                             "fatalities": row.fatalities, "changed": False}

    def aggregate(self, event_id: str) -> dict[str, Any]:
        """Outlets, confidence and fatalities of the stored event ``event_id``."""
        if event_id not in self.aggregates:
            ev = schema.events.c
            row = self.conn.execute(sa.select(ev.source, ev.confidence, ev.fatalities)
                                    .where(ev.event_id == event_id)).one()
            self.aggregates[event_id] = {"source": row.source, "confidence": row.confidence,
                                         "fatalities": row.fatalities, "changed": False}
        return self.aggregates[event_id]

    def route(self, key: str) -> tuple[str, int] | None:
        return self.routes.get(key)

    def add(self, key: str, event: Event, published: dt.date | None) -> None:
        """A new event of this batch: later reports of the batch may corroborate it."""
        self.known.append(sighting(event, key, published))

    def find(self, key: str, event: Event, published: dt.date | None,
             taken: Callable[[str], bool]) -> Match | None:
        """The event ``event`` corroborates; ``taken(event_id)`` excludes events that
        already hold this report's sentence."""
        new = sighting(event, key, published)
        return match(new, (k for k in self.known if not taken(k.event_id)), self.rules)

    def record(self, key: str, event: Event, found: Match, now: dt.datetime) -> int:
        row = {"kept_event_id": found.kept.event_id, "merged_event_id": key,
               "merged_event": {"event": event.to_dict(), "first_seen": now.isoformat(),
                                "number": None},
               "why": found.why, "merged_at": now}
        merge_id = self.conn.execute(schema.event_merges.insert(), row).inserted_primary_key[0]
        self.routes[key] = (found.kept.event_id, int(merge_id))
        return int(merge_id)


def _near_any(events: Sequence[Event], rules: Rules) -> sa.ColumnElement[bool]:
    """Stored events that may lie close enough to one of ``events``: the same GeoNames
    place, the box around one within the largest distance limit, or, without
    coordinates, the same location name (the exact tests are ``merge.places_agree``)."""
    ev = schema.events.c
    reach = max(rules.max_km_by_geo_precision.values())
    clauses: list[sa.ColumnElement[bool]] = []
    ids = {e.geonameid for e in events if e.geonameid is not None}
    if ids:
        clauses.append(ev.geonameid.in_(sorted(ids)))
    boxes = {radius_bbox(e.latitude, e.longitude, reach) for e in events
             if e.latitude is not None and e.longitude is not None}
    clauses.extend(within_bbox(box) for box in sorted(boxes))
    names = {e.location for e in events if e.location.strip()}
    if names:
        clauses.append(sa.and_(ev.latitude.is_(None), ev.location.in_(sorted(names))))
    unplaced = {e.location for e in events if e.location.strip() and e.latitude is None}
    if unplaced:
        clauses.append(ev.location.in_(sorted(unplaced)))
    return sa.or_(*clauses) if clauses else sa.false()


# -- reading -----------------------------------------------------------------------------------
def list_merges(conn: Connection, *, event_id: str | None = None,
                include_undone: bool = False) -> list[Merge]:
    em, ev, es = schema.event_merges.c, schema.events.c, schema.event_sources.c
    brought = (sa.select(es.merge_id, sa.func.count().label("n"))
               .where(es.merge_id.is_not(None)).group_by(es.merge_id).subquery())
    query = (sa.select(schema.event_merges, ev.event_id_cnty, brought.c.n)
             .outerjoin(schema.events, ev.event_id == em.kept_event_id)
             .outerjoin(brought, brought.c.merge_id == em.merge_id)
             .order_by(em.merge_id))
    if event_id is not None:
        query = query.where(sa.or_(em.kept_event_id == event_id,
                                   em.merged_event_id == event_id))
    if not include_undone:
        query = query.where(em.undone_at.is_(None))
    return [Merge(merge_id=r.merge_id, kept_event_id=r.kept_event_id,
                  kept_event_id_cnty=r.event_id_cnty or "", merged_event_id=r.merged_event_id,
                  merged_event=Event.from_dict(r.merged_event["event"]), why=r.why,
                  merged_at=_utc(r.merged_at), undone_at=_utc(r.undone_at),  # type: ignore[arg-type]
                  sources=r.n or 0)
            for r in conn.execute(query)]


# -- undo --------------------------------------------------------------------------------------
def refresh(conn: Connection, event_ids: Iterable[str], now: dt.datetime) -> None:
    """Recompute outlets, fatalities and confidence of events from their sources."""
    es, ar = schema.event_sources.c, schema.articles.c
    for event_id in event_ids:
        rows = conn.execute(sa.select(es.fatalities, es.confidence, ar.source)
                            .join(schema.articles, ar.id == es.article_id)
                            .where(es.event_id == event_id)
                            .order_by(ar.ingested_at, es.article_id, es.char_start)).all()
        if not rows:
            continue
        source, fatalities = "", 0
        for row in rows:
            source = _merge_sources(source, row.source or "")
            fatalities = _merge_fatalities(fatalities, row.fatalities)
        conn.execute(schema.events.update().where(schema.events.c.event_id == event_id)
                     .values(source=source, fatalities=fatalities,
                             confidence=max(row.confidence for row in rows), **stamp(now)))


def unmerge(conn: Connection, merge_id: int, now: dt.datetime, where: str) -> Merge:
    """Undo merge ``merge_id`` inside the caller's write transaction."""
    em, ev, es = schema.event_merges.c, schema.events.c, schema.event_sources.c
    row = conn.execute(sa.select(schema.event_merges).where(em.merge_id == merge_id)).first()
    if row is None:
        raise StoreError(f"there is no merge {merge_id}; {_LIST_FIX}", where=where)
    if row.undone_at is not None:
        raise StoreError(f"merge {merge_id} was already undone on "
                         f"{_utc(row.undone_at):%Y-%m-%d %H:%M} UTC; nothing to do",  # type: ignore[str-format]
                         where=where)
    if conn.scalar(sa.select(ev.event_id).where(ev.event_id == row.merged_event_id)):
        raise StoreError(f"merge {merge_id}: event {row.merged_event_id} is stored again "
                         f"already, so the merge cannot be undone; {_LIST_FIX}", where=where)
    saved = row.merged_event
    event = Event.from_dict(saved["event"])
    restored = _event_row(row.merged_event_id, event, now)
    restored["first_seen"] = dt.datetime.fromisoformat(saved["first_seen"])
    if saved.get("number"):
        restored["number"] = saved["number"]
        restored["event_id_cnty"] = acled_id(restored["iso3"], saved["number"])
    else:
        assign_numbers(conn, [restored])
    conn.execute(schema.events.insert(), [restored])
    conn.execute(schema.event_sources.update().where(es.merge_id == merge_id)
                 .values(event_id=row.merged_event_id, merge_id=None))
    refresh(conn, [row.kept_event_id, row.merged_event_id], now)
    conn.execute(schema.event_merges.update().where(em.merge_id == merge_id)
                 .values(undone_at=now))
    (done,) = [m for m in list_merges(conn, include_undone=True) if m.merge_id == merge_id]
    return done
