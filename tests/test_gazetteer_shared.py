"""The names our reporting needs, against the real GeoNames LB dump and the GeoNames-format SY
file in ../shared/data (skipped with a reason when absent)."""

from __future__ import annotations

import pytest

from frontlines.gazetteer import Gazetteer, build_index, haversine_km
from conftest import shared_file

LB = "gazetteer/geonames-lb-2016/LB.txt"
SY = "gazetteer/geonames-format-from-wof/SY.txt"
ADMIN1 = "gazetteer/geonames-admin-codes/admin1CodesASCII-levant.txt"
ADMIN2 = "gazetteer/geonames-admin-codes/admin2Codes-levant.txt"


def _index(tmp_path_factory, *, supplement: bool) -> Gazetteer:
    target = tmp_path_factory.mktemp("shared") / "lb-sy.sqlite"
    build_index(target, sources=[shared_file(LB), shared_file(SY)], admin1=shared_file(ADMIN1),
                admin2=shared_file(ADMIN2), supplement=supplement)
    return Gazetteer(target)


@pytest.fixture(scope="module")
def geonames_only(tmp_path_factory) -> Gazetteer:
    return _index(tmp_path_factory, supplement=False)


@pytest.fixture(scope="module")
def with_supplement(tmp_path_factory) -> Gazetteer:
    return _index(tmp_path_factory, supplement=True)


# (query, country, true lat, lon): the best candidate within 5 km of the true place.
CASES = [
    ("Qaa", "LB", 34.34417, 36.47444), ("Al Qa'", "LB", 34.34417, 36.47444),
    ("El Qaa", "LB", 34.34417, 36.47444),
    ("Fakiha", "LB", 34.245, 36.40417), ("Fekehe", "LB", 34.245, 36.40417),
    ("Arsal", "LB", 34.17944, 36.42083), ("Aarsal", "LB", 34.17944, 36.42083),
    ("Ersal", "LB", 34.17944, 36.42083), ("Labweh", "LB", 34.19528, 36.35611),
    ("Ras Baalbek", "LB", 34.25889, 36.41917), ("Hermel", "LB", 34.39417, 36.38472),
    ("Baalbek", "LB", 34.00583, 36.21806), ("Nabi Othman", "LB", 34.21111, 36.37278),
    ("Qara", "SY", 34.1527, 36.74152), ("Jarajir", "SY", 34.08575, 36.6623),
    ("Flita", "SY", 34.0305, 36.58409), ("Yabroud", "SY", 33.96736, 36.65741),
    ("Nabk", "SY", 34.02547, 36.72837), ("Qusayr", "SY", 34.50914, 36.57975),
]


@pytest.mark.parametrize("name,country,lat,lon", CASES, ids=[c[0] for c in CASES])
def test_reporting_names_resolve_in_geonames_alone(geonames_only, name, country, lat, lon):
    cands = geonames_only.lookup(name, countries=[country], feature_classes=["P"])
    assert cands, name
    best = cands[0].place
    assert haversine_km(best.latitude, best.longitude, lat, lon) < 5, (best, cands[:3])


def test_daher_el_khanzeer_finds_the_dhour_el_khanzir_ridge(geonames_only, with_supplement):
    fuzzy = geonames_only.lookup("Daher el-Khanzeer", countries=["LB"])
    assert 275448 in [c.place.geonameid for c in fuzzy[:5]]
    best = with_supplement.lookup("Daher el-Khanzeer")[0]
    assert (best.place.geonameid, best.match) == (275448, "exact")
    assert best.place.admin1 == "Baalbek-Hermel"


def test_anti_lebanon_mountains(geonames_only):
    cands = geonames_only.lookup("Anti-Lebanon mountains", feature_classes=["T"])
    assert cands[0].place.geonameid == 173153


def test_flita_is_found_under_its_alternate_name(geonames_only):
    best = geonames_only.lookup("Flita")[0]
    assert best.place.name == "Al Mashrafah" and best.place.geonameid == 170476


def test_arabic_script_finds_baalbek(geonames_only):
    assert geonames_only.lookup("بعلبك")[0].place.geonameid == 277130


def test_admin_names_come_from_the_code_tables(geonames_only):
    ras = geonames_only.get(268745)
    assert (ras.admin1_code, ras.admin1) == ("11", "Baalbek-Hermel")


def test_supplement_fills_the_gaps_of_the_dumps(geonames_only, with_supplement):
    for name in ("Jurd Arsal", "Western Qalamoun", "Qalamoun Mountains"):
        assert not [c for c in geonames_only.lookup(name, fuzzy=False)
                    if c.match == "exact"], name
        assert with_supplement.lookup(name)[0].match == "exact", name
    halimat = with_supplement.lookup("Halimat Qara")[0].place
    assert halimat.geonameid == 6277472


def test_nearby_ras_baalbek(geonames_only):
    near = geonames_only.nearby(34.25889, 36.41917, radius_km=3)
    assert near[0][0].geonameid == 268745
    assert all(km <= 3 for _, km in near)
