"""Step 2, triggers: the sentences to read and their trigger words grouped into clauses.

``sentences(doc)`` cuts spaCy's sentences at blank lines; ``group`` joins the triggers of one
clause into one candidate event whose primary trigger names its kind; ``kind_of`` and
``families`` say what a trigger kind can become.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from frontlines.events.lexicon import TriggerHit
from frontlines.events.syntax import governing_verb, in_assoc, same_clause
from frontlines.events.words import (
    ADVANCE_VERBS,
    CONTROL_VERBS,
    GROUND_PREPS,
    LABOUR_STRIKE,
    TRIED_VERBS,
)

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext

__all__ = ["families", "group", "kind_of", "sentences"]


def kind_of(ctx: ArticleContext, hit: TriggerHit) -> str:
    """The trigger's type; "a strike" in a report about air raids is an air strike."""
    tok = ctx.doc[hit.head]
    if hit.spec.type == "@protest" and tok.lemma_.lower() == "strike" and tok.pos_ == "NOUN" \
            and ctx.air_context and not any(
                c.lower_ in LABOUR_STRIKE for c in tok.children):
        return "Air/drone strike"
    if hit.spec.type == "Armed clash" and advance_with_ground(tok):
        return "@territory"  # "rebels advanced into the village": ground won
    return hit.spec.type


def advance_with_ground(tok: Token) -> bool:
    """"advanced in Qara", "were able to advance into the village": an advance told with
    where it went wins ground; "attempted to advance", "advanced on ISIS positions" do not."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in ADVANCE_VERBS:
        return False
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in TRIED_VERBS:
        return False
    return any(c.dep_ == "prep" and c.lower_ in GROUND_PREPS and
               any(p.dep_ == "pobj" for p in c.children) for c in tok.children)


def control_taken(tok: Token) -> bool:
    """"managed to control X", "rebels controlled the hill": control won. Not a standing
    state ("the group controls the town"), a modifier ("IS-controlled areas") or control
    with nothing named as controlled."""
    if tok.dep_ in ("amod", "acl", "relcl", "compound") or tok.tag_ in ("VBZ", "VBP"):
        return False
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in TRIED_VERBS:
        return False
    return any(c.dep_ == "dobj" for c in tok.children)


def families(ctx: ArticleContext, kind: str) -> set[str]:
    """ACLED event types a trigger kind can give."""
    if kind in ctx.codebook.sub_event_types:
        return {ctx.codebook.sub_event(kind).event_type}
    return {"@territory": {"Battles"}, "@protest": {"Protests", "Riots"},
            "@violence": {"Battles", "Violence against civilians", "Explosions/Remote violence"},
            }.get(kind, {"Battles", "Violence against civilians"})


def group(ctx: ArticleContext, hits: list[TriggerHit]) -> list[tuple[TriggerHit, list[TriggerHit]]]:
    """Triggers of one clause form one event; the primary names its sub-event type."""
    doc = ctx.doc
    hits = [h for h in hits if doc[h.head].lemma_.lower() not in CONTROL_VERBS
            or h.spec.type != "@territory" or len(h.spec.lemmas) > 1 or control_taken(doc[h.head])]
    order = sorted(hits, key=lambda h: -h.spec.priority)
    groups: list[list[TriggerHit]] = []
    for hit in order:
        tok = doc[hit.head]
        anchor = governing_verb(tok)
        target = None
        for members in groups:
            for other in members:
                otok = doc[other.head]
                oanchor = governing_verb(otok)
                linked = anchor == oanchor or same_clause(anchor, oanchor) or same_clause(tok, otok)
                compatible = (
                    {hit.spec.type, other.spec.type} & {"@outcome", "@violence"}
                    or hit.spec.type == other.spec.type
                    or tok.pos_ != "VERB" or otok.pos_ != "VERB")
                if linked and compatible:
                    target = members
                    break
            if target is not None:
                break
        if target is None and hit.spec.type == "@outcome" and groups:
            target = groups[0]
        if target is not None:
            target.append(hit)
        else:
            groups.append([hit])

    def rank(h: TriggerHit) -> tuple[int, int, int]:
        tok = doc[h.head]
        modifier = tok.dep_ in ("acl", "relcl", "amod") or in_assoc(tok)
        verb_class = (tok.pos_ == "VERB" and h.spec.type not in ("@violence", "@outcome")
                      and h.spec.priority >= 5)
        return (0 if modifier else 1, 1 if verb_class else 0, h.spec.priority)

    out = [(max(members, key=rank), members) for members in groups]
    out.sort(key=lambda g: g[0].start)
    return out


def sentences(doc: Doc):
    """spaCy's sentences, also cut at blank lines (title / paragraphs)."""
    for sent in doc.sents:
        start = sent.start
        for tok in sent:
            if tok.is_space and "\n" in tok.text and tok.i > start:
                yield doc[start:tok.i]
                start = tok.i + 1
        if start < sent.end:
            yield doc[start:sent.end]
