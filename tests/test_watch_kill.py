"""A watcher SIGKILLed mid-poll and started again ingests every new article exactly once.

The real command (``python -m frontlines watch FEEDS.yaml --once``) with the real pipeline
runs in a subprocess against feeds and pages served on 127.0.0.1 by this process; pages
are served slowly so that the kill lands in the middle of a poll.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from watch_site import Site, page_html, rss

from frontlines.store import Store

PAGES = 12


def _ingested(state) -> int:
    if not state.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM items WHERE status = 'ingested'"
                                ).fetchone()[0]
    except sqlite3.OperationalError:  # created, no table yet
        return 0


def _story(n: int) -> str:
    return page_html(f"Shelling reported near Arsal, report {n}", [
        f"The Lebanese army shelled positions of Islamic State militants near Arsal on "
        f"Saturday, the army said in statement number {n}.",
        "Residents of nearby villages said they had heard artillery fire through the night."])


@pytest.mark.slow
def test_a_killed_watcher_restarts_and_ingests_each_article_once(tmp_path, offline_gazetteer):
    with Site() as site:
        half = PAGES // 2
        for name, numbers in (("/lebanon.xml", range(half)), ("/syria.xml", range(half, PAGES))):
            site.feeds[name] = rss(site.base, [(f"/story/{n}", f"Report {n}", dt.date(2017, 8, 19))
                                               for n in numbers])
        for n in range(PAGES):
            site.pages[f"/story/{n}"] = _story(n)
        site.page_delay = 0.4
        feeds = tmp_path / "feeds.yaml"
        feeds.write_text(f"feeds:\n  - url: {site.base}/lebanon.xml\n    source: Naharnet\n"
                         f"    country: LB\n  - url: {site.base}/syria.xml\n"
                         f"    source: SANA\n    country: SY\n", encoding="utf-8")
        db = f"sqlite:///{tmp_path / 'events.db'}"
        state = tmp_path / "watch.sqlite"
        env = {**os.environ, "FRONTLINES_HOME": str(tmp_path / "home"),
               "FRONTLINES_GAZETTEER": str(offline_gazetteer)}
        command = [sys.executable, "-m", "frontlines", "watch", str(feeds), "--once",
                   "--db", db, "--state", str(state)]
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 240
        while _ingested(state) < 3:
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "the watcher ingested nothing in 240 s"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL
        before = _ingested(state)
        assert 3 <= before < PAGES  # killed mid-poll
        fetched_before = dict(site.hits)
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        assert again.returncode == 0, again.stderr
        hits = site.hits
    assert _ingested(state) == PAGES
    store = Store(db)
    articles = list(store.articles())
    assert len(articles) == PAGES  # every page once: none lost, none twice
    assert sorted(a.url for a in articles) == sorted(f"{site.base}/story/{n}"
                                                     for n in range(PAGES))
    assert {a.source for a in articles} == {"Naharnet", "SANA"}
    # a page stored before the kill is never fetched again; at most the page in flight is
    refetched = [n for n in range(PAGES) if hits[f"/story/{n}"] > 1]
    assert len(refetched) <= 1
    assert all(fetched_before.get(f"/story/{n}", 0) for n in refetched)
    assert store.counts()["events"] >= 1  # the same shelling, reported 12 times
