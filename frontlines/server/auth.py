"""API keys for writes: plain keys from the ``api_keys`` setting (which also holds the keys
of ``api_keys_file``) are hashed (SHA-256) when the server starts and only the digests are
kept; ``sha256:<hex>`` entries are digests already (so the key itself need never be written
in a config file). A presented key
(``X-API-Key: KEY`` or ``Authorization: Bearer KEY``) is hashed and compared with every
digest in constant time (``hmac.compare_digest``)."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

from fastapi import Request
from fastapi.security import APIKeyHeader, HTTPBearer

from frontlines.errors import ConfigError
from frontlines.server.errors import ApiError

__all__ = ["KeyRing", "api_key_header", "bearer", "digest", "require_key"]

_HEX = re.compile(r"^[0-9a-fA-F]{64}$")

# Declared for the OpenAPI document (security schemes); the check itself is ``require_key``.
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="An API key from the server's api_keys setting.")
bearer = HTTPBearer(auto_error=False, description="The same API key as a bearer token.")


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


class KeyRing:
    """The SHA-256 digests of the keys that may write."""

    def __init__(self, digests: Iterable[bytes] = ()) -> None:
        self._digests = tuple(digests)

    @classmethod
    def from_setting(cls, raw: str | None) -> KeyRing:
        """``"key1,key2,sha256:<64 hex>"`` -> a ring; ``ConfigError`` for a bad digest."""
        digests = []
        for entry in (e.strip() for e in (raw or "").split(",")):
            if not entry:
                continue
            if entry.lower().startswith("sha256:"):
                hexdigest = entry.split(":", 1)[1]
                if not _HEX.match(hexdigest):
                    raise ConfigError(
                        "api_keys: an entry starting 'sha256:' must be followed by 64 hex "
                        "digits (the SHA-256 of the key, e.g. from 'printf %s KEY | "
                        "sha256sum'); fix FRONTLINES_API_KEYS")
                digests.append(bytes.fromhex(hexdigest))
            else:
                digests.append(digest(entry))
        return cls(digests)

    def __len__(self) -> int:
        return len(self._digests)

    def accepts(self, key: str) -> bool:
        presented = digest(key)
        ok = False
        for known in self._digests:  # every digest is compared: no early exit
            ok |= hmac.compare_digest(known, presented)
        return ok


def presented_key(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if key:
        return key.strip()
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def require_key(request: Request) -> None:
    """Refuse the request unless it carries a key on the server's ring (401/403)."""
    ring: KeyRing = request.app.state.frontlines.keys
    key = presented_key(request)
    if not len(ring):
        raise ApiError(403, "E712", "this server is read-only: no API keys are configured",
                       field="X-API-Key",
                       fix="restart the server with keys: FRONTLINES_API_KEYS, or api_keys_file "
                           "(one key or sha256:<hex> digest per line) in frontlines.toml")
    if key is None:
        raise ApiError(401, "E710", "writing needs an API key and none was sent",
                       field="X-API-Key",
                       fix="send the key in an 'X-API-Key: KEY' or 'Authorization: Bearer KEY' "
                           "header", headers={"WWW-Authenticate": "Bearer"})
    if not ring.accepts(key):
        raise ApiError(403, "E711", "the API key is not one this server accepts",
                       field="X-API-Key", fix="check the key with the server's operator")
