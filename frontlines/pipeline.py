"""The Python API: ``Frontlines`` ties ingest -> nlp -> geoparse -> events -> store together.

Every CLI command is a thin call into this class::

    from frontlines import Frontlines
    fl = Frontlines()                       # settings from FRONTLINES_* or defaults
    result = fl.extract(["examples/"])      # ExtractResult(analyses, report)
    for event in result.events: ...
    stats = fl.ingest(["examples/"], db="sqlite:///events.db")

Components are built lazily and can be injected (a small gazetteer, a blank spaCy
pipeline, an in-memory store) so each stage can be tested alone.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import deque
from collections.abc import Iterable, Iterator, Sized
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontlines.errors import FrontlinesError, InputError, ProcessingError, StoreError
from frontlines.model import Analysis, Article, Event
from frontlines.progress import Progress
from frontlines.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.engine import Engine
    from frontlines.gazetteer import Gazetteer
    from frontlines.ingest.reader import Cursor, Position
    from frontlines.store import Store

__all__ = ["ExtractResult", "Frontlines", "RunReport"]

_LOG = logging.getLogger(__name__)


@dataclass
class RunReport:
    """What a run read, skipped and produced. ``problems`` holds one error per skipped input."""

    articles_read: int = 0
    articles_processed: int = 0
    events: int = 0
    toponyms: int = 0
    problems: list[FrontlinesError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # read, but not fully: say why
    notes: list[str] = field(default_factory=list)  # how the run went (e.g. resumed)

    @property
    def skipped(self) -> int:
        return len(self.problems)


@dataclass
class ExtractResult:
    analyses: list[Analysis]
    report: RunReport

    @property
    def events(self) -> list[Event]:
        return [event for analysis in self.analyses for event in analysis.events]


class Frontlines:
    """The whole pipeline with injectable components (``gazetteer``, ``nlp``, ``store``...)."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        gazetteer: Gazetteer | None = None,
        nlp: Any = None,
        geoparser: Any = None,
        extractor: Any = None,
    ) -> None:
        self.settings = settings or Settings()
        self._gazetteer = gazetteer
        self._nlp = nlp
        self._geoparser = geoparser
        self._extractor = extractor

    # -- components -------------------------------------------------------------------
    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            from frontlines.gazetteer import Gazetteer

            self._gazetteer = Gazetteer.open_default(self.settings)
        return self._gazetteer

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            from frontlines.nlp import load_model

            self._nlp = load_model(self.settings.model)
        return self._nlp

    @property
    def geoparser(self) -> Any:
        if self._geoparser is None:
            from frontlines.geoparse import Geoparser
            from frontlines.settings import region_codes

            self._geoparser = Geoparser(self.gazetteer, nlp=self.nlp,
                                        region=region_codes(self.settings.region))
        return self._geoparser

    @property
    def extractor(self) -> Any:
        if self._extractor is None:
            from frontlines.events import EventExtractor

            self._extractor = EventExtractor(gazetteer=self.gazetteer)
        return self._extractor

    def store(self, db: str | None = None) -> Store:
        from frontlines.store import Store

        return Store(db or self.settings.db)

    # -- reading ------------------------------------------------------------------------
    def read(
        self,
        sources: Iterable[str | Path],
        *,
        published: dt.date | None = None,
        strict: bool = False,
        report: RunReport | None = None,
    ) -> list[Article]:
        """Read every source into articles; bad records land in ``report.problems``."""
        return list(self.iter_read(sources, published=published, strict=strict,
                                   report=report))

    def iter_read(
        self,
        sources: Iterable[str | Path],
        *,
        published: dt.date | None = None,
        strict: bool = False,
        report: RunReport | None = None,
        cursor: Cursor | None = None,
        start: Position | None = None,
    ) -> Iterator[Article]:
        """``read``, lazily: each article is read when it is reached, and each bad input
        is added to ``report.problems`` as it is met (so memory stays flat on big inputs).
        ``cursor`` and ``start`` are ``read_articles``'s (how far reading has got; where
        to start)."""
        from frontlines.ingest import IngestReport, read_articles

        ingest_report = IngestReport()
        reported = 0
        for article in read_articles(sources, published=published, strict=strict,
                                     report=ingest_report, cursor=cursor, start=start):
            if report is not None:
                report.articles_read += 1
                report.problems.extend(ingest_report.problems[reported:])
                reported = len(ingest_report.problems)
            yield article
        if report is not None:
            report.problems.extend(ingest_report.problems[reported:])

    # -- analysis -----------------------------------------------------------------------
    def analyse(
        self,
        articles: Iterable[Article],
        *,
        events: bool = True,
        strict: bool = False,
        report: RunReport | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Analysis]:
        """Run NLP, geoparsing and (optionally) event extraction over ``articles``.

        ``articles`` is consumed lazily, ``batch_size`` at a time. One article that fails
        inside a stage is reported as a ``ProcessingError`` and skipped; the others go on
        (unless ``strict``). Articles longer than ``nlp_section_chars`` are read section by
        section (offsets still refer to the whole ``full_text``).
        """
        report = report if report is not None else RunReport()
        today = dt.date.today()
        total = len(articles) if isinstance(articles, Sized) else None
        done = 0
        for article, doc, failure in self._docs(articles, report, events=events, today=today):
            done += 1
            try:
                if failure is not None:
                    raise failure
                if doc is None:  # not readable (e.g. not English): reported as a warning
                    report.articles_processed += 1
                    yield Analysis(article=article, toponyms=(), events=())
                    continue
                toponyms, found = self._analyse_doc(article, doc, events=events, today=today)
            except FrontlinesError as exc:
                if strict or not isinstance(exc, InputError | ProcessingError):
                    raise
                report.problems.append(exc)
                continue
            except Exception as exc:  # one broken article never sinks the batch
                error = self._processing_error(article, exc)
                if strict:
                    raise error from exc
                report.problems.append(error)
                continue
            finally:
                if progress:
                    progress(done, total)
            report.articles_processed += 1
            report.toponyms += len(toponyms)
            report.events += len(found)
            yield Analysis(article=article, toponyms=toponyms, events=found)

    @staticmethod
    def _processing_error(article: Article, exc: BaseException) -> ProcessingError:
        _LOG.debug("article %s failed", article.id, exc_info=exc)
        detail = " ".join(str(exc).split())
        detail = detail if len(detail) <= 200 else detail[:197] + "..."
        return ProcessingError(
            f"could not be analysed ({type(exc).__name__}: {detail}); it was skipped. "
            "Please report this with the article attached.",
            where=article.origin or f"article {article.id}")

    def _docs(self, articles: Iterable[Article], report: RunReport, *, events: bool,
              today: dt.date) -> Iterator[tuple[Article, Any, BaseException | None]]:
        """``(article, doc, failure)`` per article, lazily, in batches of ``batch_size``.

        A batch goes through ``nlp.pipe``; when that fails, its articles are parsed one by
        one so the failure lands on the article that caused it. Articles longer than the
        ``nlp_section_chars`` setting get ``doc`` = ``None`` and are parsed in
        sections by ``_analyse_doc``; unreadable ones get ``doc`` = ``None`` too.
        """
        batch: list[tuple[Article, bool]] = []
        section = int(self.settings.nlp_section_chars)

        def flush() -> Iterator[tuple[Article, Any, BaseException | None]]:
            parse = [(a.full_text, a) for a, ok in batch if ok and len(a.full_text) <= section]
            docs: dict[str, Any] = {}
            try:
                docs = {a.id: d for d, a in self.nlp.pipe(parse, as_tuples=True,
                                                          batch_size=len(parse) or 1)}
            except Exception:  # noqa: BLE001 - find the article that broke the batch
                docs = {}
            for article, ok in batch:
                if not ok:
                    yield article, None, None
                elif len(article.full_text) > section:
                    yield article, _SECTIONED, None
                elif article.id in docs:
                    yield article, docs[article.id], None
                else:
                    try:
                        yield article, self.nlp(article.full_text), None
                    except Exception as exc:  # noqa: BLE001
                        yield article, None, exc
            batch.clear()

        for article in articles:
            try:
                ok = _readable(article, report, events=events, today=today)
            except Exception as exc:  # noqa: BLE001
                yield article, None, exc
                continue
            batch.append((article, ok))
            if len(batch) >= self.settings.batch_size:
                yield from flush()
        if batch:
            yield from flush()

    def _analyse_doc(self, article: Article, doc: Any, *, events: bool,
                     today: dt.date) -> tuple[tuple[Any, ...], tuple[Event, ...]]:
        """Geoparse and extract events from one article's doc, or section by section."""
        if doc is _SECTIONED:
            toponyms: list[Any] = []
            found: list[Event] = []
            for part, offset in _sections(article, int(self.settings.nlp_section_chars)):
                part_doc = self.nlp(part.full_text)
                part_toponyms, part_events = self._analyse_doc(part, part_doc, events=events,
                                                               today=today)
                toponyms.extend(replace(t, start=t.start + offset, end=t.end + offset)
                                for t in part_toponyms)
                found.extend(replace(e, char_start=e.char_start + offset,
                                     char_end=e.char_end + offset) for e in part_events)
            return tuple(toponyms), tuple(found)
        toponyms_ = tuple(self.geoparser.geoparse_doc(doc, article=article))
        dated = article if article.published is not None else replace(article, published=today)
        found_ = tuple(self.extractor.extract(dated, doc, toponyms_)) if events else ()
        return toponyms_, found_

    def extract(
        self,
        sources: Iterable[str | Path],
        *,
        published: dt.date | None = None,
        strict: bool = False,
        events: bool = True,
        progress: Progress | None = None,
        engine: Engine | None = None,
    ) -> ExtractResult:
        """Read and analyse ``sources``; ``events=False`` stops after geoparsing.
        ``engine`` (``frontlines.engine``) runs the analysis (default: this process)."""
        report = RunReport()
        analyses = list(self.iter_extract(sources, report=report, published=published,
                                          strict=strict, events=events, progress=progress,
                                          engine=engine))
        return ExtractResult(analyses=analyses, report=report)

    def iter_extract(
        self,
        sources: Iterable[str | Path],
        *,
        report: RunReport,
        published: dt.date | None = None,
        strict: bool = False,
        events: bool = True,
        progress: Progress | None = None,
        engine: Engine | None = None,
    ) -> Iterator[Analysis]:
        """``extract``, streamed: analyses come out as they are made and ``report`` fills
        as the run goes, so an archive of any size needs the memory of one batch."""
        articles: Iterable[Article]
        if isinstance(sources, str | Path) or not isinstance(sources, Sized):
            articles = self.iter_read(sources, published=published, strict=strict,
                                      report=report)
        else:  # a short list of sources: read first, so the progress bar knows the total
            articles = self.iter_read(sources, published=published, strict=strict,
                                      report=report)
            if not _archive(sources):
                articles = list(articles)
        yield from self._engine(engine).analyse(self, articles, events=events, strict=strict,
                                                report=report, progress=progress)

    @staticmethod
    def _engine(engine: Engine | None) -> Engine:
        if engine is not None:
            return engine
        from frontlines.engine import LocalEngine

        return LocalEngine()

    def geoparse(self, sources: Iterable[str | Path], **options: Any) -> ExtractResult:
        """Read and geoparse ``sources`` (no event extraction); options as ``extract``."""
        return self.extract(sources, events=False, **options)

    def ingest(
        self,
        sources: Iterable[str | Path],
        *,
        db: str | None = None,
        published: dt.date | None = None,
        strict: bool = False,
        progress: Progress | None = None,
        engine: Engine | None = None,
        resume: bool = False,
    ) -> tuple[Any, RunReport]:
        """Read, analyse and store. Articles already stored are not analysed again.

        ``resume``: keep a run journal (``frontlines.engine.journal``) so that the same
        call after an interruption starts reading where the last committed batch ended,
        and a finished run, repeated, reads only what was added since.
        """
        from frontlines.engine.journal import RunJournal, resume_point
        from frontlines.ingest.reader import Cursor

        report = RunReport()
        store = self.store(db)
        sources = [sources] if isinstance(sources, str | Path) else list(sources)
        journal = RunJournal(self.settings.home, sources, store.url) if resume else None
        start, last_stored = resume_point(journal, store, report.notes)
        cursor = Cursor()
        articles = self.iter_read(sources, published=published, strict=strict, report=report,
                                  cursor=cursor, start=start)
        read: deque[tuple[str, Position]] = deque()  # articles sent to analysis, in order
        stored: deque[tuple[str, Position]] = deque()  # analyses sent to the store, in order

        def fresh() -> Iterator[Article]:
            for article in articles:
                if not store.has_article(article.id):
                    read.append((article.id, cursor.position))
                    yield article

        def placed(analyses: Iterable[Analysis]) -> Iterator[Analysis]:
            for analysis in analyses:
                while read and read[0][0] != analysis.article.id:
                    read.popleft()  # an article that failed: nothing of it goes to the store
                if read:
                    stored.append(read.popleft())
                yield analysis

        def committed(done: int, total: int | None) -> None:
            nonlocal last_stored
            if not stored:
                return
            while stored:  # everything handed to the store so far is committed now
                last_stored, position = stored.popleft()
            if journal is not None:
                journal.save(position, last_stored, complete=False)

        analyses = placed(self._engine(engine).analyse(
            self, fresh(), events=True, strict=strict, report=report, progress=progress))

        def refused(analysis: Analysis, error: StoreError) -> None:
            if strict:
                raise error
            report.articles_processed -= 1
            report.toponyms -= len(analysis.toponyms)
            report.events -= len(analysis.events)
            report.problems.append(error)

        # Streamed: each batch is committed as soon as it is analysed, so an interrupted
        # run loses at most the batch in flight, and running it again completes it.
        stats = store.ingest(analyses, batch_size=self.settings.batch_size, on_error=refused,
                             progress=committed)
        if journal is not None:
            journal.save(cursor.position, last_stored, complete=True)
        return stats, report

    def events(
        self,
        *,
        db: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        country: str | None = None,
    ) -> list[Event]:
        """Stored events, filtered."""
        return self.store(db).events(since=since, until=until, country=country)


_SECTIONED = object()  # marker: the article is parsed section by section


def _archive(sources: Iterable[str | Path]) -> bool:
    """Whether a source may hold many articles (a folder, JSON Lines, stdin, a URL): those
    are streamed rather than read ahead to count them."""
    from frontlines.ingest.reader import GZIP_JSONL_SUFFIXES

    for source in sources:
        text = str(source).lower()
        if text == "-" or "://" in text or text.endswith((".jsonl", ".ndjson",
                                                           *GZIP_JSONL_SUFFIXES)):
            return True
        try:
            if Path(source).is_dir():
                return True
        except OSError:
            continue
    return False


def _sections(article: Article, size: int) -> Iterator[tuple[Article, int]]:
    """``article`` cut into parts of at most ``size`` characters of body, each with the
    offset of its text in ``article.full_text``. Cuts fall at a blank line, else a line
    end, else a sentence end, else a space; the first part keeps the title."""
    text = article.text
    head = len(article.full_text) - len(text)
    start, first = 0, True
    while start < len(text):
        stop = min(start + size, len(text))
        if stop < len(text):
            window = text[start:stop]
            for mark in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(mark, size // 2)
                if cut > 0:
                    stop = start + cut + len(mark)
                    break
        part = text[start:stop]
        if first:  # title + blank line + this part: the same offsets as the whole
            yield replace(article, text=part), 0
        elif part.strip():
            yield replace(article, text=part, title=None), head + start
        first, start = False, stop


def _readable(article: Article, report: RunReport, *, events: bool, today: dt.date) -> bool:
    """Whether the pipeline can read ``article``; what it cannot do fully goes to
    ``report.warnings`` (an article is never passed over in silence)."""
    from frontlines.ingest.language import guess_language

    where = article.origin or f"article {article.id}"
    guess = guess_language(article.full_text)
    if not guess.is_english and guess.confident:
        report.warnings.append(
            f"{where}: written in {guess.describe()}; Frontlines reads English only, so no "
            f"place or event was read from it. Translate it to English and ingest it again.")
        return False
    if events and article.published is None:
        report.warnings.append(
            f"{where}: no publication date; dates such as 'yesterday' were read against "
            f"today ({today.isoformat()}). Pass --published YYYY-MM-DD (or a 'published' "
            f"field) for the real date.")
    return True
