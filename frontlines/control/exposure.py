"""Civilian exposure and alerts: pure functions of places, a control snapshot and events.

A place is judged against its controller: the holder of a control point at the place (within
``town_km``), else its country's government side (``sides.yaml`` ``government_of``, or
``government_side=`` to override). Positions held by sides hostile to the controller are
threats; violent events count within type-specific radii (ACLED Conflict Exposure). An alert is
confirmed when one same event or one same position is reported by two different outlets, and
it lists them. Rules and radii are data (``frontlines/data/control/exposure.yaml``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontlines.control import geo
from frontlines.control.config import read_config
from frontlines.control.match import event_id, event_sources, outlet
from frontlines.control.records import Alert, Evidence, Exposure, PointState, Snapshot
from frontlines.control.sides import SideMap
from frontlines.control.timeline import ControlMap
from frontlines.errors import ConfigError
from frontlines.model import Event, Place

__all__ = ["AlertRule", "ExposureConfig", "alerts", "exposure"]

_KINDS = ("hostile_position", "violent_event")
_SEVERITY = {"danger": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, kw_only=True)
class AlertRule:
    """One data-driven alert rule (see ``exposure.yaml`` for the kinds)."""

    id: str
    kind: str
    within_km: float
    severity: str = "warning"
    min_population: int = 0
    unknown_population: str = "include"
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    window_days: int = 3

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ConfigError(f"alert rule {self.id!r}: kind {self.kind!r} unknown; use one of "
                              f"{list(_KINDS)}")
        if self.unknown_population not in ("include", "exclude"):
            raise ConfigError(f"alert rule {self.id!r}: unknown_population must be 'include' "
                              f"or 'exclude', not {self.unknown_population!r}")
        if self.within_km <= 0 or self.window_days <= 0:
            raise ConfigError(f"alert rule {self.id!r}: within_km and window_days must be "
                              "positive")

    def applies_to(self, place: Place) -> bool:
        if place.population <= 0:
            return self.unknown_population == "include" or self.min_population <= 0
        return place.population >= self.min_population

    def matches(self, event: Event) -> bool:
        return event.event_type in self.event_types or event.sub_event_type in self.sub_event_types


@dataclass(frozen=True, kw_only=True)
class ExposureConfig:
    """Radii by event type, exposure window, precision cut-off and the alert rules."""

    radii_event_type: Mapping[str, float]
    radii_sub_event_type: Mapping[str, float] = field(default_factory=dict)
    window_days: int = 30
    max_geo_precision: int = 2
    confirm_sources: int = 2
    rules: tuple[AlertRule, ...] = ()

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: Any) -> ExposureConfig:
        data = read_config("exposure.yaml", path, what="exposure config")
        where = str(path) if path is not None else "exposure.yaml"
        radii = data.get("radii_km") or {}
        rules = []
        for i, spec in enumerate(data.get("rules") or []):
            try:
                spec = dict(spec)
                spec["event_types"] = tuple(spec.get("event_types") or ())
                spec["sub_event_types"] = tuple(spec.get("sub_event_types") or ())
                rules.append(AlertRule(**spec))
            except TypeError as exc:
                raise ConfigError(f"{where}: rule {i} is malformed ({exc}); each rule needs id, "
                                  "kind and within_km") from None
        values: dict[str, Any] = {
            "radii_event_type": dict(radii.get("event_type") or {}),
            "radii_sub_event_type": dict(radii.get("sub_event_type") or {}),
            "window_days": int(data.get("window_days", 30)),
            "max_geo_precision": int(data.get("max_geo_precision", 2)),
            "confirm_sources": int(data.get("confirm_sources", 2)),
            "rules": tuple(rules),
        }
        values.update(overrides)
        return cls(**values)

    def radius_km(self, event: Event) -> float | None:
        """How far this event exposes people, or None if it is not violence we count."""
        if event.sub_event_type in self.radii_sub_event_type:
            return float(self.radii_sub_event_type[event.sub_event_type])
        value = self.radii_event_type.get(event.event_type)
        return None if value is None else float(value)


def _usable(events: Iterable[Event], *, at: dt.date, days: int,
            max_precision: int) -> list[Event]:
    start = at - dt.timedelta(days=days)
    return [e for e in events
            if start < e.event_date <= at and e.latitude is not None and e.longitude is not None
            and e.geo_precision <= max_precision]


def _controller(place: Place, snapshot: Snapshot, sides: SideMap,
                override: str | Mapping[str, str] | None, town_km: float = 1.5) -> str | None:
    """Who holds the town: an explicit override, else the holder of a control point at it
    (same GeoNames id, or within ``town_km``), else its country's government."""
    if isinstance(override, str):
        return override
    if override is not None and place.country_code.upper() in override:
        return override[place.country_code.upper()]
    best: tuple[float, str] | None = None
    for state in snapshot.points:
        if not state.side or state.point.kind in ("outskirts", "siege-ring", "near"):
            continue
        if place.geonameid is not None and state.point.geonameid == place.geonameid:
            return state.side
        km = geo.haversine_km(place.latitude, place.longitude, state.point.latitude,
                              state.point.longitude)
        if km <= town_km and (best is None or km < best[0]):
            best = (km, state.side)
    return best[1] if best else sides.government(place.country_code)


_government = _controller  # the name older callers used


def _snapshot(control: ControlMap | Snapshot, at: dt.date) -> Snapshot:
    return control if isinstance(control, Snapshot) else control.snapshot(at)


def _hostile_points(snapshot: Snapshot, controller: str | None,
                    sides: SideMap) -> list[PointState]:
    return [s for s in snapshot.points if sides.is_hostile(s.side, controller)]


def _town_km(control: ControlMap | Snapshot) -> float:
    return control.config.town_km if isinstance(control, ControlMap) else 1.5


def exposure(
    at: dt.date,
    *,
    places: Iterable[Place],
    control: ControlMap | Snapshot,
    events: Iterable[Event],
    sides: SideMap | None = None,
    config: ExposureConfig | None = None,
    government_side: str | Mapping[str, str] | None = None,
) -> list[Exposure]:
    """Each place's nearest position held by a side hostile to its controller, and the
    violent events within their type's radius (5 km explosions/remote violence, 2 km battles,
    1 km violence against civilians) in the last ``window_days``."""
    sides = sides or (control.sides if isinstance(control, ControlMap) else SideMap.load())
    config = config or ExposureConfig.load()
    snapshot = _snapshot(control, at)
    recent = _usable(events, at=at, days=config.window_days,
                     max_precision=config.max_geo_precision)
    out = []
    for place in places:
        gov = _controller(place, snapshot, sides, government_side, _town_km(control))
        nearest, nearest_km = None, None
        for state in _hostile_points(snapshot, gov, sides):
            km = geo.haversine_km(place.latitude, place.longitude, state.point.latitude,
                                  state.point.longitude)
            if nearest_km is None or km < nearest_km:
                nearest, nearest_km = state, km
        hits = []
        for ev in recent:
            radius = config.radius_km(ev)
            if radius is None:
                continue
            km = geo.haversine_km(place.latitude, place.longitude, ev.latitude, ev.longitude)
            if km <= radius:
                hits.append((event_id(ev), ev.event_type, km))
        out.append(Exposure(place=place, at=at, government_side=gov, nearest_hostile=nearest,
                            nearest_hostile_km=nearest_km,
                            events=tuple(sorted(hits, key=lambda h: h[2]))))
    return out


def alerts(
    at: dt.date,
    *,
    events: Iterable[Event],
    control: ControlMap | Snapshot,
    places: Iterable[Place],
    rules: ExposureConfig | Sequence[AlertRule] | None = None,
    sides: SideMap | None = None,
    government_side: str | Mapping[str, str] | None = None,
) -> list[Alert]:
    """The alerts in force at the end of day ``at``: one per place and rule that holds.

    Nothing is remembered between dates: an alert clears as soon as its rule stops holding.
    Events with geo_precision above ``max_geo_precision`` (3, a region) never count.
    """
    if rules is None or isinstance(rules, ExposureConfig):
        config = rules or ExposureConfig.load()
    else:
        config = ExposureConfig.load(rules=tuple(rules))
    sides = sides or (control.sides if isinstance(control, ControlMap) else SideMap.load())
    snapshot = _snapshot(control, at)
    events = list(events)
    places = list({p.geonameid: p for p in places}.values())
    town_km = _town_km(control)
    found: list[Alert] = []
    for rule in config.rules:
        if rule.kind == "hostile_position":
            found.extend(_position_alerts(rule, at, snapshot, places, sides, config,
                                          government_side, town_km))
        else:
            found.extend(_event_alerts(rule, at, events, places, config))
    return sorted(found, key=lambda a: (_SEVERITY.get(a.severity, 9), a.place.name, a.rule))


def _outlets(sources: Iterable[str]) -> tuple[str, ...]:
    """Distinct outlets, first spelling kept ("Levant Wire" and "levant wire " are one)."""
    seen: dict[str, str] = {}
    for source in sources:
        if source.strip():
            seen.setdefault(outlet(source), source.strip())
    return tuple(seen.values())


def _status(outlets: Sequence[str], config: ExposureConfig) -> str:
    return "confirmed" if len(outlets) >= config.confirm_sources else "pending"


def _position_alerts(rule: AlertRule, at: dt.date, snapshot: Snapshot, places: Sequence[Place],
                     sides: SideMap, config: ExposureConfig,
                     override: str | Mapping[str, str] | None, town_km: float) -> list[Alert]:
    out = []
    for place in places:
        if not rule.applies_to(place):
            continue
        gov = _controller(place, snapshot, sides, override, town_km)
        if gov is None:
            continue
        near = []
        for state in _hostile_points(snapshot, gov, sides):
            km = geo.haversine_km(place.latitude, place.longitude, state.point.latitude,
                                  state.point.longitude)
            if km <= rule.within_km:
                near.append((km, state))
        if not near:
            continue
        near.sort(key=lambda x: (x[0], x[1].point.key))
        km, state = near[0]
        others = len(near) - 1
        # corroborated: one position (of those in range) reported by two different outlets
        # (an initial map is not a report: it never corroborates)
        best = max((_outlets(src for e in s.evidence if e.rule != "initial"
                             for src in e.sources) for _, s in near), key=len)
        evidence = tuple(_with_rule(e, rule.id) for _, s in near for e in s.evidence)
        message = (f"{state.side} holds {state.point.name} ({state.state}), {km:.1f} km from "
                   f"{place.name} (held by {gov})" +
                   (f"; {others} more hostile position(s) within {rule.within_km:g} km"
                    if others else "") +
                   (f"; why {state.side} holds it: {state.why}" if state.why else ""))
        out.append(Alert(
            rule=rule.id, place=place, at=at, status=_status(best, config),
            severity=rule.severity, message=message, distance_km=km,
            sources=_outlets(src for _, s in near for src in s.sources),
            event_ids=tuple(dict.fromkeys(e.event_id for e in evidence)),
            position=state.point.key, side=state.side, controller=gov, evidence=evidence,
            corroborated_by=best if len(best) >= config.confirm_sources else ()))
    return out


def _with_rule(evidence: Evidence, rule: str) -> Evidence:
    from dataclasses import replace

    return replace(evidence, rule=f"{rule} <- {evidence.rule}" if evidence.rule else rule)


def _same_event_groups(events: Sequence[Event], km: float = 2.0) -> list[list[Event]]:
    """Reports of one same event: same day, sub-event type and actors, within ``km``."""
    groups: list[list[Event]] = []
    for ev in events:
        for group in groups:
            first = group[0]
            if (first.event_date == ev.event_date and first.sub_event_type == ev.sub_event_type
                    and {first.actor1, first.actor2} == {ev.actor1, ev.actor2}
                    and geo.haversine_km(first.latitude, first.longitude, ev.latitude,
                                         ev.longitude) <= km):
                group.append(ev)
                break
        else:
            groups.append([ev])
    return groups


def _event_evidence(ev: Event, rule: str, km: float, place: Place) -> Evidence:
    return Evidence(
        event_id=event_id(ev), event_date=ev.event_date, sub_event_type=ev.sub_event_type,
        actor1=ev.actor1, actor2=ev.actor2, article_id=ev.article_id,
        sources=event_sources(ev), sentence=ev.sentence, geo_precision=ev.geo_precision,
        rule=f"{rule}: {ev.sub_event_type} {km:.1f} km from {place.name}",
        confidence=ev.confidence or 1.0, location=ev.location)


def _event_alerts(rule: AlertRule, at: dt.date, events: Sequence[Event],
                  places: Sequence[Place], config: ExposureConfig) -> list[Alert]:
    recent = [e for e in _usable(events, at=at, days=rule.window_days,
                                 max_precision=config.max_geo_precision) if rule.matches(e)]
    out = []
    for place in places:
        if not rule.applies_to(place):
            continue
        near = []
        for ev in recent:
            km = geo.haversine_km(place.latitude, place.longitude, ev.latitude, ev.longitude)
            if km <= rule.within_km:
                near.append((km, ev))
        if not near:
            continue
        near.sort(key=lambda x: (x[0], event_id(x[1])))
        km, first = near[0]
        groups = _same_event_groups([ev for _, ev in near])
        best = max((_outlets(s for ev in g for s in event_sources(ev)) for g in groups), key=len)
        message = (f"{len(near)} event(s) within {rule.within_km:g} km of {place.name} in the "
                   f"{rule.window_days} day(s) to {at}; nearest {km:.1f} km: "
                   f"{first.sub_event_type or first.event_type} by {first.actor1 or 'unknown'}"
                   f" at {first.location or 'unnamed place'} on {first.event_date}")
        out.append(Alert(
            rule=rule.id, place=place, at=at, status=_status(best, config),
            severity=rule.severity, message=message, distance_km=km,
            sources=_outlets(s for _, ev in near for s in event_sources(ev)),
            event_ids=tuple(event_id(ev) for _, ev in near),
            evidence=tuple(_event_evidence(ev, rule.id, k, place) for k, ev in near),
            corroborated_by=best if len(best) >= config.confirm_sources else ()))
    return out
