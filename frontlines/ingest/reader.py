"""The I/O shell: files, directories, stdin and URLs in, ``Article`` records out, lazily.

Every parser it calls is pure (``text``, ``records``, ``html``, ``feeds``); this module only
opens things, picks the parser, and turns each bad record into one ``InputError`` that is
raised (``strict=True``) or recorded in the ``IngestReport`` and skipped.
"""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import logging
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from frontlines.errors import (
    FetchError,
    InputError,
    LimitError,
    SourceNotFoundError,
    UnknownFileTypeError,
    UnreadableInputError,
)
from frontlines.ingest.decode import decode_bytes
from frontlines.ingest.feeds import parse_feed
from frontlines.ingest.fetch import MAX_FETCH_BYTES, Fetcher
from frontlines.ingest.html import parse_html_document
from frontlines.ingest.limits import Limits, check_article, check_binary
from frontlines.ingest.records import parse_json_document, parse_jsonl_line, parse_jsonl_text
from frontlines.ingest.report import IngestReport
from frontlines.ingest.sniff import SUFFIX_KINDS, is_ignored, kind_for_content, kind_for_path
from frontlines.ingest.text import parse_text_document
from frontlines.model import Article

__all__ = ["GZIP_JSONL_SUFFIXES", "MAX_FETCH_BYTES", "STDIN", "Cursor", "Position",
           "read_articles"]

STDIN = "-"
STDIN_NAME = "<stdin>"
_URL = re.compile(r"^https?://", re.I)
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_LOG = logging.getLogger(__name__)

Item = Article | InputError
Progress = Callable[[str], None]
GZIP_JSONL_SUFFIXES = (".jsonl.gz", ".ndjson.gz")
_WHOLE = -1  # Position.offset: the whole file is read


@dataclass(frozen=True, slots=True)
class Position:
    """How far a run has read: everything before this point is done.

    ``source`` is the index of the source in the run's list; ``file`` the path of the file
    inside a folder source, relative to it with ``/`` ("" for a source that is a file);
    ``offset`` and ``line`` the bytes (of the decompressed text, for ``.jsonl.gz``) and
    lines of a JSON Lines file read so far, or ``offset`` -1 when the whole file is done.
    """

    source: int = 0
    file: str = ""
    offset: int = 0
    line: int = 0

    def to_dict(self) -> dict[str, int | str]:
        return {"source": self.source, "file": self.file, "offset": self.offset,
                "line": self.line}

    @classmethod
    def from_dict(cls, data: dict) -> Position:
        return cls(int(data["source"]), str(data["file"]), int(data["offset"]),
                   int(data["line"]))


@dataclass(slots=True)
class Cursor:
    """Where ``read_articles`` is: ``position`` is updated before each article is yielded
    (the point just after it) and once more when every source is read."""

    position: Position = field(default_factory=Position)
    _source: int = 0
    _file: str = ""
    _offset: int = 0
    _line: int = 0

    def _mark(self) -> None:
        self.position = Position(self._source, self._file, self._offset, self._line)


def read_articles(sources: Iterable[str | Path], *, published: dt.date | None = None,
                  strict: bool = False, report: IngestReport | None = None,
                  client: httpx.Client | None = None,
                  progress: Progress | None = None, cursor: Cursor | None = None,
                  start: Position | None = None) -> Iterator[Article]:
    """Yield an ``Article`` for every report in ``sources``, reading each one only when reached.

    A source is a file (``.txt``, ``.md``, ``.html``/``.htm``, ``.json``, ``.jsonl``,
    ``.xml``/``.rss``/``.atom``), a directory (read recursively in sorted order, hidden
    files skipped, images and other media passed over), an ``http(s)://`` URL (fetched with
    ``client``, or a client of our own using the ``fetch_timeout`` setting), or ``"-"`` for
    standard input (JSON Lines or plain text, sniffed).

    ``published`` is the date for records that carry none; a record's own date wins.
    A bad record or source raises its ``InputError`` at once when ``strict``; otherwise it is
    appended to ``report.problems`` (and logged at INFO), and reading goes on. An article
    whose id was already yielded in this run (the same report read twice, the same given
    id) is skipped and counted in ``report.duplicates``. ``progress`` is called with the
    name of each file, URL or stream as it is opened.

    Archives: ``.jsonl.gz`` files are read as gzip'd JSON Lines, streamed. ``cursor`` (a
    ``Cursor``) follows how far reading has got; ``start`` (a ``Position`` from an earlier
    run over the same sources) skips what that run had read: earlier sources (but never
    standard input or a URL, which are read again), files of a folder that sort before
    ``start.file``, and the first ``start.offset`` bytes of a JSON Lines file (read again
    from its start if it is now shorter than that).
    """
    if isinstance(sources, str | Path):
        sources = [sources]
    report = report if report is not None else IngestReport()
    fetcher = Fetcher(client)
    limits = Limits.from_settings()
    seen: set[str] = set()
    track = cursor if cursor is not None else Cursor()
    try:
        for index, source in enumerate(sources):
            if start is not None and index < start.source and not _live(source):
                continue  # read by the run this one resumes
            track._source, track._file, track._offset, track._line = index, "", 0, 0
            resume = start if start is not None and index == start.source else None
            items = _read_source(source, published=published, report=report,
                                 fetcher=fetcher, progress=progress, limits=limits,
                                 track=track, resume=resume)
            for item in _isolated(items, where=str(source)):
                if not isinstance(item, InputError):
                    try:
                        item = check_article(item, limits=limits)
                    except InputError as exc:
                        item = exc
                if isinstance(item, InputError):
                    if strict:
                        raise item
                    report.add_problem(item)
                    _LOG.info("%s [%s]", item, item.code)
                    continue
                if item.id in seen:
                    report.duplicates += 1
                    continue
                seen.add(item.id)
                report.articles += 1
                track._mark()
                yield item
            _finished(track)
        track._mark()
    finally:
        fetcher.close()


def _live(source: str | Path) -> bool:
    """Standard input and URLs change between runs: a resumed run reads them again."""
    return isinstance(source, str) and (source == STDIN or bool(_URL.match(source)))


def _finished(track: Cursor) -> None:
    """A file is read: the whole of it, or, for JSON Lines, up to its current end (so lines
    appended later are read by a run that resumes)."""
    if not track._line:
        track._offset = _WHOLE


def _isolated(items: Iterator[Item], *, where: str) -> Iterator[Item]:
    """``items``, with anything unexpected it raises turned into one ``UnreadableInputError``
    naming ``where`` (the source being read); reading goes on with the next source."""
    try:
        yield from items
    except InputError as exc:
        yield exc
    except (RecursionError, MemoryError, OSError, ValueError, LookupError, TypeError,
            AttributeError, AssertionError, ArithmeticError, RuntimeError) as exc:
        _LOG.debug("%s: unexpected error while reading", where, exc_info=True)
        yield UnreadableInputError(
            f"could not be read ({type(exc).__name__}: {_brief(exc)}); it was skipped — check "
            "that it is a well-formed report, and please report this with the input attached",
            where=where)


def _brief(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 200 else text[:197] + "..."


def _read_source(source: str | Path, *, published: dt.date | None, report: IngestReport,
                 fetcher: Fetcher, progress: Progress | None, limits: Limits,
                 track: Cursor, resume: Position | None) -> Iterator[Item]:
    if isinstance(source, str):
        if source == STDIN:
            _opened(STDIN_NAME, report, progress)
            yield from _read_stdin(published=published, limits=limits)
            return
        if _URL.match(source):
            _opened(source, report, progress)
            yield from _read_url(source, fetcher=fetcher, published=published, limits=limits)
            return
        if _OTHER_SCHEME.match(source):
            yield FetchError("only http:// and https:// URLs are read; download the file and "
                             "pass its path instead", where=source)
            return
    path = Path(source)
    try:
        is_dir = path.is_dir()
    except OSError as exc:  # e.g. a name longer than the file system allows
        yield SourceNotFoundError(
            f"cannot be opened ({exc.strerror or exc}); check the path (each name in it must "
            "be at most 255 bytes)", where=_short_name(str(path)))
        return
    if is_dir:
        yield from _read_directory(path, published=published, report=report, progress=progress,
                                   limits=limits, track=track, resume=resume)
        return
    if resume is not None and resume.offset == _WHOLE:
        return
    _opened(str(path), report, progress)
    yield from _read_file(path, published=published, explicit=True, limits=limits,
                          track=track, resume=resume)


def _short_name(name: str) -> str:
    return name if len(name) <= 120 else f"{name[:60]}...{name[-50:]}"


def _opened(name: str, report: IngestReport, progress: Progress | None) -> None:
    report.sources += 1
    if progress is not None:
        progress(name)


def _read_directory(root: Path, *, published: dt.date | None, report: IngestReport,
                    progress: Progress | None, limits: Limits, track: Cursor,
                    resume: Position | None) -> Iterator[Item]:
    files: list[Path] = []
    unreadable: list[OSError] = []
    for folder, dirnames, filenames in os.walk(root, onerror=unreadable.append):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        files.extend(Path(folder, f) for f in filenames if not f.startswith("."))
    for error in unreadable:
        yield SourceNotFoundError(f"the folder cannot be read ({error.strerror or error}); check its "
                         "permissions", where=str(error.filename or root))
    after = tuple(resume.file.split("/")) if resume is not None and resume.file else None
    for path in sorted(files, key=lambda p: p.relative_to(root).parts):
        parts = path.relative_to(root).parts
        here = resume if after is not None and parts == after else None
        if after is not None and (parts < after or (here is not None
                                                    and here.offset == _WHOLE)):
            continue  # read by the run this one resumes
        if is_ignored(path) and not _is_gzip_jsonl(path):
            report.ignored += 1
            continue
        track._file, track._offset, track._line = "/".join(parts), 0, 0
        _opened(str(path), report, progress)
        yield from _isolated(_read_file(path, published=published, explicit=False,
                                        limits=limits, track=track, resume=here),
                             where=str(path))
        _finished(track)


def _is_gzip_jsonl(path: Path) -> bool:
    return path.name.lower().endswith(GZIP_JSONL_SUFFIXES)


def _read_file(path: Path, *, published: dt.date | None, explicit: bool,
               limits: Limits, track: Cursor | None = None,
               resume: Position | None = None) -> Iterator[Item]:
    name = str(path)
    kind = "jsonl" if _is_gzip_jsonl(path) else kind_for_path(path)
    try:
        exists = path.exists()
    except OSError as exc:  # ENAMETOOLONG and the like
        yield SourceNotFoundError(
            f"cannot be opened ({exc.strerror or exc}); check the path (each name in it must "
            "be at most 255 bytes)", where=_short_name(name))
        return
    if not exists:
        relative = "" if path.is_absolute() else f", relative to {Path.cwd()}"
        yield SourceNotFoundError(f"no such file or directory{relative}; check the path", where=name)
        return
    if not path.is_file():
        yield UnknownFileTypeError("not a regular file (a socket, device or pipe); pass a "
                                   "file, a directory, a URL or '-' for standard input",
                                   where=name)
        return
    sniff = explicit and not path.suffix  # a file named on its own, like REPORT: look inside
    if kind is None and not sniff:
        what = f"'{path.suffix}' files are" if path.suffix else "files without an extension are"
        yield UnknownFileTypeError(
            f"{what} not read; supported: {', '.join(sorted(SUFFIX_KINDS))} — convert the "
            "report to one of these (e.g. plain text as .txt)", where=name)
        return
    try:
        if kind == "jsonl":
            yield from _read_jsonl_file(path, published=published, limits=limits,
                                        track=track, resume=resume)
            return
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            yield LimitError(
                f"the file is {size / 2**20:.1f} MiB, more than max_file_mb "
                f"({limits.max_file_bytes // 2**20} MiB); split it, or raise the limit "
                "(FRONTLINES_MAX_FILE_MB)", where=name)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield SourceNotFoundError(f"cannot be read ({exc.strerror or exc}); check its permissions",
                         where=name)
        return
    yield from _parse_bytes(data, kind or kind_for_content(data), name=name,
                            published=published, limits=limits)


def _read_jsonl_file(path: Path, *, published: dt.date | None, limits: Limits,
                     track: Cursor | None = None,
                     resume: Position | None = None) -> Iterator[Item]:
    """A JSON Lines file, plain or gzip'd, streamed line by line (from ``resume``'s offset)."""
    name = str(path)
    offset, line = (resume.offset, resume.line) if resume is not None else (0, 0)
    zipped = _is_gzip_jsonl(path)
    if not zipped and offset > path.stat().st_size:
        offset, line = 0, 0  # the file is shorter than when it was read: read it again
    opener = gzip.open if zipped else open
    with opener(path, "rb") as handle:
        try:
            if offset:
                handle.seek(offset)
            if track is not None:
                track._offset, track._line = offset, line
            yield from _jsonl_byte_lines(handle, name=name, published=published, limits=limits,
                                         first_lineno=line + 1, track=track)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            yield UnreadableInputError(
                f"the gzip stream is damaged ({_brief(exc)}); the lines before the damage "
                "were read — check the archive (gzip -t), or decompress what can be saved",
                where=name)


def _jsonl_byte_lines(lines: Iterable[bytes], *, name: str, published: dt.date | None,
                      limits: Limits, first_lineno: int = 1,
                      track: Cursor | None = None) -> Iterator[Item]:
    """One item per line; each line is its own unit (a bad one never stops the rest)."""
    # A line holds one article plus its fields and JSON escapes; 8x the article limit is
    # beyond any real record (and keeps one line from filling the memory).
    max_line = 8 * limits.max_article_chars + 65536
    for lineno, raw in enumerate(lines, start=first_lineno):
        where = f"{name} line {lineno}"
        if track is not None:
            track._offset += len(raw)
            track._line = lineno
        if lineno == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            if len(raw) > max_line:
                raise LimitError(
                    f"the line is {len(raw):,} bytes, too long for one record under "
                    f"max_article_chars ({limits.max_article_chars:,}); split the record, or "
                    "raise the limit (FRONTLINES_MAX_ARTICLE_CHARS)", where=where)
            line = decode_bytes(raw, where=where, count_lines=False)
            article = parse_jsonl_line(line, name=name, lineno=lineno, published=published,
                                       max_depth=limits.max_json_depth)
        except InputError as exc:
            yield exc
            continue
        except Exception as exc:  # noqa: BLE001 - one record never sinks the file
            _LOG.debug("%s: unexpected error", where, exc_info=True)
            yield UnreadableInputError(
                f"could not be read ({type(exc).__name__}: {_brief(exc)}); the line was "
                "skipped — check the record, and please report this with the line attached",
                where=where)
            continue
        if article is not None:
            yield article


def _parse_bytes(data: bytes, kind: str, *, name: str, published: dt.date | None,
                 limits: Limits, url: str | None = None,
                 encoding: str | None = None) -> Iterator[Item]:
    """Bytes of one kind to articles and problems; every parser here is pure."""
    try:
        check_binary(data, where=name)
        if kind == "feed":
            yield from parse_feed(data, name=name, published=published)
            return
        if kind == "html":
            if len(data) > limits.max_html_bytes:
                raise LimitError(
                    f"the page is {len(data) / 2**20:.1f} MiB, more than max_html_mb "
                    f"({limits.max_html_bytes // 2**20} MiB); save the article's text as .txt, "
                    "or raise the limit (FRONTLINES_MAX_HTML_MB)", where=name)
            yield parse_html_document(data, name=name, url=url, published=published,
                                      encoding=encoding)
            return
        text = decode_bytes(data, where=name, encoding=encoding)
        if kind == "json":
            yield from parse_json_document(text, name=name, published=published,
                                           max_depth=limits.max_json_depth)
        elif kind == "jsonl":
            yield from parse_jsonl_text(text, name=name, published=published,
                                        max_depth=limits.max_json_depth)
        else:
            yield parse_text_document(text, name=name, published=published,
                                      markdown=kind == "markdown", url=url)
    except InputError as exc:
        yield exc


def _read_stdin(*, published: dt.date | None, limits: Limits) -> Iterator[Item]:
    lines = _stdin_lines()
    head: list[bytes] = []
    for line in lines:
        head.append(line)
        if line.strip():
            break
    if head and kind_for_content(head[-1]) == "jsonl":
        # Stream JSON Lines as they arrive (a pipe from a crawler need not end first).
        yield from _jsonl_byte_lines(head, name=STDIN_NAME, published=published,
                                     limits=limits)
        yield from _jsonl_byte_lines(lines, name=STDIN_NAME, published=published,
                                     limits=limits, first_lineno=len(head) + 1)
        return
    data = b"".join(head) + b"".join(lines)
    yield from _parse_bytes(data, kind_for_content(data), name=STDIN_NAME, published=published,
                            limits=limits)


def _stdin_lines() -> Iterator[bytes]:
    stream = sys.stdin
    if stream is None:
        return
    binary = getattr(stream, "buffer", None)
    if binary is not None:
        yield from binary
        return
    for line in stream:  # a text stream without bytes underneath (e.g. io.StringIO)
        try:
            yield line.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            yield line.encode("utf-8", "replace")


# -- URLs ---------------------------------------------------------------------------------


def _read_url(url: str, *, fetcher: Fetcher, published: dt.date | None,
              limits: Limits) -> Iterator[Item]:
    try:
        page = fetcher.get(url)
    except FetchError as exc:
        yield exc
        return
    kind = kind_for_content(page.content, content_type=page.content_type)
    yield from _parse_bytes(page.content, kind, name=url, url=page.url, published=published,
                            encoding=page.charset, limits=limits)
