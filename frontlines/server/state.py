"""What one server process holds: settings, the store, the pipeline (built on first write),
the control inputs, the API keys, one write lock and a small cache of control results."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa

from frontlines.settings import Settings
from frontlines.store import Store, schema

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.control import InitialMark, SideMap
    from frontlines.gazetteer import Gazetteer
    from frontlines.pipeline import Frontlines

__all__ = ["ServerState"]

T = TypeVar("T")
_CACHE_SIZE = 64


class ServerState:
    """Shared by every request of one app (``app.state.frontlines``)."""

    def __init__(self, settings: Settings, *, initial: str | Path | None = None,
                 sides: str | Path | None = None, store: Store | None = None,
                 pipeline: Frontlines | None = None) -> None:
        from frontlines.control import SideMap, load_initial
        from frontlines.server.auth import KeyRing

        self.settings = settings
        self.keys = KeyRing.from_setting(settings.api_keys)
        self.store = store or Store(settings.db)
        # Read the control inputs now: a bad file stops the server at start, not a request.
        self.sides: SideMap = SideMap.load(extra=sides) if sides else SideMap.load()
        self.initial: list[InitialMark] | None = (
            load_initial(initial, sides=self.sides) if initial else None)
        self.write_lock = threading.Lock()
        self._pipeline = pipeline
        self._gazetteer: Gazetteer | None = pipeline.gazetteer if pipeline else None
        self._build_lock = threading.Lock()
        self._cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._cache_lock = threading.Lock()

    @property
    def pipeline(self) -> Frontlines:
        """The pipeline (spaCy model loaded on first use), built on the first write."""
        gazetteer = self.gazetteer
        with self._build_lock:
            if self._pipeline is None:
                from frontlines.pipeline import Frontlines

                self._pipeline = Frontlines(self.settings, gazetteer=gazetteer)
            return self._pipeline

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer at the ``gazetteer`` setting (the offline default is built there on
        first use when none is)."""
        with self._build_lock:
            if self._gazetteer is None:
                from frontlines.gazetteer import Gazetteer

                self._gazetteer = Gazetteer.open_default(self.settings)
            return self._gazetteer

    def data_version(self) -> tuple[Any, ...]:
        """Changes whenever anything is stored (articles, events, reports of events)."""
        ar = schema.articles.c
        with self.store.engine.connect() as conn:
            articles = conn.execute(sa.select(sa.func.count(), sa.func.max(ar.ingested_at))).one()
            events = conn.scalar(sa.select(sa.func.count()).select_from(schema.events))
            reports = conn.scalar(sa.select(sa.func.count()).select_from(schema.event_sources))
        return (articles[0], str(articles[1]), events, reports)

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, remembered for ``key`` while the stored data does not change."""
        full = (*key, self.data_version())
        with self._cache_lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]
        value = compute()
        with self._cache_lock:
            self._cache[full] = value
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def close(self) -> None:
        self.store.close()
