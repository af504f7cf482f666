import pytest

from frontlines.errors import ConfigError
from frontlines.settings import SETTINGS, Settings


def test_env_overrides_default(monkeypatch, tmp_path):
    monkeypatch.setenv("FRONTLINES_HOME", str(tmp_path))
    monkeypatch.setenv("FRONTLINES_BATCH_SIZE", "7")
    s = Settings()
    assert s.batch_size == 7
    assert s.db == f"sqlite:///{tmp_path / 'frontlines.db'}"
    assert Settings(batch_size=3).batch_size == 3


def test_bad_env_value_names_variable_and_fix(monkeypatch):
    monkeypatch.setenv("FRONTLINES_BATCH_SIZE", "zero")
    with pytest.raises(ConfigError, match="FRONTLINES_BATCH_SIZE='zero'"):
        Settings()


def test_unknown_setting_lists_valid_ones():
    with pytest.raises(ConfigError, match="valid settings"):
        Settings(colour="red")


def test_every_setting_has_help():
    assert all(s.help.strip() for s in SETTINGS)
