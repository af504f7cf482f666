"""Geometry for control maps: equal-area projection, areas from points, front lines, GeoJSON.

Areas and lengths are computed in a Lambert azimuthal equal-area projection (LAEA, WGS84
ellipsoid) centred on the data (``+proj=laea +lat_0=<lat> +lon_0=<lon>``). LAEA preserves area
everywhere; centring it on the map keeps shape and length distortion small (under 0.1 % within
~300 km of the centre). GeoJSON output follows RFC 7946: [longitude, latitude], no ``crs``
member, polygon exterior rings counterclockwise and holes clockwise.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPolygon,
    Point,
    Polygon,
    mapping,
    shape,
)
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import linemerge, unary_union

from frontlines.errors import InputError, RecordFormatError
from frontlines.geo import EARTH_RADIUS_KM, haversine_km

__all__ = [
    "EARTH_RADIUS_KM",
    "EqualArea",
    "area_km2",
    "cells",
    "feature",
    "feature_collection",
    "geojson_geometry",
    "haversine_km",
    "load_outline",
    "point_feature",
    "topojson_features",
]

COORD_DIGITS = 6  # ~0.1 m
GRID_M = 0.01  # projected geometries are snapped to a 1 cm grid so overlays stay robust


@dataclass(frozen=True)
class EqualArea:
    """A LAEA projection centred on (lat_0, lon_0): metres both ways, areas true."""

    lat_0: float
    lon_0: float

    @property
    def proj(self) -> str:
        return (f"+proj=laea +lat_0={self.lat_0:.4f} +lon_0={self.lon_0:.4f} "
                "+x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs")

    def _forward(self) -> Transformer:
        return _transformer(self.proj, True)

    def _inverse(self) -> Transformer:
        return _transformer(self.proj, False)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return self._forward().transform(lon, lat)

    def project(self, geom: BaseGeometry) -> BaseGeometry:
        fwd = self._forward()
        return shapely.transform(geom, lambda x, y: fwd.transform(x, y), interleaved=False)

    def unproject(self, geom: BaseGeometry) -> BaseGeometry:
        inv = self._inverse()
        return shapely.transform(geom, lambda x, y: inv.transform(x, y), interleaved=False)

    @classmethod
    def around(cls, lonlats: Iterable[tuple[float, float]]) -> EqualArea:
        pts = list(lonlats)
        if not pts:
            return cls(0.0, 0.0)
        lon = (min(p[0] for p in pts) + max(p[0] for p in pts)) / 2
        lat = (min(p[1] for p in pts) + max(p[1] for p in pts)) / 2
        return cls(round(lat, 4), round(lon, 4))


_TRANSFORMERS: dict[tuple[str, bool], Transformer] = {}


def _transformer(proj: str, forward: bool) -> Transformer:
    key = (proj, forward)
    if key not in _TRANSFORMERS:
        src, dst = ("EPSG:4326", proj) if forward else (proj, "EPSG:4326")
        _TRANSFORMERS[key] = Transformer.from_crs(src, dst, always_xy=True)
    return _TRANSFORMERS[key]


def area_km2(geom: BaseGeometry) -> float:
    """Area of a lon/lat geometry in km², in a LAEA projection centred on it."""
    if geom.is_empty:
        return 0.0
    centre = geom.centroid
    return EqualArea(centre.y, centre.x).project(geom).area / 1e6


def cells(
    points: Sequence[tuple[float, float]],
    *,
    cap_m: float,
    clip: BaseGeometry | None = None,
) -> list[BaseGeometry]:
    """The Voronoi cell of each projected point, cut to ``cap_m`` around it and to ``clip``.

    Points at the same spot share one cell (the first gets it, the others get an empty one).
    """
    raw = raw_cells(points, cap_m=cap_m)
    seen: set[tuple[float, float]] = set()
    result: list[BaseGeometry] = []
    for xy, cell in zip(points, raw, strict=True):
        spot = (round(xy[0], 1), round(xy[1], 1))
        if spot in seen:
            result.append(Polygon())
            continue
        seen.add(spot)
        disk = Point(xy).buffer(cap_m, 64)
        capped = disk if cell.is_empty else cell.intersection(disk)
        if clip is not None:
            capped = capped.intersection(clip)
        result.append(_polygonal(capped))
    return result


def raw_cells(points: Sequence[tuple[float, float]], *, cap_m: float) -> list[BaseGeometry]:
    """Unclipped Voronoi cells (shared edges are exact), aligned with ``points``."""
    out: list[BaseGeometry] = [Polygon() for _ in points]
    if len(points) < 2:
        return out
    distinct: dict[tuple[float, float], int] = {}
    for i, xy in enumerate(points):
        distinct.setdefault((round(xy[0], 1), round(xy[1], 1)), i)
    owners = list(distinct.values())
    if len(owners) < 2:
        return out
    multipoint = shapely.MultiPoint([points[i] for i in owners])
    diagram = shapely.voronoi_polygons(multipoint, extend_to=multipoint.envelope.buffer(cap_m * 4))
    polys = list(diagram.geoms)
    tree = shapely.STRtree(polys)
    for i in owners:
        candidates = tree.query(Point(points[i]), predicate="intersects")
        if len(candidates):
            out[i] = polys[int(candidates[0])]
    return out


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygon parts of ``geom``."""
    if geom.is_empty or isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon | MultiPolygon)]
    return unary_union(parts) if parts else Polygon()


def lineal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the line parts of ``geom``, merged where they join."""
    parts: list[LineString] = []
    for g in getattr(geom, "geoms", [geom]):
        if isinstance(g, LineString) and not g.is_empty and g.length > 0:
            parts.append(g)
        elif isinstance(g, MultiLineString):
            parts.extend(x for x in g.geoms if x.length > 0)
        elif isinstance(g, GeometryCollection):
            sub = lineal(g)
            parts.extend(getattr(sub, "geoms", [sub]) if not sub.is_empty else [])
    if not parts:
        return MultiLineString()
    merged = linemerge(parts)
    return merged


# --- GeoJSON (RFC 7946) -------------------------------------------------------------------

def _round(geom: BaseGeometry) -> BaseGeometry:
    """Snap to the output grid, keeping the result valid; drop parts that collapse."""
    if isinstance(geom, Polygon | MultiPolygon | GeometryCollection):
        rounded = shapely.set_precision(shapely.make_valid(geom), 10 ** -COORD_DIGITS)
        if isinstance(geom, Polygon | MultiPolygon):
            parts = [p for p in getattr(_polygonal(rounded), "geoms", [_polygonal(rounded)])
                     if not p.is_empty and p.area > 0]
            if not parts:
                return Polygon()
            return parts[0] if len(parts) == 1 else MultiPolygon(parts)
        return rounded
    return shapely.set_precision(geom, 10 ** -COORD_DIGITS, mode="pointwise")


def geojson_geometry(geom: BaseGeometry) -> dict[str, Any] | None:
    """An RFC 7946 geometry object: rounded coordinates, polygons right-hand (exterior CCW)."""
    if geom is None or geom.is_empty:
        return None
    geom = _round(geom)
    if geom.is_empty:
        return None
    if isinstance(geom, Polygon):
        geom = orient(geom, 1.0)
    elif isinstance(geom, MultiPolygon):
        geom = MultiPolygon([orient(p, 1.0) for p in geom.geoms])
    elif isinstance(geom, GeometryCollection):
        polys = _polygonal(geom)
        if not polys.is_empty:
            return geojson_geometry(polys)
        return geojson_geometry(lineal(geom))
    return json.loads(json.dumps(mapping(geom)))  # tuples -> lists


def feature(geom: BaseGeometry, properties: dict[str, Any]) -> dict[str, Any] | None:
    """A Feature, or None when the geometry is empty (after rounding to the output grid)."""
    geometry = geojson_geometry(geom)
    if geometry is None:
        return None
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def point_feature(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature",
            "geometry": {"type": "Point",
                         "coordinates": [round(lon, COORD_DIGITS), round(lat, COORD_DIGITS)]},
            "properties": properties}


def feature_collection(features: list[dict[str, Any] | None]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [f for f in features if f is not None]}


# --- Country outlines -----------------------------------------------------------------------

def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    transform_ = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform_:
            (sx, sy), (tx, ty) = transform_["scale"], transform_["translate"]
            x = y = 0
            coords = []
            for dx, dy in arc:
                x += dx
                y += dy
                coords.append((x * sx + tx, y * sy + ty))
        else:
            coords = [tuple(p[:2]) for p in arc]
        arcs.append(coords)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        coords = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(coords[1:] if ring else coords)
    return ring


def topojson_features(topology: dict[str, Any], obj: str) -> list[tuple[dict[str, Any],
                                                                       BaseGeometry]]:
    """Decode TopoJSON object ``obj`` into (properties incl. ``id``, shapely geometry) pairs."""
    arcs = _decode_arcs(topology)
    out = []
    for g in topology["objects"][obj]["geometries"]:
        props = dict(g.get("properties") or {})
        if "id" in g:
            props["id"] = g["id"]
        if g["type"] == "Polygon":
            rings = [_ring(arcs, r) for r in g["arcs"]]
            geom: BaseGeometry = Polygon(rings[0], rings[1:])
        elif g["type"] == "MultiPolygon":
            polys = []
            for poly in g["arcs"]:
                rings = [_ring(arcs, r) for r in poly]
                polys.append(Polygon(rings[0], rings[1:]))
            geom = MultiPolygon(polys)
        else:
            continue
        out.append((props, shapely.make_valid(geom)))
    return out


def load_outline(path: str | Path, *, ids: Sequence[str] | None = None) -> BaseGeometry:
    """The union of the (Multi)Polygons in a GeoJSON or TopoJSON file, lon/lat.

    ``ids`` keeps only features whose ``id``, ``properties.id``, ``iso2``, ``iso_a2`` or
    ``name`` is listed (e.g. ``["422", "760"]`` for Lebanon and Syria in world-atlas files).
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"outline file {path} does not exist; pass a GeoJSON or TopoJSON "
                         "file of country polygons") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecordFormatError(f"outline file {path} is not valid JSON ({exc}); pass a "
                                "GeoJSON or TopoJSON file of country polygons") from None
    pairs: list[tuple[dict[str, Any], BaseGeometry]] = []
    if data.get("type") == "Topology":
        for name in data.get("objects", {}):
            pairs.extend(topojson_features(data, name))
    elif data.get("type") == "FeatureCollection":
        for feat in data.get("features", []):
            props = dict(feat.get("properties") or {})
            if "id" in feat:
                props.setdefault("id", feat["id"])
            if feat.get("geometry"):
                pairs.append((props, shape(feat["geometry"])))
    else:
        raise RecordFormatError(f"outline file {path}: expected a GeoJSON FeatureCollection or a "
                                f"TopoJSON Topology, got type {data.get('type')!r}")
    wanted = {str(i).casefold() for i in ids} if ids else None
    keep = []
    for props, geom in pairs:
        if not isinstance(geom, Polygon | MultiPolygon):
            continue
        keys = {str(props.get(k, "")).casefold()
                for k in ("id", "iso2", "iso_a2", "name", "iso3")} - {""}
        if wanted is None or keys & wanted:
            keep.append(geom)
    if not keep:
        raise InputError(f"outline file {path}: no polygon matched ids {list(ids or [])}; "
                         "check the ids against the file's id/name properties")
    return unary_union(keep)
