"""The rule registry: ``@rule(family, order=...)`` and ``decide`` (see the package docstring)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from frontlines.events.lexicon import TriggerHit
from frontlines.events.records import Party, Roles

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext

__all__ = ["FAMILIES", "NO_EVENT", "Candidate", "Rule", "decide", "rule", "rules"]

FAMILIES = ("territory", "battles", "remote", "civilians", "protests", "strategic")
NO_EVENT = ""  # a rule's answer: the candidate is this family's, and it is no event

#: trigger kinds that stand for violence of any family ("killed", "attacked")
VIOLENCE_KINDS = frozenset({"@violence", "@outcome"})
#: ACLED inter codes of crowds: rioters, protesters, civilians
CROWD = frozenset({5, 6, 7})


@dataclass(frozen=True)
class Candidate:
    """What the rules decide on: the trigger, its kind and the two sides found so far."""

    kind: str  # a sub-event type, or "@territory" / "@protest" / "@violence" / "@outcome"
    trigger: Token
    primary: TriggerHit
    sentence: Span
    actor1: Party | None = None
    actor2: Party | None = None
    country: str | None = None  # the event's country (ISO2), where it was placed
    when: dt.date | None = None  # the event's day


Rule = Callable[[Candidate, Roles, "ArticleContext"], "str | None"]


@dataclass(frozen=True)
class _Entry:
    family: str
    order: int
    name: str
    decide: Rule


_REGISTRY: list[_Entry] = []


def rule(family: str, *, order: int) -> Callable[[Rule], Rule]:
    """Register ``decide`` for ``family``; rules are asked in ``order`` (lowest first)."""
    if family not in FAMILIES:
        raise ValueError(f"unknown event family {family!r}; expected one of {FAMILIES}")

    def register(fn: Rule) -> Rule:
        _REGISTRY.append(_Entry(family, order, fn.__name__, fn))
        _REGISTRY.sort(key=lambda e: e.order)
        return fn

    return register


def rules(family: str | None = None) -> list[_Entry]:
    """The registered rules (of ``family``), in the order they are asked."""
    return [e for e in _REGISTRY if family is None or e.family == family]


def decide(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """The sub-event type of ``candidate``, or ``None`` when it is no event."""
    for entry in _REGISTRY:
        answer = entry.decide(candidate, roles, context)
        if answer is not None:
            return answer or None
    kind = candidate.kind
    return kind if kind in context.codebook.sub_event_types else None
