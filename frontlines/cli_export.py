"""``frontlines export``: stored events as ACLED CSV, JSON lines, GeoJSON, GeoPackage or Excel."""

from __future__ import annotations

import datetime as dt

import click

from frontlines.cli_common import ISO_DATE, _settings, err, handle_errors, output

EXPORT_FORMATS = ("csv", "jsonl", "geojson", "gpkg", "xlsx")
_BINARY = ("gpkg", "xlsx")


@click.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
              help="Output format (default: from the -o file name, else csv). gpkg and xlsx "
                   "need -o FILE.")
@click.option("--since", type=ISO_DATE, help="Only events on or after this date.")
@click.option("--until", type=ISO_DATE, help="Only events on or before this date.")
@click.option("--country", help="Only events in this country (English name, ISO2 or ISO3; an "
                                "unknown name is an error with suggestions).")
@click.option("--layout", type=click.Choice(["current", "legacy"]), default=None,
              help="ACLED release layout of csv/gpkg/xlsx: 'current' writes actor types and "
                   "interactions as labels, 'legacy' as codes (default: the 'acled_layout' "
                   "setting).")
@click.option("--at", type=ISO_DATE, help="gpkg: add the control map (points, areas, front "
                                          "lines) and the alerts of this date.")
@click.option("--initial", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="gpkg with --at: the initial map (CSV or GeoJSON), as 'frontlines control'.")
@click.option("--sides", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="gpkg with --at: your sides table (YAML), as 'frontlines control'.")
@click.option("-o", "--output", "out", metavar="FILE", help="Write here instead of stdout.")
@click.option("--db", metavar="URL", help="SQLAlchemy URL (default: the 'db' setting).")
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
@handle_errors
def export(fmt: str | None, since: dt.date | None, until: dt.date | None, country: str | None,
           layout: str | None, at: dt.date | None, initial: str | None, sides: str | None,
           out: str | None, db: str | None, quiet: bool) -> None:
    """Write stored events as ACLED CSV, JSON lines, GeoJSON, GeoPackage or Excel.

    The CSV, GeoPackage and Excel columns are ACLED's, in the chosen release layout, then
    provenance. A GeoPackage has one layer per geometry type: events, and with --at the
    control points, areas, front lines and alerts of that date."""
    from frontlines.errors import ConfigError
    from frontlines.export import write_events
    from frontlines.export_filters import check_country
    from frontlines.pipeline import Frontlines

    fmt = fmt or _format_of(out)
    if fmt in _BINARY and (not out or out == "-"):
        raise click.UsageError(f"--format {fmt} writes a file: give -o FILE.{fmt}")
    if (initial or sides) and at is None:
        raise click.UsageError("--initial and --sides shape the control map: give --at DATE")
    if at is not None and fmt != "gpkg":
        raise click.UsageError("--at adds control and alert layers to a GeoPackage: use "
                               "--format gpkg (for other formats see 'frontlines control')")
    iso3 = check_country(country) if country else None
    settings = _settings(db=db)
    layout = layout or settings.acled_layout
    frontlines = Frontlines(settings)
    events = frontlines.events(since=since, until=until, country=iso3)
    if fmt == "gpkg":
        try:
            layers = _write_gpkg(frontlines, events, out, at=at, initial=initial, sides=sides,
                                 layout=layout)
        except ImportError as exc:  # geopandas/pyogrio: the optional 'geo' extra
            raise ConfigError(str(exc), where="--format gpkg") from None
        summary = ", ".join(f"{name} {rows}" for name, rows in layers.items())
        if not quiet:
            err.print(f"wrote {out}: layers {summary}", soft_wrap=True, highlight=False)
        return
    if fmt == "xlsx":
        from frontlines.export_tables import write_xlsx

        rows = write_xlsx(out, events, layout=layout)
    else:
        with output(out) as fh:
            rows = write_events(events, fmt, fh, layout=layout)  # type: ignore[arg-type]
    if not quiet and out and out != "-":
        err.print(f"wrote {rows} event(s) to {out} ({fmt})", soft_wrap=True, highlight=False)


def _format_of(out: str | None) -> str:
    """The format the -o file name asks for; csv for stdout or a name that says none."""
    from frontlines.errors import ConfigError
    from frontlines.export import format_for_path

    if not out or out == "-":
        return "csv"
    try:
        return format_for_path(out)
    except ConfigError:
        return "csv"


def _write_gpkg(frontlines, events, out, *, at, initial, sides, layout) -> dict[str, int]:
    from frontlines.export_tables import write_gpkg

    snapshot = alerts = None
    if at is not None:
        from frontlines.control import SideMap, control_snapshot, exposure_alerts

        store, gazetteer = frontlines.store(), frontlines.gazetteer
        side_map = SideMap.load(extra=sides) if sides else None
        snapshot = control_snapshot(store, at=at, gazetteer=gazetteer, initial=initial,
                                    sides=side_map)
        alerts = exposure_alerts(store, gazetteer, at=at, initial=initial, sides=side_map)
    return write_gpkg(out, events, snapshot=snapshot, alerts=alerts, layout=layout)
