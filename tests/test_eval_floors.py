"""Floors under the figures the project reports: once met, a figure may not regress unseen.

Each test runs the real pipeline on a gold set (or an evenly spread sample of it) through
``evaluate_events`` and checks the figure against a floor a little under the value measured
when it was pinned (the margin absorbs sampling, not regressions). Sets under ../shared/data
skip with a reason when absent. Raise a floor when a figure rises; never lower one to pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_file

from frontlines.events.evaluate import PublishedFrom, evaluate_events

GOLD = Path(__file__).parent / "gold"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extract(nlp, offline_gazetteer):
    from frontlines.gazetteer import Gazetteer
    from frontlines.pipeline import Frontlines

    frontlines = Frontlines(gazetteer=Gazetteer(offline_gazetteer), nlp=nlp)
    return lambda article: [e for a in frontlines.analyse([article]) for e in a.events]


def test_team_gold_development_split(extract):
    report = evaluate_events(GOLD / "dev_events.csv", extract=extract)
    assert report.precision >= 0.88 and report.recall >= 0.94, report.events
    assert report.accuracy("sub_event_type") >= 0.94
    assert report.accuracy("actor1") >= 0.86
    assert report.false_event_rate <= 0.05


def test_team_gold_test_split(extract):
    """The held-apart split: never tuned on, only floored."""
    report = evaluate_events(GOLD / "test_events.csv", extract=extract)
    assert report.precision >= 0.77 and report.recall >= 0.85, report.events
    assert report.accuracy("event_type") >= 0.84
    assert report.accuracy("sub_event_type") >= 0.75
    assert report.false_event_rate <= 0.16


@pytest.mark.shared
def test_bbc_news_yields_almost_no_event(extract):
    """Issue 9: at most 2% of sport, business, tech and entertainment articles yield any."""
    report = evaluate_events(shared_file("dev/bbc_news/bbc_news_2225.csv"), extract=extract,
                             sample=250, published_from=PublishedFrom.parse("2005-01-01"))
    texts = hits = 0
    for category, (n, hit) in report.negative_categories.items():
        if category != "politics":
            texts, hits = texts + n, hits + hit
    assert texts >= 150 and hits / texts <= 0.02, report.negative_categories


@pytest.mark.shared
def test_acled_middle_east_sample(extract):
    report = evaluate_events(shared_file("dev/acled_middle_east_2022h1/acled.csv"),
                             extract=extract, sample=250)
    assert report.precision >= 0.89 and report.recall >= 0.94, report.events
    assert report.accuracy("event_type") >= 0.85
    assert report.accuracy("sub_event_type") >= 0.84
    assert report.accuracy("actor1") >= 0.67  # strict: country and period kept
    assert report.accuracy("fatalities") >= 0.85


@pytest.mark.shared
def test_geovirus_recognition_and_resolution(nlp, offline_gazetteer):
    """Issue 10: placement work may not cost the geoparser what it had (Acc@161 over every
    gold toponym, a miss counting as the worst error)."""
    from frontlines.gazetteer import Gazetteer
    from frontlines.geoparse import Geoparser, evaluate_geoparse

    geoparser = Geoparser(Gazetteer(offline_gazetteer), nlp=nlp)
    report = evaluate_geoparse([shared_file("dev/geovirus/GeoVirus.xml")], geoparser=geoparser)
    assert report.overall.exact_f1 >= 0.88, report.overall
    assert report.overall.acc_161 >= 0.78, report.overall
