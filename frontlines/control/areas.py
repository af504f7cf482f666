"""Areas per side and front lines from the points' holders at one date."""

from __future__ import annotations

from collections.abc import Sequence

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from frontlines.control import geo
from frontlines.control.config import ControlConfig
from frontlines.control.records import FrontLine, PointState, SideArea
from frontlines.control.sides import SideMap

__all__ = ["areas_and_fronts"]


def areas_and_fronts(states: Sequence[PointState], *, projection: geo.EqualArea,
                     config: ControlConfig, sides: SideMap) -> tuple[tuple[SideArea, ...],
                                                                     tuple[FrontLine, ...]]:
    """Areas per side (Voronoi cells capped at cap_km, clipped to the outline) and front
    lines: shared cell edges between points of two sides hostile to each other (never
    between allies, nor between states that are not fighting)."""
    # Every point takes part in the Voronoi partition; cells of points nobody holds
    # (contested between others, or vacated) stay out of every side's area.
    held = list(states)
    if not any(s.side for s in held):
        return (), ()
    proj = projection
    cap_m = config.cap_km * 1000.0
    clip = proj.project(config.outline) if config.outline is not None else None
    xy = [proj.xy(s.point.longitude, s.point.latitude) for s in held]
    cells = geo.cells(xy, cap_m=cap_m, clip=clip)
    by_side: dict[str, list[BaseGeometry]] = {}
    for state, cell in zip(held, cells, strict=True):
        if state.side:
            by_side.setdefault(state.side, []).append(cell)
    order = {s: i for i, s in enumerate(sides.sides)}
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
            if (j <= i or raw[j].is_empty
                    or not sides.is_hostile(held[i].side, held[j].side)):
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
