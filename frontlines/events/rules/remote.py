"""Explosions/remote violence: an attack from the air is an Air/drone strike whatever the
trigger's kind; the other remote weapons (shelling, IEDs, grenades...) are named by their
triggers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Token

from frontlines.events.records import Party, Roles
from frontlines.events.rules.registry import NO_EVENT, VIOLENCE_KINDS, Candidate, rule
from frontlines.events.words import AIR_WORDS, CROWD_CONTROL, ERV_TYPES

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext

_AIRCRAFT = re.compile(r"\b(air ?forces?|warplanes?|war planes?|jets?|aircraft|helicopters?|"
                       r"drones?|planes?|gunships?|mig|sukhoi|bombers?)\b")
#: trigger kinds an attacker from the air turns into an air strike
_AIR_KINDS = VIOLENCE_KINDS | {"Armed clash", "Shelling/artillery/missile attack"}


def air(context: ArticleContext, roles: Roles, a1: Party | None, trig: Token | None = None) -> bool:
    """Is the attacker an aircraft or an air force ("Russian warplanes", "the air force")?"""
    texts = [t.text.lower() for t in roles.agent] + [
        " ".join(c.lower_ for c in t.subtree) for t in roles.agent]
    if a1 is not None:
        texts.append(a1.text.lower())
    if trig is not None:  # "Warplanes believed to be Russian and Syrian struck ..."
        for node in [trig, *list(trig.ancestors)[:3]]:
            texts.extend(t.lower_ for t in node.children
                         if t.dep_ == "nsubj" and t.lemma_.lower() in AIR_WORDS)
    for a in roles.agent:
        if a.lemma_.lower() in ("strike", "raid") and context.air_context:
            texts.append("aircraft")  # "a strike hit a residential street"
    return bool(_AIRCRAFT.search(" ".join(texts)))


@rule("remote", order=30)
def air_strike(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """Violence, a clash or shelling by aircraft, or "warplanes bombed the town"."""
    kind, trig = candidate.kind, candidate.trigger
    lead = []  # the sentence's opening noun phrase, when the parse lost its subject
    for t in candidate.sentence:
        if t.pos_ in ("VERB", "AUX") or t.i >= trig.i:
            break
        lead.append(t)
    by_air = air(context, roles, candidate.actor1, trig) or (
        kind in VIOLENCE_KINDS and any(
            t.lemma_.lower() in AIR_WORDS or t.lower_.removesuffix("s") in AIR_WORDS for t in lead))
    if by_air and (kind in _AIR_KINDS or trig.lemma_.lower() == "bomb"):
        return "Air/drone strike"
    return None


@rule("remote", order=31)
def crowd_control(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """"fired stun grenades and tear gas", "threw a sound bomb": crowd-control munitions, no
    grenade attack (their crowd event, if told, is the event)."""
    trig = candidate.trigger
    if candidate.kind != "Grenade":
        return None
    mods = [c for c in trig.children if c.dep_ in ("compound", "amod", "nmod")]
    if trig.i > 0:
        mods.append(trig.doc[trig.i - 1])
    return NO_EVENT if any(m.lower_ in CROWD_CONTROL or m.lemma_.lower() in CROWD_CONTROL
                           for m in mods) else None


@rule("remote", order=88)
def remote_weapon(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """A trigger that names a remote weapon ("shelled", "a roadside bomb") is that sub-event."""
    return candidate.kind if candidate.kind in ERV_TYPES else None
