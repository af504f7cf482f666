"""GeoNames dump rows: read line by line, every row checked before it can reach the index.

A row is refused with its reason (``LB.txt line 12: latitude 999 is not within ±90``) when it
is not UTF-8, does not have the 19 tab-separated columns, holds a NUL byte, is longer than any
real row, has no name or a name longer than GeoNames allows, or a geonameid, coordinate or
population that is not a number in range (finite latitude in [-90, 90], longitude in
[-180, 180], ids below the ids we give our own places). Refused rows are counted and listed;
a dump with more than ``MAX_BAD_ROWS`` (and 1% of its rows) bad ones is refused whole: it is
damaged or not a dump, and a partial index would mislead.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from frontlines.errors import GazetteerError

__all__ = ["CUSTOM_ID_BASE", "GEONAMES_COLUMNS", "MAX_BAD_ROWS", "PlaceRow", "parse_row",
           "read_geonames"]

GEONAMES_COLUMNS = 19
CUSTOM_ID_BASE = 9_000_000_000  # ids of places without a GeoNames id start here
MAX_BAD_ROWS = 20
MAX_NAME_CHARS = 200  # GeoNames: name and asciiname are varchar(200)
MAX_ROW_BYTES = 1 << 20  # the longest real row (alternatenames included) is far shorter
_MAX_POPULATION = 2**63 - 1  # SQLite INTEGER


@dataclass(slots=True)
class PlaceRow:
    """One feature on its way into the index (GeoNames semantics)."""

    geonameid: int
    name: str
    latitude: float
    longitude: float
    country: str = ""
    ascii: str = ""
    alternatenames: list[str] = field(default_factory=list)
    fclass: str = ""
    fcode: str = ""
    admin1_code: str = ""
    admin2_code: str = ""
    population: int = 0
    note: str | None = None
    alt_count: int | None = None  # defaults to len(alternatenames)
    admin_names: dict[str, str] = field(default_factory=dict)  # a user file's admin1/admin2


def useful_alt(name: str) -> bool:
    # GeoNames alternatenames also carry codes (IATA, postcodes) and links.
    return bool(name) and not name.isdigit() and "://" not in name and len(name) <= 200


def _whole(text: str, what: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{what} {text[:30]!r} is not a whole number") from None
    if not low <= value <= high:
        raise ValueError(f"{what} {text[:30]} is not within {low:,} to {high:,}")
    return value


def _coordinate(text: str, what: str, bound: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what} {text[:30]!r} is not a number") from None
    if not math.isfinite(value) or abs(value) > bound:
        raise ValueError(f"{what} {text[:30]} is not within ±{bound:g}")
    return value


def parse_row(line: str) -> PlaceRow:
    """One dump line (without its line end) to a ``PlaceRow``; ``ValueError`` says why not."""
    cols = line.split("\t")
    if len(cols) != GEONAMES_COLUMNS:
        raise ValueError(f"{len(cols)} tab-separated columns, expected {GEONAMES_COLUMNS} "
                         "(GeoNames dump format); the row is truncated or not GeoNames data")
    if "\x00" in line:
        raise ValueError("a NUL byte in the row; the file is damaged")
    name, ascii_name = cols[1].strip(), cols[2].strip()
    if not name:
        raise ValueError("the name (column 2) is empty")
    for what, value in (("name", name), ("asciiname", ascii_name)):
        if len(value) > MAX_NAME_CHARS:
            raise ValueError(f"the {what} is {len(value):,} characters long; GeoNames names "
                             f"are at most {MAX_NAME_CHARS}")
    return PlaceRow(
        geonameid=_whole(cols[0], "geonameid", 0, CUSTOM_ID_BASE - 1), name=name,
        ascii=ascii_name, alternatenames=[a for a in cols[3].split(",") if useful_alt(a)],
        latitude=_coordinate(cols[4], "latitude", 90.0),
        longitude=_coordinate(cols[5], "longitude", 180.0), fclass=cols[6], fcode=cols[7],
        country=cols[8], admin1_code=cols[10], admin2_code=cols[11],
        population=_whole(cols[14] or "0", "population", 0, _MAX_POPULATION))


def _lines(handle: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    """Lines split at ``\\n`` only (a stray ``\\r`` inside a field does not end a row), each
    with whether it was cut at ``MAX_ROW_BYTES`` (the rest of such a line is skipped)."""
    while line := handle.readline(MAX_ROW_BYTES + 1):
        if len(line) > MAX_ROW_BYTES and not line.endswith(b"\n"):
            while (rest := handle.readline(MAX_ROW_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield line, True
        else:
            yield line, False


def read_geonames(path: Path, *, rejected: list[str] | None = None) -> Iterator[PlaceRow]:
    """Rows of a GeoNames-format dump (19 tab-separated columns), checked line by line.

    With ``rejected``, a bad row is skipped and its reason appended (``FILE line N: why``);
    too many bad rows raise ``GazetteerError`` at the end of the file (before the build is
    committed). Without it, the first bad row raises ``GazetteerError``.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise GazetteerError(f"cannot read {exc.strerror}; check the path",
                             where=str(path)) from None
    bad: list[str] = []
    rows = 0
    with handle:
        for lineno, (raw, cut) in enumerate(_lines(handle), 1):
            raw = raw.rstrip(b"\r\n")
            if not raw or raw.startswith(b"#"):
                continue
            rows += 1
            where = f"{path.name} line {lineno}"
            try:
                if cut:
                    raise ValueError(f"the row is longer than {MAX_ROW_BYTES:,} bytes; no "
                                     "GeoNames row is — the file is damaged")
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise ValueError(
                        f"byte 0x{raw[exc.start:exc.start + 1].hex()} is not UTF-8 (GeoNames "
                        "dumps are UTF-8; a Latin-1 file must be converted: iconv -f LATIN1 "
                        "-t UTF-8)") from None
                row = parse_row(line)
            except ValueError as exc:
                if rejected is None:
                    raise GazetteerError(f"{exc}; fix the row or download the dump again",
                                         where=where) from None
                bad.append(f"{where}: {exc}")
                continue
            yield row
    if rejected is None:
        return
    rejected.extend(bad)
    if len(bad) > max(MAX_BAD_ROWS, rows // 100):
        raise GazetteerError(
            f"{len(bad)} of {rows} rows are unusable (first: {bad[0]}); this is not a usable "
            "GeoNames dump — download it again or fix its encoding", where=path.name)
