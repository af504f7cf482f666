"""Acceptance scenario: the August 2017 jurd battles on the Lebanon-Syria border.

Initial state: the shared pre-August 2017 Wikipedia border map plus two ISIL positions of the
Jroud al-Qaa sector (tests/fixtures/control/jroud_isil_marks.csv). Events: hand-built Event
records (tests/fixtures/control/aug2017_events.yaml) for 19-21 Aug (Lebanese Army takes the
hills around Ras Baalbek; Syrian Army and Hezbollah take Sha'bet Younes and Qurnat
al-Hashishat) and the 27-28 Aug ceasefire and ISIL evacuation.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import shared_file
from shapely.geometry import LinearRing

from frontlines.control import AlertReport, ControlMap, alerts, load_initial
from frontlines.model import Event, Place

FIXTURES = Path(__file__).parent / "fixtures" / "control"
D = dt.date
AUG = {d: D(2017, 8, d) for d in range(17, 31)}
TOWNS = ("Ras Baalbek", "El Qaa", "Fakiha")
HOSTILE = "hostile-position-near-town"


def scenario_events() -> list[Event]:
    doc = yaml.safe_load((FIXTURES / "aug2017_events.yaml").read_text(encoding="utf-8"))
    return [Event(**{**doc["defaults"], **e}) for e in doc["events"]]


def scenario_places() -> list[Place]:
    with (FIXTURES / "places.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [Place(geonameid=int(r["geonameid"]), name=r["name"], country_code=r["country_code"],
                  latitude=float(r["latitude"]), longitude=float(r["longitude"]),
                  feature_class=r["feature_class"], feature_code=r["feature_code"],
                  population=int(r["population"])) for r in rows]


@pytest.fixture(scope="module")
def events() -> list[Event]:
    return scenario_events()


@pytest.fixture(scope="module")
def cmap(events) -> ControlMap:
    border = shared_file("dev/wiki_lebanon_control_map/lebanese_insurgency_detailed_map_marks.csv")
    marks = load_initial(border) + load_initial(FIXTURES / "jroud_isil_marks.csv")
    return ControlMap(initial=marks, events=events)


def side(cmap: ControlMap, name: str, day: int) -> str | None:
    return cmap.snapshot(AUG[day]).point(name).side


@pytest.mark.shared
@pytest.mark.parametrize(("name", "day", "before", "after"), [
    ("Dhour el Khanzir", 19, "ISIL", "Lebanese Government"),  # Tal'at el-Khanzeer
    ("Ras el Kaf", 19, "ISIL", "Lebanese Government"),
    ("Wadi al Hamid", 19, "ISIL", "Lebanese Government"),  # reported as "Wadi Hmaid"
    ("Al Ajram", 20, "ISIL", "Lebanese Government"),
    ("Qurnat al-Hashishat", 20, "ISIL", "Syrian Government"),  # "Qornet el Hashishat"
    ("Al-Zimrani", 28, "ISIL", "Syrian Government"),  # evacuation deal
    ("Dahr al-Lezzabe", 28, "ISIL", "Lebanese Government"),  # area handover
    ("Wadi Aaouaini", 28, "ISIL", "Lebanese Government"),
])
def test_hills_change_hands_on_the_right_day(cmap, name, day, before, after):
    assert side(cmap, name, day - 1) == before
    assert side(cmap, name, day) == after
    (transfer,) = [t for t in cmap.timeline(name)]
    assert transfer.date == AUG[day]
    assert transfer.evidence and all(e.sentence for e in transfer.evidence)


@pytest.mark.shared
def test_new_point_for_a_place_the_map_did_not_have(cmap):
    # first heard of when captured from ISIL on the 19th: ISIL's before, by implication
    assert cmap.snapshot(AUG[18]).point("Sha'bet Younes").rule == "held-before-capture"
    with pytest.raises(KeyError):
        cmap.snapshot(D(2017, 7, 1)).point("Sha'bet Younes")
    younes = cmap.snapshot(AUG[19]).point("Sha'bet Younes")
    assert (younes.side, younes.allies, younes.state) == ("Syrian Government", ("Hezbollah",),
                                                          "claimed")


@pytest.mark.shared
def test_states_follow_the_sources(cmap):
    s19 = cmap.snapshot(AUG[19])
    assert s19.point("Dhour el Khanzir").sources == ("National News Agency", "The Daily Star")
    assert s19.point("Wadi al Hamid").state == "claimed"  # one source
    # Qurnat al-Hashishat: Al-Manar on the 20th, SANA on the 21st -> confirmed once quiet.
    assert cmap.snapshot(AUG[20]).point("Qurnat al-Hashishat").sources == ("Al-Manar",)
    assert cmap.snapshot(AUG[25]).point("Qurnat al-Hashishat").state == "confirmed"
    # Army shelling around Wadi Aaouaini on the 19th: contested for three days.
    assert s19.point("Wadi Aaouaini").state == "contested"
    assert cmap.snapshot(AUG[22]).point("Wadi Aaouaini").state == "claimed"
    assert cmap.snapshot(AUG[25]).point("Al Ajram").state == "confirmed"


@pytest.mark.shared
def test_isil_area_shrinks_and_is_gone_after_the_evacuation(cmap):
    series = dict(cmap.area_series([AUG[18], AUG[19], AUG[20], AUG[27], AUG[28]]))
    isil = [series[d].get("ISIL", 0.0) for d in (AUG[18], AUG[19], AUG[20], AUG[27], AUG[28])]
    assert isil[0] > 100  # the jurd pocket, in km²
    assert isil[0] > isil[1] > isil[2] > 0
    assert isil[3] == isil[2]  # ceasefire: nothing moves
    assert isil[4] == 0.0
    report = cmap.changes(AUG[18], AUG[28])
    loss = report.change("ISIL")
    assert loss.lost_km2 == pytest.approx(isil[0], rel=1e-6) and loss.end_km2 == 0.0
    gained = report.change("Lebanese Government").gained_km2 + \
        report.change("Syrian Government").gained_km2
    assert gained >= loss.lost_km2 * 0.99  # ISIL's loss went to the two armies
    assert {t.point.name for t in report.transfers} >= {"Dhour el Khanzir", "Al-Zimrani"}
    assert not any(f for f in cmap.snapshot(AUG[28]).front_lines if "ISIL" in f.sides)


@pytest.mark.shared
def test_exposure_alerts_follow_the_front(cmap, events):
    places = scenario_places()

    def hostile(day: int) -> set[str]:
        return {a.place.name for a in alerts(AUG[day], events=events, control=cmap,
                                             places=places) if a.rule == HOSTILE}

    assert set(TOWNS) <= hostile(18)  # ISIL within 10 km of all three before the offensive
    assert "El Qaa" not in hostile(19)  # Ras el Kaf taken on the 19th
    assert "Ras Baalbek" in hostile(19)  # Al Ajram still 9.1 km away
    assert not set(TOWNS) & hostile(20)  # the front moved beyond 10 km
    assert "Arsal" in hostile(27)  # Dahr al-Lezzabe 5 km from Arsal until the deal
    assert hostile(28) == set()


@pytest.mark.shared
def test_shelling_alert_clears_and_region_level_claims_never_alert(cmap, events):
    places = scenario_places()

    def shelled(day: int) -> set[str]:
        return {a.place.name for a in alerts(AUG[day], events=events, control=cmap,
                                             places=places) if a.rule == "shelling-nearby"}

    assert shelled(19) == set()
    assert {"Ras Baalbek", "Fakiha"} <= shelled(20)
    assert "Ras Baalbek" in shelled(22)
    assert shelled(23) == set()
    assert shelled(24) == set()  # the 24 Aug claim is geo_precision 3 (Baalbek-Hermel region)


@pytest.mark.shared
def test_scenario_outputs_are_rfc7946(cmap, events):
    schema = json.loads((FIXTURES / "rfc7946.schema.json").read_text(encoding="utf-8"))
    for data in (json.loads(cmap.snapshot(AUG[19]).to_geojson()),
                 json.loads(cmap.changes(AUG[18], AUG[28]).to_geojson())):
        jsonschema.validate(data, schema)
        for feat in data["features"]:
            if feat["geometry"]["type"] == "Polygon":
                assert LinearRing(feat["geometry"]["coordinates"][0]).is_ccw
            if feat["geometry"]["type"] == "MultiPolygon":
                assert all(LinearRing(p[0]).is_ccw for p in feat["geometry"]["coordinates"])
    report = AlertReport(at=AUG[18], alerts=tuple(alerts(AUG[18], events=events, control=cmap,
                                                         places=scenario_places())))
    alerts_geojson = json.loads(report.to_geojson())
    jsonschema.validate(alerts_geojson, schema)
    assert len(alerts_geojson["features"]) == len(report)
