"""Frontlines: conflict reporting in, ACLED-style events, places, control and exposure out."""

from frontlines.errors import FrontlinesError
from frontlines.model import Actor, Analysis, Article, Event, Place, Toponym

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Analysis",
    "Article",
    "Event",
    "FrontlinesError",
    "Place",
    "Toponym",
    "__version__",
]
