"""Following RSS/Atom feeds: poll, fetch each new item's page, ingest it, remember it.

``Watcher(feeds, frontlines=..., store=..., state=WatchState(path)).run(once=...)``; the
``frontlines watch`` command (``frontlines/cli_watch.py``) is a thin shell on it.
"""

from frontlines.watch.config import FeedSpec, feeds_from, parse_every
from frontlines.watch.poller import PollReport, Watcher
from frontlines.watch.state import MAX_ATTEMPTS, WatchState

__all__ = ["MAX_ATTEMPTS", "FeedSpec", "PollReport", "WatchState", "Watcher", "feeds_from",
           "parse_every"]
