"""frontlines.read_events / read_control / read_alerts: typed (Geo)DataFrames from a real
SQLite store, and the GeoPackage / Excel exports and 'frontlines export' built on them."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner

import frontlines
from frontlines.cli import main
from frontlines.errors import ConfigError
from frontlines.frames import COLUMNS, events_frame
from frontlines.model import Analysis, Article, Event
from frontlines.store import Store

REPO = Path(__file__).resolve().parents[1]
MAP = REPO / "examples" / ".maps" / "lebanon-syria-border-2017-07.csv"
LAF, ISIL = "Military Forces of Lebanon (2016-)", "Islamic State (Syria)"

# A few GeoNames rows (dump format) for a small real gazetteer index.
GEONAMES = "\n".join("\t".join(row) for row in [
    ["268745", "Ras Baalbek", "Ras Baalbek", "", "34.25889", "36.41917", "P", "PPL", "LB", "",
     "11", "", "", "", "6000", "", "900", "Asia/Beirut", "2017-01-01"],
    ["279268", "El Qaa", "El Qaa", "Qaa", "34.34417", "36.47444", "P", "PPL", "LB", "", "11", "",
     "", "", "5000", "", "650", "Asia/Beirut", "2017-01-01"],
    ["273675", "Aarsal", "Aarsal", "Arsal", "34.17944", "36.42028", "P", "PPL", "LB", "", "11",
     "", "", "", "40000", "", "1400", "Asia/Beirut", "2017-01-01"],
]) + "\n"

CAPTURE = Event(event_id_cnty="LBN1", event_date=dt.date(2017, 8, 19), year=2017,
                event_type="Battles", sub_event_type="Government regains territory",
                actor1=LAF, inter1=1, actor2=ISIL, inter2=2, interaction=12, iso=422,
                iso3="LBN", country="Lebanon", admin1="Baalbek-Hermel", admin2="Baalbek",
                location="Daher el-Khanzeer", latitude=34.198330000000004, longitude=36.53472,
                geo_precision=2, source="National News Agency", source_scale="National",
                fatalities=2, geonameid=275448, notes="On 19 August 2017, the army took it.")
SHELLING = Event(event_id_cnty="LBN2", event_date=dt.date(2017, 8, 20), year=2017,
                 event_type="Explosions/Remote violence",
                 sub_event_type="Shelling/artillery/missile attack", actor1=ISIL, inter1=2,
                 interaction=20, iso=422, iso3="LBN", country="Lebanon", location="Ras Baalbek",
                 latitude=34.262, longitude=36.43, geo_precision=2, source="Cedar Desk")
CAIRO = Event(event_id_cnty="EGY1", event_date=dt.date(2017, 8, 21), year=2017,
              event_type="Protests", sub_event_type="Peaceful protest", actor1="Protesters (Egypt)",
              inter1=6, interaction=60, iso=818, iso3="EGY", country="Egypt", location="",
              latitude=None, longitude=None, geo_precision=3, source="Reuters")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('frames') / 'events.db'}"
    analyses = [Analysis(article=Article.make(text=f"report {e.event_id_cnty}",
                                              title=e.location or "x", source=e.source,
                                              published=e.event_date),
                         events=(e,)) for e in (CAPTURE, SHELLING, CAIRO)]
    with Store(url) as store:
        store.ingest(analyses)
    return url


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory):
    from frontlines.gazetteer import Gazetteer
    from frontlines.gazetteer.build import build_index

    folder = tmp_path_factory.mktemp("gaz")
    (folder / "LB.txt").write_text(GEONAMES, encoding="utf-8")
    return Gazetteer(build_index(folder / "gaz.sqlite", sources=[folder / "LB.txt"]))


# -- events ---------------------------------------------------------------------------------
def test_events_frame_is_typed():
    frame = events_frame([CAPTURE, CAIRO])
    assert list(frame.columns) == list(COLUMNS)
    assert str(frame["event_date"].dtype).startswith("datetime64")
    assert frame["year"].dtype == "int64" and frame["fatalities"].tolist() == [2, 0]
    assert frame["latitude"].dtype == "float64" and pd.isna(frame["latitude"][1])
    assert str(frame["geonameid"].dtype) == "Int64" and pd.isna(frame["geonameid"][1])
    assert frame["interaction"].tolist() == [12, 60]
    assert events_frame([]).columns.tolist() == list(COLUMNS)


def test_read_events_from_a_store(db):
    frame = frontlines.read_events(db)
    assert sorted(frame["location"]) == ["", "Daher el-Khanzeer", "Ras Baalbek"]
    lebanon = frontlines.read_events(db, country="LB", since="2017-08-20")
    assert lebanon["location"].tolist() == ["Ras Baalbek"]
    with pytest.raises(ConfigError, match=r"'Liban'.*Lebanon"):
        frontlines.read_events(db, country="Liban")
    with pytest.raises(ConfigError, match=r"since '19/08/2017' is not a date"):
        frontlines.read_events(db, since="19/08/2017")


def test_read_events_geo(db):
    gdf = frontlines.read_events(db, geo=True)
    assert gdf.crs.to_epsg() == 4326
    capture = gdf[gdf["location"] == "Daher el-Khanzeer"].iloc[0]
    assert (capture.geometry.x, capture.geometry.y) == (36.53472, 34.198330000000004)
    assert gdf[gdf["country"] == "Egypt"].geometry.iloc[0] is None  # no coordinates
    assert frontlines.read_events_gdf(db, country="Egypt").crs.to_epsg() == 4326


def test_without_geopandas_the_error_names_the_extra(db, monkeypatch):
    monkeypatch.setitem(sys.modules, "geopandas", None)
    with pytest.raises(ImportError, match=r"pip install 'frontlines\[geo\]'"):
        frontlines.read_events(db, geo=True)
    assert len(frontlines.read_events(db)) == 3  # plain pandas still works


def test_importing_frontlines_loads_no_pandas():
    code = "import sys, frontlines; print('pandas' in sys.modules, 'geopandas' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert proc.stdout.split() == ["False", "False"]


# -- control and alerts ---------------------------------------------------------------------
def test_read_control_and_alerts(db, gazetteer):
    control = frontlines.read_control(db, at="2017-08-19", initial=MAP, gazetteer=gazetteer)
    assert control.crs.to_epsg() == 4326
    from frontlines.control import control_snapshot

    snap = control_snapshot(Store(db), at=dt.date(2017, 8, 19), initial=MAP, gazetteer=gazetteer)
    kinds = control["kind"].value_counts().to_dict()
    assert kinds == {"control_point": len(snap.points), "area": len(snap.areas),
                     "front_line": len(snap.front_lines)}
    assert len(snap.points) >= 15 and len(snap.areas) >= 3 and len(snap.front_lines) >= 1
    khanzeer = control[(control["kind"] == "control_point")
                       & (control["name"] == "Daher el-Khanzeer")].iloc[0]
    assert khanzeer["side"] == "Lebanese Government"  # taken on the 19th, from the store
    assert isinstance(khanzeer["sources"], str) and "National News Agency" in khanzeer["sources"]
    areas = control[control["kind"] == "area"]
    assert set(areas.geometry.geom_type) <= {"Polygon", "MultiPolygon"}
    alerts = frontlines.read_alerts(db, at="2017-08-20", initial=MAP, gazetteer=gazetteer)
    assert alerts.crs.to_epsg() == 4326 and len(alerts) >= 1
    assert "Ras Baalbek" in set(alerts["place"]) and set(alerts.geometry.geom_type) == {"Point"}


# -- GeoPackage, Excel and the CLI ----------------------------------------------------------
def test_export_gpkg_with_control_and_alerts(db, gazetteer, tmp_path, monkeypatch):
    from frontlines.control import control_snapshot, exposure_alerts
    from frontlines.export_tables import write_gpkg

    path = tmp_path / "frontlines.gpkg"
    store = Store(db)
    snap = control_snapshot(store, at=dt.date(2017, 8, 20), initial=MAP, gazetteer=gazetteer)
    report = exposure_alerts(store, gazetteer, at=dt.date(2017, 8, 20), initial=MAP)
    counts = write_gpkg(path, store.events(), snapshot=snap, alerts=report)
    layers = dict(pyogrio.list_layers(path).tolist())
    assert layers == {"events": "Point", "control_points": "Point",
                      "control_areas": "MultiPolygon", "front_lines": "MultiLineString",
                      "alerts": "Point"}
    for layer, rows in counts.items():
        info = pyogrio.read_info(path, layer=layer)
        assert info["crs"] == "EPSG:4326" and info["features"] == rows
    assert counts["events"] == 3 and counts["control_points"] == len(snap.points)
    assert counts["control_areas"] == len(snap.areas) and counts["alerts"] == len(report.alerts)
    events = pyogrio.read_dataframe(path, layer="events")
    capture = events[events["location"] == "Daher el-Khanzeer"].iloc[0]
    assert capture["inter1"] == "State forces" and capture["latitude"] == 34.1983
    assert capture["event_date"] == "2017-08-19"


def test_export_xlsx_has_dates_as_dates(db, tmp_path):
    import openpyxl

    path = tmp_path / "events.xlsx"
    result = CliRunner().invoke(main, ["export", "--db", db, "-o", str(path)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(path)["events"]
    header = [c.value for c in sheet[1]]
    assert header == list(COLUMNS)
    assert sheet.max_row == 4
    date_cell = sheet["B2"]
    assert isinstance(date_cell.value, dt.datetime) and date_cell.number_format == "yyyy-mm-dd"
    row = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert row["inter1"] in {"State forces", "Rebel group", "Protesters"}


def _without_geopandas(runner, db, path):
    saved = sys.modules.get("geopandas")
    sys.modules["geopandas"] = None  # type: ignore[assignment]
    try:
        return runner.invoke(main, ["export", "--db", db, "-o", str(path)])
    finally:
        if saved is not None:
            sys.modules["geopandas"] = saved
        else:
            del sys.modules["geopandas"]


def test_cli_export_gpkg_and_the_errors(db, tmp_path):
    runner = CliRunner()
    path = tmp_path / "events.gpkg"
    ok = runner.invoke(main, ["export", "--db", db, "--format", "gpkg", "-o", str(path),
                              "--country", "Lebanon"])
    assert ok.exit_code == 0, ok.output
    assert pyogrio.read_info(path, layer="events")["features"] == 2
    assert "layers events 2" in ok.output
    liban = runner.invoke(main, ["export", "--db", db, "--country", "Liban"])
    assert liban.exit_code == 2
    assert "'Liban' is not a country" in liban.output and "Lebanon" in liban.output
    no_file = runner.invoke(main, ["export", "--db", db, "--format", "gpkg"])
    assert no_file.exit_code == 2 and "-o FILE.gpkg" in no_file.output
    at_csv = runner.invoke(main, ["export", "--db", db, "--at", "2017-08-20"])
    assert at_csv.exit_code == 2 and "--format gpkg" in at_csv.output
    no_geo = _without_geopandas(runner, db, tmp_path / "x.gpkg")
    assert no_geo.exit_code == 2 and "pip install 'frontlines[geo]'" in no_geo.output
    legacy = runner.invoke(main, ["export", "--db", db, "--layout", "legacy", "--country", "EGY"])
    assert legacy.exit_code == 0
    assert legacy.output.splitlines()[1].split(",")[9] == "6"  # inter1 as a code
