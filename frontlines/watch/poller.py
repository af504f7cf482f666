"""The feed watcher: poll feeds, fetch each new item's page, ingest it, remember it.

For every feed not waiting out a backoff: a conditional GET (``If-None-Match`` /
``If-Modified-Since`` from the last answer); ``304`` means nothing new. Each item links to
a page: a page already ``ingested`` is skipped; any other is fetched and read (trafilatura,
through the ingest readers), given the feed's outlet name, analysed (with the feed's home
country joining the area of interest) and stored, its state committed after each step
(``frontlines.watch.state``). A feed that fails (network, HTTP error, not a feed) waits
``every``, then twice that, and so on up to ``backoff_cap``; a page that fails is tried
again on later polls, up to ``MAX_ATTEMPTS`` times. One feed or page failing never stops
the others. The feed's ETag is saved only once all its items are done, so a watcher killed
mid-poll reads the whole feed again on restart (and skips the pages it stored).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from frontlines.errors import FrontlinesError, InputError
from frontlines.ingest.feeds import FeedItem, feed_items
from frontlines.watch.config import FeedSpec
from frontlines.watch.state import MAX_ATTEMPTS, WatchState

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.model import Article
    from frontlines.pipeline import Frontlines
    from frontlines.store import Store

__all__ = ["PollReport", "Watcher"]

Log = Callable[[str], None]


@dataclass
class PollReport:
    """What one poll of every feed did; ``problems`` names each feed or page that failed."""

    feeds_polled: int = 0
    feeds_unchanged: int = 0
    feeds_waiting: int = 0
    feeds_failed: int = 0
    pages_fetched: int = 0
    pages_ingested: int = 0
    pages_failed: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{self.feeds_polled} feed(s) polled ({self.feeds_unchanged} unchanged, "
                f"{self.feeds_waiting} waiting after errors, {self.feeds_failed} failed); "
                f"{self.pages_fetched} new page(s) fetched, {self.pages_ingested} ingested, "
                f"{self.pages_failed} failed; {self.events} event(s)")


class Watcher:
    """Polls ``feeds`` into ``store`` through ``frontlines``; state in ``state``."""

    def __init__(self, feeds: Sequence[FeedSpec], *, frontlines: Frontlines, store: Store,
                 state: WatchState, client: httpx.Client | None = None, every: float = 900.0,
                 backoff_cap: float = 6 * 3600.0, clock: Callable[[], float] = time.time,
                 log: Log | None = None) -> None:
        self.feeds = list(feeds)
        self.frontlines = frontlines
        self.store = store
        self.state = state
        self.every = float(every)
        self.backoff_cap = float(backoff_cap)
        self.clock = clock
        self.log = log or (lambda line: None)
        self._own = client is None
        self.client = client or self._client()
        self._pipelines: dict[str | None, Frontlines] = {}

    def _client(self) -> httpx.Client:
        from frontlines import __version__

        return httpx.Client(headers={"User-Agent": f"frontlines/{__version__} (watch)"},
                            timeout=float(self.frontlines.settings.fetch_timeout),
                            follow_redirects=True)

    def close(self) -> None:
        if self._own:
            self.client.close()

    # -- the loop -------------------------------------------------------------------------
    def run(self, *, once: bool = False,
            sleep: Callable[[float], None] = time.sleep) -> PollReport:
        """Poll every ``every`` seconds (once with ``once``); returns the last poll's report."""
        while True:
            started = self.clock()
            report = self.poll()
            self.log(f"poll done: {report}")
            if once:
                return report
            wait = max(0.0, self.every - (self.clock() - started))
            self.log(f"next poll in {wait:.0f} s")
            sleep(wait)

    def poll(self) -> PollReport:
        report = PollReport()
        for spec in self.feeds:
            try:
                self._poll_feed(spec, report)
            except FrontlinesError:
                raise  # the store or the pipeline cannot run: stop, do not mark anything
            except Exception as exc:  # noqa: BLE001 - one feed never stops the others
                self._feed_failed(spec, f"{type(exc).__name__}: {exc}", report)
        return report

    # -- one feed -------------------------------------------------------------------------
    def _poll_feed(self, spec: FeedSpec, report: PollReport) -> None:
        now = self.clock()
        known = self.state.feed(spec.url)
        if known.next_try > now:
            report.feeds_waiting += 1
            self.log(f"{spec.url}: waiting {known.next_try - now:.0f} s more after "
                     f"{known.failures} error(s) in a row")
            return
        headers = {}
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        report.feeds_polled += 1
        try:
            response = self.client.get(spec.url, headers=headers)
        except httpx.HTTPError as exc:
            self._feed_failed(spec, f"could not be fetched ({type(exc).__name__}: {exc})",
                              report)
            return
        if response.status_code == 304:
            report.feeds_unchanged += 1
            self.state.feed_unchanged(spec.url)
            return
        if response.status_code >= 400:
            self._feed_failed(spec, f"the server answered HTTP {response.status_code} "
                                    f"{response.reason_phrase}", report)
            return
        items = list(feed_items(response.content, name=spec.url))
        pages = [item for item in items if isinstance(item, FeedItem)]
        errors = [item for item in items if not isinstance(item, FeedItem)]
        if errors and not pages and len(errors) == 1 and "not an RSS" in str(errors[0]):
            self._feed_failed(spec, str(errors[0]).removeprefix(f"{spec.url}: "), report)
            return
        for error in errors:
            report.problems.append(f"{error.code}: {error}")
        for item in pages:
            self._item(spec, item, report)
        self.state.feed_ok(spec.url, etag=response.headers.get("etag"),
                           last_modified=response.headers.get("last-modified"))

    def _feed_failed(self, spec: FeedSpec, error: str, report: PollReport) -> None:
        report.feeds_failed += 1
        delay = self.state.feed_failed(spec.url, error, now=self.clock(), base=self.every,
                                       cap=self.backoff_cap)
        line = f"{spec.url}: {error}; trying again in {delay:.0f} s"
        report.problems.append(line)
        self.log(line)

    # -- one page -------------------------------------------------------------------------
    def _item(self, spec: FeedSpec, item: FeedItem, report: PollReport) -> None:
        known = self.state.item(item.link)
        if known is not None and (known[0] == "ingested"
                                  or (known[0] == "failed" and known[1] >= MAX_ATTEMPTS)):
            return
        report.pages_fetched += 1
        try:
            article = self._fetch(spec, item)
            self.state.mark(item.link, spec.url, "fetched", article_id=article.id)
            events = self._ingest(spec, article)
        except InputError as exc:
            report.pages_failed += 1
            self.state.mark(item.link, spec.url, "failed", error=str(exc))
            report.problems.append(f"{exc.code}: {exc}")
            self.log(f"failed {exc.code}: {exc}")
            return
        self.state.mark(item.link, spec.url, "ingested", article_id=article.id)
        report.pages_ingested += 1
        report.events += events
        self.log(f"ingested {item.link} ({events} event(s))")

    def _fetch(self, spec: FeedSpec, item: FeedItem) -> Article:
        from frontlines.ingest import IngestReport, read_articles

        read = IngestReport()
        articles = list(read_articles([item.link], client=self.client, report=read,
                                      published=None))
        if read.problems:
            raise read.problems[0]
        if not articles:
            from frontlines.errors import EmptyTextError

            raise EmptyTextError("the page holds no article text", where=item.link)
        article = articles[0]
        return article.replace(
            source=spec.source or article.source or item.feed_title,
            published=article.published or item.published,
            title=article.title or item.title, url=article.url or item.link)

    def _ingest(self, spec: FeedSpec, article: Article) -> int:
        from frontlines.pipeline import RunReport

        run = RunReport()
        analyses = list(self._pipeline(spec.country).analyse([article], report=run))
        if run.problems:
            raise run.problems[0]
        self.store.ingest(analyses, batch_size=1)
        return sum(len(a.events) for a in analyses)

    def _pipeline(self, country: str | None) -> Frontlines:
        """The pipeline for a feed's home country (it joins the area of interest)."""
        if country not in self._pipelines:
            from frontlines.pipeline import Frontlines
            from frontlines.settings import Settings, region_codes

            base = self.frontlines
            region = list(region_codes(base.settings.region))
            if country is None or country in region:
                self._pipelines[country] = base
            else:
                settings: dict[str, Any] = {**base.settings.as_dict(),
                                            "region": ",".join([*region, country])}
                self._pipelines[country] = Frontlines(
                    Settings(**settings), gazetteer=base._gazetteer, nlp=base._nlp,
                    extractor=base._extractor)
        return self._pipelines[country]
