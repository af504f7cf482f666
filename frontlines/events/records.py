"""The records the event steps hand each other: a ``Party`` (an actor as a phrase names it),
the ``Roles`` of a trigger (tokens), and the ``Draft`` of an event before assembly."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from frontlines.events.actors import ActorEntry
from frontlines.events.dates import DateMention
from frontlines.model import Toponym

__all__ = ["Draft", "Party", "Roles"]


@dataclass
class Party:
    """An actor as one phrase of the article names it."""

    entry: ActorEntry
    text: str


@dataclass
class Roles:
    """Tokens in each role of a candidate event (filled by ``collect_roles``)."""

    agent: list[Token] = field(default_factory=list)
    patient: list[Token] = field(default_factory=list)
    opponent: list[Token] = field(default_factory=list)
    assoc: list[Token] = field(default_factory=list)
    victims: list[Token] = field(default_factory=list)
    recipient: list[Token] = field(default_factory=list)
    places: list[tuple[Token, str]] = field(default_factory=list)


@dataclass
class Draft:
    """A candidate event on its way to an ``Event``."""

    sub_event_type: str
    trigger: Token
    sentence: Span
    actor1: Party | None = None
    assoc1: list[Party] = field(default_factory=list)
    actor2: Party | None = None
    assoc2: list[Party] = field(default_factory=list)
    toponym: Toponym | None = None
    near: bool = False
    attached: bool = False
    date: DateMention | None = None
    fatalities: int = 0
    claim_source: str = ""
    certainty: str = "asserted"
