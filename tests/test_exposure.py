"""Exposure and alert rules (frontlines.control.exposure) and the Store/Gazetteer shell."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from frontlines.control import (
    AlertRule,
    ControlConfig,
    ControlMap,
    ExposureConfig,
    SideMap,
    alerts,
    control_changes,
    control_snapshot,
    exposure,
    exposure_alerts,
    haversine_km,
)
from frontlines.control.initial import parse_initial_csv
from frontlines.errors import ConfigError
from frontlines.model import Event, Place

D = dt.date
LAF = "Military Forces of Lebanon (2016-)"
ISIL = "Islamic State (Syria)"
NO_CLIP = ControlConfig.load(outline=False)

RAS_BAALBEK = Place(geonameid=268745, name="Ras Baalbek", country_code="LB", latitude=34.25889,
                    longitude=36.41917, feature_class="P", feature_code="PPL", population=0)
QAA = Place(geonameid=279268, name="El Qaa", country_code="LB", latitude=34.34417,
            longitude=36.47444, feature_class="P", feature_code="PPL", population=0)
HAMLET = Place(geonameid=1, name="Hamlet", country_code="LB", latitude=34.25, longitude=36.43,
               feature_class="P", feature_code="PPL", population=300)
QARA = Place(geonameid=166111, name="Qarah", country_code="SY", latitude=34.1527,
             longitude=36.74152, feature_class="P", feature_code="PPL", population=20656)

MAP = """label,latitude,longitude,controller
Ras Baalbek,34.25889,36.41917,Lebanese Government
Wadi al Hamid,34.203,36.459,ISIL
Hermel,34.394,36.385,Hezbollah and allies
"""


def initial():
    return parse_initial_csv(MAP, sides=SideMap.load(), source="test map")


def shell(eid, day, lat, lon, *, precision=2, source="National News Agency",
          sub="Shelling/artillery/missile attack", event_type="Explosions/Remote violence"):
    return Event(event_id_cnty=eid, event_date=day, event_type=event_type, sub_event_type=sub,
                 actor1=ISIL, location="Ras Baalbek outskirts", latitude=lat, longitude=lon,
                 geo_precision=precision, source=source, article_id=f"a-{eid}")


def rules_of(result):
    return {(a.place.name, a.rule) for a in result}


def test_hostile_position_alert_holds_while_in_range_and_clears_after_capture():
    capture = Event(event_id_cnty="G1", event_date=D(2017, 8, 19), event_type="Battles",
                    sub_event_type="Government regains territory", actor1=LAF, actor2=ISIL,
                    location="Wadi al Hamid", latitude=34.203, longitude=36.459, geo_precision=1,
                    source="National News Agency")
    cmap = ControlMap(initial=initial(), events=[capture], config=NO_CLIP)
    before = alerts(D(2017, 8, 18), events=[capture], control=cmap, places=[RAS_BAALBEK, QAA])
    (alert,) = before
    assert (alert.place.name, alert.rule, alert.side) == ("Ras Baalbek",
                                                        "hostile-position-near-town", "ISIL")
    assert alert.distance_km == pytest.approx(haversine_km(34.25889, 36.41917, 34.203, 36.459))
    assert alert.status == "pending"  # only the initial map says so
    assert "Wadi al Hamid" in alert.message
    after = alerts(D(2017, 8, 19), events=[capture], control=cmap, places=[RAS_BAALBEK, QAA])
    assert after == []


def test_population_threshold_and_unknown_population():
    cmap = ControlMap(initial=initial(), config=NO_CLIP)
    got = alerts(D(2017, 8, 18), events=[], control=cmap, places=[RAS_BAALBEK, HAMLET])
    assert {a.place.name for a in got} == {"Ras Baalbek"}  # 300 < 1,000; 0 = unknown, included
    strict = ExposureConfig.load(rules=(AlertRule(
        id="strict", kind="hostile_position", within_km=10, min_population=1000,
        unknown_population="exclude"),))
    assert alerts(D(2017, 8, 18), events=[], control=cmap, places=[RAS_BAALBEK, HAMLET],
                  rules=strict) == []


def test_allies_are_not_hostile_and_government_side_is_configurable():
    cmap = ControlMap(initial=initial(), config=NO_CLIP)
    near_hermel = Place(geonameid=2, name="Near Hermel", country_code="LB", latitude=34.38,
                        longitude=36.39, feature_class="P", population=5000)
    assert alerts(D(2017, 8, 18), events=[], control=cmap, places=[near_hermel]) == []
    # Seen from a side hostile to Hezbollah (Israel in sides.yaml), Hermel is a hostile position.
    got = alerts(D(2017, 8, 18), events=[], control=cmap, places=[near_hermel],
                 government_side="Israel")
    assert [a.side for a in got] == ["Hezbollah and allies"]


def test_shelling_alert_lasts_72_hours_and_needs_two_sources_to_confirm():
    events = [shell("E1", D(2017, 8, 20), 34.262, 36.43)]
    cmap = ControlMap(initial=initial(), events=events, config=NO_CLIP)
    on = {d: alerts(D(2017, 8, d), events=events, control=cmap, places=[RAS_BAALBEK, QAA])
          for d in (19, 20, 22, 23)}
    assert ("Ras Baalbek", "shelling-nearby") not in rules_of(on[19])
    assert ("Ras Baalbek", "shelling-nearby") in rules_of(on[20])
    assert ("Ras Baalbek", "shelling-nearby") in rules_of(on[22])  # 20, 21, 22 = 72 h
    assert ("Ras Baalbek", "shelling-nearby") not in rules_of(on[23])  # cleared
    assert ("El Qaa", "shelling-nearby") not in rules_of(on[20])  # 10 km away
    (pending,) = [a for a in on[20] if a.rule == "shelling-nearby"]
    assert pending.status == "pending" and pending.event_ids == ("E1",)
    # a different shelling the next day, from another outlet, does not confirm the first
    other = events + [shell("E2", D(2017, 8, 21), 34.26, 36.425, source="The Daily Star")]
    (still,) = [a for a in alerts(D(2017, 8, 21), events=other, control=cmap.with_events(other),
                                  places=[RAS_BAALBEK]) if a.rule == "shelling-nearby"]
    assert still.status == "pending" and still.corroborated_by == ()
    # a second article of the same outlet on the same shelling does not either
    same_outlet = events + [shell("E3", D(2017, 8, 20), 34.262, 36.431)]
    (alone,) = [a for a in alerts(D(2017, 8, 21), events=same_outlet, control=cmap,
                                  places=[RAS_BAALBEK]) if a.rule == "shelling-nearby"]
    assert alone.status == "pending"
    # another outlet reporting the same shelling (same day, type, actors, place) does
    events.append(shell("E4", D(2017, 8, 20), 34.261, 36.43, source="The Daily Star"))
    (confirmed,) = [a for a in alerts(D(2017, 8, 21), events=events, control=cmap,
                                      places=[RAS_BAALBEK]) if a.rule == "shelling-nearby"]
    assert confirmed.status == "confirmed"
    assert set(confirmed.corroborated_by) == {"National News Agency", "The Daily Star"}
    assert all(e.sentence is not None and e.rule.startswith("shelling-nearby")
               for e in confirmed.evidence)


def test_region_level_events_never_alert():
    vague = [shell("V1", D(2017, 8, 24), 34.26, 36.42, precision=3, source="Amaq")]
    cmap = ControlMap(initial=initial(), events=vague, config=NO_CLIP)
    got = alerts(D(2017, 8, 24), events=vague, control=cmap, places=[RAS_BAALBEK])
    assert ("Ras Baalbek", "shelling-nearby") not in rules_of(got)
    (exp,) = exposure(D(2017, 8, 24), places=[RAS_BAALBEK], control=cmap, events=vague)
    assert exp.events == ()


def test_battle_radius_is_smaller_than_shelling_radius():
    clash = shell("B1", D(2017, 8, 20), 34.28, 36.43, sub="Armed clash", event_type="Battles")
    km = haversine_km(RAS_BAALBEK.latitude, RAS_BAALBEK.longitude, 34.28, 36.43)
    assert 2 < km < 5
    cmap = ControlMap(initial=initial(), events=[clash], config=NO_CLIP)
    assert ("Ras Baalbek", "fighting-nearby") not in rules_of(
        alerts(D(2017, 8, 20), events=[clash], control=cmap, places=[RAS_BAALBEK]))
    (exp,) = exposure(D(2017, 8, 20), places=[RAS_BAALBEK], control=cmap, events=[clash])
    assert exp.events == ()  # battles expose within 2 km only
    strike = shell("B2", D(2017, 8, 20), 34.28, 36.43, sub="Air/drone strike")
    (exp,) = exposure(D(2017, 8, 20), places=[RAS_BAALBEK], control=cmap, events=[strike])
    assert [e[0] for e in exp.events] == ["B2"]
    assert exp.nearest_hostile is not None and exp.nearest_hostile.point.name == "Wadi al Hamid"


def test_rules_are_validated():
    with pytest.raises(ConfigError, match="kind 'nearby' unknown"):
        AlertRule(id="x", kind="nearby", within_km=3)
    with pytest.raises(ConfigError, match="unknown_population"):
        AlertRule(id="x", kind="hostile_position", within_km=3, unknown_population="maybe")


# --- shell: stand-ins for Store and Gazetteer (the real ones are being built in parallel) ---

class ListStore:
    """Stand-in for frontlines.store.Store: the same ``events`` signature over a list."""

    def __init__(self, events):
        self._events = list(events)

    def events(self, *, since=None, until=None, country=None):
        return [e for e in self._events
                if (since is None or e.event_date >= since)
                and (until is None or e.event_date <= until)]


class ListGazetteer:
    """Stand-in for frontlines.gazetteer.Gazetteer.nearby over a list of places."""

    def __init__(self, places):
        self.places = list(places)

    def nearby(self, lat, lon, *, radius_km, feature_classes=("P",), min_population=0,
               limit=100):
        hits = [(p, haversine_km(lat, lon, p.latitude, p.longitude)) for p in self.places
                if p.feature_class in feature_classes and p.population >= min_population]
        return sorted([h for h in hits if h[1] <= radius_km], key=lambda h: h[1])[:limit]


def test_shell_functions_read_store_and_gazetteer(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text(MAP, encoding="utf-8")
    capture = Event(event_id_cnty="G1", event_date=D(2017, 8, 19), event_type="Battles",
                    sub_event_type="Government regains territory", actor1=LAF, actor2=ISIL,
                    location="Wadi Hmaid", latitude=34.20306, longitude=36.45944, geo_precision=1,
                    geonameid=274693, source="National News Agency")
    store = ListStore([capture, shell("E1", D(2017, 8, 20), 34.262, 36.43)])
    hill = Place(geonameid=274693, name="Ouadi Hmaid", country_code="LB", latitude=34.20306,
                 longitude=36.45944, feature_class="H", feature_code="WAD")
    gazetteer = ListGazetteer([RAS_BAALBEK, QAA, QARA, hill])
    snap = control_snapshot(store, at=D(2017, 8, 19), initial=path, gazetteer=gazetteer)
    assert snap.point("Wadi al Hamid").side == "Lebanese Government"
    assert snap.point("Wadi al Hamid").point.geonameid == 274693  # attached from the gazetteer
    report = control_changes(store, start=D(2017, 8, 18), end=D(2017, 8, 19), initial=path)
    assert report.change("ISIL").end_km2 == 0.0
    assert report.change("Lebanese Government").gained_km2 > 0
    before = exposure_alerts(store, gazetteer, at=D(2017, 8, 18), initial=path)
    assert rules_of(before) == {("Ras Baalbek", "hostile-position-near-town")}
    during = exposure_alerts(store, gazetteer, at=D(2017, 8, 20), initial=path)
    assert rules_of(during) == {("Ras Baalbek", "shelling-nearby")}
    data = json.loads(during.to_json())
    assert data["alerts"][0]["event_ids"] == ["E1"]
    assert {x["place"]["name"] for x in data["exposures"]} >= {"Ras Baalbek"}
    geo = json.loads(during.to_geojson())
    assert geo["type"] == "FeatureCollection"
    assert geo["features"][0]["geometry"]["coordinates"] == [36.41917, 34.25889]


def test_a_landmine_is_an_explosion_not_shelling_and_civilian_violence_reaches_1_km():
    mine = shell("M1", D(2017, 8, 20), 34.262, 36.43, sub="Remote explosive/landmine/IED")
    cmap = ControlMap(initial=initial(), events=[mine], config=NO_CLIP)
    got = rules_of(alerts(D(2017, 8, 20), events=[mine], control=cmap, places=[RAS_BAALBEK]))
    assert ("Ras Baalbek", "explosion-nearby") in got
    assert ("Ras Baalbek", "shelling-nearby") not in got  # remote violence only from shelling
    km = haversine_km(RAS_BAALBEK.latitude, RAS_BAALBEK.longitude, 34.270, 36.42)
    assert 1 < km < 2
    attack = shell("V1", D(2017, 8, 20), 34.270, 36.42, sub="Attack",
                   event_type="Violence against civilians")
    (exp,) = exposure(D(2017, 8, 20), places=[RAS_BAALBEK], control=cmap, events=[attack])
    assert exp.events == ()  # violence against civilians exposes within 1 km only
    assert ExposureConfig.load().radii_event_type["Violence against civilians"] == 1.0


def test_the_town_s_controller_decides_what_is_hostile():
    # Hermel held by Hezbollah on the map: ISIL within 10 km is hostile to it; a town next to a
    # point of its own side is never alerted by that side.
    hermel = Place(geonameid=279997, name="El Hermel", country_code="LB", latitude=34.394,
                   longitude=36.385, feature_class="P", feature_code="PPL", population=22250)
    near = parse_initial_csv(MAP + "Jurd Hermel,34.40,36.45,ISIL\n", sides=SideMap.load())
    cmap = ControlMap(initial=near, config=NO_CLIP)
    (alert,) = [a for a in alerts(D(2017, 8, 20), events=[], control=cmap, places=[hermel])]
    assert alert.controller == "Hezbollah and allies" and alert.side == "ISIL"
    assert alert.status == "pending" and alert.evidence[0].rule.startswith(
        "hostile-position-near-town")
