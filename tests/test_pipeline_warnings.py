"""No silent empties: an article without a date still yields its events, with a warning that
names --published; an article in another language gets one warning, not "0 events"."""

from __future__ import annotations

import datetime as dt

import pytest

from frontlines.model import Article
from frontlines.pipeline import Frontlines, RunReport


@pytest.fixture(scope="module")
def frontlines(nlp, offline_gazetteer):
    from frontlines.gazetteer import Gazetteer

    return Frontlines(gazetteer=Gazetteer(offline_gazetteer), nlp=nlp)


@pytest.mark.slow
def test_an_undated_article_keeps_its_events_and_says_what_date_was_used(frontlines):
    article = Article.make(text="Government artillery shelled the outskirts of Idlib yesterday, "
                                "killing three civilians, a monitoring group said.",
                           title="Shelling kills three")
    report = RunReport()
    events = [e for a in frontlines.analyse([article], report=report) for e in a.events]
    assert events and events[0].event_date == dt.date.today() - dt.timedelta(days=1)
    assert len(report.warnings) == 1 and "--published" in report.warnings[0]


@pytest.mark.slow
def test_an_article_in_another_language_is_named_once(frontlines):
    spanish = Article.make(
        text="La artillería del gobierno bombardeó ayer las afueras de Idlib y mató a tres "
             "civiles, según un grupo de vigilancia que sigue el conflicto desde el principio.",
        title="Bombardeo en Idlib", published=dt.date(2020, 2, 2))
    english = Article.make(text="Protesters blocked the main road in Tripoli on Sunday against "
                                "power cuts.", title="Road blocked", published=dt.date(2020, 2, 2))
    report = RunReport()
    analyses = list(frontlines.analyse([spanish, english], report=report))
    assert [len(a.events) for a in analyses][0] == 0 and analyses[1].events
    assert len(report.warnings) == 1 and "Spanish" in report.warnings[0]
    assert report.problems == [] and report.articles_processed == 2
