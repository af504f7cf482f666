"""read_articles: files, directories, stdin, strict mode and the IngestReport."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import sys
from pathlib import Path

import pytest

from frontlines.errors import (
    DecodeError,
    EmptyTextError,
    FetchError,
    SourceNotFoundError,
    InputError,
    RecordFormatError,
    UnknownFileTypeError,
)
from frontlines.ingest import IngestReport, read_articles
from frontlines.model import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
JSONL = FIXTURES / "articles.jsonl"


def read(*sources, **options):
    report = options.pop("report", None) or IngestReport()
    return list(read_articles(list(sources), report=report, **options)), report


def test_txt_file():
    (article,), report = read(FIXTURES / "reports" / "fajr_al_jurud_launch.txt")
    assert article.title == ("Lebanese Army launches offensive against Islamic State on Ras "
                             "Baalbek and Qaa outskirts")
    assert article.published == dt.date(2017, 8, 19)
    assert article.source == "Bekaa Border Monitor"
    assert article.url == "https://border-monitor.example/2017/08/19/fajr-al-jurud-begins"
    assert article.text.startswith("The Lebanese Army began a ground and artillery offensive")
    assert article.text.endswith("not coordinating with either force.")
    assert "Published:" not in article.full_text
    assert article.origin == str(FIXTURES / "reports" / "fajr_al_jurud_launch.txt")
    assert (report.articles, report.skipped, report.sources) == (1, 0, 1)


def test_markdown_files():
    (arsal, qaa), _ = read(FIXTURES / "reports" / "arsal_fighters_leave.md",
                           str(FIXTURES / "reports" / "qaa_residents.md"))
    assert arsal.title == "Buses carry Nusra fighters out of Jurud Arsal under ceasefire deal"
    assert arsal.published == dt.date(2017, 8, 2)
    assert "with Hezbollah in Jurud Arsal" in arsal.text  # link markup gone
    assert "**" not in arsal.text and "#" not in arsal.text
    assert qaa.title == "Qaa farmers return to orchards as front moves east"
    assert qaa.url == "https://border-monitor.example/2017/08/24/qaa-farmers-return"


def test_jsonl_with_one_broken_line_yields_every_good_record():
    articles, report = read(JSONL)
    assert [a.origin for a in articles] == [f"{JSONL}:{n}" for n in (1, 2, 4, 5, 7)]
    assert articles[0].id == "bbm-2017-08-20-001"  # a given id is kept
    assert articles[1].published == dt.datetime(2017, 8, 21, 18, 5,
                                                tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert (report.articles, report.skipped) == (5, 1)
    (problem,) = report.problems
    assert isinstance(problem, RecordFormatError)
    assert str(problem).startswith(f"{JSONL} line 6: invalid JSON (")


def test_json_list_and_published_fallback():
    articles, _ = read(FIXTURES / "articles.json", published=dt.date(2017, 8, 1))
    assert next(a.id for a in articles) == "nna-2017-07-21-arsal"
    assert [a.published for a in articles] == [dt.date(2017, 7, 21),
                                               dt.datetime(2017, 7, 22, 9, 30)]
    (undated,), _ = read(FIXTURES / "reports" / "fajr_al_jurud_launch.txt",
                         published=dt.date(2017, 9, 1))
    assert undated.published == dt.date(2017, 8, 19)  # the document's own date wins


def test_jsonl_published_fallback_applies_only_to_undated_records(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"text": "Clash near Qaa.", "published": "2017-08-21"}\n'
                    '{"text": "Clash near Arsal."}\n', encoding="utf-8")
    articles, _ = read(path, published=dt.date(2017, 8, 30))
    assert [a.published for a in articles] == [dt.date(2017, 8, 21), dt.date(2017, 8, 30)]


def test_rss_and_atom():
    rss, _ = read(FIXTURES / "feeds" / "border.rss")
    assert [a.title for a in rss] == ["Army advances on Martba valley as ISIS pocket shrinks",
                                      "Hezbollah says Syrian side of Qalamoun nearly cleared"]
    assert rss[0].id == "bbm-2017-08-23-martba"
    assert rss[0].text.startswith("The Lebanese Army said on Wednesday")
    assert "<b>" not in rss[0].text and "Martba valley, the last area" in rss[0].text
    assert rss[0].published == dt.datetime(2017, 8, 23, 15, 20,
                                           tzinfo=dt.timezone(dt.timedelta(hours=3)))
    atom, report = read(FIXTURES / "feeds" / "border.atom")
    assert [a.url for a in atom] == [
        "https://qalamoun-notes.example/2017/08/27/evacuation-deal",
        "https://qalamoun-notes.example/2017/08/30/army-victory"]
    assert atom[0].text.endswith("Hezbollah's media unit said.")
    assert atom[0].published_date == dt.date(2017, 8, 27)  # published beats updated
    assert atom[1].published == dt.datetime(2017, 8, 30, 11, tzinfo=dt.UTC)
    assert atom[0].source == "Qalamoun Front Notes"
    assert report.ok


def test_feed_item_without_text_is_one_problem():
    _, report = read(FIXTURES / "feeds" / "border.rss")
    (problem,) = report.problems
    assert isinstance(problem, EmptyTextError)
    assert "border.rss item 3" in str(problem)
    assert ("fetch the linked page instead: https://border-monitor.example/2017/08/25/"
            in str(problem))


def test_html_file_boilerplate_dropped():
    (page,), _ = read(FIXTURES / "pages" / "qaa_army_advance.html")
    assert page.title == "Lebanese Army tightens grip on Qaa and Ras Baalbek outskirts"
    assert page.published == dt.date(2017, 8, 21)
    assert page.url == "https://border-monitor.example/2017/08/21/army-qaa-outskirts"
    assert page.source == "Bekaa Border Monitor"
    assert page.text.startswith("The Lebanese Army said on Monday")
    assert page.text.endswith("could be heard through the night.")
    for chrome in ("cookie", "Subscribe", "Related stories", "All rights reserved", "Home"):
        assert chrome not in page.full_text


def test_directory_recursive_sorted_hidden_skipped(tmp_path):
    root = tmp_path / "reports"
    shutil.copytree(FIXTURES, root)
    (root / ".hidden.txt").write_text("Hidden\n\nNever read.", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "notes.txt").write_text("Git\n\nNever read.", encoding="utf-8")
    (root / "pages" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    (root / "pages" / "style.css").write_text("body{}", encoding="utf-8")
    (root / "briefing.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "README.md").write_text("# Border reports\n\nWhat this folder holds.", "utf-8")
    (root / "feeds" / "LICENSE").write_text("CC0", encoding="utf-8")
    seen: list[str] = []
    articles, report = read(root, progress=seen.append)
    origins = [a.origin for a in articles]
    assert not any("Never read" in a.text for a in articles)
    assert origins[0] == f"{root / 'articles.json'}#1"
    assert origins[-1] == str(root / "reports" / "qaa_residents.md")
    files = [Path(o.split("#")[0].rsplit(":", 1)[0]) for o in origins]
    assert files == sorted(files)
    assert report.articles == len(articles) == 15
    assert not any(a.title == "Border reports" for a in articles)
    assert report.ignored == 4  # image, stylesheet, README and LICENSE, silently
    kinds = sorted(type(p).__name__ for p in report.problems)
    assert kinds == ["EmptyTextError", "RecordFormatError", "UnknownFileTypeError"]
    (pdf,) = [p for p in report.problems if isinstance(p, UnknownFileTypeError)]
    assert str(pdf).startswith(f"{root / 'briefing.pdf'}: '.pdf' files are not read; supported: ")
    assert seen[0] == str(root / "articles.json") and str(root / "briefing.pdf") in seen


def test_missing_file_unknown_type_and_undecodable(tmp_path):
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("Arsal\n\nLes réfugiés de Ersal sont rentrés.".encode("cp1252"))
    doc = tmp_path / "notes.docx"
    doc.write_bytes(b"PK\x03\x04")
    good = tmp_path / "good.txt"
    good.write_text("Qaa\n\nShells fell near Qaa.", encoding="utf-8")
    articles, report = read(tmp_path / "missing.txt", doc, legacy, good)
    assert [a.text for a in articles] == ["Shells fell near Qaa."]
    missing, unknown, undecodable = report.problems
    assert isinstance(missing, SourceNotFoundError)
    assert str(missing).startswith(f"{tmp_path / 'missing.txt'}: no such file or directory")
    assert isinstance(unknown, UnknownFileTypeError)
    assert "'.docx' files are not read" in str(unknown)
    assert isinstance(undecodable, DecodeError)
    assert str(undecodable).startswith(
        f"{legacy}: byte 0xe9 at offset 12 (line 3, column 6) is not valid UTF-8")
    assert report.skipped == 3


def test_undecodable_jsonl_line_costs_only_that_line(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "Army shells Martba."}\n'
                     + '{"text": "Réfugiés à Ersal."}\n'.encode("latin-1")
                     + b'{"text": "Ceasefire at Qaa."}\n')
    articles, report = read(path)
    assert [a.text for a in articles] == ["Army shells Martba.", "Ceasefire at Qaa."]
    (problem,) = report.problems
    assert isinstance(problem, DecodeError)
    assert str(problem).startswith(f"{path} line 2: byte 0xe9 at column 12 is not valid UTF-8")


def test_unreadable_folder_is_one_problem(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every folder, so an unreadable one cannot be made")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("Qaa\n\nShelling.", encoding="utf-8")
    (tmp_path / "open.txt").write_text("Arsal\n\nClashes.", encoding="utf-8")
    locked.chmod(0)
    try:
        articles, report = read(tmp_path)
    finally:
        locked.chmod(0o755)
    assert [a.title for a in articles] == ["Arsal"]
    (problem,) = report.problems
    assert str(problem).startswith(f"{locked}: the folder cannot be read")


def test_missing_relative_path_names_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, report = read("reports/none.txt")
    assert str(report.problems[0]) == (
        f"reports/none.txt: no such file or directory, relative to {tmp_path}; check the path")


def test_a_readme_named_on_its_own_is_read(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Qaa notes\n\nShelling was heard near Qaa.", encoding="utf-8")
    (article,), _ = read(readme)
    assert article.title == "Qaa notes"


def test_extensionless_file_is_sniffed(tmp_path):
    path = tmp_path / "REPORT"
    path.write_text('{"text": "Clashes near Arsal."}\n', encoding="utf-8")
    (article,), _ = read(path)
    assert article.origin == f"{path}:1"


def test_strict_raises_the_first_problem_at_once():
    seen: list[Article] = []
    with pytest.raises(RecordFormatError, match=r"articles\.jsonl line 6: invalid JSON"):
        for article in read_articles([JSONL], strict=True):
            seen.append(article)
    assert len(seen) == 4  # lines 1, 2, 4, 5 came before the broken line


def test_reading_is_lazy(tmp_path):
    good = tmp_path / "a.txt"
    good.write_text("Qaa\n\nShelling.", encoding="utf-8")
    report = IngestReport()
    iterator = read_articles([good, tmp_path / "later.txt"], report=report)
    next(iterator)
    assert report.sources == 1 and not report.problems  # the second source not yet opened
    assert list(iterator) == [] and report.sources == 2 and len(report.problems) == 1


def test_a_single_path_is_not_iterated_character_by_character():
    articles = list(read_articles(str(FIXTURES / "reports" / "qaa_residents.md")))
    assert len(articles) == 1


def test_unsupported_url_scheme():
    _, report = read("ftp://files.example/report.txt")
    (problem,) = report.problems
    assert isinstance(problem, FetchError)
    assert str(problem).startswith("ftp://files.example/report.txt: only http:// and https://")


def test_stable_ids_across_reads_and_copies(tmp_path):
    first, _ = read(FIXTURES)
    copy = tmp_path / "copy"
    shutil.copytree(FIXTURES, copy)
    second, _ = read(copy)
    assert [a.id for a in first] == [a.id for a in second]
    assert len({a.id for a in first}) == len(first)
    edited = tmp_path / "edited.txt"
    source = FIXTURES / "reports" / "fajr_al_jurud_launch.txt"
    edited.write_text(source.read_text().replace("at dawn", "before dawn"), encoding="utf-8")
    (original,), _ = read(source)
    (changed,), _ = read(edited)
    assert original.id != changed.id


def test_report_summary():
    _, report = read(FIXTURES / "articles.jsonl", FIXTURES / "feeds")
    assert report.summary() == "9 articles from 3 sources; 2 skipped"
    assert not report.ok


# -- stdin --------------------------------------------------------------------------------

class _BinaryStdin(io.TextIOWrapper):
    """A real text stream over bytes, like sys.stdin (it has .buffer)."""


def test_stdin_jsonl(monkeypatch):
    data = JSONL.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    articles, report = read("-")
    assert [a.origin for a in articles] == [f"<stdin>:{n}" for n in (1, 2, 4, 5, 7)]
    assert str(report.problems[0]).startswith("<stdin> line 6: invalid JSON")


def test_stdin_plain_text_from_a_string_stream(monkeypatch):
    text = (FIXTURES / "reports" / "fajr_al_jurud_launch.txt").read_text()
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n\n" + text))
    (article,), report = read("-", published=dt.date(2017, 9, 1))
    assert article.title.startswith("Lebanese Army launches offensive")
    assert article.published == dt.date(2017, 8, 19)
    assert article.origin == "<stdin>"
    assert report.sources == 1


def test_stdin_empty_is_one_problem(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    articles, report = read("-")
    assert articles == []
    (problem,) = report.problems
    assert isinstance(problem, EmptyTextError) and str(problem).startswith("<stdin>: ")


def test_every_problem_is_an_input_error_with_a_code():
    _, report = read(FIXTURES, "missing.md", "ftp://x.example/a")
    assert report.problems
    for problem in report.problems:
        assert isinstance(problem, InputError)
        assert problem.code.startswith("E1")
        assert ": " in str(problem)


def test_the_same_article_twice_is_yielded_once(tmp_path):
    copy = tmp_path / "again.txt"
    source = FIXTURES / "reports" / "fajr_al_jurud_launch.txt"
    copy.write_bytes(source.read_bytes())
    articles, report = read(source, copy, JSONL, JSONL)
    assert len(articles) == 1 + 5
    assert report.duplicates == 1 + 5
    assert len(report.problems) == 2  # the broken line, once per read
    assert report.summary() == "6 articles from 4 sources; 2 skipped; 6 duplicates"
