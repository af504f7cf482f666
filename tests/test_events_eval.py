"""evaluate_events on small gold files in ACLED's current and pre-2019 layouts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from frontlines.errors import EvalError
from frontlines.events.evaluate import (
    PublishedFrom,
    actors_match,
    evaluate_events,
    normalize_actor,
    read_gold,
    score_text,
)
from frontlines.events.eval_gold import states_date
from frontlines.events.eval_gold import GoldEvent
from frontlines.events.eval_report import MISSED, EventsReport
from frontlines.model import Article, Event

FIXTURES = Path(__file__).parent / "fixtures" / "events"


def test_normalize_actor():
    assert normalize_actor("Military Forces of Lebanon (1989-)") == "military forces of lebanon"
    assert normalize_actor("HTS: Hayat Tahrir al Sham") == normalize_actor("Hayat Tahrir al-Sham")
    assert normalize_actor("Islamic State (Syria)") == "islamic state"
    # ACLED's older releases wrote some state forces without the article
    assert normalize_actor("Military Forces of the Democratic Republic of Congo (2019-)") == \
        normalize_actor("Military Forces of Democratic Republic of Congo (2001-)")


def test_actor_comparison_keeps_country_and_period_when_both_have_one():
    assert not actors_match("Civilians (Lebanon)", "Civilians (Syria)")
    assert actors_match("Civilians (Lebanon)", "Civilians (Syria)", strict=False)
    assert not actors_match("Islamic State (Syria)", "Islamic State (Iraq)")
    assert actors_match("Islamic State (Syria)", "Islamic State")  # only one side qualifies
    # the same regime whether or not ACLED has closed its period yet
    assert actors_match("Military Forces of Syria (2000-)", "Military Forces of Syria (2000-2024)")
    assert not actors_match("Military Forces of Yemen (2012-)", "Military Forces of Yemen (2016-)")
    assert actors_match("HTS: Hayat Tahrir al Sham", "Hayat Tahrir al-Sham")
    assert not actors_match("Hezbollah", "Amal Movement", strict=False)


def test_states_date():
    day = dt.date(2022, 1, 1)
    assert states_date("On 1 January 2022, Russian warplanes struck", day)
    assert states_date("Strikes on January 1st hit Idlib", day)
    assert states_date("(2022-01-01) shelling", day)
    assert not states_date("On 11 January 2022, shelling", day)
    assert not states_date("Warplanes struck on Saturday", day)


def test_published_from_spec():
    assert PublishedFrom.parse("column").use_column
    shifted = PublishedFrom.parse("event_date+3")
    assert not shifted.use_column and shifted.date_for(dt.date(2022, 1, 1)) == dt.date(2022, 1, 4)
    assert PublishedFrom.parse("2005-01-01").fixed == dt.date(2005, 1, 1)
    with pytest.raises(EvalError, match="event_date\\+N"):
        PublishedFrom.parse("tomorrow")


def test_read_gold_both_layouts():
    current = read_gold(FIXTURES / "gold_current.csv")
    assert len(current) == 4 and current[0].sub_event_type == "Government regains territory"
    assert current[2].latitude == pytest.approx(35.9306)
    old = read_gold(FIXTURES / "gold_old.csv")
    assert old[0].event_types == ("Battles",) and old[0].sub_event_type == "Armed clash"
    assert old[1].sub_event_type == "Government regains territory"
    assert old[2].event_types == ("Protests", "Riots") and old[2].sub_event_type is None


def test_bad_gold_files(tmp_path):
    missing = tmp_path / "missing.csv"
    missing.write_text("event_date,notes\n2017-08-19,x\n", encoding="utf-8")
    with pytest.raises(EvalError, match="event_type"):
        read_gold(missing)
    bad_type = tmp_path / "bad_type.csv"
    bad_type.write_text("event_date,event_type,notes\n2017-08-19,Skirmish,x\n", encoding="utf-8")
    with pytest.raises(EvalError, match="line 2"):
        read_gold(bad_type)
    bad_date = tmp_path / "bad_date.csv"
    bad_date.write_text("event_date,event_type,notes\nsoon,Battles,x\n", encoding="utf-8")
    with pytest.raises(EvalError, match="YYYY-MM-DD"):
        read_gold(bad_date)
    with pytest.raises(EvalError, match="cannot read"):
        read_gold(tmp_path / "absent.csv")


def _event(**kw) -> Event:
    base = {"event_id_cnty": "X1", "event_date": dt.date(2017, 8, 19), "event_type": "Battles",
            "sub_event_type": "Armed clash", "actor1": "Military Forces of Lebanon (1989-)"}
    base.update(kw)
    return Event(**base)


def test_scoring_counts_each_field():
    """A fixed extractor (named as such) makes the arithmetic checkable."""
    def fixed_extract(article: Article) -> list[Event]:
        if "Ras Baalbek" in article.text:
            return [_event(sub_event_type="Government regains territory",
                           actor2="Islamic State (Syria)", latitude=34.2589, longitude=36.4192)]
        if "Qaa" in article.text:  # wrong type, right actor, 30 km off
            return [_event(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                           event_date=dt.date(2017, 8, 20), latitude=34.07, longitude=36.47,
                           fatalities=3)]
        return []

    seen: list[tuple[int, int]] = []
    report = evaluate_events(FIXTURES / "gold_current.csv", extract=fixed_extract,
                             progress=lambda i, n: seen.append((i, n)))
    assert report.gold_events == 4 and report.texts == 4 and seen[-1] == (4, 4)
    assert report.predicted == 2 and report.matched == 2
    assert report.precision == 1.0 and report.recall == 0.5
    assert report.typed_events["precision"] == 0.5 and report.typed_events["recall"] == 0.25
    # field accuracies are over the two matched pairs
    assert report.accuracy("event_type") == 0.5 and report.accuracy("sub_event_type") == 0.5
    assert report.accuracy("actor1") == 1.0
    assert report.accuracy("location_10km") == 0.5 and report.accuracy("location_50km") == 1.0
    assert report.confusion["Battles"] == {"Battles": 1, "Explosions/Remote violence": 1}
    assert report.confusion["Protests"] == {MISSED: 1}
    assert "published" in report.published_from and "event_date + 1" in report.published_from
    assert report.to_dict()["gold_events"] == 4
    limited = evaluate_events(FIXTURES / "gold_current.csv", extract=fixed_extract, limit=1)
    assert limited.gold_events == 1 and limited.accuracy("event_type") == 1.0


def _gold(**kw) -> GoldEvent:
    base = {"row": 2, "notes": "", "event_date": dt.date(2017, 8, 19), "event_types": ("Battles",),
            "sub_event_type": "Armed clash", "actor1": "Military Forces of Lebanon (1989-)",
            "actor2": "Islamic State (Syria)", "latitude": None, "longitude": None,
            "fatalities": None, "source": "", "country": "Lebanon", "raw_type": "Battles",
            "text": "t", "published": dt.date(2017, 8, 19)}
    base.update(kw)
    return GoldEvent(**base)


def _score(gold: list[GoldEvent], predicted: list[Event]) -> EventsReport:
    report = EventsReport(gold="hand-built")
    score_text(report, gold, predicted)
    return report


def test_a_duplicate_is_a_false_positive_and_is_counted_as_one():
    right = _event(actor2="Islamic State (Syria)", char_start=0)
    once = _score([_gold()], [right])
    twice = _score([_gold()], [right, _event(actor2="Islamic State (Syria)", char_start=50)])
    assert once.precision == 1.0 and once.recall == 1.0
    assert twice.precision == 0.5 and twice.recall == 1.0 and twice.duplicates == 1
    assert twice.accuracy("actor2") == 1.0  # the pair itself is unchanged


def test_surplus_events_cost_precision_and_a_prediction_is_never_credited_twice():
    gold = [_gold(row=2), _gold(row=3, sub_event_type="Government regains territory")]
    one = _score(gold, [_event(char_start=0)])
    assert one.matched == 1 and one.recall == 0.5 and one.precision == 1.0
    invented = [_event(char_start=i * 10, sub_event_type=s, event_type=t) for i, (t, s) in
                enumerate([("Battles", "Armed clash"), ("Battles", "Government regains territory"),
                           ("Riots", "Mob violence"), ("Protests", "Peaceful protest")])]
    surplus = _score(gold, invented)
    assert surplus.matched == 2 and surplus.precision == 0.5 and surplus.recall == 1.0
    assert surplus.spurious == {"Riots": 1, "Protests": 1}
    assert surplus.per_sub_event["Mob violence"].fp == 1


def test_matching_follows_the_order_of_mention_not_the_fields():
    """The matcher may not pick the prediction that flatters a field: the event told first is
    matched with the gold listed first."""
    gold = [_gold(sub_event_type="Armed clash")]
    wrong_first = [_event(char_start=80, sub_event_type="Armed clash"),
                   _event(char_start=0, sub_event_type="Government regains territory")]
    report = _score(gold, wrong_first)
    assert report.accuracy("sub_event_type") == 0.0 and report.precision == 0.5


def test_swapped_countries_in_actor_names_are_wrong_strictly_and_right_leniently():
    gold = [_gold(actor1="Civilians (Lebanon)", actor2="Islamic State (Iraq)")]
    swapped = _score(gold, [_event(actor1="Civilians (Syria)", actor2="Islamic State (Syria)")])
    assert swapped.accuracy("actor1") == 0.0 and swapped.accuracy("actor1_lenient") == 1.0
    assert swapped.accuracy("actor2") == 0.0 and swapped.accuracy("actor2_lenient") == 1.0
    same = _score(gold, [_event(actor1="Civilians (Lebanon)", actor2="Islamic State (Iraq)")])
    assert same.accuracy("actor1") == 1.0 and same.accuracy("actor2") == 1.0


def test_every_event_on_a_none_text_is_false():
    none = _gold(event_types=(), sub_event_type=None, raw_type="NONE", none=True)
    clean = _score([none], [])
    assert clean.negative_texts == 1 and clean.false_positive_texts == 0
    assert clean.precision is None and clean.false_event_rate == 0.0
    noisy = _score([none], [_event(), _event(sub_event_type="Attack",
                                             event_type="Violence against civilians")])
    assert noisy.false_positive_texts == 1 and noisy.false_event_rate == 1.0
    assert noisy.predicted == 2 and noisy.matched == 0 and noisy.precision == 0.0
    assert noisy.per_sub_event["Armed clash"].fp == 1


def test_nonevent_corpus_and_labelled_snippets(tmp_path):
    corpus = tmp_path / "news.csv"
    corpus.write_text("category,text\nsport,Rivals clash in the cup final.\n"
                      "business,The dollar hit a two-year high.\n", encoding="utf-8")
    rows = read_gold(corpus, published_from=PublishedFrom.parse("2005-01-01"))
    assert [r.none for r in rows] == [True, True] and rows[0].category == "sport"
    report = evaluate_events(corpus, extract=lambda a: [_event()] if "clash" in a.text else [],
                             published_from=PublishedFrom.parse("2005-01-01"))
    assert report.negative_categories == {"sport": (1, 1), "business": (1, 0)}
    snippets = tmp_path / "snippets.csv"
    snippets.write_text("text,sub_event_type,published\n"
                        "Jets struck Idlib.,Air/drone strike,2020-02-02\n"
                        "A flood hit Beirut.,none,2020-02-02\n", encoding="utf-8")
    rows = read_gold(snippets)
    assert rows[0].event_types == ("Explosions/Remote violence",) and rows[1].none


def test_a_shifted_publication_date_moves_relative_dates_only(tmp_path):
    """With the date derived from the gold event date, the report says so and scores the date
    only on texts that write it; shifting the derivation moves what a relative date resolves
    to and nothing else."""
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "event_date,event_type,sub_event_type,actor1,notes\n"
        "2022-01-01,Battles,Armed clash,Hezbollah,\"On 1 January 2022, Hezbollah clashed.\"\n"
        "2022-01-01,Battles,Armed clash,Hezbollah,\"Yesterday Hezbollah clashed.\"\n",
        encoding="utf-8")
    rows = read_gold(gold, published_from=PublishedFrom.parse("event_date+3"))
    assert [r.date_scorable for r in rows] == [True, False]
    assert rows[1].published == dt.date(2022, 1, 4)

    def extract(article: Article) -> list[Event]:  # a fixed extractor: reads one date form
        assert article.published is not None
        day = (dt.date(2022, 1, 1) if "1 January" in article.text
               else article.published - dt.timedelta(days=1))
        return [_event(event_date=day, actor1="Hezbollah")]

    reports = {n: evaluate_events(gold, extract=extract,
                                  published_from=PublishedFrom.parse(f"event_date+{n}"))
               for n in (1, 3)}
    for report in reports.values():
        assert report.fields["date"].total == 1 and report.accuracy("date") == 1.0
    one, three = (reports[n].to_dict() for n in (1, 3))
    assert one["published_from"] != three["published_from"]
    for key in ("events", "typed_events", "fields", "confusion", "per_sub_event"):
        assert one[key] == three[key]


@pytest.mark.slow
def test_evaluate_real_extractor_old_layout(nlp):
    from frontlines.events import EventExtractor

    extractor = EventExtractor()

    def extract(article: Article) -> list[Event]:
        return extractor.extract(article, nlp(article.full_text), [])

    report = evaluate_events(FIXTURES / "gold_old.csv", extract=extract)
    assert report.gold_events == 3 and report.matched == 3
    assert report.accuracy("event_type") == 1.0  # Riots/Protests accepts Protests
    assert report.accuracy("sub_event_type") == 1.0  # two rows say their sub-event type
    assert report.fields["sub_event_type"].total == 2
    # no text writes its date and the file has no publication dates: no date is scored
    assert report.fields["date"].total == 0 and report.accuracy("date") is None
    from rich.console import Console

    console = Console(record=True, width=120)
    console.print(report.render())
    assert "event_type confusion" in console.export_text()


@pytest.mark.shared
def test_read_acled_africa_dev_file_old_layout():
    from conftest import shared_file

    rows = read_gold(shared_file("dev/acled_africa_2016_07/acled.csv"))
    assert len(rows) == 500
    kinds = {r.raw_type for r in rows}
    assert "Riots/Protests" in kinds and "Battle-Government regains territory" in kinds
    assert all(r.event_types for r in rows)


def test_read_team_gold_with_negative_texts():
    path = Path(__file__).parent / "gold" / "dev_events.csv"
    if not path.exists():
        pytest.skip("tests/gold/dev_events.csv not present yet")
    rows = read_gold(path)
    negatives = [r for r in rows if r.none]
    assert negatives and all(r.published is not None and not r.event_types for r in negatives)
    assert all(r.text for r in rows)


def test_far_placements_are_counted_and_listed_with_the_toponyms_why():
    from frontlines.model import Place, Toponym

    # gold at Arsal (LB); one event placed at a US namesake, one not placed at all
    text = "Clashes broke out in Arsal on Monday."
    gold = [_gold(latitude=34.18, longitude=36.42, text=text, row=7)]
    dyer = Place(geonameid=1, name="Arsal", country_code="US", latitude=36.07,
                 longitude=-89.0)
    topo = Toponym(text="Arsal", start=21, end=26, place=dyer,
                   reason="exact name, US namesake (test)")
    far = _event(latitude=36.07, longitude=-89.0, location="Arsal", geonameid=1,
                 char_start=0, char_end=len(text))
    report = EventsReport(gold="hand-built")
    score_text(report, gold, [far], toponyms=(topo,))
    errors = report.place_errors()
    assert errors["beyond"] == 1 and errors["unplaced"] == 0 and errors["share_beyond"] == 1.0
    assert errors["worst"][0]["why"] == "'Arsal': exact name, US namesake (test)"
    assert errors["worst"][0]["km"] > 9000
    near = _event(latitude=34.2, longitude=36.4, char_start=0, char_end=len(text))
    unplaced = _event(latitude=None, longitude=None, char_start=0, char_end=len(text))
    report = EventsReport(gold="hand-built")
    score_text(report, gold, [near])
    score_text(report, [_gold(latitude=34.18, longitude=36.42, row=8)], [unplaced])
    errors = report.to_dict()["place_errors"]
    assert (errors["beyond"], errors["unplaced"], errors["over"]) == (0, 1, 2)
    assert errors["worst"][0]["why"] == "no toponym" and errors["worst"][0]["row"] == 8
