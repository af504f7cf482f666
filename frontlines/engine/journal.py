"""The run journal: how far an ``ingest`` run over some sources into one database has got.

One small JSON file per (database, sources) under ``$FRONTLINES_HOME/runs/``, rewritten
atomically after every committed batch: the reader's ``Position`` just after the last
stored article, and that article's id. A run that is interrupted (Ctrl-C, a kill, a power
cut) is resumed by running the same command again: reading starts at that position, so
an archive of a million articles is not read again from its first line. A run that
finished records the end of its inputs, so running it again reads only what was added
since (new lines at the end of a JSON Lines file, new files that sort after the last one
of a folder) and stores nothing twice.

The journal is trusted only while the database still holds its last article: a database
that was deleted or replaced is read into from the start again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontlines.ingest.reader import STDIN, Position

__all__ = ["JournalState", "RunJournal", "resume_point", "run_key"]

_VERSION = 1


@dataclass(frozen=True)
class JournalState:
    position: Position
    last_article: str | None
    complete: bool
    updated: str


def _source_name(source: str | Path) -> str:
    text = str(source)
    if text == STDIN or "://" in text:
        return text
    return str(Path(text).expanduser().resolve())


def run_key(sources: Iterable[str | Path], db: str) -> tuple[str, list[str]]:
    """A stable key for (database, sources in order) and the source names it covers."""
    names = [_source_name(s) for s in sources]
    digest = hashlib.sha256(json.dumps([str(db), names]).encode("utf-8")).hexdigest()[:24]
    return digest, names


class RunJournal:
    """Reads and writes the journal of one run (``runs/<key>.json`` under ``home``)."""

    def __init__(self, home: str | Path, sources: Iterable[str | Path], db: str) -> None:
        key, self.sources = run_key(sources, db)
        self.db = str(db)
        self.path = Path(home).expanduser() / "runs" / f"{key}.json"

    def load(self) -> JournalState | None:
        """The recorded state, or None when there is none (or it cannot be read)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != _VERSION or data.get("sources") != self.sources:
                return None
            return JournalState(Position.from_dict(data["position"]), data.get("last_article"),
                                bool(data.get("complete")), str(data.get("updated", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, position: Position, last_article: str | None, *, complete: bool) -> None:
        """Record ``position`` (written to a temporary file, then moved into place)."""
        data = {"version": _VERSION, "db": self.db, "sources": self.sources,
                "position": position.to_dict(), "last_article": last_article,
                "complete": complete,
                "updated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(data), encoding="utf-8")
        partial.replace(self.path)

    def clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def resume_point(journal: RunJournal | None, store: Any,
                 notes: list[str]) -> tuple[Position | None, str | None]:
    """Where an earlier run over the same sources and database stopped, and its last
    stored article, if it is to be trusted (``store`` still holds that article); what was
    decided is said in ``notes``."""
    state = journal.load() if journal is not None else None
    if journal is None or state is None:
        return None, None
    if state.last_article is not None and not store.has_article(state.last_article):
        notes.append(f"the run journal {journal.path} names an article the database no "
                     "longer holds, so every input is read again")
        return None, None
    what = "finished" if state.complete else "was interrupted"
    notes.append(f"resumed: an earlier run over the same inputs {what} (at {state.updated}); "
                 "what it stored is not read again. --no-resume reads everything again "
                 "(articles already stored are still skipped).")
    return state.position, state.last_article
