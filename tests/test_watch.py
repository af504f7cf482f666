"""The feed watcher against feeds and pages served on 127.0.0.1 (model-free pipeline).

Conditional GETs, per-feed backoff, outlet name and home country from FEEDS.yaml, seen
pages skipped, a failing feed or page never stopping the others, and clear config errors.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import blank_nlp
from watch_site import Site, page_html, rss

from frontlines.errors import ConfigError
from frontlines.pipeline import Frontlines
from frontlines.settings import Settings
from frontlines.watch import MAX_ATTEMPTS, FeedSpec, Watcher, WatchState, feeds_from, parse_every

DAY = dt.date(2017, 8, 19)


class _NoPlaces:
    def geoparse_doc(self, doc, *, article):
        return ()


class _NoEvents:
    def extract(self, article, doc, toponyms):
        return ()


class _Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _story(number: int) -> str:
    return page_html(f"Clashes near Arsal, day {number}", [
        f"Lebanese army units shelled militant positions near Arsal on day {number}, a "
        "security source said, adding that the operation would go on.",
        "Residents said they heard heavy artillery through the night and that several "
        "families had left for Baalbek before the fighting reached the outskirts."])


def _site_with(site: Site, feed: str, numbers: list[int]) -> None:
    items = []
    for n in numbers:
        site.pages[f"/news/{n}"] = _story(n)
        items.append((f"/news/{n}", f"Clashes near Arsal, day {n}", DAY))
    site.feeds[feed] = rss(site.base, items)


@pytest.fixture
def site():
    with Site() as running:
        yield running


def _watcher(tmp_path: Path, feeds, *, clock=None, every=60.0):
    fl = Frontlines(Settings(db=f"sqlite:///{tmp_path / 'events.db'}"), nlp=blank_nlp(),
                    geoparser=_NoPlaces(), extractor=_NoEvents())
    state = WatchState(tmp_path / "watch.sqlite")
    return Watcher(feeds, frontlines=fl, store=fl.store(), state=state, every=every,
                   clock=clock or _Clock())


def test_new_pages_are_ingested_once_and_the_feed_is_fetched_conditionally(site, tmp_path):
    _site_with(site, "/feed.xml", [1, 2, 3])
    watcher = _watcher(tmp_path, [FeedSpec(f"{site.base}/feed.xml", source="Test Wire")])
    first = watcher.poll()
    assert (first.pages_fetched, first.pages_ingested, first.problems) == (3, 3, [])
    articles = list(watcher.store.articles())
    assert len(articles) == 3 and {a.source for a in articles} == {"Test Wire"}
    assert {a.url for a in articles} == {f"{site.base}/news/{n}" for n in (1, 2, 3)}
    second = watcher.poll()  # the feed has not changed: 304, no page fetched
    assert second.feeds_unchanged == 1 and second.pages_fetched == 0
    assert site.headers["/feed.xml"][-1].get("If-None-Match")
    _site_with(site, "/feed.xml", [1, 2, 3, 4])  # a new item: only its page is fetched
    third = watcher.poll()
    assert third.pages_fetched == 1 and third.pages_ingested == 1
    assert [site.hits[f"/news/{n}"] for n in (1, 2, 3, 4)] == [1, 1, 1, 1]
    assert watcher.store.counts()["articles"] == 4
    assert watcher.state.counts() == {"ingested": 4}


def test_a_failing_feed_backs_off_and_does_not_stop_the_others(site, tmp_path):
    _site_with(site, "/good.xml", [1, 2])
    site.broken.add("/bad.xml")
    clock = _Clock()
    watcher = _watcher(tmp_path, [FeedSpec(f"{site.base}/bad.xml"),
                                  FeedSpec(f"{site.base}/good.xml")], clock=clock, every=60)
    report = watcher.poll()
    assert report.feeds_failed == 1 and report.pages_ingested == 2
    assert "HTTP 503" in report.problems[0] and "/bad.xml" in report.problems[0]
    clock.now += 30  # within the first delay (60 s): not polled
    assert watcher.poll().feeds_waiting == 1 and site.hits["/bad.xml"] == 1
    clock.now += 31  # polled again, fails again: now it waits 120 s
    assert watcher.poll().feeds_failed == 1 and site.hits["/bad.xml"] == 2
    clock.now += 100
    assert watcher.poll().feeds_waiting == 1
    site.broken.clear()
    site.feeds["/bad.xml"] = site.feeds["/good.xml"]
    clock.now += 21
    healed = watcher.poll()
    assert healed.feeds_failed == 0 and healed.feeds_waiting == 0
    assert watcher.state.feed(f"{site.base}/bad.xml").failures == 0


def test_a_failing_page_is_named_and_tried_again_up_to_a_limit(site, tmp_path):
    _site_with(site, "/feed.xml", [1, 2])
    site.broken.add("/news/1")
    watcher = _watcher(tmp_path, [FeedSpec(f"{site.base}/feed.xml")])
    report = watcher.poll()
    assert report.pages_failed == 1 and report.pages_ingested == 1
    assert f"{site.base}/news/1" in report.problems[0] and "503" in report.problems[0]
    for _ in range(MAX_ATTEMPTS + 2):
        site.feeds["/feed.xml"] += b" "  # a changed feed (new ETag): read again
        watcher.poll()
    assert site.hits["/news/1"] == MAX_ATTEMPTS and site.hits["/news/2"] == 1
    assert watcher.state.item(f"{site.base}/news/1") == ("failed", MAX_ATTEMPTS)


def test_a_feed_that_is_no_feed_is_a_failure_naming_it(site, tmp_path):
    site.pages["/page.html"] = _story(9)
    watcher = _watcher(tmp_path, [FeedSpec(f"{site.base}/page.html")])
    report = watcher.poll()
    assert report.feeds_failed == 1 and "not an RSS or Atom feed" in report.problems[0]


def test_home_country_joins_the_area_of_interest(site, tmp_path):
    watcher = _watcher(tmp_path, [])
    assert watcher._pipeline(None) is watcher.frontlines
    lebanese = watcher._pipeline("LB")
    assert "LB" in lebanese.settings.region and lebanese.nlp is watcher.frontlines.nlp


def test_feeds_yaml_is_read_and_its_mistakes_named(tmp_path):
    good = tmp_path / "feeds.yaml"
    good.write_text("feeds:\n  - url: https://example.org/a.xml\n    source: Naharnet\n"
                    "    country: lb\n  - https://example.org/b.xml\n", encoding="utf-8")
    assert feeds_from([str(good), "https://example.org/b.xml"]) == [
        FeedSpec("https://example.org/a.xml", "Naharnet", "LB"),
        FeedSpec("https://example.org/b.xml")]
    bad = tmp_path / "bad.yaml"
    bad.write_text("feeds:\n  - url: https://example.org/a.xml\n    country: Lebanon\n",
                   encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.yaml feed 1: country 'Lebanon'.*ISO"):
        feeds_from([str(bad)])
    bad.write_text("feeds:\n  - url: ftp://x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not an http"):
        feeds_from([str(bad)])
    with pytest.raises(ConfigError, match="cannot be read"):
        feeds_from([str(tmp_path / "missing.yaml")])


@pytest.mark.parametrize(("text", "seconds"), [("15m", 900), ("90s", 90), ("1h", 3600),
                                               ("2d", 172800), ("45", 45)])
def test_every_takes_durations(text, seconds):
    assert parse_every(text) == seconds


def test_every_refuses_what_is_no_duration():
    with pytest.raises(ConfigError, match="15m"):
        parse_every("soon")
