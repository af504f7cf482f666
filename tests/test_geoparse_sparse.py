"""A country the gazetteer barely covers (issue #10: Yemen with the offline default): a small
place read abroad falls back to the division named or the country, never a namesake abroad;
and an actor's alias ("Houthi") is no toponym. Team-written texts with real places."""

from __future__ import annotations

import spacy

from frontlines.geoparse import find_toponyms
from frontlines.geoparse.rank import Option, Scored
from frontlines.geoparse.recognize import ToponymMatch
from frontlines.geoparse.sanity import sane
from frontlines.model import Place, Toponym


def _place(gid: int, name: str, cc: str, lat: float, lon: float, code: str = "PPL",
           population: int = 0) -> Place:
    return Place(geonameid=gid, name=name, country_code=cc, latitude=lat, longitude=lon,
                 feature_class="A" if code.startswith(("ADM", "PCL")) else "P",
                 feature_code=code, population=population)


YEMEN = _place(69543, "Yemen", "YE", 15.5, 47.5, "PCLI")
HAYS_KS = _place(4272782, "Hays", "US", 38.88, -99.33)  # Kansas, namesake of Hays district
MARIB_GOV = _place(70935, "Ma'rib", "YE", 15.5, 45.5, "ADM1")
JIZAN = _place(105298, "Jizan", "SA", 16.89, 42.55)


def _sane(text: str, names: list[tuple[str, Place]]):
    matches, toponyms, ranked = [], [], []
    for name, place in names:
        s = text.index(name)
        matches.append(ToponymMatch(s, s + len(name), name, "ner"))
        toponyms.append(Toponym(text=name, start=s, end=s + len(name), place=place))
        ranked.append([Scored(Option(place, place.name, "exact", 1.0), 1.0, ("exact name",))])
    out, _ = sane(text, matches, toponyms, ranked, sparse=lambda c: c == "YE",
                  country=lambda c: YEMEN if c == "YE" else None)
    return out


def test_lone_namesake_abroad_falls_back_to_the_country() -> None:
    (hays,) = _sane("Houthi fighters shelled villages in Hays district on Monday.",
                    [("Hays", HAYS_KS)])
    assert hays.place == YEMEN and hays.geo_precision == 3
    assert "sparse coverage" in hays.reason


def test_the_division_named_holds_it_before_the_country() -> None:
    text = "A landmine planted by the Houthis killed a shepherd in Harib, Marib governorate."
    harib_abroad = _place(1, "Harib", "US", 41.0, -80.0)
    harib, marib = _sane(text, [("Harib", harib_abroad), ("Marib", MARIB_GOV)])
    assert harib.place == MARIB_GOV and harib.geo_precision == 3
    assert marib.place == MARIB_GOV


def test_a_neighbour_close_by_is_kept() -> None:
    (jizan,) = _sane("A Houthi drone hit a fuel depot in Jizan on Sunday.", [("Jizan", JIZAN)])
    assert jizan.place == JIZAN


def test_a_reading_the_text_supports_is_kept() -> None:
    kansas = _place(4273857, "Kansas", "US", 38.5, -98.5, "ADM1")
    hays, _ = _sane("Yemeni students rallied against the Houthi blockade in Hays, Kansas.",
                    [("Hays", HAYS_KS), ("Kansas", kansas)])
    assert hays.place == HAYS_KS


def test_an_actor_alias_is_no_toponym() -> None:
    doc = spacy.blank("en")("Houthi forces attacked government positions near Marib.")
    found = find_toponyms(doc, knows=lambda name: name in ("Houthi", "Marib"))
    assert [m.text for m in found] == ["Marib"]
