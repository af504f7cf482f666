"""Helpers every ``frontlines`` command module shares: date types, error handling and exit
status, progress bars, output files, the reading options."""


from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from frontlines import __version__
from frontlines.errors import FrontlinesError
from frontlines.progress import Progress as ProgressCallback
from frontlines.progress import Ticker, reporting
from frontlines.settings import Settings

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
    would silently move every undated event to another century) unless --allow-dates."""

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        from frontlines.ingest.dates import ALLOW_HINT, plausible_range

        date = super().convert(value, param, ctx)
        earliest, latest = plausible_range()
        if not earliest <= date <= latest and not Settings().allow_dates:
            self.fail(f"{date.isoformat()} is not a plausible publication date (expected "
                      f"{earliest.isoformat()} to {latest.isoformat()}); {ALLOW_HINT}",
                      param, ctx)
        return date


PUBLISHED_DATE = PublishedDate()


def _settings(**overrides: Any) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _fail(error: FrontlinesError) -> None:
    err.print(f"[bold red]error[/] {error.code}: {escape(str(error))}", markup=True,
              soft_wrap=True)  # escape: a message may hold brackets ("frontlines[geo]")
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
    except (OSError, FrontlinesError):  # no writable home, or a broken frontlines.toml
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
            if kwargs.get("quiet"):
                return func(*args, **kwargs)
            with reporting(_announced):  # first-use work (the gazetteer build) is never silent
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


def _say(line: str) -> None:
    err.print(line, markup=False, highlight=False, soft_wrap=True)


def _announced(label: str, announce: str) -> ProgressCallback:
    """Long work a command did not ask for: a line at once, then one every few seconds
    (plain lines, so they show in logs and pipes and above a live progress bar)."""
    return Ticker(label, write=_say, announce=announce, every=PROGRESS_EVERY)


#: Seconds between plain progress lines when stderr is not a terminal.
PROGRESS_EVERY = 5.0


@contextlib.contextmanager
def progress_bar(label: str, *, quiet: bool) -> Iterator[ProgressCallback]:
    """A rich progress bar on stderr when it is a terminal, else a plain line every few
    seconds (``label: done of total (elapsed)``); a no-op callback when ``quiet``."""
    if quiet:
        yield lambda done, total: None
        return
    if not err.is_terminal:
        yield Ticker(label, write=_say, every=PROGRESS_EVERY)
        return
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=None, rate="")

        def update(done: int, total: int | None) -> None:
            elapsed = bar.tasks[task].elapsed or 0.0
            rate = f"{done / elapsed:,.1f} articles/s" if elapsed > 1 else ""
            bar.update(task, completed=done, total=total, rate=rate)

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


def _allow_dates_option(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """--allow-dates: the 'allow_dates' setting for this command (eager, so --published sees
    it; the environment is restored when the command ends)."""
    if not value:
        return
    before = os.environ.get("FRONTLINES_ALLOW_DATES")
    os.environ["FRONTLINES_ALLOW_DATES"] = "1"

    def restore() -> None:
        if before is None:
            os.environ.pop("FRONTLINES_ALLOW_DATES", None)
        else:
            os.environ["FRONTLINES_ALLOW_DATES"] = before

    ctx.call_on_close(restore)


def common(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options every reading command shares."""
    func = click.option("--allow-dates", is_flag=True, is_eager=True, expose_value=False,
                        callback=_allow_dates_option,
                        help="Read publication dates before 1900 or after tomorrow as "
                             "written instead of skipping their records (E105).")(func)
    func = click.option("--region", metavar="CODES", expose_value=False, callback=_region_option,
                        help="Area of interest, ISO2 codes (e.g. LB,SY); default: the 'region' "
                             "setting.")(func)
    func = click.option("--quiet", "-q", is_flag=True, help="No progress or summary on stderr.")(func)
    func = click.option("--strict", is_flag=True,
                        help="Stop at the first bad input instead of skipping it.")(func)
    func = click.option("--published", type=PUBLISHED_DATE,
                        help="Publication date for inputs that carry none (YYYY-MM-DD, "
                             "1900-01-01 to tomorrow unless --allow-dates).")(func)
    return func
