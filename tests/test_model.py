"""Typed records: lossless JSON round-trip, stable ids, clear decode errors."""

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontlines.model import (
    ACLED_COLUMNS, PROVENANCE_COLUMNS, Actor, Analysis, Article, Event, Place, Toponym,
)

text = st.text(max_size=40)
opt_text = st.none() | text
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))
datetimes = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2030, 1, 1))

places = st.builds(Place, geonameid=st.integers(1, 10**9), name=text, country_code=text,
                   latitude=st.floats(-90, 90), longitude=st.floats(-180, 180),
                   feature_class=text, feature_code=text, admin1=opt_text, admin2=opt_text,
                   population=st.integers(0, 10**8))
toponyms = st.builds(Toponym, text=text, start=st.integers(0, 10**5), end=st.integers(0, 10**5),
                     place=st.none() | places, reason=text, score=finite,
                     geo_precision=st.none() | st.integers(1, 3))
actors = st.builds(Actor, name=text, inter=st.integers(0, 8), country=opt_text, text=opt_text)
articles = st.builds(Article, id=text, text=text, title=opt_text, url=opt_text,
                     published=st.none() | dates | datetimes, source=opt_text)
events = st.builds(Event, event_id_cnty=text, event_date=dates, event_type=text,
                   sub_event_type=text, actor1=text, fatalities=st.integers(0, 10**4),
                   latitude=st.none() | st.floats(-90, 90), longitude=st.none() | finite,
                   geonameid=st.none() | st.integers(1, 10**9), confidence=st.floats(0, 1),
                   actors=st.lists(actors, max_size=3).map(tuple))


@settings(max_examples=60)
@given(st.builds(Analysis, article=articles, toponyms=st.lists(toponyms, max_size=3).map(tuple),
                 events=st.lists(events, max_size=3).map(tuple)))
def test_analysis_round_trips_through_json(analysis):
    encoded = json.dumps(analysis.to_dict())
    assert Analysis.from_dict(json.loads(encoded)) == analysis


@given(articles)
def test_article_round_trip_keeps_date_vs_datetime(article):
    back = Article.from_dict(json.loads(json.dumps(article.to_dict())))
    assert back == article
    assert type(back.published) is type(article.published)


def test_content_id_is_stable_and_given_id_wins():
    a = Article.make(text="The army took Ras Baalbek hills.", title="Hills taken",
                     published=dt.date(2017, 8, 19))
    b = Article.make(text="The army took Ras Baalbek hills.", title="Hills taken",
                     published=dt.date(2017, 8, 19))
    c = Article.make(text="The army took Qaa hills.", title="Hills taken")
    assert a.id == b.id != c.id
    assert Article.make(text="x", id="wire-123").id == "wire-123"


def test_full_text_offsets_cover_title_and_body():
    article = Article.make(text="Body here.", title="Title")
    assert article.full_text.index("Body") == len("Title\n\n")


def test_unknown_field_is_named():
    with pytest.raises(ValueError, match="unknown field"):
        Place.from_dict({"geonameid": 1, "name": "x", "country_code": "LB", "latitude": 0,
                         "longitude": 0, "elevation": 3})


def test_event_has_every_acled_column_and_provenance():
    names = {f for f in Event.__dataclass_fields__}
    assert set(ACLED_COLUMNS) <= names
    assert set(PROVENANCE_COLUMNS) <= names
    assert len(ACLED_COLUMNS) == len(set(ACLED_COLUMNS)) == 31
