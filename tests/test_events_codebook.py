"""Codebook, country table, interaction codes and the actor dictionary (no spaCy model)."""

from __future__ import annotations

import datetime as dt

import pytest

from frontlines.errors import ConfigError
from frontlines.events import ActorDictionary, interaction_code, load_codebook


def test_taxonomy_has_acled_six_types_and_25_sub_types():
    cb = load_codebook()
    assert sorted(cb.event_types) == sorted([
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
        "Riots", "Strategic developments"])
    assert len(cb.sub_event_types) == 25
    assert cb.sub_event("Government regains territory").event_type == "Battles"
    assert cb.sub_event("Air/drone strike").disorder_type == "Political violence"
    assert cb.sub_event("Peaceful protest").disorder_type == "Demonstrations"
    assert cb.sub_event("Excessive force against protesters").disorder_type == \
        "Political violence; Demonstrations"
    assert cb.sub_event("Non-violent transfer of territory").disorder_type == "Strategic developments"
    with pytest.raises(ConfigError, match="valid types"):
        cb.sub_event("Skirmish")


@pytest.mark.parametrize(("i1", "i2", "code"), [(1, 2, 12), (2, 1, 12), (7, 1, 17), (2, 7, 27),
                                                (6, 0, 60), (0, 1, 10), (8, 8, 88), (0, 0, 0)])
def test_interaction_codes(i1, i2, code):
    assert interaction_code(i1, i2) == code


def test_civilian_targeting():
    cb = load_codebook()
    assert cb.civilian_targeting("Attack", 7) == "Civilian targeting"
    assert cb.civilian_targeting("Air/drone strike", 7) == "Civilian targeting"
    assert cb.civilian_targeting("Air/drone strike", 2) == ""
    assert cb.civilian_targeting("Armed clash", 7) == ""
    assert cb.civilian_targeting("Excessive force against protesters", 6) == "Civilian targeting"


def test_country_table():
    cb = load_codebook()
    lb = cb.country("LB")
    assert (lb.iso3, lb.numeric, lb.name, lb.region) == ("LBN", 422, "Lebanon", "Middle East")
    assert cb.country("SYR").numeric == 760
    assert cb.country("422").iso2 == "LB"
    assert cb.country("DRC").name == "Democratic Republic of Congo"
    assert cb.country_by_demonym("Somali").iso2 == "SO"
    assert cb.country("Atlantis") is None


def test_old_event_types_map_to_current_ones():
    cb = load_codebook()
    assert cb.old_type("Battle-Government regains territory").sub_event_type == \
        "Government regains territory"
    assert cb.old_type("Riots/Protests").event_types == ("Protests", "Riots")
    assert cb.old_type("Remote violence").event_types == ("Explosions/Remote violence",)
    assert cb.old_type("Remote violence").sub_event_type is None


def test_actor_aliases_and_acronym_case():
    actors = ActorDictionary.default()
    text = "HTS and Saraya Ahl al-Sham left; the town is quiet as ISIS and Daesh's men fled."
    found = [(m.text, m.entry.name) for m in actors.find(text)]
    assert ("HTS", "Hayat Tahrir al-Sham") in found
    assert ("Saraya Ahl al-Sham", "Saraya Ahl al-Sham") in found
    assert ("ISIS", "Islamic State") in found
    assert ("Daesh", "Islamic State") in found
    assert all(m.text != "is" for m in actors.find(text))  # "IS" only in capitals


def test_state_forces_names_and_external_inter():
    actors = ActorDictionary.default()
    lebanon = actors.generic("military", "LB", dt.date(2017, 8, 19))
    assert lebanon.name == "Military Forces of Lebanon (1989-)" and lebanon.inter == 1
    syria = actors.entries["Military Forces of Syria"]
    assert actors.display_name(syria, event_country="SY", when=dt.date(2017, 8, 1)) == \
        "Military Forces of Syria (2000-2024)"
    assert actors.inter_in(syria, "SY") == 1
    assert actors.inter_in(actors.entries["Military Forces of Israel"], "LB") == 8
    assert actors.generic("civilians", "LB").name == "Civilians (Lebanon)"
    assert actors.generic("protesters", "KE").inter == 6
    isis = actors.entries["Islamic State"]
    assert actors.display_name(isis, event_country="IQ", when=None) == "Islamic State (Iraq)"


def test_state_forces_carry_the_government_in_office_on_the_event_day():
    """A period changes on the day a government takes office, not on 1 January: an Israeli
    strike in spring 2022 falls under the government formed in June 2021."""
    actors = ActorDictionary.default()
    israel = actors.entries["Military Forces of Israel"]
    for day, period in ((dt.date(2021, 5, 20), "(2009-2021)"), (dt.date(2022, 3, 2), "(2021-2022)"),
                        (dt.date(2023, 1, 15), "(2022-)")):
        assert actors.display_name(israel, event_country="PS", when=day).endswith(period)
    assert actors.generic("military", "IQ", dt.date(2022, 2, 1)).name.endswith("(2020-2022)")
    assert actors.generic("military", "IQ", dt.date(2022, 11, 1)).name.endswith("(2022-)")


def test_an_actor_renamed_from_a_date_or_in_an_operations_theatre():
    actors = ActorDictionary.default()
    houthis = actors.entries["Houthi Movement"]
    assert actors.display_name(houthis, event_country="YE", when=dt.date(2015, 9, 1)) == \
        "Houthi Movement"
    spc = "Military Forces of Yemen (2016-) Supreme Political Council"
    assert actors.display_name(houthis, event_country="YE", when=dt.date(2022, 3, 1)) == spc
    assert actors.inter_in(houthis, "YE", dt.date(2022, 3, 1)) == 1
    saudi = actors.entries["Military Forces of Saudi Arabia"]
    assert actors.display_name(saudi, event_country="YE", when=dt.date(2019, 6, 1)) == \
        "Operation Restoring Hope"
    assert actors.inter_in(saudi, "YE", dt.date(2019, 6, 1)) == 8
    # the same force at home, or before the operation, keeps its own name
    assert actors.display_name(saudi, event_country="SA", when=dt.date(2019, 6, 1)) \
        .startswith("Military Forces of Saudi Arabia")
    assert actors.display_name(saudi, event_country="YE", when=dt.date(2014, 6, 1)) \
        .startswith("Military Forces of Saudi Arabia")


def test_user_file_extends_dictionary(tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "actors:\n"
        "  - name: Liwa al-Quds\n    inter: 3\n    country: SY\n    aliases: [Quds Brigade]\n"
        "  - name: Hezbollah\n    inter: 3\n    aliases: [Party of God]\n"
        "generic:\n  civilians:\n    words: [shopkeeper]\n", encoding="utf-8")
    actors = ActorDictionary.load(extra)
    names = [m.entry.name for m in actors.find("The Quds Brigade and the Party of God advanced.")]
    assert names == ["Liwa al-Quds", "Hezbollah"]
    assert "Hizbollah" in actors.entries["Hezbollah"].aliases  # shipped aliases kept
    assert actors.generic_kind(["shopkeeper"]).kind == "civilians"
    assert actors.generic_kind(["villager"]).kind == "civilians"


@pytest.mark.parametrize("body", ["actors:\n  - name: X\n", "actors:\n  - name: X\n    inter: 9\n",
                                  "- just a list\n", "actors: [\n"])
def test_bad_actor_file_names_the_problem(tmp_path, body):
    bad = tmp_path / "bad.yaml"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml"):
        ActorDictionary.load(bad)
