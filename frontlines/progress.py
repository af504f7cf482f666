"""The progress callback every long-running call accepts (one home), and how the CLI hears
about long work it did not start itself.

``Progress`` is ``progress(done, total)``. ``Ticker`` turns it into a plain line every few
seconds (for logs and pipes, where a progress bar shows nothing). Library code that may do
long first-time work nobody asked for (building the offline gazetteer on first use) calls
``ambient(label)``: ``None`` in a library, a reporter while the CLI runs a command
(``reporting(factory)``), so that work is never silent.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Callable, Iterator

__all__ = ["Progress", "Ticker", "ambient", "reporting"]

#: ``progress(done, total)``: called after each item; ``total`` is ``None`` when unknown.
Progress = Callable[[int, int | None], None]


class Ticker:
    """A ``Progress`` that writes ``label: done of total (elapsed)`` at most every ``every``
    seconds, and once more when ``done`` reaches ``total`` (unless the work was too short to
    report at all). ``announce``, if given, is written at once, before the first call."""

    def __init__(self, label: str, *, write: Callable[[str], None], every: float = 5.0,
                 announce: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.label, self.write, self.every, self.clock = label, write, every, clock
        self.started = clock()
        self._last = self.started
        self._finished = False
        self._wrote = bool(announce)
        if announce:
            write(announce)

    def __call__(self, done: int, total: int | None) -> None:
        now = self.clock()
        finished = total is not None and done >= total
        if finished and (self._finished or not self._wrote and now - self.started < self.every):
            return  # the end once, and only of work long enough to have been reported
        if not finished and now - self._last < self.every:
            return
        self._last, self._wrote = now, True
        self._finished = finished
        count = f"{done:,} of {total:,}" if total else f"{done:,}"
        self.write(f"{self.label}: {count}{' done' if finished else ''} "
                   f"({now - self.started:.0f} s)")


#: ``factory(label, announce)`` -> a ``Progress``.
Factory = Callable[[str, str], Progress]
_AMBIENT: contextvars.ContextVar[Factory | None] = \
    contextvars.ContextVar("frontlines_progress", default=None)


def ambient(label: str, announce: str) -> Progress | None:
    """A reporter for long work (``label`` on each line, ``announce`` once at the start)
    when someone listens (the CLI), else ``None``."""
    factory = _AMBIENT.get()
    return factory(label, announce) if factory is not None else None


@contextlib.contextmanager
def reporting(factory: Factory) -> Iterator[None]:
    """Within the block, ``ambient(label, announce)`` returns ``factory(label, announce)``."""
    token = _AMBIENT.set(factory)
    try:
        yield
    finally:
        _AMBIENT.reset(token)
