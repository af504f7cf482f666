"""Filtered, paginated reads of stored events, for the REST API (and anyone else).

    flt = EventFilter(since=date(2017, 8, 1), bbox=(35.5, 33.5, 37.0, 34.8), actor="army")
    page = query_events(store, flt, limit=100)           # EventPage
    for item in page.items: item.event_id, item.event, item.sources
    more = query_events(store, flt, limit=100, cursor=page.next_cursor)

Pages are keyset pages ordered by (event_date, event_id): the cursor is an opaque base64 of
the last row's key, so a page never repeats or skips a row even while new events arrive.
Every filter value is checked before any SQL runs; a bad one is a ``QueryError`` that names
the parameter, the problem and the fix (with suggestions for unknown countries and types).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from frontlines.errors import FrontlinesError, StoreError
from frontlines.events.codebook import load_codebook
from frontlines.model import Event
from frontlines.store import schema
from frontlines.store._rows import _event
from frontlines.store.spatial import BBox, within_bbox

__all__ = ["CERTAINTIES", "Country", "Cursor", "EventFilter", "EventPage", "PageItem",
           "QueryError", "event_days", "events_of_articles", "parse_bbox", "query_events",
           "resolve_country", "resolve_type"]

CERTAINTIES: tuple[str, ...] = ("asserted", "reported", "claimed", "possible")


class QueryError(FrontlinesError):
    """A query parameter is invalid. ``field`` names it; ``fix`` says what would work."""

    code = "E700"

    def __init__(self, message: str, *, field: str, fix: str,
                 suggestions: Sequence[str] = ()) -> None:
        self.field = field
        self.fix = fix
        self.suggestions = tuple(suggestions)
        super().__init__(f"{message}; {fix}", where=field)
        self.message = message


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    numeric: int
    name: str


def resolve_country(text: str, *, field: str = "country") -> Country:
    """A country by name, alias, ISO2 or ISO3 code (the codebook's table, which is where
    stored events get their country from); ``QueryError`` with the nearest names if none."""
    found = load_codebook().country(text)
    if found is not None:
        return Country(found.iso2, found.iso3, found.numeric, found.name)
    names = sorted({c.name for c in load_codebook().countries})
    near = _nearest(text, names)
    hint = f" — did you mean {', '.join(near)}?" if near else ""
    raise QueryError(f"{text!r} is not a country Frontlines knows{hint}", field=field,
                     fix="give a country name (Lebanon), an ISO 3166-1 alpha-2 (LB) or "
                         "alpha-3 code (LBN)", suggestions=near)


def resolve_type(text: str, *, field: str) -> str:
    """An ACLED event type (``field='event_type'``) or sub-event type, as the codebook spells
    it (case and spacing aside); ``QueryError`` listing the valid ones otherwise."""
    book = load_codebook()
    valid = sorted(book.event_types if field == "event_type" else book.sub_event_types)
    folded = " ".join(text.split()).casefold()
    for name in valid:
        if name.casefold() == folded:
            return name
    near = _nearest(text, valid)
    hint = f" — did you mean {', '.join(near)}?" if near else ""
    what = "event type" if field == "event_type" else "sub-event type"
    raise QueryError(f"{text!r} is not an ACLED {what}{hint}", field=field,
                     fix=f"use one of: {', '.join(valid)}", suggestions=near)


def _nearest(text: str, options: Sequence[str], limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process

    return [name for name, score, _ in process.extract(
        text, options, scorer=fuzz.WRatio, limit=limit, processor=str.casefold) if score >= 60]


def parse_bbox(text: str, *, field: str = "bbox") -> BBox:
    """``west,south,east,north`` in degrees (RFC 7946 order); west > east crosses the
    antimeridian."""
    fix = "give west,south,east,north in decimal degrees, e.g. 35.5,33.5,37.0,34.8"
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 4:
        raise QueryError(f"{text!r} has {len(parts)} number(s), not 4", field=field, fix=fix)
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise QueryError(f"{text!r} holds something that is not a number", field=field,
                         fix=fix) from None
    for name, value, bound in (("west", west, 180), ("east", east, 180),
                               ("south", south, 90), ("north", north, 90)):
        if not -bound <= value <= bound:  # also refuses NaN
            raise QueryError(f"{name} edge {value!r} is outside ±{bound}", field=field, fix=fix)
    if south > north:
        raise QueryError(f"south edge {south} is north of the north edge {north}",
                         field=field, fix=fix + " (are south and north swapped?)")
    return west, south, east, north


@dataclass(frozen=True, slots=True, kw_only=True)
class EventFilter:
    """What to keep; every field is optional and they combine with AND."""

    since: dt.date | None = None  # inclusive
    until: dt.date | None = None  # inclusive
    bbox: BBox | None = None
    country: str | None = None  # name, ISO2 or ISO3
    admin1: str | None = None  # exact, case-insensitive
    actor: str | None = None  # substring of actor1 or actor2, case-insensitive
    event_type: str | None = None
    sub_event_type: str | None = None
    min_fatalities: int | None = None
    certainty: str | None = None
    text: str | None = None  # substring of notes, sentence, location or actors
    located: bool = False  # only events with coordinates

    def checked(self) -> EventFilter:
        """This filter with names normalised; ``QueryError`` for any invalid value."""
        if self.since and self.until and self.since > self.until:
            raise QueryError(f"'from' ({self.since}) is after 'to' ({self.until})",
                             field="from", fix="give a 'from' date on or before 'to'")
        if self.min_fatalities is not None and self.min_fatalities < 0:
            raise QueryError(f"{self.min_fatalities} is negative", field="min_fatalities",
                             fix="give 0 or more")
        certainty = self.certainty.strip().lower() if self.certainty else None
        if certainty and certainty not in CERTAINTIES:
            raise QueryError(f"{self.certainty!r} is not a certainty", field="certainty",
                             fix=f"use one of: {', '.join(CERTAINTIES)}")
        country = self.country.strip() if self.country else None
        if country:
            resolve_country(country)
        return EventFilter(
            since=self.since, until=self.until, bbox=self.bbox, country=country,
            admin1=_blank(self.admin1), actor=_blank(self.actor),
            event_type=resolve_type(self.event_type, field="event_type")
            if _blank(self.event_type) else None,
            sub_event_type=resolve_type(self.sub_event_type, field="sub_event_type")
            if _blank(self.sub_event_type) else None,
            min_fatalities=self.min_fatalities, certainty=certainty, text=_blank(self.text),
            located=self.located)

    def clauses(self, *, dialect: str) -> list[sa.ColumnElement[bool]]:
        """The WHERE clauses of a checked filter."""
        ev = schema.events.c
        out: list[sa.ColumnElement[bool]] = []
        if self.since is not None:
            out.append(ev.event_date >= self.since)
        if self.until is not None:
            out.append(ev.event_date <= self.until)
        if self.bbox is not None:
            out.append(within_bbox(self.bbox, dialect=dialect))
        if self.country:
            country = resolve_country(self.country)
            out.append(sa.or_(ev.iso3 == country.iso3,
                              sa.func.lower(ev.country) == country.name.casefold()))
        if self.admin1:
            out.append(sa.func.lower(ev.admin1) == self.admin1.casefold())
        if self.actor:
            out.append(sa.or_(_contains(ev.actor1, self.actor), _contains(ev.actor2, self.actor)))
        if self.event_type:
            out.append(ev.event_type == self.event_type)
        if self.sub_event_type:
            out.append(ev.sub_event_type == self.sub_event_type)
        if self.min_fatalities is not None:
            out.append(ev.fatalities >= self.min_fatalities)
        if self.certainty:
            out.append(ev.certainty == self.certainty)
        if self.text:
            out.append(sa.or_(*(_contains(column, self.text) for column in (
                ev.notes, ev.sentence, ev.location, ev.actor1, ev.actor2))))
        if self.located:
            out.extend((ev.latitude.is_not(None), ev.longitude.is_not(None)))
        return out


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _contains(column: Any, needle: str) -> sa.ColumnElement[bool]:
    """Case-insensitive substring test, the same on SQLite and PostgreSQL (LIKE on lower())."""
    escaped = needle.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.func.lower(column).like(f"%{escaped}%", escape="\\")


# -- cursors ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Cursor:
    """The key of the last row of a page: (event_date, event_id)."""

    event_date: dt.date
    event_id: str

    def encode(self) -> str:
        raw = json.dumps([self.event_date.isoformat(), self.event_id], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, *, field: str = "cursor") -> Cursor:
        fix = "pass the next_cursor of the previous page unchanged, or leave cursor out"
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            day, event_id = json.loads(raw)
            if not isinstance(event_id, str) or not isinstance(day, str):
                raise ValueError(day)
            return cls(dt.date.fromisoformat(day), event_id)
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
            raise QueryError(f"{text[:60]!r} is not a cursor this server made", field=field,
                             fix=fix) from None


# -- pages --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PageItem:
    event_id: str
    event: Event
    sources: int  # independent sources (distinct outlets) reporting it


@dataclass(frozen=True, slots=True)
class EventPage:
    items: list[PageItem]
    next_cursor: str | None


def query_events(store: Any, flt: EventFilter, *, limit: int = 500,
                 cursor: str | None = None) -> EventPage:
    """One page of events matching ``flt`` (checked first), oldest first.

    ``store`` is a ``frontlines.store.Store``; ``cursor`` is a previous page's
    ``next_cursor``. ``next_cursor`` is None on the last page.
    """
    if limit < 1:
        raise QueryError(f"limit {limit} is below 1", field="limit", fix="give 1 or more")
    flt = flt.checked()
    ev = schema.events.c
    query = sa.select(schema.events).where(*flt.clauses(dialect=_spatial(store)))
    if cursor:
        after = Cursor.decode(cursor)
        query = query.where(sa.or_(ev.event_date > after.event_date,
                                   sa.and_(ev.event_date == after.event_date,
                                           ev.event_id > after.event_id)))
    query = query.order_by(ev.event_date, ev.event_id).limit(limit + 1)
    rows = _fetch(store, query)
    more = len(rows) > limit
    rows = rows[:limit]
    counts = store.source_counts([r.event_id for r in rows]) if rows else {}
    items = [PageItem(r.event_id, _event(r), counts.get(r.event_id, 0)) for r in rows]
    last = rows[-1] if rows else None
    next_cursor = Cursor(last.event_date, last.event_id).encode() if more and last else None
    return EventPage(items, next_cursor)


def events_of_articles(store: Any, article_ids: Sequence[str]) -> list[PageItem]:
    """Every stored event that one of ``article_ids`` reports, by (event_date, event_id)."""
    if not article_ids:
        return []
    ev, es = schema.events.c, schema.event_sources.c
    ids = sa.select(es.event_id).where(es.article_id.in_(list(article_ids)))
    query = (sa.select(schema.events).where(ev.event_id.in_(ids))
             .order_by(ev.event_date, ev.event_id))
    rows = _fetch(store, query)
    counts = store.source_counts([r.event_id for r in rows]) if rows else {}
    return [PageItem(r.event_id, _event(r), counts.get(r.event_id, 0)) for r in rows]


def event_days(store: Any, flt: EventFilter | None = None) -> list[tuple[dt.date, int]]:
    """(day, number of events) for every day that has events matching ``flt``, in order."""
    ev = schema.events.c
    clauses = flt.checked().clauses(dialect=_spatial(store)) if flt else []
    query = (sa.select(ev.event_date, sa.func.count()).where(*clauses)
             .group_by(ev.event_date).order_by(ev.event_date))
    return [(row[0], int(row[1])) for row in _fetch(store, query)]


def _spatial(store: Any) -> str:
    """What ``spatial.within_bbox`` must be told: ``Store.spatial`` says whether PostGIS is
    there (``postgresql+postgis``); else the engine's dialect."""
    return getattr(store, "spatial", None) or store.engine.dialect.name


def _fetch(store: Any, query: sa.Select[Any]) -> list[Any]:
    try:
        with store.engine.connect() as conn:
            return list(conn.execute(query).all())
    except DBAPIError as exc:
        detail = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
        raise StoreError(f"cannot read the database ({detail}); check that it is reachable "
                         "and is a Frontlines store", where=getattr(store, "url", None)) from None
