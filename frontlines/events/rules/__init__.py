"""Step 7, the rule registry: which ACLED sub-event a candidate event is.

A rule is a function registered for an event family::

    @rule("territory", order=10)
    def decide(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None: ...

It answers with a sub-event type, with ``None`` ("not mine: ask the next rule") or with
``NO_EVENT`` ("mine, and no event"). ``decide`` asks the rules in ``order`` and takes the first
answer; a kind no rule claims gives the sub-event type the trigger itself names, if any. One
family per module: territory, battles, remote (explosions/remote violence), civilians
(violence against civilians), protests (protests and riots), strategic (strategic
developments). Each rule can be tested alone on hand-built roles (tests/test_events_rules.py).
"""

from __future__ import annotations

# the registry first, then the families, which register their rules on import
from frontlines.events.rules.registry import (
    CROWD,
    FAMILIES,
    NO_EVENT,
    VIOLENCE_KINDS,
    Candidate,
    Rule,
    decide,
    rule,
    rules,
)
from frontlines.events.rules import (  # noqa: F401  (each registers its rules)
    battles,
    civilians,
    protests,
    remote,
    strategic,
    territory,
)

__all__ = ["CROWD", "FAMILIES", "NO_EVENT", "VIOLENCE_KINDS", "Candidate", "Rule", "decide",
           "rule", "rules"]
