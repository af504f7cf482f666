"""Territory: ground taken by force (Government regains / Non-state actor overtakes
territory), handed over without a fight (Non-violent transfer of territory), or people seized
with it (Arrests, Abduction)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from frontlines.events.records import Party, Roles
from frontlines.events.roles import is_place
from frontlines.events.rules.registry import NO_EVENT, Candidate, rule
from frontlines.events.words import MOVEMENT_NOUNS, VACATED

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext


@rule("territory", order=10)
def territory(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    if candidate.kind != "@territory":
        return None
    trig, sent = candidate.trigger, candidate.sentence
    a1, a2 = candidate.actor1, candidate.actor2
    text_low = sent.text.lower()
    if trig.lemma_.lower() in ("take", "enter", "assume") and (
            any(t.lemma_.lower() in VACATED for t in sent) or "without a fight" in text_low):
        return "Non-violent transfer of territory"
    if trig.lemma_.lower() == "take" and any(
            c.dep_ == "dobj" and c.lemma_.lower() == "place" for c in trig.children):
        # "a patrol took place near the crossing": forces moving, else nothing taken
        moving = any(c.dep_ == "nsubj" and c.lemma_.lower() in MOVEMENT_NOUNS
                     for c in trig.children)
        return "Change to group/activity" if moving else NO_EVENT
    if candidate.primary.spec.lemmas == ("take",) and not (
            roles.places or any(is_place(context, t) for t in roles.patient) or roles.opponent):
        return NO_EVENT  # "took part", "took time": nothing taken
    people = [t for t in roles.patient if not is_place(context, t)
              and context.actors.generic_kind([t.lemma_.lower()]) is not None
              and t.lemma_.lower() not in ("position", "base")]
    if people and trig.lemma_.lower() in ("seize", "capture", "take"):
        return "Arrests" if a1 is not None and a1.entry.inter == 1 else \
            "Abduction/forced disappearance"
    if a1 is not None:
        return ("Government regains territory" if own_state(a1, candidate, context)
                else "Non-state actor overtakes territory")
    if any(_named_subject(t) and not is_place(context, t) for t in roles.agent):
        # "Maghawir al-Thawra captured X": a group the dictionary does not know, not the state
        return "Non-state actor overtakes territory"
    opp = a2
    if opp is not None and opp.entry.inter == 1:
        return "Non-state actor overtakes territory"
    return "Government regains territory" if opp is not None else "Armed clash"


def own_state(party: Party, candidate: Candidate, context: ArticleContext) -> bool:
    """ACLED's rule for ground taken: it is the government's when the state's own forces
    (or a force ACLED codes as the state) take it; anyone else, a foreign state's forces
    included (Turkey's army in Syria), overtakes it. A state force is foreign when the side
    that lost the ground is at home in another country ("Turkish forces captured X from the
    SDF"); where the event was placed is no evidence (a village resolved to a far country by a
    gazetteer homonym, or a border area, does not make the army of the country foreign)."""
    if party.entry.inter != 1:
        return False
    home, loser = party.entry.country, candidate.actor2
    if home is None or loser is None or loser.entry.inter not in (1, 2, 3, 4):
        return True
    return not (loser.entry.country and loser.entry.country != home)


def _named_subject(tok: Token) -> bool:
    """A proper name as the subject ("Maghawir al-Thawra", "Liwa al-Quds")."""
    return tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "PROPN"
