"""Typed records that flow between the stages of Frontlines.

ingest -> ``Article``; geoparse -> ``Toponym`` (with a resolved ``Place``);
events -> ``Event`` (with ``Actor`` values flattened into ACLED's columns).

Every record is a frozen dataclass with ``to_dict``/``from_dict`` that round-trip
losslessly through JSON: dates become ISO 8601 strings, nested records become
objects, and ``from_dict(to_dict(x)) == x`` holds for every record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import types
import typing
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

__all__ = [
    "ACLED_COLUMNS",
    "PROVENANCE_COLUMNS",
    "Actor",
    "Analysis",
    "Article",
    "Event",
    "Place",
    "Toponym",
    "content_id",
]

T = TypeVar("T", bound="_Record")


def content_id(*parts: str, length: int = 16) -> str:
    """A stable content hash of ``parts`` (hex, ``length`` characters)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def _encode(value: Any) -> Any:
    if isinstance(value, _Record):
        return value.to_dict()
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def _decode(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        # datetime before date: a datetime string also parses as neither otherwise.
        for arg in sorted(args, key=lambda a: a is not dt.datetime):
            try:
                return _decode(arg, value)
            except (TypeError, ValueError):
                continue
        raise ValueError(f"cannot decode {value!r} as {tp}")
    if origin is tuple:
        (inner, *_rest) = typing.get_args(tp)
        return tuple(_decode(inner, v) for v in value)
    if isinstance(tp, type) and issubclass(tp, _Record):
        return tp.from_dict(value)
    if tp is dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        if "T" not in str(value) and " " not in str(value):
            raise ValueError(f"{value!r} is a date, not a datetime")
        return dt.datetime.fromisoformat(value)
    if tp is dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        return dt.date.fromisoformat(value)
    if tp is float and isinstance(value, int):
        return float(value)
    if tp in (int, float, str, bool) and not isinstance(value, tp):
        raise TypeError(f"expected {tp.__name__}, got {value!r}")
    return value


class _Record:
    """Mixin: lossless dict/JSON round-trip for frozen dataclasses."""

    __slots__ = ()
    __dataclass_fields__: ClassVar[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _encode(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        hints = typing.get_type_hints(cls)
        known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown field(s) {sorted(unknown)}")
        kwargs = {name: _decode(hints[name], value) for name, value in data.items()}
        return cls(**kwargs)

    def replace(self: T, **changes: Any) -> T:
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]


@dataclass(frozen=True, slots=True, kw_only=True)
class Article(_Record):
    """One report. ``id`` is the given id, else a content hash (see ``Article.make``)."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: dt.datetime | dt.date | None = None
    source: str | None = None
    origin: str | None = None  # where it was read from, e.g. "feed.jsonl:14"

    @classmethod
    def make(
        cls,
        *,
        text: str,
        title: str | None = None,
        url: str | None = None,
        published: dt.datetime | dt.date | None = None,
        source: str | None = None,
        id: str | None = None,
        origin: str | None = None,
    ) -> Article:
        """Build an article, deriving a stable id from its content when none is given."""
        if not id:
            id = content_id(title or "", text, url or "", str(published or ""))
        return cls(id=id, text=text, title=title, url=url, published=published,
                   source=source, origin=origin)

    @property
    def published_date(self) -> dt.date | None:
        if isinstance(self.published, dt.datetime):
            return self.published.date()
        return self.published

    @property
    def full_text(self) -> str:
        """Title and body as the NLP stages see them; offsets refer to this string."""
        return f"{self.title}\n\n{self.text}" if self.title else self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class Place(_Record):
    """A gazetteer entry (GeoNames semantics). admin1/admin2 are names, codes kept aside."""

    geonameid: int
    name: str
    country_code: str
    latitude: float
    longitude: float
    feature_class: str = ""
    feature_code: str = ""
    admin1: str | None = None
    admin2: str | None = None
    admin1_code: str | None = None
    admin2_code: str | None = None
    population: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Toponym(_Record):
    """A place mention: character span in ``Article.full_text`` and its resolution.

    ``reason`` always says why ``place`` is what it is (e.g. "exact name, country focus LB"
    or "no candidate in gazetteer"). ``geo_precision`` follows ACLED (1 place itself,
    2 near/part of a named place, 3 region).
    """

    text: str
    start: int
    end: int
    place: Place | None = None
    reason: str = ""
    score: float = 0.0
    geo_precision: int | None = None
    recognizer: str = ""  # "ner", "gazetteer", "head-word", "list", ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Actor(_Record):
    """An actor as ACLED names it. ``inter`` is ACLED's actor type code 1-8."""

    name: str
    inter: int
    country: str | None = None  # ISO 3166-1 alpha-2 of the actor's home, when known
    text: str | None = None  # the surface form in the article


@dataclass(frozen=True, slots=True, kw_only=True)
class Event(_Record):
    """An event with every column of ACLED's export, plus provenance.

    Provenance: ``article_id``, ``sentence`` and its ``char_start``/``char_end`` in the
    article's ``full_text``, the ``trigger`` word, ``confidence`` (0-1), who claims it
    (``claim_source``) and how certain the wording is (``certainty``: "asserted",
    "reported", "claimed", "possible").
    """

    event_id_cnty: str
    event_date: dt.date
    event_type: str
    sub_event_type: str
    actor1: str
    year: int = 0
    time_precision: int = 1
    disorder_type: str = ""
    assoc_actor_1: str = ""
    inter1: int = 0
    actor2: str = ""
    assoc_actor_2: str = ""
    inter2: int = 0
    interaction: int = 0
    civilian_targeting: str = ""
    iso: int = 0
    iso3: str = ""
    region: str = ""
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int = 3
    source: str = ""
    source_scale: str = ""
    notes: str = ""
    fatalities: int = 0
    tags: str = ""
    timestamp: int = 0
    # provenance
    article_id: str = ""
    sentence: str = ""
    char_start: int = 0
    char_end: int = 0
    trigger: str = ""
    confidence: float = 0.0
    claim_source: str = ""
    certainty: str = "asserted"
    geonameid: int | None = None
    actors: tuple[Actor, ...] = field(default=())


# ACLED's export columns, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
    "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
    "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)

# Columns Frontlines adds after ACLED's.
PROVENANCE_COLUMNS: tuple[str, ...] = (
    "iso3", "article_id", "sentence", "char_start", "char_end", "trigger", "confidence",
    "claim_source", "certainty", "geonameid",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis(_Record):
    """What the pipeline makes of one article: its toponyms and events."""

    article: Article
    toponyms: tuple[Toponym, ...] = ()
    events: tuple[Event, ...] = ()
