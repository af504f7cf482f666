"""install() against a real HTTP server on 127.0.0.1 serving a GeoNames-layout folder."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import zipfile
from pathlib import Path

import httpx
import pytest

from frontlines.errors import GazetteerError, UnsafeArchiveError
from frontlines.gazetteer import Gazetteer, install

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteer"


def _rows(country: str) -> str:
    lines = (FIXTURES / "levant_slice.txt").read_text(encoding="utf-8").splitlines()
    return "".join(line + "\n" for line in lines if line.split("\t")[8] == country)


def _zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.fixture
def mirror(tmp_path) -> Path:
    """A folder laid out like download.geonames.org/export/dump/."""
    root = tmp_path / "dump"
    root.mkdir()
    for name in ("admin1CodesASCII.txt", "admin2Codes.txt", "countryInfo.txt"):
        shutil.copy(FIXTURES / name, root / name)
    _zip(root / "LB.zip", {"LB.txt": _rows("LB"), "readme.txt": "GeoNames readme\n"})
    _zip(root / "SY.zip", {"SY.txt": _rows("SY")})
    return root


@pytest.fixture
def server(mirror):
    handler = functools.partial(_QuietHandler, directory=str(mirror))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def client():
    with httpx.Client(timeout=10) as c:
        yield c


def _installed_lb(server, client, target) -> Gazetteer:
    report = install(["lb"], target=target, source=server, client=client)
    assert report.countries == ("LB",)
    return Gazetteer(target)


def test_install_over_http_then_merge_another_country(server, client, tmp_path):
    target = tmp_path / "home" / "gazetteer.sqlite"
    gaz = _installed_lb(server, client, target)
    assert gaz.lookup("Qaa")[0].place.geonameid == 279268
    assert gaz.get(279268).admin1 == "Baalbek-Hermel"
    assert gaz.country_info("LB").iso3 == "LBN"
    assert gaz.lookup("Yabroud", fuzzy=False)[0].place.country_code == "SY"  # supplement only
    seen = []
    report = install(["SY"], target=target, source=server, client=client,
                     progress=lambda done, total: seen.append(done))
    assert report.sources == ("geonames:LB", "geonames:SY")
    assert report.downloaded_bytes > 0 and seen
    merged = Gazetteer(target)
    assert merged.lookup("Qaa")[0].place.geonameid == 279268  # LB kept
    assert merged.lookup("Flita")[0].place.name == "Al Mashrafah"  # SY's own row now
    per_country = merged.info()["places_per_country"]
    assert per_country["LB"] >= 22 and per_country["SY"] >= 11
    # Re-installing a country replaces its rows rather than duplicating them.
    install(["SY"], target=target, source=server, client=client)
    assert Gazetteer(target).info()["places_per_country"] == per_country
    assert [p.name for p in target.parent.iterdir()] == ["gazetteer.sqlite"]


def test_install_from_a_local_folder_with_plain_txt(mirror, tmp_path):
    (mirror / "LB.zip").unlink()
    (mirror / "LB.txt").write_text(_rows("LB"), encoding="utf-8")
    target = tmp_path / "g.sqlite"
    install(["LB"], target=target, source=str(mirror))
    assert Gazetteer(target).lookup("Arsal")[0].place.geonameid == 273675


def _assert_previous_index_intact(target: Path) -> None:
    gaz = Gazetteer(target)
    assert gaz.lookup("Qaa")[0].place.geonameid == 279268
    assert gaz.info()["sources"] == ["geonames:LB"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["g.sqlite"]


@pytest.mark.parametrize("members,message", [
    ({"IQ.txt": b"\0" * (8 << 20)}, "zip bomb"),
    ({"../IQ.txt": "x"}, "outside the archive root"),
    ({"/etc/IQ.txt": "x"}, "outside the archive root"),
    ({"IQ.txt": "x", "run.sh": "rm -rf /"}, "unexpected member 'run.sh'"),
    ({"readme.txt": "x"}, "no member 'IQ.txt'"),
])
def test_hostile_archives_are_refused(server, client, mirror, tmp_path, members, message):
    target = tmp_path / "index" / "g.sqlite"
    _installed_lb(server, client, target)
    _zip(mirror / "IQ.zip", members)
    with pytest.raises(UnsafeArchiveError, match=message):
        install(["IQ"], target=target, source=server, client=client)
    _assert_previous_index_intact(target)


def test_truncated_download_is_refused_and_previous_index_kept(server, client, mirror,
                                                               tmp_path):
    target = tmp_path / "index" / "g.sqlite"
    _installed_lb(server, client, target)
    data = (mirror / "SY.zip").read_bytes()
    (mirror / "SY.zip").write_bytes(data[: len(data) // 2])
    with pytest.raises(UnsafeArchiveError, match="truncated or corrupt"):
        install(["SY"], target=target, source=server, client=client)
    _assert_previous_index_intact(target)


def test_corrupt_member_fails_the_crc_check(server, client, mirror, tmp_path):
    target = tmp_path / "index" / "g.sqlite"
    _installed_lb(server, client, target)
    with zipfile.ZipFile(mirror / "SY.zip", "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("SY.txt", _rows("SY"))
    data = bytearray((mirror / "SY.zip").read_bytes())
    data[200] ^= 0xFF  # flip a byte inside the stored member
    (mirror / "SY.zip").write_bytes(bytes(data))
    with pytest.raises(UnsafeArchiveError, match="corrupt"):
        install(["SY"], target=target, source=server, client=client)
    _assert_previous_index_intact(target)


def test_wrong_column_count_fails_mid_build_and_previous_index_kept(server, client, mirror,
                                                                   tmp_path):
    target = tmp_path / "index" / "g.sqlite"
    _installed_lb(server, client, target)
    rows = _rows("SY").splitlines()
    # one truncated row is skipped and reported; more than 20 bad rows refuse the dump
    rows[3] = "\t".join(rows[3].split("\t")[:12])
    rows += ["\t".join(rows[3].split("\t")[:12])] * 21
    _zip(mirror / "SY.zip", {"SY.txt": "\n".join(rows) + "\n"})
    with pytest.raises(GazetteerError, match="(?s)22 of .* rows are unusable.*SY.txt line 4: "
                                             "12 tab-separated columns"):
        install(["SY"], target=target, source=server, client=client)
    _assert_previous_index_intact(target)


def test_download_size_limit(server, client, mirror, tmp_path):
    target = tmp_path / "index" / "g.sqlite"
    _installed_lb(server, client, target)
    (mirror / "SY.zip").write_bytes(b"PK" + b"\x01" * (2 << 20))
    with pytest.raises(UnsafeArchiveError, match="max_download_mb"):
        install(["SY"], target=target, source=server, client=client, max_download_mb=1)
    _assert_previous_index_intact(target)


def test_unknown_country_and_bad_codes(server, client, tmp_path):
    with pytest.raises(GazetteerError, match="neither XK.zip nor XK.txt"):
        install(["XK"], target=tmp_path / "g.sqlite", source=server, client=client)
    with pytest.raises(GazetteerError, match="not a country"):
        install(["Lebanon"], target=tmp_path / "g.sqlite", source=server, client=client)
    assert not (tmp_path / "g.sqlite").exists()


def test_interrupted_build_leaves_previous_index(server, client, tmp_path):
    target = tmp_path / "index" / "g.sqlite"
    _installed_lb(server, client, target)

    def interrupt(done, total):
        if total is None:  # indexing rows, after the downloads (which know their size)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        install(["SY"], target=target, source=server, client=client, progress=interrupt)
    _assert_previous_index_intact(target)


def test_install_all_uses_all_countries_zip(server, client, mirror, tmp_path):
    _zip(mirror / "allCountries.zip", {"allCountries.txt": _rows("LB") + _rows("SY")})
    target = tmp_path / "index" / "g.sqlite"
    report = install(["all"], target=target, source=server, client=client)
    assert report.sources == ("geonames:all",)
    per_country = Gazetteer(target).info()["places_per_country"]
    assert per_country["LB"] >= 22 and per_country["SY"] >= 11
