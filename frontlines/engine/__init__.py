"""Where articles are analysed: in this process (``local``) or on a Ray cluster (``ray``).

An engine turns a stream of ``Article`` records into a stream of ``Analysis`` records, in
the same order and with the same problems and warnings in the run's ``RunReport``, so the
store (or the output file) written by the one driver process is the same whichever engine
ran. ``Frontlines.extract/geoparse/ingest`` take ``engine=``::

    from frontlines.engine import make_engine
    with make_engine("ray", workers=2) as engine:
        stats, report = Frontlines().ingest(["archive.jsonl.gz"], engine=engine)

``local`` is ``Frontlines.analyse`` itself; ``ray`` streams batches of articles through
Ray Data's ``map_batches`` on a pool of actors that each load the spaCy model and the
gazetteer once (``frontlines.engine.ray_engine``; ``pip install frontlines[ray]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontlines.engine.base import Engine
from frontlines.engine.local import LocalEngine

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.engine.ray_engine import RayEngine

__all__ = ["ENGINES", "Engine", "LocalEngine", "RayEngine", "make_engine"]

ENGINES = ("local", "ray")


def make_engine(name: str = "local", *, address: str | None = None,
                workers: int | None = None) -> Engine:
    """The engine called ``name`` (``local`` or ``ray``); ``address`` and ``workers`` are
    for Ray (a cluster's address, else a local Ray with ``workers`` CPUs)."""
    from frontlines.errors import ConfigError

    if name == "local":
        if address is not None:
            raise ConfigError("--address is for --engine ray; drop it, or add --engine ray")
        return LocalEngine()
    if name == "ray":
        from frontlines.engine.ray_engine import RayEngine

        return RayEngine(address=address, workers=workers)
    raise ConfigError(f"unknown engine {name!r}; choose one of {', '.join(ENGINES)}")


def __getattr__(name: str) -> object:
    if name == "RayEngine":  # imported on use: Ray is an optional extra
        from frontlines.engine.ray_engine import RayEngine

        return RayEngine
    raise AttributeError(name)
