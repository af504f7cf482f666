"""Violence against civilians: an attack on civilians or on a crowd that is not protesting,
one-sided violence by a non-state group, raids."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontlines.events.records import Roles
from frontlines.events.rules.registry import VIOLENCE_KINDS, Candidate, rule
from frontlines.events.words import CIVIL_PROPERTY, CIVIL_TARGETS

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext

_VAC_TYPES = frozenset({"Attack", "Abduction/forced disappearance", "Sexual violence"})
#: rebels, political militias, identity militias (ACLED inter codes)
_NON_STATE = frozenset({2, 3, 4})


@rule("civilians", order=42)
def civilians_targeted(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """Violence whose target is civilians (inter 7) or rioters (inter 5)."""
    target = candidate.actor2
    if candidate.kind in VIOLENCE_KINDS and target is not None and target.entry.inter in (5, 7):
        return "Attack"
    return None


#: prepositions that aim fire ("opened fire at / towards / on")
_AIMED = frozenset({"at", "towards", "toward", "on", "upon"})


@rule("civilians", order=44)
def civilian_object(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """Violence aimed at people going about their lives or their things, with no armed side
    named ("soldiers opened fire towards farmland", "troops fired at a car carrying workers",
    "beat a shepherd"): an attack on civilians, not a clash."""
    target = candidate.actor2
    if candidate.kind not in VIOLENCE_KINDS or (target is not None and target.entry.inter != 7):
        return None
    objects = roles.patient + roles.victims + [t for t, w in roles.places if w in _AIMED]
    for t in objects:
        lemma = t.lemma_.lower()
        kind = context.actors.generic_kind([lemma])
        if lemma in CIVIL_TARGETS or lemma in CIVIL_PROPERTY or (
                kind is not None and kind.inter == 7):
            return "Attack"
    return None


@rule("civilians", order=47)
def one_sided(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """Violence by a rebel group or militia (inter 3, 4) with no armed target, or a raid."""
    a1 = candidate.actor1
    if candidate.kind in VIOLENCE_KINDS and (
            a1 is not None and a1.entry.inter in (3, 4)
            or candidate.trigger.lemma_.lower() in ("raid", "invade")):
        return "Attack"
    return None


@rule("civilians", order=89)
def named_violence(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """A trigger that names the act ("abducted", "raped") is that sub-event."""
    return candidate.kind if candidate.kind in _VAC_TYPES else None


@rule("civilians", order=85)
def detained_by_armed_group(candidate: Candidate, roles: Roles,
                            context: ArticleContext) -> str | None:
    """People detained by a rebel group, militia or de facto force (inter 2-4: "the SDF
    detained three men", "gunmen seized a trader") are abducted, not arrested: ACLED keeps
    Arrests for a state's own forces."""
    a1 = candidate.actor1
    if candidate.kind == "Arrests" and a1 is not None and a1.entry.inter in _NON_STATE:
        return "Abduction/forced disappearance"
    return None
