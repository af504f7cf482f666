"""A SIGKILLed ingest leaves a consistent store, and the next run completes it."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from frontlines.model import Analysis
from frontlines.store import Store, event_key, schema

STORE_FIXTURES = Path(__file__).parent / "fixtures" / "store"
sys.path.insert(0, str(STORE_FIXTURES))
import store_synth as synth
from pg import pg_database, pg_url  # noqa: F401

WORKER = STORE_FIXTURES / "kill_worker.py"
N, BATCH, SEED = 120, 10, 1708


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'killed.db'}"
    return pg_database(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="module")
def items() -> list[Analysis]:
    return synth.analyses(N, seed=SEED)


def start_worker(url: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(WORKER), url, str(N), str(BATCH), str(SEED),
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def read_until(proc: subprocess.Popen[str], marker: str, *, timeout: float = 120) -> list[str]:
    """Lines the worker printed up to and including the first starting with ``marker``."""
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"worker ended before {marker!r}: {lines}\n"
                                 f"{proc.stderr.read()}")
        lines.append(line.strip())
        if line.startswith(marker):
            return lines
    raise AssertionError(f"no {marker!r} from the worker within {timeout}s: {lines}")


def run_to_end(url: str) -> dict[str, int]:
    proc = start_worker(url)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    (last,) = [line for line in out.splitlines() if line.startswith("done ")]
    return json.loads(last[len("done "):])


def kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def expected_counts(store: Store, items: list[Analysis]) -> dict[str, int]:
    """Row counts without corroboration, less the events merged into others."""
    counts = synth.expected_counts(items)
    counts["events"] -= len(store.merges())
    return counts


def assert_consistent(url: str, items: list[Analysis]) -> set[str]:
    """Every stored article is whole; nothing dangles; returns the stored article ids."""
    by_id = {a.article.id: a for a in items}
    with Store(url) as store, store.engine.connect() as conn:
        stored = {a.id for a in store.articles()}
        assert stored <= set(by_id)
        links = dict(conn.execute(
            sa.select(schema.event_sources.c.article_id, sa.func.count())
            .group_by(schema.event_sources.c.article_id)).all())
        for article_id in stored:
            analysis = by_id[article_id]
            assert store.toponyms(article_id) == sorted(analysis.toponyms,
                                                        key=lambda t: (t.start, t.end))
            assert links.get(article_id, 0) == len(analysis.events)
        assert set(links) <= stored
        expected_events = {event_key(e) for i in stored for e in by_id[i].events}
        # Corroboration may have merged some events into others: each is either stored
        # or recorded as merged, never both, and every merge brought its reports along.
        merges = store.merges()
        merged = {m.merged_event_id for m in merges}
        assert not merged & set(store.event_ids())
        assert set(store.event_ids()) | merged == expected_events
        assert all(m.sources >= 1 for m in merges)
        assert store.counts() == expected_counts(store, [by_id[i] for i in sorted(stored)])
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    return stored


def test_kill_mid_batch_then_rerun_completes(db_url, items):
    proc = start_worker(db_url, "4")
    lines = read_until(proc, "mid-batch")
    kill(proc)
    assert lines == ["committed 10", "committed 20", "committed 30", "mid-batch"]

    stored = assert_consistent(db_url, items)
    # Exactly the three committed batches; nothing of the fourth.
    assert stored == {a.article.id for a in items[:30]}

    stats = run_to_end(db_url)
    assert stats["articles_new"] == N - 30
    assert stats["articles_skipped_existing"] == 30
    assert assert_consistent(db_url, items) == {a.article.id for a in items}
    with Store(db_url) as store:
        final = store.counts()
        assert final == expected_counts(store, items)

    again = run_to_end(db_url)
    assert again["articles_new"] == again["events_new"] == again["toponyms_new"] == 0
    assert again["articles_skipped_existing"] == N
    with Store(db_url) as store:
        assert store.counts() == final


def test_killed_at_random_moments_is_always_consistent(tmp_path, items):
    url = f"sqlite:///{tmp_path / 'random.db'}"
    Store(url).close()  # migrate once so each worker starts writing at once
    rng = random.Random(19)
    for _ in range(3):
        proc = start_worker(url)
        read_until(proc, "committed")
        time.sleep(rng.uniform(0.0, 0.05))
        if proc.poll() is None:
            kill(proc)
        else:
            proc.communicate()
        assert_consistent(url, items)
    run_to_end(url)
    assert assert_consistent(url, items) == {a.article.id for a in items}


def test_two_writers_at_once_on_a_new_database(db_url, items):
    """Two processes migrate and ingest the same input at the same time: one copy results."""
    first, second = start_worker(db_url), start_worker(db_url)
    outputs = [proc.communicate(timeout=300) for proc in (first, second)]
    assert first.returncode == second.returncode == 0, [err for _, err in outputs]
    stats = [json.loads(out.splitlines()[-1][len("done "):]) for out, _ in outputs]
    assert sum(s["articles_new"] for s in stats) == N
    assert sum(s["articles_skipped_existing"] for s in stats) == N
    assert assert_consistent(db_url, items) == {a.article.id for a in items}
