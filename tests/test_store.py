"""The store on SQLite and PostgreSQL: schema, idempotent ingest, merging, queries, errors."""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings

from frontlines.errors import StoreError
from frontlines.model import Actor, Analysis, Article, Event, Place, Toponym
from frontlines.store import EventSource, IngestStats, Store, event_key, mask_url, schema

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "store"))
import store_strategies as strategies
import store_synth as synth
from pg import pg_database, pg_url  # noqa: F401

QAA = Place(geonameid=279268, name="El Qaa", country_code="LB", latitude=34.34417,
            longitude=36.47444, feature_class="P", feature_code="PPL",
            admin1="Baalbek-Hermel Governorate", admin1_code="11")
RAS_BAALBEK = Place(geonameid=268745, name="Ras Baalbek", country_code="LB",
                    latitude=34.25889, longitude=36.41917, feature_class="P",
                    feature_code="PPL", admin1="Baalbek-Hermel Governorate", admin1_code="11")
ARMY = Actor(name="Military Forces of Lebanon (2016-)", inter=1, country="LB",
             text="the Lebanese Army")
IS = Actor(name="Islamic State (Syria)", inter=2, country="SY", text="Islamic State fighters")


def report(*, outlet: str, title: str, text: str, fatalities: int = 0,
           published: dt.date | dt.datetime = dt.date(2017, 8, 19),
           swap: bool = False) -> Analysis:
    """An article about the first day of the Ras Baalbek offensive, with its clash event."""
    article = Article.make(title=title, text=text, source=outlet, published=published,
                           url=f"https://example.org/{outlet.lower().replace(' ', '-')}/qaa")
    full = article.full_text
    toponyms = []
    for place, name in ((QAA, "Qaa"), (RAS_BAALBEK, "Ras Baalbek")):
        at = full.find(name)
        if at >= 0:
            toponyms.append(Toponym(text=name, start=at, end=at + len(name), place=place,
                                    reason="exact name, country focus LB", score=0.93,
                                    geo_precision=1, recognizer="ner"))
    sentence = next(s for s in text.split("\n") if "clash" in s)
    start = full.index(sentence)
    a1, a2 = (IS, ARMY) if swap else (ARMY, IS)
    event = Event(
        event_id_cnty="LBN5541", event_date=dt.date(2017, 8, 19), year=2017,
        disorder_type="Political violence", event_type="Battles",
        sub_event_type="Armed clash", actor1=a1.name, inter1=a1.inter, actor2=a2.name,
        inter2=a2.inter, interaction=12, iso=422, iso3="LBN", region="Middle East",
        country="Lebanon", admin1="Baalbek-Hermel Governorate", admin2="Hermel",
        location="El Qaa", latitude=QAA.latitude, longitude=QAA.longitude, geo_precision=2,
        source=outlet, source_scale="National", notes=sentence, fatalities=fatalities,
        article_id=article.id, sentence=sentence, char_start=start,
        char_end=start + len(sentence), trigger="clashed", confidence=0.8,
        claim_source="army statement", certainty="reported", geonameid=QAA.geonameid,
        actors=(a1, a2))
    return Analysis(article=article, toponyms=tuple(toponyms), events=(event,))


NNA = report(
    outlet="National News Agency", fatalities=3,
    title="Army launches 'Dawn of the Outskirts' east of Ras Baalbek",
    text="The Lebanese Army began its offensive against Islamic State positions in the "
         "hills of Ras Baalbek and Qaa at dawn on Saturday.\n"
         "Troops clashed with militants on the outskirts of Qaa, killing three of them, "
         "an army statement said.")
STAR = report(
    outlet="The Daily Star", fatalities=5, swap=True,
    published=dt.datetime(2017, 8, 19, 18, 5, tzinfo=dt.UTC),
    title="Lebanese troops advance on ISIS in the Qaa barrens",
    text="Islamic State fighters clashed with the army near Qaa on Saturday; the army "
         "said at least five militants were killed.\n"
         "The operation targets about 120 square kilometres of barren hills near Ras Baalbek.")
STAR_FOLLOW_UP = report(
    outlet="The Daily Star", fatalities=3,
    title="Army says it holds hilltops near Qaa",
    text="A day after the army clashed with militants on the outskirts of Qaa, officers "
         "said the hilltops were secured.")


def same_event(stored: Event, given: Event) -> bool:
    """The stored event is the given one, but for the store's ACLED number and timestamp."""
    return stored.replace(event_id_cnty=given.event_id_cnty, timestamp=given.timestamp) == given


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'frontlines.db'}"
    return pg_database(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(db_url):
    # Exact identity only: corroboration across differently worded reports (which would
    # join some random or synthetic events here) is tested in test_store_merge.py.
    opened = Store(db_url, corroborate=False)
    yield opened
    opened.close()


# -- schema ------------------------------------------------------------------------------
def test_migrated_schema_matches_the_metadata(store):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": True, "include_object": schema.include_object})
        assert compare_metadata(context, schema.metadata) == []
        assert context.get_current_revision() is not None


def test_every_event_field_has_a_column():
    import dataclasses

    fields = {f.name for f in dataclasses.fields(Event)}
    assert fields <= set(schema.events.c.keys())


def test_reopening_keeps_data_and_revision(db_url):
    with Store(db_url) as first:
        first.ingest([NNA])
    with Store(db_url) as second:
        assert second.counts()["articles"] == 1
        assert second.has_article(NNA.article.id)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    path = tmp_path / "wal.db"
    with Store(f"sqlite:///{path}") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    # Another program sees a WAL database too.
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_creates_missing_folders(tmp_path):
    path = tmp_path / "a" / "b" / "events.db"
    with Store(f"sqlite:///{path}") as store:
        assert store.counts() == {"articles": 0, "toponyms": 0, "events": 0,
                                  "event_sources": 0}
    assert path.exists()


def test_in_memory_store():
    with Store("sqlite://") as store:
        stats = store.ingest([NNA, STAR])
        assert (stats.articles_new, stats.events_new, stats.events_merged) == (2, 1, 1)


# -- round trips -------------------------------------------------------------------------
def test_article_toponyms_and_event_round_trip(store):
    store.ingest([NNA])
    article = NNA.article
    assert store.article(article.id) == article
    assert list(store.articles()) == [article]
    assert store.toponyms(article.id) == sorted(NNA.toponyms, key=lambda t: t.start)
    (stored,) = store.events()
    assert same_event(stored, NNA.events[0])
    assert stored.event_id_cnty == "LBN1"
    assert abs(stored.timestamp - time.time()) < 60


def test_datetime_published_round_trips(store):
    store.ingest([STAR])
    assert store.article(STAR.article.id).published == STAR.article.published
    assert store.article("no-such-id") is None


def test_any_event_round_trips(store):
    counter = iter(range(10**6))

    @settings(max_examples=40, deadline=None)
    @given(event=strategies.events)
    def check(event):
        # A fresh place per example, so no two examples are the same event.
        n = next(counter)
        event = (event.replace(geonameid=10**9 + n) if event.geonameid is not None
                 else event.replace(location=f"{event.location}#{n}"))
        article = Article.make(text=f"report {n} on {event_key(event)}", source="Naharnet")
        event = event.replace(article_id=article.id)
        stats = store.ingest([Analysis(article=article, events=(event,))])
        assert stats.events_new == 1
        assert same_event(store.event(event_key(event)), event)

    check()
    assert store.event("0" * 32) is None


# -- idempotency and batches ---------------------------------------------------------------
def test_ingest_counts_match_an_independent_count_and_reingest_changes_nothing(store):
    items = synth.analyses(90, seed=11)
    expected = synth.expected_counts(items)
    first = store.ingest(items, batch_size=16)
    assert store.counts() == expected
    assert first.articles_new == 90
    assert first.toponyms_new == expected["toponyms"]
    assert first.events_new == expected["events"]
    assert first.events_new + first.events_merged == sum(len(a.events) for a in items)
    assert first.batches == 6

    again = store.ingest(items, batch_size=7)
    assert again == IngestStats(articles_skipped_existing=90, batches=13)
    assert store.counts() == expected


def test_ingest_in_any_order_and_batching_gives_the_same_rows(db_url, tmp_path):
    items = synth.analyses(40, seed=5)
    with Store(db_url, corroborate=False) as store:
        store.ingest(items, batch_size=3)
        first = store.events()
    with Store(f"sqlite:///{tmp_path / 'other.db'}", corroborate=False) as other:
        other.ingest(reversed(items), batch_size=40)
        assert other.counts()["events"] == len(first)
        assert {event_key(e) for e in other.events()} == {event_key(e) for e in first}


def test_progress_is_called_after_each_batch(store):
    calls = []
    items = synth.analyses(20, seed=3)
    store.ingest(items, batch_size=7, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(7, 20), (14, 20), (20, 20)]
    calls.clear()
    store.ingest(iter(items), batch_size=10,
                 progress=lambda done, total: calls.append((done, total)))
    assert calls == [(10, None), (20, None)]


def test_the_same_article_twice_in_one_batch_is_stored_once(store):
    stats = store.ingest([NNA, NNA, STAR])
    assert (stats.articles_new, stats.articles_skipped_existing) == (2, 1)
    assert store.counts()["event_sources"] == 2


def test_a_failing_batch_leaves_nothing_behind(store):
    good = synth.analyses(6, seed=9)
    # A toponym without text breaks a NOT NULL constraint: the database refuses the batch
    # after its articles were already inserted inside the transaction.
    bad_toponym = good[5].toponyms[0].replace(text=None)
    broken = good[5].replace(toponyms=(bad_toponym, *good[5].toponyms[1:]))
    with pytest.raises(StoreError, match=r"could not store a batch of 3 article\(s\).*nothing"):
        store.ingest([*good[:5], broken], batch_size=3)
    # The first batch (3 articles) committed; the second (2 good + the broken one) did not.
    assert store.counts() == synth.expected_counts(good[:3])
    assert [a.id for a in store.articles()] == sorted(a.article.id for a in good[:3])
    stats = store.ingest(good, batch_size=3)
    assert (stats.articles_new, stats.articles_skipped_existing) == (3, 3)
    assert store.counts() == synth.expected_counts(good)


def test_batch_size_must_be_positive(store):
    with pytest.raises(ValueError, match=r"batch_size"):
        store.ingest([NNA], batch_size=0)


# -- merging and independent sources ----------------------------------------------------------
def test_one_event_reported_by_two_outlets_is_one_event_with_two_sources(store):
    stats = store.ingest([NNA, STAR])
    assert (stats.events_new, stats.events_merged) == (1, 1)
    assert store.counts()["events"] == 1
    (event,) = store.events()
    # First report wins the identity fields; outlets are listed ACLED-style; the lowest
    # reported death toll is kept; the best confidence is kept.
    assert event.actor1 == ARMY.name
    assert event.source == "National News Agency; The Daily Star"
    assert event.fatalities == 3
    event_id = event_key(event)
    sources = store.event_sources(event_id)
    assert [s.source for s in sources] == ["National News Agency", "The Daily Star"]
    assert all(isinstance(s, EventSource) for s in sources)
    star_source = sources[1]
    assert star_source.article_id == STAR.article.id
    assert star_source.fatalities == 5
    assert STAR.article.full_text[star_source.char_start:star_source.char_end] == \
        star_source.sentence
    assert store.source_counts() == {event_id: 2}
    assert store.independent_sources(event) == 2
    assert store.events(min_sources=2) == [event]


def test_two_articles_of_one_outlet_are_one_independent_source(store):
    store.ingest([STAR, STAR_FOLLOW_UP])
    (event,) = store.events()
    assert len(store.event_sources(event_key(event))) == 2
    assert store.independent_sources(event) == 1
    assert store.events(min_sources=2) == []
    store.ingest([NNA])
    assert store.independent_sources(event) == 2


def test_event_key_identity():
    (clash,) = NNA.events
    assert event_key(clash) == event_key(STAR.events[0])  # actors swapped: same clash
    assert len(event_key(clash)) == 32
    shelling = clash.replace(sub_event_type="Shelling/artillery/missile attack")
    reversed_shelling = shelling.replace(actor1=clash.actor2, actor2=clash.actor1)
    assert event_key(shelling) != event_key(reversed_shelling)
    assert event_key(clash.replace(actor1="  military forces of LEBANON (2016-) ")) == \
        event_key(clash)
    assert event_key(clash.replace(event_date=dt.date(2017, 8, 20))) != event_key(clash)
    assert event_key(clash.replace(geonameid=RAS_BAALBEK.geonameid)) != event_key(clash)
    # Unresolved places fall back to location name and country.
    unresolved = clash.replace(geonameid=None)
    assert event_key(unresolved) == event_key(unresolved.replace(location="el qaa"))
    assert event_key(unresolved) != event_key(unresolved.replace(location="Hermel"))
    # Fields outside the identity do not matter.
    assert event_key(clash.replace(notes="other", fatalities=9, source="X")) == \
        event_key(clash)


# -- queries ---------------------------------------------------------------------------
def test_events_filter_by_dates_and_country(store):
    items = synth.analyses(60, seed=21)
    store.ingest(items)
    every = store.events()
    # Oldest first, then by country and ACLED number (LBN2 before LBN10).
    assert every == sorted(every, key=lambda e: (e.event_date, e.iso3,
                                                 int(e.event_id_cnty[3:])))
    days = sorted({e.event_date for e in every})
    middle = days[len(days) // 2]
    assert store.events(since=middle) == [e for e in every if e.event_date >= middle]
    assert store.events(until=middle) == [e for e in every if e.event_date <= middle]
    assert store.events(since=middle, until=middle) == [e for e in every
                                                        if e.event_date == middle]
    lebanon = [e for e in every if e.iso3 == "LBN"]
    syria = [e for e in every if e.iso3 == "SYR"]
    assert lebanon and syria
    for name in ("Lebanon", "lebanon", "LB", "lb", "LBN"):
        assert store.events(country=name) == lebanon
    for name in ("Syria", "SY", "SYR"):
        assert store.events(country=name) == syria
    assert store.events(country="Iraq") == []
    assert store.events(country="Narnia") == []


def test_country_by_name_when_iso3_is_missing(store):
    (event,) = NNA.events
    store.ingest([NNA.replace(events=(event.replace(iso3="", iso=0),))])
    assert len(store.events(country="LB")) == 1


def test_has_article(store):
    assert not store.has_article(NNA.article.id)
    store.ingest([NNA])
    assert store.has_article(NNA.article.id)
    assert not store.has_article(STAR.article.id)


# -- errors ----------------------------------------------------------------------------
def test_not_a_url():
    with pytest.raises(StoreError, match=r"not a database URL.*sqlite:///") as info:
        Store("events.db")
    assert "FRONTLINES_DB" in str(info.value)


def test_unsupported_database():
    with pytest.raises(StoreError, match=r"unsupported database 'mysql'"):
        Store("mysql://root:hunter2@localhost/events")


def test_unreachable_postgresql_names_the_url_without_its_password():
    with socket_closed_port() as port:
        url = f"postgresql+psycopg://frontlines:s3cr3t@127.0.0.1:{port}/events"
        with pytest.raises(StoreError) as info:
            Store(url)
    message = str(info.value)
    assert f"frontlines:***@127.0.0.1:{port}/events" in message
    assert "s3cr3t" not in message
    assert "server is running" in message


def test_bare_postgresql_scheme_uses_psycopg():
    with socket_closed_port() as port, pytest.raises(StoreError) as info:
        Store(f"postgresql://u:pw@127.0.0.1:{port}/db")
    assert "postgresql+psycopg://u:***@" in str(info.value)


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("Qaa, 19 August 2017: fighting in the barrens.\n" * 200)
    with pytest.raises(StoreError, match=r"notes.db") as info:
        Store(f"sqlite:///{path}")
    assert "is a Frontlines SQLite database" in str(info.value)


def test_unknown_schema_revision(tmp_path):
    url = f"sqlite:///{tmp_path / 'future.db'}"
    Store(url).close()
    with sqlite3.connect(tmp_path / "future.db") as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0999'")
    with pytest.raises(StoreError, match=r"revision '0999'.*upgrade Frontlines"):
        Store(url)


def test_a_sqlite_file_of_another_program_is_not_taken_over(tmp_path):
    path = tmp_path / "gazetteer.sqlite"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE places (geonameid INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(StoreError, match=r"not a Frontlines database.*places"):
        Store(f"sqlite:///{path}")
    with sqlite3.connect(path) as raw:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
    assert tables == {"places"}


@pytest.mark.postgres
def test_a_database_that_went_away_is_a_store_error(pg_url):  # noqa: F811
    url = pg_database(pg_url)
    store = Store(url)
    store.ingest([NNA])
    store.close()
    with sa.create_engine(pg_url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE "{sa.make_url(url).database}" WITH (FORCE)')
    with pytest.raises(StoreError, match=r"cannot read the database.*server is running") as info:
        store.counts()
    assert store.url in str(info.value)


def test_mask_url():
    assert mask_url("postgresql+psycopg://u:pa55@db:5432/x") == "postgresql+psycopg://u:***@db:5432/x"
    assert mask_url(sa.make_url("postgresql://u:pa55@db/x")) == "postgresql://u:***@db/x"
    assert mask_url("sqlite:///tmp/x.db") == "sqlite:///tmp/x.db"


class socket_closed_port:
    """A 127.0.0.1 port nobody listens on (bound, then released)."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    def __exit__(self, *exc: object) -> None:
        return None
