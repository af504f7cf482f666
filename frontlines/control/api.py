"""Thin shell: control maps and alerts from a ``Store`` and a ``Gazetteer``.

These are the functions the CLI calls. They read events and places, then hand records to the
pure core (:class:`ControlMap`, :func:`alerts`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from frontlines.control.claims import HolderClaim, holder_claims
from frontlines.control.exposure import ExposureConfig, alerts, exposure
from frontlines.control.initial import InitialMark, load_initial
from frontlines.control.match import name_similarity
from frontlines.control.records import AlertReport, ChangeReport, Snapshot
from frontlines.control.sides import SideMap
from frontlines.control.timeline import ControlConfig, ControlMap
from frontlines.model import Article, Event, Place, Toponym
from frontlines.progress import Progress

__all__ = ["build_control_map", "control_changes", "control_snapshot", "exposure_alerts",
           "places_near", "plot_control", "report_claims"]


class EventSource(Protocol):
    def events(self, *, since: dt.date | None = None, until: dt.date | None = None,
               country: str | None = None) -> list[Event]: ...


class ArticleSource(Protocol):
    def articles(self) -> Iterable[Article]: ...

    def toponyms(self, article_id: str) -> list[Toponym]: ...


class PlaceSource(Protocol):
    def nearby(self, lat: float, lon: float, *, radius_km: float,
               feature_classes: Sequence[str] = ("P",), min_population: int = 0,
               limit: int = 100) -> list[tuple[Place, float]]: ...


Initial = str | Path | Sequence[InitialMark] | None


def _marks(initial: Initial, sides: SideMap, gazetteer: PlaceSource | None) -> list[InitialMark]:
    if initial is None:
        return []
    marks = load_initial(initial, sides=sides) if isinstance(initial, str | Path) else \
        list(initial)
    if gazetteer is None:
        return marks
    out = []
    for mark in marks:
        if mark.point.geonameid is None:
            candidates = gazetteer.nearby(mark.point.latitude, mark.point.longitude,
                                          radius_km=2.0, feature_classes=("P", "T", "S", "H", "L"),
                                          limit=50)
            named = [(km, p) for p, km in candidates
                     if name_similarity(p.name, mark.point.name) >= 85]
            if named:
                place = min(named, key=lambda x: x[0])[1]
                mark = replace(mark, point=replace(mark.point, geonameid=place.geonameid))
        out.append(mark)
    return out


def report_claims(store: object, *, until: dt.date | None = None,
                  sides: SideMap | None = None) -> list[HolderClaim]:
    """Holder claims read from the stored articles' text, dated on or before ``until`` (like
    events, by the date the text gives, not the publication date); none when the store
    keeps no articles."""
    if not (hasattr(store, "articles") and hasattr(store, "toponyms")):
        return []
    sides = sides or SideMap.load()
    out: list[HolderClaim] = []
    for article in store.articles():  # type: ignore[attr-defined]
        if article.published_date is None:
            continue
        claims = holder_claims(article, store.toponyms(article.id),  # type: ignore[attr-defined]
                               sides=sides)
        out.extend(c for c in claims if until is None or c.date <= until)
    return out


def build_control_map(
    store: EventSource,
    *,
    until: dt.date | None = None,
    initial: Initial = None,
    gazetteer: PlaceSource | None = None,
    sides: SideMap | None = None,
    config: ControlConfig | None = None,
    country: str | None = None,
) -> ControlMap:
    """A control map from the initial marks (file or records), the store's events and the
    holder claims read from its articles (``report_claims``).

    With a gazetteer, initial marks without a geonameid get the id of a same-named GeoNames
    feature within 2 km, so events resolved to that id match them exactly.
    """
    sides = sides or SideMap.load()
    events = store.events(until=until, country=country)
    return ControlMap(initial=_marks(initial, sides, gazetteer), events=events,
                      claims=report_claims(store, until=until, sides=sides), sides=sides,
                      config=config)


def control_snapshot(
    store: EventSource,
    *,
    at: dt.date,
    gazetteer: PlaceSource | None = None,
    initial: Initial = None,
    sides: SideMap | None = None,
    config: ControlConfig | None = None,
) -> Snapshot:
    """The control map at the end of day ``at`` (``.to_json()`` / ``.to_geojson()``)."""
    cmap = build_control_map(store, until=at, initial=initial, gazetteer=gazetteer, sides=sides,
                             config=config)
    return cmap.snapshot(at)


def control_changes(
    store: EventSource,
    *,
    start: dt.date,
    end: dt.date,
    gazetteer: PlaceSource | None = None,
    initial: Initial = None,
    sides: SideMap | None = None,
    config: ControlConfig | None = None,
) -> ChangeReport:
    """Gains and losses per side (km²) between the ends of days ``start`` and ``end``."""
    cmap = build_control_map(store, until=end, initial=initial, gazetteer=gazetteer,
                             sides=sides, config=config)
    return cmap.changes(start, end)


def places_near(
    gazetteer: PlaceSource,
    points: Sequence[tuple[float, float]],
    *,
    radius_km: float,
    progress: Progress | None = None,
) -> list[Place]:
    """Populated places (GeoNames class P) within ``radius_km`` of any (lat, lon), deduplicated."""
    found: dict[int, Place] = {}
    for i, (lat, lon) in enumerate(points):
        for place, _km in gazetteer.nearby(lat, lon, radius_km=radius_km, feature_classes=("P",),
                                           min_population=0, limit=500):
            found.setdefault(place.geonameid, place)
        if progress:
            progress(i + 1, len(points))
    return list(found.values())


def exposure_alerts(
    store: EventSource,
    gazetteer: PlaceSource,
    *,
    at: dt.date,
    initial: Initial = None,
    sides: SideMap | None = None,
    config: ControlConfig | None = None,
    rules: ExposureConfig | None = None,
    government_side: str | None = None,
    progress: Progress | None = None,
) -> AlertReport:
    """Alerts in force at the end of day ``at`` for populated places near hostile positions
    and recent violence. Iterates like a list of ``Alert``; ``.to_json()`` / ``.to_geojson()``."""
    sides = sides or SideMap.load()
    rules = rules or ExposureConfig.load()
    cmap = build_control_map(store, until=at, initial=initial, gazetteer=gazetteer, sides=sides,
                             config=config)
    snapshot = cmap.snapshot(at)
    window = max([rules.window_days] + [r.window_days for r in rules.rules])
    events = [e for e in store.events(since=at - dt.timedelta(days=window), until=at)
              if e.latitude is not None and e.longitude is not None]
    position_km = max([r.within_km for r in rules.rules if r.kind == "hostile_position"],
                      default=0.0)
    event_km = max([r.within_km for r in rules.rules if r.kind == "violent_event"]
                   + list(rules.radii_event_type.values())
                   + list(rules.radii_sub_event_type.values()), default=0.0)
    hostile_sides = {h for hs in sides.hostile.values() for h in hs}
    anchors = [(s.point.latitude, s.point.longitude) for s in snapshot.points
               if s.side in hostile_sides]
    places = places_near(gazetteer, anchors, radius_km=position_km, progress=progress) \
        if position_km else []
    places += places_near(gazetteer, [(e.latitude, e.longitude) for e in events],
                          radius_km=event_km) if event_km else []
    found = alerts(at, events=events, control=snapshot, places=places, rules=rules, sides=sides,
                   government_side=government_side)
    exposures = exposure(at, places=list({p.geonameid: p for p in places}.values()),
                         control=snapshot, events=events, sides=sides, config=rules,
                         government_side=government_side)
    exposures = [x for x in exposures if x.events or (
        x.nearest_hostile_km is not None and x.nearest_hostile_km <= position_km)]
    return AlertReport(at=at, alerts=tuple(found), exposures=tuple(exposures))


def plot_control(
    store: EventSource,
    gazetteer: PlaceSource,
    *,
    at: dt.date,
    path: str | Path,
    initial: Initial = None,
    sides: SideMap | None = None,
    config: ControlConfig | None = None,
    bounds: tuple[float, float, float, float] | None = None,
) -> Path:
    """A PNG of the control map at the end of day ``at``: areas, front lines, positions and
    the towns under alert."""
    from frontlines.control.plot import plot_snapshot

    sides = sides or SideMap.load()
    config = config or ControlConfig.load()
    snapshot = control_snapshot(store, at=at, gazetteer=gazetteer, initial=initial, sides=sides,
                                config=config)
    report = exposure_alerts(store, gazetteer, at=at, initial=initial, sides=sides,
                             config=config)
    return plot_snapshot(snapshot, path, alerts=report.alerts, sides=sides,
                         outline=config.outline, bounds=bounds)
