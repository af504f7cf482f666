"""The Ray engine: Ray Data streams batches of articles through a pool of actors.

The driver (this process) reads the articles, so problems with the inputs are found and
reported where they always are, and writes the results: it is the one store writer
(``ingest``) or the one output writer (``extract``). In between, articles travel in
windows of ``window`` articles (default 8,192, or 64 batches per worker if more; each
window starts its actors anew, so a bigger one spends less on start-up). Each window is a
Ray ``Dataset`` mapped with ``map_batches`` over an ``ActorPoolStrategy`` of ``workers``
actors, each of which builds ``Frontlines`` (spaCy model, gazetteer, geoparser,
extractor) once and analyses ``batch_size`` articles per call. Order is preserved (``preserve_order``), and
each batch sends back its analyses with the problems and warnings its articles raised, so
the run's ``RunReport`` is the one the local engine gives. Memory on the driver is one
window, whatever the size of the input.

``RayEngine()`` starts a local Ray (``num_cpus=workers``, no dashboard, quiet) on first
use and stops it on ``close``; ``RayEngine(address="ray://host:10001")`` or
``address="auto"`` joins a running cluster and leaves it running.
"""

from __future__ import annotations

import itertools
import logging
import os
import pickle
import warnings
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from frontlines.errors import ConfigError, FrontlinesError

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.model import Analysis, Article
    from frontlines.pipeline import Frontlines, RunReport
    from frontlines.progress import Progress

__all__ = ["RayEngine", "ray_available"]

_LOG = logging.getLogger(__name__)
_INSTALL = "pip install 'frontlines[ray]' (make setup installs it)"


def ray_available() -> bool:
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError:
        return False
    return True


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise ConfigError(f"--engine ray needs Ray with Ray Data, which is not installed "
                          f"({exc}); {_INSTALL}, or use --engine local") from None
    return ray


class RayEngine:
    """Analyse on Ray: a local Ray with ``workers`` CPUs, or the cluster at ``address``."""

    name = "ray"

    def __init__(self, *, address: str | None = None, workers: int | None = None,
                 window: int | None = None) -> None:
        if workers is not None and workers < 1:
            raise ConfigError(f"--workers must be at least 1, got {workers}")
        self._ray = _import_ray()
        self.address = address
        self.workers = workers or (None if address else max(1, os.cpu_count() or 1))
        self.window = window
        self._started = False

    def __repr__(self) -> str:
        where = self.address or "local"
        return f"RayEngine(address={where!r}, workers={self.workers})"

    def __enter__(self) -> RayEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the cluster ----------------------------------------------------------------------
    def _start(self) -> None:
        ray = self._ray
        if not ray.is_initialized():
            self._init()
        if self.workers is None:  # a cluster: one actor per CPU it offers
            self.workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True  # the output is the input's order
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        context.verbose_stats_logs = False

    def _init(self) -> None:
        ray = self._ray
        env = {k: v for k, v in os.environ.items() if k.startswith("FRONTLINES_")}
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                   "logging_level": logging.ERROR,
                                   "runtime_env": {"env_vars": env}}
        os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
        for name in ("ray", "ray.data"):
            logging.getLogger(name).setLevel(logging.ERROR)
        try:
            if self.address:
                ray.init(address=self.address, **options)
            else:
                ray.init(num_cpus=self.workers, **options)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = self.address or "a local Ray"
            raise ConfigError(f"could not start or join Ray at {where} ({exc}); check "
                              "--address (e.g. auto, or ray://HOST:10001), or use "
                              "--engine local") from None
        self._started = True

    def close(self) -> None:
        if self._started and self._ray.is_initialized():
            self._ray.shutdown()
        self._started = False

    # -- analysis -------------------------------------------------------------------------
    def analyse(self, frontlines: Frontlines, articles: Iterable[Article], *, events: bool,
                strict: bool, report: RunReport,
                progress: Progress | None = None) -> Iterator[Analysis]:
        """``Frontlines.analyse`` on the actor pool; same analyses, problems and warnings."""
        self._start()
        batch = int(frontlines.settings.batch_size)
        workers = int(self.workers or 1)
        window = self.window or max(batch * workers * 64, 8192)
        settings = frontlines.settings.as_dict()
        done = 0
        iterator = iter(articles)
        while True:
            chunk = list(itertools.islice(iterator, window))
            if not chunk:
                return
            for analyses, problems, warnings_, count, fatal in self._window(
                    chunk, settings=settings, events=events, strict=strict, batch=batch,
                    workers=workers):
                report.warnings.extend(warnings_)
                report.problems.extend(_thaw(p) for p in problems)
                for analysis in analyses:
                    report.articles_processed += 1
                    report.toponyms += len(analysis.toponyms)
                    report.events += len(analysis.events)
                    yield analysis
                if fatal is not None:
                    raise _thaw(fatal)
                done += count
                if progress:
                    progress(done, None)

    def _window(self, chunk: list[Article], *, settings: dict[str, Any], events: bool,
                strict: bool, batch: int, workers: int) -> Iterator[tuple[Any, ...]]:
        ray = self._ray
        rows = [{"article": pickle.dumps(article, protocol=5)} for article in chunk]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dataset = ray.data.from_items(rows, override_num_blocks=max(1, -(-len(rows) // batch)))
            mapped = dataset.map_batches(
                _Analyser, fn_constructor_kwargs={"settings": settings, "events": events,
                                                  "strict": strict},
                batch_size=batch, batch_format="numpy", num_cpus=1, max_restarts=0,
                compute=ray.data.ActorPoolStrategy(size=min(workers, len(rows))))
            for row in mapped.iter_rows():
                yield pickle.loads(row["payload"])


class _Analyser:
    """One Ray actor: builds the pipeline once, then analyses a batch per call."""

    def __init__(self, settings: dict[str, Any], events: bool, strict: bool) -> None:
        from frontlines.pipeline import Frontlines
        from frontlines.settings import Settings

        self.frontlines = Frontlines(Settings(**settings))
        self.frontlines.nlp, self.frontlines.geoparser, self.frontlines.extractor  # noqa: B018
        self.events = events
        self.strict = strict

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[bytes]]:
        from frontlines.pipeline import RunReport

        articles = [pickle.loads(raw) for raw in batch["article"]]
        report = RunReport()
        fatal = None
        analyses: list[Analysis] = []
        try:
            for analysis in self.frontlines.analyse(articles, events=self.events,
                                                    strict=self.strict, report=report):
                analyses.append(analysis)
        except FrontlinesError as exc:  # strict: the driver raises it
            fatal = _freeze(exc)
        payload = (analyses, [_freeze(p) for p in report.problems], report.warnings,
                   len(articles), fatal)
        return {"payload": [pickle.dumps(payload, protocol=5)]}


def _freeze(error: FrontlinesError) -> tuple[type, str, str | None]:
    """An error as (class, message, where): rebuilt exactly on the driver."""
    return type(error), error.message, error.where


def _thaw(frozen: tuple[type, str, str | None]) -> FrontlinesError:
    cls, message, where = frozen
    return cls(message, where=where)
