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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontlines.errors import FrontlinesError, ProcessingError
from frontlines.model import Analysis, Article, Event
from frontlines.progress import Progress
from frontlines.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.gazetteer import Gazetteer
    from frontlines.store import Store

__all__ = ["ExtractResult", "Frontlines", "RunReport"]


@dataclass
class RunReport:
    """What a run read, skipped and produced. ``problems`` holds one error per skipped input."""

    articles_read: int = 0
    articles_processed: int = 0
    events: int = 0
    toponyms: int = 0
    problems: list[FrontlinesError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # read, but not fully: say why

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
        from frontlines.ingest import IngestReport, read_articles

        ingest_report = IngestReport()
        articles = list(read_articles(sources, published=published, strict=strict,
                                      report=ingest_report))
        if report is not None:
            report.articles_read += len(articles)
            report.problems.extend(ingest_report.problems)
        return articles

    # -- analysis -----------------------------------------------------------------------
    def analyse(
        self,
        articles: Sequence[Article],
        *,
        events: bool = True,
        strict: bool = False,
        report: RunReport | None = None,
        progress: Progress | None = None,
    ) -> Iterator[Analysis]:
        """Run NLP, geoparsing and (optionally) event extraction over ``articles``.

        One article that fails inside a stage is reported as a ``ProcessingError`` and
        skipped; the others go on (unless ``strict``).
        """
        report = report if report is not None else RunReport()
        today = dt.date.today()
        readable: dict[str, bool] = {}
        for article in articles:
            readable[article.id] = _readable(article, report, events=events, today=today)
        texts = ((article.full_text if readable[article.id] else "", article)
                 for article in articles)
        docs = self.nlp.pipe(texts, as_tuples=True, batch_size=self.settings.batch_size)
        total = len(articles)
        for done, (doc, article) in enumerate(docs, start=1):
            try:
                if not readable[article.id]:
                    yield Analysis(article=article, toponyms=(), events=())
                    report.articles_processed += 1
                    continue
                toponyms = tuple(self.geoparser.geoparse_doc(doc, article=article))
                dated = article if article.published is not None else replace(
                    article, published=today)
                found = tuple(self.extractor.extract(dated, doc, toponyms)) if events else ()
            except FrontlinesError:
                raise
            except Exception as exc:  # one broken article never sinks the batch
                error = ProcessingError(
                    f"could not be analysed ({type(exc).__name__}: {exc}); it was skipped. "
                    "Please report this with the article attached.",
                    where=article.origin or f"article {article.id}")
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

    def extract(
        self,
        sources: Iterable[str | Path],
        *,
        published: dt.date | None = None,
        strict: bool = False,
        events: bool = True,
        progress: Progress | None = None,
    ) -> ExtractResult:
        """Read and analyse ``sources``; ``events=False`` stops after geoparsing."""
        report = RunReport()
        articles = self.read(sources, published=published, strict=strict, report=report)
        analyses = list(self.analyse(articles, events=events, strict=strict, report=report,
                                     progress=progress))
        return ExtractResult(analyses=analyses, report=report)

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
    ) -> tuple[Any, RunReport]:
        """Read, analyse and store. Articles already stored are not analysed again."""
        report = RunReport()
        store = self.store(db)
        articles = self.read(sources, published=published, strict=strict, report=report)
        fresh = [a for a in articles if not store.has_article(a.id)]
        analyses = self.analyse(fresh, strict=strict, report=report, progress=progress)
        stats = store.ingest(analyses, batch_size=self.settings.batch_size)
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
