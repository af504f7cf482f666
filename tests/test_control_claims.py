"""Holder claims (frontlines.control.claims) and the transitions they drive, on sentences
written for these tests (not the demo's wording): each pattern names a class of text.

No model: toponyms are built by hand at the offsets where the names occur.
"""

from __future__ import annotations

import datetime as dt

import pytest

from frontlines.control import ControlConfig, ControlMap, HolderPatterns, SideMap, holder_claims
from frontlines.control.initial import parse_initial_csv
from frontlines.errors import ConfigError
from frontlines.model import Article, Event, Place, Toponym

D = dt.date
NO_CLIP = ControlConfig.load(outline=False)
PLACES = {
    # invented places at real-looking coordinates on the Lebanon-Syria border
    "Tell Abyad": Place(geonameid=901, name="Tell Abyad", country_code="SY", latitude=34.10,
                        longitude=36.60, feature_class="T", feature_code="HLL"),
    "Kfar Zeit": Place(geonameid=902, name="Kfar Zeit", country_code="LB", latitude=34.30,
                       longitude=36.40, feature_class="P", feature_code="PPL", population=4000),
    "Deir Mar": Place(geonameid=903, name="Deir Mar", country_code="SY", latitude=34.05,
                      longitude=36.70, feature_class="P", feature_code="PPL"),
    "Wadi Sakhr": Place(geonameid=904, name="Wadi Sakhr", country_code="LB", latitude=34.22,
                        longitude=36.50, feature_class="H", feature_code="WAD"),
    "Jabal Nour": Place(geonameid=905, name="Jabal Nour", country_code="LB", latitude=34.26,
                        longitude=36.52, feature_class="T", feature_code="MT"),
}


SEPT_10 = D(2017, 9, 10)


def article(text: str, *, published=SEPT_10, source="Test Wire", aid="t1",
            precision: dict[str, int] | None = None) -> tuple[Article, list[Toponym]]:
    art = Article(id=aid, text=text, title=None, published=published, source=source)
    tops = []
    for name, place in PLACES.items():
        start = 0
        while (i := text.find(name, start)) >= 0:
            tops.append(Toponym(text=name, start=i, end=i + len(name), place=place,
                                geo_precision=(precision or {}).get(name, 1)))
            start = i + len(name)
    return art, sorted(tops, key=lambda t: t.start)


def claims(text: str, **kw):
    art, tops = article(text, **kw)
    return [(c.kind, c.rule, c.side, c.place.name, c.geo_precision)
            for c in holder_claims(art, tops)]


@pytest.mark.parametrize(("text", "expected"), [
    # positions-in: "<actor> positions in/near X"
    ("Artillery hit Nusra Front positions near Deir Mar overnight.",
     ("holds", "positions-in", "HTS", "Deir Mar", 1)),
    ("The jets bombed Daesh strongholds on Tell Abyad.",
     ("holds", "positions-in", "ISIL", "Tell Abyad", 1)),
    # holding: "<actor> fighters holding/controlling X"
    ("About 200 ISIS militants still controlling Jabal Nour refused to surrender.",
     ("holds", "holding", "ISIL", "Jabal Nour", 1)),
    ("Hezbollah fighters entrenched in Wadi Sakhr fired on the convoy.",
     ("holds", "holding", "Hezbollah and allies", "Wadi Sakhr", 1)),
    # held-by: "X, ... held by <actor>"
    ("Tell Abyad, a ridge held by the Islamic State since 2015, overlooks the road.",
     ("holds", "held-by", "ISIL", "Tell Abyad", 1)),
    # actor-held: "<actor>-held X"
    ("Families fled the HTS-controlled village of Deir Mar on Monday.",
     ("holds", "actor-held", "HTS", "Deir Mar", 1)),
    # fired-from: "fired by <actor> from X"
    ("Rockets fired by ISIS from Jabal Nour landed in the fields.",
     ("holds", "fired-from", "ISIL", "Jabal Nour", 1)),
    # besieged-inside: the besieged hold the inside
    ("Aid could not reach the besieged ISIS fighters inside Deir Mar.",
     ("holds", "besieged-inside", "ISIL", "Deir Mar", 1)),
    # siege-ring: the besieger holds the ring
    ("The Syrian Army tightened its siege on Deir Mar after the talks failed.",
     ("ring", "siege-ring", "Syrian Government", "Deir Mar", 1)),
    # left-place and evacuations
    ("Nusra Front fighters withdrew from Tell Abyad before dawn.",
     ("leaves", "left-place", "HTS", "Tell Abyad", 1)),
    ("Green buses carrying ISIS fighters and their wives left Jabal Nour on Sunday.",
     ("leaves", "evacuated-by-bus", "ISIL", "Jabal Nour", 1)),
    ("HTS members were evacuated from Wadi Sakhr under the deal.",
     ("leaves", "evacuated-from", "HTS", "Wadi Sakhr", 1)),
    # took-over-vacated, handed-over
    ("Syrian troops moved into Deir Mar, which the militants had abandoned.",
     ("takes", "took-over-vacated", "Syrian Government", "Deir Mar", 1)),
    ("ISIS handed its positions on Tell Abyad over to Hezbollah.",
     ("takes", "handed-over", "Hezbollah and allies", "Tell Abyad", 1)),
])
def test_each_pattern_reads_its_class_of_text(text, expected):
    assert expected in claims(text)


def test_the_army_is_the_government_of_the_place_and_militants_the_article_s_group():
    text = ("ISIS attacked a checkpoint. The army took over the hills around Wadi Sakhr that "
            "the militants had left. Militants entrenched in Jabal Nour kept firing.")
    got = claims(text)
    # "the hills around Wadi Sakhr": near it (geo_precision 2), not the wadi itself
    assert ("takes", "took-over-vacated", "Lebanese Government", "Wadi Sakhr", 2) in got
    assert ("holds", "holding", "ISIL", "Jabal Nour", 1) in got


def test_outskirts_make_a_place_near_not_the_place():
    got = claims("The army shelled ISIS positions in the Kfar Zeit outskirts.")
    assert got == [("holds", "positions-in", "ISIL", "Kfar Zeit", 2)]
    got = claims("ISIS fighters holding the jurd of Kfar Zeit and Jabal Nour fired shells.")
    assert {c[3] for c in got} == {"Kfar Zeit", "Jabal Nour"} and {c[4] for c in got} == {2}


@pytest.mark.parametrize("text", [
    "The army denied that ISIS positions in Jabal Nour had been hit.",  # negation
    "Jabal Nour is no longer held by ISIS, residents said.",  # no longer
    "ISIS fighters are to leave Jabal Nour next week.",  # a plan, not a fact
    "The only militants left on the ridge near Jabal Nour are snipers.",  # "left" = remaining
])
def test_negated_planned_and_remaining_are_not_claims(text):
    assert [c for c in claims(text) if c[3] == "Jabal Nour" and c[0] in ("holds", "leaves")] \
        == []


def test_claims_carry_sentence_source_date_and_confidence():
    art, tops = article("Preamble here. ISIS withdrew from Tell Abyad yesterday, a source said.",
                        published=D(2017, 9, 10), source="Border Desk")
    (claim,) = holder_claims(art, tops)
    assert claim.sentence == "ISIS withdrew from Tell Abyad yesterday, a source said."
    assert (claim.source, claim.date, claim.article_id) == ("Border Desk", D(2017, 9, 9), "t1")
    assert 0 < claim.confidence <= 1 and claim.to_dict()["rule"] == "left-place"


def test_patterns_are_data_and_validated():
    assert HolderPatterns.load().patterns
    with pytest.raises(ConfigError, match="kind must be"):
        HolderPatterns.from_dict({"actors": {"ISIS": "Islamic State"},
                                  "patterns": [{"id": "x", "kind": "owns", "regex": "x"}]})
    with pytest.raises(ConfigError, match="not a valid regular expression"):
        HolderPatterns.from_dict({"actors": {"ISIS": "Islamic State"},
                                  "patterns": [{"id": "x", "kind": "holds", "regex": "("}]})


# --- transitions driven by claims and events -------------------------------------------------

MAP = """label,latitude,longitude,controller
Kfar Zeit,34.30,36.40,Lebanese Government
Deir Mar,34.05,36.70,Syrian Government
"""


def cmap_for(*texts: tuple[str, dt.date, str], events=(), initial=MAP, sides=None):
    found = []
    for i, (text, day, source) in enumerate(texts):
        art, tops = article(text, published=day, source=source, aid=f"a{i}")
        found += holder_claims(art, tops, sides=sides)
    marks = parse_initial_csv(initial, sides=sides or SideMap.load(), source="test map")
    return ControlMap(initial=marks, events=list(events), claims=found, sides=sides,
                      config=NO_CLIP)


def test_a_position_report_sets_the_holder_and_a_second_outlet_confirms_it():
    cm = cmap_for(("ISIS positions on Jabal Nour were shelled.", D(2017, 9, 1), "Wire A"),
                  ("Jets struck Daesh positions on Jabal Nour.", D(2017, 9, 3), "Wire B"))
    with pytest.raises(KeyError):  # nothing known before the first report
        cm.snapshot(D(2017, 8, 31)).point("Jabal Nour")
    s1, s3 = (cm.snapshot(D(2017, 9, d)).point("Jabal Nour") for d in (1, 3))
    assert (s1.side, s1.state, s1.rule) == ("ISIL", "claimed", "positions-in")
    assert (s3.side, s3.state) == ("ISIL", "confirmed") and set(s3.sources) == {"Wire A",
                                                                               "Wire B"}


def test_a_side_that_left_holds_nothing_there_afterwards():
    cm = cmap_for(("ISIS positions on Jabal Nour were shelled.", D(2017, 9, 1), "Wire A"),
                  ("ISIS fighters withdrew from Jabal Nour on Monday.", D(2017, 9, 5), "Wire A"),
                  ("Daesh positions on Jabal Nour were hit again.", D(2017, 9, 8), "Wire B"))
    assert cm.snapshot(D(2017, 9, 3)).point("Jabal Nour").side == "ISIL"
    after = cm.snapshot(D(2017, 9, 9)).point("Jabal Nour")
    assert after.side is None and after.rule == "left-place"
    assert any("left the area" in s.reason for s in cm.skipped)


def test_take_over_of_what_a_side_vacated_goes_to_the_taker_not_the_leaver():
    cm = cmap_for(("HTS fighters holding Wadi Sakhr rejected the deal.", D(2017, 9, 1), "A"),
                  ("Hezbollah fighters took over the positions in Wadi Sakhr that HTS vacated.",
                   D(2017, 9, 4), "B"))
    state = cm.snapshot(D(2017, 9, 4)).point("Wadi Sakhr")
    assert (state.side, state.rule) == ("Hezbollah and allies", "took-over-vacated")
    assert any("vacated" in e.sentence for e in state.evidence)


def test_liberated_ground_goes_to_the_liberator_and_the_loser_held_it_before():
    liberated = Event(event_id_cnty="L1", event_date=D(2017, 9, 6), event_type="Battles",
                      sub_event_type="Government regains territory",
                      actor1="Military Forces of Lebanon (2016-)",
                      actor2="Islamic State (Syria)", location="Jabal Nour", latitude=34.26,
                      longitude=36.52, geo_precision=1, source="Wire C", geonameid=905,
                      sentence="The army liberated Jabal Nour from Daesh.")
    cm = cmap_for(events=[liberated])
    assert cm.snapshot(D(2017, 9, 5)).point("Jabal Nour").rule == "held-before-capture"
    assert cm.snapshot(D(2017, 9, 5)).point("Jabal Nour").side == "ISIL"
    assert cm.snapshot(D(2017, 9, 6)).point("Jabal Nour").side == "Lebanese Government"


def test_a_siege_draws_the_besiegers_ring_around_the_besieged():
    cm = cmap_for(("Besieged ISIS fighters inside Tell Abyad ran out of water.", D(2017, 9, 1),
                   "A"),
                  ("The Syrian Army tightened its siege on Tell Abyad.", D(2017, 9, 2), "B"))
    snap = cm.snapshot(D(2017, 9, 2))
    assert snap.point("Tell Abyad").side == "ISIL"
    ring = [s for s in snap.points if s.point.kind == "siege-ring"]
    assert len(ring) == 4 and {s.side for s in ring} == {"Syrian Government"}
    assert any(set(f.sides) == {"ISIL", "Syrian Government"} for f in snap.front_lines)


def test_allies_hold_apart_without_a_front_and_the_sides_table_is_editable(tmp_path):
    text = ("Hezbollah fighters entrenched in Wadi Sakhr fired on the convoy.", D(2017, 9, 1),
            "A")
    snap = cmap_for(text).snapshot(D(2017, 9, 1))
    assert snap.point("Wadi Sakhr").side == "Hezbollah and allies"
    assert not snap.front_lines  # Hezbollah, the Lebanese and Syrian armies: none hostile
    mine = tmp_path / "sides.yaml"
    mine.write_text("sides:\n  Lebanese Government:\n    hostile: [ISIL, HTS, Israel, "
                    "Hezbollah and allies]\n", encoding="utf-8")
    sides = SideMap.load(extra=mine)
    snap = cmap_for(text, sides=sides).snapshot(D(2017, 9, 1))
    assert [f.sides for f in snap.front_lines] == [("Hezbollah and allies",
                                                    "Lebanese Government")]


def test_an_evacuation_agreement_ends_the_hold_and_a_named_receiver_or_nearest_opponent_takes_it():
    deal = Event(event_id_cnty="A1", event_date=D(2017, 9, 7), event_type="Strategic developments",
                 sub_event_type="Agreement", actor1="Hezbollah", actor2="Hayat Tahrir al-Sham",
                 location="Wadi Sakhr", latitude=34.22, longitude=36.50, geo_precision=2,
                 source="Wire D", sentence="Under the deal, HTS fighters will leave Wadi Sakhr "
                                           "by bus for Idlib.")
    report = ("HTS fighters holding Wadi Sakhr rejected the deal.", D(2017, 9, 1), "A")
    vacated = cmap_for(report, events=[deal]).snapshot(D(2017, 9, 7)).point("Wadi Sakhr")
    assert (vacated.side, vacated.rule) == (None, "evacuation-agreement")
    marks = parse_initial_csv(MAP + "Hezbollah post,34.20,36.47,Hezbollah and allies\n",
                              sides=SideMap.load(), source="test map")
    art, tops = article(report[0], published=report[1])
    cm = ControlMap(initial=marks, events=[deal], claims=holder_claims(art, tops),
                    config=ControlConfig.load(outline=False, on_leave="nearest_opponent"))
    taken = cm.snapshot(D(2017, 9, 7)).point("Wadi Sakhr")
    assert taken.side == "Hezbollah and allies" and "nearest opponent" in taken.why
