"""Typed records of the control and exposure stage.

Geometries are shapely objects in WGS84 longitude/latitude. Areas are in km², computed in a
Lambert azimuthal equal-area projection (see :mod:`frontlines.control.geo`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry.base import BaseGeometry

from frontlines.control import geo
from frontlines.model import Place

__all__ = [
    "Alert",
    "AlertReport",
    "Change",
    "ChangeReport",
    "ControlPoint",
    "Evidence",
    "Exposure",
    "FrontLine",
    "PointState",
    "SideArea",
    "Skipped",
    "Snapshot",
    "Transfer",
]

STATES = ("claimed", "confirmed", "contested")


def _json(data: Any, indent: int | None) -> str:
    return json.dumps(data, indent=indent, ensure_ascii=False, sort_keys=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """One report behind a control change or an alert: an event, or a holder claim read from
    the text (``event_id`` is then the claim's id and ``sub_event_type`` names the claim), the
    sentence, its sources and the ``rule`` that used it."""

    event_id: str
    event_date: dt.date
    sub_event_type: str
    actor1: str
    actor2: str = ""
    article_id: str = ""
    sources: tuple[str, ...] = ()
    sentence: str = ""
    geo_precision: int = 1
    rule: str = ""
    confidence: float = 1.0
    location: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id, "event_date": self.event_date.isoformat(),
            "sub_event_type": self.sub_event_type, "actor1": self.actor1, "actor2": self.actor2,
            "article_id": self.article_id, "sources": list(self.sources),
            "sentence": self.sentence, "geo_precision": self.geo_precision,
            "rule": self.rule, "confidence": self.confidence, "location": self.location,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ControlPoint:
    """A place whose controller is tracked: an initial map mark or a place named by an event."""

    key: str
    name: str
    latitude: float
    longitude: float
    geonameid: int | None = None
    kind: str = ""  # e.g. settlement_or_site, hill/heights (initial files), or "event"

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "latitude": self.latitude,
                "longitude": self.longitude, "geonameid": self.geonameid, "kind": self.kind}


@dataclass(frozen=True, slots=True, kw_only=True)
class Transfer:
    """A change of controller at one point on ``date``, with every report supporting it.

    ``to_side`` is ``None`` when the holder left and nobody was reported taking over.
    """

    point: ControlPoint
    date: dt.date
    from_side: str | None
    to_side: str | None
    actor: str
    allies: tuple[str, ...] = ()
    via: str = ""  # the sub_event_type of the first report
    evidence: tuple[Evidence, ...] = ()
    rule: str = ""  # the transition rule, e.g. "capture", "took-over-vacated", "evacuation"
    why: str = ""  # one sentence: what the rule read and what it did

    def sources(self, *, until: dt.date | None = None) -> tuple[str, ...]:
        """Distinct publishers of the evidence dated on or before ``until``."""
        seen: dict[str, None] = {}
        for ev in self.evidence:
            if until is None or ev.event_date <= until:
                for source in ev.sources:
                    seen.setdefault(source, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "point": self.point.to_dict(), "date": self.date.isoformat(),
            "from_side": self.from_side, "to_side": self.to_side, "actor": self.actor,
            "allies": list(self.allies), "via": self.via, "rule": self.rule, "why": self.why,
            "sources": list(self.sources()),
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """An event the control timeline could not use, and why."""

    event_id: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "reason": self.reason}


@dataclass(frozen=True, slots=True, kw_only=True)
class PointState:
    """Who holds a point at a date, how sure we are, since when and on what evidence.

    ``state``: ``claimed`` (one independent source), ``confirmed`` (two or more), ``contested``
    (recent fighting near it, or it changed hands more than once in the contested window).
    ``basis`` is ``initial`` when nothing since the initial map changed it, else ``events``.
    """

    point: ControlPoint
    side: str | None
    controller: str
    state: str
    since: dt.date | None
    basis: str
    sources: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    allies: tuple[str, ...] = ()
    contenders: tuple[str, ...] = ()
    contested_by: tuple[str, ...] = ()  # event ids of the fighting that makes it contested
    rule: str = ""  # the rule of the last change ("initial" for the initial map)
    why: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "point": self.point.to_dict(), "side": self.side, "controller": self.controller,
            "state": self.state, "since": self.since.isoformat() if self.since else None,
            "basis": self.basis, "rule": self.rule, "why": self.why,
            "sources": list(self.sources), "allies": list(self.allies),
            "contenders": list(self.contenders), "contested_by": list(self.contested_by),
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SideArea:
    """The area a side holds (union of its points' cells), in lon/lat, and its size."""

    side: str
    geometry: BaseGeometry
    km2: float
    points: int
    projected: BaseGeometry | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class FrontLine:
    """Where the areas of two sides meet (``sides`` sorted), as (Multi)LineString lon/lat."""

    sides: tuple[str, str]
    geometry: BaseGeometry
    km: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Snapshot:
    """The control map at one date."""

    at: dt.date
    points: tuple[PointState, ...]
    areas: tuple[SideArea, ...] = ()
    front_lines: tuple[FrontLine, ...] = ()
    projection: str = ""

    def point(self, name: str) -> PointState:
        """The state of the point called ``name`` (case-insensitive) or with that key."""
        folded = name.casefold()
        for state in self.points:
            if state.point.key == name or state.point.name.casefold() == folded:
                return state
        raise KeyError(f"no control point named {name!r} in the snapshot of {self.at}")

    def area_km2(self, side: str) -> float:
        return next((a.km2 for a in self.areas if a.side == side), 0.0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "projection": self.projection,
            "points": [p.to_dict() for p in self.points],
            "areas": [{"side": a.side, "km2": round(a.km2, 3), "points": a.points,
                       "geometry": geo.geojson_geometry(a.geometry)} for a in self.areas],
            "front_lines": [{"sides": list(f.sides), "km": round(f.km, 3),
                             "geometry": geo.geojson_geometry(f.geometry)}
                            for f in self.front_lines],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return _json(self.as_dict(), indent)

    def as_geojson(self) -> dict[str, Any]:
        features = []
        for area in self.areas:
            features.append(geo.feature(area.geometry, {
                "kind": "area", "side": area.side, "km2": round(area.km2, 3),
                "points": area.points, "at": self.at.isoformat()}))
        for front in self.front_lines:
            features.append(geo.feature(front.geometry, {
                "kind": "front_line", "sides": list(front.sides), "km": round(front.km, 3),
                "at": self.at.isoformat()}))
        for state in self.points:
            features.append(geo.point_feature(state.point.longitude, state.point.latitude, {
                "kind": "control_point", "name": state.point.name, "key": state.point.key,
                "geonameid": state.point.geonameid, "side": state.side,
                "controller": state.controller, "state": state.state,
                "since": state.since.isoformat() if state.since else None,
                "basis": state.basis, "rule": state.rule, "why": state.why,
                "sources": list(state.sources),
                "event_ids": [e.event_id for e in state.evidence],
                "article_ids": sorted({e.article_id for e in state.evidence if e.article_id}),
                "contenders": list(state.contenders), "at": self.at.isoformat()}))
        return geo.feature_collection(features)

    def to_geojson(self, *, indent: int | None = None) -> str:
        return _json(self.as_geojson(), indent)


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """How one side's area changed between two dates (km², equal-area)."""

    side: str
    start_km2: float
    end_km2: float
    gained_km2: float
    lost_km2: float
    gained: BaseGeometry | None = None  # lon/lat
    lost: BaseGeometry | None = None
    points_gained: tuple[str, ...] = ()
    points_lost: tuple[str, ...] = ()

    @property
    def net_km2(self) -> float:
        return self.end_km2 - self.start_km2

    def to_dict(self) -> dict[str, Any]:
        return {
            "side": self.side, "start_km2": round(self.start_km2, 3),
            "end_km2": round(self.end_km2, 3), "gained_km2": round(self.gained_km2, 3),
            "lost_km2": round(self.lost_km2, 3), "net_km2": round(self.net_km2, 3),
            "points_gained": list(self.points_gained), "points_lost": list(self.points_lost),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ChangeReport:
    """Gains and losses per side between ``start`` and ``end``, and the transfers in between."""

    start: dt.date
    end: dt.date
    changes: tuple[Change, ...]
    transfers: tuple[Transfer, ...]
    projection: str = ""

    def change(self, side: str) -> Change:
        for change in self.changes:
            if change.side == side:
                return change
        raise KeyError(f"side {side!r} holds nothing between {self.start} and {self.end}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(), "end": self.end.isoformat(),
            "projection": self.projection,
            "changes": [c.to_dict() for c in self.changes],
            "transfers": [t.to_dict() for t in self.transfers],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return _json(self.as_dict(), indent)

    def as_geojson(self) -> dict[str, Any]:
        features = []
        for change in self.changes:
            for kind, geom, km2 in (("gain", change.gained, change.gained_km2),
                                    ("loss", change.lost, change.lost_km2)):
                if geom is not None and not geom.is_empty:
                    features.append(geo.feature(geom, {
                        "kind": kind, "side": change.side, "km2": round(km2, 3),
                        "start": self.start.isoformat(), "end": self.end.isoformat()}))
        for transfer in self.transfers:
            features.append(geo.point_feature(
                transfer.point.longitude, transfer.point.latitude, {
                    "kind": "transfer", "name": transfer.point.name,
                    "date": transfer.date.isoformat(), "from_side": transfer.from_side,
                    "to_side": transfer.to_side, "actor": transfer.actor,
                    "via": transfer.via, "rule": transfer.rule, "why": transfer.why,
                    "sources": list(transfer.sources()),
                    "sentences": [e.sentence for e in transfer.evidence],
                    "event_ids": [e.event_id for e in transfer.evidence]}))
        return geo.feature_collection(features)

    def to_geojson(self, *, indent: int | None = None) -> str:
        return _json(self.as_geojson(), indent)


@dataclass(frozen=True, slots=True, kw_only=True)
class Exposure:
    """A populated place's exposure at a date: nearest hostile-held position, nearby violence."""

    place: Place
    at: dt.date
    government_side: str | None  # the town's controller (a control point at it, else its state)
    nearest_hostile: PointState | None
    nearest_hostile_km: float | None
    events: tuple[tuple[str, str, float], ...] = ()  # (event id, event type, km) within radius

    def to_dict(self) -> dict[str, Any]:
        return {
            "place": self.place.to_dict(), "at": self.at.isoformat(),
            "government_side": self.government_side,
            "nearest_hostile": None if self.nearest_hostile is None else {
                "name": self.nearest_hostile.point.name, "side": self.nearest_hostile.side,
                "state": self.nearest_hostile.state, "km": round(self.nearest_hostile_km or 0, 3)},
            "events": [{"event_id": i, "event_type": t, "km": round(k, 3)}
                       for i, t, k in self.events],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Alert:
    """A rule that holds for a populated place at ``at``. ``status``: pending (one independent
    source) or confirmed (``min_sources`` or more). It clears when the rule stops holding."""

    rule: str
    place: Place
    at: dt.date
    status: str
    severity: str
    message: str
    distance_km: float
    sources: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    position: str = ""  # the control point key for position rules
    side: str | None = None
    controller: str | None = None  # who holds the town (the side threatened)
    evidence: tuple[Evidence, ...] = ()
    corroborated_by: tuple[str, ...] = ()  # the outlets that report one same event/position

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule, "place": self.place.name, "geonameid": self.place.geonameid,
            "latitude": self.place.latitude, "longitude": self.place.longitude,
            "population": self.place.population, "at": self.at.isoformat(),
            "status": self.status, "severity": self.severity, "message": self.message,
            "distance_km": round(self.distance_km, 3), "sources": list(self.sources),
            "event_ids": list(self.event_ids), "position": self.position, "side": self.side,
            "controller": self.controller, "corroborated_by": list(self.corroborated_by),
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class AlertReport:
    """The alerts in force at ``at`` (iterable like a list)."""

    at: dt.date
    alerts: tuple[Alert, ...]
    exposures: tuple[Exposure, ...] = ()

    def __iter__(self):
        return iter(self.alerts)

    def __len__(self) -> int:
        return len(self.alerts)

    def __getitem__(self, index: int) -> Alert:
        return self.alerts[index]

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "alerts": [a.to_dict() for a in self.alerts],
                "exposures": [e.to_dict() for e in self.exposures]}

    def to_json(self, *, indent: int | None = 2) -> str:
        return _json(self.as_dict(), indent)

    def as_geojson(self) -> dict[str, Any]:
        features = []
        for alert in self.alerts:
            props = alert.to_dict()
            props["kind"] = "alert"
            props.pop("latitude")
            props.pop("longitude")
            features.append(geo.point_feature(alert.place.longitude, alert.place.latitude, props))
        return geo.feature_collection(features)

    def to_geojson(self, *, indent: int | None = None) -> str:
        return _json(self.as_geojson(), indent)
