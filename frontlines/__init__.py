"""Frontlines: conflict reports in; ACLED-style events, places, control and exposure out.

The public API. Heavy components (spaCy, SQLAlchemy, shapely, pandas) load on first use::

    from frontlines import Frontlines
    result = Frontlines().extract(["examples/"])
    df = frontlines.read_events("sqlite:///events.db")   # pandas; geo=True: GeoPandas
"""

import importlib as _importlib

from frontlines.errors import FrontlinesError
from frontlines.model import Actor, Analysis, Article, Event, Place, Toponym

__version__ = "0.1.0"

# name -> module it lives in; imported lazily on first attribute access.
_LAZY = {
    "Frontlines": "frontlines.pipeline",
    "RunReport": "frontlines.pipeline",
    "ExtractResult": "frontlines.pipeline",
    "Settings": "frontlines.settings",
    "read_articles": "frontlines.ingest",
    "Gazetteer": "frontlines.gazetteer",
    "Geoparser": "frontlines.geoparse",
    "EventExtractor": "frontlines.events",
    "Store": "frontlines.store",
    "write_events": "frontlines.export",
    "read_events": "frontlines.frames",
    "read_events_gdf": "frontlines.frames",
    "read_control": "frontlines.frames",
    "read_alerts": "frontlines.frames",
    "ControlMap": "frontlines.control",
    "control_snapshot": "frontlines.control",
    "control_changes": "frontlines.control",
    "exposure_alerts": "frontlines.control",
    "evaluate_geoparse": "frontlines.geoparse",
    "evaluate_events": "frontlines.events",
}

__all__ = [
    "Actor",
    "Analysis",
    "Article",
    "Event",
    "FrontlinesError",
    "Place",
    "Toponym",
    "__version__",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        value = getattr(_importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'frontlines' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
