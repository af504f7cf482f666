"""Fuzzing the gazetteer import (issue #13): GeoNames rows, good and hostile, into the index.

Rows come in GeoNames' tab-separated layout (19 columns): valid ones, and rows with NaN,
infinite or out-of-range coordinates, Latin-1 bytes, wrong column counts, huge fields, NUL
bytes, numbers that are not numbers or do not fit. Whatever the rows, the import never
raises anything but a ``GazetteerError`` naming the dump, every bad row is refused with its
``FILE line N`` and reason (and counted), every good row is stored, and no stored coordinate
is non-finite or outside [-90, 90] x [-180, 180].

The example budget is ``FRONTLINES_FUZZ_EXAMPLES`` (``make fuzz`` sets thousands).
"""

from __future__ import annotations

import math
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontlines.errors import GazetteerError
from frontlines.gazetteer.build import build_index
from frontlines.gazetteer.rows import MAX_BAD_ROWS, MAX_ROW_BYTES, parse_row

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "gazetteer"
BUDGET = int(os.environ.get("FRONTLINES_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=BUDGET, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


@dataclass(frozen=True)
class Row:
    data: bytes  # one line, without its "\n"
    good: bool
    geonameid: int | None  # of a good row


# Names as GeoNames could hold them: any script, no tab, line end, NUL or lone surrogate.
NAME_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\x00")
NAMES = st.text(NAME_CHARS, min_size=1, max_size=60).filter(lambda s: s.strip())
LATS = st.floats(-90, 90, allow_nan=False)
LONS = st.floats(-180, 180, allow_nan=False)
_NOT_COORDINATES = ["nan", "NaN", "inf", "-inf", "Infinity", "1e400", "999", "-5000", "abc",
                    "", "1,5", "0x10"]
BAD_LATITUDES = st.sampled_from([*_NOT_COORDINATES, "90.0001", "-90.5", "180"])
BAD_LONGITUDES = st.sampled_from([*_NOT_COORDINATES, "180.0001", "-180.5", "360"])
BAD_IDS = st.sampled_from(["", "x", "-5", "1.5", "99999999999999999999999",
                           "9000000000", " ", "١٢x"])
BAD_POPULATIONS = st.sampled_from(["-1", "1e5", "x", "99999999999999999999999"])


@st.composite
def good_columns(draw, geonameid: int) -> list[str]:
    name = draw(NAMES)
    alternates = ",".join(draw(st.lists(st.text(NAME_CHARS, max_size=30)
                                        .map(lambda s: s.replace(",", "")), max_size=5)))
    lat = draw(LATS)
    lon = draw(LONS)
    style = draw(st.sampled_from(["{:.5f}", "{!r}", "{:g}"]))
    return [str(geonameid), name, draw(st.sampled_from([name, "", "Plain"])), alternates,
            style.format(lat), style.format(lon), draw(st.sampled_from("PATHLSRUV")),
            draw(st.sampled_from(["PPL", "PPLA", "ADM1", "MT", "STM", ""])), "LB", "",
            draw(st.sampled_from(["04", "", "99"])), "", "", "",
            str(draw(st.integers(0, 10**9))), "", str(draw(st.integers(-400, 8000))),
            "Asia/Beirut", "2020-01-01"]


@st.composite
def rows(draw, geonameid: int) -> Row:
    cols = draw(good_columns(geonameid))
    damage = draw(st.sampled_from(
        ["none"] * 6 + ["lat", "lon", "latin1", "columns", "long name", "huge row", "nul",
                        "id", "population", "carriage return"]))
    if damage == "none":
        return Row("\t".join(cols).encode(), True, geonameid)
    if damage == "carriage return":  # a stray CR inside a field is text, not a line end
        cols[3] = cols[3] + "\r" + "Alt"
        return Row("\t".join(cols).encode(), True, geonameid)
    if damage in ("lat", "lon"):
        if damage == "lat":
            cols[4] = draw(BAD_LATITUDES)
        else:
            cols[5] = draw(BAD_LONGITUDES)
    elif damage == "latin1":
        cols[1] = "Caf\xe9 " + cols[1]
        return Row("\t".join(cols).encode("latin-1", "replace"), False, None)
    elif damage == "columns":
        count = draw(st.sampled_from([1, 12, 18, 20, 25]))
        cols = (cols + [""] * 10)[:count]
    elif damage == "long name":
        cols[1] = "N" * draw(st.integers(201, 5000))
    elif damage == "huge row":
        cols[3] = "a," * (MAX_ROW_BYTES // 2 + 10)
    elif damage == "nul":
        column = draw(st.integers(0, 18))
        cols[column] = cols[column] + "\x00"
    elif damage == "id":
        cols[0] = draw(BAD_IDS)
    elif damage == "population":
        cols[14] = draw(BAD_POPULATIONS)
    return Row("\t".join(cols).encode(), False, None)


@st.composite
def dumps(draw) -> list[Row]:
    count = draw(st.integers(0, 40))
    ids = draw(st.lists(st.integers(0, 8_999_999_999), min_size=count, max_size=count,
                        unique=True))
    return [draw(rows(geonameid)) for geonameid in ids]


def _write_dump(folder: Path, dump: list[Row]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "LB.txt"
    path.write_bytes(b"".join(row.data + b"\n" for row in dump))
    return path


def _assert_sound_index(target: Path, dump: list[Row]) -> None:
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        coordinates = conn.execute("SELECT lat, lon FROM places").fetchall()
        stored = {r[0] for r in conn.execute("SELECT geonameid FROM places")}
    for lat, lon in coordinates:
        assert isinstance(lat, float) and isinstance(lon, float)
        assert math.isfinite(lat) and math.isfinite(lon)
        assert -90 <= lat <= 90 and -180 <= lon <= 180
    assert {row.geonameid for row in dump if row.good} <= stored


def _too_many(dump: list[Row]) -> bool:
    bad = sum(not row.good for row in dump)
    return bad > max(MAX_BAD_ROWS, len(dump) // 100)


# -- the row check ----------------------------------------------------------------------------
@FUZZ
@given(dump=dumps())
def test_fuzzed_rows_are_parsed_or_refused_with_a_reason(dump):
    for row in dump:
        if len(row.data) > MAX_ROW_BYTES:
            continue  # refused by the line reader before any parsing (the build test)
        try:
            parsed = parse_row(row.data.decode("utf-8"))
        except UnicodeDecodeError:
            assert not row.good
            continue
        except ValueError as exc:
            assert not row.good, (row.data[:200], exc)
            assert str(exc)
            continue
        assert row.good, row.data[:200]
        assert parsed.geonameid == row.geonameid
        assert math.isfinite(parsed.latitude) and abs(parsed.latitude) <= 90
        assert math.isfinite(parsed.longitude) and abs(parsed.longitude) <= 180


# -- the build: bad rows counted and named, good ones stored, coordinates sound ---------------
@FUZZ
@given(dump=dumps())
def test_fuzzed_dump_into_the_index(tmp_path_factory, dump):
    root = tmp_path_factory.mktemp("gfuzz")
    path = _write_dump(root / "dump", dump)
    target = root / "g.sqlite"
    rejected: list[str] = []
    try:
        build_index(target, sources=[path], supplement=False, rejected=rejected)
    except GazetteerError as exc:
        assert _too_many(dump), exc
        assert exc.where == "LB.txt" and "rows are unusable" in str(exc)
        assert not target.exists()  # nothing half-built is left
        return
    assert not _too_many(dump)
    bad_lines = [n for n, row in enumerate(dump, 1) if not row.good]
    assert [int(r.split(":")[0].removeprefix("LB.txt line ")) for r in rejected] == bad_lines
    assert all(r.split(": ", 1)[1] for r in rejected)  # each with its reason
    _assert_sound_index(target, dump)


# -- the command: `frontlines gazetteer install LB --source DIR` -------------------------------
@pytest.fixture(scope="module")
def base_index(tmp_path_factory) -> Path:
    """A small installed index (the Levant slice): install merges into it, so no example
    pays for the offline default's build."""
    target = tmp_path_factory.mktemp("gbase") / "g.sqlite"
    build_index(target, sources=[FIXTURES / "levant_slice.txt"], supplement=False)
    return target


@settings(max_examples=max(5, BUDGET // 10), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(dump=dumps())
def test_fuzzed_dump_through_gazetteer_install(tmp_path_factory, base_index, dump):
    from frontlines.cli import main

    root = tmp_path_factory.mktemp("gcli")
    source = root / "mirror"
    _write_dump(source, dump)
    for name in ("admin1CodesASCII.txt", "admin2Codes.txt", "countryInfo.txt"):
        shutil.copy(FIXTURES / name, source / name)
    target = root / "g.sqlite"
    shutil.copy(base_index, target)
    before = target.read_bytes()
    result = CliRunner().invoke(
        main, ["gazetteer", "install", "LB", "--source", str(source)],
        env={"FRONTLINES_GAZETTEER": str(target), "FRONTLINES_HOME": str(root / "home")})
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    bad = sum(not row.good for row in dump)
    if result.exit_code != 0:  # refused whole: named, and the index as it was
        assert result.exit_code == 2 and "LB.txt" in result.output, result.output
        assert bad > MAX_BAD_ROWS and "rows are unusable" in result.output
        assert target.read_bytes() == before
        return
    assert (f"{bad} bad row(s) skipped" in result.output) is (bad > 0), result.output
    _assert_sound_index(target, dump)


# -- the cases the strategies are built from, one each --------------------------------------
@pytest.mark.parametrize(("damage", "reason"), [
    ("nan", "latitude nan is not within ±90"),
    ("huge id", "geonameid 99999999999999999999999 is not within 0 to 8,999,999,999"),
    ("nul", "a NUL byte in the row"),
    ("columns", "18 tab-separated columns, expected 19"),
    ("long name", "the name is 300 characters long"),
    ("population", "population '1e5' is not a whole number"),
])
def test_each_bad_row_kind_has_its_reason(tmp_path, damage, reason):
    good = ["1", "Arsal", "Arsal", "", "34.18", "36.42", "P", "PPL", "LB", "", "04", "", "",
            "", "1000", "", "900", "Asia/Beirut", "2020-01-01"]
    bad = list(good)
    bad[0] = "2"
    if damage == "nan":
        bad[4] = "nan"
    elif damage == "huge id":
        bad[0] = "99999999999999999999999"
    elif damage == "nul":
        bad[1] = "Ar\x00sal"
    elif damage == "columns":
        bad = bad[:18]
    elif damage == "long name":
        bad[1] = "N" * 300
    else:
        bad[14] = "1e5"
    path = tmp_path / "LB.txt"
    path.write_text("\t".join(good) + "\n" + "\t".join(bad) + "\n", encoding="utf-8")
    rejected: list[str] = []
    build_index(tmp_path / "g.sqlite", sources=[path], supplement=False, rejected=rejected)
    assert len(rejected) == 1 and rejected[0].startswith(f"LB.txt line 2: {reason}")
    with pytest.raises(GazetteerError, match=f"LB.txt line 2: {reason}"):
        build_index(tmp_path / "h.sqlite", sources=[path], supplement=False)  # strict
    assert not (tmp_path / "h.sqlite").exists()
