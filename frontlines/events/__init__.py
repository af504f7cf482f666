"""ACLED-style event extraction: codebook, actors, triggers, dates, fatalities, eval."""

from frontlines.events.actors import ActorDictionary, ActorEntry
from frontlines.events.codebook import Codebook, interaction_code, load_codebook
from frontlines.events.dates import DateMention, find_dates
from frontlines.events.evaluate import EventsReport, evaluate_events
from frontlines.events.extract import EventExtractor
from frontlines.events.lexicon import Lexicon, load_lexicon

__all__ = [
    "ActorDictionary",
    "ActorEntry",
    "Codebook",
    "DateMention",
    "EventExtractor",
    "EventsReport",
    "Lexicon",
    "evaluate_events",
    "find_dates",
    "interaction_code",
    "load_codebook",
    "load_lexicon",
]

