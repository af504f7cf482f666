"""``frontlines export``: stored events as ACLED CSV, JSON lines or GeoJSON."""

from __future__ import annotations

import datetime as dt

import click

from frontlines.cli_common import FORMATS, ISO_DATE, _settings, handle_errors, output


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--since", type=ISO_DATE, help="Only events on or after this date.")
@click.option("--until", type=ISO_DATE, help="Only events on or before this date.")
@click.option("--country", help="Only events in this country (name, ISO2 or ISO3).")
@click.option("-o", "--output", "out", metavar="FILE", help="Write here instead of stdout.")
@click.option("--db", metavar="URL", help="SQLAlchemy URL (default: the 'db' setting).")
@handle_errors
def export(fmt: str, since: dt.date | None, until: dt.date | None, country: str | None,
           out: str | None, db: str | None) -> None:
    """Write stored events as ACLED CSV, JSON lines or GeoJSON."""
    from frontlines.export import write_events
    from frontlines.pipeline import Frontlines

    events = Frontlines(_settings(db=db)).events(since=since, until=until, country=country)
    with output(out) as fh:
        write_events(events, fmt, fh)
