"""Issue #13: publication dates outside 1900-01-01 .. tomorrow are refused with the reason,
unless --allow-dates (the ``allow_dates`` setting). Each reading path (JSON Lines
``published``, a text file's ``Published:`` line, a feed item's date, an HTML page's meta
date, the ``--published`` fallback) is tried at, below and above both limits."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import sqlite3

import click
import pytest
from click.testing import CliRunner

from frontlines.cli_common import common
from frontlines.errors import DateFormatError
from frontlines.ingest import IngestReport, read_articles
from frontlines.ingest.dates import implausible_date, plausible_range
from frontlines.ingest.limits import Limits

GOOD = "The Lebanese Army shelled militant positions near Arsal on Saturday, officials said."
TODAY = dt.date.today()
# name -> (date, accepted without --allow-dates)
LIMITS = {
    "1899-12-31": (dt.date(1899, 12, 31), False),
    "1900-01-01": (dt.date(1900, 1, 1), True),
    "today": (TODAY, True),
    "tomorrow": (TODAY + dt.timedelta(days=1), True),
    "after tomorrow": (TODAY + dt.timedelta(days=2), False),
}
CASES = [pytest.param(date, ok, id=label) for label, (date, ok) in LIMITS.items()]


def _rfc822(date: dt.date) -> str:
    return email.utils.format_datetime(dt.datetime(date.year, date.month, date.day, 9,
                                                   tzinfo=dt.UTC))


def _write(tmp_path, kind: str, date: dt.date):
    """One good article of ``kind`` dated ``date``; returns its path."""
    iso = date.isoformat()
    if kind == "jsonl":
        path = tmp_path / "wire.jsonl"
        path.write_text(json.dumps({"text": "An earlier report."}) + "\n"
                        + json.dumps({"text": GOOD, "published": iso}) + "\n", encoding="utf-8")
    elif kind == "txt":
        path = tmp_path / "report.txt"
        path.write_text(f"Army shells Arsal\nPublished: {iso}\n\n{GOOD}\n", encoding="utf-8")
    elif kind == "rss":
        path = tmp_path / "feed.rss"
        path.write_text(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item>'
            f"<title>Army shells Arsal</title><description>{GOOD}</description>"
            f"<pubDate>{_rfc822(date)}</pubDate></item></channel></rss>", encoding="utf-8")
    else:
        path = tmp_path / "page.html"
        path.write_text(
            "<html><head><title>Army shells Arsal</title><meta property="
            f'"article:published_time" content="{iso}T09:00:00+00:00"></head><body><article>'
            f"<h1>Army shells Arsal</h1><p>{GOOD}</p><p>{GOOD}</p></article></body></html>",
            encoding="utf-8")
    return path


WHERE = {"jsonl": "wire.jsonl line 2", "txt": "report.txt", "rss": "feed.rss item 1",
         "html": "page.html"}


def _read(path):
    report = IngestReport()
    return list(read_articles([path], report=report)), report


# -- the rule ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("date", "ok"), CASES)
def test_the_plausible_range_at_below_and_above_its_limits(date, ok):
    assert (implausible_date(date) is None) is ok
    assert plausible_range() == (dt.date(1900, 1, 1), TODAY + dt.timedelta(days=1))


def test_a_date_time_is_judged_by_its_own_calendar_day():
    eve = dt.datetime(1899, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert implausible_date(eve) is not None  # 1900-01-01 in UTC, but written on the 31st
    dawn = dt.datetime(1900, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=14)))
    assert implausible_date(dawn) is None


def test_the_reason_names_the_date_the_range_and_the_fix():
    reason = implausible_date(dt.date(1800, 5, 1), today=dt.date(2026, 12, 6))
    assert reason == ("the publication date 1800-05-01 is outside the plausible range "
                      "1900-01-01 to 2026-12-07; check the year, or pass --allow-dates "
                      "(FRONTLINES_ALLOW_DATES=1) to read it as written")


# -- every reading path ------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["jsonl", "txt", "rss", "html"])
@pytest.mark.parametrize(("date", "ok"), CASES)
def test_a_records_own_date_at_below_and_above_the_limits(tmp_path, kind, date, ok):
    path = _write(tmp_path, kind, date)
    articles, report = _read(path)
    dated = [a for a in articles if GOOD in a.text]
    if ok:
        assert not report.problems, report.problems
        assert [a.published_date for a in dated] == [date]
        return
    assert dated == []
    [problem] = report.problems
    assert isinstance(problem, DateFormatError) and problem.code == "E105"
    assert problem.where == f"{tmp_path}/{WHERE[kind]}"
    assert f"the publication date {date.isoformat()} is outside" in str(problem)
    assert "1900-01-01 to" in str(problem) and "--allow-dates" in str(problem)
    if kind == "jsonl":  # the other line of the file is read
        assert [a.text for a in articles] == ["An earlier report."]


@pytest.mark.parametrize("kind", ["jsonl", "txt", "rss", "html"])
@pytest.mark.parametrize("date", [dt.date(1850, 3, 2), dt.date(2999, 1, 1)])
def test_allow_dates_reads_them_as_written(tmp_path, monkeypatch, kind, date):
    monkeypatch.setenv("FRONTLINES_ALLOW_DATES", "1")
    articles, report = _read(_write(tmp_path, kind, date))
    assert not report.problems
    assert [a.published_date for a in articles if GOOD in a.text] == [date]


def test_an_implausible_fallback_date_is_refused_per_article(tmp_path):
    (tmp_path / "a.txt").write_text(f"Title\n\n{GOOD}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"Title\nPublished: 2017-08-19\n\n{GOOD} Again.\n",
                                    encoding="utf-8")
    report = IngestReport()
    articles = list(read_articles([tmp_path], published=dt.date(1800, 1, 1), report=report))
    assert [a.published for a in articles] == [dt.date(2017, 8, 19)]  # its own date wins
    assert [(p.code, p.where) for p in report.problems] == [("E105", str(tmp_path / "a.txt"))]


def test_strict_stops_at_an_implausible_date(tmp_path):
    path = _write(tmp_path, "jsonl", dt.date(1800, 1, 1))
    with pytest.raises(DateFormatError, match="1800-01-01"):
        list(read_articles([path], strict=True))


def test_the_setting_reaches_the_limits(monkeypatch):
    assert Limits.from_settings().allow_dates is False
    monkeypatch.setenv("FRONTLINES_ALLOW_DATES", "yes")
    assert Limits.from_settings().allow_dates is True
    monkeypatch.setenv("FRONTLINES_ALLOW_DATES", "maybe")
    from frontlines.errors import ConfigError

    with pytest.raises(ConfigError, match="FRONTLINES_ALLOW_DATES"):
        Limits.from_settings()


# -- the CLI option ----------------------------------------------------------------------------
@click.command()
@click.argument("path")
@common
def _probe_command(path, published, strict, quiet):
    """What a reading command sees: --published, and what its reader would refuse."""
    report = IngestReport()
    articles = list(read_articles([path], published=published, report=report))
    click.echo(json.dumps({"published": str(published),
                           "dates": [str(a.published_date) for a in articles],
                           "problems": [p.code for p in report.problems]}))


def _probe(*args):
    return CliRunner().invoke(_probe_command, list(args), catch_exceptions=False)


def test_allow_dates_option_lets_published_and_records_through(tmp_path):
    path = _write(tmp_path, "jsonl", dt.date(1850, 3, 2))
    refused = _probe(str(path), "--published", "1800-01-01")
    assert refused.exit_code == 2 and "--allow-dates" in refused.output
    plain = _probe(str(path), "--published", "2017-08-19")
    assert json.loads(plain.output) == {"published": "2017-08-19", "dates": ["2017-08-19"],
                                        "problems": ["E105"]}
    # the option comes after --published on the command line: it is eager, so it still counts
    allowed = _probe(str(path), "--published", "1800-01-01", "--allow-dates")
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(allowed.output) == {"published": "1800-01-01",
                                          "dates": ["1800-01-01", "1850-03-02"], "problems": []}
    assert "FRONTLINES_ALLOW_DATES" not in os.environ  # restored when the command ended


def test_the_reading_commands_take_allow_dates():
    from frontlines.cli import main

    for name in ("extract", "geoparse", "ingest"):
        assert "--allow-dates" in {opt for p in main.commands[name].params for opt in p.opts}


@pytest.mark.slow
def test_ingest_skips_an_1850_record_and_stores_it_with_allow_dates(tmp_path):
    from frontlines.cli import main

    path = _write(tmp_path, "jsonl", dt.date(1850, 3, 2))
    db = tmp_path / "f.db"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(path), "--db", f"sqlite:///{db}", "--quiet"])
    assert result.exit_code == 1, result.output
    assert f"E105: {path} line 2: the publication date 1850-03-02 is outside" in result.output
    # --no-resume: the run journal would otherwise pass over every line read before,
    # the refused one included
    result = runner.invoke(main, ["ingest", str(path), "--db", f"sqlite:///{db}", "--quiet",
                                  "--allow-dates", "--no-resume"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        dates = sorted(str(r[0])[:10] for r in conn.execute("SELECT published FROM articles")
                       if r[0])
    assert dates == ["1850-03-02"]
