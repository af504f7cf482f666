"""Corroboration across reports: is a new report the same real event as a stored one?

Two reports with the same ``event_key`` are one event already. Reports that differ in
wording (one outlet's "clashes near Qaa", another's "the army retook hills east of Qaa";
"gunmen" against "Islamic State fighters"; the town against its district) are matched
here, by rules whose knowledge lives in ``frontlines/data/store/corroboration.yaml``:

- **sub-event**: the same; or the same event type with one of them the type's generic
  sub-event (``generic_sub_event``);
- **actors**: each side the same, or unnamed in one report, or the same actor without its
  period suffix, or a generalisation that covers the other (``Unidentified Armed Group
  (Syria)`` covers any non-state armed group); an Armed clash's sides in either order;
- **place**: the same GeoNames place, or within ``max_km_by_geo_precision`` of the larger
  geo_precision (10 km for towns, 25 km for regions); without coordinates only the same
  named location in the same country;
- **date**: at most ``max_days`` apart, ``max_days_publication_dated`` when one report's
  date is its article's publication date and its sentence names no day (dated only by
  publication); the same day when both sentences name their day
  (``same_day_when_both_dated_in_text``: "on Saturday" and "on Sunday" are two events);
  never a report whose sentence names a day after the other report's article came out;
- never two different places named by one article: the text itself tells them apart.

``match(new, known, rules)`` is pure: it takes ``Sighting`` records and returns the best
stored one (same place first, then nearest in time and space) with the reasons, or None.
The store (``_merging.py``) turns a match into a merge it can undo.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from frontlines.errors import ConfigError
from frontlines.geo import haversine_km
from frontlines.model import Event

__all__ = ["Match", "Rules", "Sighting", "date_flags", "load_rules", "match", "sighting"]

DATA = "data/store/corroboration.yaml"


@dataclass(frozen=True, slots=True)
class Generalisation:
    general: re.Pattern[str]
    covers_inter: frozenset[int]
    why: str


@dataclass(frozen=True, slots=True)
class Rules:
    """The corroboration rules (see the module docstring and the data file)."""

    generic_sub_event: dict[str, str]
    period_suffix: re.Pattern[str]
    generalisations: tuple[Generalisation, ...]
    max_km_by_geo_precision: dict[int, float]
    max_days: int
    max_days_publication_dated: int
    same_day_when_both_dated_in_text: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Sighting:
    """What corroboration compares of one event (stored or new)."""

    event_id: str
    article_id: str
    event_date: dt.date
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str
    inter1: int
    inter2: int
    latitude: float | None
    longitude: float | None
    geo_precision: int
    geonameid: int | None
    location: str
    country: str
    published: dt.date | None = None  # its article's publication day
    dated_in_text: bool = False  # its sentence names the event's day (or a span holding it)
    publication_dated: bool = False  # its day is its article's publication day, unnamed


@dataclass(frozen=True, slots=True)
class Match:
    kept: Sighting
    why: str
    km: float
    days: int


def date_flags(sentence: str, day: dt.date, published: dt.date | None) -> dict[str, bool]:
    """``dated_in_text`` and ``publication_dated`` of an event on ``day`` told by
    ``sentence`` in an article published on ``published``."""
    named, dated_by_publication = _date_flags(sentence, day, published)
    return {"dated_in_text": named, "publication_dated": dated_by_publication}


@lru_cache(maxsize=16384)  # a batch re-reads the stored events of its days
def _date_flags(sentence: str, day: dt.date, published: dt.date | None) -> tuple[bool, bool]:
    from frontlines.events.dates import find_dates  # the events stage's date reader

    named = any(m.first <= day <= m.last for m in find_dates(sentence, published)
                if not m.background)
    return named, not named and published is not None and day == published


def sighting(event: Event, event_id: str, published: dt.date | None) -> Sighting:
    """The ``Sighting`` of ``event``; ``published`` is its article's publication day."""
    return Sighting(event_id=event_id, article_id=event.article_id,
                    event_date=event.event_date, event_type=event.event_type,
                    sub_event_type=event.sub_event_type, actor1=event.actor1,
                    actor2=event.actor2, inter1=event.inter1, inter2=event.inter2,
                    latitude=event.latitude, longitude=event.longitude,
                    geo_precision=event.geo_precision, geonameid=event.geonameid,
                    location=event.location, country=event.country, published=published,
                    **date_flags(event.sentence, event.event_date, published))


# -- rules -------------------------------------------------------------------------------------
def _compile(where: str, key: str, pattern: Any) -> re.Pattern[str]:
    try:
        return re.compile(str(pattern))
    except re.error as exc:
        raise ConfigError(f"{key}: {pattern!r} is not a regular expression ({exc}); fix the "
                          f"pattern", where=where) from None


def load_rules(path: str | Path | None = None) -> Rules:
    """The rules from ``path`` (default: the packaged corroboration.yaml)."""
    if path is None:
        return _packaged()
    return _parse(Path(path).read_text(encoding="utf-8"), str(path))


@cache
def _packaged() -> Rules:
    text = resources.files("frontlines").joinpath(DATA).read_text(encoding="utf-8")
    return _parse(text, f"frontlines/{DATA}")


def _parse(text: str, where: str) -> Rules:
    data = yaml.safe_load(text) or {}
    expected = ("generic_sub_event", "period_suffix", "generalisations",
                "max_km_by_geo_precision", "max_days", "max_days_publication_dated",
                "same_day_when_both_dated_in_text")
    missing = [key for key in expected if key not in data]
    if missing:
        raise ConfigError(f"missing key(s) {', '.join(missing)}; every one of "
                          f"{', '.join(expected)} is needed (see the packaged {DATA})",
                          where=where)
    try:
        general = tuple(
            Generalisation(general=_compile(where, "generalisations", g["general"]),
                           covers_inter=frozenset(int(i) for i in g["covers_inter"]),
                           why=str(g.get("why", "")))
            for g in data["generalisations"])
        km = {int(k): float(v) for k, v in data["max_km_by_geo_precision"].items()}
        days, days_pub = int(data["max_days"]), int(data["max_days_publication_dated"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"malformed rules ({type(exc).__name__}: {exc}); follow the layout "
                          f"of the packaged {DATA}", where=where) from None
    return Rules(generic_sub_event={str(k): str(v)
                                    for k, v in data["generic_sub_event"].items()},
                 period_suffix=_compile(where, "period_suffix", data["period_suffix"]),
                 generalisations=general, max_km_by_geo_precision=km, max_days=days,
                 max_days_publication_dated=days_pub,
                 same_day_when_both_dated_in_text=bool(data["same_day_when_both_dated_in_text"]))


# -- the tests ---------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def sub_events_agree(a: Sighting, b: Sighting, rules: Rules) -> str | None:
    if _norm(a.sub_event_type) == _norm(b.sub_event_type):
        return f"same sub-event ({a.sub_event_type})"
    if a.event_type != b.event_type:
        return None
    generic = rules.generic_sub_event.get(a.event_type)
    if generic and generic in (a.sub_event_type, b.sub_event_type):
        return (f"{a.sub_event_type} and {b.sub_event_type} agree ({generic} is the generic "
                f"{a.event_type} sub-event)")
    return None


def actor_agrees(a: str, inter_a: int, b: str, inter_b: int, rules: Rules) -> str | None:
    """Why actor ``a`` may be actor ``b`` told differently, or None."""
    if _norm(a) == _norm(b):
        return "same" if a.strip() else "both unnamed"
    if not a.strip() or not b.strip():
        return f"{(a or b)!r} unnamed in one report"
    if _norm(rules.period_suffix.sub("", a)) == _norm(rules.period_suffix.sub("", b)):
        return f"{a!r} and {b!r} differ only by period"
    for general, name, inter in ((a, b, inter_b), (b, a, inter_a)):
        for rule in rules.generalisations:
            if rule.general.match(general) and inter in rule.covers_inter:
                return f"{general!r} covers {name!r} ({rule.why})"
    return None


def actors_agree(a: Sighting, b: Sighting, rules: Rules) -> str | None:
    orders = [(b.actor1, b.inter1, b.actor2, b.inter2)]
    if _norm(a.sub_event_type) == "armed clash" or _norm(b.sub_event_type) == "armed clash":
        orders.append((b.actor2, b.inter2, b.actor1, b.inter1))
    for b1, i1, b2, i2 in orders:
        first = actor_agrees(a.actor1, a.inter1, b1, i1, rules)
        second = actor_agrees(a.actor2, a.inter2, b2, i2, rules) if first else None
        if first and second:
            return f"actor1 {first}; actor2 {second}"
    return None


def places_agree(a: Sighting, b: Sighting, rules: Rules) -> tuple[str, float] | None:
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return f"same place ({a.location or a.geonameid})", 0.0
    if a.article_id == b.article_id:
        return None  # one text naming two places means two events
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        if a.location.strip() and _norm(a.location) == _norm(b.location) and \
                _norm(a.country) == _norm(b.country):
            return f"same named location ({a.location}, {a.country})", 0.0
        return None
    precision = max(a.geo_precision, b.geo_precision)
    limit = rules.max_km_by_geo_precision.get(precision,
                                              max(rules.max_km_by_geo_precision.values()))
    km = haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]
    if km > limit:
        return None
    return (f"{a.location or 'a place'} and {b.location or 'a place'} {km:.1f} km apart "
            f"(limit {limit:g} km at geo_precision {precision})"), km


def dates_agree(a: Sighting, b: Sighting, rules: Rules) -> tuple[str, int] | None:
    days = abs((a.event_date - b.event_date).days)
    if days and rules.same_day_when_both_dated_in_text and a.dated_in_text and \
            b.dated_in_text:
        return None  # each report names its day, and they name different days
    for x, y in ((a, b), (b, a)):
        if x.dated_in_text and y.published is not None and x.event_date > y.published:
            return None  # y's article was out before x's named day: y told of another event
    loose = a.publication_dated or b.publication_dated
    limit = rules.max_days_publication_dated if loose else rules.max_days
    if days > limit:
        return None
    if days == 0:
        return "same day", 0
    note = ", one report dated only by publication" if loose else ""
    return f"{days} day(s) apart (limit {limit}{note})", days


def agree(new: Sighting, known: Sighting, rules: Rules) -> Match | None:
    """The match of ``new`` with ``known`` and why, or None when one test fails."""
    if new.event_id == known.event_id:
        return None
    dates = dates_agree(new, known, rules)
    sub = dates and sub_events_agree(new, known, rules)
    place = sub and places_agree(new, known, rules)
    actors = place and actors_agree(new, known, rules)
    if not (dates and sub and place and actors):
        return None
    why = "; ".join((sub, actors, place[0], dates[0]))
    return Match(kept=known, why=why, km=place[1], days=dates[1])


def match(new: Sighting, known: Iterable[Sighting], rules: Rules | None = None) -> Match | None:
    """The stored sighting ``new`` corroborates best, or None.

    Best = the same GeoNames place first, then fewest days apart, then nearest, then the
    smallest event id (so the choice does not depend on the order of ``known``).
    """
    rules = rules or load_rules()
    found = [m for m in (agree(new, k, rules) for k in known) if m is not None]
    if not found:
        return None
    return min(found, key=lambda m: (not (new.geonameid is not None
                                          and m.kept.geonameid == new.geonameid),
                                     m.days, m.km, m.kept.event_id))
