"""Step 4, location (and date): where and when a candidate event happened.

``locate``: a toponym tied to the trigger (by a preposition, or as its object), else the
nearest of the sentence, of the paragraph, the article's focus. ``event_date``: the nearest
date expression of the sentence, else of the paragraph, else of the lead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from frontlines.events.dates import DateMention
from frontlines.events.syntax import is_ancestor, span_chars
from frontlines.events.words import NEAR_WORDS
from frontlines.model import Toponym

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext
    from frontlines.events.records import Roles

__all__ = ["event_date", "in_actor", "locate", "near_context"]


def locate(ctx: ArticleContext, sent: Span, roles: Roles, trig: Token, *,
              objects_first: bool = False) -> tuple[Toponym | None, bool, bool]:
    """Where the event happened: a place tied to the trigger (by a preposition, or as
    its object), else the nearest place of the sentence, of the paragraph, of the article.
    ``objects_first``: ground taken is where it happened ("captured the Daher
    el-Khanzeer Hills ... in the outskirts of Ras Baalbek": the hills)."""
    in_sent = [t for t in ctx.toponyms if sent.start_char <= t.start < sent.end_char
               and not in_actor(ctx, t) and not _in_source(ctx, t, trig)]
    objects = [(p, "obj") for p in roles.patient]
    candidates: list[tuple[Token, str]] = (objects + list(roles.places) if objects_first
                                           else list(roles.places) + objects)
    for tok, word in candidates:
        lo, hi = span_chars(tok)
        tied = [t for t in in_sent if lo <= t.start and t.end <= hi
                and not _in_background_clause(ctx, t, trig)]
        if not tied:  # a name the geoparser placed elsewhere in the article ("near Qara")
            tied = [t for t in _known_names(ctx, lo, hi) if not _in_background_clause(ctx, t, trig)]
        if tied:
            best = min(tied, key=lambda t: abs(t.start - tok.idx))
            near = word in NEAR_WORDS or word == "near" or near_context(ctx, best)
            return best, near, True
    if in_sent:
        # not a place inside a background clause ("soldiers captured ... in Arsal in 2014")
        current = [t for t in in_sent if not _in_background_clause(ctx, t, trig)] or in_sent
        local = [t for t in current if t.place.feature_code not in ("PCLI", "PCL")] or current
        best = min(local, key=lambda t: abs(t.start - trig.idx))
        return best, near_context(ctx, best), False
    found = _look_up(ctx, sent, candidates)
    if found is not None:
        return found, near_context(ctx, found), True
    para = ctx.paragraph(sent.start_char)
    in_para = [t for t in ctx.toponyms if ctx.paragraph(t.start) == para
               and t.start < sent.start_char and not in_actor(ctx, t)]
    if in_para:
        return in_para[-1], near_context(ctx, in_para[-1]), False
    return ctx.focus_toponym, False, False


def _look_up(ctx: ArticleContext, sent: Span, candidates: list[tuple[Token, str]]) -> Toponym | None:
    """A place name tied to the event that the geoparser left unresolved ("into
    Mogadishu's Hamar Weyne district"): geoparse looks it up exactly in the article's country."""
    spans = [span_chars(tok) for tok, _ in candidates]
    names = [(re.sub(r"'s$", "", ent.text), ent.start_char) for ent in sent.ents
             if ent.label_ in ("GPE", "LOC", "FAC")
             and any(lo <= ent.start_char and ent.end_char <= hi for lo, hi in spans)
             and not any(m.start <= ent.start_char < m.end for m in ctx.matches)]
    return ctx.places.first_exact(names, ctx.text_country or ctx.focus_country)


def _in_background_clause(ctx: ArticleContext, topo: Toponym, trig: Token) -> bool:
    span = ctx.doc.char_span(topo.start, topo.end, alignment_mode="expand")
    if span is None:
        return False
    cur = span.root
    for _ in range(10):
        if cur.i == trig.i or cur.head.i == cur.i:
            return False
        if cur.dep_ in ("relcl", "acl") and trig not in cur.subtree:
            return True
        cur = cur.head
    return False


def _known_names(ctx: ArticleContext, lo: int, hi: int) -> list[Toponym]:
    """Mentions in ``text[lo:hi]`` of a name resolved elsewhere in the article."""
    out = []
    seen = {t.text: t for t in ctx.toponyms if not in_actor(ctx, t)}
    for name, topo in seen.items():
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", ctx.text[lo:hi]):
            start = lo + m.start()
            if any(a.start <= start < a.end for a in ctx.matches):
                continue
            out.append(topo.replace(start=start, end=start + len(name)))
    return out


def near_context(ctx: ArticleContext, topo: Toponym) -> bool:
    before = ctx.text[max(0, topo.start - 40):topo.start].lower()
    return bool(re.search(r"(near|around|outside|outskirts of|vicinity of|close to|"
                          r"(north|south|east|west)(east|west)?(ern)? (of|outskirts of)|"
                          r"countryside of|edge of|surroundings of|barrens of|hills of)\s+"
                          r"(the\s+)?(town of\s+|village of\s+|city of\s+)?$", before))


def _in_source(ctx: ArticleContext, topo: Toponym, trig: Token) -> bool:
    """The place names who reports the event, not where it happened ("..., Gaza health
    officials said", "Aleppo activists told ...")."""
    span = ctx.doc.char_span(topo.start, topo.end, alignment_mode="expand")
    if span is None:
        return False
    tok, lex = span.root, ctx.lex
    for _ in range(6):
        if tok.i == trig.i or tok.head.i == tok.i:
            return False
        if tok.dep_ == "nsubj" and tok.head.pos_ == "VERB" and \
                tok.head.lemma_.lower() in lex.report_verbs | lex.claim_verbs and \
                not is_ancestor(tok, trig):
            return True
        tok = tok.head
    return False


def in_actor(ctx: ArticleContext, topo: Toponym) -> bool:
    return any(m.start <= topo.start and topo.end <= m.end for m in ctx.matches)


def event_date(ctx: ArticleContext, sent: Span, trig: Token) -> DateMention | None:
    in_sent = [d for d in ctx.dates if sent.start_char <= d.start < sent.end_char]
    if in_sent:
        current = [d for d in in_sent if not d.background] or in_sent
        return min(current, key=lambda d: abs(d.start - trig.idx))
    para = ctx.paragraph(sent.start_char)
    earlier = [d for d in ctx.dates if d.end <= sent.start_char and not d.background
               and ctx.paragraph(d.start) == para]
    if earlier:
        return earlier[-1]
    title_end = len(ctx.article.title or "") if ctx.article.title else 0
    early = [d for d in ctx.dates if d.end <= sent.start_char and not d.background
             and (d.start < title_end or ctx.paragraph(d.start) <= 1)]
    return early[-1] if early else None
