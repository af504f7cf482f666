"""Output for people: control and alerts name their store and refuse to look busy on an
empty or missing one; eval reads paths relative to the folder it is run from."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from frontlines.cli import main
from frontlines.store import Store


@pytest.fixture
def place_home(tmp_path, monkeypatch, offline_gazetteer):
    monkeypatch.setenv("FRONTLINES_GAZETTEER", str(offline_gazetteer))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", [["control", "--at", "2017-08-20"],
                                     ["alerts", "--at", "2017-08-20"]])
def test_missing_store_is_an_error_naming_it_and_the_fix(place_home, command):
    result = CliRunner().invoke(main, [*command, "--db", "sqlite:///events.db"])
    assert result.exit_code == 2
    assert "no database file events.db" in result.stderr
    assert "frontlines ingest REPORTS --db sqlite:///events.db" in result.stderr
    assert not (place_home / "events.db").exists(), "looking must not create an empty store"


@pytest.mark.parametrize("command", [["control", "--at", "2017-08-20"],
                                     ["alerts", "--at", "2017-08-20"]])
def test_empty_store_warns_and_exits_1(place_home, command):
    Store("sqlite:///empty.db").close()
    result = CliRunner().invoke(main, [*command, "--db", "sqlite:///empty.db"])
    assert result.exit_code == 1, result.output
    assert "warning: the store sqlite:///empty.db holds no reports" in result.stderr
    assert "frontlines ingest REPORTS --db sqlite:///empty.db" in result.stderr
    assert json.loads(result.stdout)["at"] == "2017-08-20"  # the (empty) result is written


def test_empty_store_with_an_initial_map_says_where_the_result_comes_from(place_home):
    from conftest import REPO

    Store("sqlite:///empty.db").close()
    initial = REPO / "examples" / ".maps" / "lebanon-syria-border-2017-07.csv"
    result = CliRunner().invoke(main, ["control", "--at", "2017-08-20", "--db",
                                       "sqlite:///empty.db", "--initial", str(initial)])
    assert result.exit_code == 1
    assert f"from the initial map {initial} alone" in result.stderr
    snapshot = json.loads(result.stdout)
    assert snapshot["points"] and snapshot["areas"]
    assert "control at 2017-08-20 from sqlite:///empty.db (0 events, 0 articles)" in \
        result.stderr


@pytest.mark.slow
def test_eval_reads_relative_paths_from_the_current_folder(place_home):
    gold = place_home / "mine" / "snippets.csv"
    gold.parent.mkdir()
    gold.write_text("text,sub_event_type\n"
                    '"The potato harvest in the Bekaa valley was good this year.",none\n',
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "events", "mine/snippets.csv", "-q",
                                       "--published-from", "2017-08-20",
                                       "--json", "out/eval/figures.json"])
    assert result.exit_code == 0, result.output
    figures = json.loads((place_home / "out" / "eval" / "figures.json").read_text())
    assert figures and figures[0]


def test_eval_names_the_folder_a_missing_relative_path_is_read_from(place_home):
    result = CliRunner().invoke(main, ["eval", "events", "tests/gold/test_events.csv"])
    assert result.exit_code == 2
    assert "tests/gold/test_events.csv does not exist" in result.output
    assert f"relative paths are read from {place_home}" in result.output
