"""Control over time: who holds each place, from an initial map plus territory events.

Pure core: :class:`ControlMap` takes initial marks and ``Event`` records and answers
``timeline()``, ``snapshot(at)``, ``changes(d1, d2)`` and ``area_series(dates)``. Nothing here
reads a database or the network.

Who gains (``control.yaml`` ``territory``): for "Government regains territory" and "Non-state
actor overtakes territory" actor1's side takes the place from actor2 (assoc_actor_1 are listed
as allies); for "Non-violent transfer of territory" actor1's side gains unless it already holds
the place, then actor2's side gains; if only the holder is named the place is vacated when the
trigger says it left ("withdrew", "evacuated") and stays its own when it says it took over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import shapely
import yaml
from rapidfuzz import fuzz
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from frontlines.control import geo
from frontlines.control.initial import InitialMark
from frontlines.control.records import (
    Change,
    ChangeReport,
    ControlPoint,
    Evidence,
    FrontLine,
    PointState,
    SideArea,
    Skipped,
    Snapshot,
    Transfer,
)
from frontlines.control.sides import SideMap, fold
from frontlines.errors import ConfigError
from frontlines.model import Event

__all__ = ["ControlConfig", "ControlMap", "event_id", "event_sources"]

_ARTICLES = {"al", "el", "ad", "ed", "as", "es", "ash", "esh", "ech", "ar", "er", "az", "ez",
             "at", "et", "an", "en", "the"}
_EMPTY = Polygon()


@dataclass(frozen=True, kw_only=True)
class ControlConfig:
    """Thresholds of the control timeline (defaults in ``frontlines/data/control/control.yaml``)."""

    territory: Mapping[str, str]
    fighting_event_types: tuple[str, ...] = ("Battles", "Explosions/Remote violence")
    match_km: float = 3.0
    name_match_km: float = 6.0
    snap_km: float = 1.0
    name_score: float = 85.0
    contested_km: float = 3.0
    contested_days: int = 3
    confirm_sources: int = 2
    max_geo_precision: int = 2
    cap_km: float = 8.0
    area_transfer_km: float = 15.0
    leaving_words: tuple[str, ...] = ("withdr", "evacuat", "leav", "left", "pull", "depart",
                                      "retreat", "abandon", "hand", "cede", "ceded",
                                      "relinquish", "surrender", "vacat", "quit", "exit")
    outline: BaseGeometry | None = field(default=None, compare=False)

    @classmethod
    def load(cls, path: str | Path | None = None, *, outline: str | Path | None | bool = True,
             **overrides: Any) -> ControlConfig:
        """Read ``control.yaml`` (bundled unless ``path``), then apply ``overrides``.

        ``outline``: True loads the bundled country outlines named in the file, False/None
        clips to nothing, a path loads that GeoJSON/TopoJSON file.
        """
        if path is None:
            text = resources.files("frontlines").joinpath("data/control/control.yaml").read_text(
                encoding="utf-8")
            where = "control.yaml"
        else:
            where = str(path)
            try:
                text = Path(path).read_text(encoding="utf-8")
            except FileNotFoundError:
                raise ConfigError(f"{path}: control config not found; pass an existing YAML "
                                  "file like frontlines/data/control/control.yaml") from None
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{where}: not valid YAML ({exc})") from None
        known = {f for f in cls.__dataclass_fields__} | {"outline_countries"}
        unknown = (set(data) | set(overrides)) - known
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; valid keys are "
                              f"{sorted(known)}")
        countries = tuple(data.pop("outline_countries", None) or ())
        bundled = data.pop("outline", None)
        values: dict[str, Any] = dict(data)
        values.update(overrides)
        for key in ("fighting_event_types", "leaving_words"):
            if key in values:
                values[key] = tuple(values[key])
        if not isinstance(values.get("territory"), dict) or not values["territory"]:
            raise ConfigError(f"{where}: 'territory' must map ACLED sub-event types to "
                              "'actor1' or 'transfer'")
        bad = {k: v for k, v in values["territory"].items() if v not in ("actor1", "transfer")}
        if bad:
            raise ConfigError(f"{where}: territory rule(s) {bad} unknown; use 'actor1' or "
                              "'transfer'")
        if outline is True and bundled:
            values["outline"] = _bundled_outline(str(bundled), countries)
        elif outline and outline is not True:
            values["outline"] = geo.load_outline(outline)
        return cls(**values)


@lru_cache(maxsize=4)
def _bundled_outline(name: str, countries: tuple[str, ...]) -> BaseGeometry:
    path = resources.files("frontlines").joinpath(f"data/control/{name}")
    with resources.as_file(path) as real:
        return geo.load_outline(real, ids=list(countries) or None)


def event_id(event: Event) -> str:
    return event.event_id_cnty or f"{event.article_id}:{event.char_start}"


def event_sources(event: Event) -> tuple[str, ...]:
    """Distinct publishers of an event (ACLED joins several with ';')."""
    names = tuple(dict.fromkeys(s.strip() for s in event.source.split(";") if s.strip()))
    if names:
        return names
    return (f"article {event.article_id}",) if event.article_id else ()


@lru_cache(maxsize=1)
def _equivalents() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    text = resources.files("frontlines").joinpath(
        "data/control/name_equivalents.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    table: dict[str, str] = {}
    for canonical, variants in (data.get("equivalents") or {}).items():
        for variant in [canonical, *variants]:
            table[fold(str(variant)).replace(" ", "")] = fold(canonical)
    spelling = tuple((str(a), str(b)) for a, b in data.get("spelling") or ())
    return table, spelling


def _name_tokens(name: str) -> str:
    table, spelling = _equivalents()
    tokens = []
    for token in fold(name).split():
        if token in _ARTICLES:
            continue
        token = table.get(token, token)
        for old, new in spelling:
            token = token.replace(old, new)
        tokens.append(token)
    return " ".join(tokens)


def name_similarity(a: str, b: str) -> float:
    """0-100: how alike two place names are, ignoring case, accents and Arabic articles."""
    x, y = _name_tokens(a), _name_tokens(b)
    if not x or not y:
        return 0.0
    return max(fuzz.ratio(x.replace(" ", ""), y.replace(" ", "")), fuzz.token_set_ratio(x, y))


def _split(names: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in names.split(";") if n.strip())


@dataclass
class _Draft:
    date: dt.date
    from_side: str | None
    to_side: str | None
    actor: str
    allies: tuple[str, ...]
    via: str
    evidence: list[Evidence]


class ControlMap:
    """Control of places over time, from an initial map and territory events."""

    def __init__(
        self,
        *,
        initial: Iterable[InitialMark] = (),
        events: Iterable[Event] = (),
        sides: SideMap | None = None,
        config: ControlConfig | None = None,
    ) -> None:
        self.sides = sides or SideMap.load()
        self.config = config or ControlConfig.load()
        self._initial: dict[str, InitialMark] = {}
        self._points: dict[str, ControlPoint] = {}
        for mark in initial:
            self._initial[mark.point.key] = mark
            self._points[mark.point.key] = mark.point
        self._drafts: dict[str, list[_Draft]] = {}
        self._fighting: list[tuple[Event, str]] = []
        self.skipped: list[Skipped] = []
        events = sorted(events, key=lambda e: (e.event_date, event_id(e)))
        self._build(events)
        self._transfers: dict[str, tuple[Transfer, ...]] = {
            key: tuple(Transfer(point=self._points[key], date=d.date, from_side=d.from_side,
                                to_side=d.to_side, actor=d.actor, allies=d.allies, via=d.via,
                                evidence=tuple(d.evidence)) for d in drafts)
            for key, drafts in self._drafts.items()}
        self.projection = geo.EqualArea.around(
            (p.longitude, p.latitude) for p in self._points.values())
        self._snapshots: dict[dt.date, Snapshot] = {}

    # --- building ---------------------------------------------------------------------------

    def _build(self, events: Sequence[Event]) -> None:
        cfg = self.config
        current: dict[str, str | None] = {k: m.side for k, m in self._initial.items()}
        for ev in events:
            eid = event_id(ev)
            rule = cfg.territory.get(ev.sub_event_type)
            if rule is None:
                if (ev.event_type in cfg.fighting_event_types and ev.latitude is not None
                        and ev.longitude is not None and ev.geo_precision <= cfg.max_geo_precision):
                    self._fighting.append((ev, eid))
                continue
            if ev.geo_precision > cfg.max_geo_precision:
                self.skipped.append(Skipped(event_id=eid, reason=(
                    f"geo_precision {ev.geo_precision} (a region) is too vague to move a control "
                    f"point; at most {cfg.max_geo_precision} is used")))
                continue
            if rule == "transfer" and self._area_transfer(ev, eid, current):
                continue
            point = self._match(ev)
            if point is None:
                self.skipped.append(Skipped(event_id=eid, reason=(
                    "no coordinates and no geonameid matching a known point")))
                continue
            holder = current.get(point.key)
            gain = self._gainer(ev, rule, holder)
            if gain is None:
                self.skipped.append(Skipped(event_id=eid, reason=(
                    f"cannot tell who gains {point.name} from actor1={ev.actor1!r}, "
                    f"actor2={ev.actor2!r}")))
                continue
            side, actor, allies = gain
            evidence = self._evidence(ev, eid)
            drafts = self._drafts.setdefault(point.key, [])
            if side == holder:
                if drafts and drafts[-1].to_side == side:
                    drafts[-1].evidence.append(evidence)  # corroborates the last change
                    continue
                self.skipped.append(Skipped(event_id=eid, reason=(
                    f"{side or 'nobody'} already holds {point.name} in the initial map")))
                continue
            drafts.append(_Draft(date=ev.event_date, from_side=holder, to_side=side, actor=actor,
                                 allies=allies, via=ev.sub_event_type, evidence=[evidence]))
            current[point.key] = side

    def _gainer(self, ev: Event, rule: str,
                holder: str | None) -> tuple[str | None, str, tuple[str, ...]] | None:
        s1, s2 = self.sides.side_of(ev.actor1), self.sides.side_of(ev.actor2)
        if rule == "actor1":
            return (s1, ev.actor1, _split(ev.assoc_actor_1)) if s1 else None
        if s1 and s1 != holder:
            return s1, ev.actor1, _split(ev.assoc_actor_1)
        if s2 and s2 != holder:
            return s2, ev.actor2, _split(ev.assoc_actor_2)
        if s1 and s1 == holder and not s2:
            if self._taking(ev):
                return s1, ev.actor1, _split(ev.assoc_actor_1)  # "took over": holds it still
            return None, ev.actor1, ()  # the holder left; nobody named taking over
        return None if not s1 else (s1, ev.actor1, _split(ev.assoc_actor_1))

    def _taking(self, ev: Event) -> bool:
        """The trigger says actor1 took over ("took over", "entered"), not that it left.
        An event with no trigger (imported ACLED rows) is read as leaving."""
        words = ev.trigger.lower().split()
        return bool(words) and not any(w.startswith(self.config.leaving_words) for w in words)

    def _area_transfer(self, ev: Event, eid: str, current: dict[str, str | None]) -> bool:
        """A handover reported for an area ("the jurds of Ras Baalbek and Qaa"): the event is
        not precise (geo_precision 2+) and names no known point, and the leaving side (actor2)
        holds points within ``area_transfer_km``: every such point passes to actor1's side."""
        cfg = self.config
        if (ev.geo_precision < 2 or ev.latitude is None or ev.longitude is None
                or self._named(ev) is not None):
            return False
        gainer, leaving = self.sides.side_of(ev.actor1), self.sides.side_of(ev.actor2)
        if not gainer or not leaving or gainer == leaving:
            return False
        swept = [p for p in self._points.values() if current.get(p.key) == leaving
                 and geo.haversine_km(ev.latitude, ev.longitude, p.latitude,
                                      p.longitude) <= cfg.area_transfer_km]
        evidence = self._evidence(ev, eid)
        for point in swept:
            self._drafts.setdefault(point.key, []).append(_Draft(
                date=ev.event_date, from_side=leaving, to_side=gainer, actor=ev.actor1,
                allies=_split(ev.assoc_actor_1), via=ev.sub_event_type, evidence=[evidence]))
            current[point.key] = gainer
        return bool(swept)

    @staticmethod
    def _evidence(ev: Event, eid: str) -> Evidence:
        return Evidence(
            event_id=eid, event_date=ev.event_date, sub_event_type=ev.sub_event_type,
            actor1=ev.actor1, actor2=ev.actor2, article_id=ev.article_id,
            sources=event_sources(ev), sentence=ev.sentence, geo_precision=ev.geo_precision)

    def _near(self, ev: Event, radius_km: float | None = None) -> list[tuple[float, ControlPoint]]:
        radius = self.config.match_km if radius_km is None else radius_km
        return sorted(((km, p) for p in self._points.values()
                       if (km := geo.haversine_km(ev.latitude, ev.longitude, p.latitude,
                                                  p.longitude)) <= radius),
                      key=lambda x: x[0])

    def _named(self, ev: Event) -> ControlPoint | None:
        """The known point with the event's geonameid, else a same-named one within match_km."""
        if ev.geonameid is not None:
            for point in self._points.values():
                if point.geonameid == ev.geonameid:
                    return point
        if ev.latitude is None or ev.longitude is None or not ev.location:
            return None
        for _km, point in self._near(ev, self.config.name_match_km):
            if name_similarity(ev.location, point.name) >= self.config.name_score:
                return point
        return None

    def _match(self, ev: Event) -> ControlPoint | None:
        cfg = self.config
        named = self._named(ev)
        if named is not None:
            return named
        if ev.latitude is None or ev.longitude is None:
            return None
        close = [(km, p) for km, p in self._near(ev) if km <= cfg.snap_km]
        if close:
            return min(close, key=lambda x: x[0])[1]
        if ev.geonameid is not None:
            key = f"gn:{ev.geonameid}"
        else:
            key = f"ev:{fold(ev.location).replace(' ', '-') or 'place'}@" \
                  f"{ev.latitude:.4f},{ev.longitude:.4f}"
        point = ControlPoint(key=key, name=ev.location or f"{ev.latitude:.4f}, {ev.longitude:.4f}",
                             latitude=ev.latitude, longitude=ev.longitude,
                             geonameid=ev.geonameid, kind="event")
        self._points[key] = point
        return point

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
            sources = last.sources(until=at)
            flips = sum(1 for t in transfers if t.date > window_start)
            state = "confirmed" if len(sources) >= cfg.confirm_sources else "claimed"
            if fighting or flips >= 2:
                state = "contested"
            return PointState(
                point=point, side=last.to_side,
                controller=last.actor if last.to_side else f"vacated by {last.actor}",
                state=state, since=last.date, basis="events", sources=sources,
                evidence=tuple(e for e in last.evidence if e.event_date <= at),
                allies=last.allies, contested_by=fighting)
        if mark is None:
            return None
        state = "contested" if (mark.contenders or fighting) else "claimed"
        return PointState(point=point, side=mark.side, controller=mark.controller, state=state,
                          since=None, basis="initial", sources=(mark.source,) if mark.source else (),
                          contenders=mark.contenders, contested_by=fighting)

    def snapshot(self, at: dt.date) -> Snapshot:
        """Points, areas per side and front lines at the end of day ``at``."""
        if at in self._snapshots:
            return self._snapshots[at]
        states = [s for key in self._points if (s := self.state(key, at)) is not None]
        areas, fronts = self._areas(states)
        snap = Snapshot(at=at, points=tuple(states), areas=areas, front_lines=fronts,
                        projection=self.projection.proj)
        self._snapshots[at] = snap
        return snap

    def _areas(self, states: Sequence[PointState]) -> tuple[tuple[SideArea, ...],
                                                            tuple[FrontLine, ...]]:
        # Every point takes part in the Voronoi partition; cells of points nobody holds
        # (contested between others, or vacated) stay out of every side's area.
        held = list(states)
        if not any(s.side for s in held):
            return (), ()
        proj = self.projection
        cap_m = self.config.cap_km * 1000.0
        clip = proj.project(self.config.outline) if self.config.outline is not None else None
        xy = [proj.xy(s.point.longitude, s.point.latitude) for s in held]
        cells = geo.cells(xy, cap_m=cap_m, clip=clip)
        by_side: dict[str, list[BaseGeometry]] = {}
        for state, cell in zip(held, cells, strict=True):
            if state.side:
                by_side.setdefault(state.side, []).append(cell)
        order = {s: i for i, s in enumerate(self.sides.sides)}
        areas = []
        for side in sorted(by_side, key=lambda s: (order.get(s, len(order)), s)):
            merged = shapely.union_all([c for c in by_side[side] if not c.is_empty],
                                       grid_size=geo.GRID_M)
            if merged.is_empty:
                continue
            areas.append(SideArea(side=side, geometry=proj.unproject(merged),
                                  km2=merged.area / 1e6, points=len(by_side[side]),
                                  projected=merged))
        # Front lines: shared Voronoi edges between points of different sides, kept where both
        # points' capped areas (and the outline) reach.
        raw = geo.raw_cells(xy, cap_m=cap_m)
        tree = shapely.STRtree(raw)
        pairs: dict[tuple[str, str], list[BaseGeometry]] = {}
        for i, cell in enumerate(raw):
            if cell.is_empty:
                continue
            for j in tree.query(cell, predicate="touches"):
                j = int(j)
                if (j <= i or not held[i].side or not held[j].side
                        or held[i].side == held[j].side or raw[j].is_empty):
                    continue
                edge = geo.lineal(cell.intersection(raw[j]))
                if edge.is_empty:
                    continue
                reach = Point(xy[i]).buffer(cap_m, 64).intersection(Point(xy[j]).buffer(cap_m, 64))
                if clip is not None:
                    reach = reach.intersection(clip)
                edge = geo.lineal(edge.intersection(reach))
                if not edge.is_empty:
                    key = tuple(sorted((held[i].side, held[j].side)))
                    pairs.setdefault(key, []).append(edge)  # type: ignore[arg-type]
        fronts = []
        for key in sorted(pairs):
            line = geo.lineal(unary_union(pairs[key]))
            if line.is_empty:
                continue
            fronts.append(FrontLine(sides=key, geometry=proj.unproject(line),  # type: ignore[arg-type]
                                    km=line.length / 1000.0))
        return tuple(areas), tuple(fronts)

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

    def with_events(self, events: Iterable[Event]) -> ControlMap:
        """A new map with the same initial marks and these events."""
        return ControlMap(initial=self._initial.values(), events=events, sides=self.sides,
                          config=self.config)

