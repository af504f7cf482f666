"""Export: ACLED CSV, JSON lines and RFC 7946 GeoJSON, and reading them back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontlines.errors import ConfigError, RecordFormatError
from frontlines.export import (
    CSV_COLUMNS,
    format_for_path,
    read_events_csv,
    read_events_jsonl,
    write_events,
)
from frontlines.export_acled import round_like_acled
from frontlines.model import Actor, Event

FIXTURES = Path(__file__).parent / "fixtures" / "store"
sys.path.insert(0, str(FIXTURES))
import store_strategies as strategies  # noqa: E402

# ACLED's export header, then the columns Frontlines adds (written out here on purpose).
EXPECTED_HEADER = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
    "iso3", "article_id", "sentence", "char_start", "char_end", "trigger", "confidence",
    "claim_source", "certainty", "geonameid",
]

ARMY = Actor(name="Military Forces of Lebanon (2016-)", inter=1, country="LB",
             text="the Lebanese Army")
IS = Actor(name="Islamic State (Syria)", inter=2, country="SY", text="ISIS militants")

CLASH = Event(
    event_id_cnty="LBN5541", event_date=dt.date(2017, 8, 19), year=2017,
    disorder_type="Political violence", event_type="Battles", sub_event_type="Armed clash",
    actor1=ARMY.name, inter1=1, actor2=IS.name, inter2=2, interaction=12, iso=422,
    iso3="LBN", region="Middle East", country="Lebanon",
    admin1="Baalbek-Hermel Governorate", admin2="Hermel", location="El Qaa",
    latitude=34.34417, longitude=36.47444, geo_precision=2, source="National News Agency",
    source_scale="National",
    notes='On 19 August 2017, the Lebanese Army clashed with IS near Qaa, "killing 3".',
    fatalities=3, article_id="a1b2c3d4e5f60718",
    sentence="Troops clashed with militants on the outskirts of Qaa, killing three of them.",
    char_start=160, char_end=238, trigger="clashed", confidence=0.8,
    claim_source="army statement", certainty="reported", geonameid=279268,
    actors=(ARMY, IS))
SHELLING = Event(
    event_id_cnty="LBN5542", event_date=dt.date(2017, 8, 20), year=2017,
    disorder_type="Political violence", event_type="Explosions/Remote violence",
    sub_event_type="Shelling/artillery/missile attack", actor1=ARMY.name, inter1=1,
    actor2=IS.name, inter2=2, interaction=12, iso=422, iso3="LBN", region="Middle East",
    country="Lebanon", admin1="Baalbek-Hermel Governorate", location="Jroud Arsal",
    latitude=None, longitude=None, geo_precision=3, source="The Daily Star",
    notes="Army artillery shelled IS positions in the Arsal barrens;\nno casualty figures.",
    article_id="0f1e2d3c4b5a6978", trigger="shelled", confidence=0.6, geonameid=None)
YABRUD = CLASH.replace(event_id_cnty="SYR9001", iso=760, iso3="SYR", country="Syria",
                       admin1="Rif Dimashq", admin2="", location="Yabrud",
                       latitude=33.96736, longitude=36.65741, geonameid=162627,
                       actor1="Military Forces of Syria (2000-)")
EVENTS = [CLASH, SHELLING, YABRUD]


def written(events, fmt) -> str:
    buffer = io.StringIO(newline="")
    count = write_events(events, fmt, buffer)
    assert count == len(events)
    return buffer.getvalue()


# -- CSV -------------------------------------------------------------------------------
def test_csv_header_is_acled_then_provenance():
    rows = list(csv.reader(io.StringIO(written(EVENTS, "csv"), newline="")))
    assert rows[0] == EXPECTED_HEADER
    assert list(CSV_COLUMNS) == EXPECTED_HEADER
    assert len(rows) == 1 + len(EVENTS)


def test_csv_follows_acled_conventions():
    text = written(EVENTS, "csv")
    assert text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    clash, shelling, _ = rows
    assert clash["event_date"] == "2017-08-19"
    # ACLED's precision: 4 decimals; the current layout writes actor types as labels
    assert clash["latitude"] == "34.3442" and clash["longitude"] == "36.4744"
    assert clash["fatalities"] == "3" and clash["iso"] == "422"
    assert clash["inter1"] == "State forces" and clash["inter2"] == "Rebel group"
    assert clash["interaction"] == "State forces-Rebel group"
    assert clash["geonameid"] == "279268"
    assert clash["notes"] == CLASH.notes  # quotes and commas survive
    assert shelling["latitude"] == shelling["longitude"] == shelling["geonameid"] == ""
    assert shelling["notes"] == SHELLING.notes  # a newline inside a cell survives
    assert shelling["admin2"] == ""
    assert "actors" not in clash


def test_csv_numbers_are_plain_decimals():
    tiny = CLASH.replace(latitude=1e-07, longitude=-2.5e-05, confidence=1e-05)
    (row,) = csv.DictReader(io.StringIO(written([tiny], "csv"), newline=""))
    assert (row["latitude"], row["longitude"], row["confidence"]) == \
        ("0.0", "0.0", "0.00001")
    artefact = CLASH.replace(latitude=35.253370000000004, longitude=36.1)
    (row,) = csv.DictReader(io.StringIO(written([artefact], "csv"), newline=""))
    assert (row["latitude"], row["longitude"]) == ("35.2534", "36.1")


def test_csv_reads_back():
    back = list(read_events_csv(io.StringIO(written(EVENTS, "csv"), newline="")))
    assert back == [round_like_acled(e.replace(actors=())) for e in EVENTS]


@settings(max_examples=150, deadline=None)
@given(events=st.lists(strategies.events, max_size=4))
def test_csv_round_trip_any_events(events):  # any code, also ones ACLED has no label for
    for layout in ("current", "legacy"):
        buffer = io.StringIO(newline="")
        write_events(events, "csv", buffer, layout=layout)
        back = list(read_events_csv(io.StringIO(buffer.getvalue(), newline="")))
        assert back == [round_like_acled(e.replace(actors=())) for e in events]


def test_csv_with_a_foreign_header_is_refused():
    with pytest.raises(RecordFormatError, match=r"line 1.*lacks"):
        list(read_events_csv(io.StringIO("date,place\n2017-08-19,Qaa\n")))


def test_csv_bad_date_names_the_line():
    text = written([CLASH], "csv").replace("2017-08-19", "19/08/2017")
    with pytest.raises(RecordFormatError, match=r"line 2.*YYYY-MM-DD"):
        list(read_events_csv(io.StringIO(text, newline="")))


# -- JSON lines ----------------------------------------------------------------------------
def test_jsonl_is_one_event_per_line_with_acled_names():
    lines = written(EVENTS, "jsonl").splitlines()
    assert len(lines) == 3
    first = json.loads(lines[0])
    assert list(first)[:len(EXPECTED_HEADER)] == EXPECTED_HEADER
    assert first["event_date"] == "2017-08-19"
    assert first["article_id"] == CLASH.article_id
    assert first["actors"][0] == {"name": ARMY.name, "inter": 1, "country": "LB",
                                  "text": "the Lebanese Army"}
    assert json.loads(lines[1])["latitude"] is None


def test_jsonl_round_trip():
    assert list(read_events_jsonl(io.StringIO(written(EVENTS, "jsonl")))) == EVENTS


@settings(max_examples=150, deadline=None)
@given(events=st.lists(strategies.events, max_size=4))
def test_jsonl_round_trip_any_events(events):
    assert list(read_events_jsonl(io.StringIO(written(events, "jsonl")))) == events


def test_jsonl_refuses_nan():
    with pytest.raises(RecordFormatError, match=r"LBN5541.*NaN"):
        written([CLASH.replace(confidence=math.nan)], "jsonl")


def test_jsonl_reader_names_the_bad_line():
    good = written([CLASH], "jsonl")
    with pytest.raises(RecordFormatError, match=r"line 3: not valid JSON"):
        list(read_events_jsonl(io.StringIO(good + "\n{oops\n")))
    with pytest.raises(RecordFormatError, match=r"line 1: expected a JSON object"):
        list(read_events_jsonl(io.StringIO("[1, 2]\n")))
    with pytest.raises(RecordFormatError, match=r"line 1: not an event.*colour"):
        list(read_events_jsonl(io.StringIO(json.dumps({**CLASH.to_dict(), "colour": 1}))))


# -- GeoJSON -------------------------------------------------------------------------------
SCHEMA = json.loads((FIXTURES / "rfc7946.schema.json").read_text(encoding="utf-8"))
SCHEMA_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


@pytest.fixture
def validator():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return SCHEMA_VALIDATOR


def test_the_schema_rejects_what_rfc7946_forbids(validator):
    point = {"type": "Point", "coordinates": [36.47, 34.34]}
    good = {"type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": point, "properties": {}}]}
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "crs": {"type": "name"}})
    swapped = {"type": "Point", "coordinates": [34.34, 136.47]}  # lat beyond 90
    assert not validator.is_valid({**good, "features": [{**good["features"][0],
                                                         "geometry": swapped}]})
    assert not validator.is_valid({"type": "FeatureCollection"})


def test_geojson_is_a_valid_feature_collection(validator):
    doc = json.loads(written(EVENTS, "geojson"))
    validator.validate(doc)
    assert "crs" not in doc
    clash, shelling, yabrud = doc["features"]
    assert clash["geometry"] == {"type": "Point", "coordinates": [36.47444, 34.34417]}
    assert shelling["geometry"] is None
    assert yabrud["geometry"]["coordinates"] == [36.65741, 33.96736]
    assert clash["properties"] == CLASH.to_dict()
    assert Event.from_dict(shelling["properties"]) == SHELLING


def test_geojson_rounds_coordinates_to_six_decimals():
    precise = CLASH.replace(latitude=34.344171234567, longitude=36.474449876543)
    (feature,) = json.loads(written([precise], "geojson"))["features"]
    assert feature["geometry"]["coordinates"] == [36.47445, 34.344171]
    assert feature["properties"]["latitude"] == 34.344171234567  # properties stay exact


def test_geojson_empty_collection(validator):
    doc = json.loads(written([], "geojson"))
    assert doc == {"type": "FeatureCollection", "features": []}
    validator.validate(doc)


def test_geojson_refuses_impossible_coordinates():
    with pytest.raises(RecordFormatError, match=r"LBN5541.*swapped"):
        written([CLASH.replace(latitude=136.47, longitude=34.34)], "geojson")


@settings(max_examples=100, deadline=None)
@given(events=st.lists(strategies.events, max_size=4))
def test_geojson_any_events(events):
    doc = json.loads(written(events, "geojson"))
    SCHEMA_VALIDATOR.validate(doc)
    for event, feature in zip(events, doc["features"], strict=True):
        if event.latitude is None or event.longitude is None:
            assert feature["geometry"] is None
            continue
        lon, lat = feature["geometry"]["coordinates"]
        assert abs(lon - event.longitude) <= 5e-7 and abs(lat - event.latitude) <= 5e-7
        assert round(lon, 6) == lon and round(lat, 6) == lat
        assert Event.from_dict(feature["properties"]) == event


# -- formats -------------------------------------------------------------------------------
def test_unknown_format():
    with pytest.raises(ConfigError, match=r"'xml'.*jsonl, csv, geojson"):
        write_events(EVENTS, "xml", io.StringIO())  # type: ignore[arg-type]


def test_format_for_path():
    assert format_for_path("out/events.CSV") == "csv"
    assert format_for_path("events.geojson") == "geojson"
    assert format_for_path("events.ndjson") == "jsonl"
    assert format_for_path("events.xlsx") == "xlsx"
    assert format_for_path("events.GPKG") == "gpkg"
    with pytest.raises(ConfigError, match=r"events.xls\b"):
        format_for_path("events.xls")


def test_writes_to_a_real_file(tmp_path):
    path = tmp_path / "events.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        assert write_events(EVENTS, "csv", fh) == 3
    with path.open(encoding="utf-8", newline="") as fh:
        assert list(read_events_csv(fh)) == [round_like_acled(e.replace(actors=()))
                                             for e in EVENTS]
