"""``GET /control``, ``GET /control/changes`` and ``GET /alerts``: the GeoJSON that
``frontlines control`` / ``frontlines alerts --format geojson`` write, for the server's
store, initial map and sides table. Results are cached until the store changes."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from frontlines.server.routes import check_day, errors, get_state
from frontlines.server.schemas import FeatureCollection
from frontlines.server.state import ServerState
from frontlines.store.query import QueryError

router = APIRouter(tags=["control"])

_GEOJSON = "application/geo+json"
_RESPONSES = {200: {"content": {_GEOJSON: {
    "schema": {"$ref": "#/components/schemas/FeatureCollection"}}}}, **errors(422, 503)}


def _geojson(text: str) -> Response:
    return Response(text, media_type=_GEOJSON)


@router.get("/control", response_model=FeatureCollection, responses=_RESPONSES)
def control(at: dt.date = Query(..., description="The map at the end of this day."),
            state: ServerState = Depends(get_state)) -> Response:
    """Points with their holder, areas per side and front lines at the end of day ``at``."""
    from frontlines.control import control_snapshot

    day = check_day(at, "at")

    def compute() -> str:
        return control_snapshot(state.store, at=day, gazetteer=state.gazetteer,
                                initial=state.initial, sides=state.sides).to_geojson()

    return _geojson(state.cached(("control", day), compute))


@router.get("/control/changes", response_model=FeatureCollection, responses=_RESPONSES)
def control_changes(start: dt.date = Query(..., alias="from", description="First day."),
                    end: dt.date = Query(..., alias="to", description="Last day."),
                    state: ServerState = Depends(get_state)) -> Response:
    """Places that changed hands and km² gained or lost per side between the two days."""
    from frontlines.control import control_changes as changes

    first, last = check_day(start, "from"), check_day(end, "to")
    if first > last:
        raise QueryError(f"'from' ({first}) is after 'to' ({last})", field="from",
                         fix="give a 'from' date on or before 'to'")

    def compute() -> str:
        return changes(state.store, start=first, end=last, gazetteer=state.gazetteer,
                       initial=state.initial, sides=state.sides).to_geojson()

    return _geojson(state.cached(("changes", first, last), compute))


@router.get("/alerts", response_model=FeatureCollection, responses=_RESPONSES)
def alerts(at: dt.date = Query(..., description="Alerts in force at the end of this day."),
           state: ServerState = Depends(get_state)) -> Response:
    """Towns within range of hostile positions and of recent violence (civilian exposure)."""
    from frontlines.control import exposure_alerts

    day = check_day(at, "at")

    def compute() -> str:
        return exposure_alerts(state.store, state.gazetteer, at=day, initial=state.initial,
                               sides=state.sides).to_geojson()

    return _geojson(state.cached(("alerts", day), compute))
