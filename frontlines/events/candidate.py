"""Steps 3-7 for one clause: roles, place, date, actors, fatalities, the rule registry, and
the actors ACLED writes by default for the sub-event (``frontlines/data/events/defaults.yaml``).

``build_candidate`` returns a ``Draft`` (the event before assembly) or ``None``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from frontlines.events.fatalities import count_fatalities
from frontlines.events.filters import attribution, denied_after
from frontlines.events.lexicon import TriggerHit
from frontlines.events.location import event_date, locate
from frontlines.events.parties import (
    named_other,
    parties_of,
    property_owner,
    sentence_force,
)
from frontlines.events.records import Draft, Party, Roles
from frontlines.events.roles import collect_roles
from frontlines.events.rules import Candidate, decide
from frontlines.events.rules.strategic import exchange, not_ground
from frontlines.events.syntax import governing_verb, is_ancestor, with_conj
from frontlines.events.triggers import kind_of
from frontlines.events.words import (
    ARMED_INTER,
    ASSAULT_NOUNS,
    ASSOC,
    ERV_TYPES,
    LOSS_VERBS,
    NOT_PEOPLE,
    SECOND_FROM_SENTENCE,
)

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.actors import ActorEntry
    from frontlines.events.context import ArticleContext

__all__ = ["Draft", "build_candidate", "other_side_from"]

_BOTH_SIDES = re.compile(r"\b(both sides|the two sides|either side|both factions|"
                         r"the two factions|both groups|the two groups|rival factions)\b", re.IGNORECASE)


def other_side_from(ctx: ArticleContext, hits: list[TriggerHit], cand: Draft) -> None:
    """A battle told without its second side gets it from the dead reported after it
    ("... captured the Daher el-Khanzeer Hills. Twenty ISIS fighters were killed")."""
    if cand.actor2 is not None or cand.actor1 is None or \
            ctx.codebook.sub_event(cand.sub_event_type).event_type != "Battles":
        return
    roles = Roles()
    for hit in hits:
        collect_roles(ctx, ctx.doc[hit.head], roles)
    when = cand.date.date if cand.date else ctx.published
    country = cand.toponym.place.country_code if cand.toponym is not None and \
        cand.toponym.place else ctx.focus_country
    for tok in roles.victims:
        for party in parties_of(ctx, tok, country, when):
            # an actor of actor1's own kind is as likely its own men: left alone
            mine = cand.actor1.entry
            if party.entry.inter in ARMED_INTER and party.entry.name != mine.name \
                    and party.entry.inter != mine.inter:
                cand.actor2 = party
                return


def build_candidate(ctx: ArticleContext, sent: Span, primary: TriggerHit, members: list[TriggerHit]) -> Draft | None:
    doc = ctx.doc
    trig = doc[primary.head]
    kind = kind_of(ctx, primary)
    roles = Roles()
    for hit in sorted(members, key=lambda h: -h.spec.priority):
        collect_roles(ctx, doc[hit.head], roles)
    _drop_heading(sent, roles)
    anchor = governing_verb(trig)
    heads = {trig.i, anchor.i, *(t.i for t in roles.agent)}
    for t in sent:  # "The Syrian Army, backed by Hezbollah, ..." / "..., supported by X"
        if t.lemma_.lower() in ASSOC and t.head.i in heads and t.i not in heads:
            for p in t.children:
                if p.dep_ in ("agent", "prep") and p.lower_ in ("by", "from", "with", "of"):
                    roles.assoc.extend(x for q in p.children if q.dep_ == "pobj"
                                       for x in with_conj(q))
            # location first: generic actors resolve against the event's country
    ground = kind in ("@territory", "Non-violent transfer of territory")
    topo, near, attached = locate(ctx, sent, roles, trig, objects_first=ground)
    country = topo.place.country_code if topo is not None and topo.place else ctx.focus_country
    date = event_date(ctx, sent, trig)
    if date is not None and date.background:
        return None
    if date is None and ctx.published is None:
        return None
    when = date.date if date else ctx.published

    def resolve(tokens: list[Token]) -> list[Party]:
        out: list[Party] = []
        for t in tokens:
            for p in parties_of(ctx, t, country, when):
                if all(p.entry.name != q.entry.name for q in out):
                    out.append(p)
        return out

    agents, patients = resolve(roles.agent), resolve(roles.patient)
    opponents, assoc = resolve(roles.opponent), resolve(roles.assoc)
    victims = resolve(roles.victims)
    if not victims and any(t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in NOT_PEOPLE
                           for t in roles.victims):
        civ = ctx.actors.generic("civilians", country, when)  # unnamed victims: civilians
        victims = [Party(civ, "civilians")] if civ else []
    cand = Draft(sub_event_type="", trigger=trig, sentence=sent, toponym=topo, near=near,
                      attached=attached, date=date)
    cand.fatalities = count_fatalities(ctx, members, roles)
    a1 = agents[0] if agents else None
    a2 = (opponents or [p for p in patients if a1 is None or p.entry.name != a1.entry.name]
          or [None])[0]
    # actor2 is who was attacked, killed or hurt, not a side named as fighting ("clashes
    # with ISIS", which alone may stand as actor1)
    struck = not opponents and a2 is not None
    if a2 is None and victims:
        a2 = next((v for v in victims if a1 is None or v.entry.name != a1.entry.name), None)
        struck = a2 is not None
    if a1 is None and kind in ("@violence", "@outcome", "Armed clash", "@territory") and victims and a2 is not None \
            and victims[0].entry.name != a2.entry.name and victims[0].entry.inter != 7:
        a1 = victims[0]
    assoc1 = [p for p in agents[1:] + assoc if a1 is None or p.entry.name != a1.entry.name]
    if trig.lemma_.lower() in ctx.lex.movement and kind == "Armed clash" and not (
            opponents or [p for p in patients if p.entry.inter in ARMED_INTER]):
        return None  # "troops advanced and captured X": the advance is part of the capture
    if a1 is None and kind == "@territory" and not roles.agent:
        a1 = _named_before(ctx, sent, trig, a2)
    elif a1 is None and kind in _FORCE_KINDS and not agents:
        a1 = _unparsed_subject(ctx, sent, trig, a2)
    if trig.lemma_.lower() in LOSS_VERBS and kind == "@territory":
        # "regime forces lost control of X after an IS assault": the loser is the subject,
        # the winner whoever made the assault
        a1, a2 = _assailant(ctx, trig, country, when), a1
    sub = decide(Candidate(kind=kind, trigger=trig, primary=primary, sentence=sent, actor1=a1,
                          actor2=a2, country=country, when=when), roles, ctx)
    if sub is None:
        return None
    if sub in ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"):
        prot = _crowd(ctx, "protesters", a1, country, when)
        if prot is not None:
            if a1 is not None and a1.entry.inter in (2, 3, 4):
                assoc1.insert(0, a1)  # a named group behind the protest
            a1 = Party(prot, "protesters")
        if sub == "Peaceful protest":
            a2 = None
        elif a2 is None or a2.entry.inter not in (1, 8):
            force = next((p for p in agents if p.entry.inter in (1, 8)), None) \
                or sentence_force(ctx, sent, country, when)
            police = ctx.actors.generic("police", country, when)
            a2 = force or (Party(police, "police") if police else a2)
    elif sub in ("Violent demonstration", "Mob violence"):
        rio = _crowd(ctx, "rioters", a1, country, when)
        if rio is not None:
            a1 = Party(rio, "rioters")
        if sub == "Violent demonstration" and (a2 is None or a2.entry.inter not in (1, 8)):
            a2 = sentence_force(ctx, sent, country, when) or a2  # "threw stones at police"
    elif sub == "Arrests" and a1 is None:
        police = ctx.actors.generic("police", country, when)
        a1 = Party(police, "police") if police else None
    elif sub == "Government regains territory" and (a1 is None or a1.entry.inter != 1):
        if a1 is not None and a2 is None:
            a2 = a1
        mil = ctx.actors.generic("military", country, when)
        a1 = Party(mil, "state forces") if mil else a1
    if sub in ("Attack", "Abduction/forced disappearance", "Sexual violence") and a2 is None:
        civ = ctx.actors.generic("civilians", country, when)
        a2 = Party(civ, "civilians") if civ else None
    if a1 is None:
        if a2 is not None and sub in ("Armed clash",) and not struck:
            a1, a2 = a2, None  # "clashes with ISIS": the one side named
        else:
            uag = ctx.actors.generic("unidentified", country, when)
            if uag is None:
                return None
            a1 = Party(uag, "unidentified")
    if a2 is not None and a2.entry.name == a1.entry.name:
        a2 = None
    if sub == "Non-violent transfer of territory":
        takers = resolve(roles.recipient)
        if takers:  # "handed over the villages to government forces": taker is actor1
            a1, a2 = takers[0], a1
    if sub == "Excessive force against protesters":
        force = next((p for p in agents if p.entry.inter in (1, 8)), None) or (
            a2 if a2 is not None and a2.entry.inter in (1, 8) else None)
        if force is None:
            police = ctx.actors.generic("police", country, when)
            force = Party(police, "police") if police else None
        prot = ctx.actors.generic("protesters", country, when)
        a1, a2 = force, (Party(prot, "protesters") if prot else None)
        if a1 is None:
            a1, a2 = a2, None
    if a1 is None:
        return None
    if a2 is not None and a2.entry.name == a1.entry.name:
        a2 = None
    if sub == "Non-violent transfer of territory" and not_ground(ctx, roles):
        # bodies, prisoners, weapons handed over: an exchange deal at most, never ground
        if not exchange(ctx, sent):
            return None
        sub = "Agreement"
    if sub == "Other" and trig.lemma_.lower() in ("release", "free") and exchange(ctx, sent):
        sub = "Agreement"  # prisoners released as part of a deal
    if sub == "Agreement" or ctx.codebook.sub_event(sub).event_type == "Strategic developments":
        cand.fatalities = 0  # bodies handed over, remains found: no one died in this event
    if a2 is None and sub in SECOND_FROM_SENTENCE:
        a2 = named_other(ctx, sent, a1, assoc1, sub)
    if a2 is None and (sub == "Looting/property destruction" or sub in ERV_TYPES):
        owner = property_owner(ctx, roles, country, when)
        if owner is not None:  # "demolished two Palestinian homes", "landed in an orchard"
            a2 = owner
    elif sub == "Arrests" and a2 is not None and a2.entry.inter == 7:
        # "arrested a Syrian man on suspicion of planning attacks for the Islamic State"
        a2 = named_other(ctx, sent, a1, assoc1, sub) or a2
    cand.sub_event_type = sub
    cand.actor1, cand.actor2 = a1, a2
    cand.assoc1 = [p for p in assoc1 if p.entry.name not in (a1.entry.name, a2.entry.name if a2 else "")]
    cand.claim_source, cand.certainty = attribution(ctx, sent, trig)
    if cand.certainty == "claimed" and denied_after(ctx, sent):
        return None  # "ISIS claimed ... The army denied it."
    if a1.entry.inter == 3 and a1.entry.name.startswith("Unidentified") and ctx.responsible:
        cand.actor1 = ctx.responsible  # "Al-Shabaab claimed responsibility."
    _take_sides(ctx, cand, sent)
    return cand


def _crowd(ctx: ArticleContext, kind: str, named: Party | None, country: str | None,
           when: object) -> ActorEntry | None:
    """The crowd of ``kind`` ("Rioters (...)"): of the country its demonym names when the
    subject says ("Israeli settlers" in the West Bank are Rioters (Israel)), else of the
    event's country."""
    crowd = ctx.actors.generic(kind, country, when)  # type: ignore[arg-type]
    if crowd is not None and named is not None and \
            named.entry.name.split(" (")[0] == crowd.name.split(" (")[0]:
        return named.entry
    return crowd


def _drop_heading(sent: Span, roles: Roles) -> None:
    """A label before a colon that opens the sentence ("Movement of forces: On 30 May, a US
    patrol ...", "UPDATE: ...") names the report's kind, not who acted."""
    colon = next((t for t in sent[:8] if t.text == ":"), None)
    if colon is None or any(t.pos_ in ("VERB", "AUX") for t in sent[:colon.i - sent.start]):
        return
    for name in ("agent", "patient", "opponent", "assoc", "victims", "recipient"):
        setattr(roles, name, [t for t in getattr(roles, name) if t.i > colon.i])


def _named_before(ctx: ArticleContext, sent: Span, trig: Token, other: Party | None) -> Party | None:
    """Ground taken with no subject the parse found ("IS took control of X from HTS" with
    "IS" read as a verb; "... in addition to controlling Y"): the armed actor named last
    before the trigger in the sentence, other than the side that lost it."""
    before = [m for m in ctx.matches if sent.start_char <= m.start < trig.idx
              and m.entry.inter in ARMED_INTER
              and (other is None or m.entry.name != other.entry.name)]
    return Party(before[-1].entry, before[-1].text) if before else None


# kinds whose actor1 defaults to an unidentified armed group when no subject is found
_FORCE_KINDS = frozenset({"@violence", "@outcome", "Armed clash", "Air/drone strike",
                          "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                          "Grenade", "Suicide bomb", "Abduction/forced disappearance"})
# how a name hangs under an event's word when it names who was hit or where, not who acted
_NOT_DOER = frozenset({"pobj", "dobj", "nsubjpass", "attr", "appos"})


def _unparsed_subject(ctx: ArticleContext, sent: Span, trig: Token,
                      other: Party | None) -> Party | None:
    """An act whose subject the parse missed ("a Houthi sniper shot and killed a man" with
    "shot" read as a noun; "a presumed Houthi-planted landmine exploded"): the armed actor
    named before the trigger inside the phrase that heads it, never one named as the target,
    a place or a victim on the way."""
    top = trig.head if trig.dep_ == "conj" else trig
    for m in reversed(ctx.matches):
        if not (sent.start_char <= m.start < trig.idx) or m.entry.inter not in ARMED_INTER \
                or (other is not None and m.entry.name == other.entry.name):
            continue
        span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not is_ancestor(top, span.root):
            continue
        path, cur = [], span.root
        while cur.i != top.i:
            path.append(cur)
            cur = cur.head
        if not any(t.dep_ in _NOT_DOER for t in path):
            return Party(m.entry, m.text)
    return None


def _assailant(ctx: ArticleContext, trig: Token, country: str | None,
               when: object) -> Party | None:
    """Who made the assault after which ground was lost ("after IS assault", "following an
    attack by the rebels"), or None."""
    for prep in trig.subtree:
        if prep.dep_ != "prep" or prep.lower_ not in ("after", "following", "in", "amid"):
            continue
        for noun in prep.children:
            if noun.dep_ != "pobj" or noun.lemma_.lower() not in ASSAULT_NOUNS:
                continue
            who = [c for c in noun.children if c.dep_ in ("compound", "poss", "amod", "nmod")]
            who += [x for p in noun.children if p.dep_ == "prep" and p.lower_ in ("by", "of")
                    for x in p.children if x.dep_ == "pobj"]
            for w in who:
                found = parties_of(ctx, w, country, when)  # type: ignore[arg-type]
                if found:
                    return found[0]
    return None


def _take_sides(ctx: ArticleContext, cand: Draft, sent: Span) -> None:
    """Battles between two named armed parties set the article's sides; a later battle
    told only as "fighters from both sides" is between them."""
    if ctx.codebook.sub_event(cand.sub_event_type).event_type != "Battles":
        return
    a1, a2 = cand.actor1, cand.actor2
    unnamed = a1 is None or (a1.entry.inter == 3 and a1.entry.name.startswith("Unidentified"))
    if unnamed and ctx.sides is not None and _BOTH_SIDES.search(sent.text) and (
            a2 is None or a2.entry.name in {p.entry.name for p in ctx.sides}):
        cand.actor1, cand.actor2 = ctx.sides
    elif a1 is not None and a2 is not None and not unnamed and \
            a1.entry.inter in ARMED_INTER and a2.entry.inter in ARMED_INTER:
        ctx.sides = (a1, a2)
