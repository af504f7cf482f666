"""ACLED-faithful events: layout labels and codes, numbers, admin names, source scales, tags,
time precision and notes in ACLED's voice (pure functions; no model, no store)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from frontlines.errors import ConfigError
from frontlines.events.dates import find_dates
from frontlines.events.notes import acled_notes, clean_sentence
from frontlines.events.tags import (
    SourceScales,
    Tagger,
    combine_scales,
    event_tags,
    source_scale,
)
from frontlines.export import read_events_csv, write_events
from frontlines.export_acled import (
    acled_cells,
    coordinate,
    inter_label,
    interaction_label,
    parse_inter,
    parse_interaction,
)
from frontlines.gazetteer.admin import AdminAreas, admin_names
from frontlines.model import ACLED_COLUMNS, Event, Place

D = dt.date


# -- layout ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("code", "label"), [
    (12, "State forces-Rebel group"), (60, "Protesters only"), (17, "State forces-Civilians"),
    (78, "External/Other forces-Civilians"), (88, "External/Other forces-External/Other forces"),
    (10, "State forces only"), (37, "Political militia-Civilians"), (0, ""),
])
def test_interaction_labels_of_the_current_layout(code, label):
    assert interaction_label(code) == label
    assert parse_interaction(label) == code
    assert parse_interaction(str(code)) == code


def test_actor_type_labels_and_codes():
    assert [inter_label(c) for c in range(9)] == [
        "", "State forces", "Rebel group", "Political militia", "Identity militia", "Rioters",
        "Protesters", "Civilians", "External/Other forces"]
    assert parse_inter("state forces") == 1 and parse_inter("8") == 8 and parse_inter("") == 0
    assert interaction_label(21) == "21"  # not a code ACLED writes (higher first): kept as is
    with pytest.raises(ValueError, match="neither a code nor one of ACLED's labels"):
        parse_inter("Soldiers")


EVENT = Event(event_id_cnty="LBN12", event_date=D(2017, 8, 19), year=2017,
              event_type="Protests", sub_event_type="Peaceful protest", actor1="Protesters (Lebanon)",
              inter1=6, interaction=60, iso=422, country="Lebanon", admin1="Beirut",
              admin2="Beirut", location="Beirut", latitude=33.893320000000004, longitude=35.50157,
              geo_precision=1, fatalities=0, timestamp=1503100800, tags="crowd size=hundreds")


def test_cells_in_each_layout():
    current = dict(zip(ACLED_COLUMNS, acled_cells(EVENT, "current"), strict=True))
    legacy = dict(zip(ACLED_COLUMNS, acled_cells(EVENT, "legacy"), strict=True))
    assert (current["inter1"], current["inter2"], current["interaction"]) == \
        ("Protesters", "", "Protesters only")
    assert (legacy["inter1"], legacy["inter2"], legacy["interaction"]) == ("6", "0", "60")
    for cells in (current, legacy):
        assert cells["latitude"] == "33.8933" and cells["longitude"] == "35.5016"
        assert cells["event_date"] == "2017-08-19" and cells["fatalities"] == "0"
        assert cells["timestamp"] == "1503100800" and cells["admin3"] == ""
    with pytest.raises(ConfigError, match="'newest'.*current, legacy"):
        acled_cells(EVENT, "newest")


@pytest.mark.parametrize(("value", "text"), [
    (35.253370000000004, "35.2534"), (15.032, "15.032"), (-0.00004, "0.0"), (36.0, "36.0"),
    (None, ""), (float("nan"), ""), (33.99999, "34.0"),
])
def test_coordinates_as_acled_writes_them(value, text):
    assert coordinate(value) == text


def test_both_layouts_read_back_to_the_same_event():
    for layout in ("current", "legacy"):
        buffer = io.StringIO(newline="")
        write_events([EVENT], "csv", buffer, layout=layout)
        (back,) = read_events_csv(io.StringIO(buffer.getvalue(), newline=""))
        assert back == EVENT.replace(latitude=33.8933, longitude=35.5016)


def test_unknown_layout_is_refused_by_the_writer():
    with pytest.raises(ConfigError, match="acled_layout"):
        write_events([EVENT], "csv", io.StringIO(), layout="2019")


def test_no_float_artefacts_in_any_numeric_cell():
    buffer = io.StringIO(newline="")
    write_events([EVENT.replace(latitude=0.1 + 0.2, longitude=1.1 * 3)], "csv", buffer)
    (row,) = csv.DictReader(io.StringIO(buffer.getvalue(), newline=""))
    assert (row["latitude"], row["longitude"]) == ("0.3", "3.3")


# -- admin names ----------------------------------------------------------------------------
def town(name, lat, lon, *, cc="LB", admin1="Baalbek-Hermel", admin2=None, code="PPL",
         fclass="P"):
    return Place(geonameid=abs(hash(name)) % 10**8, name=name, country_code=cc, latitude=lat,
                 longitude=lon, feature_class=fclass, feature_code=code, admin1=admin1,
                 admin2=admin2)


@pytest.mark.parametrize(("place", "admin2"), [
    (town("Ras Baalbek", 34.25889, 36.41917), "Baalbek"),  # nearer Hermel's seat than Baalbek's
    (town("Qaa", 34.34417, 36.47444), "Baalbek"),
    (town("Aarsal", 34.17944, 36.42028), "Baalbek"),
    (town("El Hermel", 34.39417, 36.38472), "Hermel"),
    (town("Tyre", 33.27333, 35.19389, admin1="South"), "Tyr"),
    (town("Saraqib", 35.86447, 36.80066, cc="SY", admin1="Idlib"), "Idleb"),
    (town("Metula", 33.27929, 35.57952, cc="IL", admin1="Northern District"), "Zefat"),
])
def test_admin2_of_levant_towns(place, admin2):
    assert admin_names(place).admin2 == admin2


def test_admin_names_rules():
    saraqib = admin_names(town("Saraqib", 35.86447, 36.80066, cc="SY", admin1="Idlib"))
    assert saraqib == admin_names(town("Saraqib", 35.8645, 36.8007, cc="SY", admin1="Idlib"))
    assert (saraqib.admin1, saraqib.admin2, saraqib.admin3) == ("Idlib", "Idleb", "Saraqab")
    # GeoNames' own admin2 wins; a division is its own admin2; a governorate has none
    assert admin_names(town("Zahle", 33.84675, 35.90203, admin2="Caza de Zahleh")).admin2 == \
        "Caza de Zahleh"
    assert admin_names(town("Caza de Baalbek", 34.05, 36.3, code="ADM2", fclass="A")).admin2 == \
        "Caza de Baalbek"
    assert admin_names(town("Baalbek-Hermel", 34.1, 36.4, code="ADM1", fclass="A")) == \
        admin_names(None).__class__(admin1="Baalbek-Hermel")
    # far from every anchor (the Syrian desert), or a country without anchors: unknown
    assert admin_names(town("Nowhere", 34.4, 39.5, cc="SY", admin1="Homs")).admin2 == ""
    assert admin_names(town("Aden", 12.78, 45.04, cc="YE", admin1="Aden")).admin2 == ""
    assert admin_names(None).admin2 == ""


def test_a_team_table_adds_anchors(tmp_path):
    extra = tmp_path / "ours.csv"
    extra.write_text("country,admin1,admin2,admin3,town,latitude,longitude\n"
                     "YE,Aden,Craiter,,Crater,12.7797,45.0367\n", encoding="utf-8")
    areas = AdminAreas.load(extra)
    assert areas.names(town("Aden", 12.78, 45.04, cc="YE", admin1="Aden")).admin2 == "Craiter"
    bad = tmp_path / "bad.csv"
    bad.write_text("country,admin2,latitude,longitude\nYE,Craiter,north,45\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"bad.csv row 2.*decimal degrees"):
        AdminAreas.load(bad)


# -- source scale and tags --------------------------------------------------------------------
def test_source_scale_by_name_or_domain(tmp_path):
    assert source_scale("National News Agency") == "National"
    assert source_scale("national news agency (NNA)", "http://nna-leb.gov.lb/en/x") == "National"
    assert source_scale(None, "https://www.reuters.com/world/middle-east/x") == "International"
    assert source_scale("Some Blog", "https://beirut.example/x") == ""  # unknown: no guess
    mine = tmp_path / "scales.csv"
    mine.write_text("outlet,domains,scale\nReuters,,Other\nBeirut Blog,beirut.example,"
                    "New media\n", encoding="utf-8")
    scales = SourceScales.load(mine)
    assert scales.scale("Reuters") == "Other"  # the user's row wins
    assert scales.scale("x", "https://news.beirut.example/a") == "New media"
    assert SourceScales.load(tmp_path / "absent.csv").scale("Reuters") == "International"


def test_scales_of_several_outlets_combine_as_acled_writes_them():
    assert combine_scales("National", "Other") == "Other-National"
    assert combine_scales("International", "National", "National") == "National-International"
    assert combine_scales("Local partner-Other", "New media") == "Local partner-Other-New media"
    assert combine_scales("", "Regional") == "Regional" and combine_scales() == ""


@pytest.mark.parametrize(("text", "tag"), [
    ("Hundreds of protesters marched in Tyre.", "crowd size=hundreds"),
    ("A few dozen residents blocked the road.", "crowd size=a few dozen"),
    ("Tens of thousands rallied in Martyrs' Square.", "crowd size=tens of thousands"),
    ("Some 200 demonstrators gathered outside the ministry.", "crowd size=around 200"),
    ("More than 1,500 people took to the streets.", "crowd size=more than 1500"),
    ("At least 300 students protested.", "crowd size=at least 300"),
    ("Residents protested against the power cuts.", "crowd size=no report"),
    ("Police arrested 12 protesters outside parliament.", "crowd size=no report"),
])
def test_crowd_size(text, tag):
    assert event_tags(text, event_type="Protests") == tag


def test_women_targeted_and_no_tags_elsewhere():
    assert event_tags("Gunmen shot dead a female journalist in Sidon.",
                      event_type="Violence against civilians") == "women targeted: journalists"
    assert event_tags("A shell hit a school, wounding three girls.",
                      event_type="Explosions/Remote violence", civilian_targeting=True) == \
        "women targeted: girls"
    assert event_tags("Hundreds of soldiers clashed with militants.", event_type="Battles") == ""
    riot = event_tags("Hundreds of rioters attacked the wife of the mayor.", event_type="Riots")
    assert riot == "crowd size=hundreds; women targeted: relatives of targeted groups or individuals"


def test_a_bad_pattern_in_the_vocabulary_names_the_file(tmp_path):
    path = tmp_path / "tags.yaml"
    path.write_text("crowd_size: {event_types: [Protests], format: 'x', unreported: 'y', "
                    "words: [{pattern: '(', size: s}], number: '1', qualifiers: {}, "
                    "crowd_words: 'p'}\nwomen_targeted: {event_types: [], format: '', "
                    "groups: []}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tags.yaml.*not a valid regular expression"):
        Tagger.load(path)


# -- time precision -------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "first", "precision"), [
    ("Clashes raged on Saturday and Sunday near Arsal.", D(2017, 8, 19), 2),
    ("Fighting went on between Friday and Sunday.", D(2017, 8, 18), 2),
    ("The army advanced early this week.", D(2017, 8, 21), 2),
    ("Strikes continued over the past few days.", D(2017, 8, 15), 2),
    ("The group was expelled earlier this month.", D(2017, 8, 1), 3),
    ("The town fell in August.", D(2017, 8, 1), 3),
    ("Troops shelled the hills on Saturday.", D(2017, 8, 19), 1),
])
def test_time_precision_from_the_text(text, first, precision):
    (mention,) = find_dates(text, D(2017, 8, 21))
    assert (mention.first, mention.precision) == (first, precision)


# -- notes ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("sentence", "notes"), [
    ("On Thursday evening hundreds of people marched in Tyre.",
     "On 20 July 2017, hundreds of people marched in Tyre."),
    ("- The Lebanese Army   took over\nthe positions.",
     "On 20 July 2017, the Lebanese Army took over the positions."),
    ("Early on Thursday, **Hezbollah** fighters took the hill",
     "On 20 July 2017, Hezbollah fighters took the hill."),
    ("1. Thursday's attack killed two soldiers near Qaa.",
     "On 20 July 2017, Thursday's attack killed two soldiers near Qaa."),
    ("ISIS shelled Ras Baalbek on Thursday.", "On 20 July 2017, ISIS shelled Ras Baalbek on Thursday."),
    ("Three soldiers were killed by a [landmine](http://x.example/a).",
     "On 20 July 2017, three soldiers were killed by a landmine."),
])
def test_notes_in_acled_voice(sentence, notes):
    assert acled_notes(sentence, D(2017, 7, 20)) == notes


def test_notes_follow_the_model_and_the_precision():
    sentence = "Syrian warplanes struck Jarajir. "
    assert acled_notes(sentence, D(2017, 8, 21), proper={"Syrian", "Jarajir"}) == \
        "On 21 August 2017, Syrian warplanes struck Jarajir."
    assert acled_notes("Hezbollah's war media said so.", D(2017, 8, 21),
                       proper={"Hezbollah"}) == "On 21 August 2017, Hezbollah's war media said so."
    assert acled_notes("The army's units advanced.", D(2017, 8, 21), proper=set()) == \
        "On 21 August 2017, the army's units advanced."
    assert acled_notes("Shells fell on Qaa.", D(2017, 8, 21), proper={"Shells", "Qaa"}) == \
        "On 21 August 2017, shells fell on Qaa."  # a common opener, whatever the tagger says
    assert acled_notes("Clashes went on.", D(2017, 8, 19), precision=2) == \
        "On or around 19 August 2017, clashes went on."
    assert acled_notes("The town fell.", D(2017, 8, 1), precision=3) == \
        "In August 2017, the town fell."
    long = acled_notes("The army " + "shelled the hills " * 40, D(2017, 8, 19))
    assert len(long) <= 400 and long.endswith("...")
    assert clean_sentence("* item\n  * __two__  words") == "item two words"
