"""``frontlines demo``: ingest the sample reports, export them, show what was found, and the
control map and alerts of the August 2017 border campaign on top of the example initial map
(``examples/.maps/lebanon-syria-border-2017-07.csv``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from frontlines.pipeline import Frontlines, RunReport
from frontlines.settings import Settings

__all__ = ["DemoResult", "run_demo"]


INITIAL_MAP = Path(".maps") / "lebanon-syria-border-2017-07.csv"
CONTROL_DATES = (dt.date(2017, 8, 18), dt.date(2017, 8, 22), dt.date(2017, 8, 28))


@dataclass
class DemoResult:
    db: str
    csv: Path
    geojson: Path
    events: int
    report: RunReport
    control: list[Path] = field(default_factory=list)


def run_demo(examples: Path, out: Path, *, console: Console | None = None,
             quiet: bool = False, progress=None) -> DemoResult:
    """Ingest ``examples`` into ``out/frontlines-demo.db`` and write CSV + GeoJSON there."""
    from frontlines.export import write_events

    console = console or Console()
    out.mkdir(parents=True, exist_ok=True)
    db = f"sqlite:///{(out / 'frontlines-demo.db').resolve()}"
    frontlines = Frontlines(Settings(db=db))
    stats, report = frontlines.ingest([examples], progress=progress)
    events = frontlines.events()
    csv_path, geojson_path = out / "events.csv", out / "events.geojson"
    with open(csv_path, "w", encoding="utf-8", newline="") as fh:
        write_events(events, "csv", fh)
    with open(geojson_path, "w", encoding="utf-8") as fh:
        write_events(events, "geojson", fh)
    if not quiet:
        table = Table(title=f"{len(events)} events from {examples}", show_lines=False)
        for column in ("date", "type", "sub-event", "actor 1", "actor 2", "location",
                       "country", "fat.", "certainty"):
            table.add_column(column, overflow="fold")
        for e in sorted(events, key=lambda e: (e.event_date, e.country, e.location)):
            table.add_row(str(e.event_date), e.event_type, e.sub_event_type, e.actor1,
                          e.actor2, e.location, e.country, str(e.fatalities), e.certainty)
        console.print(table)
        console.print(f"store:   {db}  ({stats})", soft_wrap=True)
        console.print(f"CSV:     {csv_path.resolve()}", soft_wrap=True)
        console.print(f"GeoJSON: {geojson_path.resolve()}", soft_wrap=True)
    control = _control(frontlines, examples, out, console=console, quiet=quiet)
    return DemoResult(db=db, csv=csv_path, geojson=geojson_path, events=len(events),
                      report=report, control=control)


def _control(frontlines: Frontlines, examples: Path, out: Path, *, console: Console,
             quiet: bool) -> list[Path]:
    """Control snapshots, alerts and a PNG per date of the border campaign."""
    from frontlines.control import control_snapshot, exposure_alerts, plot_control

    initial = examples / INITIAL_MAP
    if not initial.exists():
        return []
    store, gazetteer = frontlines.store(), frontlines.gazetteer
    written: list[Path] = []
    table = Table(title=f"Control and alerts on the Lebanon-Syria border (initial map {initial})")
    for column in ("date", "areas (km²)", "front lines", "alerts"):
        table.add_column(column, overflow="fold")
    for at in CONTROL_DATES:
        snap = control_snapshot(store, at=at, gazetteer=gazetteer, initial=initial)
        report = exposure_alerts(store, gazetteer, at=at, initial=initial)
        path = out / f"control-{at}.json"
        path.write_text(snap.to_json(indent=2) + "\n", encoding="utf-8")
        png = plot_control(store, gazetteer, at=at, path=out / f"control-{at}.png",
                           initial=initial, bounds=(36.2, 33.95, 36.85, 34.45))
        written += [path, png, out / f"alerts-{at}.json"]
        (out / f"alerts-{at}.json").write_text(report.to_json(indent=2) + "\n",
                                               encoding="utf-8")
        table.add_row(str(at), ", ".join(f"{a.side} {a.km2:.0f}" for a in snap.areas
                                         if a.km2 >= 1),
                      ", ".join(f"{' / '.join(f.sides)} {f.km:.0f} km"
                                for f in snap.front_lines),
                      "; ".join(f"{a.place.name}: {a.rule} ({a.status})"
                                for a in report.alerts))
    if not quiet:
        console.print(table)
        console.print(f"Control: {out.resolve()}/control-*.json, .png; alerts-*.json",
                      soft_wrap=True)
    return written
