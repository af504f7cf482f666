"""Strategic developments: agreements, arrests, looting, transfers and other non-violent
moves, as their triggers name them; bodies or prisoners handed over are a deal, not ground."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span

from frontlines.events.records import Roles
from frontlines.events.roles import is_place
from frontlines.events.rules.registry import Candidate, rule

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext


@rule("strategic", order=90)
def named_development(candidate: Candidate, roles: Roles, context: ArticleContext) -> str | None:
    """A trigger that names a strategic development ("agreed a ceasefire", "arrested")."""
    kind = candidate.kind
    if kind in context.codebook.sub_event_types and \
            context.codebook.sub_event(kind).event_type == "Strategic developments":
        return kind
    return None


def exchange(context: ArticleContext, sent: Span) -> bool:
    """The sentence names an exchange or a deal ("in exchange", "as part of the agreement")."""
    low = " ".join(sent.text.lower().split())
    lemmas = {t.lemma_.lower() for t in sent}
    return any((len(w) == 1 and w[0] in lemmas) or " ".join(w) in low
               for w in context.lex.exchange_cues)


def not_ground(context: ArticleContext, roles: Roles) -> bool:
    """The handed-over object is people, bodies or arms, not ground."""
    objects = [t for t in roles.patient if t.pos_ in ("NOUN", "PROPN")]
    if not objects or any(is_place(context, t) for t in objects):
        return False
    return any(t.lemma_.lower() in context.lex.not_territory for t in objects)


