"""Battles: violence whose target is an armed actor is an Armed clash; deaths told without any
side are no battle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontlines.events.records import Roles
from frontlines.events.rules.registry import NO_EVENT, VIOLENCE_KINDS, Candidate, rule
from frontlines.events.words import (
    ARMED_INTER,
    CLASH_VERBS,
    DISRUPTED_WEAPONS,
    EXCHANGE_VERBS,
    THWART_VERBS,
)

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext


@rule("battles", order=45)
def armed_target(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """Violence against an armed side ("attacked army positions")."""
    target = candidate.actor2
    if candidate.kind in VIOLENCE_KINDS and target is not None \
            and target.entry.inter in ARMED_INTER:
        return "Armed clash"
    return None


@rule("battles", order=46)
def no_sides(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """"Three people were killed" with no side named: no event of its own."""
    if candidate.kind == "@outcome" and candidate.actor1 is None and candidate.actor2 is None:
        return NO_EVENT
    return None


@rule("battles", order=48)
def clash(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """Violence that no earlier rule placed: an armed clash."""
    return "Armed clash" if candidate.kind in VIOLENCE_KINDS else None


@rule("battles", order=87)
def named_clash(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """"clashed", "exchanged fire" (when no crowd took part): an armed clash."""
    return "Armed clash" if candidate.kind == "Armed clash" else None


@rule("battles", order=60)
def thwarted_attack(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """"thwarted an infiltration attempt", "thwarted and clashed with the rebels": an attack
    repelled is fighting; a disrupted weapon needs a weapon stopped ("foiled a car bomb")."""
    trig = candidate.trigger
    if candidate.kind != "Disrupted weapons use" or trig.lemma_.lower() not in THWART_VERBS:
        return None
    stopped = [t for o in roles.patient + roles.victims for t in o.subtree]
    if any(t.lemma_.lower() in DISRUPTED_WEAPONS for t in stopped):
        return None
    return "Armed clash"


@rule("battles", order=61)
def exchanged_shelling(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """Shelling told as an exchange ("the two sides exchanged artillery shelling") or with a
    clash in the same clause ("shelled and then clashed with"): the fighting, an armed clash."""
    trig = candidate.trigger
    if candidate.kind != "Shelling/artillery/missile attack":
        return None
    near = [trig.head, *trig.conjuncts, *trig.head.conjuncts]
    if trig.dep_ in ("dobj", "compound") and trig.head.lemma_.lower() in EXCHANGE_VERBS or any(
            t.lemma_.lower() in CLASH_VERBS and t.pos_ == "VERB" for t in near if t.i != trig.i):
        return "Armed clash"
    # "clashes with light weapons and mortars erupted": the mortars are the clash's weapons
    head = trig
    while head.dep_ in ("conj", "compound") and head.head.i != head.i:
        head = head.head
    prep = head.head
    if head.dep_ == "pobj" and prep.text.lower() == "with" and \
            prep.head.lemma_.lower() in CLASH_VERBS:
        return "Armed clash"
    return None
