"""A small news site on 127.0.0.1 for the watcher's tests: feeds, article pages, failures.

``Site()`` serves ``feeds`` (path -> RSS bytes) and ``pages`` (path -> HTML) from a thread;
it answers ``If-None-Match`` with 304 when the feed's ETag matches, counts every request
per path, keeps the request headers, and can be told to fail a path (``broken``) or to be
slow on pages (``page_delay``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections import Counter
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def page_html(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{title}</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright the site. All rights reserved.</footer></body></html>")


def rss(base: str, items: list[tuple[str, str, dt.date]], *, title: str = "Test wire") -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{path}</link>"
        f"<pubDate>{format_datetime(dt.datetime(d.year, d.month, d.day, 8, tzinfo=dt.UTC))}"
        f"</pubDate><guid>{base}{path}</guid></item>" for path, t, d in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{base}/</link><description>news</description>{entries}</channel></rss>"
            ).encode("utf-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        return None  # a client that went away (the killed watcher) is expected here


class Site:
    def __init__(self) -> None:
        self.feeds: dict[str, bytes] = {}
        self.pages: dict[str, str] = {}
        self.broken: set[str] = set()
        self.page_delay = 0.0
        self.hits: Counter[str] = Counter()
        self.headers: dict[str, list[dict[str, str]]] = {}
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return None

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                path = self.path
                with site._lock:
                    site.hits[path] += 1
                    site.headers.setdefault(path, []).append(dict(self.headers))
                if path in site.broken:
                    self.send_response(503)
                    self.end_headers()
                    return
                if path in site.feeds:
                    data = site.feeds[path]
                    etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
                    if self.headers.get("If-None-Match") == etag:
                        self.send_response(304)
                        self.end_headers()
                        return
                    self._send(data, "application/rss+xml", etag=etag)
                elif path in site.pages:
                    if site.page_delay:
                        time.sleep(site.page_delay)
                    self._send(site.pages[path].encode("utf-8"), "text/html; charset=utf-8")
                else:
                    self.send_response(404)
                    self.end_headers()

            def _send(self, data: bytes, kind: str, etag: str | None = None) -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(data)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
