"""Fuzzing the readers and the pipeline (issue #13): whatever the bytes, never an unhandled
exception; bad input becomes an ``InputError`` naming the input; every good article of the
batch is stored and the store stays sound.

The example budget is ``FRONTLINES_FUZZ_EXAMPLES`` (small by default so CI stays fast; set it
to thousands for a long run: ``make fuzz``, or ``make fuzz FUZZ_EXAMPLES=20000``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

from conftest import blank_nlp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontlines.errors import InputError
from frontlines.ingest import IngestReport, read_articles
from frontlines.ingest.dates import plausible_range
from frontlines.pipeline import Frontlines
from frontlines.settings import Settings

BUDGET = int(os.environ.get("FRONTLINES_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=BUDGET, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
GOOD = "Clashes between the army and militants near Arsal killed two soldiers on Monday."

ODD_TEXT = st.text(st.characters(blacklist_categories=()), max_size=300)  # controls, NUL, ...
JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | ODD_TEXT
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(ODD_TEXT, inner, max_size=4), max_leaves=20)


@st.composite
def deep_json(draw) -> str:
    depth = draw(st.integers(1, 3000))
    opener = draw(st.sampled_from(["[", '{"a":']))
    closer = "]" if opener == "[" else "}"
    return '{"text": "t", "x": ' + opener * depth + "1" + closer * depth + "}"


@st.composite
def jsonl_lines(draw) -> bytes:
    lines = draw(st.lists(st.one_of(
        JSON_VALUES.map(lambda v: json.dumps(v, allow_nan=True)),
        st.fixed_dictionaries({"text": ODD_TEXT}, optional={
            "published": ODD_TEXT, "title": JSON_VALUES, "id": JSON_VALUES}).map(json.dumps),
        deep_json(),
        ODD_TEXT,
    ), max_size=6))
    encoding = draw(st.sampled_from(["utf-8", "latin-1", "utf-16"]))
    return "\n".join(lines).encode(encoding, "replace")


@st.composite
def html_pages(draw) -> bytes:
    tags = st.sampled_from(["p", "div", "article", "b", "script", "nav", "table", "td", "x:y"])
    depth = draw(st.integers(0, 400))
    tag = draw(tags)
    entity = draw(st.sampled_from(["&amp;", "&#0;", "&#x110000;", "&bogus;", ""]))
    body = draw(ODD_TEXT) + entity * draw(st.integers(0, 50))
    page = (f"<html><head><title>{draw(ODD_TEXT)}</title><meta charset="
            f"{draw(st.sampled_from(['utf-8', 'latin-1', 'bogus', 'utf-7']))}></head><body>"
            + f"<{tag}>" * depth + body + f"</{tag}>" * draw(st.integers(0, depth)) + "</body>")
    return page.encode("utf-8", "replace")


@st.composite
def feeds(draw) -> bytes:
    items = "".join(
        f"<item><title>{draw(ODD_TEXT)}</title><description><![CDATA[{draw(ODD_TEXT)}]]>"
        f"</description><pubDate>{draw(ODD_TEXT)}</pubDate></item>"
        for _ in range(draw(st.integers(0, 3))))
    doc = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
           f"{items}</channel></rss>")
    cut = draw(st.integers(0, len(doc)))
    return doc[:cut].encode("utf-8", "replace") if draw(st.booleans()) else doc.encode(
        "utf-8", "replace")


TEXT_FILES = st.one_of(st.binary(max_size=2000),
                       ODD_TEXT.map(lambda t: t.encode("utf-8", "replace")))
BY_SUFFIX = {".txt": TEXT_FILES, ".md": TEXT_FILES, ".jsonl": jsonl_lines(),
             ".json": st.one_of(JSON_VALUES.map(lambda v: json.dumps(v).encode()),
                                deep_json().map(str.encode), st.binary(max_size=500)),
             ".html": st.one_of(html_pages(), st.binary(max_size=2000)),
             ".rss": st.one_of(feeds(), st.binary(max_size=500))}


def _check(report: IngestReport, articles, path: Path) -> None:
    for problem in report.problems:
        assert isinstance(problem, InputError)
        assert path.name in str(problem), problem  # names the input
    for article in articles:
        assert article.text.strip() and "\x00" not in article.text


def _reader_property(suffix: str):
    @FUZZ
    @given(data=BY_SUFFIX[suffix])
    def run(tmp_path_factory, data):
        path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
        path.write_bytes(data)
        report = IngestReport()
        articles = list(read_articles([path], report=report))  # never raises
        _check(report, articles, path)

    run.__name__ = f"test_fuzzed_{suffix[1:]}_never_raises_and_names_the_input"
    return run


test_fuzzed_txt = _reader_property(".txt")
test_fuzzed_md = _reader_property(".md")
test_fuzzed_jsonl = _reader_property(".jsonl")
test_fuzzed_json = _reader_property(".json")
test_fuzzed_html = _reader_property(".html")
test_fuzzed_rss = _reader_property(".rss")


@settings(max_examples=max(5, BUDGET // 4), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(files=st.lists(st.sampled_from(sorted(BY_SUFFIX)).flatmap(
    lambda s: BY_SUFFIX[s].map(lambda data: (s, data))), min_size=1, max_size=4))
def test_fuzzed_folder_through_the_pipeline_stores_every_good_article(tmp_path_factory, files):
    class NoPlaces:
        def geoparse_doc(self, doc, *, article):
            return ()

    class NoEvents:
        def extract(self, article, doc, toponyms):
            return ()

    root = tmp_path_factory.mktemp("fuzzdir")
    folder = root / "in"
    folder.mkdir()
    (folder / "a_good.txt").write_text(f"Good\n\n{GOOD}\n", encoding="utf-8")
    for number, (suffix, data) in enumerate(files):
        (folder / f"f{number}{suffix}").write_bytes(data)
    db = root / "f.db"
    fl = Frontlines(Settings(db=f"sqlite:///{db}", batch_size=2), nlp=blank_nlp(),
                    geoparser=NoPlaces(), extractor=NoEvents())
    _stats, report = fl.ingest([folder])  # never raises
    for problem in report.problems:
        assert str(folder) in str(problem)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        texts = [row[0] for row in conn.execute("SELECT text FROM articles")]
    assert GOOD in texts
    assert report.articles_processed == len(texts)


_EDGES = [dt.date(1899, 12, 31), dt.date(1900, 1, 1),
          *(dt.date.today() + dt.timedelta(days=n) for n in (0, 1, 2))]
ANY_DATES = st.one_of(
    st.sampled_from(_EDGES),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, dt.UTC,
                                            dt.timezone(dt.timedelta(hours=14)),
                                            dt.timezone(dt.timedelta(hours=-12))])))


@FUZZ
@given(dates=st.lists(ANY_DATES, min_size=1, max_size=8))
def test_fuzzed_dates_are_kept_in_range_and_refused_outside(tmp_path_factory, dates):
    path = tmp_path_factory.mktemp("dates") / "dated.jsonl"
    path.write_text("".join(json.dumps({"text": f"Report {n}.", "published": d.isoformat()})
                            + "\n" for n, d in enumerate(dates, 1)), encoding="utf-8")
    report = IngestReport()
    articles = list(read_articles([path], report=report))
    earliest, latest = plausible_range()
    days = [d.date() if isinstance(d, dt.datetime) else d for d in dates]
    kept = [n for n, day in enumerate(days, 1) if earliest <= day <= latest]
    assert [int(a.origin.rsplit(":", 1)[1]) for a in articles] == kept
    assert [a.published for a in articles] == [dates[n - 1] for n in kept]
    refused = [n for n in range(1, len(dates) + 1) if n not in kept]
    assert [(p.code, p.where) for p in report.problems] == [
        ("E105", f"{path} line {n}") for n in refused]
    for problem, n in zip(report.problems, refused, strict=True):
        assert f"the publication date {days[n - 1].isoformat()} is outside" in str(problem)
