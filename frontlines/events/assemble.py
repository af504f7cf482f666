"""Step 8, assemble: merge drafts that tell the same event and write ACLED ``Event`` rows."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from frontlines.events.codebook import interaction_code
from frontlines.events.notes import acled_notes
from frontlines.events.parties import Party
from frontlines.events.tags import event_tags, source_scale
from frontlines.gazetteer.admin import admin_names
from frontlines.model import Actor, Event, Place, content_id

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.events.candidate import Draft
    from frontlines.events.context import ArticleContext

__all__ = ["assemble"]


#: how far a crowd incident went: the gravest told of it names it; a crowd's own violence
#: outranks force used on it (police who shot at stone-throwers: still a violent demonstration)
_CROWD_RANK = {"Peaceful protest": 0, "Protest with intervention": 1,
               "Excessive force against protesters": 2, "Mob violence": 3,
               "Violent demonstration": 3}
#: the authorities' answer to a crowd, told beside it ("police arrested five", "fired stun
#: grenades"): part of the crowd incident, not an event of its own
_RESPONSES = frozenset({"Arrests", "Grenade"})
_FORCE = frozenset({"Armed clash", "Attack"})


def one_crowd_incident(ctx: ArticleContext, drafts: list[Draft]) -> list[Draft]:
    """A protest or riot and what was done at it, told in one paragraph on one day, are one
    event (issue 9, item 4): "Protesters blocked the road. Police dispersed them and arrested
    five" is one Protest with intervention, not also Arrests; "rioters clashed with troops,
    who fired stun grenades" one riot, not also an armed clash. The first crowd draft leads;
    it takes the gravest crowd sub-event told (a protest later dispersed is a protest with
    intervention) and the most dead. Force counts as the crowd's when one side is the crowd
    or the force the crowd faced."""
    kinds = {d.sub_event_type: ctx.codebook.sub_event(d.sub_event_type).event_type
             for d in drafts}
    out: list[Draft] = []
    leads: list[Draft] = []
    for d in drafts:
        para = ctx.paragraph(d.sentence.start_char)
        day = d.date.date if d.date else None
        lead = next((x for x in leads if ctx.paragraph(x.sentence.start_char) == para
                     and (x.date.date if x.date else None) == day), None)
        crowd = kinds[d.sub_event_type] in ("Protests", "Riots")
        if lead is None:
            out.append(d)
            if crowd:
                leads.append(d)
            continue
        if crowd and d.sub_event_type == lead.sub_event_type and d.attached and \
                d.toponym is not None and lead.toponym is not None and \
                d.toponym.place != lead.toponym.place:
            out.append(d)  # "protests in Beirut and in Tripoli": two places, two events
            continue
        mine = [p for p in (d.actor1, d.actor2) if p is not None]
        if not (crowd or d.sub_event_type in _RESPONSES or d.sub_event_type in _FORCE
                and _at_the_crowd(lead, d)):
            out.append(d)
            continue
        rank = _CROWD_RANK.get(d.sub_event_type)
        if d.sub_event_type == "Arrests" or d.sub_event_type in _FORCE:
            rank = 1  # the authorities acted on the crowd
        if lead.sub_event_type == "Peaceful protest" and rank is not None and rank > 0:
            lead.sub_event_type = d.sub_event_type if d.sub_event_type in _CROWD_RANK \
                else "Protest with intervention"
            if lead.actor2 is None and d.sub_event_type != "Excessive force against protesters":
                force = next((p for p in mine if p.entry.inter in (1, 8)), None)
                lead.actor2 = force
        elif rank is not None and rank > _CROWD_RANK.get(lead.sub_event_type, 0) and \
                d.sub_event_type in _CROWD_RANK:
            lead.sub_event_type, lead.actor1, lead.actor2 = d.sub_event_type, d.actor1, d.actor2
        lead.fatalities = max(lead.fatalities, d.fatalities)
    return out


def _at_the_crowd(lead: Draft, d: Draft) -> bool:
    """Is force draft ``d`` the crowd incident's own ("soldiers fired rubber bullets at
    rioters", "clashes erupted")? Yes when one side is the crowd or the force it faced, or
    when it names no two armed sides of its own; no when it is told at a place of its own
    ("gunmen killed a trader in Qara" after a protest elsewhere)."""
    if d.attached and d.toponym is not None and lead.toponym is not None and \
            d.toponym.place != lead.toponym.place:
        return False
    sides = {p.entry.name for p in (lead.actor1, lead.actor2) if p is not None}
    mine = [p for p in (d.actor1, d.actor2) if p is not None]
    if any(p.entry.inter in (5, 6) or p.entry.name in sides for p in mine):
        return True
    armed = [p for p in mine if p.entry.inter in (1, 2, 3, 4, 8)
             and not p.entry.name.startswith("Unidentified")]
    return len(armed) < 2


#: entity labels whose words keep their capital in notes ("Syrian warplanes", not "syrian")
_NAMED = frozenset({"NORP", "PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "LAW"})
_GROUND = frozenset({"Government regains territory", "Non-state actor overtakes territory"})


def capture_with_its_fight(drafts: list[Draft], ctx: ArticleContext | None = None) -> list[Draft]:
    """"Forces clashed with the Houthis and took control of the hill": the clash is how the
    ground was taken, one event (ACLED codes the territory change). A clash told in the same
    sentence as a capture, sharing a side with it or naming none other, folds into it; so
    does one told in the paragraph on the same day ("Clashes took place between the army
    and IS near X. The army managed to control the hill.") when it shares a side."""
    def together(t: Draft, d: Draft, names: set[str]) -> bool:
        if t.sentence == d.sentence:
            return True
        return ctx is not None and bool(names) and \
            ctx.paragraph(t.sentence.start_char) == ctx.paragraph(d.sentence.start_char) and \
            (t.date.date if t.date else None) == (d.date.date if d.date else None)

    out = []
    for d in drafts:
        if d.sub_event_type == "Armed clash":
            names = {p.entry.name for p in (d.actor1, d.actor2) if p is not None}
            take = next((t for t in drafts if t.sub_event_type in _GROUND
                         and together(t, d, names) and (not names or names & {
                             p.entry.name for p in (t.actor1, t.actor2) if p is not None})),
                        None)
            if take is not None:
                take.fatalities = max(take.fatalities, d.fatalities)
                if take.actor2 is None and d.actor2 is not None and take.actor1 is not None \
                        and d.actor2.entry.name != take.actor1.entry.name:
                    take.actor2 = d.actor2
                continue
        out.append(d)
    return out


_FIGHT = frozenset({"Armed clash", "Attack"})


def _named(d: Draft) -> set[str]:
    return {p.entry.name for p in (d.actor1, d.actor2)
            if p is not None and not p.entry.name.startswith("Unidentified")}


def one_fight_told_twice(ctx: ArticleContext, drafts: list[Draft]) -> list[Draft]:
    """"IS militants attacked the army near the village. The army repelled the attack.": the
    same fight told again in a later sentence of the paragraph is one event (issue 9, item 4).
    A later clash or attack on the same day whose named sides are all sides of an earlier
    one folds into it (the dead: the most either told), unless it is attached to a place of
    its own."""
    out: list[Draft] = []
    for d in drafts:
        if d.sub_event_type in _FIGHT:
            para, day = ctx.paragraph(d.sentence.start_char), d.date.date if d.date else None
            mine = _named(d)
            first = next((e for e in out if e.sub_event_type in _FIGHT
                          and e.sentence.start_char <= d.sentence.start_char
                          and ctx.paragraph(e.sentence.start_char) == para
                          and (e.date.date if e.date else None) == day
                          and mine <= _named(e)
                          and not (d.attached and d.toponym is not None and e.toponym is not None
                                   and d.toponym.place != e.toponym.place)), None)
            if first is not None:
                first.fatalities = max(first.fatalities, d.fatalities)
                continue
        out.append(d)
    return out


def assemble(ctx: ArticleContext, candidates: list[Draft]) -> list[Event]:
    candidates = one_crowd_incident(ctx, capture_with_its_fight(candidates, ctx))
    candidates = one_fight_told_twice(ctx, candidates)
    merged: dict[tuple, tuple[Draft, int]] = {}
    order: list[tuple] = []
    for c in candidates:
        when = c.date.date if c.date else ctx.published
        place = c.toponym.place.geonameid if c.toponym and c.toponym.place else None
        country = c.toponym.place.country_code if c.toponym and c.toponym.place else None

        pair = (_shown(ctx, c.actor1, country, when), _shown(ctx, c.actor2, country, when))
        if c.sub_event_type == "Agreement":  # a deal binds both sides: order is no identity
            pair = tuple(sorted(pair))
        key = (c.sub_event_type, *pair, place, when)
        if key in merged:
            first, fat = merged[key]
            merged[key] = (first, max(fat, c.fatalities))
            for p in c.assoc1:
                if all(p.entry.name != q.entry.name for q in first.assoc1):
                    first.assoc1.append(p)
        else:
            merged[key] = (c, c.fatalities)
            order.append(key)
    # "Our units have taken Halimat Qara" after "The army captured Halimat Qara from ISIS":
    # the same event with its second actor unsaid
    for k in order:
        unknown = any(x.startswith("Unidentified") for x in k[1:3])
        if k not in merged or (k[2] and not unknown):
            continue
        twin = None if k[2] else next((o for o in order if o != k and o in merged and o[0] == k[0]
                                       and o[1] == k[1] and o[2] and o[3:] == k[3:]), None)
        if twin is None and unknown:
            # "ISIS handed over the bodies ... and released a captured member": one deal
            twin = next((o for o in order if o != k and o in merged and o[0] == k[0]
                         and o[3:] == k[3:] and not any(x.startswith("Unidentified") for x in o[1:3])
                         and merged[o][0].sentence == merged[k][0].sentence),
                        None)
        if twin is not None:
            first, fat = merged[twin]
            merged[twin] = (first, max(fat, merged[k][1]))
            del merged[k]
    return [_event(ctx, *merged[k]) for k in order if k in merged]


def _shown(ctx: ArticleContext, p: Party | None, country: str | None, when: dt.date | None) -> str:
    return ctx.actors.display_name(p.entry, event_country=country, when=when) if p else ""


def _event(ctx: ArticleContext, c: Draft, fatalities: int) -> Event:
    cb, actors = ctx.codebook, ctx.actors
    when = c.date.date if c.date else ctx.published
    assert when is not None
    place: Place | None = c.toponym.place if c.toponym else None
    country_code = place.country_code if place else (ctx.focus_country or (
        c.actor1.entry.country if c.actor1 else None))
    country = cb.country(country_code) if country_code else None
    sub = cb.sub_event(c.sub_event_type)

    def name(p: Party | None) -> str:
        return actors.display_name(p.entry, event_country=country_code, when=when) if p else ""

    def inter(p: Party | None) -> int:
        return actors.inter_in(p.entry, country_code, when) if p else 0

    if c.actor2 is not None and name(c.actor2) == name(c.actor1):
        c.actor2 = None  # "the Lebanese Army reinforced its positions": one side, not two
    inter1, inter2 = inter(c.actor1), inter(c.actor2)
    precision = 3
    if c.toponym is not None:
        precision = c.toponym.geo_precision or (
            1 if place and place.feature_class == "P" else 3 if place and place.feature_class == "A"
            else 2)
        if c.near and precision < 2:
            precision = 2
        if place and place.feature_class == "A" and place.feature_code != "ADM3":
            precision = 3
    a1, a2 = name(c.actor1), name(c.actor2)
    assoc1 = "; ".join(name(p) for p in c.assoc1)
    location = place.name if place else ""
    sent_text = " ".join(c.sentence.text.split())
    event_id = (country.iso3 if country else "XXX") + content_id(
        ctx.article.id, sub.name, a1, a2, location, when.isoformat(), length=10).upper()
    confidence = 0.45 + 0.15 * (c.actor1 is not None) + 0.1 * (c.actor2 is not None) \
        + 0.15 * c.attached + 0.1 * (c.date is not None and c.date.kind == "explicit") \
        - 0.15 * (c.certainty == "possible") + 0.05 * (place is not None)
    admin = admin_names(place)
    precision_t = c.date.precision if c.date else 1
    proper = ({t.text for t in c.sentence if t.pos_ == "PROPN" or t.ent_type_ in _NAMED}
              if c.sentence.doc.has_annotation("POS") else None)
    targeting = cb.civilian_targeting(sub.name, inter2)
    party_actors = tuple(
        Actor(name=name(p), inter=inter(p), country=p.entry.country, text=p.text)
        for p in [c.actor1, *c.assoc1, c.actor2] if p is not None)
    return Event(
        event_id_cnty=event_id, event_date=when, year=when.year,
        time_precision=precision_t,
        disorder_type=sub.disorder_type, event_type=sub.event_type, sub_event_type=sub.name,
        actor1=a1, assoc_actor_1=assoc1, inter1=inter1, actor2=a2,
        assoc_actor_2="; ".join(name(p) for p in c.assoc2), inter2=inter2,
        interaction=interaction_code(inter1, inter2),
        civilian_targeting=targeting,
        iso=country.numeric if country else 0, iso3=country.iso3 if country else "",
        region=country.region if country else "", country=country.name if country else "",
        admin1=admin.admin1, admin2=admin.admin2, admin3=admin.admin3,
        location=location, latitude=place.latitude if place else None,
        longitude=place.longitude if place else None, geo_precision=precision,
        source=ctx.article.source or "",
        source_scale=source_scale(ctx.article.source, ctx.article.url),
        notes=acled_notes(c.sentence.text, when, precision=precision_t, proper=proper),
        fatalities=fatalities,
        tags=event_tags(sent_text, event_type=sub.event_type, civilian_targeting=bool(targeting)),
        article_id=ctx.article.id, sentence=sent_text,
        char_start=c.sentence.start_char, char_end=c.sentence.end_char,
        trigger=c.trigger.text, confidence=round(max(0.05, min(1.0, confidence)), 2),
        claim_source=c.claim_source, certainty=c.certainty,
        geonameid=place.geonameid if place else None, actors=party_actors)

