"""Issue #13: nothing one input does can sink a run.

Each input from the issue's list, as a user would give it: the rest of the batch is read
(or stored), the error names the input and the fix, the exit code is the documented one.
Fast tests use stub stages; those with the real model are marked ``slow``, and the
PostgreSQL ones ``postgres``.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import sqlite3
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import blank_nlp
from pg import pg_database, pg_url  # noqa: F401

from frontlines.errors import InputError, LimitError, ProcessingError, StoreError
from frontlines.ingest import IngestReport, read_articles
from frontlines.model import Analysis, Article, Place, Toponym
from frontlines.pipeline import Frontlines, RunReport, _sections
from frontlines.settings import Settings
from frontlines.store import Store

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
FIXTURES = REPO / "tests" / "fixtures"
GOOD = "The Lebanese Army shelled militant positions near Arsal on Saturday, officials said."
MILLION = 1_000_000


# -- helpers --------------------------------------------------------------------------------
class _NoPlaces:
    def geoparse_doc(self, doc, *, article):
        return ()


class _NoEvents:
    def extract(self, article, doc, toponyms):
        return ()


def _stub_pipeline(**settings) -> Frontlines:
    return Frontlines(Settings(**settings), nlp=blank_nlp(), geoparser=_NoPlaces(),
                      extractor=_NoEvents())


def _good_folder(root: Path, count: int = 3) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (root / f"good{number}.txt").write_text(f"Report {number}\n\n{GOOD} ({number})\n",
                                                encoding="utf-8")
    return root


def _hostile_files(root: Path) -> dict[str, str]:
    """One file of each hostile kind from the issue; name -> the error code it must get."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "huge.txt").write_text("Huge\n\n" + ("war " * (MILLION // 4 + 10)), encoding="utf-8")
    with (root / "huge.jsonl").open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "x " * (MILLION // 2 + 10)}) + "\n")
    (root / "deep.jsonl").write_text(
        '{"text": "deep", "x": ' + "[" * 1500 + "]" * 1500 + "}\n", encoding="utf-8")
    (root / "nul.txt").write_bytes(b"\x00" * 4096)
    (root / "old.txt").write_text(f"Old\nPublished: 1850-03-02\n\n{GOOD}\n", encoding="utf-8")
    return {"huge.txt": "E108", "huge.jsonl": "E108", "deep.jsonl": "E108", "nul.txt": "E102",
            "old.txt": "E105"}


def _input_name(where: str) -> str:
    """The file a problem names, without its line (``a.jsonl line 3``, ``a.jsonl:3``)."""
    return Path(re.sub(r"( line \d+|:\d+|#\d+)$", "", str(where))).name


def _codes(problems) -> dict[str, str]:
    return {_input_name(p.where): p.code for p in problems}


# -- reading: every hostile input is one error, the rest is read ---------------------------
def test_a_folder_with_hostile_files_reads_every_good_one(tmp_path):
    folder = _good_folder(tmp_path / "in")
    expected = _hostile_files(folder)
    report = IngestReport()
    articles = list(read_articles([folder], report=report))
    assert len(articles) == 3
    assert _codes(report.problems) == expected
    for problem in report.problems:
        assert isinstance(problem, InputError)
        assert str(folder) in str(problem)  # names the input
    huge = next(p for p in report.problems if p.where.endswith("huge.txt"))
    assert "max_article_chars" in str(huge) and "FRONTLINES_MAX_ARTICLE_CHARS" in str(huge)
    nul = next(p for p in report.problems if p.where.endswith("nul.txt"))
    assert "binary" in str(nul)


def test_article_size_limit_at_below_and_above(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTLINES_MAX_ARTICLE_CHARS", "100")
    for size, ok in ((99, True), (100, True), (101, False)):
        path = tmp_path / f"a{size}.jsonl"
        path.write_text(json.dumps({"text": "y" * size}) + "\n", encoding="utf-8")
        report = IngestReport()
        got = list(read_articles([path], report=report))
        assert (len(got) == 1) is ok, size
        if not ok:
            assert isinstance(report.problems[0], LimitError)
            assert f"{path} line 1" in str(report.problems[0])


def test_json_depth_limit_at_below_and_above(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTLINES_MAX_JSON_DEPTH", "10")
    for depth, ok in ((9, True), (10, True), (11, False)):
        inner = depth - 1  # the record itself is one level
        path = tmp_path / f"d{depth}.jsonl"
        path.write_text('{"text": "t", "x": ' + "[" * inner + "]" * inner + "}\n")
        report = IngestReport()
        assert (len(list(read_articles([path], report=report))) == 1) is ok, depth
        if not ok:
            assert report.problems[0].code == "E108"
            assert "max_json_depth" in str(report.problems[0])


def test_html_size_limit_at_below_and_above(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTLINES_MAX_HTML_MB", "1")
    monkeypatch.setenv("FRONTLINES_MAX_ARTICLE_CHARS", "2000000")  # only the page size counts
    page = "<html><body><article><p>{}</p></article></body></html>"
    for size, ok in ((2**20 - 1, True), (2**20, True), (2**20 + 1, False)):
        filler = size - len(page.format(""))
        path = tmp_path / f"p{size}.html"
        path.write_text(page.format((GOOD + " ") * (filler // (len(GOOD) + 1))
                                    + "x" * (filler % (len(GOOD) + 1))))
        assert path.stat().st_size == size
        report = IngestReport()
        list(read_articles([path], report=report))
        assert (report.problems == []) is ok, (size, report.problems)
        if not ok:
            assert "max_html_mb" in str(report.problems[0]) and path.name in str(report.problems[0])


def test_entity_dense_html_over_a_million_characters_is_one_error(tmp_path, monkeypatch):
    folder = _good_folder(tmp_path / "in", count=2)
    para = "<p>" + " ".join(f"&quot;Beirut&quot; &amp; Arsal &#8212; Qaa {n}." for n in
                            range(30)) + "</p>\n"
    (folder / "dense.html").write_text("<html><body><article>" + para * (2_400_000 // len(para))
                                       + "</article></body></html>")
    monkeypatch.setenv("FRONTLINES_MAX_ARTICLE_CHARS", "200000")
    report = IngestReport()
    articles = list(read_articles([folder], report=report))
    assert len(articles) == 2 + (not report.problems)
    for problem in report.problems:
        assert problem.code == "E108" and "dense.html" in str(problem)


def test_a_1500_level_record_does_not_hide_the_other_lines(tmp_path):
    path = tmp_path / "mixed.jsonl"
    deep = '{"text": "deep", "x": ' + "[" * 1500 + "]" * 1500 + "}"
    assert len(deep) > 3000
    path.write_text("\n".join([json.dumps({"text": GOOD}), deep,
                               json.dumps({"text": GOOD + " again"})]) + "\n")
    report = IngestReport()
    articles = list(read_articles([path], report=report))
    assert len(articles) == 2
    assert report.problems[0].where == f"{path} line 2"
    # a .json document and a bracket inside a string
    doc = tmp_path / "deep.json"
    doc.write_text("[" * 1500 + "]" * 1500)
    report = IngestReport()
    assert list(read_articles([doc], report=report)) == []
    assert report.problems[0].code == "E108"
    quoted = tmp_path / "quoted.jsonl"
    quoted.write_text(json.dumps({"text": "[" * 5000}) + "\n")
    assert len(list(read_articles([quoted]))) == 1


def test_a_300_character_file_name_is_one_error(tmp_path):
    good = _good_folder(tmp_path / "in", count=1) / "good0.txt"
    long_name = str(tmp_path / ("n" * 300 + ".txt"))
    report = IngestReport()
    articles = list(read_articles([long_name, good, tmp_path / ("d" * 300)], report=report))
    assert len(articles) == 1
    assert [p.code for p in report.problems] == ["E107", "E107"]
    assert "255 bytes" in str(report.problems[0])


def test_nul_characters_are_removed_from_text_and_a_nul_only_record_is_refused(tmp_path):
    path = tmp_path / "nul.jsonl"
    path.write_text(json.dumps({"text": "Clashes\u0000 in Qaa", "title": "T\u0000"}) + "\n"
                    + json.dumps({"text": "\u0000\u0000"}) + "\n")
    report = IngestReport()
    [article] = read_articles([path], report=report)
    assert article.text == "Clashes in Qaa" and article.title == "T"
    assert report.problems[0].code == "E104"


def test_utf16_text_with_a_bom_is_not_mistaken_for_binary(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(("Title\n\n" + GOOD).encode("utf-16"))
    assert len(list(read_articles([path]))) == 1


def test_jsonl_is_read_lazily_with_flat_memory(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for number in range(20_000):
            fh.write(json.dumps({"text": f"{GOOD} {number} " + "x" * 1000}) + "\n")
    tracemalloc.start()
    count = 0
    for _article in Frontlines().iter_read([path]):
        count += 1
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 20_000
    assert peak < 8 * 2**20, (f"peak {peak / 2**20:.1f} MiB for a "
                              f"{path.stat().st_size >> 20} MiB file")


# -- the pipeline: one article is one unit -------------------------------------------------
def test_sections_cover_the_text_with_the_right_offsets():
    body = "\n\n".join(f"Paragraph {n}. " + "word " * (n * 7 % 40) for n in range(200))
    article = Article.make(text=body, title="Headline")
    parts = list(_sections(article, 300))
    assert len(parts) > 5
    for part, offset in parts:
        assert len(part.text) <= 300
        assert article.full_text[offset:offset + len(part.full_text)] == part.full_text
    assert "".join(p.text for p, _ in parts) == body


def test_an_article_over_spacy_max_length_is_parsed_in_sections():
    fl = _stub_pipeline(nlp_section_chars=2000)
    fl.nlp.max_length = 5000
    long = Article.make(text="\n\n".join([GOOD] * 200), title="Long")  # ~17k characters
    short = Article.make(text=GOOD)
    report = RunReport()
    analyses = list(fl.analyse([long, short], report=report))
    assert [a.article.id for a in analyses] == [long.id, short.id]
    assert not report.problems


def test_an_nlp_failure_is_one_processing_error_and_the_rest_goes_on():
    fl = _stub_pipeline(nlp_section_chars=10_000)
    fl.nlp.max_length = 1000  # spaCy refuses the second article (E088), as at 1,000,000
    articles = [Article.make(text=f"{GOOD} {n}" + (" z" * 800 if n == 1 else ""))
                for n in range(4)]
    report = RunReport()
    analysed = [a.article.id for a in fl.analyse(articles, report=report)]
    assert analysed == [articles[n].id for n in (0, 2, 3)]
    [problem] = report.problems
    assert isinstance(problem, ProcessingError)
    assert articles[1].id in str(problem) and "Please report" in str(problem)


def test_ingest_commits_batch_by_batch_and_a_rerun_completes(tmp_path):
    path = tmp_path / "ten.jsonl"
    path.write_text("".join(json.dumps({"text": f"{GOOD} {n}"}) + "\n" for n in range(10)))
    db = f"sqlite:///{tmp_path / 'f.db'}"

    class Crash(_NoEvents):
        seen = 0

        def extract(self, article, doc, toponyms):
            Crash.seen += 1
            if Crash.seen == 5:
                raise KeyboardInterrupt  # a kill mid-run: not one article's fault
            return ()

    fl = Frontlines(Settings(batch_size=2), nlp=blank_nlp(), geoparser=_NoPlaces(),
                    extractor=Crash())
    with pytest.raises(KeyboardInterrupt):
        fl.ingest([path], db=db)
    assert Store(db).counts()["articles"] == 4  # two batches committed, one in flight lost
    _stats, report = _stub_pipeline(batch_size=2).ingest([path], db=db)
    assert Store(db).counts()["articles"] == 10 and not report.problems


def test_the_store_refuses_non_finite_coordinates_for_that_article_only(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'f.db'}")
    bad_place = Place(geonameid=1, name="Nowhere", latitude=math.inf, longitude=999.0,
                      country_code="LB", feature_code="PPL")
    good = Analysis(article=Article.make(text=GOOD), toponyms=(), events=())
    bad = Analysis(article=Article.make(text="Nowhere burned."),
                   toponyms=(Toponym(text="Nowhere", start=0, end=7, place=bad_place),),
                   events=())
    refused: list = []
    store.ingest([good, bad], on_error=lambda a, e: refused.append((a, e)))
    assert [a.article.id for a, _ in refused] == [bad.article.id]
    assert "latitude inf" in str(refused[0][1])
    assert store.has_article(good.article.id) and not store.has_article(bad.article.id)
    with pytest.raises(StoreError):
        store.ingest([bad])


def test_a_nul_in_the_database_url_is_a_store_error(tmp_path):
    for url in (f"sqlite:///{tmp_path}/a%00b.db", f"sqlite:///{tmp_path}/a\x00b.db"):
        with pytest.raises(StoreError, match="NUL"):
            Store(url)


# -- the CLI: options and exit codes ---------------------------------------------------------
def _cli(*args, env=None):
    from frontlines.cli import main

    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.mark.parametrize("date", ["1800-01-01", "9999-12-31"])
def test_an_implausible_published_date_is_refused(tmp_path, date):
    result = _cli("extract", str(tmp_path), "--published", date)
    assert result.exit_code == 2
    assert "not a plausible publication date" in result.output and "check the year" in result.output


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_ingest_into_an_in_memory_database_is_refused(tmp_path, url):
    result = _cli("ingest", str(tmp_path), "--db", url)
    assert result.exit_code == 2
    assert "in-memory" in result.output and "sqlite:///events.db" in result.output


def test_a_nul_in_db_is_exit_2_with_a_message(tmp_path):
    result = _cli("export", "--db", f"sqlite:///{tmp_path}/x%00.db")
    assert result.exit_code == 2
    assert "E400" in result.output and "NUL" in result.output
    assert "Traceback" not in result.output


def test_export_to_a_250_character_name(tmp_path):
    db = f"sqlite:///{tmp_path / 'f.db'}"
    Store(db).close()
    out = tmp_path / ("e" * 246 + ".csv")
    result = _cli("export", "--db", db, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.exists() and [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []
    too_long = tmp_path / ("e" * 300 + ".csv")
    result = _cli("export", "--db", db, "-o", str(too_long))
    assert result.exit_code == 2 and "255 bytes" in result.output


def test_a_crash_is_exit_3_with_the_traceback_in_a_log(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("frontlines.export.write_events", boom)  # a bug inside the command
    (tmp_path / "a.txt").write_text(GOOD)
    result = _cli("extract", str(tmp_path / "a.txt"))
    assert result.exit_code == 3
    assert "internal error" in result.output and "please report" in result.output
    assert "Traceback" not in result.output
    logs = list((Settings().home and Path(Settings().home) / "logs").glob("crash-*.log"))
    assert logs and "RuntimeError: boom" in logs[0].read_text()


def test_skipped_inputs_are_exit_1(tmp_path):
    folder = _good_folder(tmp_path / "in", count=1)
    (folder / "nul.txt").write_bytes(b"\x00" * 100)
    from frontlines.cli import report_problems

    report = RunReport(problems=[InputError("x", where="y")])
    assert report_problems(report, quiet=True) == 1
    assert report_problems(RunReport(), quiet=True) == 0


# -- gazetteer install: every row checked ------------------------------------------------------
def _geonames_row(geonameid: int, name: str, lat: str, lon: str) -> str:
    cols = [str(geonameid), name, name, "", lat, lon, "P", "PPL", "LB", "", "04", "", "", "",
            "1000", "", "100", "Asia/Beirut", "2020-01-01"]
    return "\t".join(cols) + "\n"


def _mirror(root: Path, rows: bytes) -> Path:
    root.mkdir()
    for name in ("admin1CodesASCII.txt", "admin2Codes.txt", "countryInfo.txt"):
        shutil.copy(FIXTURES / "gazetteer" / name, root / name)
    (root / "LB.txt").write_bytes(rows)
    return root


def test_gazetteer_install_skips_bad_coordinates_and_latin1_rows(tmp_path):
    from frontlines.gazetteer.install import install

    rows = (_geonames_row(9000001, "Goodtown", "34.1", "36.2")
            + _geonames_row(9000002, "Nantown", "nan", "36.2")
            + _geonames_row(9000003, "Farlat", "999", "36.2")
            + _geonames_row(9000004, "Farlon", "34.1", "-5000")
            + _geonames_row(9000005, "Inftown", "inf", "36.2")).encode()
    rows += _geonames_row(9000006, "Caf\xe9town", "34.0", "36.0").encode("latin-1")
    source = _mirror(tmp_path / "dump", rows)
    target = tmp_path / "g.sqlite"
    report = install(["LB"], target=target, source=str(source))
    assert [line.split(":")[0] for line in report.skipped_rows] == [
        f"LB.txt line {n}" for n in (2, 3, 4, 5, 6)]
    assert "not UTF-8" in report.skipped_rows[-1] and "iconv" in report.skipped_rows[-1]
    assert "5 bad row(s) skipped" in str(report)
    with sqlite3.connect(target) as conn:
        ids = [r[0] for r in conn.execute(
            "SELECT geonameid FROM places WHERE geonameid BETWEEN 9000001 AND 9000006")]
        worst = conn.execute(
            "SELECT max(abs(lat)), max(abs(lon)) FROM places").fetchone()
    assert ids == [9000001]
    assert worst[0] <= 90 and worst[1] <= 180


def test_a_latin1_dump_is_refused_whole(tmp_path):
    from frontlines.errors import GazetteerError
    from frontlines.gazetteer.install import install

    rows = "".join(_geonames_row(9100000 + n, f"V\xe9lo{n}", "34.0", "36.0")
                   for n in range(40)).encode("latin-1")
    source = _mirror(tmp_path / "dump", rows)
    with pytest.raises(GazetteerError, match="40 of 40 rows are unusable.*iconv"):
        install(["LB"], target=tmp_path / "g.sqlite", source=str(source))


# -- the real model: 20 good articles among hostile files, SQLite and PostgreSQL ------------
def _mixed_folder(root: Path) -> tuple[Path, dict[str, str]]:
    root.mkdir(parents=True)
    goods = sorted(EXAMPLES.glob("*.txt"))[:6]
    for path in goods:
        shutil.copy(path, root / path.name)
    # NUL inside a good record: removed, so SQLite and PostgreSQL store the same text
    # (PostgreSQL refuses NUL in text; it used to sink the whole batch there).
    lines = [json.dumps({"text": f"{GOOD}{chr(0) * (n == 0)} Report number {n}.",
                         "published": "2017-08-19"}) for n in range(14)]
    (root / "wire.jsonl").write_text("\n".join(lines) + "\n")
    expected = _hostile_files(root / "hostile")
    return root, expected


def _ingest_mixed(tmp_path: Path, db: str, gazetteer: Path, monkeypatch):
    monkeypatch.setenv("FRONTLINES_GAZETTEER", str(gazetteer))
    folder, expected = _mixed_folder(tmp_path / "in")
    _stats, report = Frontlines(Settings(db=db, batch_size=4)).ingest(
        [folder], published=None)
    store = Store(db)
    assert store.counts()["articles"] == 20
    assert _codes(report.problems) == expected
    assert not any("\x00" in article.text for article in store.articles())
    Frontlines(Settings(db=db)).ingest([folder])  # again: a no-op
    assert Store(db).counts()["articles"] == 20
    return sorted((_input_name(p.where), p.code, str(p).replace(str(tmp_path), ""))
                  for p in report.problems)


@pytest.mark.slow
def test_twenty_good_articles_among_hostile_files_on_sqlite(tmp_path, offline_gazetteer,
                                                           monkeypatch):
    _ingest_mixed(tmp_path, f"sqlite:///{tmp_path / 'f.db'}", offline_gazetteer, monkeypatch)


@pytest.mark.slow
@pytest.mark.postgres
def test_twenty_good_articles_among_hostile_files_same_report_on_postgresql(
        tmp_path, offline_gazetteer, monkeypatch, pg_url):  # noqa: F811
    on_sqlite = _ingest_mixed(tmp_path / "s", f"sqlite:///{tmp_path / 'f.db'}",
                              offline_gazetteer, monkeypatch)
    on_pg = _ingest_mixed(tmp_path / "p", pg_database(pg_url), offline_gazetteer, monkeypatch)
    assert on_pg == on_sqlite


@pytest.mark.slow
def test_a_long_article_with_the_real_model_is_parsed_in_sections(nlp, offline_gazetteer,
                                                                   monkeypatch):
    monkeypatch.setenv("FRONTLINES_GAZETTEER", str(offline_gazetteer))
    body = "\n\n".join(p.read_text().split("\n", 3)[-1] for p in sorted(EXAMPLES.glob("*.txt")))
    article = Article.make(text=body * 2, title="Digest", published=None)
    fl = Frontlines(Settings(nlp_section_chars=3000), nlp=nlp)
    report = RunReport()
    [analysis] = fl.analyse([article], report=report)
    assert not report.problems
    assert analysis.toponyms and analysis.events
    for toponym in analysis.toponyms:
        assert article.full_text[toponym.start:toponym.end] == toponym.text
    for event in analysis.events:
        assert event.sentence.strip()[:20] in article.full_text[event.char_start:event.char_end + 1]


@pytest.mark.slow
def test_bench_limits_runs_on_a_tiny_size(offline_gazetteer, monkeypatch):
    monkeypatch.syspath_prepend(str(REPO))
    from benchmarks import bench_limits

    monkeypatch.setenv("FRONTLINES_GAZETTEER", str(offline_gazetteer))
    figures = bench_limits.run(sizes=(3000,), html_sizes=(40_000, 9 * 2**20))
    text, page, huge = figures["inputs"]
    assert text["article_chars"] >= 2900 and text["seconds"] > 0 and not text["refused"]
    assert page["article_chars"] > 0 and not page["refused"]
    assert huge["refused"] and "max_html_mb" in huge["refused"][0]  # refused, not extracted
