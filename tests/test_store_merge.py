"""Corroboration across reports: the rules (pure, on hand-built sightings), merges in the
store on SQLite and PostgreSQL, listing and undoing them, and two real reports of one
event read by the pipeline (slow)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from frontlines.errors import ConfigError, StoreError
from frontlines.model import Actor, Analysis, Article, Event
from frontlines.store import Merge, Store, event_key, schema
from frontlines.store.merge import (
    actor_agrees,
    load_rules,
    match,
    sighting,
    sub_events_agree,
)

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "store"))
import store_synth as synth
from pg import pg_database, pg_url  # noqa: F401

RULES = load_rules()
D = dt.date
ARMY = Actor(name="Military Forces of Lebanon (2016-)", inter=1, country="LB")
IS = Actor(name="Islamic State (Syria)", inter=2, country="SY")
GUNMEN = Actor(name="Unidentified Armed Group (Lebanon)", inter=2, country="LB")
QAA = (279268, "El Qaa", 34.34417, 36.47444)
RAS_BAALBEK = (268745, "Ras Baalbek", 34.25889, 36.41917)  # 10.8 km from El Qaa
FAKIHA = (280221, "Fakiha", 34.245, 36.4042)               # 2.0 km from Ras Baalbek
QAA_PROJECTS = (0, "Qaa Projects", 34.40, 36.45)           # 6.6 km from El Qaa


SATURDAY, SUNDAY = D(2017, 8, 19), D(2017, 8, 20)


def clash(*, outlet: str, day: D = SATURDAY, place=QAA, sub="Armed clash",
          event_type="Battles", actors=(ARMY, IS), precision=1, fatalities=0,
          published: D | None = SUNDAY, text: str | None = None) -> Analysis:
    """One article from ``outlet`` reporting one event."""
    geonameid, name, lat, lon = place
    body = text or f"{outlet}: fighting near {name}."
    article = Article.make(title=f"{outlet} report", text=body, source=outlet,
                           published=published)
    a1, a2 = actors
    event = Event(
        event_id_cnty="LBNX", event_date=day, year=day.year, event_type=event_type,
        sub_event_type=sub, actor1=a1.name, inter1=a1.inter, actor2=a2.name if a2 else "",
        inter2=a2.inter if a2 else 0, iso=422, iso3="LBN", country="Lebanon",
        location=name, latitude=lat, longitude=lon, geo_precision=precision,
        geonameid=geonameid, source=outlet, fatalities=fatalities,
        article_id=article.id, sentence=body, char_start=len(article.title) + 2,
        char_end=len(article.full_text), trigger="fighting", confidence=0.7,
        actors=tuple(a for a in actors if a))
    return Analysis(article=article, events=(event,))


def seen(analysis: Analysis, index: int = 0):
    event = analysis.events[index]
    return sighting(event, event_key(event), analysis.article.published_date)


# -- the rules (pure) ----------------------------------------------------------------------------
def test_sub_events_agree_by_generic_of_the_same_type_only():
    base = seen(clash(outlet="A"))
    retake = seen(clash(outlet="B", sub="Government regains territory"))
    assert "generic" in sub_events_agree(base, retake, RULES)
    air = seen(clash(outlet="C", sub="Air/drone strike", event_type="Explosions/Remote violence"))
    shell = seen(clash(outlet="D", sub="Shelling/artillery/missile attack",
                       event_type="Explosions/Remote violence"))
    assert sub_events_agree(air, shell, RULES) is None  # no generic remote-violence kind
    assert sub_events_agree(base, air, RULES) is None  # different event types
    overtakes = seen(clash(outlet="E", sub="Non-state actor overtakes territory"))
    assert sub_events_agree(retake, overtakes, RULES) is None  # two specific kinds


def test_actor_rules():
    assert actor_agrees(ARMY.name, 1, "military forces of lebanon (2016-)", 1, RULES) == "same"
    assert "period" in actor_agrees(ARMY.name, 1, "Military Forces of Lebanon", 1, RULES)
    assert "unnamed" in actor_agrees(IS.name, 2, "", 0, RULES)
    why = actor_agrees(GUNMEN.name, 2, IS.name, 2, RULES)
    assert why and "covers" in why and "non-state" in why
    assert actor_agrees(IS.name, 2, GUNMEN.name, 2, RULES)  # either side may be general
    assert actor_agrees(GUNMEN.name, 2, ARMY.name, 1, RULES) is None  # not state forces
    assert actor_agrees(ARMY.name, 1, "Military Forces of Syria (2000-)", 1, RULES) is None


def test_a_clash_matches_with_its_sides_in_either_order():
    one = seen(clash(outlet="A"))
    swapped = seen(clash(outlet="B", actors=(IS, ARMY), day=D(2017, 8, 20)))
    assert match(swapped, [one], RULES).kept == one
    shelled = seen(clash(outlet="C", sub="Shelling/artillery/missile attack",
                         event_type="Explosions/Remote violence"))
    reversed_shelling = seen(clash(outlet="D", sub="Shelling/artillery/missile attack",
                                   event_type="Explosions/Remote violence", actors=(IS, ARMY),
                                   day=D(2017, 8, 20)))
    assert match(reversed_shelling, [shelled], RULES) is None  # who shells whom matters


def test_distance_limits_follow_geo_precision():
    qaa = seen(clash(outlet="A"))
    ras_baalbek = seen(clash(outlet="B", place=RAS_BAALBEK))  # 10.8 km: two towns
    assert match(ras_baalbek, [qaa], RULES) is None
    found = match(seen(clash(outlet="B", place=RAS_BAALBEK, precision=3)), [qaa], RULES)
    assert found and "limit 25 km at geo_precision 3" in found.why
    near = match(seen(clash(outlet="C", place=QAA_PROJECTS)), [qaa], RULES)
    assert near and "limit 10 km" in near.why
    far_same_place = seen(clash(outlet="D", place=(QAA[0], "El Qaa", 0.0, 0.0),
                                day=D(2017, 8, 20)))
    assert "same place" in match(far_same_place, [qaa], RULES).why


def test_dates_one_day_or_two_when_dated_by_publication():
    base = seen(clash(outlet="A", day=D(2017, 8, 19), published=D(2017, 8, 21)))
    next_day = seen(clash(outlet="B", day=D(2017, 8, 20), published=D(2017, 8, 21)))
    assert match(next_day, [base], RULES).days == 1
    two_days = seen(clash(outlet="C", day=D(2017, 8, 21), published=D(2017, 8, 22)))
    assert match(two_days, [base], RULES) is None
    dated_by_publication = seen(clash(outlet="D", day=D(2017, 8, 21), published=D(2017, 8, 21)))
    found = match(dated_by_publication, [base], RULES)
    assert found and "dated only by publication" in found.why
    assert match(seen(clash(outlet="E", day=D(2017, 8, 22), published=D(2017, 8, 22))),
                 [base], RULES) is None


def test_two_reports_that_each_name_a_different_day_are_two_events():
    saturday = seen(clash(outlet="A", day=D(2017, 8, 19), published=D(2017, 8, 21),
                          text="The army fought ISIS near El Qaa on Saturday."))
    sunday = clash(outlet="B", day=D(2017, 8, 20), published=D(2017, 8, 21),
                   text="The army fought ISIS near El Qaa on Sunday.")
    assert seen(sunday).dated_in_text and not seen(sunday).publication_dated
    assert match(seen(sunday), [saturday], RULES) is None
    undated = seen(clash(outlet="C", day=D(2017, 8, 20), published=D(2017, 8, 21),
                         text="Fighting near El Qaa, the army said."))
    assert not undated.dated_in_text
    assert match(undated, [saturday], RULES).days == 1
    same_day = seen(clash(outlet="D", day=D(2017, 8, 19), published=D(2017, 8, 22),
                          place=QAA_PROJECTS,
                          text="Clashes near Qaa Projects on 19 August, the army said."))
    assert match(same_day, [saturday], RULES) is not None


def test_no_report_of_a_day_after_the_other_article_came_out():
    early = seen(clash(outlet="A", day=D(2017, 8, 19), published=D(2017, 8, 19),
                       text="Fighting near El Qaa, the army said."))
    assert early.publication_dated
    later = clash(outlet="B", day=D(2017, 8, 20), published=D(2017, 8, 22), place=QAA_PROJECTS,
                  text="Clashes near Qaa Projects on Sunday, the army said.")
    assert match(seen(later), [early], RULES) is None
    unnamed = clash(outlet="C", day=D(2017, 8, 20), published=D(2017, 8, 20),
                    place=QAA_PROJECTS, text="Clashes near Qaa Projects, the army said.")
    assert match(seen(unnamed), [early], RULES) is not None


def test_one_article_naming_two_places_is_two_events():
    article = clash(outlet="A", text="Clashes near Ras Baalbek and in Fakiha on Saturday.")
    first = article.events[0].replace(location="Ras Baalbek", geonameid=RAS_BAALBEK[0],
                                      latitude=RAS_BAALBEK[2], longitude=RAS_BAALBEK[3])
    second = first.replace(location="Fakiha", geonameid=FAKIHA[0], latitude=FAKIHA[2],
                           longitude=FAKIHA[3])
    a = sighting(first, event_key(first), None)
    b = sighting(second, event_key(second), None)
    assert match(b, [a], RULES) is None
    other = sighting(second.replace(article_id="other"), "x" * 32, None)
    assert match(other, [a], RULES) is not None  # another outlet: 2 km, same event


def test_best_match_prefers_the_same_place_then_the_nearest_day():
    new = seen(clash(outlet="N", day=D(2017, 8, 20)))
    same_place_day_before = seen(clash(outlet="A", day=D(2017, 8, 19)))
    near_same_day = seen(clash(outlet="B", day=D(2017, 8, 20), place=QAA_PROJECTS))
    assert match(new, [near_same_day, same_place_day_before], RULES).kept == \
        same_place_day_before
    assert match(new, [same_place_day_before, near_same_day], RULES).kept == \
        same_place_day_before


def test_rules_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("generic_sub_event: {}\n")
    with pytest.raises(ConfigError, match=r"rules.yaml.*missing key\(s\).*max_days"):
        load_rules(bad)
    bad.write_text((Path(__file__).parents[1] / "frontlines/data/store/corroboration.yaml")
                   .read_text().replace("'^Unidentified Armed Group", "'^(Unidentified"))
    with pytest.raises(ConfigError, match=r"not a regular expression"):
        load_rules(bad)


# -- in the store ------------------------------------------------------------------------------
@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'merge.db'}"
    return pg_database(request.getfixturevalue("pg_url"))


NNA = clash(outlet="National News Agency", fatalities=3, published=D(2017, 8, 19))
STAR = clash(outlet="The Daily Star", place=RAS_BAALBEK, precision=3, day=D(2017, 8, 20),
             fatalities=5, actors=(ARMY, GUNMEN), sub="Government regains territory")
STAR_AGAIN = clash(outlet="The Daily Star", place=RAS_BAALBEK, precision=3,
                   day=D(2017, 8, 20), actors=(ARMY, GUNMEN), sub="Government regains territory",
                   text="Follow-up: the army holds the hills near Fakiha.")
FAR = clash(outlet="Reuters", place=(163843, "Aleppo", 36.2, 37.16))


def test_a_differently_worded_report_becomes_a_source_of_the_stored_event(db_url):
    with Store(db_url) as store:
        store.ingest([NNA])
        (kept,) = store.events()
        stats = store.ingest([STAR, FAR])
        assert (stats.events_new, stats.events_merged, stats.events_corroborated) == (1, 1, 1)
        assert "reported differently" in str(stats)
        events = {e.location: e for e in store.events()}
        assert set(events) == {"El Qaa", "Aleppo"}
        event = events["El Qaa"]
        assert event.event_id_cnty == kept.event_id_cnty  # the kept event keeps its number
        assert event.source == "National News Agency; The Daily Star"
        assert event.fatalities == 3  # the lowest reported toll
        assert event.timestamp >= kept.timestamp
        sources = store.event_sources(event_key(kept))
        assert [s.article_id for s in sources] == [NNA.article.id, STAR.article.id]
        assert store.independent_sources(event_key(kept)) == 2
        (merge,) = store.merges()
        assert isinstance(merge, Merge)
        assert merge.kept_event_id == event_key(kept)
        assert merge.kept_event_id_cnty == kept.event_id_cnty
        assert merge.merged_event_id == event_key(STAR.events[0])
        assert merge.merged_event == STAR.events[0]  # the whole record is kept
        assert merge.sources == 1 and merge.undone_at is None
        for part in ("Government regains territory and Armed clash agree",
                     "'Unidentified Armed Group (Lebanon)' covers 'Islamic State (Syria)'",
                     "Ras Baalbek and El Qaa 10.8 km apart (limit 25 km at geo_precision 3)",
                     "1 day(s) apart"):
            assert part in merge.why
        assert store.merges(event_id=event_key(kept)) == [merge]
        assert store.merges(event_id="0" * 32) == []
        assert merge.to_dict()["merged_event"]["location"] == "Ras Baalbek"


def test_undo_restores_the_merged_event_with_its_sources(db_url):
    with Store(db_url) as store:
        store.ingest([NNA, STAR])
        (kept,) = store.events()
        # A later report with the merged event's exact identity joins the same merge.
        stats = store.ingest([STAR_AGAIN])
        assert (stats.events_new, stats.events_corroborated) == (0, 1)
        (merge,) = store.merges()
        assert merge.sources == 2
        assert store.counts()["event_sources"] == 3

        done = store.unmerge(merge.merge_id)
        assert done.undone_at is not None and done.sources == 0
        assert store.merges() == []
        assert [m.merge_id for m in store.merges(include_undone=True)] == [merge.merge_id]
        events = {e.location: e for e in store.events()}
        assert set(events) == {"El Qaa", "Ras Baalbek"}
        qaa, ras = events["El Qaa"], events["Ras Baalbek"]
        assert qaa.event_id_cnty == kept.event_id_cnty
        assert ras.event_id_cnty == "LBN2"  # the next number, never a reused one
        assert (qaa.source, qaa.fatalities) == ("National News Agency", 3)
        assert (ras.source, ras.fatalities) == ("The Daily Star", 5)
        assert ras.replace(event_id_cnty="", timestamp=0, source="", fatalities=0) == \
            STAR.events[0].replace(event_id_cnty="", timestamp=0, source="", fatalities=0)
        assert {s.article_id for s in store.event_sources(event_key(ras))} == \
            {STAR.article.id, STAR_AGAIN.article.id}
        assert len(store.event_sources(event_key(qaa))) == 1
        with store.engine.connect() as conn:
            assert conn.scalar(sa.select(sa.func.count()).select_from(schema.event_sources)
                               .where(schema.event_sources.c.merge_id.is_not(None))) == 0

        with pytest.raises(StoreError, match=r"already undone"):
            store.unmerge(merge.merge_id)
        with pytest.raises(StoreError, match=r"no merge 99.*frontlines merges --all"):
            store.unmerge(99)
        # The restored event now stands alone: a new report of it is an exact source.
        late = clash(outlet="Naharnet", place=RAS_BAALBEK, precision=3, day=D(2017, 8, 20),
                     actors=(ARMY, GUNMEN), sub="Government regains territory",
                     text="Naharnet: the army retook Fakiha.")
        assert store.ingest([late]).events_corroborated == 0
        assert len(store.event_sources(event_key(ras))) == 3


def test_reports_without_coordinates_match_by_location_name(db_url):
    unplaced = clash(outlet="Naharnet", day=SUNDAY, place=(None, "El Qaa", None, None),
                     sub="Government regains territory", text="The army retook El Qaa.")
    far = clash(outlet="Reuters", place=(None, "Hermel", None, None), day=SUNDAY,
                sub="Government regains territory", text="The army retook Hermel.")
    with Store(db_url) as store:
        store.ingest([NNA])
        stats = store.ingest([unplaced, far])
        assert stats.events_corroborated == 1
        (merge,) = store.merges()
        assert "same named location (El Qaa, Lebanon)" in merge.why


def test_corroboration_can_be_switched_off(db_url):
    with Store(db_url, corroborate=False) as store:
        stats = store.ingest([NNA, STAR])
        assert (stats.events_new, stats.events_corroborated) == (2, 0)
        assert store.merges() == []


def test_one_batch_or_two_and_reingest_give_the_same_store(db_url, tmp_path):
    with Store(db_url) as store:
        store.ingest([NNA, STAR, STAR_AGAIN, FAR])
        counts, merges = store.counts(), store.merges()
        again = store.ingest([NNA, STAR, STAR_AGAIN, FAR])
        assert again.articles_skipped_existing == 4 and again.events_corroborated == 0
        assert store.counts() == counts and store.merges() == merges
    with Store(f"sqlite:///{tmp_path / 'split.db'}") as split:
        for item in (NNA, STAR, STAR_AGAIN, FAR):
            split.ingest([item])
        assert split.counts() == counts
        assert [(m.kept_event_id, m.merged_event_id, m.sources) for m in split.merges()] == \
            [(m.kept_event_id, m.merged_event_id, m.sources) for m in merges]


def test_synthetic_campaign_every_report_is_kept(db_url):
    """60 articles on a dense campaign: merges never lose a report, and undoing every
    merge gives back exactly the store without corroboration."""
    items = synth.analyses(60, seed=2017)
    expected = synth.expected_counts(items)
    with Store(db_url) as store:
        stats = store.ingest(items, batch_size=9)
        merges = store.merges()
        assert stats.events_corroborated >= len(merges) > 0
        counts = store.counts()
        assert counts["event_sources"] == expected["event_sources"]
        assert counts["events"] == expected["events"] - len(merges)
        for merge in reversed(merges):
            store.unmerge(merge.merge_id)
        assert store.counts() == expected
        undone = {event_key(e): e for e in store.events()}
    with Store("sqlite://", corroborate=False) as plain:
        plain.ingest(items)
        reference = {event_key(e): e for e in plain.events()}
    assert set(undone) == set(reference)
    for key, event in reference.items():
        assert undone[key].replace(event_id_cnty="", timestamp=0) == \
            event.replace(event_id_cnty="", timestamp=0), key


# -- two real reports through the pipeline (slow) -----------------------------------------------
TWO_REPORTS = [
    {"id": "nna-halimat-qara", "source": "National News Agency", "published": "2017-08-22",
     "title": "Army takes Halimat Qara from ISIS",
     "text": "The Lebanese Army captured the hill of Halimat Qara from Islamic State "
             "militants on Tuesday, an army statement said, in the fourth day of its "
             "offensive in the barrens east of Ras Baalbek."},
    {"id": "star-qara-heights", "source": "The Daily Star", "published": "2017-08-23",
     "title": "Lebanese troops fight for the Qara heights",
     "text": "Lebanese soldiers clashed with ISIS fighters on the slopes of Halimat Qara, a "
             "security source told reporters, as the army pressed its campaign on the "
             "border."},
]


@pytest.mark.slow
def test_two_differently_worded_reports_of_one_capture_are_one_event(tmp_path, nlp,
                                                                     offline_gazetteer):
    import json

    from frontlines.gazetteer import Gazetteer
    from frontlines.pipeline import Frontlines
    from frontlines.settings import Settings

    feed = tmp_path / "reports.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in TWO_REPORTS), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'events.db'}"
    fl = Frontlines(Settings(db=db), gazetteer=Gazetteer(offline_gazetteer), nlp=nlp)
    analyses = list(fl.analyse(fl.read([feed])))
    reports = [e for a in analyses for e in a.events]
    # One says "captured", the other "clashed": two sub-events, two identities.
    assert {e.sub_event_type for e in reports} == {"Government regains territory",
                                                   "Armed clash"}
    assert len({event_key(e) for e in reports}) == 2
    with Store(f"sqlite:///{tmp_path / 'plain.db'}", corroborate=False) as plain:
        plain.ingest(analyses)
        assert plain.counts()["events"] == 2

    fl.ingest([feed])
    with Store(db) as store:
        (event,) = store.events()
        assert event.sub_event_type == "Government regains territory"  # the first report's
        assert event.location == "Halimat Qara"
        assert event.source == "National News Agency; The Daily Star"
        assert store.independent_sources(event_key(event)) == 2
        (merge,) = store.merges()
        assert merge.merged_event.sub_event_type == "Armed clash"
        assert "same place (Halimat Qara)" in merge.why
        store.unmerge(merge.merge_id)
        assert sorted(e.sub_event_type for e in store.events()) == [
            "Armed clash", "Government regains territory"]


def test_cli_lists_and_undoes_merges(tmp_path):
    import json

    from click.testing import CliRunner

    from frontlines.cli import main

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    with Store(db) as store:
        store.ingest([NNA, STAR])
        (kept,) = store.events()
    runner = CliRunner()
    listed = runner.invoke(main, ["merges", "--db", db])
    assert listed.exit_code == 0, listed.output
    assert "#1 " in listed.output and f"into {kept.event_id_cnty}" in listed.output
    assert "why: Government regains territory and Armed clash agree" in listed.output
    as_json = runner.invoke(main, ["merges", "--db", db, "--json"])
    (record,) = [json.loads(line) for line in as_json.output.splitlines()]
    assert record["merge_id"] == 1 and record["kept_event_id_cnty"] == kept.event_id_cnty
    undone = runner.invoke(main, ["merges", "undo", "1", "--db", db])
    assert undone.exit_code == 0, undone.output
    assert "undid merge #1: LBN2 (Ras Baalbek, 2017-08-20)" in undone.output
    assert runner.invoke(main, ["merges", "--db", db]).output.startswith("no merges")
    assert "undone" in runner.invoke(main, ["merges", "--db", db, "--all"]).output
    again = runner.invoke(main, ["merges", "undo", "1", "--db", db])
    assert again.exit_code == 2 and "already undone" in again.output
