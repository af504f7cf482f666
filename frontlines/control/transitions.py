"""Transitions: how territory events and holder claims move control points, in date order.

Each rule names a class of report and is one method of :class:`Transitions`:

- ``capture`` ("Government regains territory", "Non-state actor overtakes territory"): actor1's
  side takes the place from actor2's. At precision 2 ("near X") it takes the loser's nearest
  position around X rather than X itself. ``held-before-capture``: a place first heard of when
  captured was the loser's for ``implied_days`` before.
- ``handover`` ("Non-violent transfer of territory"): actor1 takes over (ACLED codes the
  acquiring party as actor1); when the trigger says actor1 *left* ("withdrew", "vacated"),
  actor1 leaves and actor2, if named, receives.
- ``evacuation-agreement``: an Agreement whose sentence says fighters leave ends the non-state
  party's hold around the place.
- holder claims (``claims.py``): ``holds`` sets the holder of a place nobody is known to hold
  and corroborates a holder; ``ring`` draws a besieger's positions around a place; ``leaves``
  ends the side's hold around the place (its nearest opponent takes over, or nobody);
  ``takes`` gives the receiver the positions the named side (or any side hostile to it) held
  around the place. A side that left an area holds nothing there afterwards unless an event
  says it captured ground again.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from frontlines.control import geo
from frontlines.control.claims import HolderClaim, HolderPatterns
from frontlines.control.config import ControlConfig
from frontlines.control.match import PointIndex, _name_tokens, _split, event_id, event_sources
from frontlines.control.records import ControlPoint, Evidence, Skipped
from frontlines.control.sides import SideMap
from frontlines.model import Event

__all__ = ["Draft", "Transitions"]

_UNKNOWN = "?"  # holder not known (distinct from None: vacated)


@dataclass
class Draft:
    date: dt.date
    from_side: str | None
    to_side: str | None
    actor: str
    allies: tuple[str, ...]
    via: str
    evidence: list[Evidence]
    rule: str
    why: str
    seq: int = 0


@dataclass(frozen=True)
class _Left:
    side: str
    lat: float
    lon: float
    km: float
    date: dt.date


def _names_feature(ev: Event) -> bool:
    """The sentence names the event's location itself ("captured the Kanzouha Hills"), rather
    than a place the gazetteer lacks near it ("the Mrah al-Sheikh heights" coded at the town
    of Ras Baalbek)."""
    if not ev.location or not ev.sentence:
        return True
    name, text = _name_tokens(ev.location), _name_tokens(ev.sentence)
    found = fuzz.partial_ratio_alignment(name, text)
    if found is None or found.score < 85:
        return False
    # "Jurd Arsal", "the outskirts of Ras Baalbek": ground near the place, not the place
    before = text[max(0, found.dest_start - 16):found.dest_start]
    return not HolderPatterns.load().outskirts.search(before)


class Transitions:
    """Applies events and claims, oldest first, to the points; collects drafts per point."""

    def __init__(self, index: PointIndex, initial: dict[str, str | None], *, sides: SideMap,
                 config: ControlConfig) -> None:
        self.index, self.sides, self.config = index, sides, config
        self.current: dict[str, str | None] = dict(initial)
        self.drafts: dict[str, list[Draft]] = {}
        self.support: dict[str, list[tuple[str | None, Evidence]]] = {}
        self.fighting: list[tuple[Event, str]] = []
        self.skipped: list[Skipped] = []
        self.left: list[_Left] = []
        self._seq = 0
        self._centres: dict[str, list[tuple[float, float]]] = {}

    # --- driving ---------------------------------------------------------------------------

    def run(self, events: Iterable[Event], claims: Iterable[HolderClaim]) -> None:
        events, claims = list(events), list(claims)
        self._learn_centres(events, claims)
        order = {"holds": 0, "ring": 0, "takes": 2, "leaves": 3}
        items: list[tuple[dt.date, int, str, object]] = []
        for ev in events:
            items.append((ev.event_date, 1, event_id(ev), ev))
        for claim in claims:
            items.append((claim.date, order[claim.kind], claim.claim_id, claim))
        for _date, _rank, _key, item in sorted(items, key=lambda x: x[:3]):
            if isinstance(item, Event):
                self.event(item)
            else:
                assert isinstance(item, HolderClaim)
                self.claim(item)

    def _learn_centres(self, events: Sequence[Event], claims: Sequence[HolderClaim]) -> None:
        """Where each side's precisely placed positions are (to draw "the outskirts of X")."""
        for key, side in self.current.items():
            point = self.index.points.get(key)
            if side and point is not None:
                self._centres.setdefault(side, []).append((point.latitude, point.longitude))
        for ev in events:
            if ev.latitude is None or ev.longitude is None or ev.geo_precision > 2:
                continue
            if self.config.territory.get(ev.sub_event_type):
                for actor in (ev.actor1, ev.actor2):
                    side = self.sides.side_of(actor)
                    if side:
                        self._centres.setdefault(side, []).append((ev.latitude, ev.longitude))
        for claim in claims:
            if claim.geo_precision == 1 and claim.kind == "holds":
                self._centres.setdefault(claim.side, []).append(
                    (claim.place.latitude, claim.place.longitude))

    # --- helpers ---------------------------------------------------------------------------

    def holder(self, key: str) -> str | None:
        return self.current.get(key, _UNKNOWN)

    def _held_by(self, lat: float, lon: float, km: float,
                 wanted: Iterable[str]) -> list[tuple[float, ControlPoint]]:
        wanted = set(wanted)
        return [(d, p) for d, p in self.index.near(lat, lon, km)
                if self.current.get(p.key, _UNKNOWN) in wanted]

    def _hostile_to(self, side: str) -> set[str]:
        return set(self.sides.hostile.get(side, frozenset()))

    def _reach(self, precision: int) -> float:
        cfg = self.config
        return {1: cfg.near_km, 2: cfg.area_transfer_km}.get(precision, cfg.region_km)

    def _move(self, point: ControlPoint, date: dt.date, to_side: str | None, actor: str,
              allies: tuple[str, ...], evidence: Evidence, rule: str, why: str) -> None:
        holder = self.holder(point.key)
        if holder == to_side:
            self.support.setdefault(point.key, []).append((to_side, evidence))
            return
        self._seq += 1
        self.drafts.setdefault(point.key, []).append(Draft(
            date=date, from_side=None if holder == _UNKNOWN else holder, to_side=to_side,
            actor=actor, allies=allies, via=evidence.sub_event_type, evidence=[evidence],
            rule=rule, why=why, seq=self._seq))
        self.current[point.key] = to_side

    def _implied(self, point: ControlPoint, date: dt.date, loser: str, evidence: Evidence) -> None:
        if self.holder(point.key) != _UNKNOWN or not loser:
            return
        start = date - dt.timedelta(days=self.config.implied_days)
        self._move(point, start, loser, loser, (), evidence, "held-before-capture",
                   f"{point.name} was captured from {loser} on {date}, so {loser} held it "
                   f"before (shown from {start}, {self.config.implied_days} days earlier)")

    def _blocked(self, side: str, lat: float, lon: float, date: dt.date) -> _Left | None:
        for left in self.left:
            if left.side == side and left.date <= date and geo.haversine_km(
                    lat, lon, left.lat, left.lon) <= left.km:
                return left
        return None

    def skip(self, eid: str, reason: str) -> None:
        self.skipped.append(Skipped(event_id=eid, reason=reason))

    # --- events ----------------------------------------------------------------------------

    @staticmethod
    def evidence(ev: Event, rule: str) -> Evidence:
        return Evidence(
            event_id=event_id(ev), event_date=ev.event_date, sub_event_type=ev.sub_event_type,
            actor1=ev.actor1, actor2=ev.actor2, article_id=ev.article_id,
            sources=event_sources(ev), sentence=ev.sentence, geo_precision=ev.geo_precision,
            rule=rule, confidence=ev.confidence or 1.0, location=ev.location)

    def event(self, ev: Event) -> None:
        cfg = self.config
        eid = event_id(ev)
        located = ev.latitude is not None and ev.longitude is not None
        kind = cfg.territory.get(ev.sub_event_type)
        if kind is None:
            if ev.sub_event_type == "Agreement" and located and ev.geo_precision <= 2:
                self.agreement(ev)
            elif (ev.event_type in cfg.fighting_event_types and located
                  and ev.geo_precision <= cfg.max_geo_precision):
                self.fighting.append((ev, eid))
            return
        if ev.geo_precision > cfg.max_geo_precision or not located:
            self.skip(eid, f"geo_precision {ev.geo_precision} (a region) or no coordinates: "
                           f"too vague to move a control point; at most "
                           f"{cfg.max_geo_precision} is used")
            return
        s1, s2 = self.sides.side_of(ev.actor1), self.sides.side_of(ev.actor2)
        words = ev.trigger.lower().split()
        leaving = kind == "transfer" and bool(words) and any(
            w.startswith(cfg.leaving_words) for w in words)
        named = self.index.named(geonameid=ev.geonameid, name=ev.location, lat=ev.latitude,
                                 lon=ev.longitude)
        holds_here = named is not None and self.holder(named.key) == s1
        if kind == "transfer" and s1 and ((leaving and (holds_here or self._holds_near(ev, s1)))
                                          or (not words and holds_here)):
            # "ISIS fighters withdrew from X": actor1 leaves; actor2 receives if named
            self.leave(s1, ev.latitude, ev.longitude, ev.geo_precision, ev.event_date,
                       self.evidence(ev, "withdrawal"), receiver=s2 or None,
                       rule="withdrawal", what=f"{ev.actor1} left {ev.location}")
            return
        if not s1:
            self.skip(eid, f"cannot tell who gains {ev.location}: actor1 is empty")
            return
        rule = "capture" if kind == "actor1" else "handover"
        self.gain(ev, s1, s2 or None, rule)

    def _holds_near(self, ev: Event, side: str) -> bool:
        assert ev.latitude is not None and ev.longitude is not None
        return bool(self._held_by(ev.latitude, ev.longitude, self._reach(ev.geo_precision),
                                  {side}))

    def gain(self, ev: Event, gainer: str, loser: str | None, rule: str) -> None:
        cfg = self.config
        assert ev.latitude is not None and ev.longitude is not None
        eid = event_id(ev)
        allies = _split(ev.assoc_actor_1)
        evidence = self.evidence(ev, rule)
        verb = "captured" if rule == "capture" else "took over"
        losers = {loser} if loser else self._hostile_to(gainer)
        named = self.index.named(geonameid=ev.geonameid, name=ev.location, lat=ev.latitude,
                                 lon=ev.longitude)
        if ev.geo_precision == 1:
            point = named or self.index.match(geonameid=ev.geonameid, name=ev.location,
                                              lat=ev.latitude, lon=ev.longitude, kind="event")
            if loser:
                self._implied(point, ev.event_date, loser, evidence)
            self._move(point, ev.event_date, gainer, ev.actor1, allies, evidence, rule,
                       f"{ev.actor1} {verb} {point.name}" + (f" from {ev.actor2}" if loser
                                                             else ""))
            return
        # precision 2: "near X" - the loser's positions around X, not X itself
        if named is not None and self.holder(named.key) in losers | {_UNKNOWN}:
            was = self.holder(named.key)
            if loser:
                self._implied(named, ev.event_date, loser, evidence)
            self._move(named, ev.event_date, gainer, ev.actor1, allies, evidence, rule,
                       f"{ev.actor1} {verb} {named.name}, held by "
                       f"{was if was != _UNKNOWN else 'nobody known'}")
            return
        if named is not None and self.holder(named.key) == gainer and _names_feature(ev):
            self.support.setdefault(named.key, []).append((gainer, evidence))
            return
        if named is None and rule == "capture" and _names_feature(ev):
            # "captured the Daher el-Khanzeer Hills": the named hills themselves
            point = self.index.add(name=ev.location, lat=ev.latitude, lon=ev.longitude,
                                   geonameid=ev.geonameid, kind="event")
            if loser:
                self._implied(point, ev.event_date, loser, evidence)
            self._move(point, ev.event_date, gainer, ev.actor1, allies, evidence, rule,
                       f"{ev.actor1} {verb} {point.name}"
                       + (f" from {ev.actor2}" if loser else ""))
            return
        # a capture takes the loser's nearest position within near_km; a handover every one
        # within area_transfer_km ("took over the jurds of Ras Baalbek and Qaa")
        reach = cfg.near_km if rule == "capture" else cfg.area_transfer_km
        around = self._held_by(ev.latitude, ev.longitude, reach, losers)
        if around:
            taken = around[:1] if rule == "capture" else around
            for km, point in taken:
                self._move(point, ev.event_date, gainer, ev.actor1, allies, evidence, rule,
                           f"{ev.actor1} {verb} ground near {ev.location}; "
                           f"{self.holder(point.key)}'s position {point.name} "
                           f"({km:.1f} km away) passes to {gainer}")
            return
        if named is not None and self.holder(named.key) == gainer:
            self.support.setdefault(named.key, []).append((gainer, evidence))
            return
        if named is None:
            point = self.index.add(name=f"near {ev.location}", lat=ev.latitude,
                                   lon=ev.longitude, geonameid=ev.geonameid, kind="near")
            if loser:
                self._implied(point, ev.event_date, loser, evidence)
            self._move(point, ev.event_date, gainer, ev.actor1, allies, evidence, rule,
                       f"{ev.actor1} {verb} ground near {ev.location} (no known position "
                       "there: a point at the named place stands for it)")
            return
        self.skip(eid, f"{ev.actor1} {verb} ground near {ev.location}, but {named.name} is "
                       f"held by {self.holder(named.key)}, not by "
                       f"{loser or 'a side hostile to ' + gainer}, and no such position is "
                       f"known within {reach:g} km")

    def agreement(self, ev: Event) -> None:
        words = self.config.agreement_leaving_words
        text = ev.sentence.lower()
        if not any(w in text for w in words):
            return
        assert ev.latitude is not None and ev.longitude is not None
        for actor in (ev.actor2, ev.actor1):
            side = self.sides.side_of(actor)
            if side and not self.sides.is_state(side) and side not in {
                    a for s in self.sides.governments.values()
                    for a in self.sides.allies.get(s, ())}:
                self.leave(side, ev.latitude, ev.longitude, ev.geo_precision, ev.event_date,
                           self.evidence(ev, "evacuation-agreement"), receiver=None,
                           rule="evacuation-agreement",
                           what=f"an agreement has {actor} leave {ev.location}")
                return

    # --- leaving and taking over ---------------------------------------------------------------

    def leave(self, side: str, lat: float, lon: float, precision: int, date: dt.date,
              evidence: Evidence, *, receiver: str | None, rule: str, what: str) -> None:
        reach = self._reach(precision)
        self.left.append(_Left(side=side, lat=lat, lon=lon, km=reach, date=date))
        for _km, point in self._held_by(lat, lon, reach, {side}):
            to, how = receiver, f"{receiver} receives it" if receiver else ""
            if to is None and self.config.on_leave == "nearest_opponent":
                to = self._nearest_opponent(point, side)
                how = f"its nearest opponent {to} takes over" if to else ""
            self._move(point, date, to, to or side, (), evidence, rule,
                       f"{what}: {side} no longer holds {point.name}"
                       + (f"; {how}" if how else "; nobody is reported taking over"))

    def _nearest_opponent(self, point: ControlPoint, side: str) -> str | None:
        hostile = self._hostile_to(side)
        for _km, other in self.index.near(point.latitude, point.longitude,
                                          self.config.area_transfer_km):
            holder = self.current.get(other.key, _UNKNOWN)
            if other.key != point.key and holder in hostile:
                return holder
        return None

    def take(self, receiver: str, losers: set[str], lat: float, lon: float, precision: int,
             date: dt.date, evidence: Evidence, actor: str, allies: tuple[str, ...],
             rule: str) -> int:
        moved = 0
        for _km, point in self._held_by(lat, lon, self._reach(precision), {receiver}):
            self.support.setdefault(point.key, []).append((receiver, evidence))  # corroborates
        left_by = [(km, p) for km, p in self.index.near(lat, lon, self._reach(precision))
                   if self.current.get(p.key, _UNKNOWN) is None and self.drafts.get(p.key)
                   and self.drafts[p.key][-1].from_side in losers]
        for km, point in sorted(self._held_by(lat, lon, self._reach(precision), losers)
                                + left_by, key=lambda x: (x[0], x[1].key)):
            loser = self.holder(point.key) or self.drafts[point.key][-1].from_side
            self._move(point, date, receiver, actor, allies, evidence, rule,
                       f"{actor} took over positions {loser} left near {evidence.location}: "
                       f"{point.name} ({km:.1f} km away)")
            self.left.append(_Left(side=str(loser), lat=lat, lon=lon,
                                   km=self._reach(precision), date=date))
            moved += 1
        return moved

    # --- holder claims -----------------------------------------------------------------------

    @staticmethod
    def claim_evidence(claim: HolderClaim) -> Evidence:
        return Evidence(
            event_id=claim.claim_id, event_date=claim.date,
            sub_event_type=f"holder claim: {claim.kind}", actor1=claim.actor,
            actor2=claim.other_side or "", article_id=claim.article_id, sources=(claim.source,),
            sentence=claim.sentence, geo_precision=claim.geo_precision, rule=claim.rule,
            confidence=claim.confidence, location=claim.place.name)

    def claim(self, claim: HolderClaim) -> None:
        cfg = self.config
        if claim.confidence < cfg.min_confidence:
            self.skip(claim.claim_id, f"confidence {claim.confidence} below {cfg.min_confidence}")
            return
        place = claim.place
        evidence = self.claim_evidence(claim)
        if claim.kind == "leaves":
            self.leave(claim.side, place.latitude, place.longitude, claim.geo_precision,
                       claim.date, evidence, receiver=None, rule=claim.rule,
                       what=f"{claim.actor} left {place.name}")
            return
        if claim.kind == "takes":
            losers = {claim.other_side} if claim.other_side else self._hostile_to(claim.side)
            self.take(claim.side, losers, place.latitude, place.longitude, claim.geo_precision,
                      claim.date, evidence, claim.actor, claim.allies, claim.rule)
            return
        if claim.geo_precision > 2:
            self.skip(claim.claim_id, f"{claim.rule}: {place.name} is a region; too vague for "
                                      "a position")
            return
        left = self._blocked(claim.side, place.latitude, place.longitude, claim.date)
        if left is not None:
            self.skip(claim.claim_id, f"{claim.rule}: {claim.side} left the area around "
                                      f"{place.name} on {left.date}; a later report of its "
                                      "positions there does not bring it back")
            return
        if claim.kind == "ring":
            self.ring(claim, evidence)
        elif claim.geo_precision == 1:
            point = self.index.match(geonameid=place.geonameid, name=place.name,
                                     lat=place.latitude, lon=place.longitude, kind="position")
            self.hold(point, claim, evidence)
        else:
            self.hold_near(claim, evidence)

    def hold(self, point: ControlPoint, claim: HolderClaim, evidence: Evidence,
             why: str = "") -> None:
        holder = self.holder(point.key)
        if holder in (_UNKNOWN, claim.side):
            self._move(point, claim.date, claim.side, claim.actor, claim.allies, evidence,
                       claim.rule, why or f"the report says {claim.side} holds {point.name} "
                                         f"({claim.rule})")
            return
        self.skip(claim.claim_id, f"{claim.rule}: {point.name} is held by {holder}; a report "
                                  f"of {claim.side} positions there does not move control "
                                  "(only a capture, handover or evacuation does)")

    def hold_near(self, claim: HolderClaim, evidence: Evidence) -> None:
        cfg = self.config
        place = claim.place
        own = self._held_by(place.latitude, place.longitude, cfg.near_km, {claim.side})
        if own:
            self.support.setdefault(own[0][1].key, []).append((claim.side, evidence))
            return
        spot = self._outskirts(claim.side, place.latitude, place.longitude)
        if spot is None:
            self.skip(claim.claim_id, f"{claim.rule}: {claim.side} holds ground near "
                                      f"{place.name}, but no other position of {claim.side} "
                                      "says which side of it; give the place in an initial map")
            return
        lat, lon = spot
        point = self.index.add(name=f"{place.name} outskirts ({claim.side} position)", lat=lat,
                               lon=lon, geonameid=None, kind="outskirts")
        self.hold(point, claim, evidence, why=(
            f"the report says {claim.side} holds ground near {place.name} ({claim.rule}); "
            f"drawn {cfg.outskirts_km:g} km from it towards {claim.side}'s other reported "
            "positions (the text gives no coordinates)"))

    def _outskirts(self, side: str, lat: float, lon: float) -> tuple[float, float] | None:
        cfg = self.config
        spots = [(a, b) for a, b in self._centres.get(side, [])
                 if cfg.near_km * 0.25 < geo.haversine_km(lat, lon, a, b) <= 30.0]
        if not spots:
            return None
        clat = sum(a for a, _ in spots) / len(spots)
        clon = sum(b for _, b in spots) / len(spots)
        dist = geo.haversine_km(lat, lon, clat, clon)
        if dist < 1e-6:
            return None
        step = min(cfg.outskirts_km, dist) / dist
        return lat + (clat - lat) * step, lon + (clon - lon) * step

    def ring(self, claim: HolderClaim, evidence: Evidence) -> None:
        place, km = claim.place, self.config.ring_km
        dlat = km / 111.2
        dlon = km / (111.2 * max(0.1, math.cos(math.radians(place.latitude))))
        for name, (a, b) in (("north", (dlat, 0)), ("east", (0, dlon)), ("south", (-dlat, 0)),
                             ("west", (0, -dlon))):
            point = self.index.add(name=f"{place.name} siege ring ({name})",
                                   lat=place.latitude + a, lon=place.longitude + b,
                                   geonameid=None, kind="siege-ring")
            self.hold(point, claim, evidence, why=(
                f"{claim.actor} besieges {place.name} ({claim.rule}): it holds the ring, drawn "
                f"{km:g} km around the place"))
