"""Matching reports to control points: names (romanisations, Arabic articles), ids, distance.

Also the identity helpers every control module shares: an event's id and its distinct sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import yaml
from rapidfuzz import fuzz

from frontlines.control import geo
from frontlines.control.config import ControlConfig
from frontlines.control.records import ControlPoint
from frontlines.control.sides import fold
from frontlines.model import Event

__all__ = ["PointIndex", "event_id", "event_sources", "name_similarity", "outlet"]

_ARTICLES = {"al", "el", "ad", "ed", "as", "es", "ash", "esh", "ech", "ar", "er", "az", "ez",
             "at", "et", "an", "en", "the"}


def outlet(source: str) -> str:
    """A source name folded for comparing outlets ("The Daily Star" = "the daily star ")."""
    return " ".join(source.split()).casefold()


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


class PointIndex:
    """The control points known so far: find one for a report, or add a new one."""

    def __init__(self, points: Iterable[ControlPoint], config: ControlConfig) -> None:
        self.points: dict[str, ControlPoint] = {p.key: p for p in points}
        self.config = config

    def near(self, lat: float, lon: float, radius_km: float) -> list[tuple[float, ControlPoint]]:
        return sorted(((km, p) for p in self.points.values()
                       if (km := geo.haversine_km(lat, lon, p.latitude, p.longitude))
                       <= radius_km), key=lambda x: (x[0], x[1].key))

    def named(self, *, geonameid: int | None, name: str, lat: float | None,
              lon: float | None) -> ControlPoint | None:
        """The known point with this geonameid, else a same-named one within name_match_km."""
        if geonameid is not None:
            for point in self.points.values():
                if point.geonameid == geonameid:
                    return point
        if lat is None or lon is None or not name:
            return None
        for _km, point in self.near(lat, lon, self.config.name_match_km):
            if name_similarity(name, point.name) >= self.config.name_score:
                return point
        return None

    def match(self, *, geonameid: int | None, name: str, lat: float, lon: float,
              kind: str) -> ControlPoint:
        """The named point, else the nearest within snap_km, else a new point."""
        found = self.named(geonameid=geonameid, name=name, lat=lat, lon=lon)
        if found is not None:
            return found
        close = self.near(lat, lon, self.config.snap_km)
        if close:
            return close[0][1]
        return self.add(name=name, lat=lat, lon=lon, geonameid=geonameid, kind=kind)

    def add(self, *, name: str, lat: float, lon: float, geonameid: int | None,
            kind: str) -> ControlPoint:
        if geonameid is not None and kind in ("event", "position", "near"):
            key = f"gn:{geonameid}"
        else:
            key = f"{kind}:{fold(name).replace(' ', '-') or 'place'}@{lat:.4f},{lon:.4f}"
        point = ControlPoint(key=key, name=name or f"{lat:.4f}, {lon:.4f}", latitude=lat,
                             longitude=lon, geonameid=geonameid, kind=kind)
        self.points.setdefault(key, point)
        return self.points[key]
