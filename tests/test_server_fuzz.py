"""schemathesis over the app's own OpenAPI schema: valid and invalid requests to every
operation (bounded: 25 examples each), with no server error, and every response conforming
to its documented status codes, media types and schema (errors in the one shape).

GET operations and POST /articles without a key run on a small synthetic store; POST with a
key runs the real pipeline (slow). SQLite; the same handlers serve PostgreSQL, which
test_server_api.py and test_server_auth.py cover.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "server"))
from support import KEY, counts, make_client, slice_gazetteer, synthetic_store  # noqa: E402

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def fuzz_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    synthetic_store(url, n=20).close()
    return url


@pytest.fixture(scope="module")
def fuzz_gazetteer(tmp_path_factory):
    return slice_gazetteer(tmp_path_factory.mktemp("gaz") / "slice.sqlite")


@pytest.fixture(scope="module")
def read_client(fuzz_url, fuzz_gazetteer):
    with make_client(fuzz_url, fuzz_gazetteer) as client:
        yield client


def _fuzz(app, method: str, run) -> list[str]:
    """``run(case)`` on 25 generated requests (valid and invalid) per ``method`` operation
    of ``app``'s OpenAPI schema; returns the operations exercised."""
    from hypothesis import given
    from hypothesis import strategies as st
    from schemathesis import GenerationMode

    api = schemathesis.openapi.from_asgi("/openapi.json", app)
    done = []
    for result in api.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != method:
            continue
        cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                          operation.as_strategy(GenerationMode.NEGATIVE))
        def one(case):
            run(case)

        given(case=cases)(EXAMPLES(one))()
        done.append(f"{operation.method.upper()} {operation.path}")
    return done


def test_get_operations_never_fail_and_match_the_schema(read_client):
    statuses: dict[str, set[int]] = {}

    def run(case):
        response = case.call_and_validate(checks=CHECKS)
        statuses.setdefault(case.operation.path, set()).add(response.status_code)

    done = _fuzz(read_client.app, "GET", run)
    assert len(done) >= 9, done
    # valid requests were answered, and invalid ones refused (in the shape, checked above)
    answered = {path for path, codes in statuses.items() if 200 in codes}
    assert answered >= {"/health", "/events", "/dates", "/control", "/alerts",
                        "/places/search", "/merges"}, statuses
    assert any(422 in codes for codes in statuses.values()), statuses


def test_writes_without_a_key_are_refused_in_the_shape(fuzz_url, read_client):
    before = counts(fuzz_url)

    def run(case):
        case.headers = {k: v for k, v in (case.headers or {}).items()
                        if k.lower() not in ("x-api-key", "authorization")}
        response = case.call_and_validate(checks=CHECKS)
        assert response.status_code in (401, 413, 422), response.text

    assert _fuzz(read_client.app, "POST", run) == ["POST /articles",
                                                   "POST /merges/{merge_id}/undo"]
    assert counts(fuzz_url) == before
    assert read_client.app.state.frontlines._pipeline is None


@pytest.mark.slow
def test_writes_with_a_key_never_fail_and_match_the_schema(nlp, fuzz_gazetteer,
                                                          tmp_path_factory):
    from frontlines.gazetteer import Gazetteer
    from frontlines.pipeline import Frontlines
    from frontlines.settings import Settings

    url = f"sqlite:///{tmp_path_factory.mktemp('fuzzw') / 'writes.db'}"
    pipeline = Frontlines(Settings(gazetteer=str(fuzz_gazetteer), db=url),
                          gazetteer=Gazetteer(fuzz_gazetteer), nlp=nlp)
    statuses = []

    def run(case):
        response = case.call_and_validate(headers={"X-API-Key": KEY}, checks=CHECKS)
        assert response.status_code not in (401, 403), response.text
        statuses.append(response.status_code)

    with make_client(url, fuzz_gazetteer, pipeline=pipeline) as client:
        _fuzz(client.app, "POST", run)
    assert 201 in statuses and 422 in statuses  # some stored, some refused
