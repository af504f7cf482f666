"""Protests and riots: peaceful protest, protest with intervention, excessive force against
protesters, violent demonstration, mob violence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontlines.events.records import Roles
from frontlines.events.rules.registry import CROWD, VIOLENCE_KINDS, Candidate, rule

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext


@rule("protests", order=20)
def protest(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """A protest trigger: the sentence's cues say how it went (cues in triggers.yaml)."""
    if candidate.kind != "@protest":
        return None
    sent = candidate.sentence
    lemmas = {t.lemma_.lower() for t in sent}
    text_low = sent.text.lower()

    def cue(words) -> bool:
        return any((len(w) == 1 and w[0] in lemmas) or " ".join(w) in text_low for w in words)

    cues = context.lex.protest_cues
    if cue(cues.get("excessive_force", ())):
        return "Excessive force against protesters"
    if "peaceful" in text_low:
        return "Peaceful protest"
    if cue(cues.get("riot", ())):
        return "Violent demonstration"
    if cue(cues.get("intervention", ())):
        return "Protest with intervention"
    return "Peaceful protest"


@rule("protests", order=40)
def force_on_protesters(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """"shot dead ... Palestinians protesting": the victims were protesting."""
    if candidate.kind in VIOLENCE_KINDS and any(
            c.lemma_.lower() in ("protest", "demonstrate")
            for v in roles.victims + roles.patient for c in v.children):
        return "Excessive force against protesters"
    return None


@rule("protests", order=41)
def crowd_violence(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """Violence by a crowd: on civilians or rioters a mob, else a violent demonstration."""
    a1, target = candidate.actor1, candidate.actor2
    if candidate.kind not in VIOLENCE_KINDS or a1 is None or a1.entry.inter not in CROWD:
        return None
    mob = target.entry.inter in (5, 7) if target is not None else a1.entry.inter == 5
    return "Mob violence" if mob else "Violent demonstration"


@rule("protests", order=43)
def protesters_targeted(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    target = candidate.actor2
    if candidate.kind in VIOLENCE_KINDS and target is not None and target.entry.inter == 6:
        return "Excessive force against protesters"
    return None


@rule("protests", order=50)
def crowd_clash(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """"supporters of the two candidates clashed": mob violence; a clash with a crowd on
    either side is a violent demonstration."""
    if candidate.kind != "Armed clash":
        return None
    a1, a2 = candidate.actor1, candidate.actor2
    if a1 is not None and a1.entry.inter == 5 and (a2 is None or a2.entry.inter in (5, 7)):
        return "Mob violence"
    if (a1 is not None and a1.entry.inter in CROWD) or (a2 is not None and a2.entry.inter in (5, 6)):
        return "Violent demonstration"
    return None


@rule("protests", order=52)
def crowd_looting(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    a1 = candidate.actor1
    if candidate.kind == "Looting/property destruction" and a1 is not None \
            and a1.entry.inter in CROWD:
        return "Violent demonstration"
    return None
