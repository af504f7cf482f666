"""frontlines.toml: where it is found, what it may hold, and its place in the precedence
flag > environment > file > default, checked through ``frontlines settings --json``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from frontlines.cli import main
from frontlines.errors import ConfigError
from frontlines.settings import Settings


def _settings_json(env: dict[str, str] | None = None) -> dict:
    result = CliRunner().invoke(main, ["settings", "--json"], env=env or {})
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    for name in ("FRONTLINES_BATCH_SIZE", "FRONTLINES_REGION", "FRONTLINES_DB",
                 "FRONTLINES_API_KEYS", "FRONTLINES_API_KEYS_FILE"):
        monkeypatch.delenv(name, raising=False)
    return folder


def test_file_overrides_default_and_environment_overrides_file(workdir):
    config = workdir / "frontlines.toml"
    config.write_text('batch_size = 7\nregion = ["lb", "SY"]\ndb = "sqlite:///events.db"\n',
                      encoding="utf-8")
    data = _settings_json()
    assert data["config_file"] == str(config)
    shown = data["settings"]
    assert shown["batch_size"] == {"value": 7, "source": f"file {config}",
                                   "environment": "FRONTLINES_BATCH_SIZE"}
    assert shown["region"]["value"] == "LB,SY"
    assert shown["db"]["value"] == "sqlite:///events.db"
    assert shown["model"]["source"] == "default"

    data = _settings_json({"FRONTLINES_BATCH_SIZE": "3"})
    assert data["settings"]["batch_size"]["value"] == 3
    assert data["settings"]["batch_size"]["source"] == "environment FRONTLINES_BATCH_SIZE"
    assert data["settings"]["region"]["source"] == f"file {config}"


def test_true_false_settings_take_toml_booleans(workdir, monkeypatch):
    monkeypatch.delenv("FRONTLINES_ALLOW_DATES", raising=False)
    (workdir / "frontlines.toml").write_text("allow_dates = true\n", encoding="utf-8")
    assert Settings().allow_dates is True


def test_flag_beats_environment_and_file(workdir, monkeypatch):
    (workdir / "frontlines.toml").write_text('db = "sqlite:///from-file.db"\n', encoding="utf-8")
    monkeypatch.setenv("FRONTLINES_DB", "sqlite:///from-env.db")
    settings = Settings(db="sqlite:///from-flag.db")
    assert (settings.db, settings.source("db")) == ("sqlite:///from-flag.db", "override")
    assert Settings().source("db") == "environment FRONTLINES_DB"


def test_file_in_the_data_home_when_none_in_the_working_folder(workdir, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("FRONTLINES_HOME", str(home))
    (home / "frontlines.toml").write_text("max_body_mb = 2\n", encoding="utf-8")
    data = _settings_json()
    assert data["settings"]["max_body_mb"]["value"] == 2
    assert data["config_file"] == str(home / "frontlines.toml")
    (workdir / "frontlines.toml").write_text("max_body_mb = 5\n", encoding="utf-8")
    assert _settings_json()["settings"]["max_body_mb"]["value"] == 5  # the working folder's


def test_home_from_the_working_folder_file_moves_the_default_database(workdir, monkeypatch):
    monkeypatch.delenv("FRONTLINES_HOME")
    (workdir / "frontlines.toml").write_text('home = "data"\n', encoding="utf-8")
    settings = Settings()
    assert settings.home == "data" and settings.db == "sqlite:///data/frontlines.db"
    assert settings.gazetteer == "data/gazetteer.sqlite"


def test_unknown_key_names_file_key_and_suggests(workdir):
    config = workdir / "frontlines.toml"
    config.write_text("batchsize = 7\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["settings", "--json"])
    assert result.exit_code == 2
    assert str(config) in result.output and "'batchsize'" in result.output
    assert "did you mean 'batch_size'?" in result.output and "max_json_depth" in result.output


@pytest.mark.parametrize("line, message", [
    ('batch_size = "7"', "batch_size: is text ('7'); expected a whole number, e.g. batch_size = 32"),
    ("region = 3", "region: is a whole number (3); expected text"),
    ("fetch_timeout = true", "fetch_timeout: is true/false"),
    ("batch_size = -1", "batch_size: -1: must be a positive whole number"),
    ('allow_dates = "yes"', "allow_dates: is text ('yes'); expected true/false, e.g. allow"),
    ("allow_dates = 1", "allow_dates: is a whole number (1); expected true/false"),
    ('acled_layout = "2019"', "acled_layout: '2019': must be 'current' or 'legacy'"),
    ("[frontlines]\nbatch_size = 7", "not a table"),
    ("batch_size = ", "not valid TOML"),
])
def test_wrong_values_name_file_key_and_fix(workdir, line, message):
    (workdir / "frontlines.toml").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Settings()
    assert str(workdir / "frontlines.toml") in str(info.value)
    assert message in str(info.value)


def test_api_keys_from_a_file_are_counted_never_shown(workdir):
    (workdir / "keys.txt").write_text("# team keys\nalpha-key-1\n\nsha256:" + "a" * 64 + "\n",
                                      encoding="utf-8")
    (workdir / "frontlines.toml").write_text('api_keys_file = "keys.txt"\napi_keys = "beta"\n',
                                             encoding="utf-8")
    settings = Settings()
    assert settings.api_keys.split(",") == ["beta", "alpha-key-1", "sha256:" + "a" * 64]
    shown = _settings_json()["settings"]["api_keys"]
    assert shown["value"] == "3 key(s)"
    table = CliRunner().invoke(main, ["settings"]).output
    assert "alpha-key-1" not in table and "beta" not in table


def test_api_keys_at_file_form(workdir, monkeypatch):
    (workdir / "k").write_text("one\ntwo\n", encoding="utf-8")
    monkeypatch.setenv("FRONTLINES_API_KEYS", f"@{workdir / 'k'}")
    assert Settings().api_keys == "one,two"
    monkeypatch.setenv("FRONTLINES_API_KEYS", "@missing.txt")
    with pytest.raises(ConfigError, match="FRONTLINES_API_KEYS='@missing.txt': cannot read"):
        Settings()


def test_home_in_the_data_home_file_is_refused(workdir, tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTLINES_HOME", str(tmp_path))
    (tmp_path / "frontlines.toml").write_text('home = "/elsewhere"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'home' cannot be set in the data home"):
        Settings()
