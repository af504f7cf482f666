"""``GET /places/search``: the gazetteer's look-up (exact, name key, fuzzy)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from frontlines.server.routes import check_text, errors, get_state
from frontlines.server.schemas import PlacesOut
from frontlines.server.state import ServerState
from frontlines.store.query import resolve_country

router = APIRouter(tags=["places"])


@router.get("/places/search", response_model=PlacesOut, responses=errors(422, 503))
def search_places(q: str = Query(..., min_length=1, max_length=200, description="A name."),
                  country: str | None = Query(None, max_length=100,
                                              description="Name, ISO2 or ISO3 code."),
                  limit: int = Query(10, ge=1, le=100),
                  state: ServerState = Depends(get_state)) -> dict[str, Any]:
    """Places whose name matches ``q``, best first (transliterations and typos included)."""
    check_text(q, "q")
    check_text(country, "country")
    countries = [resolve_country(country).iso2] if country and country.strip() else None
    found = state.gazetteer.lookup(q, countries=countries, limit=limit)
    return {"places": [{
        "geonameid": c.place.geonameid, "name": c.place.name,
        "country_code": c.place.country_code, "feature_code": c.place.feature_code,
        "admin1": c.place.admin1, "latitude": c.place.latitude, "longitude": c.place.longitude,
        "population": c.place.population, "match": c.match,
        "similarity": round(float(c.similarity), 4)} for c in found]}
