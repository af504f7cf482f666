"""read_articles on http:// URLs, against a real HTTP server on 127.0.0.1 in a thread."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from frontlines.errors import FetchError
from frontlines.ingest import IngestReport, read_articles

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

PLAIN = ("Army reports clashes near Arsal\nPublished: 2017-07-22\n\n"
         "The Lebanese Army said militants tried to approach Arsal from the hills to the east.")

ROUTES: dict[str, tuple[int, str, bytes]] = {
    "/2017/08/21/qaa": (200, "text/html; charset=utf-8",
                        (FIXTURES / "pages" / "qaa_army_advance.html").read_bytes()),
    "/feeds/border.rss": (200, "application/rss+xml",
                          (FIXTURES / "feeds" / "border.rss").read_bytes()),
    "/feeds/qalamoun": (200, "application/xml", (FIXTURES / "feeds" / "border.atom").read_bytes()),
    "/export": (200, "text/plain", (FIXTURES / "articles.jsonl").read_bytes()),
    "/plain": (200, "text/plain; charset=utf-8", PLAIN.encode()),
    "/latin1": (200, "text/plain; charset=iso-8859-1",
                "Réfugiés\n\nDes réfugiés sont rentrés à Ersal.".encode("latin-1")),
    "/empty": (200, "text/html", b""),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/2017/08/21/qaa")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(1.5)
        status, content_type, body = ROUTES.get(self.path, (404, "text/plain", b"not found"))
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first (the timeout test)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client() as c:
        yield c


def read(*urls, **options):
    report = IngestReport()
    return list(read_articles(list(urls), report=report, **options)), report


def test_html_page(server, client):
    (page,), report = read(f"{server}/2017/08/21/qaa", client=client)
    assert page.title == "Lebanese Army tightens grip on Qaa and Ras Baalbek outskirts"
    assert page.published == dt.date(2017, 8, 21)
    assert page.origin == f"{server}/2017/08/21/qaa"
    assert page.url == "https://border-monitor.example/2017/08/21/army-qaa-outskirts"  # canonical
    assert "cookie" not in page.text and page.text.startswith("The Lebanese Army said on Monday")
    assert report.ok and report.sources == 1


def test_redirect_is_followed(server, client):
    (page,), _ = read(f"{server}/moved", client=client)
    assert page.title.startswith("Lebanese Army tightens grip")


def test_rss_feed_by_content_type_and_atom_by_sniffing(server, client):
    articles, report = read(f"{server}/feeds/border.rss", f"{server}/feeds/qalamoun",
                            client=client)
    assert [a.origin for a in articles] == [
        f"{server}/feeds/border.rss#1", f"{server}/feeds/border.rss#2",
        f"{server}/feeds/qalamoun#1", f"{server}/feeds/qalamoun#2"]
    assert articles[2].title == "Evacuation deal reached for Islamic State fighters"
    (problem,) = report.problems  # the headline-only RSS item
    assert str(problem).startswith(f"{server}/feeds/border.rss item 3:")


def test_jsonl_and_text_sniffed_from_text_plain(server, client):
    articles, report = read(f"{server}/export", f"{server}/plain", client=client)
    assert [a.origin for a in articles][:2] == [f"{server}/export:1", f"{server}/export:2"]
    assert len(articles) == 6 and len(report.problems) == 1
    plain = articles[-1]
    assert plain.title == "Army reports clashes near Arsal"
    assert plain.published == dt.date(2017, 7, 22)
    assert plain.url == f"{server}/plain"  # the address it came from, as it has no URL: line


def test_declared_charset_is_honoured(server, client):
    (article,), _ = read(f"{server}/latin1", client=client)
    assert article.text == "Des réfugiés sont rentrés à Ersal."


def test_404_is_a_fetch_error_and_the_batch_goes_on(server, client):
    articles, report = read(f"{server}/no/such/page", f"{server}/plain", client=client)
    assert len(articles) == 1
    (problem,) = report.problems
    assert isinstance(problem, FetchError)
    assert str(problem).startswith(
        f"{server}/no/such/page: the server answered HTTP 404 Not Found; check the URL")
    with pytest.raises(FetchError):
        read(f"{server}/no/such/page", client=client, strict=True)


def test_empty_page(server, client):
    _, report = read(f"{server}/empty", client=client)
    assert "the page is empty" in str(report.problems[0])


def test_own_client_uses_the_fetch_timeout_setting(server, monkeypatch):
    monkeypatch.setenv("FRONTLINES_FETCH_TIMEOUT", "0.3")
    articles, report = read(f"{server}/slow", f"{server}/plain")
    assert len(articles) == 1
    (problem,) = report.problems
    assert isinstance(problem, FetchError)
    assert str(problem) == (f"{server}/slow: no answer within 0.3 s; try again later or raise "
                            "the fetch_timeout setting (FRONTLINES_FETCH_TIMEOUT)")


def test_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _, report = read(f"http://127.0.0.1:{port}/report")
    (problem,) = report.problems
    assert isinstance(problem, FetchError)
    assert "could not be fetched (ConnectError" in str(problem)
