"""``frontlines control`` and ``frontlines alerts``: who holds what, which towns are in range."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from frontlines.cli_common import (
    EXIT_SKIPPED,
    ISO_DATE,
    _settings,
    err,
    handle_errors,
    output,
    progress_bar,
)
from frontlines.errors import StoreError

#: Exit status when the store holds no reports: the result (empty, or the initial map alone)
#: is still written, and a warning on stderr says which store and how to fill it.
EXIT_EMPTY_STORE = EXIT_SKIPPED


def _say(text: str) -> None:
    err.print(text, soft_wrap=True, highlight=False, markup=False)


def _existing_store(frontlines: Any) -> Any:
    """The store, refusing a SQLite file that does not exist (it would be created empty)."""
    import sqlalchemy as sa

    url = str(frontlines.settings.db)
    try:
        parsed = sa.make_url(url)
    except Exception:  # noqa: BLE001 - the store gives the clear message
        return frontlines.store()
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not Path(parsed.database).exists():
        raise StoreError(f"no database file {parsed.database} (from the folder "
                         f"{Path.cwd()}); fill it first with 'frontlines ingest REPORTS --db "
                         f"{url}', or give the right one with --db", where=url)
    return frontlines.store()


def _empty_store_warning(store: Any, initial: str | None, command: str) -> bool:
    """Warn when ``store`` holds no articles; ``True`` when it is empty."""
    counts = store.counts()
    if counts.get("articles", 0) or counts.get("events", 0):
        return False
    alone = (f"the result comes from the initial map {initial} alone" if initial else
             "the result is empty")
    _say(f"warning: the store {store.url} holds no reports (0 articles, 0 events), so "
         f"{alone}; fill it with 'frontlines ingest REPORTS --db {store.url}' and run "
         f"'frontlines {command}' with the same --db")
    return True


def _store_line(store: Any) -> str:
    counts = store.counts()
    return f"{store.url} ({counts.get('events', 0)} events, {counts.get('articles', 0)} articles)"


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
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr (warnings stay).")
@handle_errors
def control(at: dt.date | None, start: dt.date | None, end: dt.date | None, fmt: str,
            db: str | None, initial: str | None, sides: str | None, out: str | None,
            plot: str | None, quiet: bool) -> None:
    """Who holds which place: points, areas per side and front lines at a date, or the
    gains and losses (km², equal-area) between two dates. Every change says why (sentence,
    source, rule).

    Reads the reports stored by 'frontlines ingest' in the --db store; a summary naming the
    store goes to stderr. A store that does not exist is an error (exit 2); an empty one
    gives a warning and exit status 1 (the result, from --initial alone, is still written).
    """
    from frontlines.control import SideMap, control_changes, control_snapshot, plot_control
    from frontlines.pipeline import Frontlines

    if (start is None) != (end is None) or (at is None) == (start is None):
        raise click.UsageError("give either --at DATE, or --from DATE --to DATE")
    if plot and at is None:
        raise click.UsageError("--plot draws one date: give --at DATE")
    frontlines = Frontlines(_settings(db=db))
    store = _existing_store(frontlines)
    empty = _empty_store_warning(store, initial, "control")
    gazetteer = frontlines.gazetteer
    side_map = SideMap.load(extra=sides) if sides else None
    if at is not None:
        result = control_snapshot(store, at=at, gazetteer=gazetteer, initial=initial,
                                  sides=side_map)
        if plot:
            plot_control(store, gazetteer, at=at, path=plot, initial=initial, sides=side_map)
        areas = ", ".join(f"{a.side} {a.km2:,.0f} km²" for a in result.areas) or "none"
        summary = (f"control at {at} from {_store_line(store)}: {len(result.points)} "
                   f"point(s) held; areas: {areas}; {len(result.front_lines)} front line(s)"
                   f"{f'; map drawn to {plot}' if plot else ''}")
    else:
        result = control_changes(store, start=start, end=end, gazetteer=gazetteer,
                                 initial=initial, sides=side_map)
        nets = ", ".join(f"{c.side} {c.net_km2:+,.0f} km²" for c in result.changes) or "none"
        summary = (f"control from {start} to {end} from {_store_line(store)}: "
                   f"{len(result.transfers)} place(s) changed hands; net: {nets}")
    with output(out) as fh:
        fh.write((result.to_geojson() if fmt == "geojson" else result.to_json(indent=2)) + "\n")
    if not quiet:
        _say(summary + (f"; written to {out}" if out else ""))
    if empty:
        sys.exit(EXIT_EMPTY_STORE)


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
    report one same event or position. A store that does not exist is an error (exit 2); an
    empty one gives a warning and exit status 1."""
    from frontlines.control import SideMap, exposure_alerts
    from frontlines.pipeline import Frontlines

    frontlines = Frontlines(_settings(db=db))
    store = _existing_store(frontlines)
    empty = _empty_store_warning(store, initial, "alerts")
    side_map = SideMap.load(extra=sides) if sides else None
    with progress_bar("exposure", quiet=quiet) as update:
        result = exposure_alerts(store, frontlines.gazetteer, at=at,
                                 initial=initial, sides=side_map, progress=update)
    with output(out) as fh:
        fh.write((result.to_geojson() if fmt == "geojson" else result.to_json(indent=2)) + "\n")
    if not quiet:
        status = Counter(a.status for a in result.alerts)
        kinds = ", ".join(f"{n} {s}" for s, n in sorted(status.items()))
        _say(f"alerts at {at} from {_store_line(store)}: {len(result.alerts)} alert(s)"
             f"{f' ({kinds})' if kinds else ''} for "
             f"{len({a.place.geonameid for a in result.alerts})} town(s)"
             f"{f'; written to {out}' if out else ''}")
    if empty:
        sys.exit(EXIT_EMPTY_STORE)
