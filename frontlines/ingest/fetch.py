"""Fetching one URL for the readers: the injected ``httpx.Client`` or one of our own, a size
cap, and every failure as a ``FetchError`` naming the URL and the fix."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from frontlines.errors import FetchError

__all__ = ["MAX_FETCH_BYTES", "Fetcher", "Page"]

MAX_FETCH_BYTES = 32 * 1024 * 1024  # one article or feed; anything larger is not one


@dataclass(frozen=True, slots=True)
class Page:
    content: bytes
    url: str
    content_type: str | None
    charset: str | None


class Fetcher:
    """Fetches URLs with the injected client, or one it opens on first use and closes."""

    def __init__(self, client: httpx.Client | None) -> None:
        self._client = client
        self._own: httpx.Client | None = None
        self._timeout: float | None = None

    def get(self, url: str) -> Page:
        client, timeout = self._ready()
        try:
            with client.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
                if response.status_code >= 400:
                    raise FetchError(
                        f"the server answered HTTP {response.status_code} "
                        f"{response.reason_phrase}; check the URL, or save the page and pass "
                        "the file instead", where=url)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_FETCH_BYTES:
                        raise FetchError(
                            f"the response is larger than {MAX_FETCH_BYTES // 2**20} MiB, too "
                            "large for one article or feed; check the URL", where=url)
                    chunks.append(chunk)
                return Page(b"".join(chunks), str(response.url),
                             response.headers.get("content-type"), response.charset_encoding)
        except httpx.TimeoutException:
            raise FetchError(
                f"no answer within {timeout:g} s; try again later or raise the fetch_timeout "
                "setting (FRONTLINES_FETCH_TIMEOUT)", where=url) from None
        except httpx.HTTPError as exc:
            raise FetchError(
                f"could not be fetched ({type(exc).__name__}: {exc}); check the URL and the "
                "network connection", where=url) from None

    def close(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own = None

    def _ready(self) -> tuple[httpx.Client, float]:
        if self._timeout is None:
            from frontlines import __version__
            from frontlines.settings import Settings

            self._timeout = float(Settings().fetch_timeout)
            if self._client is None:
                self._own = httpx.Client(
                    headers={"User-Agent": f"frontlines/{__version__}"}, timeout=self._timeout)
        client = self._client if self._client is not None else self._own
        assert client is not None
        return client, self._timeout
