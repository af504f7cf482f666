"""The ``frontlines`` command line. Every command is a thin call into the Python API.

The contract of ``extract``, ``geoparse``, ``gazetteer``, ``ingest`` and ``export`` is stable:
later work extends it, never breaks it. Exit status: 0 all good, 1 some inputs were
skipped (each named on stderr), 2 the command could not run (a usage error, or a clear
error such as an unreachable database), 3 an internal error (a bug: "please report", the
traceback written to a log file under the data home, not to the screen).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from frontlines import __version__
from frontlines.cli_common import (
    FORMATS,
    _settings,
    common,
    err,
    handle_errors,
    output,
    progress_bar,
    report_problems,
    wide_console,
)
from frontlines.engine import ENGINES


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="frontlines")
def main() -> None:
    """Frontlines: conflict reports in; ACLED-style events, places, control and exposure out.

    Settings come from flags, FRONTLINES_* environment variables, frontlines.toml (here,
    else in the data home) or defaults, in that order (see 'frontlines settings').

    Exit status: 0 all done; 1 some inputs were skipped (each named on stderr, the rest
    done); 2 the command could not run (usage error, or a clear error such as an
    unreachable database); 3 internal error (a bug: please report it; the traceback is in a
    log file under the data home).
    """


def engine_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--engine, --address and --workers: where the articles are analysed."""
    func = click.option("--workers", type=click.IntRange(min=1), metavar="N",
                        help="Ray actors, one CPU each (default: every CPU of this machine, "
                             "or of the cluster).")(func)
    func = click.option("--address", metavar="ADDR",
                        help="A running Ray cluster to join (e.g. auto, ray://HOST:10001); "
                             "default: a local Ray started for this run.")(func)
    func = click.option("--engine", type=click.Choice(ENGINES), default="local",
                        show_default=True,
                        help="Analyse in this process, or on Ray (pip install "
                             "'frontlines[ray]'); the output is the same.")(func)
    return func


@contextlib.contextmanager
def _engine(name: str, address: str | None, workers: int | None) -> Iterator[Any]:
    from frontlines.engine import make_engine

    if name == "local" and workers is not None:
        raise click.BadParameter("--workers is for --engine ray; drop it, or add --engine ray",
                                 param_hint="'--workers'")
    with make_engine(name, address=address, workers=workers) as engine:
        yield engine


@main.command()
@click.argument("paths", nargs=-1, required=True)
@common
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="Output format: JSON lines, ACLED CSV, or RFC 7946 GeoJSON.")
@click.option("-o", "--output", "out", metavar="FILE", help="Write here instead of stdout.")
@engine_options
@handle_errors
def extract(paths: tuple[str, ...], published: dt.date | None, strict: bool, quiet: bool,
            fmt: str, out: str | None, engine: str, address: str | None,
            workers: int | None) -> None:
    """Extract events from PATHS (files, directories, JSON Lines archives (.jsonl,
    .jsonl.gz), URLs, or - for stdin). Events are written as they are found."""
    from frontlines.export import write_events
    from frontlines.pipeline import Frontlines, RunReport

    report = RunReport()
    with _engine(engine, address, workers) as runner, \
            progress_bar("extracting", quiet=quiet) as update, output(out) as fh:
        analyses = Frontlines().iter_extract(paths, report=report, published=published,
                                             strict=strict, progress=update, engine=runner)
        written = write_events((e for a in analyses for e in a.events), fmt, fh,
                               layout=_settings().acled_layout)
    status = report_problems(report, quiet=quiet)
    if out and not quiet:
        err.print(f"wrote {written} event(s) to {out}")
    sys.exit(status)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@common
@click.option("-o", "--output", "out", metavar="FILE", help="Write here instead of stdout.")
@engine_options
@handle_errors
def geoparse(paths: tuple[str, ...], published: dt.date | None, strict: bool, quiet: bool,
             out: str | None, engine: str, address: str | None, workers: int | None) -> None:
    """Find and resolve the places in PATHS; one JSON line per article."""
    from frontlines.pipeline import Frontlines, RunReport

    report = RunReport()
    with _engine(engine, address, workers) as runner, \
            progress_bar("geoparsing", quiet=quiet) as update, output(out) as fh:
        for analysis in Frontlines().iter_extract(paths, report=report, published=published,
                                                  strict=strict, events=False,
                                                  progress=update, engine=runner):
            line = {"article_id": analysis.article.id,
                    "toponyms": [_toponym_json(t) for t in analysis.toponyms]}
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    sys.exit(report_problems(report, quiet=quiet))


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
@click.option("--resume/--no-resume", default=True, show_default=True,
              help="Keep a run journal under the data home (runs/): after an interruption "
                   "the same command starts where the last stored batch ended, and a "
                   "finished run, repeated, reads only what was added since.")
@engine_options
@handle_errors
def ingest(paths: tuple[str, ...], published: dt.date | None, strict: bool, quiet: bool,
           db: str | None, resume: bool, engine: str, address: str | None,
           workers: int | None) -> None:
    """Store the articles, toponyms and events of PATHS (files, folders, JSON Lines
    archives (.jsonl, .jsonl.gz), URLs, -). Re-ingesting is a no-op; an interrupted run
    resumes where it stopped."""
    from frontlines.pipeline import Frontlines

    frontlines = Frontlines(_settings(db=db))
    _refuse_memory_db(frontlines.settings.db)
    with _engine(engine, address, workers) as runner, \
            progress_bar("ingesting", quiet=quiet) as update:
        stats, report = frontlines.ingest(paths, published=published, strict=strict,
                                          progress=update, engine=runner, resume=resume)
    if not quiet:
        for note in report.notes:
            err.print(f"note: {note}", soft_wrap=True, highlight=False)
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


from frontlines.cli_control import alerts, control
from frontlines.cli_eval import evaluate
from frontlines.cli_export import export
from frontlines.cli_gazetteer import gazetteer
from frontlines.cli_serve import serve
from frontlines.cli_settings import show_settings
from frontlines.cli_watch import watch

from frontlines.cli_merges import merges

for _command in (export, gazetteer, evaluate, control, alerts, show_settings, serve, merges,
                 watch):
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
