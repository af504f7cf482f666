"""Issue #13 through the command line: a hostile folder is one line per bad input and exit
status 1, the good articles stored; a failed export leaves no half-written document."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_hostile_input import _good_folder, _hostile_files

from frontlines.cli_common import output


def test_a_failed_export_leaves_the_previous_file_and_no_partial(tmp_path):
    target = tmp_path / "events.geojson"
    target.write_text('{"type": "FeatureCollection", "features": []}\n', encoding="utf-8")
    with pytest.raises(RuntimeError, match="disk full"), output(str(target)) as fh:
        fh.write('{"type": "FeatureCollection", "features": [{"type": "Feature", ')
        raise RuntimeError("disk full")
    assert [p.name for p in tmp_path.iterdir()] == ["events.geojson"]
    assert target.read_text(encoding="utf-8") == '{"type": "FeatureCollection", "features": []}\n'


def test_a_failed_export_to_a_new_file_leaves_nothing(tmp_path):
    with pytest.raises(KeyboardInterrupt), output(str(tmp_path / "new.csv")) as fh:
        fh.write("event_id_cnty,event_date\n")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_ingest_of_a_hostile_folder_exits_1_naming_each_input(tmp_path, offline_gazetteer):
    from frontlines.cli import main

    folder = _good_folder(tmp_path / "in")
    expected = _hostile_files(folder)
    db = tmp_path / "f.db"
    result = CliRunner().invoke(
        main, ["ingest", str(folder), "--db", f"sqlite:///{db}", "--quiet"],
        env={"FRONTLINES_GAZETTEER": str(offline_gazetteer)})
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for name, code in expected.items():
        assert f"skipped {code}: {folder / name}" in result.output, name
    assert result.output.count("skipped E") == len(expected)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


@pytest.mark.parametrize("column", ["id", "population"])
def test_gazetteer_add_refuses_a_number_sqlite_cannot_hold(tmp_path, column):
    from frontlines.cli import main
    from frontlines.gazetteer.build import build_index

    index = build_index(tmp_path / "g.sqlite", supplement=False, sources=[
        Path(__file__).parent / "fixtures" / "gazetteer" / "levant_slice.txt"])
    places = tmp_path / "ours.csv"
    places.write_text(f"name,latitude,longitude,country_code,{column}\n"
                      "Bigtown,34.1,36.2,LB,99999999999999999999999\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["gazetteer", "add", str(places)],
                                env={"FRONTLINES_GAZETTEER": str(index)})
    assert result.exit_code == 2, result.output  # it crashed with OverflowError (exit 3)
    assert f'ours.csv row 2: "{column}" is' in result.output and "whole number" in result.output
