"""The engine seam: ``analyse(frontlines, articles, ...) -> Iterator[Analysis]``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.model import Analysis, Article
    from frontlines.pipeline import Frontlines, RunReport
    from frontlines.progress import Progress

__all__ = ["Engine"]


class Engine(Protocol):
    """Analyses articles; the order of the analyses, problems and warnings is the input's."""

    name: str

    def analyse(self, frontlines: Frontlines, articles: Iterable[Article], *, events: bool,
                strict: bool, report: RunReport,
                progress: Progress | None = None) -> Iterator[Analysis]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Any: ...

    def __exit__(self, *exc: object) -> None: ...
