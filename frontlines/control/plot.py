"""PNG maps of a control snapshot: areas per side, front lines, positions and alerts.

matplotlib with the Agg backend (no display, no network). Country outlines come from the
control config's outline, so the map needs no tiles.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from frontlines.control.records import Alert, Snapshot
from frontlines.control.sides import SideMap

__all__ = ["plot_snapshot"]

_FALLBACK = ("#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#ff7f0e")


def _color(side: str, sides: SideMap, extra: dict[str, str]) -> str:
    if side in sides.colors:
        return sides.colors[side]
    if side not in extra:
        extra[side] = _FALLBACK[len(extra) % len(_FALLBACK)]
    return extra[side]


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for part in getattr(geom, "geoms", []) for g in _polygons(part)]


def _lines(geom: BaseGeometry) -> list[BaseGeometry]:
    if geom.geom_type == "LineString":
        return [geom]
    return [g for part in getattr(geom, "geoms", []) for g in _lines(part)]


def plot_snapshot(
    snapshot: Snapshot,
    path: str | Path,
    *,
    alerts: Sequence[Alert] = (),
    sides: SideMap | None = None,
    outline: BaseGeometry | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    title: str | None = None,
) -> Path:
    """Draw ``snapshot`` (and ``alerts``) to a PNG at ``path``; returns the path.

    ``bounds`` = (min_lon, min_lat, max_lon, max_lat); by default the points' extent plus a
    margin. ``outline`` draws country borders (e.g. ``ControlConfig.load().outline``).
    """
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    sides = sides or SideMap.load()
    extra: dict[str, str] = {}
    fig, ax = plt.subplots(figsize=(8, 8), dpi=100)
    if bounds is None:
        lons = [s.point.longitude for s in snapshot.points] + [a.place.longitude for a in alerts]
        lats = [s.point.latitude for s in snapshot.points] + [a.place.latitude for a in alerts]
        if lons:
            bounds = (min(lons) - 0.08, min(lats) - 0.08, max(lons) + 0.08, max(lats) + 0.08)
    if outline is not None:
        for poly in _polygons(outline):
            x, y = poly.exterior.xy
            ax.plot(x, y, color="#888888", linewidth=0.8, zorder=1)
    handles = []
    for area in snapshot.areas:
        color = _color(area.side, sides, extra)
        for poly in _polygons(area.geometry):
            x, y = poly.exterior.xy
            ax.fill(x, y, facecolor=color, alpha=0.35, edgecolor=color, linewidth=0.6, zorder=2)
        handles.append(Patch(facecolor=color, alpha=0.5,
                             label=f"{area.side} ({area.km2:.0f} km²)"))
    for front in snapshot.front_lines:
        for line in _lines(front.geometry):
            x, y = line.xy
            ax.plot(x, y, color="#ff00ff", linewidth=2.2, zorder=4)
    if snapshot.front_lines:
        handles.append(Line2D([], [], color="#ff00ff", linewidth=2.2, label="front line"))
    for state in snapshot.points:
        color = _color(state.side, sides, extra) if state.side else "#ffffff"
        marker = "^" if state.point.kind in ("hill/heights", "outskirts") else "o"
        ax.scatter([state.point.longitude], [state.point.latitude], s=28, c=color,
                   edgecolors="black", linewidths=0.5, marker=marker, zorder=5)
        if bounds is None or (bounds[0] <= state.point.longitude <= bounds[2]
                              and bounds[1] <= state.point.latitude <= bounds[3]):
            ax.annotate(state.point.name, (state.point.longitude, state.point.latitude),
                        fontsize=6, xytext=(3, 3), textcoords="offset points", zorder=6)
    by_town: dict[int, list[Alert]] = {}
    for alert in alerts:
        by_town.setdefault(alert.place.geonameid, []).append(alert)
    for group in by_town.values():
        place = group[0].place
        confirmed = any(a.status == "confirmed" for a in group)
        ax.scatter([place.longitude], [place.latitude], s=160, marker="*",
                   c="#d62728" if confirmed else "#ff7f0e", edgecolors="black",
                   linewidths=0.6, zorder=7)
        what = ", ".join(f"{a.rule.replace('-near-town', '').replace('-nearby', '')} "
                         f"{a.distance_km:.1f} km" for a in group)
        ax.annotate(f"{place.name}: {what}", (place.longitude, place.latitude), fontsize=6.5,
                    fontweight="bold", xytext=(5, -10), textcoords="offset points", zorder=8)
    if alerts:
        handles.append(Line2D([], [], marker="*", color="w", markerfacecolor="#ff7f0e",
                              markeredgecolor="black", markersize=12,
                              label="alert: pending (one outlet)"))
        handles.append(Line2D([], [], marker="*", color="w", markerfacecolor="#d62728",
                              markeredgecolor="black", markersize=12,
                              label="alert: confirmed (two outlets)"))
    if bounds is not None:
        ax.set_xlim(bounds[0], bounds[2])
        ax.set_ylim(bounds[1], bounds[3])
    ax.set_aspect(1 / max(0.2, math.cos(math.radians(sum(ax.get_ylim()) / 2))))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    at = snapshot.at.isoformat() if isinstance(snapshot.at, dt.date) else str(snapshot.at)
    ax.set_title(title or f"Control on {at}")
    if handles:
        ax.legend(handles=handles, loc="lower left", fontsize=7, framealpha=0.85)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", bbox_inches="tight")
    plt.close(fig)
    return path
