"""Pure helpers over the dependency parse: clause links, phrase spans, conjuncts.

No state and no lexicon: each takes spaCy tokens and answers from the tree alone, so they can be
tested on a hand-built ``Doc``.
"""

from __future__ import annotations

from spacy.tokens import Token

__all__ = ["counted_after", "governing_verb", "headline_passive", "in_assoc", "in_relcl",
           "is_ancestor", "same_clause", "span_chars", "with_conj"]


def governing_verb(tok: Token) -> Token:
    """The verb that governs a trigger noun (itself for verbs)."""
    cur, steps = tok, 0
    while cur.pos_ not in ("VERB", "AUX") and cur.dep_ != "ROOT" and steps < 4:
        cur = cur.head
        steps += 1
    return cur


def in_assoc(tok: Token) -> bool:
    """Inside "backed by ...", "supported by ...", "with support from ..."."""
    cur = tok
    for _ in range(4):
        if cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.lemma_.lower() in ("back", "support", "assist", "aid", "cover", "help"):
            return True
    return False


def counted_after(verb: Token) -> list[Token]:
    """The counted noun right after a kill verb the parser left without an object ("...,
    killing at least 35 people, residents and medics said": "people" was made the subject
    of "said")."""
    for t in verb.doc[verb.i + 1:min(verb.i + 7, verb.sent.end)]:
        if t.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "nummod" for c in t.children):
            return [t]
        if t.pos_ in ("VERB", "AUX") or t.text in (",", ";", "."):
            break
    return []


def headline_passive(verb: Token) -> bool:
    """A kill verb written as in a headline, its "were" left out ("Two killed and 30 wounded
    in clashes", "Three soldiers killed in ambush"): the subject is the victim."""
    if not any(c.dep_ == "nsubj" for c in verb.children):
        return False
    if any(c.dep_ in ("dobj", "aux", "auxpass", "nsubjpass") for c in verb.children):
        return False
    if verb.tag_ == "VBN":
        return True
    subject = next(c for c in verb.children if c.dep_ == "nsubj")
    return subject.tag_ == "CD"  # "12 killed and four injured": a bare number killed nobody


def in_relcl(tok: Token) -> bool:
    """Inside a relative clause ("the group, which stayed out of the fighting")."""
    cur = tok
    for _ in range(8):
        if cur.dep_ == "relcl":
            # "..., where a hospital was hit by an airstrike": a place's clause tells the event
            return not any(c.lower_ in ("where", "when") for c in cur.children)
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def with_conj(tok: Token) -> list[Token]:
    return [tok, *(c for c in tok.conjuncts if c.i > tok.i)]


def span_chars(tok: Token) -> tuple[int, int]:
    """Characters of a token's phrase, without relative clauses and appositions."""
    skip = {"relcl", "acl", "advcl", "appos", "punct", "cc", "conj"}
    lo, hi = tok.idx, tok.idx + len(tok.text)
    stack = [c for c in tok.children if c.dep_ not in skip]
    while stack:
        t = stack.pop()
        lo, hi = min(lo, t.idx), max(hi, t.idx + len(t.text))
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "advcl"))
    return lo, hi


def is_ancestor(a: Token, b: Token) -> bool:
    return any(x.i == a.i for x in b.ancestors)


def same_clause(a: Token, b: Token) -> bool:
    """Same clause: one governs the other without crossing a clause boundary with a marker."""
    for x, y in ((a, b), (b, a)):
        cur = x
        for _ in range(5):
            if cur.head.i == cur.i:
                break
            if cur.dep_ in ("conj", "ccomp", "parataxis", "relcl"):
                break
            if cur.dep_ == "advcl" and any(c.dep_ == "mark" for c in cur.children):
                break
            cur = cur.head
            if cur.i == y.i:
                return True
    return False
