"""Event extraction on the dependency parse: sentences -> triggers -> roles -> place and date
-> fatalities -> filters -> rules -> assemble.

For each sentence that holds a trigger (sentences without one are skipped after a lemma
look-up) and that the relevance gate reads as reporting political violence, a protest or a
strategic development at all (``relevance``: sport, markets, disasters, plans and history are
not), triggers are grouped by clause (``triggers``); a group becomes one candidate event
(``candidate``) whose roles come from syntax (``roles``: subject/agent/object, "from X",
"with X", "backed by X"), whose place is the toponym tied to the trigger, else the sentence's,
the paragraph's, the article's focus (``location``), whose date comes from the nearest date
expression, else the publication date, and whose fatalities are the victims of kill words
(``fatalities``). Negated, denied, planned, conditional and background mentions are dropped
(``filters``). The rule registry (``rules``) names the sub-event type, one module per event
family. Candidates that share sub-event type, actors, place and day are merged (``assemble``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.tokens import Doc, Span

from frontlines.events.actors import ActorDictionary
from frontlines.events.assemble import assemble
from frontlines.events.candidate import build_candidate, other_side_from
from frontlines.events.codebook import Codebook, load_codebook
from frontlines.events.context import ArticleContext
from frontlines.events.fatalities import count_fatalities
from frontlines.events.filters import background, blocked, claims_known, time_reference
from frontlines.events.lexicon import Lexicon, TriggerHit, load_lexicon
from frontlines.events.parties import responsibility
from frontlines.events.records import Draft, Roles
from frontlines.events.relevance import RelevanceGate, default_gate
from frontlines.events.syntax import in_assoc
from frontlines.events.triggers import group, sentences
from frontlines.events.words import ERV_TYPES
from frontlines.geoparse.places import PlaceFinder
from frontlines.model import Article, Event, Toponym

__all__ = ["EventExtractor"]


class EventExtractor:
    """Extract ACLED events from an article, its spaCy ``Doc`` and its resolved toponyms."""

    def __init__(self, *, gazetteer: Any = None, actors: ActorDictionary | None = None,
                 codebook: Codebook | None = None, lexicon: Lexicon | None = None,
                 places: PlaceFinder | None = None, relevance: RelevanceGate | None = None,
                 gate: bool = True) -> None:
        """``places``: what geoparse answers about places (built over ``gazetteer`` when not
        given; without either, events uses the geoparser's toponyms as they are).
        ``relevance``: the gate that decides, before any rule, whether a sentence reports
        political violence, a protest or a strategic development at all (the shipped one by
        default; ``gate=False`` turns it off, to measure what it does)."""
        self.gazetteer = gazetteer
        self.places = places or PlaceFinder(gazetteer)
        self.actors = actors or ActorDictionary.default()
        self.codebook = codebook or load_codebook()
        self.lexicon = lexicon or load_lexicon()
        self.relevance = (relevance or default_gate()) if gate else None

    # ------------------------------------------------------------------ public
    def extract(self, article: Article, doc: Doc, toponyms: Sequence[Toponym]) -> list[Event]:
        ctx = ArticleContext(article, doc, toponyms, lexicon=self.lexicon, actors=self.actors,
                             codebook=self.codebook, places=self.places)
        ctx.responsible = responsibility(ctx)
        title_end = len(article.title) if article.title else -1
        body: list[Draft] = []
        title: list[Draft] = []
        sents = list(sentences(doc))
        threshold: float | None = None  # read from the whole article, once, when first needed
        for sent in sents:
            if not self.lexicon.has_trigger(sent):
                continue
            if self.relevance is not None:
                if threshold is None:  # sport, markets, tech, entertainment: the strict one
                    threshold = self.relevance.threshold_for(sents)
                if self.relevance.score(sent) < threshold:
                    continue  # "the dollar hit a high", "a flood hit the valley": no event
            found = _sentence_events(ctx, sent)
            (title if sent.start_char < title_end else body).extend(found)
        # A headline repeats the body; it counts only when the body yields nothing.
        return assemble(ctx, body or title)


def _sentence_events(ctx: ArticleContext, sent: Span) -> list[Draft]:
    found = [h for h in ctx.lex.match(sent) if not blocked(ctx, ctx.doc[h.head])]
    hits = [h for h in found if not background(ctx, h, soft=False)]
    if any(claims_known(ctx, h) for h in hits):
        return []  # "Al-Shabaab claimed the attack, saying it had targeted officials"
    hits = [h for h in hits if not background(ctx, h)]
    main = [h for h in hits if h.spec.type == "@protest" or (
        ctx.doc[h.head].dep_ not in ("acl", "relcl") and not in_assoc(ctx.doc[h.head]))]
    if main and len(main) < len(hits):  # "soldiers captured by ISIS in 2014 ..." is a modifier
        hits = main
    if not hits:
        return []
    if ctx.previous is not None and all(h.spec.type == "@outcome" for h in hits) and all(
            ctx.doc[h.head].dep_ in ("acl", "amod", "relcl") for h in hits):
        return []  # "the three soldiers killed by the mine": victims already reported
    if all(h.spec.type == "@outcome" for h in hits) and ctx.previous is not None \
            and ctx.paragraph(sent.start_char) == ctx.paragraph(ctx.previous.sentence.start_char):
        # "Twenty ISIS fighters were killed, the army said." adds to the event before it
        more = count_fatalities(ctx, hits, Roles())
        other_side_from(ctx, hits, ctx.previous)
        if any(t.lower_ == "toll" for t in sent) and ctx.previous.fatalities:
            ctx.previous.fatalities = min(ctx.previous.fatalities, more or ctx.previous.fatalities)
        else:
            ctx.previous.fatalities += more
        return []
    outcome = {o.head for o in hits} | {ctx.doc[o.head].head.i for o in hits
                                        if ctx.doc[o.head].dep_ == "conj"}
    if all(h.spec.type == "@outcome" for h in hits) and any(
            any(a.i in outcome for a in ctx.doc[d.head].ancestors)
            for d in found if d not in hits and time_reference(ctx, ctx.doc[d.head])):
        # "115 soldiers were killed in the 11-day offensive": a campaign's toll, not an event
        return []
    return _events_from(ctx, sent, hits)


def _events_from(ctx: ArticleContext, sent: Span, hits: list[TriggerHit]) -> list[Draft]:
    groups = group(ctx, hits)
    ctx.shared_sentence = len(groups) > 1
    out = []
    for primary, members in groups:
        cand = build_candidate(ctx, sent, primary, members)
        if cand is not None:
            out.append(cand)
            ctx.previous = cand
            ctx.seen_types.add(ctx.codebook.sub_event(cand.sub_event_type).event_type)
    if any(c.sub_event_type in ERV_TYPES | {"Armed clash"} for c in out):
        # "shelled ISIS positions ... and destroyed a command post": damage done by the attack
        out = [c for c in out if c.sub_event_type != "Looting/property destruction"]
    return out


