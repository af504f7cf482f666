"""Step 5, fatalities: the dead of a candidate event, counted once each.

Victims of kill words ("killed 12 fighters", "two were found dead", "the toll rose to 70");
differing tolls give the most conservative figure, vague words ("dozens") their codebook
numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from frontlines.events.filters import blocked
from frontlines.events.lexicon import TriggerHit, parse_number
from frontlines.events.syntax import counted_after, headline_passive, with_conj

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext
    from frontlines.events.records import Roles

__all__ = ["count_fatalities"]


def count_fatalities(ctx: ArticleContext, members: list[TriggerHit], roles: Roles) -> int:
    lex = ctx.lex
    counted: set[int] = set()
    total = 0
    kills: list[Token] = []
    own = {i for h in members for i in range(h.start, h.end)} | {h.head for h in members}
    for hit in members:
        tok = ctx.doc[hit.head]
        kills.extend(t for t in ctx.doc[tok.sent.start:tok.sent.end]
                     if t.lemma_.lower() in lex.kill_lemmas and not blocked(ctx, t)
                     # several events in one sentence: each keeps the deaths grouped with it
                     and (not ctx.shared_sentence or t.i in own))
    seen_kill: set[int] = set()
    tolls: list[int] = []
    loose = 0
    for k in kills:
        if k.i in seen_kill:
            continue
        seen_kill.add(k.i)
        n = _count_kill(ctx, k, counted)
        if k.lemma_.lower() == "toll" or any(c.lower_ == "toll" for c in k.children):
            if n:
                tolls.append(n)  # "put the toll at 70": another figure for the same dead
        elif k.pos_ == "NOUN" and k.lemma_.lower() in ("death", "fatality", "casualty") and not any(
                c.dep_ == "nummod" for c in k.children):
            loose += n  # "the first fatalities of the offensive": the dead counted elsewhere
        else:
            total += n
    if tolls:  # differing figures: the most conservative
        total = min(total, *tolls) if total else min(tolls)
    return total or loose


def _count_kill(ctx: ArticleContext, k: Token, counted: set[int]) -> int:
    lemma = k.lemma_.lower()
    victims: list[Token] = []
    if lemma in ("toll", "death") and any(c.lower_ in ("toll",) for c in k.children) or lemma == "toll":
        verb = k.head
        for c in list(verb.children) + list(k.children):
            if c.dep_ == "prep" and c.lower_ in ("to", "at", "of"):
                victims.extend(p for p in c.children if p.dep_ == "pobj")
            if c.dep_ in ("attr", "nummod", "dobj"):
                victims.append(c)
    elif lemma in ("death", "fatality", "body", "corpse", "martyr", "dead") and k.pos_ in ("NOUN", "PROPN"):
        victims.append(k)
    elif lemma == "dead" and k.pos_ == "ADJ":
        if k.dep_ == "amod":
            victims.append(k.head)
        elif k.dep_ in ("oprd", "xcomp", "acomp", "ccomp"):
            # "troops shot dead 24 protesters": the object died, not the shooters;
            # "two men were found dead", "he fell dead": the subject
            objects = [c for c in k.head.children if c.dep_ in ("dobj", "nsubjpass")]
            victims.extend(objects or [c for c in k.head.children if c.dep_ == "nsubj"])
            if not victims and k.head.dep_ == "acl":
                victims.append(k.head.head)
        else:
            victims.extend(c for c in k.children if c.dep_ in ("nsubj", "npadvmod", "nummod"))
    elif k.pos_ in ("VERB", "AUX") or k.tag_.startswith("VB"):
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in k.children) or \
            headline_passive(k)
        for c in k.children:
            if c.dep_ == "nsubjpass" or (c.dep_ == "dobj" and not passive) or (
                    c.dep_ == "nsubj" and passive):
                victims.extend(with_conj(c))
            elif c.dep_ == "nsubj" and lemma in ("die", "perish", "lose"):
                if lemma == "lose":
                    if any(d.lemma_.lower() == "life" for d in k.children if d.dep_ == "dobj"):
                        victims.extend(with_conj(c))
                else:
                    victims.extend(with_conj(c))
        if not victims and k.dep_ in ("acl", "amod") and k.tag_ == "VBN":
            victims.append(k.head)
        if not victims and k.tag_ == "VBG":
            victims.extend(counted_after(k))
        if not victims and k.dep_ == "conj" and passive is False:
            victims.extend(c for c in k.head.children if c.dep_ == "nsubjpass")
    total = 0
    for v in victims:
        if v.i in counted:
            continue
        counted.add(v.i)
        n = _quantity(ctx, v)
        if n:
            total += n
    return total


def _quantity(ctx: ArticleContext, v: Token) -> int:
    vague = ctx.lex.vague
    if v.like_num or v.pos_ == "NUM":
        n = parse_number(v.text)
        if n is not None:
            for c in v.children:  # "between 5 and 8": conservative, the lower
                if c.dep_ == "conj" and (m := parse_number(c.text)) is not None:
                    n = min(n, m)
            return n
    low = v.lower_
    if low in vague:
        return vague[low]
    nums = [c for c in v.children if c.dep_ == "nummod"]
    for c in nums:
        n = parse_number(c.text)
        alt = [parse_number(x.text) for x in c.children if x.dep_ == "conj"]
        alt = [a for a in alt if a is not None]
        if n is not None:
            return min([n, *alt])
        if c.lower_ in vague:
            return vague[c.lower_]
    for c in v.children:
        if c.dep_ in ("amod", "det") and c.lower_ in vague:
            return vague[c.lower_]
        if c.dep_ in ("amod", "det") and c.lower_ == "few":
            return vague["a few"]
    if v.lemma_.lower() in ("toll",):
        return 0
    if v.pos_ == "PRON":
        return 1 if v.lower_ in ("he", "she", "him", "her") else vague.get("plural", 2)
    if v.tag_ in ("NNS", "NNPS"):
        return vague.get("plural", 2)
    if v.pos_ in ("NOUN", "PROPN"):
        if v.lemma_.lower() in ("death", "fatality", "body", "dead", "casualty"):
            return vague.get("plural", 2) if v.tag_ == "NNS" else 0
        return 1
    return 0
