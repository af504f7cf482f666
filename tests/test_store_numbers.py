"""ACLED numbering (event_id_cnty = ISO3 + number per store and country) and the timestamp
of an event's last change; upgrading a store made by revision 0001."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from frontlines.model import Analysis, Article
from frontlines.store import Store, event_key, schema

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "store"))
import store_synth as synth
from pg import pg_database, pg_url  # noqa: F401


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'frontlines.db'}"
    return pg_database(request.getfixturevalue("pg_url"))


def _numbers(events) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for event in events:
        out.setdefault(event.event_id_cnty[:3], []).append(int(event.event_id_cnty[3:]))
    return {iso3: sorted(numbers) for iso3, numbers in out.items()}


def test_each_country_is_numbered_from_one_without_gaps(db_url):
    items = synth.analyses(40, seed=7)
    with Store(db_url, corroborate=False) as store:
        store.ingest(items, batch_size=6)
        events = store.events()
    by_country = _numbers(events)
    assert set(by_country) == {e.iso3 for e in events} == {"LBN", "SYR"}
    for iso3, numbers in by_country.items():
        assert numbers == list(range(1, len(numbers) + 1)), iso3
    assert len({e.event_id_cnty for e in events}) == len(events)


def test_numbers_are_stable_across_reopening_and_reingest(db_url):
    items = synth.analyses(20, seed=3)
    with Store(db_url, corroborate=False) as store:
        store.ingest(items)
        before = {event_key(e): e.event_id_cnty for e in store.events()}
    with Store(db_url, corroborate=False) as store:
        store.ingest(items)
        assert {event_key(e): e.event_id_cnty for e in store.events()} == before


def test_a_number_is_never_given_twice(db_url):
    items = synth.analyses(10, seed=4)
    with Store(db_url, corroborate=False) as store:
        store.ingest(items[:5])
        events = store.events()
        top = max(events, key=lambda e: int(e.event_id_cnty[3:]) if e.iso3 == "LBN" else 0)
        # Remove the newest Lebanese event by hand: its number stays used.
        with store.engine.begin() as conn:
            conn.execute(schema.events.delete().where(
                schema.events.c.event_id == event_key(top)))
        store.ingest(items[5:])
        after = store.events()
    assert top.event_id_cnty not in {e.event_id_cnty for e in after}
    lebanese = _numbers(after)["LBN"]
    assert len(lebanese) == len(set(lebanese))


def test_an_event_without_a_country_is_numbered_xxx(db_url):
    (event,) = synth.analyses(1, seed=1, pool_size=1)[0].events
    article = Article.make(text="a report with no country", source="Naharnet")
    unplaced = event.replace(iso3="", iso=0, country="", article_id=article.id,
                             geonameid=None, location="")
    with Store(db_url) as store:
        store.ingest([Analysis(article=article, events=(unplaced,))])
        (stored,) = store.events()
    assert stored.event_id_cnty == "XXX1"


def test_timestamp_is_the_last_change(db_url):
    from test_store import NNA, STAR

    with Store(db_url) as store:
        start = int(time.time())
        store.ingest([NNA])
        (first,) = store.events()
        assert start - 1 <= first.timestamp <= int(time.time()) + 1
        # A new source changes the event: its timestamp moves on, its number does not.
        with store.engine.begin() as conn:
            conn.execute(schema.events.update().values(timestamp=first.timestamp - 3600,
                                                       updated_at=dt.datetime(2020, 1, 1,
                                                                              tzinfo=dt.UTC)))
        assert store.events()[0].timestamp == first.timestamp - 3600
        store.ingest([STAR])
        (second,) = store.events()
        assert second.event_id_cnty == first.event_id_cnty
        assert second.timestamp >= first.timestamp
        # Re-ingesting is a no-op: no change, same timestamp.
        store.ingest([NNA, STAR])
        assert store.events() == [second]


# -- upgrading an old store ------------------------------------------------------------------
def _store_at_0001(url: str, items: list[Analysis]) -> None:
    """A database at revision 0001 holding ``items``, written with that revision's columns."""
    from alembic import command
    from alembic.config import Config

    from frontlines.store._migrate import MIGRATIONS
    from frontlines.store._rows import _article_row, _event_row, _source_row, _toponym_row

    engine = sa.create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        old = sa.MetaData()
        old.reflect(conn)
        now = dt.datetime(2017, 8, 20, 12, tzinfo=dt.UTC)
        events: dict[str, dict] = {}
        sources = {}
        for n, analysis in enumerate(items):
            conn.execute(old.tables["articles"].insert(),
                         [_article_row(analysis.article, now + dt.timedelta(minutes=n))])
            for toponym in analysis.toponyms:
                conn.execute(old.tables["toponyms"].insert(),
                             [_toponym_row(analysis.article.id, toponym)])
            for event in analysis.events:
                key = event_key(event)
                row = _event_row(key, event, now + dt.timedelta(minutes=n))
                events.setdefault(key, {k: v for k, v in row.items()
                                        if k in old.tables["events"].c})
                sources[(key, event.article_id, event.char_start)] = _source_row(key, event)
        conn.execute(old.tables["events"].insert(), list(events.values()))
        conn.execute(old.tables["event_sources"].insert(), list(sources.values()))
    engine.dispose()


def test_upgrading_a_0001_store_keeps_its_rows_and_numbers_them(db_url):
    items = synth.analyses(12, seed=8)
    _store_at_0001(db_url, items)
    with Store(db_url, corroborate=False) as store:
        counts = store.counts()
        assert counts == synth.expected_counts(items)
        events = store.events()
        for iso3, numbers in _numbers(events).items():
            assert numbers == list(range(1, len(numbers) + 1)), iso3
        assert all(e.timestamp >= int(dt.datetime(2017, 8, 20, 12, tzinfo=dt.UTC).timestamp())
                   for e in events)
        if store.spatial == "postgresql+postgis":  # the geometry is filled for old rows
            with store.engine.connect() as conn:
                assert conn.scalar(sa.text("SELECT count(*) FROM events WHERE geom IS NULL "
                                           "AND latitude IS NOT NULL")) == 0
                assert conn.scalar(sa.text("SELECT count(geom) FROM events")) == len(events)
        # New events continue each country's series.
        more = synth.analyses(30, seed=9)
        store.ingest(more)
        after = _numbers(store.events())
    for iso3, numbers in after.items():
        assert len(numbers) == len(set(numbers)) and min(numbers) == 1, iso3
