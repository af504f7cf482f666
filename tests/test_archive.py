"""Archives: gzip'd JSON Lines streamed, reading positions, and ingest runs that resume.

The pipeline here is the model-free one (blank spaCy, no places, no events), so these
tests are about reading and the run journal, not NLP.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import blank_nlp

from frontlines.errors import UnreadableInputError
from frontlines.ingest import IngestReport, read_articles
from frontlines.ingest.reader import Cursor, Position
from frontlines.pipeline import Frontlines
from frontlines.settings import Settings
from frontlines.store import Store


class _NoPlaces:
    def geoparse_doc(self, doc, *, article):
        return ()


class _NoEvents:
    def extract(self, article, doc, toponyms):
        return ()


class _Interrupted(Exception):
    pass


def _pipeline(**settings) -> Frontlines:
    return Frontlines(Settings(**settings), nlp=blank_nlp(), geoparser=_NoPlaces(),
                      extractor=_NoEvents())


def _records(count: int, start: int = 0) -> list[dict]:
    return [{"id": f"a{i:05d}", "title": f"Report {i}", "published": "2017-08-19",
             "text": f"Shelling was reported near Arsal on Saturday, report number {i}."}
            for i in range(start, start + count)]


def _write_jsonl(path: Path, records: list[dict], *, gz: bool = False) -> Path:
    data = "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")
    if gz:
        path.write_bytes(gzip.compress(data))
    else:
        with path.open("ab") as fh:
            fh.write(data)
    return path


def _read(sources, **kwargs):
    report = IngestReport()
    return list(read_articles(sources, report=report, **kwargs)), report


def test_gzip_jsonl_reads_like_plain_jsonl(tmp_path):
    records = _records(25)
    plain, _ = _read([_write_jsonl(tmp_path / "a.jsonl", records)])
    zipped, _ = _read([_write_jsonl(tmp_path / "b.jsonl.gz", records, gz=True)])
    assert [a.id for a in zipped] == [a.id for a in plain] == [r["id"] for r in records]
    assert [a.full_text for a in zipped] == [a.full_text for a in plain]
    assert zipped[24].origin == f"{tmp_path / 'b.jsonl.gz'}:25"


def test_a_folder_reads_gzip_jsonl_and_still_ignores_other_gzip(tmp_path):
    _write_jsonl(tmp_path / "x.jsonl.gz", _records(3), gz=True)
    (tmp_path / "photos.tar.gz").write_bytes(gzip.compress(b"not articles"))
    articles, report = _read([tmp_path])
    assert [a.id for a in articles] == ["a00000", "a00001", "a00002"]
    assert report.ignored == 1 and not report.problems


def test_a_damaged_gzip_keeps_the_lines_before_the_damage(tmp_path):
    whole = gzip.compress("".join(json.dumps(r) + "\n" for r in _records(400)).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    articles, report = _read([path])
    assert 0 < len(articles) < 400
    (problem,) = report.problems
    assert isinstance(problem, UnreadableInputError)
    assert str(path) in str(problem) and "gzip" in str(problem)


@pytest.mark.parametrize("gz", [False, True])
def test_reading_resumes_after_a_position(tmp_path, gz):
    name = "arch.jsonl.gz" if gz else "arch.jsonl"
    path = _write_jsonl(tmp_path / name, _records(30), gz=gz)
    cursor = Cursor()
    seen = []
    for article in read_articles([path], cursor=cursor):
        seen.append((article.id, article.origin, cursor.position))
    after_all = len(gzip.decompress(path.read_bytes())) if gz else path.stat().st_size
    assert cursor.position == Position(0, "", after_all, 30)  # the end of the file
    _, _, after_twelve = seen[11]
    assert after_twelve.line == 12 and after_twelve.offset > 0
    rest, _ = _read([path], start=after_twelve)
    assert [(a.id, a.origin) for a in rest] == [(i, o) for i, o, _ in seen[12:]]
    nothing, report = _read([path], start=cursor.position)
    assert nothing == [] and not report.problems  # opened to look for new lines only


def test_a_folder_resumes_at_its_file_and_line(tmp_path):
    folder = tmp_path / "archive"
    (folder / "2017").mkdir(parents=True)
    (folder / "2017" / "a.txt").write_text("A\n\nShelling near Arsal.\n", encoding="utf-8")
    _write_jsonl(folder / "2017" / "b.jsonl", _records(5))
    _write_jsonl(folder / "c.jsonl.gz", _records(4, start=100), gz=True)
    cursor = Cursor()
    steps = [(a.id, cursor.position) for a in read_articles([tmp_path / "none", folder],
                                                             cursor=cursor)]
    ids = [i for i, _ in steps]
    assert len(ids) == 10
    third = steps[3][1]  # after b.jsonl line 3
    assert third == Position(1, "2017/b.jsonl", third.offset, 3)
    rest, report = _read([tmp_path / "none", folder], start=third)
    assert [a.id for a in rest] == ids[4:]
    assert not report.problems  # the missing first source was read (and reported) before
    # a file added to the folder after the run sorts after the last one: it is read
    (folder / "d.txt").write_text("D\n\nClashes near Hermel.\n", encoding="utf-8")
    added, _ = _read([tmp_path / "none", folder], start=cursor.position)
    assert [a.title for a in added] == ["D"]


def test_a_jsonl_file_shorter_than_the_position_is_read_again(tmp_path):
    path = _write_jsonl(tmp_path / "a.jsonl", _records(10))
    cursor = Cursor()
    list(read_articles([path], cursor=cursor))
    path.write_text(json.dumps(_records(1, start=50)[0]) + "\n", encoding="utf-8")
    again, _ = _read([path], start=Position(0, "", 4000, 10))
    assert [a.id for a in again] == ["a00050"]


def _interrupt_after(count: int):
    def progress(done, total):
        if done >= count:
            raise _Interrupted(f"stopped after {done}")
    return progress


def test_an_interrupted_ingest_resumes_where_it_stopped(tmp_path):
    db = f"sqlite:///{tmp_path / 'events.db'}"
    archive = _write_jsonl(tmp_path / "arch.jsonl.gz", _records(50), gz=True)
    fl = _pipeline(db=db, batch_size=8)
    with pytest.raises(_Interrupted):
        fl.ingest([archive], resume=True, progress=_interrupt_after(21))
    first = Store(db).counts()["articles"]
    assert first == 16  # two committed batches of 8; the batch in flight is not stored
    stats, report = fl.ingest([archive], resume=True)
    assert report.articles_read == 50 - first  # reading started after the last stored one
    assert stats.articles_new == 50 - first
    assert any(n.startswith("resumed") for n in report.notes)
    assert Store(db).counts()["articles"] == 50
    # finished: running it again reads nothing; new lines at the end are read alone
    stats, report = fl.ingest([archive], resume=True)
    assert report.articles_read == 0 and stats.articles_new == 0
    plain = _write_jsonl(tmp_path / "plain.jsonl", _records(6))
    fl.ingest([plain], resume=True)
    _write_jsonl(plain, _records(3, start=900))
    stats, report = fl.ingest([plain], resume=True)
    assert report.articles_read == 3 and stats.articles_new == 3


def test_without_resume_everything_is_read_and_nothing_stored_twice(tmp_path):
    db = f"sqlite:///{tmp_path / 'events.db'}"
    archive = _write_jsonl(tmp_path / "arch.jsonl", _records(12))
    fl = _pipeline(db=db, batch_size=5)
    fl.ingest([archive], resume=True)
    stats, report = fl.ingest([archive], resume=False)
    assert report.articles_read == 12 and stats.articles_new == 0 and not report.notes


def test_a_journal_is_not_trusted_once_the_database_lost_its_articles(tmp_path):
    path = tmp_path / "events.db"
    archive = _write_jsonl(tmp_path / "arch.jsonl", _records(9))
    fl = _pipeline(db=f"sqlite:///{path}", batch_size=4)
    fl.ingest([archive], resume=True)
    path.unlink()
    stats, report = fl.ingest([archive], resume=True)
    assert report.articles_read == 9 and stats.articles_new == 9
    assert any("no longer holds" in n for n in report.notes)


def test_a_resumed_run_reads_urls_and_stdin_again(tmp_path, monkeypatch):
    import io

    path = _write_jsonl(tmp_path / "a.jsonl", _records(2))
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(_records(1, start=70)[0]) + "\n"))
    again, _ = _read(["-", path], start=Position(1, "", -1, 0))
    assert [a.id for a in again] == ["a00070"]
