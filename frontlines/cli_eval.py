"""``frontlines eval``: score the pipeline against gold data and print the figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from frontlines.cli_common import (
    handle_errors,
    progress_bar,
    wide_console,
)


def _gold_files(ctx: click.Context, param: click.Parameter,
                value: str | tuple[str, ...]) -> Any:
    """Gold paths are read relative to the folder the command runs from; a missing one says
    so, with that folder (a README line such as tests/gold/... is meant for the checkout)."""
    for raw in (value,) if isinstance(value, str) else value:
        path = Path(raw).expanduser()
        if not path.is_file():
            what = "is a folder, not a file" if path.is_dir() else "does not exist"
            raise click.BadParameter(
                f"{raw} {what} (relative paths are read from {Path.cwd()}); give the gold "
                "file's path from this folder, or an absolute path", param=param)
    return value


def _gold_argument(*, many: bool) -> Any:
    return click.argument("gold", nargs=-1 if many else 1, required=True,
                          callback=_gold_files, metavar="GOLD..." if many else "GOLD")


def _write(path: str, text: str) -> None:
    """An output file named by an option, its folder made if needed."""
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


# -- evaluation ---------------------------------------------------------------------------
@click.group("eval")
def evaluate() -> None:
    """Score Frontlines against gold data and print the figures."""


@evaluate.command("geoparse")
@_gold_argument(many=True)
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
        _write(as_json, json.dumps(reports, indent=2, default=str))


@evaluate.command("places")
@_gold_argument(many=False)
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
        _write(as_json, json.dumps(report.to_dict(), indent=2, default=str))


@evaluate.command("events")
@_gold_argument(many=True)
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
        _write(as_json, json.dumps(reports, indent=2, default=str))
    if errors_file:
        _write(errors_file, "".join(json.dumps(e, default=str) + "\n" for e in errors))
