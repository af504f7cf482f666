"""Control over time: who holds each place, from an initial map, territory events and the
holder claims read from the reports' text.

Pure core: :class:`ControlMap` takes initial marks, ``Event`` records and ``HolderClaim``
records and answers ``timeline()``, ``snapshot(at)``, ``changes(d1, d2)`` and
``area_series(dates)``. Nothing here reads a database or the network. How each report moves
control is in :mod:`frontlines.control.transitions`; matching reports to points in
:mod:`frontlines.control.match`; areas and front lines in :mod:`frontlines.control.areas`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import shapely
from shapely.geometry import Polygon

from frontlines.control import geo
from frontlines.control.areas import areas_and_fronts
from frontlines.control.claims import HolderClaim
from frontlines.control.config import ControlConfig
from frontlines.control.initial import InitialMark
from frontlines.control.match import PointIndex, event_id, event_sources, name_similarity
from frontlines.control.records import (
    Change,
    ChangeReport,
    ControlPoint,
    Evidence,
    PointState,
    Skipped,
    Snapshot,
    Transfer,
)
from frontlines.control.sides import SideMap, fold
from frontlines.control.transitions import Transitions
from frontlines.model import Event

__all__ = ["ControlConfig", "ControlMap", "event_id", "event_sources", "name_similarity"]

_EMPTY = Polygon()


class ControlMap:
    """Control of places over time, from an initial map, territory events and holder claims."""

    def __init__(
        self,
        *,
        initial: Iterable[InitialMark] = (),
        events: Iterable[Event] = (),
        claims: Iterable[HolderClaim] = (),
        sides: SideMap | None = None,
        config: ControlConfig | None = None,
    ) -> None:
        self.sides = sides or SideMap.load()
        self.config = config or ControlConfig.load()
        self._initial: dict[str, InitialMark] = {m.point.key: m for m in initial}
        index = PointIndex((m.point for m in self._initial.values()), self.config)
        steps = Transitions(index, {k: m.side for k, m in self._initial.items()},
                            sides=self.sides, config=self.config)
        self.claims = tuple(claims)
        steps.run(sorted(events, key=lambda e: (e.event_date, event_id(e))), self.claims)
        self._points: dict[str, ControlPoint] = index.points
        self._fighting = steps.fighting
        self._support: dict[str, list[tuple[str | None, Evidence]]] = steps.support
        self.skipped: list[Skipped] = steps.skipped
        self._transfers: dict[str, tuple[Transfer, ...]] = {
            key: tuple(Transfer(point=self._points[key], date=d.date, from_side=d.from_side,
                                to_side=d.to_side, actor=d.actor, allies=d.allies, via=d.via,
                                evidence=tuple(d.evidence), rule=d.rule, why=d.why)
                       for d in sorted(drafts, key=lambda d: (d.date, d.seq)))
            for key, drafts in steps.drafts.items()}
        self.projection = geo.EqualArea.around(
            (p.longitude, p.latitude) for p in self._points.values())
        self._snapshots: dict[dt.date, Snapshot] = {}

    # --- queries ----------------------------------------------------------------------------

    @property
    def points(self) -> tuple[ControlPoint, ...]:
        return tuple(self._points.values())

    def find(self, name: str) -> ControlPoint:
        """The point with this key or name (case- and accent-insensitive)."""
        if name in self._points:
            return self._points[name]
        for point in self._points.values():
            if fold(point.name) == fold(name):
                return point
        raise KeyError(f"no control point named {name!r}; known: "
                       f"{sorted(p.name for p in self._points.values())[:20]}...")

    def timeline(self, name: str | None = None) -> list[Transfer]:
        """Every change of controller (of one point if ``name``), oldest first."""
        if name is not None:
            return list(self._transfers.get(self.find(name).key, ()))
        out = [t for ts in self._transfers.values() for t in ts]
        return sorted(out, key=lambda t: (t.date, t.point.name))

    def state(self, key: str, at: dt.date) -> PointState | None:
        """The state of one point at ``at`` (None before an event-made point first appears)."""
        cfg = self.config
        point = self._points[key]
        transfers = [t for t in self._transfers.get(key, ()) if t.date <= at]
        mark = self._initial.get(key)
        window_start = at - dt.timedelta(days=cfg.contested_days)
        fighting = tuple(
            eid for ev, eid in self._fighting
            if window_start < ev.event_date <= at and geo.haversine_km(
                ev.latitude, ev.longitude, point.latitude, point.longitude) <= cfg.contested_km)
        if transfers:
            last = transfers[-1]
            support = tuple(e for side, e in self._support.get(key, ())
                            if side == last.to_side and last.date <= e.event_date <= at)
            evidence = tuple(e for e in last.evidence if e.event_date <= at) + support
            sources = tuple(dict.fromkeys(s for e in evidence for s in e.sources))
            flips = sum(1 for t in transfers if t.date > window_start)
            state = "confirmed" if len(sources) >= cfg.confirm_sources else "claimed"
            if fighting or flips >= 2:
                state = "contested"
            return PointState(
                point=point, side=last.to_side,
                controller=last.actor if last.to_side else f"vacated by {last.actor}",
                state=state, since=last.date, basis="events", sources=sources,
                evidence=evidence, allies=last.allies, contested_by=fighting, rule=last.rule,
                why=last.why)
        if mark is None:
            return None
        support = tuple(e for side, e in self._support.get(key, ())
                        if side == mark.side and e.event_date <= at)
        marked = Evidence(event_id=f"initial:{key}", event_date=at, sub_event_type="initial map",
                          actor1=mark.controller, sources=(mark.source,) if mark.source else (),
                          sentence=f"{point.name}: {mark.controller} on the initial map",
                          rule="initial", location=point.name)
        sources = tuple(dict.fromkeys(([mark.source] if mark.source else [])
                                      + [s for e in support for s in e.sources]))
        state = "contested" if (mark.contenders or fighting) else "claimed"
        if state == "claimed" and len({s for e in support for s in e.sources}) >= \
                cfg.confirm_sources:
            state = "confirmed"
        return PointState(point=point, side=mark.side, controller=mark.controller, state=state,
                          since=None, basis="initial", sources=sources,
                          evidence=(marked, *support),
                          contenders=mark.contenders, contested_by=fighting, rule="initial",
                          why=f"initial map ({mark.source or 'no source given'})")

    def snapshot(self, at: dt.date) -> Snapshot:
        """Points, areas per side and front lines at the end of day ``at``."""
        if at in self._snapshots:
            return self._snapshots[at]
        states = [s for key in self._points if (s := self.state(key, at)) is not None]
        areas, fronts = areas_and_fronts(states, projection=self.projection,
                                         config=self.config, sides=self.sides)
        snap = Snapshot(at=at, points=tuple(states), areas=areas, front_lines=fronts,
                        projection=self.projection.proj)
        self._snapshots[at] = snap
        return snap

    def changes(self, start: dt.date, end: dt.date) -> ChangeReport:
        """Gains and losses per side (km², equal-area) from the end of ``start`` to ``end``."""
        if end < start:
            raise ValueError(f"changes: end {end} is before start {start}; swap them")
        s1, s2 = self.snapshot(start), self.snapshot(end)
        a1 = {a.side: a.projected for a in s1.areas}
        a2 = {a.side: a.projected for a in s2.areas}
        side1 = {s.point.key: s.side for s in s1.points}
        side2 = {s.point.key: s.side for s in s2.points}
        names = {p.key: p.name for p in self._points.values()}
        order = {s: i for i, s in enumerate(self.sides.sides)}
        changes = []
        for side in sorted(set(a1) | set(a2), key=lambda s: (order.get(s, len(order)), s)):
            before = a1.get(side) or _EMPTY
            after = a2.get(side) or _EMPTY
            gained = geo._polygonal(shapely.difference(after, before, grid_size=geo.GRID_M))
            lost = geo._polygonal(shapely.difference(before, after, grid_size=geo.GRID_M))
            gained_km2 = gained.area / 1e6
            lost_km2 = lost.area / 1e6
            changes.append(Change(
                side=side, start_km2=before.area / 1e6, end_km2=after.area / 1e6,
                gained_km2=gained_km2 if gained_km2 > 1e-6 else 0.0,
                lost_km2=lost_km2 if lost_km2 > 1e-6 else 0.0,
                gained=self.projection.unproject(gained) if gained_km2 > 1e-6 else None,
                lost=self.projection.unproject(lost) if lost_km2 > 1e-6 else None,
                points_gained=tuple(names[k] for k, s in side2.items()
                                    if s == side and side1.get(k) != side),
                points_lost=tuple(names[k] for k, s in side1.items()
                                  if s == side and side2.get(k) != side)))
        transfers = tuple(t for t in self.timeline() if start < t.date <= end)
        return ChangeReport(start=start, end=end, changes=tuple(changes), transfers=transfers,
                            projection=self.projection.proj)

    def area_series(self, dates: Iterable[dt.date]) -> list[tuple[dt.date, dict[str, float]]]:
        """Area per side (km²) at each date, e.g. to show a siege shrinking."""
        return [(d, {a.side: a.km2 for a in self.snapshot(d).areas}) for d in dates]

    def with_events(self, events: Iterable[Event],
                    claims: Iterable[HolderClaim] = ()) -> ControlMap:
        """A new map with the same initial marks and these events (and holder claims)."""
        return ControlMap(initial=self._initial.values(), events=events, claims=claims,
                          sides=self.sides, config=self.config)

