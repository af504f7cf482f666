"""What the watcher has done, in a small SQLite file, committed after every step.

``feeds``: per feed URL its ETag and Last-Modified (for conditional GETs), the errors in a
row and the time before which it is not polled again (exponential backoff). ``items``: per
page URL its status — ``fetched`` (read, not yet stored), ``ingested`` (stored; never
fetched again) or ``failed`` (tried ``attempts`` times; tried again on later polls up to
``MAX_ATTEMPTS``) — with the article id and the last error. A watcher killed at any point
restarts from here: an ``ingested`` page is skipped, anything else is done again, and the
store (idempotent by article id) keeps every article once.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MAX_ATTEMPTS", "FeedState", "WatchState"]

MAX_ATTEMPTS = 5
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, failures INTEGER NOT NULL DEFAULT 0,
    next_try REAL NOT NULL DEFAULT 0, last_polled REAL, last_error TEXT);
CREATE TABLE IF NOT EXISTS items (
    url TEXT PRIMARY KEY, feed TEXT NOT NULL, status TEXT NOT NULL, article_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0, error TEXT, updated REAL NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_try: float = 0.0


class WatchState:
    """The watcher's state file; every change is committed at once."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    # -- feeds ----------------------------------------------------------------------------
    def feed(self, url: str) -> FeedState:
        row = self._db.execute("SELECT etag, last_modified, failures, next_try FROM feeds "
                               "WHERE url = ?", (url,)).fetchone()
        return FeedState(*row) if row else FeedState()

    def feed_ok(self, url: str, *, etag: str | None, last_modified: str | None) -> None:
        self._db.execute(
            "INSERT INTO feeds (url, etag, last_modified, failures, next_try, last_polled) "
            "VALUES (?, ?, ?, 0, 0, ?) ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, failures = 0, next_try = 0, "
            "last_polled = excluded.last_polled, last_error = NULL",
            (url, etag, last_modified, time.time()))

    def feed_unchanged(self, url: str) -> None:
        self._db.execute("UPDATE feeds SET failures = 0, next_try = 0, last_polled = ?, "
                         "last_error = NULL WHERE url = ?", (time.time(), url))

    def feed_failed(self, url: str, error: str, *, now: float, base: float,
                    cap: float) -> float:
        """Count one more error in a row; returns the delay before the next try."""
        failures = self.feed(url).failures + 1
        delay = min(cap, base * 2 ** (failures - 1))
        self._db.execute(
            "INSERT INTO feeds (url, failures, next_try, last_polled, last_error) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET failures = excluded.failures, "
            "next_try = excluded.next_try, last_polled = excluded.last_polled, "
            "last_error = excluded.last_error", (url, failures, now + delay, now, error))
        return delay

    # -- items ----------------------------------------------------------------------------
    def item(self, url: str) -> tuple[str, int] | None:
        """``(status, attempts)`` of a page URL, or None when never seen."""
        row = self._db.execute("SELECT status, attempts FROM items WHERE url = ?",
                               (url,)).fetchone()
        return (row[0], row[1]) if row else None

    def mark(self, url: str, feed: str, status: str, *, article_id: str | None = None,
             error: str | None = None) -> None:
        tried = 1 if status == "failed" else 0
        self._db.execute(
            "INSERT INTO items (url, feed, status, article_id, attempts, error, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET status = "
            "excluded.status, article_id = coalesce(excluded.article_id, items.article_id), "
            "attempts = items.attempts + ?, error = excluded.error, updated = excluded.updated",
            (url, feed, status, article_id, tried, error, time.time(), tried))

    def counts(self) -> dict[str, int]:
        rows = self._db.execute("SELECT status, count(*) FROM items GROUP BY status")
        return {status: count for status, count in rows}
