"""Gazetteer built from a small real GeoNames-format slice (always runs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontlines.errors import (
    GazetteerError,
    GazetteerNotInstalledError,
    InputError,
    RecordFormatError,
)
from frontlines.gazetteer.places import read_places
from frontlines.gazetteer import (
    Candidate,
    CountryInfo,
    Gazetteer,
    add_places,
    build_index,
    haversine_km,
    name_key,
)
from frontlines.model import Place

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteer"


def _build(target: Path, **kwargs) -> Path:
    return build_index(target, sources=[FIXTURES / "levant_slice.txt"],
                       admin1=FIXTURES / "admin1CodesASCII.txt",
                       admin2=FIXTURES / "admin2Codes.txt",
                       country_info=FIXTURES / "countryInfo.txt", **kwargs)


@pytest.fixture(scope="module")
def gaz(tmp_path_factory) -> Gazetteer:
    return Gazetteer(_build(tmp_path_factory.mktemp("gaz") / "slice.sqlite"))


@pytest.fixture(scope="module")
def bare(tmp_path_factory) -> Gazetteer:
    """The same slice without our supplement: GeoNames names only."""
    return Gazetteer(_build(tmp_path_factory.mktemp("gaz") / "bare.sqlite", supplement=False))


def _ids(cands: list[Candidate]) -> list[int]:
    return [c.place.geonameid for c in cands]


@pytest.mark.parametrize("name,geonameid", [
    ("Qaa", 279268), ("Al Qa'", 279268), ("El Qaa", 279268),
    ("Fakiha", 280221), ("Fekehe", 280221),
    ("Arsal", 273675), ("Aarsal", 273675), ("Ersal", 273675),
    ("Labweh", 279662), ("Ras Baalbek", 268745), ("Hermel", 279997),
    ("Baalbek", 277130), ("بعلبك", 277130), ("Nabi Othman", 278866),
    ("Anti-Lebanon", 173153), ("Qara", 166111), ("Jarajir", 169175), ("Flita", 170476),
    ("Yabroud", 162627), ("Nabk", 173193), ("Qusayr", 173322),
])
def test_slice_names_resolve_first(bare, name, geonameid):
    cands = bare.lookup(name)
    assert cands, name
    assert geonameid in _ids(cands[:3]), [(c.place.name, c.match) for c in cands[:3]]


def test_exact_outranks_key_and_key_outranks_fuzzy(bare):
    cands = bare.lookup("El Qâa")
    assert cands[0].match == "exact" and cands[0].similarity == 1.0
    assert cands[0].place.geonameid == 279268
    key_only = bare.lookup("Fakiha")  # GeoNames spells it Fékehé / Fakehe / Fakieh
    assert key_only[0].match == "key"
    assert 0 < key_only[0].similarity < 1
    tiers = [c.match for c in bare.lookup("Qusayr")]
    assert tiers == sorted(tiers, key=["exact", "key", "fuzzy"].index)


def test_fuzzy_fallback_finds_daher_el_khanzeer_without_the_supplement(bare):
    cands = bare.lookup("Daher el-Khanzeer")
    assert cands and {c.match for c in cands} == {"fuzzy"}
    assert 275448 in _ids(cands)
    assert bare.lookup("Daher el-Khanzeer", fuzzy=False) == []


def test_supplement_spelling_is_an_exact_name_of_the_geonames_place(gaz):
    best = gaz.lookup("Daher el-Khanzeer")[0]
    assert best.place.geonameid == 275448
    assert best.place.name == "Dhoûr el Khanzir"  # GeoNames' name is kept
    assert best.match == "exact" and best.matched_name == "Daher el-Khanzeer"


def test_supplement_adds_places_the_dump_lacks(gaz, bare):
    assert bare.lookup("Jurd Arsal", fuzzy=False) == []
    jurd = gaz.lookup("Jurd Arsal")[0].place
    assert jurd.country_code == "LB" and jurd.feature_class == "T"
    assert jurd.geonameid >= 9_000_000_000
    assert haversine_km(jurd.latitude, jurd.longitude, 34.17944, 36.42083) < 15  # near Arsal
    assert gaz.lookup("Western Qalamoun")[0].place.country_code == "SY"


def test_filters_restrict_candidates(gaz):
    assert all(c.place.country_code == "SY" for c in gaz.lookup("Qusayr", countries=["sy"]))
    assert gaz.lookup("Qusayr", countries=["LB"], fuzzy=False) == []
    hills = gaz.lookup("Hermel", feature_classes=["T"])
    assert hills and all(c.place.feature_class == "T" for c in hills)
    assert len(gaz.lookup("Qusayr", limit=1)) == 1


def test_empty_and_punctuation_only_names_find_nothing(gaz):
    assert gaz.lookup("") == []
    assert gaz.lookup(" - ' ") == []


def test_admin_names_and_codes(gaz):
    qaa = gaz.get(279268)
    assert isinstance(qaa, Place)
    assert qaa.admin1 == "Baalbek-Hermel" and qaa.admin1_code == "11"
    beirut = gaz.get(276781)
    assert beirut.admin1 == "Beirut" and beirut.feature_code == "PPLC"
    assert gaz.get(1) is None


def test_country_and_country_info(gaz):
    lebanon = gaz.country("lb")
    assert lebanon.geonameid == 272103 and lebanon.feature_code == "PCLI"
    assert gaz.country_info("LB") == CountryInfo(iso2="LB", iso3="LBN", numeric=422,
                                                 name="Lebanon", geonameid=272103)
    assert gaz.country_info("SYR").iso2 == "SY"
    assert gaz.country_info("ZZ") is None
    assert gaz.country("SY").name == "Syria"


def test_nearby_is_sorted_and_within_radius(gaz):
    near = gaz.nearby(34.25889, 36.41917, radius_km=10)
    names = [p.geonameid for p, _ in near]
    assert names[0] == 268745  # Ras Baalbek itself, 0 km
    assert 280221 in names  # Fakiha, about 2 km
    assert 273675 in names  # Arsal, 8.8 km
    assert 279268 not in names  # Qaa is 10.8 km away
    assert 279268 in [p.geonameid for p, _ in gaz.nearby(34.25889, 36.41917, radius_km=11)]
    distances = [km for _, km in near]
    assert distances == sorted(distances) and max(distances) <= 10
    assert all(p.feature_class == "P" for p, _ in near)
    terrain = gaz.nearby(34.19833, 36.53472, radius_km=3, feature_classes=("T",))
    assert 275448 in [p.geonameid for p, _ in terrain]
    assert gaz.nearby(34.25889, 36.41917, radius_km=12, min_population=10**9) == []


def test_has_key_and_info(gaz):
    assert gaz.has_key(name_key("Ras Baalbek"))
    assert not gaz.has_key(name_key("Timbuktu"))
    info = gaz.info()
    assert info["sources"] == ["levant_slice.txt"]
    assert info["places_per_country"]["LB"] >= 22 and info["places_per_country"]["SY"] >= 11
    assert info["places"] == sum(info["places_per_country"].values())
    assert info["schema_version"] == 1 and info["built_at"]


def test_missing_index_is_not_installed_error(tmp_path):
    with pytest.raises(GazetteerNotInstalledError, match="gazetteer install"):
        Gazetteer(tmp_path / "nope.sqlite")


def test_non_index_file_is_refused(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(GazetteerError, match="not a gazetteer index"):
        Gazetteer(junk)


def test_bad_row_names_file_and_line_and_keeps_previous_index(tmp_path):
    target = _build(tmp_path / "g.sqlite")
    bad = tmp_path / "XX.txt"
    lines = (FIXTURES / "levant_slice.txt").read_text(encoding="utf-8").splitlines()
    lines[4] = "\t".join(lines[4].split("\t")[:18])
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"XX.txt line 5: 18 tab-separated columns"):
        build_index(target, sources=[bad])
    assert Gazetteer(target).lookup("Qaa")[0].place.geonameid == 279268
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".building")]


def test_merge_keeps_other_sources(tmp_path):
    target = _build(tmp_path / "g.sqlite")
    extra = tmp_path / "extra.txt"
    extra.write_text("\t".join([
        "272815", "Hâsbaïya", "Hasbaiya", "Hasbaya,Hasbayya,حاصبيا", "33.39806", "35.685",
        "P", "PPLA2", "LB", "", "07", "", "", "", "0", "", "716", "Asia/Beirut", "2012-01-18",
    ]) + "\n", encoding="utf-8")
    build_index(target, sources=[extra], merge=True)
    gaz = Gazetteer(target)
    assert gaz.lookup("Hasbaya")[0].place.admin1 == "Nabatieh"
    assert gaz.lookup("Qaa")[0].place.geonameid == 279268
    assert gaz.info()["sources"] == ["levant_slice.txt", "extra.txt"]


# -- add_places -------------------------------------------------------------------------------

def test_add_places_csv_new_place_and_extra_names(tmp_path):
    target = _build(tmp_path / "g.sqlite", supplement=False)
    csv_path = tmp_path / "ours.csv"
    csv_path.write_text(
        "name,latitude,longitude,country_code,feature_code,alternatenames,id\n"
        "Wadi Hmeid checkpoint,34.1372,36.4411,LB,PSTB,Wadi Hmeid|وادي حميد,\n"
        "Arsal town,34.17944,36.42083,LB,PPL,Arsal municipality,273675\n", encoding="utf-8")
    report = add_places(csv_path, target=target)
    assert (report.added, report.merged, report.source) == (1, 1, "user:ours.csv")
    gaz = Gazetteer(target)
    checkpoint = gaz.lookup("Wadi Hmeid")[0].place
    assert (checkpoint.feature_code, checkpoint.feature_class) == ("PSTB", "S")
    assert checkpoint.geonameid >= 9_000_000_000
    assert gaz.lookup("Arsal municipality")[0].place.geonameid == 273675
    near = [p.name for p, _ in gaz.nearby(34.1372, 36.4411, radius_km=1,
                                          feature_classes=("S",))]
    assert "Wadi Hmeid checkpoint" in near
    # Adding the same file again replaces its rows instead of duplicating them.
    add_places(csv_path, target=target)
    assert len(Gazetteer(target).lookup("Wadi Hmeid checkpoint")) == 1


def test_add_places_geojson(tmp_path):
    target = _build(tmp_path / "g.sqlite")
    path = tmp_path / "marks.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.6042, 34.1868]},
         "properties": {"name": "Halimat Qara summit", "country_code": "LB",
                        "feature_code": "PK", "alternatenames": ["Qara peak"]}},
    ]}), encoding="utf-8")
    assert add_places(path, target=target).added == 1
    peak = Gazetteer(target).lookup("Qara peak")[0].place
    assert (peak.feature_class, peak.latitude, peak.longitude) == ("T", 34.1868, 36.6042)


@pytest.mark.parametrize("row,message", [
    ("Qaa,north,36.47,LB", r"ours.csv row 3: \"latitude\" is 'north'"),
    ("Qaa,34.3,236.47,LB", r"ours.csv row 3: \"longitude\" is '236.47'"),
    (",34.3,36.47,LB", r"ours.csv row 3: \"name\" is missing"),
    ("Qaa,34.3,36.47,Lebanon", r"ours.csv row 3: \"country_code\" is 'Lebanon'"),
])
def test_add_places_bad_rows_name_file_and_row(tmp_path, row, message):
    target = _build(tmp_path / "g.sqlite")
    path = tmp_path / "ours.csv"
    path.write_text(f"name,latitude,longitude,country_code\nFine,34.1,36.1,LB\n{row}\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=message):
        add_places(path, target=target)
    assert Gazetteer(target).lookup("Fine", fuzzy=False) == []  # nothing half-written


def test_add_places_rejects_missing_columns_and_non_points(tmp_path):
    target = _build(tmp_path / "g.sqlite")
    path = tmp_path / "ours.csv"
    path.write_text("name,lat,lon\nQaa,34.3,36.4\n", encoding="utf-8")
    with pytest.raises(InputError, match="header lacks column"):
        add_places(path, target=target)
    geo = tmp_path / "area.geojson"
    geo.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []},
         "properties": {"name": "x", "country_code": "LB"}}]}), encoding="utf-8")
    with pytest.raises(InputError, match="area.geojson feature 1: geometry is 'Polygon'"):
        add_places(geo, target=target)
    with pytest.raises(GazetteerNotInstalledError):
        add_places(path, target=tmp_path / "missing.sqlite")


def test_add_places_reads_an_acled_exports_location_columns(tmp_path):
    """A hand-written file in ACLED's layout (never the rows an eval scores on): the location
    columns make places, repeats of one place are one place, iso/country give the country and
    admin1/admin2 the admin names (with the index's code when it knows the name)."""
    target = _build(tmp_path / "g.sqlite")
    path = tmp_path / "acled_export.csv"
    path.write_text(
        "event_id_cnty,event_date,iso,country,admin1,admin2,admin3,location,latitude,"
        "longitude,geo_precision,notes\n"
        "LBN1,2017-08-19,422,Lebanon,Baalbek-Hermel,Hermel,,Jdeidet el Fakiha,34.2401,"
        "36.4321,1,a note\n"
        "LBN2,2017-08-20,422,Lebanon,Baalbek-Hermel,Hermel,,Jdeidet el Fakiha,34.2401,"
        "36.4321,1,another note\n"
        "SYR1,2017-08-21,760,Syria,Rural Damascus,Al Tall,,Maaloula,33.8442,36.5469,2,x\n"
        "SYR2,2017-08-22,,Syria,Aleppo,Jebel Saman,,Aleppo - Al Sukkari,36.1730,37.1450,1,x\n",
        encoding="utf-8")
    report = add_places(path, target=target)
    assert report.added == 3
    gaz = Gazetteer(target)
    fakiha = gaz.lookup("Jdeidet el Fakiha")[0].place
    assert (fakiha.country_code, fakiha.admin1, fakiha.admin2) == ("LB", "Baalbek-Hermel",
                                                                   "Hermel")
    assert fakiha.admin1_code == "11"  # the slice's admin1 table names Baalbek-Hermel
    jarajir = gaz.lookup("Maaloula")[0].place
    assert (jarajir.country_code, jarajir.admin1) == ("SY", "Rural Damascus")
    quarter = gaz.lookup("Al Sukkari")[0].place  # "City - Quarter": the quarter is a name
    assert quarter.name == "Aleppo - Al Sukkari" and quarter.country_code == "SY"


def test_add_places_reads_acled_points_in_geojson(tmp_path):
    target = _build(tmp_path / "g.sqlite")
    path = tmp_path / "acled_points.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.5667, 34.3667]},
         "properties": {"location": "Qasr", "iso": 422, "country": "Lebanon",
                        "admin1": "Baalbek-Hermel", "latitude": 34.3667,
                        "longitude": 36.5667}},
    ]}), encoding="utf-8")
    assert add_places(path, target=target).added == 1
    assert Gazetteer(target).lookup("Qasr")[0].place.admin1 == "Baalbek-Hermel"


def test_an_acled_row_without_a_known_country_names_the_fix(tmp_path):
    path = tmp_path / "acled_export.csv"
    path.write_text("iso,country,location,latitude,longitude\n,Atlantis,Poseidonia,1,1\n",
                    encoding="utf-8")
    with pytest.raises(RecordFormatError, match=r"acled_export.csv row 2: country not"):
        read_places(path)
