"""The REST API's read side on SQLite and PostgreSQL: every GET endpoint, every /events
filter against a plain-SQL oracle, cursor pages with no duplicates or gaps, the three
formats (GeoJSON validated against RFC 7946's schema, CSV as ``frontlines export``), and
the one error shape for each 4xx.

The store holds synthetic but realistic events (``store_synth``: real places around Ras
Baalbek, Qaa and the Qalamoun, several outlets per event, merged by the store); the
gazetteer is the Levant test slice. No spaCy model is needed here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from pg import pg_database, pg_url  # noqa: F401

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "server"))
from support import (  # noqa: E402
    INITIAL,
    RFC7946,
    event_rows,
    make_client,
    slice_gazetteer,
    synthetic_store,
)

from frontlines.model import ACLED_COLUMNS  # noqa: E402

ERROR_KEYS = {"code", "message", "field", "fix"}
RAS_BAALBEK = 268745


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                               marks=pytest.mark.postgres)])
def db_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.db'}"
    return pg_database(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory):
    return slice_gazetteer(tmp_path_factory.mktemp("gaz") / "slice.sqlite")


@pytest.fixture(scope="module")
def client(db_url, gazetteer):
    synthetic_store(db_url, n=100).close()
    with make_client(db_url, gazetteer) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def rows(client, db_url):
    found = event_rows(db_url)
    assert len(found) >= 15
    return found


def _all(client, params=None, *, limit=5000) -> list[dict]:
    """Every event matching ``params``, following next_cursor."""
    params = dict(params or {}, limit=limit)
    out, cursor = [], None
    while True:
        response = client.get("/events", params={**params, **({"cursor": cursor} if cursor
                                                              else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        out.extend(body["events"])
        cursor = body["next_cursor"]
        if cursor is None:
            return out


def _ids(events) -> set[str]:
    return {e["event_id"] for e in events}


def _assert_error(response, status, *, field=None, code=None):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, body
    error = body["error"]
    assert error["code"].startswith("E") and error["message"] and error["fix"]
    if field is not None:
        assert error["field"] == field, error
    if code is not None:
        assert error["code"] == code, error
    return error


# -- health, dates --------------------------------------------------------------------------
def test_health_counts_what_is_stored(client, rows, db_url):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["version"]
    assert body["events"] == len(rows)
    assert body["db"] == ("sqlite" if db_url.startswith("sqlite") else "postgresql")
    assert body["articles"] == 100


def test_dates_count_every_event_once(client, rows):
    body = client.get("/dates").json()
    per_day = Counter(r["event_date"].isoformat() for r in rows)
    assert {d["date"]: d["events"] for d in body["days"]} == dict(per_day)
    assert [d["date"] for d in body["days"]] == sorted(per_day)
    assert (body["first"], body["last"]) == (min(per_day), max(per_day))


# -- pages ----------------------------------------------------------------------------------
@pytest.mark.parametrize("params", [{}, {"country": "Lebanon"}, {"actor": "military forces"}])
def test_pages_cover_every_event_once_in_order(client, rows, params):
    everything = _all(client, params)
    pages, cursor, seen = 0, None, []
    while True:
        query = {**params, "limit": 7, **({"cursor": cursor} if cursor else {})}
        response = client.get("/events", params=query)
        body = response.json()
        assert len(body["events"]) <= 7
        seen.extend(e["event_id"] for e in body["events"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            assert "link" not in response.headers
            break
        assert len(body["events"]) == 7
        assert 'rel="next"' in response.headers["link"] and cursor in response.headers["link"]
    assert len(seen) == len(set(seen)), "a row came twice"
    assert seen == [e["event_id"] for e in everything]
    keys = [(e["event_date"], e["event_id"]) for e in everything]
    assert keys == sorted(keys)
    if not params:
        assert set(seen) == {r["event_id"] for r in rows} and pages == -(-len(rows) // 7)


def test_link_header_gives_the_next_page(client):
    first = client.get("/events", params={"limit": 5, "country": "LB"})
    link = first.headers["link"]
    url = link[link.index("<") + 1:link.index(">")]
    second = client.get(url)
    assert second.status_code == 200
    assert not _ids(first.json()["events"]) & _ids(second.json()["events"])
    assert second.json()["events"][0]["event_date"] >= first.json()["events"][-1]["event_date"]


def test_a_page_does_not_shift_when_new_events_arrive_before_it(client, db_url):
    """Keyset pages: the cursor is a key, not an offset."""
    first = client.get("/events", params={"limit": 10}).json()
    again = client.get("/events", params={"limit": 10, "cursor": first["next_cursor"]}).json()
    assert first["events"][-1]["event_id"] not in _ids(again["events"])
    keys = [(e["event_date"], e["event_id"]) for e in again["events"]]
    last = (first["events"][-1]["event_date"], first["events"][-1]["event_id"])
    assert all(key > last for key in keys)


# -- filters against the SQL oracle --------------------------------------------------------
def _most_common(rows, column):
    return Counter(r[column] for r in rows if r[column]).most_common(1)[0][0]


def _filters(rows):
    days = sorted({r["event_date"] for r in rows})
    since, until = days[len(days) // 4], days[3 * len(days) // 4]
    admin1 = _most_common(rows, "admin1")
    sub = _most_common(rows, "sub_event_type")
    etype = _most_common(rows, "event_type")
    fat = sorted(r["fatalities"] for r in rows)[len(rows) // 2] or 1
    bbox = (36.3, 34.1, 36.6, 34.4)  # Ras Baalbek, Qaa, the Jroud
    word = "outskirts"
    certainty = _most_common(rows, "certainty")
    return [
        ({"from": since.isoformat()}, lambda r: r["event_date"] >= since),
        ({"to": until.isoformat()}, lambda r: r["event_date"] <= until),
        ({"from": since.isoformat(), "to": until.isoformat()},
         lambda r: since <= r["event_date"] <= until),
        ({"bbox": ",".join(map(str, bbox))},
         lambda r: r["latitude"] is not None and bbox[1] <= r["latitude"] <= bbox[3]
         and bbox[0] <= r["longitude"] <= bbox[2]),
        ({"country": "Syria"}, lambda r: r["iso3"] == "SYR"),
        ({"country": "sy"}, lambda r: r["iso3"] == "SYR"),
        ({"country": "LBN"}, lambda r: r["iso3"] == "LBN"),
        ({"admin1": admin1.upper()}, lambda r: r["admin1"] == admin1),
        ({"actor": "HEZBOLLAH"},
         lambda r: "hezbollah" in r["actor1"].lower() or "hezbollah" in r["actor2"].lower()),
        ({"event_type": etype.lower()}, lambda r: r["event_type"] == etype),
        ({"sub_event_type": sub}, lambda r: r["sub_event_type"] == sub),
        ({"min_fatalities": fat}, lambda r: r["fatalities"] >= fat),
        ({"certainty": certainty}, lambda r: r["certainty"] == certainty),
        ({"q": word.upper()},
         lambda r: any(word in (r[c] or "").lower()
                       for c in ("notes", "sentence", "location", "actor1", "actor2"))),
        ({"country": "Lebanon", "actor": "forces of", "from": since.isoformat()},
         lambda r: r["iso3"] == "LBN" and r["event_date"] >= since
         and ("forces of" in r["actor1"].lower() or "forces of" in r["actor2"].lower())),
    ]


def test_every_filter_keeps_exactly_the_matching_events(client, rows):
    for params, keep in _filters(rows):
        expected = {r["event_id"] for r in rows if keep(r)}
        assert expected, f"the test data hold no event for {params}"
        got = _ids(_all(client, params))
        assert got == expected, params
    narrowing = [p for p, keep in _filters(rows) if sum(map(keep, rows)) < len(rows)]
    assert len(narrowing) >= 10  # most filters really narrow the set


def test_text_search_treats_like_wildcards_as_text(client):
    assert _all(client, {"q": "%"}) == [] and _all(client, {"q": "_"}) == []


def test_events_carry_provenance_and_source_counts(client, rows, db_url):
    from frontlines.store import Store

    by_id = {r["event_id"]: r for r in rows}
    events = _all(client)
    with Store(db_url) as store:
        for event in events[:20]:  # every field as Event.to_dict() writes it
            stored = store.event(event["event_id"]).to_dict()
            assert {k: v for k, v in event.items() if k not in ("event_id", "sources")} \
                == stored
    assert any(e["sources"] > 1 for e in events)  # merged reports from several outlets
    for event in events:
        row = by_id[event["event_id"]]
        assert event["sources"] == row["sources"]
        assert list(event)[:len(ACLED_COLUMNS) + 1] == ["event_id", *ACLED_COLUMNS]
        for key in ("sentence", "trigger", "char_start", "char_end", "certainty",
                    "claim_source", "confidence"):
            assert event[key] == row[key]


# -- formats --------------------------------------------------------------------------------
def test_geojson_is_rfc7946_by_format_and_by_accept(client, rows):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(RFC7946.read_text(encoding="utf-8"))
    located = {r["event_id"] for r in rows if r["latitude"] is not None}
    by_param = client.get("/events", params={"format": "geojson", "limit": 5000})
    by_accept = client.get("/events", params={"limit": 5000},
                           headers={"Accept": "application/geo+json"})
    for response in (by_param, by_accept):
        assert response.headers["content-type"].startswith("application/geo+json")
        body = response.json()
        jsonschema.validate(body, schema)
        assert {f["properties"]["event_id"] for f in body["features"]} == located
        assert body["next_cursor"] is None
        feature = body["features"][0]
        lon, lat = feature["geometry"]["coordinates"]
        props = feature["properties"]
        row = next(r for r in rows if r["event_id"] == props["event_id"])
        assert (lat, lon) == pytest.approx((row["latitude"], row["longitude"]), abs=1e-6)
        assert {"sentence", "trigger", "sources", "event_id"} <= set(props)


@pytest.mark.parametrize(("accept", "media"), [
    ("application/json, application/geo+json", "application/json"),
    ("application/geo+json, application/json", "application/geo+json"),
    ("application/json;q=0.5, text/csv", "text/csv"),
    ("text/html, */*", "application/json"),
    ("", "application/json"),
])
def test_accept_header_picks_the_preferred_format(client, accept, media):
    response = client.get("/events", params={"limit": 2}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)


def test_geojson_pages_carry_next_cursor_and_link(client):
    response = client.get("/events", params={"format": "geojson", "limit": 3})
    body = response.json()
    assert len(body["features"]) == 3 and body["next_cursor"]
    assert body["next_cursor"] in response.headers["link"]


def test_csv_is_what_frontlines_export_writes(client, db_url):
    from click.testing import CliRunner

    from frontlines.cli import main

    api = client.get("/events", params={"format": "csv", "limit": 5000})
    assert api.headers["content-type"].startswith("text/csv")
    by_accept = client.get("/events", params={"limit": 5000}, headers={"Accept": "text/csv"})
    assert by_accept.text == api.text
    result = CliRunner().invoke(main, ["export", "--format", "csv", "--db", db_url])
    assert result.exit_code == 0, result.output
    api_rows = list(csv.reader(io.StringIO(api.text)))
    cli_rows = list(csv.reader(io.StringIO(result.stdout)))
    assert api_rows[0] == cli_rows[0]
    assert tuple(api_rows[0][:len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert sorted(api_rows[1:]) == sorted(cli_rows[1:]) and len(api_rows) > 15


# -- one event ------------------------------------------------------------------------------
def test_event_detail_lists_every_report_and_why(client, rows):
    merged = max(rows, key=lambda r: r["sources"])
    assert merged["sources"] > 1
    body = client.get(f"/events/{merged['event_id']}").json()
    assert body["event_id"] == merged["event_id"] and body["sources"] == merged["sources"]
    outlets = {r["source"] for r in body["reports"]}
    assert len(outlets) == merged["sources"]
    for report in body["reports"]:
        assert report["sentence"] and report["trigger"] in report["sentence"]
        assert set(report) >= {"article_id", "source", "url", "published", "char_start",
                               "char_end", "claim_source", "certainty", "fatalities"}
    assert body["location"] in body["why"]["location"]
    assert body["trigger"] in body["why"]["sub_event_type"]
    assert str(merged["sources"]) in body["why"]["sources"]


def test_merges_are_listed_with_their_reasons(client):
    merges = client.get("/merges").json()["merges"]
    assert merges, "the synthetic outlets' reports should corroborate into merges"
    for merge in merges:
        assert merge["why"] and merge["undone_at"] is None and merge["sources"] >= 1
    kept = merges[0]["kept_event_id"]
    detail = client.get(f"/events/{kept}").json()
    assert merges[0]["merge_id"] in {m["merge_id"] for m in detail["merges"]}
    assert merges[0]["why"] in detail["why"]["merged"]
    only = client.get("/merges", params={"event_id": kept}).json()["merges"]
    assert only and all(kept in (m["kept_event_id"], m["merged_event_id"]) for m in only)


def test_unknown_event_is_404_in_the_shape(client):
    _assert_error(client.get("/events/0123456789abcdef"), 404, field="event_id", code="E704")


# -- control, alerts, places ---------------------------------------------------------------
@pytest.mark.parametrize(("path", "args"), [
    ("/control?at=2017-08-20", ["control", "--at", "2017-08-20"]),
    ("/control/changes?from=2017-08-10&to=2017-08-30",
     ["control", "--from", "2017-08-10", "--to", "2017-08-30"]),
    ("/alerts?at=2017-08-20", ["alerts", "--at", "2017-08-20", "--quiet"]),
])
def test_control_and_alerts_are_what_the_cli_writes(client, db_url, gazetteer, monkeypatch,
                                                     path, args):
    from click.testing import CliRunner

    from frontlines.cli import main

    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/geo+json")
    monkeypatch.setenv("FRONTLINES_GAZETTEER", str(gazetteer))
    result = CliRunner().invoke(main, [*args, "--format", "geojson", "--db", db_url,
                                       "--initial", str(INITIAL)])
    assert result.exit_code == 0, result.output
    body = response.json()
    assert body == json.loads(result.stdout)
    assert body["type"] == "FeatureCollection" and body["features"]
    again = client.get(path)  # from the cache: the same bytes
    assert again.content == response.content


def test_control_with_a_sides_table_is_what_the_cli_writes(client, db_url, gazetteer, tmp_path,
                                                           monkeypatch):
    """--sides: a team's own table (here Hezbollah hostile to the Lebanese Government)."""
    from click.testing import CliRunner

    from frontlines.cli import main

    sides = tmp_path / "sides.yaml"
    sides.write_text("sides:\n  Hezbollah and allies:\n    actors: [Hezbollah]\n"
                     "    hostile: [Lebanese Government]\n", encoding="utf-8")
    with make_client(db_url, gazetteer, sides=sides) as custom:
        served = custom.get("/control", params={"at": "2017-08-25"}).json()
    monkeypatch.setenv("FRONTLINES_GAZETTEER", str(gazetteer))
    result = CliRunner().invoke(main, ["control", "--at", "2017-08-25", "--format", "geojson",
                                       "--db", db_url, "--initial", str(INITIAL),
                                       "--sides", str(sides)])
    assert result.exit_code == 0, result.output
    assert served == json.loads(result.stdout)


def test_control_refuses_reversed_periods_and_far_dates(client):
    _assert_error(client.get("/control/changes", params={"from": "2017-08-30",
                                                         "to": "2017-08-01"}), 422, field="from")
    _assert_error(client.get("/control", params={"at": "0001-01-01"}), 422, field="at")
    _assert_error(client.get("/alerts"), 422, field="at")


def test_places_search(client):
    body = client.get("/places/search", params={"q": "Ras Baalbek"}).json()
    first = body["places"][0]  # GeoNames 268745, written 'Râs Baalbek' in the dump
    assert first["geonameid"] == RAS_BAALBEK and first["country_code"] == "LB"
    assert first["match"] == "exact" and first["similarity"] == 1.0
    assert first["latitude"] == pytest.approx(34.259, abs=0.01)
    fuzzy = client.get("/places/search", params={"q": "Ras Balbek"}).json()["places"]
    assert RAS_BAALBEK in {p["geonameid"] for p in fuzzy}
    syria = client.get("/places/search", params={"q": "Ras Baalbek", "country": "Syria"})
    assert all(p["country_code"] == "SY" for p in syria.json()["places"])
    _assert_error(client.get("/places/search", params={"q": "x", "country": "Narnia"}), 422,
                  field="country")


# -- the error shape for each 4xx ----------------------------------------------------------
@pytest.mark.parametrize(("params", "field", "words"), [
    ({"from": "2017-13-01"}, "from", "month"),
    ({"to": "yesterday"}, "to", "date"),
    ({"from": "2017-08-30", "to": "2017-08-01"}, "from", "after"),
    ({"bbox": "36,34"}, "bbox", "not 4"),
    ({"bbox": "36,34,37,north"}, "bbox", "not a number"),
    ({"bbox": "36,35,37,34"}, "bbox", "south"),
    ({"bbox": "190,34,37,35"}, "bbox", "outside"),
    ({"country": "Lebanno"}, "country", "Lebanon"),
    ({"event_type": "Fights"}, "event_type", "Battles"),
    ({"sub_event_type": "Air strike"}, "sub_event_type", "Air/drone strike"),
    ({"min_fatalities": "-1"}, "min_fatalities", ""),
    ({"certainty": "sure"}, "certainty", ""),
    ({"limit": "0"}, "limit", ""),
    ({"limit": "5001"}, "limit", ""),
    ({"cursor": "not-a-cursor"}, "cursor", "cursor"),
    ({"format": "xml"}, "format", ""),
    ({"q": "a\x00b"}, "q", "NUL"),
])
def test_bad_parameters_get_the_error_shape(client, params, field, words):
    error = _assert_error(client.get("/events", params=params), 422, field=field)
    assert words in error["message"] + error["fix"]


def test_unknown_path_and_method_get_the_error_shape(client):
    _assert_error(client.get("/no-such-thing"), 404, code="E704")
    _assert_error(client.delete("/events"), 405, code="E705")


def test_an_unreachable_store_is_503_in_the_shape(client, db_url, gazetteer, tmp_path):
    """A store that goes away after start (file removed and replaced by a directory)."""
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite only: the file is made unreadable")
    path = tmp_path / "gone.db"
    synthetic_store(f"sqlite:///{path}", n=2).close()
    with make_client(f"sqlite:///{path}", gazetteer) as other:
        assert other.get("/health").status_code == 200
        other.app.state.frontlines.store.engine.dispose()
        path.unlink()
        path.mkdir()
        error = _assert_error(other.get("/events"), 503, code="E400")
        assert "Traceback" not in error["message"]


def test_no_traceback_on_an_internal_error(client, monkeypatch):
    """An unexpected exception is a 500 in the shape; the details stay in the log."""
    from frontlines.server.routes import events

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(events, "event_days", broken)
    error = _assert_error(client.get("/dates"), 500, code="E799")
    assert "secret" not in error["message"] and "Traceback" not in error["message"]


def test_openapi_documents_every_path(client):
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) >= {"/health", "/events", "/events/{event_id}", "/dates",
                                  "/control", "/control/changes", "/alerts", "/places/search",
                                  "/articles"}
    assert "ArticleIn" in spec["components"]["schemas"]
    assert client.get("/docs").status_code == 200


def test_dates_are_iso_days(client):
    for day in client.get("/dates").json()["days"]:
        dt.date.fromisoformat(day["date"])


def test_docs_api_names_every_operation_parameter_and_code(tmp_path):
    """docs/api.md cannot drift from the OpenAPI document and the error table."""
    import re

    from frontlines.server import errors
    from frontlines.server.app import create_app
    from frontlines.settings import Settings

    doc = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
    spec = create_app(Settings(db=f"sqlite:///{tmp_path / 'd.db'}")).openapi()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert f"`{method.upper()} {path}" in doc, f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    name = parameter["name"]
                    assert f"`{name}`" in doc or f"{name}=" in doc, (path, name)
    for code in re.findall(r"^\s+(E7\d\d)\s", errors.__doc__ or "", re.MULTILINE):
        assert f"| {code} |" in doc, code


def test_why_names_the_mention_of_an_unresolved_place(tmp_path, gazetteer):
    """An event with no GeoNames id: the reason comes from the mention named like it."""
    import datetime as dt_

    from frontlines.model import Analysis, Article, Event, Toponym
    from frontlines.store import Store

    article = Article.make(title="Clashes in Wadi Hmeid", published=dt_.date(2017, 8, 1),
                           text="Militants clashed with the army in Wadi Hmeid on Monday.")
    start = article.full_text.index("Militants")
    sentence = article.full_text[start:]
    at = article.full_text.index("Wadi Hmeid", start)
    event = Event(event_id_cnty="LBN1", event_date=dt_.date(2017, 7, 31), event_type="Battles",
                  sub_event_type="Armed clash", actor1="Military Forces of Lebanon (2016-)",
                  actor2="Unidentified Armed Group (Lebanon)", country="Lebanon",
                  iso3="LBN", location="Wadi Hmeid", article_id=article.id, sentence=sentence,
                  char_start=start, char_end=start + len(sentence), trigger="clashed")
    mention = Toponym(text="Wadi Hmeid", start=at, end=at + 10, place=None,
                      reason="no candidate in gazetteer", recognizer="ner")
    url = f"sqlite:///{tmp_path / 'why.db'}"
    with Store(url) as store:
        store.ingest([Analysis(article=article, toponyms=(mention,), events=(event,))])
        event_id = store.event_ids()[0]
    with make_client(url, gazetteer) as client:
        why = client.get(f"/events/{event_id}").json()["why"]
    assert why["location"] == "'Wadi Hmeid' -> Wadi Hmeid: no candidate in gazetteer"
    assert "'clashed'" in why["sub_event_type"]
