"""Protests and riots: peaceful protest, protest with intervention, excessive force against
protesters, violent demonstration, mob violence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from frontlines.events.records import Roles
from frontlines.events.rules.registry import CROWD, VIOLENCE_KINDS, Candidate, rule
from frontlines.events.words import CROWD_PEOPLE, UNARMED_FIGHT

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext


@rule("protests", order=20)
def protest(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """A protest trigger: the sentence's cues say how it went (cues in triggers.yaml).

    A cue counts only as something done at the protest ("police dispersed them", "two were
    shot dead"), not as what the protest is about ("against the killing of", "demanding the
    release of detained sons", "in solidarity with prisoners"): see ``acted_cue``."""
    if candidate.kind != "@protest":
        return None
    sent = candidate.sentence
    text_low = sent.text.lower()
    cues = context.lex.protest_cues
    if acted_cue(sent, cues.get("excessive_force", ()), cues):
        return "Excessive force against protesters"
    if "peaceful" in text_low:
        return "Peaceful protest"
    if acted_cue(sent, cues.get("riot", ()), cues, verbs_only=False):
        return "Violent demonstration"
    if acted_cue(sent, cues.get("intervention", ()), cues):
        return "Protest with intervention"
    return "Peaceful protest"


def _grievance(tok: Token, cues: dict) -> bool:
    """``tok`` sits in what a protest is about: under "against", "in solidarity with",
    "demanding", "denounced" ... (``grievance`` and ``grievance_verbs`` cues)."""
    words = {w[0] for w in cues.get("grievance", ()) if len(w) == 1}
    verbs = {w[0] for w in cues.get("grievance_verbs", ()) if len(w) == 1}
    for a in tok.ancestors:
        lemma = a.lemma_.lower()
        if lemma in words or (lemma in verbs and a.pos_ == "VERB"):
            return True
    return False


def acted_cue(sent: Span, words, cues: dict, *, verbs_only: bool = True) -> bool:
    """One of ``words`` (lemmas or phrases) names an act at the protest: a one-word cue is a
    verb (not "their arrested sons", not "the killing of"; any part of speech when
    ``verbs_only`` is false), and no cue sits in the protest's grievance."""
    toks = list(sent)
    low = sent.text.lower()
    for w in words:
        if len(w) == 1 and "-" in w[0]:  # "tear-gas": the tokenizer splits it
            if w[0] in low:
                return True
            continue
        for k, t in enumerate(toks):
            if t.lemma_.lower() != w[0] and t.lower_ != w[0] or t.pos_ == "PROPN":
                continue  # a name is no act: "on 4 March", "Strike Brigade"
            if len(w) > 1:
                rest = [x.lower_ for x in toks[k + 1:k + len(w)]]
                rest_l = [x.lemma_.lower() for x in toks[k + 1:k + len(w)]]
                if not all(a == b or c == b for a, c, b in zip(rest, rest_l, w[1:])) \
                        or len(rest) < len(w) - 1:
                    continue
            elif verbs_only and (t.pos_ not in ("VERB", "AUX") or t.dep_ in ("amod", "compound")):
                continue
            if not _grievance(t, cues):
                return True
    return False


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
    return "Mob violence" if mob or not demonstrating(candidate, context) else \
        "Violent demonstration"


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
    sides = roles.agent + roles.opponent + roles.patient
    if any(t.lemma_.lower() in CROWD_PEOPLE for t in sides) or any(
            c.lemma_.lower() in UNARMED_FIGHT for c in candidate.trigger.children):
        # "clashes erupted between citizens and the forces", "physical clashes"
        return "Violent demonstration" if demonstrating(candidate, context) else "Mob violence"
    if (a1 is not None and a1.entry.inter in CROWD) or (a2 is not None and a2.entry.inter in (5, 6)):
        return "Violent demonstration" if demonstrating(candidate, context) else "Mob violence"
    return None


@rule("protests", order=52)
def crowd_looting(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    a1 = candidate.actor1
    if candidate.kind == "Looting/property destruction" and a1 is not None \
            and a1.entry.inter in CROWD and demonstrating(candidate, context):
        return "Violent demonstration"
    return None


def demonstrating(candidate: Candidate, context: ArticleContext) -> bool:
    """The sentence tells a demonstration ("during a demonstration", "protesters", "rioted"),
    not only a crowd's violence ("rioters clashed with troops who raided the town"): ACLED's
    line between a violent demonstration and mob violence (``demonstration`` cues)."""
    cues = context.lex.protest_cues
    sent = candidate.sentence
    if acted_cue(sent, cues.get("demonstration", ()), cues, verbs_only=False):
        return True
    return acted_cue(sent, cues.get("demonstration_verbs", ()), cues)
