"""The progress callback every long-running call accepts (one home)."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress"]

#: ``progress(done, total)``: called after each item; ``total`` is ``None`` when unknown.
Progress = Callable[[int, int | None], None]
