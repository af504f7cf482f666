"""Writes through the REST API: API keys (401/403, hashed at start), the body and batch
limits (413, checked on Content-Length and while streaming), bodies the readers refuse (415,
422), and — with the real pipeline — ``POST /articles`` giving the same events as
``Frontlines().ingest``, re-posting being a no-op. Nothing is stored from a refused request
(row counts are checked before and after). SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
from pathlib import Path

import pytest
from pg import pg_database, pg_url  # noqa: F401

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "server"))
from support import KEY, REPO, counts, make_client, slice_gazetteer  # noqa: E402

from frontlines.errors import ConfigError  # noqa: E402
from frontlines.server.auth import KeyRing  # noqa: E402

ERROR_KEYS = {"code", "message", "field", "fix"}
EXAMPLES = REPO / "examples"
ARTICLE = {"id": "auth-test-1", "title": "Army shells militant positions near Ras Baalbek",
           "text": "The Lebanese army shelled Islamic State positions in the hills east of "
                   "Ras Baalbek on Saturday, a security source said.",
           "published": "2017-08-19", "source": "Test Wire"}


def _error(response, status, code=None):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]


# -- keys, without a server ----------------------------------------------------------------
def test_key_ring_keeps_only_digests_and_accepts_hashed_entries():
    third = hashlib.sha256(b"third-key").hexdigest()
    ring = KeyRing.from_setting(f" first-key, second-key ,sha256:{third.upper()},, ")
    assert len(ring) == 3
    for key in ("first-key", "second-key", "third-key"):
        assert ring.accepts(key)
    for key in ("", "First-key", "first-key ", "sha256:" + third, third):
        assert not ring.accepts(key)
    kept = pickle.dumps(ring)
    assert b"first-key" not in kept and b"second-key" not in kept


@pytest.mark.parametrize("entry", ["sha256:abc", "sha256:" + "g" * 64, "sha256:"])
def test_a_malformed_digest_stops_the_server(entry, tmp_path):
    from frontlines.server.app import create_app
    from frontlines.settings import Settings

    with pytest.raises(ConfigError, match="64 hex"):
        create_app(Settings(db=f"sqlite:///{tmp_path / 'x.db'}", api_keys=entry))


def test_an_empty_ring_accepts_nothing():
    assert not KeyRing.from_setting("").accepts("")


# -- refused writes, on both databases -----------------------------------------------------
@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                               marks=pytest.mark.postgres)])
def db_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('auth') / 'auth.db'}"
    return pg_database(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory):
    return slice_gazetteer(tmp_path_factory.mktemp("gaz") / "slice.sqlite")


@pytest.fixture(scope="module")
def client(db_url, gazetteer):
    with make_client(db_url, gazetteer, max_batch_articles=3) as test_client:
        yield test_client


@pytest.fixture
def unchanged(client, db_url):
    """Asserts, after the test, that nothing was stored and no pipeline was built."""
    before = counts(db_url)
    yield
    assert counts(db_url) == before
    assert client.app.state.frontlines._pipeline is None


def test_a_write_without_a_key_is_401(client, unchanged):
    error = _error(client.post("/articles", json=ARTICLE), 401, "E710")
    assert error["field"] == "X-API-Key" and "X-API-Key" in error["fix"]
    response = client.post("/articles", json=ARTICLE, headers={"Authorization": "Basic x"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("headers", [{"X-API-Key": "wrong"},
                                     {"Authorization": "Bearer wrong"},
                                     {"X-API-Key": KEY + " extra"}])
def test_a_wrong_key_is_403(client, unchanged, headers):
    _error(client.post("/articles", json=ARTICLE, headers=headers), 403, "E711")


def test_a_read_only_server_refuses_every_write(db_url, gazetteer):
    before = counts(db_url)
    with make_client(db_url, gazetteer, api_keys="") as read_only:
        error = _error(read_only.post("/articles", json=ARTICLE, headers={"X-API-Key": KEY}),
                       403, "E712")
        assert "FRONTLINES_API_KEYS" in error["fix"]
    assert counts(db_url) == before


def _twenty_mb() -> bytes:
    text = "The army shelled the hills east of Ras Baalbek. " * 420_000
    return json.dumps([{"text": text, "title": "big"}]).encode()


def test_a_20_mb_body_is_413_by_content_length(client, unchanged):
    body = _twenty_mb()
    assert len(body) >= 20_000_000
    for headers in ({"X-API-Key": KEY}, {}):
        response = client.post("/articles", content=body,
                               headers={**headers, "Content-Type": "application/json"})
        error = _error(response, 413, "E720")
        assert "max_body_mb" in error["message"] and "FRONTLINES_MAX_BODY_MB" in error["fix"]


def test_a_20_mb_body_is_413_while_streaming(client, unchanged):
    """No Content-Length (a chunked upload): the limit is enforced on the bytes received,
    and reading stops just past it. Driven at the ASGI level, where the chunks are real."""
    import asyncio

    body = _twenty_mb()
    chunks = [body[start:start + 2**20] for start in range(0, len(body), 2**20)]
    given, sent = [], []

    async def receive():
        chunk = chunks[len(given)]
        given.append(len(chunk))
        return {"type": "http.request", "body": chunk, "more_body": len(given) < len(chunks)}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/articles", "raw_path": b"/articles",
             "root_path": "", "query_string": b"", "server": ("127.0.0.1", 80),
             "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"),
                         (b"x-api-key", KEY.encode()), (b"transfer-encoding", b"chunked")]}
    asyncio.run(client.app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 413
    error = json.loads(b"".join(m.get("body", b"") for m in sent
                                if m["type"] == "http.response.body"))["error"]
    assert error["code"] == "E720"
    assert sum(given) <= 9 * 2**20 < len(body)  # stopped just past the 8 MiB limit


def test_more_articles_than_the_batch_limit_is_413(client, unchanged):
    batch = [dict(ARTICLE, id=f"batch-{n}") for n in range(4)]
    error = _error(client.post("/articles", json=batch, headers={"X-API-Key": KEY}), 413,
                   "E721")
    assert "max_batch_articles (3)" in error["message"]


@pytest.mark.parametrize(("body", "content_type", "status", "code", "words"), [
    (b"text", "text/plain", 415, "E722", "application/json"),
    (b"", "application/json", 422, "E723", "empty"),
    (b"{not json", "application/json", 422, "E103", "invalid JSON"),
    (b'[{"title": "no text"}]', "application/json", 422, "E104", "request item 1"),
    (b'{"text": 5}', "application/json", 422, "E103", "must be a string"),
    (b'{"text": "x", "published": "17/08/2017"}', "application/json", 422, "E105", "ISO"),
    (b"[]", "application/json", 422, "E723", "no article"),
    (b'{"text": "x", "published": "1817-08-19"}', "application/json", 422, "E105", "1900"),
    (b"[" * 100 + b"]" * 100, "application/json", 422, "E108", "max_json_depth"),
    (b"\xff\xfe\x00", "application/json", 422, "E102", "UTF-8"),
])
def test_bodies_the_readers_refuse(client, unchanged, body, content_type, status, code, words):
    response = client.post("/articles", content=body,
                           headers={"X-API-Key": KEY, "Content-Type": content_type})
    error = _error(response, status, code)
    assert words in error["message"] + error["fix"]


def test_undoing_a_merge_needs_a_key_and_restores_the_event(db_url, gazetteer, tmp_path):
    from support import synthetic_store

    url = (f"sqlite:///{tmp_path / 'merges.db'}" if db_url.startswith("sqlite")
           else pg_database(db_url))
    synthetic_store(url, n=60).close()
    with make_client(url, gazetteer) as client:
        merge = client.get("/merges").json()["merges"][0]
        path = f"/merges/{merge['merge_id']}/undo"
        before = counts(url)
        _error(client.post(path), 401, "E710")
        _error(client.post(path, headers={"X-API-Key": "wrong"}), 403, "E711")
        assert counts(url) == before
        done = client.post(path, headers={"X-API-Key": KEY})
        assert done.status_code == 200, done.text
        assert done.json()["merge"]["undone_at"] is not None
        assert counts(url)["events"] == before["events"] + 1
        restored = client.get(f"/events/{merge['merged_event_id']}")
        assert restored.status_code == 200 and restored.json()["reports"]
        assert merge["merge_id"] not in {m["merge_id"] for m in
                                         client.get("/merges").json()["merges"]}
        _error(client.post(path, headers={"X-API-Key": KEY}), 409, "E724")
        _error(client.post("/merges/987654/undo", headers={"X-API-Key": KEY}), 404, "E704")


# -- the real pipeline ----------------------------------------------------------------------
def _records_in_cli_order() -> tuple[list[dict], list[dict]]:
    """The example files as records, in the order ``frontlines ingest examples/`` reads
    them, and the JSON Lines records as written (reports.jsonl comes last in that order)."""
    from frontlines.ingest import read_articles

    files, lines = [], []
    for article in read_articles([EXAMPLES]):
        if article.origin and article.origin.startswith(str(EXAMPLES / "reports.jsonl")):
            continue
        files.append({"id": article.id, "text": article.text, "title": article.title,
                      "url": article.url, "source": article.source,
                      "published": article.published.isoformat() if article.published
                      else None})
    with (EXAMPLES / "reports.jsonl").open(encoding="utf-8") as fh:
        lines = [json.loads(line) for line in fh if line.strip()]
    return files, lines


def _events(url: str) -> list[dict]:
    """Stored events, every field but ``timestamp`` (when the row was written)."""
    from frontlines.store import Store

    with Store(url) as store:
        out = [e.to_dict() for e in store.events()]
    for event in out:
        event.pop("timestamp")
    return sorted(out, key=lambda e: (e["event_date"], e["event_id_cnty"]))


@pytest.fixture(scope="module")
def pipeline(nlp, gazetteer):
    from frontlines.gazetteer import Gazetteer
    from frontlines.pipeline import Frontlines
    from frontlines.settings import Settings

    return Frontlines(Settings(gazetteer=str(gazetteer)), gazetteer=Gazetteer(gazetteer),
                      nlp=nlp)


@pytest.mark.slow
def test_posting_the_examples_gives_the_events_of_frontlines_ingest(db_url, gazetteer,
                                                                     pipeline, tmp_path):
    """Acceptance (issue #12): the same events, field by field, as the CLI's ingest."""
    from frontlines.settings import Settings

    direct_url = (f"sqlite:///{tmp_path / 'direct.db'}" if db_url.startswith("sqlite")
                  else pg_database(db_url))
    post_url = (f"sqlite:///{tmp_path / 'posted.db'}" if db_url.startswith("sqlite")
                else pg_database(db_url))
    files, lines = _records_in_cli_order()
    if not db_url.startswith("sqlite"):  # PostgreSQL: the JSON Lines records only (time)
        files = []
    sources = [EXAMPLES] if files else [EXAMPLES / "reports.jsonl"]
    stats, report = pipeline.ingest(sources, db=direct_url)
    assert stats.articles_new == len(files) + len(lines) and not report.problems

    server_pipeline = type(pipeline)(Settings(gazetteer=str(gazetteer), db=post_url),
                                     gazetteer=pipeline.gazetteer, nlp=pipeline.nlp)
    with make_client(post_url, gazetteer, pipeline=server_pipeline) as client:
        answers = []
        for batch in (files, lines):
            if batch:
                response = client.post("/articles", json=batch, headers={"X-API-Key": KEY})
                assert response.status_code == 201, response.text
                answers.append(response.json())
        assert sum(a["stored"] for a in answers) == len(files) + len(lines)
        assert all(a["skipped"] == [] for a in answers)
        posted_ids = {e["event_id"] for a in answers for e in a["events"]}

        direct, posted = _events(direct_url), _events(post_url)
        assert len(direct) >= 3
        assert posted == direct
        assert len(posted_ids) == len(posted)  # the answers list every event made

        # Re-posting is a no-op: nothing stored, the same events answered.
        before = counts(post_url)
        again = client.post("/articles", json=lines, headers={"Authorization": f"Bearer {KEY}"})
        assert again.status_code == 200, again.text
        body = again.json()
        assert body["stored"] == 0 and body["already_stored"] == len(lines)
        assert {e["event_id"] for e in body["events"]} == {
            e["event_id"] for e in answers[-1]["events"]}
        assert counts(post_url) == before


@pytest.mark.slow
def test_a_batch_stores_the_good_articles_and_names_the_bad(db_url, gazetteer, pipeline):
    from frontlines.settings import Settings

    server_pipeline = type(pipeline)(Settings(gazetteer=str(gazetteer), db=db_url),
                                     gazetteer=pipeline.gazetteer, nlp=pipeline.nlp)
    with make_client(db_url, gazetteer, pipeline=server_pipeline) as client:
        before = counts(db_url)
        body = [ARTICLE, {"title": "no text here"}]
        response = client.post("/articles", json=body, headers={"X-API-Key": KEY})
        assert response.status_code == 201, response.text
        answer = response.json()
        assert answer["articles"] == 1 and answer["stored"] == 1
        assert [p["where"] for p in answer["skipped"]] == ["request item 2"]
        assert answer["skipped"][0]["code"] == "E104"
        assert counts(db_url)["articles"] == before["articles"] + 1
        assert any(e["sub_event_type"] == "Shelling/artillery/missile attack"
                   for e in answer["events"])
        # The same article as JSON Lines, with a date for undated records: already stored.
        ndjson = json.dumps(ARTICLE) + "\n"
        again = client.post("/articles?published=2017-08-19", content=ndjson.encode(),
                            headers={"X-API-Key": KEY,
                                     "Content-Type": "application/x-ndjson"})
        assert again.status_code == 200 and again.json()["already_stored"] == 1
