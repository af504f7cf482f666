"""The local engine: every article analysed in this process, one after another."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.model import Analysis, Article
    from frontlines.pipeline import Frontlines, RunReport
    from frontlines.progress import Progress

__all__ = ["LocalEngine"]


class LocalEngine:
    """``Frontlines.analyse`` in this process (the default)."""

    name = "local"

    def analyse(self, frontlines: Frontlines, articles: Iterable[Article], *, events: bool,
                strict: bool, report: RunReport,
                progress: Progress | None = None) -> Iterator[Analysis]:
        return frontlines.analyse(articles, events=events, strict=strict, report=report,
                                  progress=progress)

    def close(self) -> None:
        return None

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return "LocalEngine()"
