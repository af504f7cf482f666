"""Response and request models: they document the API (OpenAPI at /openapi.json) and are
what the schemathesis suite checks every response against. Handlers build plain dicts of
the same shape (no per-row validation cost)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from frontlines.model import Event

__all__ = ["ArticleIn", "ArticlesPosted", "DatesOut", "ErrorBody", "EventDetail", "EventOut",
           "EventsPage", "FeatureCollection", "Health", "MergeOut", "MergeUndone", "MergesOut",
           "PlacesOut", "Problem"]


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable error code, e.g. E700.")
    message: str = Field(description="What is wrong, naming the input.")
    field: str | None = Field(description="The parameter, header or body item at fault.")
    fix: str = Field(description="What to do about it.")


class ErrorBody(BaseModel):
    error: ErrorDetail


class ActorOut(BaseModel):
    name: str
    inter: int
    country: str | None
    text: str | None


def _event_fields() -> dict[str, Any]:
    hints = typing.get_type_hints(Event)
    fields: dict[str, Any] = {"event_id": (str, Field(description="The stored event's id."))}
    for f in dataclasses.fields(Event):
        hint = list[ActorOut] if f.name == "actors" else hints[f.name]
        fields[f.name] = (hint, ...)
    fields["sources"] = (int, Field(description="Independent sources (distinct outlets) "
                                                "reporting the event."))
    return fields


EventOut = create_model("EventOut", __doc__="An event: ACLED's columns, then provenance.",
                        **_event_fields())


class EventsPage(BaseModel):
    events: list[EventOut]  # type: ignore[valid-type]
    next_cursor: str | None = Field(description="Pass as 'cursor' for the next page; null on "
                                                "the last page.")


class ReportOut(BaseModel):
    article_id: str
    source: str | None
    url: str | None
    published: dt.date | None
    sentence: str
    trigger: str
    char_start: int
    char_end: int
    claim_source: str
    certainty: str
    confidence: float
    fatalities: int


EventDetail = create_model(
    "EventDetail", __base__=None, __doc__="An event with every report of it and the reasons "
    "the pipeline recorded for its fields.",
    **_event_fields(), reports=(list[ReportOut], ...), why=(dict[str, str], ...),
    merges=(list["MergeOut"], Field(description="Merges into or out of this event.")))


class FeatureCollection(BaseModel):
    """An RFC 7946 FeatureCollection."""

    model_config = ConfigDict(extra="allow")
    type: Literal["FeatureCollection"]
    features: list[dict[str, Any]]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    events: int
    articles: int
    db: str = Field(description="The database dialect: sqlite or postgresql.")


class PlaceOut(BaseModel):
    geonameid: int
    name: str
    country_code: str
    feature_code: str
    admin1: str | None
    latitude: float
    longitude: float
    population: int
    match: str = Field(description="exact, key or fuzzy")
    similarity: float


class PlacesOut(BaseModel):
    places: list[PlaceOut]


class DayOut(BaseModel):
    date: dt.date
    events: int


class DatesOut(BaseModel):
    first: dt.date | None
    last: dt.date | None
    days: list[DayOut]


class ArticleIn(BaseModel):
    """One article, as one line of a JSON Lines input (other fields are ignored)."""

    model_config = ConfigDict(extra="allow")
    text: str = Field(description="The report's text (required).")
    id: str | int | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = Field(None, description="ISO date or date-time, e.g. 2017-08-19")
    source: str | None = None


class Problem(BaseModel):
    where: str | None
    code: str
    message: str


class ArticlesPosted(BaseModel):
    articles: int = Field(description="Usable articles in the request.")
    stored: int = Field(description="Articles stored now (new to the store).")
    already_stored: int = Field(description="Articles the store held already (not read again).")
    skipped: list[Problem]
    warnings: list[str]
    events: list[EventOut] = Field(description="Every stored event the posted articles "  # type: ignore[valid-type]
                                               "report (new ones and ones already known).")


class MergeOut(BaseModel):
    """A merge made by corroboration: the report's event folded into a stored one."""

    merge_id: int
    kept_event_id: str
    kept_event_id_cnty: str
    merged_event_id: str
    merged_event: dict[str, Any] = Field(description="The merged event as it was stored.")
    why: str = Field(description="The corroboration rules that matched.")
    merged_at: str
    undone_at: str | None
    sources: int = Field(description="Reports the merge brought to the kept event.")


class MergesOut(BaseModel):
    merges: list[MergeOut]


class MergeUndone(BaseModel):
    merge: MergeOut
