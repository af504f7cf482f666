"""``frontlines control`` and ``frontlines alerts``: who holds what, which towns are in range."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

from frontlines.cli_common import (
    ISO_DATE,
    _settings,
    handle_errors,
    output,
    progress_bar,
)


# -- control and exposure ------------------------------------------------------------------
def _initial_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--initial", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
        help="Initial control state: CSV (label, latitude, longitude, controller) or GeoJSON "
             "points.")(func)


def _sides_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--sides", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
        help="Your sides table (YAML, the format of frontlines/data/control/sides.yaml): "
             "extends or overrides who is hostile to or allied with whom.")(func)


@click.command()
@click.option("--at", type=ISO_DATE, help="Snapshot at the end of this day.")
@click.option("--from", "start", type=ISO_DATE, help="With --to: gains and losses between dates.")
@click.option("--to", "end", type=ISO_DATE, help="End of the --from/--to period.")
@click.option("--format", "fmt", type=click.Choice(("json", "geojson")), default="json",
              show_default=True)
@click.option("--db", metavar="URL", help="SQLAlchemy URL (default: the 'db' setting).")
@_initial_option
@_sides_option
@click.option("-o", "--output", "out", metavar="FILE", help="Write here instead of stdout.")
@click.option("--plot", metavar="FILE.png", help="With --at: also draw areas, front lines and "
              "the towns under alert to this PNG.")
@handle_errors
def control(at: dt.date | None, start: dt.date | None, end: dt.date | None, fmt: str,
            db: str | None, initial: str | None, sides: str | None, out: str | None,
            plot: str | None) -> None:
    """Who holds which place: points, areas per side and front lines at a date, or the
    gains and losses (km², equal-area) between two dates. Every change says why (sentence,
    source, rule)."""
    from frontlines.control import SideMap, control_changes, control_snapshot, plot_control
    from frontlines.pipeline import Frontlines

    if (start is None) != (end is None) or (at is None) == (start is None):
        raise click.UsageError("give either --at DATE, or --from DATE --to DATE")
    if plot and at is None:
        raise click.UsageError("--plot draws one date: give --at DATE")
    frontlines = Frontlines(_settings(db=db))
    store, gazetteer = frontlines.store(), frontlines.gazetteer
    side_map = SideMap.load(extra=sides) if sides else None
    if at is not None:
        result = control_snapshot(store, at=at, gazetteer=gazetteer, initial=initial,
                                  sides=side_map)
        if plot:
            plot_control(store, gazetteer, at=at, path=plot, initial=initial, sides=side_map)
    else:
        result = control_changes(store, start=start, end=end, gazetteer=gazetteer,
                                 initial=initial, sides=side_map)
    with output(out) as fh:
        fh.write((result.to_geojson() if fmt == "geojson" else result.to_json(indent=2)) + "\n")


@click.command()
@click.option("--at", type=ISO_DATE, required=True, help="Alerts in force at the end of this day.")
@click.option("--format", "fmt", type=click.Choice(("json", "geojson")), default="json",
              show_default=True)
@click.option("--db", metavar="URL", help="SQLAlchemy URL (default: the 'db' setting).")
@_initial_option
@_sides_option
@click.option("-o", "--output", "out", metavar="FILE", help="Write here instead of stdout.")
@click.option("--quiet", "-q", is_flag=True)
@handle_errors
def alerts(at: dt.date, fmt: str, db: str | None, initial: str | None, sides: str | None,
           out: str | None, quiet: bool) -> None:
    """Civilian exposure: towns near hostile positions and recent violence.

    Hostile means hostile to the town's controller; an alert is confirmed when two outlets
    report one same event or position."""
    from frontlines.control import SideMap, exposure_alerts
    from frontlines.pipeline import Frontlines

    frontlines = Frontlines(_settings(db=db))
    side_map = SideMap.load(extra=sides) if sides else None
    with progress_bar("exposure", quiet=quiet) as update:
        result = exposure_alerts(frontlines.store(), frontlines.gazetteer, at=at,
                                 initial=initial, sides=side_map, progress=update)
    with output(out) as fh:
        fh.write((result.to_geojson() if fmt == "geojson" else result.to_json(indent=2)) + "\n")
