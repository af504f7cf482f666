"""``frontlines watch``: follow RSS/Atom feeds and ingest each new article once."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from frontlines.cli_common import _settings, err, handle_errors

__all__ = ["watch"]


@click.command()
@click.argument("feeds", nargs=-1, required=True, metavar="FEEDS.yaml|URL...")
@click.option("--every", default="15m", show_default=True, metavar="DURATION",
              help="Time between polls: 90s, 15m, 1h, 2d.")
@click.option("--once", is_flag=True, help="Poll every feed once, then stop (for cron).")
@click.option("--db", metavar="URL", help="SQLAlchemy URL (default: the 'db' setting).")
@click.option("--state", "state_path", metavar="FILE",
              help="The watcher's state (SQLite: seen pages, ETags, backoff); default: "
                   "watch.sqlite in the data home.")
@click.option("--quiet", "-q", is_flag=True, help="Only failures on stderr.")
@handle_errors
def watch(feeds: tuple[str, ...], every: str, once: bool, db: str | None,
          state_path: str | None, quiet: bool) -> None:
    """Poll RSS/Atom FEEDS (URLs, or a FEEDS.yaml listing url, source and country per feed),
    fetch each new item's page, and ingest it.

    Conditional GETs (ETag, Last-Modified); a failing feed is polled again after a
    doubling delay (up to 6 h), a failing page on later polls (5 tries); neither stops the
    others. Seen pages are remembered in --state, committed after every page, so a watcher
    that is stopped or killed and started again ingests every new article exactly once.
    Exit status with --once: 0 all fetched, 1 some feed or page failed (each named).
    """
    from frontlines.pipeline import Frontlines
    from frontlines.watch import Watcher, WatchState, feeds_from, parse_every

    seconds = parse_every(every)
    specs = feeds_from(feeds)
    frontlines = Frontlines(_settings(db=db))
    store = frontlines.store()
    state = WatchState(Path(state_path) if state_path else
                       Path(frontlines.settings.home).expanduser() / "watch.sqlite")

    def log(line: str) -> None:
        failure = " failed" in line or "trying again" in line or line.startswith("failed")
        if failure or not quiet:
            err.print(line, soft_wrap=True, highlight=False, markup=False)

    if not quiet:
        err.print(f"watching {len(specs)} feed(s) every {every} into {store.url}; state in "
                  f"{state.path}", soft_wrap=True, highlight=False, markup=False)
    watcher = Watcher(specs, frontlines=frontlines, store=store, state=state, every=seconds,
                      log=log)
    try:
        report = watcher.run(once=once)
    except KeyboardInterrupt:
        err.print("stopped; the next start goes on from the saved state", highlight=False)
        sys.exit(0)
    finally:
        watcher.close()
        state.close()
    sys.exit(1 if report.problems else 0)
