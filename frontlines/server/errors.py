"""The REST API's one error shape, and the handlers that give every 4xx/5xx that shape.

    {"error": {"code": "E700", "message": "...", "field": "bbox", "fix": "..."}}

``field`` names the parameter, header or body item at fault (null when none is). A
``FrontlinesError`` keeps its own code (E103 a bad record, E400 the store...); the API's own
codes are:

    code  status  meaning
    E700  422     a query or path parameter is invalid (type, range, unknown country/type)
    E701  400     the request itself is malformed (e.g. a bad Content-Length)
    E704  404     no such path, or no event with this id
    E705  405     the method is not allowed on this path
    E710  401     a write without an API key
    E711  403     a write with a key the server does not know
    E712  403     writes are disabled (no api_keys configured)
    E720  413     the body is larger than max_body_mb
    E721  413     more articles than max_batch_articles in one request
    E722  415     a body in a media type the endpoint does not read
    E723  422     a body with no usable article
    E724  409     a merge that is undone already, or cannot be undone
    E799  500     an internal error (a bug; logged with its traceback, never sent)

Tracebacks never reach the client.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from frontlines.errors import (
    ConfigError,
    FrontlinesError,
    GazetteerError,
    InputError,
    ModelNotInstalledError,
    StoreError,
)
from frontlines.store.query import QueryError

__all__ = ["ApiError", "error_body", "error_response", "install_handlers"]

_LOG = logging.getLogger("frontlines.server")


class ApiError(StarletteHTTPException):
    """An error the API answers on purpose, in the one shape."""

    def __init__(self, status: int, code: str, message: str, *, fix: str,
                 field: str | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code=status, detail=message, headers=headers)
        self.code = code
        self.message = message
        self.fix = fix
        self.field = field


def error_body(code: str, message: str, *, fix: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field, "fix": fix}}


def error_response(status: int, code: str, message: str, *, fix: str, field: str | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, fix=fix, field=field), status_code=status,
                        headers=headers)


# -- request validation (FastAPI/pydantic) -------------------------------------------------
_FIXES = {
    "date": "give an ISO date such as 2017-08-19",
    "int": "give a whole number",
    "float": "give a decimal number",
    "missing": "add the parameter",
    "literal": "use one of the values listed in the message",
    "string_too_long": "shorten it",
    "string_too_short": "give at least one character",
}


def _validation_fix(kind: str) -> str:
    for key, fix in _FIXES.items():
        if kind.startswith(key) or key in kind:
            return fix
    return "see /docs for the parameter's type and range"


def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    loc = [str(part) for part in first.get("loc", ())]
    field = loc[-1] if len(loc) > 1 and loc[0] in ("query", "path", "header") else \
        ".".join(loc) or None
    value = first.get("input")
    shown = "" if value is None or isinstance(value, dict | list) else f"{str(value)[:80]!r}: "
    message = f"{shown}{first.get('msg', 'invalid value')}"
    return error_response(422, "E700", message, field=field,
                          fix=_validation_fix(str(first.get("type", ""))))


def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status_code, exc.code, exc.message, fix=exc.fix, field=exc.field,
                          headers=exc.headers)


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return error_response(404, "E704", f"no such path: {request.url.path}",
                              fix="see /docs for the paths this server answers")
    if exc.status_code == 405:
        return error_response(405, "E705", f"{request.method} is not allowed on "
                              f"{request.url.path}", fix="see /docs for the methods of each path",
                              headers=exc.headers)
    code = "E799" if exc.status_code >= 500 else "E701"
    return error_response(exc.status_code, code, str(exc.detail),
                          fix="see /docs for how to call this path", headers=exc.headers)


def _query_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, QueryError)
    return error_response(422, exc.code, exc.message, fix=exc.fix, field=exc.field)


def _frontlines_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, FrontlinesError)
    if isinstance(exc, InputError):
        return error_response(422, exc.code, str(exc), field=exc.where,
                              fix="correct the input as the message says and send it again")
    if isinstance(exc, StoreError | GazetteerError | ModelNotInstalledError):
        _LOG.error("service unavailable: %s", exc)
        return error_response(503, exc.code, str(exc),
                              fix="the server's data is unavailable; an operator should act as "
                                  "the message says, then try again")
    _LOG.error("error %s: %s", exc.code, exc)
    fix = ("the server is misconfigured; an operator should fix the setting named"
           if isinstance(exc, ConfigError) else "please report this with the request")
    return error_response(500, exc.code, str(exc), fix=fix)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    _LOG.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "E799", f"internal error ({type(exc).__name__}) while answering "
                          f"{request.method} {request.url.path}",
                          fix="this is a bug: please report it with the request; the server log "
                              "has the details")


def install_handlers(app: FastAPI) -> None:
    """Give every error the one shape."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(QueryError, _query_error)
    app.add_exception_handler(FrontlinesError, _frontlines_error)
    app.add_exception_handler(Exception, _unexpected)
