"""The request body limit (``max_body_mb``): checked on Content-Length before anything is
read, and again on the bytes actually received (a chunked or lying client), so an
oversized body gets 413 in the one error shape and nothing of it is used."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from frontlines.server.errors import ApiError, error_response

__all__ = ["BodyLimit", "BodyTooLarge"]


class BodyTooLarge(ApiError):
    def __init__(self, limit: int, seen: int | None = None) -> None:
        size = f"{seen / 2**20:.1f} MiB" if seen is not None else "over the limit"
        super().__init__(413, "E720", f"the request body is {size}, more than max_body_mb "
                         f"({limit // 2**20} MiB)", field="body",
                         fix="send fewer or shorter articles per request, or ask the operator "
                             "to raise FRONTLINES_MAX_BODY_MB")
        self.limit = limit


class BodyLimit:
    """Pure ASGI middleware: 413 for a body over ``max_bytes``."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await error_response(400, "E701", f"Content-Length {declared[:40]!r} is not a "
                                     "number", field="Content-Length",
                                     fix="send a valid Content-Length, or none")(scope, receive,
                                                                                 send)
                return
            if int(declared) > self.max_bytes:
                await self._refuse(BodyTooLarge(self.max_bytes, int(declared)), scope, receive,
                                   send)
                return
        received = 0
        started = False

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes, received)
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except BodyTooLarge as exc:
            if started:
                raise
            await self._refuse(exc, scope, receive, send)

    @staticmethod
    async def _refuse(exc: BodyTooLarge, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(413, exc.code, exc.message, fix=exc.fix, field=exc.field,
                                  headers={"Connection": "close"})
        await response(scope, receive, send)
