"""``frontlines demo``: ingest the sample reports, export them, show what was found."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from frontlines.pipeline import Frontlines, RunReport
from frontlines.settings import Settings

__all__ = ["DemoResult", "run_demo"]


@dataclass
class DemoResult:
    db: str
    csv: Path
    geojson: Path
    events: int
    report: RunReport


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
    return DemoResult(db=db, csv=csv_path, geojson=geojson_path, events=len(events),
                      report=report)
