"""Step 3, roles: who did what to whom, read off the dependency parse around a trigger.

``collect_roles(ctx, trigger, roles)`` fills a ``Roles`` with tokens: agents, patients,
opponents ("clashes with X"), associates ("backed by X"), victims, recipients and the places
tied to the trigger by a preposition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from frontlines.events.parties import actors_in
from frontlines.events.records import Roles
from frontlines.events.syntax import counted_after, headline_passive, span_chars, with_conj
from frontlines.events.words import (
    ASSOC,
    BLAST_WORDS,
    LIGHT_VERBS,
    LOC_PREPS,
    NEAR_WORDS,
    PLACE_NOUNS,
    RAISING,
    UNIT_WORDS,
    VACATE,
)

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext

__all__ = ["Roles", "collect_roles", "is_place"]


def collect_roles(ctx: ArticleContext, tok: Token, roles: Roles) -> None:
    lex = ctx.lex
    is_kill = tok.lemma_.lower() in lex.kill_lemmas
    for c in tok.children:
        d = c.dep_
        if d == "nsubj":
            (roles.victims if tok.lemma_.lower() in ("die", "perish") or
             (is_kill and headline_passive(tok)) else roles.agent).extend(with_conj(c))
        elif d == "nsubjpass" or d == "dobj":
            (roles.victims if is_kill else roles.patient).extend(with_conj(c))
        elif d == "agent":
            roles.agent.extend(x for p in c.children if p.dep_ == "pobj" for x in with_conj(p))
        elif d in ("amod", "compound", "poss", "nmod") and tok.pos_ == "NOUN":
            roles.agent.append(c)
        elif d in ("acl", "relcl") and tok.pos_ == "NOUN" and c.tag_ == "VBN":
            roles.agent.extend(x for a in c.children if a.dep_ == "agent"  # "shells fired by ISIS"
                               for x in a.children if x.dep_ == "pobj")
        elif d == "prep":
            _prep(ctx, tok, c, roles)
        elif d in ("advcl", "acl", "xcomp") and c.lemma_.lower() in ASSOC | {"back", "support"}:
            roles.assoc.extend(x for p in c.children if p.dep_ in ("agent", "prep")
                               for x in p.children if x.dep_ == "pobj")
        elif d in ("advcl", "acl") and c.lemma_.lower() in lex.kill_lemmas:
            dead = [g for g in c.children if g.dep_ in ("dobj", "nsubjpass")]
            for g in dead or counted_after(c):
                roles.victims.extend(with_conj(g))
    for p in list(roles.patient):  # "took over the positions vacated by the group / HTS left"
        for c in p.children:
            if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in VACATE:
                roles.opponent.extend(x for a in c.children if a.dep_ == "agent"
                                      for x in a.children if x.dep_ == "pobj")
                roles.opponent.extend(x for x in c.children if x.dep_ == "nsubj"
                                      and x.lower_ not in ("that", "which", "who"))
    # noun trigger: the governing verb's subject/object; a participle's head noun
    head = tok.head
    if tok.pos_ in ("NOUN", "PROPN") and head.i != tok.i:
        if tok.dep_ in ("dobj", "pobj") and head.pos_ == "VERB" and head.lemma_.lower() in LIGHT_VERBS:
            roles.agent.extend(x for c in head.children if c.dep_ == "nsubj" for x in with_conj(c))
            for c in head.children:
                if c.dep_ == "prep":
                    _prep(ctx, head, c, roles)
        elif tok.dep_ == "nsubj" and head.pos_ == "VERB":
            for c in head.children:
                if c.dep_ == "dobj":
                    (roles.victims if head.lemma_.lower() in lex.kill_lemmas else roles.patient).extend(with_conj(c))
                elif c.dep_ == "prep":
                    _prep(ctx, head, c, roles)
        elif tok.dep_ == "pobj" and head.dep_ == "prep":
            verb = head.head
            if verb.pos_ in ("VERB", "AUX"):
                dead = verb.lemma_.lower() in ("die", "perish") or (
                    verb.lemma_.lower() in lex.kill_lemmas and headline_passive(verb))
                for c in verb.children:
                    if c.dep_ in ("nsubjpass",) or (c.dep_ == "nsubj" and dead):
                        roles.victims.extend(with_conj(c))
                    elif c.dep_ == "nsubj" and head.lower_ == "under":
                        roles.patient.extend(with_conj(c))  # "a convoy came under attack"
                    elif c.dep_ == "nsubj":
                        roles.agent.extend(with_conj(c))
                    elif c.dep_ == "prep" and c.i != head.i:
                        _prep(ctx, verb, c, roles)
    elif tok.pos_ == "VERB" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        if tok.dep_ in ("conj", "xcomp", "advcl") and head.pos_ in ("VERB", "AUX"):
            subj = [c for c in head.children if c.dep_ == "nsubj" or (
                c.dep_ == "nsubjpass" and tok.dep_ == "xcomp" and
                head.lemma_.lower() in RAISING)]  # "ISIS is said to have captured"
            up = head
            while not subj and up.dep_ in ("conj", "xcomp") and \
                    up.head.pos_ in ("VERB", "AUX") and up.head.i != up.i:
                up = up.head  # "a convoy entered Idlib and began setting up a post"
                subj = [c for c in up.children if c.dep_ == "nsubj"]
            roles.agent.extend(x for s in subj for x in with_conj(s))
        elif tok.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN"):
            (roles.victims if is_kill and tok.tag_ == "VBN" else
             roles.patient if tok.tag_ == "VBN" else roles.agent).append(head)
    if not roles.agent and tok.pos_ == "NOUN" and _is_transfer_word(ctx, tok):
        # "... left the outskirts of Arsal, completing the evacuation of Jurd Arsal": the
        # evacuation is done by the subject of the clause it completes
        cur = tok
        for _ in range(4):
            cur = cur.head
            if cur.pos_ == "VERB":
                break
        if cur.pos_ == "VERB" and not any(c.dep_ == "nsubj" for c in cur.children) \
                and cur.dep_ in ("advcl", "xcomp", "conj"):
            roles.agent.extend(c for c in cur.head.children if c.dep_ == "nsubj")
    if tok.lemma_.lower() == "fall":
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "into"):
                roles.agent.extend(p for p in c.children if p.dep_ == "pobj")
        roles.patient.extend(c for c in tok.children if c.dep_ == "nsubj")
        roles.agent[:] = [a for a in roles.agent if a.dep_ != "nsubj" or a.head != tok]


def _prep(ctx: ArticleContext, tok: Token, prep: Token, roles: Roles) -> None:
    word = prep.lower_
    objs = [x for p in prep.children if p.dep_ == "pobj" for x in with_conj(p)]
    if word in ("from", "against", "with", "on", "targeting", "between", "into", "of"):
        for o in objs:
            if is_place(ctx, o):
                roles.places.append((o, word))
            elif word == "between":
                roles.agent.append(o)
            elif word == "with" and o.lemma_.lower() in ("support", "help", "backing", "cover"):
                roles.assoc.extend(x for p in o.children if p.dep_ == "prep"
                                   for x in p.children if x.dep_ == "pobj")
            elif word == "of" and tok.pos_ == "VERB":
                continue
            elif word in ("on", "into") and tok.pos_ == "VERB":
                roles.places.append((o, word))
            else:
                roles.opponent.append(o)
    elif word in ("by",):
        roles.agent.extend(objs)
    elif word == "to" and objs and not any(is_place(ctx, o) for o in objs):
        roles.recipient.extend(objs)
    elif word in ("alongside",):
        roles.assoc.extend(objs)
    elif word in LOC_PREPS or prep.pos_ == "ADP":
        for o in objs:
            roles.places.append((o, word))
            if o.lemma_.lower() in UNIT_WORDS and actors_in(ctx, o) and tok.lemma_.lower() \
                    in BLAST_WORDS:
                roles.opponent.append(o)  # "exploded near a Popular Mobilization Forces patrol"
            if o.lemma_.lower() in NEAR_WORDS | {"outskirt"}:
                for p in o.children:
                    if p.dep_ == "prep":
                        roles.places.extend((x, "near") for x in p.children if x.dep_ == "pobj")
            if o.pos_ in ("NOUN",) and o.lemma_.lower() in ("clash", "fighting", "attack", "battle"):
                for p in o.children:
                    if p.dep_ == "prep" and p.lower_ in ("with", "between", "against"):
                        roles.opponent.extend(x for q in p.children if q.dep_ == "pobj"
                                              for x in with_conj(q))


def is_place(ctx: ArticleContext, tok: Token) -> bool:
    lo, hi = span_chars(tok)
    if any(m.start >= lo and m.end <= hi for m in ctx.matches):
        return False
    return any(t.start >= tok.idx and t.end <= tok.idx + len(tok.text) + 40 and
               t.start >= lo and t.end <= hi for t in ctx.toponyms) and tok.pos_ in ("PROPN",) \
        or tok.lemma_.lower() in PLACE_NOUNS


def _is_transfer_word(ctx: ArticleContext, tok: Token) -> bool:
    """Is ``tok`` a withdrawal/evacuation word (a Non-violent transfer trigger)?"""
    return any(h.spec.type == "Non-violent transfer of territory"
               for h in ctx.lex.match(ctx.doc[tok.i:tok.i + 1]))
