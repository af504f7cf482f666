"""End-to-end tests of the CLI contract on examples/, with the real model and gazetteer.

Each test runs ``frontlines`` in a subprocess, as a user would, with an isolated data home.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from frontlines.model import ACLED_COLUMNS, PROVENANCE_COLUMNS

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"

pytestmark = pytest.mark.slow


@pytest.fixture
def env(tmp_path, offline_gazetteer):
    environ = dict(os.environ)
    environ.update(FRONTLINES_HOME=str(tmp_path / "home"),
                   FRONTLINES_GAZETTEER=str(offline_gazetteer))
    return environ


def run(env, *args, stdin: str | None = None, check: bool = True):
    proc = subprocess.run([sys.executable, "-m", "frontlines", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=600, cwd=REPO)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout:{proc.stdout[-2000:]}\n"
                             f"stderr:{proc.stderr[-4000:]}")
    return proc


def test_extract_examples_csv_has_acled_layout(env, tmp_path):
    out = tmp_path / "events.csv"
    run(env, "extract", str(EXAMPLES), "--format", "csv", "-o", str(out), "--quiet")
    with open(out, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == ACLED_COLUMNS + PROVENANCE_COLUMNS
        rows = list(reader)
    assert len(rows) >= 15, "the examples hold far more than 15 events"
    countries = {row["country"] for row in rows}
    assert {"Lebanon", "Syria"} <= countries
    for row in rows:
        assert row["event_date"][:4] == row["year"]
        assert row["event_type"] and row["sub_event_type"] and row["actor1"]
        assert row["article_id"] and row["sentence"]
        if row["latitude"]:
            assert -90 <= float(row["latitude"]) <= 90
            assert -180 <= float(row["longitude"]) <= 180
        assert row["geo_precision"] in {"1", "2", "3"}
        assert row["time_precision"] in {"1", "2", "3"}
        assert int(row["fatalities"]) >= 0


def test_extract_geojson_is_rfc7946(env, tmp_path):
    out = tmp_path / "events.geojson"
    run(env, "extract", str(EXAMPLES), "--format", "geojson", "-o", str(out), "--quiet")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert doc["features"]
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is not None:
            assert geometry["type"] == "Point"
            lon, lat = geometry["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            # lon, lat order: the properties say where the event is.
            assert (lat, lon) == pytest.approx((feature["properties"]["latitude"],
                                                feature["properties"]["longitude"]), abs=1e-6)


def test_broken_jsonl_line_is_skipped_with_one_clear_error(env, tmp_path):
    good = {"title": "Army shells ISIS positions near Ras Baalbek", "published": "2017-08-20",
            "text": "The Lebanese Army shelled Islamic State positions in the outskirts of "
                    "Ras Baalbek on Saturday, the army said."}
    lines = [json.dumps({**good, "id": "a1"}), '{"id": "a2", "text": "unterminated',
             json.dumps({**good, "id": "a3", "text": good["text"].replace("Saturday",
                                                                           "Sunday")})]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run(env, "extract", str(feed), check=False)
    assert proc.returncode == 1
    ids = {json.loads(line)["article_id"] for line in proc.stdout.splitlines()}
    assert ids == {"a1", "a3"}
    problem_lines = [line for line in proc.stderr.splitlines() if "feed.jsonl" in line]
    assert len(problem_lines) == 1 and "line 2" in problem_lines[0]


def test_strict_stops_at_first_bad_record(env, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "x", "text": ""}\n', encoding="utf-8")
    proc = run(env, "extract", str(feed), "--strict", check=False)
    assert proc.returncode == 2 and "feed.jsonl" in proc.stderr


def test_geoparse_output_shape(env):
    proc = run(env, "geoparse", str(EXAMPLES), "--quiet")
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) >= 15
    resolved = [t for line in lines for t in line["toponyms"] if t["place"]]
    assert resolved
    for toponym in resolved:
        assert set(toponym["place"]) == {"geonameid", "name", "country_code", "feature_code",
                                         "latitude", "longitude", "admin1"}
        assert toponym["end"] > toponym["start"] >= 0 and toponym["reason"]


def test_stdin_text(env):
    text = ("Israeli shelling hits outskirts of Kfar Kila\nPublished: 2017-08-22\n\n"
            "Israeli artillery shelled the outskirts of Kfar Kila in south Lebanon on Tuesday, "
            "the Lebanese Army said.")
    proc = run(env, "extract", "-", stdin=text, check=False)
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert events and events[0]["event_date"] == "2017-08-22"


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {table: conn.execute(f"select count(*) from {table}").fetchone()[0]
                for table in ("articles", "toponyms", "events", "event_sources")}


def test_ingest_twice_changes_nothing_and_export_filters(env, tmp_path):
    db = tmp_path / "store.db"
    url = f"sqlite:///{db}"
    run(env, "ingest", str(EXAMPLES), "--db", url, "--quiet")
    first = _counts(db)
    assert first["articles"] >= 15 and first["events"] > 0
    run(env, "ingest", str(EXAMPLES), "--db", url, "--quiet")
    assert _counts(db) == first
    proc = run(env, "export", "--db", url, "--format", "jsonl", "--country", "Lebanon",
               "--since", "2017-08-01", "--until", "2017-08-31")
    exported = [json.loads(line) for line in proc.stdout.splitlines()]
    assert exported and all(e["country"] == "Lebanon" for e in exported)
    assert all("2017-08-01" <= e["event_date"] <= "2017-08-31" for e in exported)


def _many_articles(folder: Path, n: int) -> None:
    folder.mkdir()
    towns = ["Ras Baalbek", "Qaa", "Arsal", "Fakiha", "Hermel", "Labweh"]
    with open(folder / "wire.jsonl", "w", encoding="utf-8") as fh:
        for i in range(n):
            town = towns[i % len(towns)]
            fh.write(json.dumps({
                "id": f"wire-{i:04d}", "published": f"2017-08-{1 + i % 28:02d}",
                "title": f"Shelling reported near {town} ({i})",
                "text": f"The Lebanese Army shelled Islamic State positions near {town} on "
                        f"Monday, killing {i % 5} militants, a security source said. "
                        f"Report number {i}."}) + "\n")


def test_killed_ingest_leaves_store_consistent_and_rerun_completes(env, tmp_path):
    src = tmp_path / "wire"
    _many_articles(src, 240)
    db = tmp_path / "killed.db"
    url = f"sqlite:///{db}"
    env = {**env, "FRONTLINES_BATCH_SIZE": "8"}
    proc = subprocess.Popen([sys.executable, "-m", "frontlines", "ingest", str(src), "--db", url,
                             "--quiet"], env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            if db.exists():
                try:
                    if _counts(db)["articles"] >= 16:
                        break
                except sqlite3.OperationalError:
                    pass  # schema not created yet
            if proc.poll() is not None:
                pytest.fail("ingest finished before it could be killed; raise the article count")
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    partial = _counts(db)
    assert 0 < partial["articles"] < 240
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        orphans = conn.execute("select count(*) from event_sources where article_id not in "
                               "(select id from articles)").fetchone()[0]
        assert orphans == 0
    run(env, "ingest", str(src), "--db", url, "--quiet")
    clean = tmp_path / "clean.db"
    run(env, "ingest", str(src), "--db", f"sqlite:///{clean}", "--quiet")
    assert _counts(db) == _counts(clean)
    assert _counts(db)["articles"] == 240


def test_demo_writes_csv_and_geojson(env, tmp_path):
    out = tmp_path / "demo"
    proc = run(env, "demo", "--examples", str(EXAMPLES), "--out", str(out))
    assert (out / "events.csv").exists() and (out / "events.geojson").exists()
    assert "events.csv" in proc.stdout and "events.geojson" in proc.stdout


def test_bad_date_option_names_the_fix(env):
    proc = run(env, "extract", str(EXAMPLES), "--published", "17/08/2017", check=False)
    assert proc.returncode == 2 and "2017-08-19" in proc.stderr
