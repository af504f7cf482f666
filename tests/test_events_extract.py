"""Event extraction with the real spaCy model on sentences we wrote about real events.

Toponyms are built by hand from real GeoNames records (tests/fixtures/events/places.yaml),
standing in for the geoparser.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from frontlines.events import EventExtractor
from frontlines.model import Article, Event, Place, Toponym

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "events"
PLACES = yaml.safe_load((FIXTURES / "places.yaml").read_text(encoding="utf-8"))
PUB = dt.date(2017, 8, 21)  # a Monday


def toponyms_in(text: str) -> list[Toponym]:
    found = []
    for entry in PLACES:
        for name in entry["names"]:
            for m in re.finditer(r"\b" + re.escape(name) + r"\b", text):
                found.append(Toponym(text=name, start=m.start(), end=m.end(),
                                     place=Place(**entry["place"]), reason="test fixture"))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    out: list[Toponym] = []
    for t in found:
        if not out or t.start >= out[-1].end:
            out.append(t)
    return out


@pytest.fixture(scope="module")
def extractor() -> EventExtractor:
    return EventExtractor()


@pytest.fixture(scope="module")
def run(nlp, extractor):
    def _run(text: str, *, published: dt.date | None = PUB, title: str | None = None) -> list[Event]:
        article = Article.make(text=text, title=title, published=published, source="Test Wire")
        doc = nlp(article.full_text)
        return extractor.extract(article, doc, toponyms_in(article.full_text))
    return _run


def only(events: list[Event]) -> Event:
    assert len(events) == 1, [(e.sub_event_type, e.actor1, e.sentence) for e in events]
    return events[0]


@pytest.mark.parametrize(("sentence", "sub_event"), [
    ("Syrian Army artillery shelled ISIS positions near Qarah on Saturday.",
     "Shelling/artillery/missile attack"),
    ("Russian warplanes carried out airstrikes on Idlib on Sunday.", "Air/drone strike"),
    ("A roadside bomb exploded next to an army patrol near Arsal on Sunday.",
     "Remote explosive/landmine/IED"),
    ("A suicide bomber blew himself up at a checkpoint in Qaa on Sunday.", "Suicide bomb"),
    ("Lebanese soldiers clashed with ISIS militants near Ras Baalbek on Sunday.", "Armed clash"),
    ("Gunmen kidnapped two shepherds near Arsal on Sunday.", "Abduction/forced disappearance"),
    ("Hundreds of residents protested in Tyre on Sunday against power cuts.", "Peaceful protest"),
    ("The army arrested three men in Arsal on Sunday.", "Arrests"),
    ("A grenade was thrown at a shop in Tyre on Sunday.", "Grenade"),
])
def test_trigger_maps_to_sub_event(run, sentence, sub_event):
    event = only(run(sentence))
    assert event.sub_event_type == sub_event
    assert event.event_date == dt.date(2017, 8, 20) or event.event_date == dt.date(2017, 8, 19)


def test_active_voice_roles_and_territory_direction(run):
    event = only(run("The Lebanese Army captured hills near Ras Baalbek from ISIS on Saturday."))
    assert event.sub_event_type == "Government regains territory"
    assert event.event_type == "Battles" and event.disorder_type == "Political violence"
    assert event.actor1 == "Military Forces of Lebanon (1989-)" and event.inter1 == 1
    assert event.actor2.startswith("Islamic State") and event.inter2 == 2
    assert event.interaction == 12
    assert event.event_date == dt.date(2017, 8, 19)
    assert event.location == "Ras Baalbek" and event.geo_precision == 2  # "near"
    assert (event.country, event.iso, event.iso3, event.region) == (
        "Lebanon", 422, "LBN", "Middle East")
    assert event.admin1 == "Baalbek-Hermel Governorate" and event.geonameid == 268745
    assert event.event_id_cnty.startswith("LBN")


def test_passive_voice_agent(run):
    event = only(run("Ras Baalbek was captured by the Lebanese army on 19 August."))
    assert event.sub_event_type == "Government regains territory"
    assert event.actor1.startswith("Military Forces of Lebanon")
    assert event.event_date == dt.date(2017, 8, 19) and event.geo_precision == 1


def test_non_state_actor_overtakes_territory(run):
    event = only(run("ISIS fighters captured the village of Qarah from the Syrian army on Tuesday."))
    assert event.sub_event_type == "Non-state actor overtakes territory"
    assert event.actor1 == "Islamic State (Syria)"
    assert event.actor2 == "Military Forces of Syria (2000-2024)"
    assert event.event_date == dt.date(2017, 8, 15)


def test_backed_by_gives_associated_actor(run):
    event = only(run("The Syrian Army, backed by Hezbollah, launched an offensive against ISIS "
                     "in the Western Qalamoun on Saturday."))
    assert event.actor1 == "Military Forces of Syria (2000-2024)"
    assert event.assoc_actor_1 == "Hezbollah"
    assert event.actor2 == "Islamic State (Syria)"
    assert event.country == "Syria"


def test_non_violent_transfer_and_coordinated_subjects(run):
    event = only(run("Hundreds of HTS and Saraya Ahl al-Sham fighters evacuated the outskirts of "
                     "Arsal on 14 August."))
    assert event.sub_event_type == "Non-violent transfer of territory"
    assert event.event_type == "Strategic developments"
    assert event.actor1 == "Hayat Tahrir al-Sham"
    assert event.assoc_actor_1 == "Saraya Ahl al-Sham"
    assert event.location == "Arsal" and event.geo_precision == 2


@pytest.mark.parametrize("sentence", [
    "The army did not capture the town of Arsal on Saturday.",
    "Hezbollah denied that it had shelled the village of Qaa on Saturday.",
    "ISIS will attack the army in Qaa.",
    "The army plans to launch an offensive on ISIS near Ras Baalbek.",
    "ISIS threatened to attack Lebanese army posts near Arsal.",
    "If the talks fail, the army would resume its assault on ISIS near Qaa.",
    "ISIS has controlled the hills east of Arsal since 2014.",
    "ISIS captured the hills around Arsal in 2014.",
])
def test_not_an_event(run, sentence):
    assert run(sentence) == []


def test_attribution_fills_claim_source_and_certainty(run):
    reported = only(run("Russian warplanes struck Idlib yesterday, according to the Syrian "
                        "Observatory for Human Rights."))
    assert reported.certainty == "reported"
    assert "Syrian Observatory" in reported.claim_source
    claimed = only(run("The Lebanese army said it had shelled ISIS positions near Ras Baalbek on "
                       "Friday."))
    assert claimed.actor1.startswith("Military Forces of Lebanon")  # "it" -> the army
    assert claimed.claim_source == "The Lebanese army" and claimed.certainty == "claimed"
    assert claimed.event_date == dt.date(2017, 8, 18)
    plain = only(run("The Lebanese army shelled ISIS positions near Ras Baalbek on Friday."))
    assert plain.certainty == "asserted" and plain.claim_source == ""


def test_fatalities_conservative_words_and_injuries(run):
    clash = only(run("Three soldiers were killed and five wounded in clashes with ISIS near Qaa "
                     "on Sunday."))
    assert clash.fatalities == 3
    assert clash.actor1.startswith("Military Forces of Lebanon")
    assert clash.actor2.startswith("Islamic State")
    strike = only(run("Syrian airstrikes killed dozens of ISIS militants in Deir ez-Zor on "
                      "Sunday."))
    assert strike.fatalities == 12
    assert strike.actor1 == "Military Forces of Syria (2000-2024)"
    wounded = only(run("Shells fired by ISIS wounded four civilians in Ras Baalbek on Sunday."))
    assert wounded.fatalities == 0
    civilians = only(run("Russian airstrikes killed twelve civilians in Idlib on Sunday."))
    assert civilians.fatalities == 12
    assert civilians.actor2 == "Civilians (Syria)" and civilians.civilian_targeting == \
        "Civilian targeting"
    assert civilians.inter1 == 8 and civilians.interaction == 78


def test_two_events_in_two_countries(run):
    events = run("On Saturday the Lebanese Army captured hills from ISIS near Ras Baalbek, while "
                 "the Syrian Army and Hezbollah seized the village of Qarah in the Western "
                 "Qalamoun.")
    assert len(events) == 2
    by_country = {e.country: e for e in events}
    assert set(by_country) == {"Lebanon", "Syria"}
    assert by_country["Lebanon"].actor1.startswith("Military Forces of Lebanon")
    assert by_country["Syria"].actor1.startswith("Military Forces of Syria")
    assert by_country["Syria"].assoc_actor_1 == "Hezbollah"
    assert all(e.sub_event_type == "Government regains territory" for e in events)


def test_the_army_resolves_to_the_events_country(run):
    lebanon = only(run("The army shelled ISIS positions near Ras Baalbek on Sunday."))
    assert lebanon.actor1 == "Military Forces of Lebanon (1989-)"
    syria = only(run("The army shelled ISIS positions near Qarah on Sunday."))
    assert syria.actor1 == "Military Forces of Syria (2000-2024)"
    assert syria.actor2 == "Islamic State (Syria)"


def test_duplicates_merge_and_keep_first_sentence(run):
    events = run("The Lebanese army shelled ISIS positions near Ras Baalbek on Sunday. "
                 "Army artillery shelled ISIS positions near Ras Baalbek on Sunday, killing four "
                 "militants.")
    event = only(events)
    assert event.sentence.startswith("The Lebanese army shelled")
    assert event.fatalities == 4
    assert event.notes.startswith("On 20 August 2017, ")


def test_no_publication_date_needs_explicit_dates(run):
    assert run("The army shelled ISIS positions near Ras Baalbek yesterday.", published=None) == []
    event = only(run("The army shelled ISIS positions near Ras Baalbek on 19 August 2017.",
                     published=None))
    assert event.event_date == dt.date(2017, 8, 19)


def test_round_trip_and_source(run):
    event = only(run("The army shelled ISIS positions near Ras Baalbek on Sunday."))
    assert Event.from_dict(event.to_dict()) == event
    assert event.source == "Test Wire" and 0 < event.confidence <= 1


@pytest.mark.parametrize(("sentence", "deaths"), [
    ("Between five and eight soldiers were killed in clashes with ISIS near Qaa on Sunday.", 5),
    (("At least 40 people were killed in Russian airstrikes on Idlib on Sunday; a monitoring "
      "group put the toll at 70."), 40),
    ("Several soldiers were killed when ISIS shelled an army post near Arsal on Sunday.", 3),
    ("Hezbollah fighters killed two ISIS commanders and a fighter near Arsal on Sunday.", 3),
    ("Syrian airstrikes killed tens of ISIS militants near Deir ez-Zor on Sunday.", 10),
    ("Russian airstrikes killed hundreds of ISIS militants near Deir ez-Zor on Sunday.", 100),
    ("ISIS shelled Ras Baalbek on Sunday, wounding seven civilians.", 0),
])
def test_fatality_figures(run, sentence, deaths):
    assert only(run(sentence)).fatalities == deaths


def test_later_sentence_adds_deaths_to_the_event(run):
    event = only(run("Lebanese soldiers clashed with ISIS fighters near Qaa on Sunday. Eight "
                     "militants were killed, the army said."))
    assert event.fatalities == 8 and event.sub_event_type == "Armed clash"


def test_headline_counts_only_without_body_events(run):
    events = run("The Lebanese army shelled ISIS positions near Ras Baalbek on Sunday.",
                 title="Army and Hezbollah attack ISIS on two fronts")
    assert only(events).sentence.startswith("The Lebanese army")
    alone = run("Residents of Tyre were asked to conserve water.",
                title="Lebanese army shells ISIS near Ras Baalbek")
    assert only(alone).sub_event_type == "Shelling/artillery/missile attack"


def test_claim_denied_by_the_other_side_is_dropped(run):
    assert run("ISIS claimed its fighters had recaptured Ras Baalbek on Sunday. The army denied "
               "the claim.") == []


def test_protesters_shot_is_excessive_force(run):
    event = only(run("Lebanese soldiers shot dead two men protesting near Arsal on Sunday."))
    assert event.sub_event_type == "Excessive force against protesters"
    assert event.actor1.startswith("Military Forces of Lebanon")
    assert event.actor2 == "Protesters (Lebanon)"
    assert event.civilian_targeting == "Civilian targeting"


def test_a_clash_told_as_both_sides_is_between_the_articles_parties(run):
    text = ("Hayat Tahrir al-Sham fighters took full control of the town of Saraqib on Friday "
            "after two days of clashes with Ahrar al-Sham.\n\nThe fighting began on Wednesday "
            "night when HTS convoys moved on Ahrar al-Sham checkpoints near Saraqib. Residents "
            "said gunfire could be heard until late on Thursday. At least 15 fighters from both "
            "sides were killed in the clashes around Saraqib, a monitoring group said.")
    clashes = [e for e in run(text, published=dt.date(2017, 7, 22))
               if e.sub_event_type == "Armed clash"]
    later = [e for e in clashes if e.fatalities == 15]
    assert later, clashes
    assert {later[0].actor1, later[0].actor2} == {"Hayat Tahrir al-Sham", "Ahrar al-Sham"}


def test_a_clash_of_unnamed_fighters_stays_unidentified_without_named_sides(run):
    text = "At least 15 fighters from both sides were killed in clashes around Saraqib."
    clashes = [e for e in run(text, published=dt.date(2017, 7, 22))
               if e.sub_event_type == "Armed clash"]
    assert clashes and all("Hayat" not in e.actor1 for e in clashes)


def test_a_side_said_to_have_taken_ground_is_its_taker(run):
    events = run("Hezbollah is said to have captured the hill near Qara on Sunday.")
    taken = [e for e in events if e.event_type == "Battles"]
    assert taken and taken[0].actor1 == "Hezbollah", [(e.sub_event_type, e.actor1) for e in events]
    assert taken[0].sub_event_type == "Non-state actor overtakes territory"


def test_political_opponents_who_attack_or_clash_are_rioters(run):
    attack = run("Political opponents attacked the newly elected mayor of Arsal on Sunday, "
                 "setting his home on fire.")
    assert attack and attack[0].sub_event_type == "Mob violence", attack
    assert attack[0].actor1 == "Rioters (Lebanon)"
    clash = run("Two people were killed in clashes between political opponents in Arsal on "
                "Sunday after a contested municipal election.")
    assert clash and clash[0].event_type == "Riots", clash


def test_a_headline_style_kill_counts_its_subject_as_the_dead(run):
    events = run("Two killed and at least 30 wounded in clashes between political opponents "
                 "in Arsal on Sunday.")
    assert events and events[0].fatalities == 2, events
    soldiers = run("Three soldiers killed in an ambush near Arsal on Sunday.")
    assert soldiers and soldiers[0].fatalities == 3, soldiers
    # the dead soldiers are the side attacked, not the attacker
    assert soldiers[0].actor2.startswith("Military Forces of Lebanon"), soldiers
    assert soldiers[0].actor1.startswith("Unidentified Armed Group"), soldiers
    active = run("Gunmen killed three soldiers near Arsal on Sunday.")
    assert active and active[0].fatalities == 3 and "Unidentified" in active[0].actor1


def test_ground_taken_is_located_at_the_ground_not_the_town_it_lies_near(run):
    events = run("On Saturday the Lebanese Army captured the Daher el-Khanzeer Hills from ISIS in "
                 "the outskirts of Arsal.")
    taken = [e for e in events if e.sub_event_type == "Government regains territory"]
    assert taken and taken[0].location == "Daher el-Khanzeer", [(e.sub_event_type, e.location)
                                                                for e in events]


def test_the_side_hit_is_read_from_its_positions_its_patrol_and_its_dead(run):
    pounded = run("ISIS positions near the border east of Qaa were pounded by army artillery "
                  "on Wednesday night, residents said.")
    assert pounded and pounded[0].actor2 == "Islamic State (Syria)", pounded
    blast = run("A roadside bomb exploded near a Hezbollah patrol outside Arsal on Sunday, "
                "killing two fighters.")
    assert blast and blast[0].actor2 == "Hezbollah", blast
    taken = run("Troops captured the Daher el-Khanzeer Hills on Saturday, the army said. Twenty "
                "ISIS fighters were killed, the army said.")
    assert taken and taken[0].actor2 == "Islamic State (Syria)", taken
    assert taken[0].fatalities == 20


def test_militants_in_a_report_about_one_armed_group_are_its_men(run):
    events = run("ISIS still holds the last hills east of Ras Baalbek. On Sunday army "
                 "helicopters struck a group of militants moving near Ras Baalbek.")
    strike = [e for e in events if e.sub_event_type == "Air/drone strike"]
    assert strike and strike[0].actor2 == "Islamic State (Syria)", events
    other = run("ISIS still holds the last hills east of Ras Baalbek. On Sunday unidentified "
                "militants attacked a checkpoint near Arsal.")
    assert other and all(e.actor1 != "Islamic State (Syria)" for e in other
                         if e.event_type != "Strategic developments"), other


def test_a_unit_that_came_under_attack_is_the_target_not_the_attacker(run):
    events = run("A military convoy came under attack near Mogadishu on Sunday.")
    assert events and not events[0].actor1.startswith("Military Forces"), events
    assert events[0].actor2.startswith("Military Forces of Somalia"), events


def test_the_dead_the_parser_made_a_speaker_are_still_counted(run):
    events = run("Government aircraft struck a market in Idlib early on Sunday, killing at least "
                 "35 people, residents and medics said.")
    assert events and events[0].fatalities == 35, events
    assert events[0].actor2 == "Civilians (Syria)"


def test_the_subject_of_the_first_verb_acts_in_the_later_ones(run):
    events = run("A Turkish military convoy entered Idlib province on Thursday night and began "
                 "setting up an observation post.")
    base = [e for e in events if e.sub_event_type == "Headquarters or base established"]
    assert base and base[0].actor1.startswith("Military Forces of Turkey"), events


def test_a_suspect_arrested_for_a_named_group_makes_the_group_actor2(run):
    events = run("Lebanese security forces arrested a Syrian man in Arsal on Monday on suspicion "
                 "of planning attacks for the Islamic State, the army said.")
    arrests = [e for e in events if e.sub_event_type == "Arrests"]
    assert arrests and arrests[0].actor2 == "Islamic State (Syria)", events


def test_one_side_is_never_both_actors(run):
    events = run("On Sunday the Lebanese Army reinforced its positions around Arsal, deploying "
                 "additional troops along the edge of the town, a security source said.")
    assert events and all(e.actor1 != e.actor2 for e in events), events


def test_state_forces_of_a_country_named_with_an_article_carry_it():
    from frontlines.events.actors import ActorDictionary

    actors = ActorDictionary.load()
    when = dt.date(2017, 7, 1)
    assert actors.generic("military", "CF", when).name.startswith(
        "Military Forces of the Central African Republic")
    assert actors.generic("military", "CD", when).name.startswith(
        "Military Forces of the Democratic Republic of Congo")
    assert actors.generic("military", "SY", when).name.startswith("Military Forces of Syria")
    civilians = actors.generic("civilians", "CD", when).name
    assert civilians == "Civilians (Democratic Republic of Congo)"


@pytest.mark.parametrize(("sentence", "sub_event"), [
    # ground won told as control, an advance into a place, or a loss after someone's assault
    ("Rebel fighters managed to control the hill of Tal Sawda after clashes with the army on "
     "Monday.", "Non-state actor overtakes territory"),
    ("The army advanced into Kafr Sajna after fierce clashes with the rebels on Monday.",
     "Government regains territory"),
    ("Government troops lost control of the Tal Sawda hill after an ISIS assault on Monday.",
     "Non-state actor overtakes territory"),
    ("Turkish troops seized the village of Kafr Sajna from the SDF after clashes on Monday.",
     "Non-state actor overtakes territory"),
])
def test_ground_won_in_other_words(run, sentence, sub_event):
    assert any(e.sub_event_type == sub_event for e in run(sentence))


def test_an_area_held_is_no_ground_won(run):
    events = run("The army shelled ISIS-controlled areas near Kafr Sajna on Monday.")
    assert not any("territory" in e.sub_event_type for e in events)
