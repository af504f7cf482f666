"""Step 6, filters: mentions that are no new event, and who vouches for the rest.

``blocked``: negated, denied, planned, modal or conditional. ``background``: a description,
a reference to an event already told, a time span ("during the battle"). ``attribution``: the
source and certainty of a report ("according to", "claimed").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from frontlines.events.lexicon import TriggerHit
from frontlines.events.syntax import governing_verb, in_relcl, is_ancestor
from frontlines.events.triggers import families, kind_of
from frontlines.events.words import (
    AIR_WORDS,
    CLEARING,
    DENIED_OBJECTS,
    ERV_TYPES,
    FIRE_VERBS,
    GOING_ON,
    LIGHT_VERBS,
    TACTIC_VERBS,
)

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext

__all__ = ["attribution", "background", "blocked", "claims_known", "denied_after", "determined",
           "reference", "time_reference"]


def background(ctx: ArticleContext, hit: TriggerHit, *, soft: bool = True) -> bool:
    """A mention that describes something, not a new event.

    "the hills they had captured", "a captured ISIS fighter", "positions vacated by the
    group" (ground-changing words as modifiers), "the group, which stayed out of the
    fighting" (inside a relative clause), "during the battle", "a week into the offensive"
    and "the fighting" after an earlier event (references to a reported event).
    """
    tok = ctx.doc[hit.head]
    kind = kind_of(ctx, hit)
    if kind == "@outcome":
        return False  # deaths attach to the event around them
    ground = kind in ("@territory", "Non-violent transfer of territory")
    if ground and tok.pos_ in ("VERB", "ADJ") and tok.dep_ in ("relcl", "acl"):
        return True
    if tok.dep_ == "amod" and tok.tag_ == "VBN" and tok.i > 0 and tok.head.i > tok.i and (
            ctx.doc[tok.i - 1].pos_ in ("DET", "PRON") or ctx.doc[tok.i - 1].tag_ == "POS"):
        return True  # "a captured ISIS fighter", "the group's captured members"
    if tok.pos_ == "NOUN" and time_reference(ctx, tok):
        return True
    head = tok.head.lemma_.lower()
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ == "under" and \
            tok.head.head.lemma_.lower() not in ("come", "fall") and (  # "came under attack"
            kind != "Agreement" or "Strategic developments" in ctx.seen_types):
        # a state ("under attack", "under fire"); "under an agreement" is a reference to an
        # agreement only once one has been reported
        return True  # a state: "under attack", "under fire", "under an agreement"
    if tok.lemma_.lower() == "fire" and tok.pos_ == "NOUN" and head not in FIRE_VERBS and (
            tok.i == 0 or ctx.doc[tok.i - 1].lemma_.lower() not in FIRE_VERBS):
        return True  # "started a brush fire"
    base = tok.head if tok.dep_ == "conj" else tok  # "clearing mines and booby-traps"
    if kind in ERV_TYPES and ((base.dep_ == "dobj" and base.head.lemma_.lower() in CLEARING) or any(
            c.dep_ in ("compound", "amod") and c.lemma_.lower() in CLEARING for c in base.children)):
        return True  # "engineers were clearing mines": no attack
    if tok.pos_ == "NOUN" and base.tag_ == "NNS" and base.dep_ == "dobj" and \
            base.head.lemma_.lower() in TACTIC_VERBS:
        purpose = [c for c in base.head.children if c.dep_ in ("advcl", "xcomp") and
                   any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
        if purpose and not any(ctx.lex.has_trigger([c]) for c in purpose):
            return True  # "ISIS used suicide car bombs and snipers to slow the advance"
    if not soft:
        return False
    if kind not in ("@protest", "@outcome") and in_relcl(tok):
        return True
    if not families(ctx, kind) & ctx.seen_types:
        return False
    if tok.pos_ == "NOUN" and reference(ctx, tok):
        return True
    if tok.dep_ in ("nsubj", "csubj") and head in GOING_ON:
        return True  # "Fighting there continued into the night"
    # "The strike hit a car": a verb whose subject is the event already told
    return tok.pos_ == "VERB" and any(
        c.dep_ == "nsubj" and determined(ctx, c) and ctx.lex.has_trigger([c])
        and c.lemma_.lower() not in AIR_WORDS for c in tok.children)


def claims_known(ctx: ArticleContext, hit: TriggerHit) -> bool:
    tok = ctx.doc[hit.head]
    return (tok.pos_ == "NOUN" and tok.dep_ == "dobj" and determined(ctx, tok)
            and tok.head.lemma_.lower() in ctx.lex.claim_verbs
            and bool(families(ctx, kind_of(ctx, hit)) & ctx.seen_types))


def time_reference(ctx: ArticleContext, tok: Token) -> bool:
    """"during the battle", "a week into the army's offensive", "the eleven-day offensive"."""
    lex = ctx.lex
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in (
            "day", "week", "month", "year", "hour"):
        return True  # "after a week of fighting": a span of time, told elsewhere
    if not determined(ctx, tok):
        return False
    before = ctx.text[tok.left_edge.idx:tok.idx].lower()
    if re.search(r"\w+\s*-\s*(day|week|month|year)\b|\blong\b", before):
        return True  # "the eleven-day offensive": a summary of a campaign
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ == "in" and head.head.lemma_.lower() in lex.kill_lemmas:
        return False  # "15 fighters were killed in the clashes around Saraqib": its toll
    return tok.dep_ == "pobj" and head.lower_ in lex.reference_time_preps


def determined(ctx: ArticleContext, tok: Token) -> bool:
    lex = ctx.lex
    return any(c.dep_ in ("det", "poss") and (
        c.lower_ in lex.reference_determiners or c.tag_ in ("PRP$", "NNP", "NNPS")
        or any(g.tag_ == "POS" for g in c.children)) for c in tok.children)


def reference(ctx: ArticleContext, tok: Token) -> bool:
    """A definite or possessive noun trigger pointing back at an event already reported
    ("The shells landed in open ground", "The clashes ended at night")."""
    if not determined(ctx, tok):
        return False
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in LIGHT_VERBS:
        return False  # "launched its offensive", "carried out the strike": the event itself
    if tok.dep_ == "pobj" and tok.head.lower_ == "in" and \
            tok.head.head.lemma_.lower() in ctx.lex.kill_lemmas and (
            ctx.previous is None
            or ctx.paragraph(tok.idx) != ctx.paragraph(ctx.previous.sentence.start_char)):
        return False  # "15 fighters were killed in the clashes around Saraqib": a new tally
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in ctx.lex.claim_verbs:
        return True  # "Al-Shabaab claimed the attack"
    return tok.dep_ != "dobj"


def blocked(ctx: ArticleContext, tok: Token) -> bool:
    """Negated, denied, planned, modal, conditional: not a reported event."""
    lex = ctx.lex
    chain = [tok]
    cur = tok
    for _ in range(6):
        if cur.head.i == cur.i:
            break
        if cur.dep_ in ("relcl", "parataxis"):
            break
        cur = cur.head
        chain.append(cur)
    verb = governing_verb(tok)
    for i, node in enumerate(chain):
        for child in node.children:
            low = child.lower_
            negated = child.dep_ == "neg" or (
                low in lex.negation and child.dep_ in ("neg", "det", "advmod"))
            if negated and (i == 0 or node == verb or node.pos_ in ("VERB", "AUX")):
                return True
            modal = (child.dep_ == "aux" and child.tag_ == "MD"
                     and child.lemma_.lower() in lex.modal)
            if modal and (i == 0 or node == verb):
                return True
            if child.dep_ == "mark" and low in lex.conditional_marks:
                return True
        if i > 0:
            lemma = node.lemma_.lower()
            if lemma in lex.denial:
                return True
            if lemma in lex.plan and chain[i - 1].dep_ in ("xcomp", "ccomp", "dobj", "prep", "pobj",
                                                            "advcl", "acl"):
                return True
            if node.pos_ == "NOUN" and lemma in lex.plan_nouns:
                return True
        if node.dep_ in ("ccomp",) and i > 0 and node.head.lemma_.lower() in lex.report_verbs:
            break
    # "HTS said it had seized several checkpoints, which the army denied"
    for d in verb.subtree:
        if d.lemma_.lower() in lex.denial and d.pos_ == "VERB" and d.i != tok.i and any(
                c.dep_ in ("dobj", "nsubjpass") and c.lower_ in DENIED_OBJECTS
                for c in d.children):
            return True
    return False


def denied_after(ctx: ArticleContext, sent: Span) -> bool:
    nxt = ctx.doc[sent.end].sent if sent.end < len(ctx.doc) else None
    for span in (sent, nxt):
        if span is None:
            continue
        if any(t.lemma_.lower() in ctx.lex.denial for t in span):
            return True
    return False


def attribution(ctx: ArticleContext, sent: Span, trig: Token) -> tuple[str, str]:
    lex = ctx.lex
    text_low = sent.text.lower()
    words = {t.lower_ for t in sent}
    source, certainty = "", "asserted"
    m = re.search(r"according to ([^,.;]+)", sent.text, re.IGNORECASE)
    if m:
        source, certainty = m.group(1).strip(), "reported"
    else:
        for t in sent:
            lemma = t.lemma_.lower()
            if t.pos_ in ("VERB",) and (lemma in lex.report_verbs or lemma in lex.claim_verbs) \
                    and t.i != trig.i:
                subj = [c for c in t.children if c.dep_ == "nsubj"]
                if not subj:
                    continue
                linked = is_ancestor(t, trig) or is_ancestor(trig, t) or t.head == trig.head
                if not linked:
                    continue
                s = subj[0]
                source = ctx.doc[s.left_edge.i:s.right_edge.i + 1].text
                certainty = "claimed" if lemma in lex.claim_verbs else "reported"
                if certainty == "reported":
                    named = [a for a in ctx.matches
                             if s.left_edge.idx <= a.start < s.right_edge.idx + len(s.right_edge)]
                    media = any(w in lex.media_words for w in source.lower().split())
                    if named and not media and "responsibility" not in text_low:
                        certainty = "claimed"
                break
    if "claimed responsibility" in text_low or "claim responsibility" in text_low:
        certainty = "claimed"
    if words & lex.possible_words:
        certainty = "possible" if certainty == "asserted" or "allegedly" in words else certainty
        if certainty == "asserted":
            certainty = "possible"
        if "reportedly" in words and not source:
            certainty = "reported"
    return source, certainty
