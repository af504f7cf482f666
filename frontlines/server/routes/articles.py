"""``POST /articles``: one article or a batch, as JSON (or JSON Lines); needs an API key."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from frontlines.server.auth import api_key_header, bearer, require_key
from frontlines.server.routes import check_day, errors, get_state
from frontlines.server.schemas import ArticlesPosted
from frontlines.server.state import ServerState
from frontlines.server.writes import ingest_posted, parse_body

router = APIRouter(tags=["articles"])

_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"oneOf": [
        {"$ref": "#/components/schemas/ArticleIn"},
        {"type": "array", "items": {"$ref": "#/components/schemas/ArticleIn"}}]}},
    "application/x-ndjson": {"schema": {"type": "string"}}}}}


@router.post("/articles", response_model=ArticlesPosted, status_code=201,
             openapi_extra=_BODY,
             responses={200: {"model": ArticlesPosted,
                              "description": "Nothing new: every article was stored before."},
                        **errors(401, 403, 413, 415, 422, 503)},
             dependencies=[Depends(api_key_header), Depends(bearer), Depends(require_key)])
async def post_articles(
    request: Request,
    published: dt.date | None = Query(None, description="Publication date for articles "
                                                        "that carry none (YYYY-MM-DD)."),
    state: ServerState = Depends(get_state),
) -> JSONResponse:
    """Read, analyse and store articles (the JSON Lines record format, one object or a list);
    answer with the events they report. Posting an article again is a no-op."""
    day = check_day(published, "published")
    body = await request.body()  # the body limit applies while it streams in
    posted = parse_body(body, request.headers.get("content-type", "application/json"),
                        settings=state.settings, published=day)
    result: dict[str, Any] = await run_in_threadpool(ingest_posted, state, posted)
    return JSONResponse(result, status_code=201 if result["stored"] else 200)
