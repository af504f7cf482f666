"""The FastAPI app: ``create_app(settings, initial=..., sides=...)``.

    from frontlines.server.app import create_app
    app = create_app(Settings(db="sqlite:///events.db"),
                     initial="examples/.maps/lebanon-syria-border-2017-07.csv")
    # uvicorn.run(app)  — or: frontlines serve --db sqlite:///events.db

Paths (OpenAPI at /docs and /openapi.json): GET /health, /events, /events/{event_id},
/dates, /control, /control/changes, /alerts, /places/search, /merges; POST /articles and
POST /merges/{merge_id}/undo (API key).
The map (``frontlines.web.routes``) is served by the same app at ``/``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from frontlines import __version__
from frontlines.server.errors import install_handlers
from frontlines.server.limits import BodyLimit
from frontlines.server.routes import articles, control, events, health, merges, places
from frontlines.server.schemas import ArticleIn
from frontlines.server.state import ServerState
from frontlines.settings import Settings
from frontlines.web.routes import router as web_router

__all__ = ["create_app"]

_DESCRIPTION = """Conflict events (ACLED's codebook), places (GeoNames), territorial control
and civilian exposure from the Frontlines store. Every error has one shape:
`{"error": {"code", "message", "field", "fix"}}`. Writes (`POST /articles`,
`POST /merges/{merge_id}/undo`) need an API key (`X-API-Key` or `Authorization: Bearer`)."""


def create_app(settings: Settings | None = None, *, initial: str | Path | None = None,
               sides: str | Path | None = None, state: ServerState | None = None) -> FastAPI:
    """The API (and the map) over ``settings.db``.

    ``initial`` and ``sides`` are the control map's initial marks and sides table, as
    ``frontlines control --initial/--sides``. Opening the store, the key list and those
    files happens here, so a bad setting stops the server before it listens. ``state``
    injects a prepared ``ServerState`` (tests hand in one with a shared pipeline).
    """
    settings = settings or Settings()
    state = state or ServerState(settings, initial=initial, sides=sides)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()

    app = FastAPI(title="Frontlines", version=__version__, description=_DESCRIPTION,
                  lifespan=lifespan)
    app.state.frontlines = state
    install_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=int(settings.max_body_mb) * 2**20)
    for module in (health, events, control, places, articles, merges):
        app.include_router(module.router)
    _document_body(app)
    app.include_router(web_router)  # the map: /, /static, /tiles, outlines
    return app


def _document_body(app: FastAPI) -> None:
    """Add ``ArticleIn`` (the POST /articles body, read by the ingest parsers rather than
    by FastAPI) to the OpenAPI components."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = plain()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components["ArticleIn"] = ArticleIn.model_json_schema(
                ref_template="#/components/schemas/{model}")
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]
