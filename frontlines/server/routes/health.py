"""``GET /health``: is the store reachable, and how much does it hold."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from frontlines import __version__
from frontlines.server.routes import errors, get_state
from frontlines.server.schemas import Health
from frontlines.server.state import ServerState

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, responses=errors(503))
def health(state: ServerState = Depends(get_state)) -> dict[str, Any]:
    """Server version, stored events and articles, database dialect."""
    counts = state.store.counts()
    return {"status": "ok", "version": __version__, "events": counts["events"],
            "articles": counts["articles"], "db": state.store.engine.dialect.name}
