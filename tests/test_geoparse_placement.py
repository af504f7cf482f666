"""Placement in the region's own reporting (issue #10): containment, area of interest, focus
from real evidence, distance sanity. Team-written texts with real places; the offline default
gazetteer (no network) and the real model."""

from __future__ import annotations

import datetime as dt

import pytest

from frontlines.geoparse.containment import Placement, inside
from frontlines.geoparse.focus import article_focus, attributive
from frontlines.geoparse.sources import article_region, source_country
from frontlines.model import Article, Place, Toponym
from frontlines.settings import Settings, region_codes


def _place(gid: int, name: str, cc: str, lat: float, lon: float, code: str = "PPL",
           admin1: str | None = None) -> Place:
    return Place(geonameid=gid, name=name, country_code=cc, latitude=lat, longitude=lon,
                 feature_class="A" if code.startswith(("ADM", "PCL")) else "P",
                 feature_code=code, admin1_code=admin1)


HASAKAH = _place(1, "Al-Hasakah", "SY", 36.5, 40.75, "ADM1", "01")
QAMISHLI = _place(2, "Qamishli", "SY", 37.05, 41.22, "PPL", "01")
NICE = _place(3, "Nice", "FR", 43.70, 7.27, "PPLA2", "93")


def test_inside_uses_admin_codes_then_radius_by_kind() -> None:
    assert inside(QAMISHLI, HASAKAH)
    assert not inside(NICE, HASAKAH)
    town = _place(4, "Shaalah", "SY", 36.3, 37.0)
    aleppo_city = _place(5, "Aleppo", "SY", 36.2, 37.16)
    assert not inside(town, aleppo_city)  # 17 km: beyond a city's own reach ...
    assert inside(town, aleppo_city, around=True)  # ... inside "the Aleppo countryside"


@pytest.mark.parametrize("gap", [" in ", " town in ", " in rural ", " in the eastern ",
                                 " district of ", " (", ", ", " area in the ", " front in "])
def test_containment_gaps_are_read(gap: str) -> None:
    assert Placement.load().gap.fullmatch(gap)


@pytest.mark.parametrize("gap", [" and ", " said ", " on Monday in ", " to "])
def test_other_gaps_are_not_containment(gap: str) -> None:
    assert not Placement.load().gap.fullmatch(gap)


@pytest.mark.parametrize("text", ["the depreciation of the lira against the US dollar",
                                  "a US-made drone", "the Saudi-led coalition",
                                  "prices in Syrian pounds"])
def test_currencies_and_attributes_are_no_evidence(text: str) -> None:
    name = next(n for n in ("US", "Saudi", "Syrian") if n in text)
    start = text.index(name)
    assert attributive(text, start, start + len(name))
    us = Place(geonameid=6252001, name="United States", country_code="US", latitude=39.76,
               longitude=-98.5, feature_class="A", feature_code="PCLI")
    topo = Toponym(text=name, start=start, end=start + len(name), place=us)
    assert article_focus(text, [topo]).shares.get("US", 0.0) == 0.0


def test_region_setting_and_outlet_home_country(monkeypatch) -> None:
    monkeypatch.setenv("FRONTLINES_REGION", "lb, sy")
    assert region_codes(Settings().region) == ("LB", "SY")
    article = Article.make(text="x", url="https://www.naharnet.com/stories/en/1")
    assert source_country(article) == "LB"
    assert article_region(article, ("SY",)) == ("SY", "LB")
    monkeypatch.setenv("FRONTLINES_REGION", "Lebanon")
    with pytest.raises(Exception, match="alpha-2"):
        Settings()


# -- end to end, the real model and the offline default gazetteer -----------------------------

def _events(nlp, gazetteer_path, text: str, *, region: str = "", source: str | None = None):
    from frontlines.gazetteer import Gazetteer
    from frontlines.pipeline import Frontlines

    frontlines = Frontlines(Settings(region=region), gazetteer=Gazetteer(gazetteer_path),
                            nlp=nlp)
    article = Article.make(text=text, published=dt.date(2022, 3, 2), source=source)
    (analysis,) = list(frontlines.analyse([article]))
    return analysis


SYRIAN_OP = ("BEIRUT - The Syrian army launched a military operation on Tuesday against "
             "militants in the town of Qusayr in Homs countryside, killing at least 12 of them, "
             "a security source told L'Orient Today.")
DOLLAR_PROTEST = ("Dozens of protesters blocked the main road in Tripoli on Monday, burning tires "
                  "against the collapse of the lira, which lost 90 percent of its value against "
                  "the US dollar.")
SIDON_PROTEST = ("Protesters gathered in Sidon on Saturday to denounce the dollar exchange rate "
                 "and rising fuel prices.")
HASAKEH = ("Unknown gunmen shot dead two men in the village of Tal Umm Zaytunah in al-Hasakeh "
           "province on Sunday, activists said.")


@pytest.mark.slow
@pytest.mark.parametrize("region", ["", "LB,SY"])
def test_syrian_army_operation_in_a_lebanese_outlet_lands_in_syria(nlp, offline_gazetteer,
                                                                   region: str) -> None:
    analysis = _events(nlp, offline_gazetteer, SYRIAN_OP, region=region, source="L'Orient Today")
    assert analysis.events
    assert {e.country for e in analysis.events} == {"Syria"}


@pytest.mark.slow
@pytest.mark.parametrize("region", ["", "LB,SY"])
@pytest.mark.parametrize("text", [DOLLAR_PROTEST, SIDON_PROTEST])
def test_lebanese_protest_mentioning_the_dollar_lands_in_lebanon(nlp, offline_gazetteer,
                                                                 region: str, text: str) -> None:
    # without a region the outlet's home country is the prior; the dollar is no evidence
    analysis = _events(nlp, offline_gazetteer, text, region=region, source="Naharnet")
    assert analysis.events
    assert {e.country for e in analysis.events} == {"Lebanon"}


@pytest.mark.slow
@pytest.mark.parametrize("region", ["", "LB,SY"])
def test_unknown_place_in_al_hasakeh_lands_at_the_province(nlp, offline_gazetteer,
                                                          region: str) -> None:
    analysis = _events(nlp, offline_gazetteer, HASAKEH, region=region)
    (event,) = analysis.events
    assert event.country == "Syria"
    assert event.geo_precision == 3
    assert abs(event.latitude - 36.5) < 1.0 and abs(event.longitude - 40.7) < 1.2


def _spans(text: str, names: list[str]):
    from types import SimpleNamespace

    out, pos = [], 0
    for name in names:
        start = text.index(name, pos)
        out.append(SimpleNamespace(start=start, end=start + len(name)))
        pos = start + len(name)
    return out


def test_a_list_of_peers_is_no_chain_of_containers():
    """'A, B, C and D' names four peers: none lies inside the next. A chain of containers
    ('Tal Hamis, al-Hasakeh, Syria') and a pair ('Qamishli, Syria') keep their reading."""
    from frontlines.geoparse.containment import _listed

    counties = "Cases were reported in Migori, Homa Bay, Kisii and Mandera County."
    assert _listed(counties, _spans(counties, ["Migori", "Homa Bay", "Kisii", "Mandera County"])) \
        == {0, 1, 2, 3}
    states = "Flu spread to Idaho, Maine, Montana, Delaware, Vermont."
    assert _listed(states, _spans(states, ["Idaho", "Maine", "Montana", "Delaware", "Vermont"])) \
        == {0, 1, 2, 3, 4}
    chain = "Shelling hit Tal Hamis, al-Hasakeh, Syria on Monday."
    assert _listed(chain, _spans(chain, ["Tal Hamis", "al-Hasakeh", "Syria"])) == set()
    pair = "Protests in Qamishli, Syria grew."
    assert _listed(pair, _spans(pair, ["Qamishli", "Syria"])) == set()
