"""Actors: the named or generic party a phrase stands for, in the event's country and time.

``party_of(ctx, token, country, when)`` resolves one phrase ("Israeli troops", "the group",
"it"); ``parties_of`` every named actor in it; the rest find a side the sentence names apart
from the roles (``named_other``, ``sentence_force``, ``property_owner``, ``responsibility``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from frontlines.events.actors import ActorEntry
from frontlines.events.records import Party
from frontlines.events.syntax import span_chars
from frontlines.events.words import (
    AIR_WORDS,
    ANAPHORS,
    CIVIL_PROPERTY,
    ERV_TYPES,
    GROUP_MEMBERS,
    TANK_CONTENTS,
    UNKNOWN_WORDS,
)

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.context import ArticleContext
    from frontlines.events.records import Roles

__all__ = ["Party", "actors_in", "antecedent", "named_other", "parties_of", "party_of",
           "property_owner", "responsibility", "sentence_force"]


def property_owner(ctx: ArticleContext, roles: Roles, country: str | None,
                    when: dt.date | None) -> Party | None:
    """Civilians, when what was hit, looted or destroyed is civilian property (a home, a
    shop, an orchard, food aid); of the country its demonym names, else the event's."""
    hit = [p for p in roles.patient] + [t for t, _word in roles.places]
    for tok in hit:
        if tok.lemma_.lower() not in CIVIL_PROPERTY:
            continue
        where = country
        for c in tok.children:
            info = ctx.codebook.country_by_demonym(c.text) if c.dep_ in ("amod", "compound") \
                and c.text[:1].isupper() else None
            if info is not None:
                where = info.iso2
        civ = ctx.actors.generic("civilians", where, when)
        return Party(civ, tok.text) if civ else None
    return None


def sentence_force(ctx: ArticleContext, sent: Span, country: str | None, when: dt.date | None) -> Party | None:
    """State forces named in the sentence ("soldiers", "riot police", "Israeli troops")."""
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN"):
            continue
        party = party_of(ctx, tok, country, when)
        if party is not None and party.entry.inter in (1, 8) and party.entry.state:
            return party
    return None


def named_other(ctx: ArticleContext, sent: Span, a1: Party, assoc: list[Party], sub: str) -> Party | None:
    """The other named side in the sentence ("... after ISIS fighters withdrew")."""
    if sub in ERV_TYPES | {"Arrests"}:
        # strikes on open ground have no actor2; arrests need the group named as the target
        if sub == "Arrests" and not re.search(r"suspic|suspected|belong|member|affiliat",
                                              sent.text, re.IGNORECASE):
            return None
    taken = {a1.entry.name, *(p.entry.name for p in assoc)}
    for m in ctx.matches:
        if not (sent.start_char <= m.start < sent.end_char) or m.entry.name in taken:
            continue
        if m.entry.inter == a1.entry.inter == 1 or m.entry.inter == 8:
            continue
        if _fights_alongside(ctx, sent, m, a1):
            continue  # "after troops and the PMF captured X": a partner, not the enemy
        if sub in ERV_TYPES:
            # only a target the weapon is aimed at: "on ISIS positions", "at ISIS vehicles"
            before = ctx.text[max(sent.start_char, m.start - 12):m.start].lower()
            if not re.search(r"\b(on|at|against|targeting|hit|struck|pounded)\s+(the\s+)?$", before):
                continue
        return Party(m.entry, m.text)
    return None


def _fights_alongside(ctx: ArticleContext, sent: Span, match, a1: Party) -> bool:
    """``match`` is coordinated with a state force in a subject ("troops and the PMF",
    "the army and Hezbollah") while actor1 is a state force."""
    if a1.entry.inter != 1:
        return False
    tok = next((t for t in sent if t.idx <= match.start < t.idx + len(t.text)), None)
    if tok is None:
        return False
    while tok.dep_ in ("compound", "amod", "det", "poss", "nmod", "flat") and tok.head.i != tok.i:
        tok = tok.head
    group = [tok]
    cur = tok
    while cur.dep_ == "conj" and cur.head.i != cur.i:
        cur = cur.head
        group.append(cur)
    group += [c for g in list(group) for c in g.children if c.dep_ == "conj"]
    if not any(g.dep_ in ("nsubj", "nsubjpass") for g in group):
        return False
    for g in group:
        if g.i == tok.i:
            continue
        kind = ctx.actors.generic_kind([g.lemma_.lower()])
        if kind is not None and kind.kind in ("military", "police"):
            return True
        lo, hi = span_chars(g)
        if any(lo <= m.start < hi and m.entry.inter == 1 for m in ctx.matches):
            return True
    return False


def responsibility(ctx: ArticleContext) -> Party | None:
    """The group that claimed the attack: "X claimed responsibility", "X said it carried out"."""
    for m in re.finditer(r"claimed responsibility|claims? of responsibility|said (?:it|they) "
                         r"(?:had )?carried out|claimed the attack", ctx.text, re.IGNORECASE):
        before = [a for a in ctx.matches if a.end <= m.start() and m.start() - a.end < 60]
        after = [a for a in ctx.matches if a.start >= m.end() and a.start - m.end() < 20]
        pick = before[-1] if before else (after[0] if after else None)
        if pick is not None:
            return Party(pick.entry, pick.text)
    return None


def actors_in(ctx: ArticleContext, tok: Token) -> list:
    """Actor matches in the phrase of ``tok``. A name that starts in the phrase and runs
    past it counts: the parser often hangs the tail of a long name elsewhere
    ("members of al-Qaeda | in the Arabian Peninsula")."""
    lo, hi = span_chars(tok)
    return [m for m in ctx.matches if lo <= m.start < hi or m.start <= tok.idx < m.end]


def parties_of(ctx: ArticleContext, tok: Token, country: str | None, when: dt.date | None) -> list[Party]:
    """Every named actor in the phrase ("HTS and Saraya Ahl al-Sham fighters"), else one."""
    if tok.pos_ != "PRON":
        inside = actors_in(ctx, tok)
        if len(inside) > 1:
            inside.sort(key=lambda m: (0 if m.start <= tok.idx < m.end else 1, m.start))
            return [Party(m.entry, m.text) for m in inside]
    one = party_of(ctx, tok, country, when)
    return [one] if one is not None else []


def party_of(ctx: ArticleContext, tok: Token, country: str | None, when: dt.date | None) -> Party | None:
    if tok.pos_ == "PRON":
        return antecedent(ctx, tok, country, when)
    inside = actors_in(ctx, tok) or _name_before(ctx, tok)
    own = ctx.actors.generic_kind([tok.lemma_.lower()])
    if inside and own is not None and own.kind in ("military", "police") and all(
            m.start > tok.idx for m in inside) and not any(
            c.dep_ == "prep" and c.lower_ in ("from",) for c in tok.children):
        # "Troops of the 21 Brigade and the Civilian JTF": the troops, not the allies after
        inside = []
    if inside:
        best = min(inside, key=lambda m: (0 if m.start <= tok.idx < m.end else 1,
                                           abs(m.start - tok.idx)))
        return Party(best.entry, best.text)
    mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod", "poss")]
    owner = next((c for c in mods if c.dep_ == "poss" and c.lower_ in ("its", "their")), None)
    own = ctx.actors.generic_kind([tok.lemma_.lower()])
    if owner is not None and ((own is not None and own.kind in ("military", "police"))
                              or tok.lemma_.lower() in ("artillery", "gun", "launcher", "battery")):
        # "the army said its artillery shelled", "the Israeli military said its forces fired"
        held = antecedent(ctx, owner, country, when)
        if held is not None:
            return held
    demonym = [ctx.codebook.country_by_demonym(c.text) for c in mods]
    if tok.lemma_.lower() in ANAPHORS and all(demonym) and any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")
            for c in tok.children):
        # "the group", "the Lebanese group": the armed group of that country named last
        # before it (within 600 characters)
        homes = {d.iso2 for d in demonym if d is not None}
        before = [m for m in ctx.matches if m.end <= tok.idx and tok.idx - m.end < 600
                  and m.entry.inter in (2, 3) and (not homes or m.entry.country in homes)]
        if before:
            return Party(before[-1].entry, tok.text)
    if tok.lemma_.lower() == "tank" and any(c.lemma_.lower() in TANK_CONTENTS for c in mods):
        return None  # "damaging a water tank": no armour
    words = [f"{c.lemma_.lower()} {tok.lemma_.lower()}" for c in mods] + [
        tok.lemma_.lower(), tok.lower_]
    kind = ctx.actors.generic_kind(words)
    demonym_subject = tok.pos_ == "ADJ" and tok.dep_ in ("nsubj", "conj")
    if kind is None and (tok.dep_ in ("amod", "compound", "nmod", "poss") or demonym_subject) \
            and tok.text[:1].isupper():
        info = ctx.codebook.country_by_demonym(tok.text) or ctx.codebook.country(
            tok.text.removesuffix("'s"))
        if info is not None:  # "Syrian airstrikes", "Israeli shelling"
            entry = ctx.actors.generic("military", info.iso2, when)
            return Party(entry, tok.text) if entry else None
    if kind is None:
        for c in tok.children:  # "an Islamist group led by Bilal Badr", "loyal to X"
            if c.dep_ == "acl" and c.lemma_.lower() in ("lead", "loyal", "affiliate", "link",
                                                        "command", "allied", "ally"):
                for d in c.subtree:
                    hit = next((m for m in ctx.matches if m.start <= d.idx < m.end), None)
                    if hit is not None:
                        return Party(hit.entry, hit.text)
        for c in tok.children:  # "fighters from ISIS", "members of Hezbollah"
            if c.dep_ == "prep" and c.lower_ in ("of", "from"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        inner = party_of(ctx, p, country, when)
                        if inner is not None:
                            return inner
        return None
    where = country
    for c in mods:
        capital = c.text[:1].isupper()
        info = (ctx.codebook.country_by_demonym(c.text) or ctx.codebook.country(c.text)) \
            if capital and (c.pos_ in ("ADJ", "PROPN") or c.dep_ == "poss") else None
        if info is None and c.dep_ == "poss" and capital:
            info = ctx.codebook.country(c.text.removesuffix("'s"))
        if info is not None:
            where = info.iso2
    if where is country and not mods and tok.lemma_.lower() in AIR_WORDS:
        # "aircraft later hit ISIS fighters" after "a coalition spokesman said": the air force
        # named just before, if any
        flyers = [m for m in ctx.matches if m.end <= tok.idx and tok.idx - m.end < 300
                  and m.entry.inter in (1, 8) and not m.entry.state]
        if flyers:
            return Party(flyers[-1].entry, tok.text)
    if kind.kind == "unidentified" and tok.lemma_.lower() in GROUP_MEMBERS and not any(
            c.lemma_.lower() in UNKNOWN_WORDS or (c.dep_ in ("compound", "amod", "nmod")
                                                   and c.text[:1].isupper())
            for c in tok.children):  # not "Bunyan Marsous fighters": another group
        group = _only_group(ctx)
        if group is not None:  # "militants" in a report about one armed group: its men
            return Party(group, tok.text)
    entry = ctx.actors.generic(kind.kind, where, when)
    if entry is None:
        return None
    return Party(entry, tok.text)


def _name_before(ctx: ArticleContext, tok: Token) -> list:
    """"IS forces captured ...": the parser reads the acronym as a verb ("is") and loses it
    from the phrase; an actor's name right before a force word, left out of any phrase, is
    whose forces they are."""
    if tok.i == 0 or tok.lemma_.lower() not in GROUP_MEMBERS | {"force", "troop", "unit"}:
        return []
    prev = tok.doc[tok.i - 1]
    if prev.dep_ not in ("aux", "auxpass"):
        return []
    return [m for m in ctx.matches if m.start == prev.idx and m.end == prev.idx + len(prev.text)]


def _only_group(ctx: ArticleContext) -> ActorEntry | None:
    """The one non-state armed group the article names, if it names exactly one."""
    groups = {m.entry.name: m.entry for m in ctx.matches
              if m.entry.inter in (2, 3) and not m.entry.name.startswith("Unidentified")}
    return next(iter(groups.values())) if len(groups) == 1 else None


def antecedent(ctx: ArticleContext, tok: Token, country: str | None, when: dt.date | None) -> Party | None:
    if tok.lower_ not in ("it", "they", "them", "its", "their"):
        return None
    # the subject of the reporting verb ("the army said it had shelled")
    cur = tok.head
    for _ in range(4):
        if cur.lemma_.lower() in ctx.lex.report_verbs | ctx.lex.claim_verbs:
            owner = cur
            if not any(c.dep_ == "nsubj" for c in cur.children) and cur.dep_ == "conj":
                owner = cur.head  # "Hezbollah launched ... and said it captured ..."
            for c in owner.children:
                if c.dep_ == "nsubj" and c.pos_ != "PRON":
                    return party_of(ctx, c, country, when)
        if cur.head.i == cur.i:
            break
        cur = cur.head
    before = [m for m in ctx.matches if m.end <= tok.idx and tok.idx - m.end < 400]
    if before:
        return Party(before[-1].entry, before[-1].text)
    return None
