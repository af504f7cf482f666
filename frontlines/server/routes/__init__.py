"""One module per resource: health, events (and /dates), control (and /alerts), places,
articles. Each exposes ``router``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request

from frontlines.server.schemas import ErrorBody
from frontlines.server.state import ServerState
from frontlines.store.query import QueryError

_MEANING = {
    400: "Malformed request", 401: "No API key", 403: "API key refused, or writes disabled",
    404: "Not found", 409: "Conflict with what is stored", 413: "Body or batch too large",
    415: "Unsupported body media type",
    422: "Invalid parameter or body", 500: "Internal error (a bug)",
    503: "Database, gazetteer or model unavailable",
}
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries in the one error shape."""
    return {status: {"model": ErrorBody, "description": _MEANING[status]}
            for status in (*statuses, 500)}


def get_state(request: Request) -> ServerState:
    return request.app.state.frontlines


def check_day(value: dt.date | None, field: str) -> dt.date | None:
    """A date within the years the data can hold (1900-2100)."""
    if value is not None and not EARLIEST <= value <= LATEST:
        raise QueryError(f"{value.isoformat()} is outside {EARLIEST.year}-{LATEST.year}",
                         field=field, fix="give a date such as 2017-08-19")
    return value


def check_text(value: str | None, field: str) -> str | None:
    """Text parameters: no NUL characters (no database stores them)."""
    if value is not None and "\x00" in value:
        raise QueryError("holds a NUL character", field=field, fix="remove it")
    return value
