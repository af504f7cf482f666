"""``GET /events`` (filters, keyset pages, JSON / GeoJSON / CSV), ``GET /events/{event_id}``
(every report and the reasons behind the fields) and ``GET /dates`` (days with events)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from frontlines.server.errors import ApiError
from frontlines.server.routes import check_day, check_text, errors, get_state
from frontlines.server.schemas import DatesOut, EventDetail, EventsPage, FeatureCollection
from frontlines.server.serialize import event_csv, event_json, feature_collection, report_json
from frontlines.server.state import ServerState
from frontlines.store.query import (
    CERTAINTIES,
    EventFilter,
    PageItem,
    event_days,
    parse_bbox,
    query_events,
)

router = APIRouter(tags=["events"])

Format = Literal["json", "geojson", "csv"]
_MEDIA = {"json": "application/json", "geojson": "application/geo+json", "csv": "text/csv"}
_TEXT = {"max_length": 200}

_EVENTS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "One page of events, oldest first (event_date, then event_id).",
          "content": {
              "application/json": {"schema": {"$ref": "#/components/schemas/EventsPage"}},
              "application/geo+json": {
                  "schema": {"$ref": "#/components/schemas/FeatureCollection"}},
              "text/csv": {"schema": {"type": "string"}}}},
    **errors(422, 503),
}


def _format(fmt: str | None, accept: str) -> str:
    """``format`` if given, else the Accept header's most preferred type we write (by
    q-value, then order), else JSON."""
    if fmt:
        return fmt
    ranked = []
    for index, part in enumerate(accept.lower().split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, index, media))
    by_media = {media: name for name, media in _MEDIA.items()}
    for negative_q, _, media in sorted(ranked):
        if negative_q < 0 and media in by_media:
            return by_media[media]
    return "json"


@router.get("/events", response_model=EventsPage, responses=_EVENTS_RESPONSES)
def list_events(
    request: Request,
    state: ServerState = Depends(get_state),
    since: dt.date | None = Query(None, alias="from", description="First day (YYYY-MM-DD)."),
    until: dt.date | None = Query(None, alias="to", description="Last day (YYYY-MM-DD)."),
    bbox: str | None = Query(None, max_length=100,
                             description="west,south,east,north in degrees (RFC 7946 order)."),
    country: str | None = Query(None, description="Name, ISO2 or ISO3 code.", **_TEXT),
    admin1: str | None = Query(None, description="First-level division (exact).", **_TEXT),
    actor: str | None = Query(None, description="Substring of actor1 or actor2.", **_TEXT),
    event_type: str | None = Query(None, description="ACLED event type.", **_TEXT),
    sub_event_type: str | None = Query(None, description="ACLED sub-event type.", **_TEXT),
    min_fatalities: int | None = Query(None, ge=0, le=1_000_000),
    certainty: Literal[CERTAINTIES] | None = Query(None),  # type: ignore[valid-type]
    q: str | None = Query(None, description="Text in notes, sentence, location or actors.",
                          **_TEXT),
    limit: int = Query(500, ge=1, le=5000),
    cursor: str | None = Query(None, max_length=400, description="next_cursor of the page "
                                                                 "before."),
    fmt: Format | None = Query(None, alias="format", description="Overrides the Accept "
                                                                 "header."),
) -> Response:
    """Stored events matching every filter given, one page at a time."""
    for name, value in (("country", country), ("admin1", admin1), ("actor", actor),
                        ("event_type", event_type), ("sub_event_type", sub_event_type),
                        ("q", q), ("cursor", cursor), ("bbox", bbox)):
        check_text(value, name)
    chosen = _format(fmt, request.headers.get("accept", ""))
    flt = EventFilter(since=check_day(since, "from"), until=check_day(until, "to"),
                      bbox=parse_bbox(bbox) if bbox else None, country=country, admin1=admin1,
                      actor=actor, event_type=event_type, sub_event_type=sub_event_type,
                      min_fatalities=min_fatalities, certainty=certainty, text=q,
                      located=chosen == "geojson")
    page = query_events(state.store, flt, limit=limit, cursor=cursor)
    headers = {}
    if page.next_cursor:
        url = request.url.include_query_params(cursor=page.next_cursor)
        headers["Link"] = f'<{url}>; rel="next"'
    if chosen == "csv":
        return Response(event_csv(page.items), media_type="text/csv; charset=utf-8",
                        headers=headers)
    if chosen == "geojson":
        body = json.dumps(feature_collection(page.items, page.next_cursor), ensure_ascii=False)
        return Response(body, media_type=_MEDIA["geojson"], headers=headers)
    return JSONResponse({"events": [event_json(i) for i in page.items],
                         "next_cursor": page.next_cursor}, headers=headers)


@router.get("/events/{event_id}", response_model=EventDetail, responses=errors(404, 422, 503))
def get_event(event_id: str = Path(..., max_length=64),
              state: ServerState = Depends(get_state)) -> JSONResponse:
    """One event, every report of it (outlet, sentence, trigger, certainty) and why."""
    check_text(event_id, "event_id")
    store = state.store
    event = store.event(event_id)
    if event is None:
        raise ApiError(404, "E704", f"no event with id {event_id!r}", field="event_id",
                       fix="take an event_id from GET /events")
    reports = store.event_sources(event_id)
    item = PageItem(event_id, event, store.source_counts([event_id]).get(event_id, 0))
    body = event_json(item)
    body["reports"] = [report_json(r) for r in reports]
    merges = store.merges(event_id=event_id)
    why = _why(state, item, reports)
    brought = [f"{m.merged_event_id} (merge {m.merge_id}): {m.why}" for m in merges
               if m.kept_event_id == event_id]
    if brought:
        why["merged"] = "; ".join(brought)
    body["why"] = why
    body["merges"] = [m.to_dict() for m in merges]
    return JSONResponse(body)


def _why(state: ServerState, item: PageItem, reports: list[Any]) -> dict[str, str]:
    """The reasons the pipeline recorded: the place's resolution, the trigger and wording,
    how reports were merged."""
    event, why = item.event, {}
    toponyms = state.store.toponyms(event.article_id) if event.article_id else []
    if event.geonameid is not None:
        same = [t for t in toponyms if t.place and t.place.geonameid == event.geonameid]
    else:  # unresolved: the mention named like the location
        same = [t for t in toponyms if t.text.casefold() == event.location.casefold()]
    inside = [t for t in same if event.char_start <= t.start < event.char_end]
    chosen = (inside or same or [None])[0]
    if chosen is not None and chosen.reason:
        why["location"] = f"{chosen.text!r} -> {event.location or 'no place'}: {chosen.reason}"
    if event.trigger:
        why["sub_event_type"] = (f"trigger {event.trigger!r} in the sentence: "
                                 f"{event.sentence}")
    if event.claim_source or event.certainty != "asserted":
        claimed = f" (claimed by {event.claim_source})" if event.claim_source else ""
        why["certainty"] = f"the wording is {event.certainty}{claimed}"
    if len(reports) > 1:
        why["fatalities"] = (f"{event.fatalities} stored; the {len(reports)} reports give "
                             + ", ".join(str(r.fatalities) for r in reports))
        outlets = sorted({r.source or r.article_id for r in reports})
        why["sources"] = f"{item.sources} independent source(s): {', '.join(outlets)}"
    return why


@router.get("/dates", response_model=DatesOut, responses=errors(503))
def dates(state: ServerState = Depends(get_state)) -> dict[str, Any]:
    """Every day with events and how many (for the map's time slider)."""
    days = event_days(state.store)
    return {"first": days[0][0] if days else None, "last": days[-1][0] if days else None,
            "days": [{"date": day, "events": n} for day, n in days]}


__all__ = ["FeatureCollection", "router"]
