"""The map's routes over HTTP (no browser): page and assets, basemap tiles (TMS rows flipped),
country outlines, side colours, safe static paths, and nothing on the page from another origin.

Runs the real app (``create_app``) on an empty SQLite store; no spaCy model is loaded.
"""

from __future__ import annotations

import gzip
import json
import re
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from shapely.geometry import Point, shape

from frontlines.web import basemap

STATIC = basemap.STATIC
# Links in the map's attribution (never fetched); no other absolute URL may appear.
ATTRIBUTION_LINKS = {"https://www.openstreetmap.org/copyright", "https://www.naturalearthdata.com/"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from frontlines.server.app import create_app
    from frontlines.settings import Settings

    home = tmp_path_factory.mktemp("web-home")
    sides = home / "sides.yaml"
    sides.write_text("sides:\n  Our Militia:\n    color: '#123456'\n    actors: [Our Militia]\n",
                     encoding="utf-8")
    app = create_app(Settings(home=str(home), db=f"sqlite:///{home / 'web.db'}"),
                     sides=str(sides))
    with TestClient(app) as test_client:
        yield test_client


def assert_error_shape(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field", "fix"}
    assert error["message"] and error["fix"]
    if field is not None:
        assert error["field"] == field
    return error


def test_page_and_its_assets(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert refs and all(r.startswith(("/static/", "data:")) for r in refs)
    for ref in refs:
        if ref.startswith("/static/"):
            asset = client.get(ref)
            assert asset.status_code == 200, ref
    script = client.get("/static/app.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["cache-control"] == "no-cache"
    vendored = client.get("/static/vendor/maplibre-gl/maplibre-gl.js")
    assert vendored.status_code == 200 and "max-age" in vendored.headers["cache-control"]
    assert client.head("/").status_code == 200


def test_no_absolute_url_in_the_page_but_attribution_links():
    found = set()
    for path in [STATIC / "index.html", *STATIC.glob("*.js"), STATIC / "style.css"]:
        found |= set(re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'`)]*",
                                path.read_text(encoding="utf-8")))
    assert found <= ATTRIBUTION_LINKS, found - ATTRIBUTION_LINKS


def test_vendored_maplibre_matches_the_pinned_version():
    versions = (STATIC / "vendor" / "VERSIONS.txt").read_text(encoding="utf-8")
    pinned = re.search(r"^maplibre-gl (\S+) sha512-", versions, re.MULTILINE).group(1)
    script = Path(__file__).resolve().parents[1] / "scripts" / "vendor-web.sh"
    assert f"MAPLIBRE_VERSION={pinned}" in script.read_text(encoding="utf-8")
    head = (STATIC / "vendor" / "maplibre-gl" / "maplibre-gl.js").read_text(
        encoding="utf-8")[:400]
    assert f"v{pinned}" in head
    assert (STATIC / "vendor" / "maplibre-gl" / "LICENSE.txt").stat().st_size > 1000
    assert (STATIC / "vendor" / "world-atlas" / "LICENSE").is_file()


@pytest.mark.parametrize("path", [
    "%2e%2e/routes.py", "..%2froutes.py", "vendor/%2e%2e/%2e%2e/routes.py", ".hidden",
    "vendor", "vendor/maplibre-gl", "no-such.js", "%2fetc%2fpasswd", "app.js%00.png",
])
def test_static_refuses_anything_outside_its_folder(client, path):
    assert_error_shape(client.get(f"/static/{path}"), 404, field="path")


def test_static_file_helper():
    from frontlines.web.routes import static_file

    assert static_file("app.js") == (STATIC / "app.js").resolve()
    for bad in ("", "/etc/passwd", "../routes.py", "vendor/../app.js", "a\\b", "x\x00",
                ".git/config"):
        assert static_file(bad) is None, bad


def _mbtiles_row(z: int, column: int, row: int) -> bytes | None:
    path = basemap.mbtiles_path()
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        found = conn.execute("SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? "
                             "AND tile_row=?", (z, column, row)).fetchone()
    return bytes(found[0]) if found else None


def test_tiles_flip_the_tms_row(client):
    # Beirut (35.50 E, 33.89 N) lies in XYZ tile 6/38/25, which MBTiles stores as TMS row 38
    north = client.get("/tiles/6/38/25.png")
    assert north.status_code == 200 and north.headers["content-type"] == "image/png"
    assert north.content.startswith(b"\x89PNG")
    assert north.content == _mbtiles_row(6, 38, 63 - 25)
    assert north.content != _mbtiles_row(6, 38, 25)
    assert "max-age" in north.headers["cache-control"]
    assert client.get("/tiles/1/0/0.png").content == _mbtiles_row(1, 0, 1)
    assert basemap.tms_row(0, 0) == 0 and basemap.tms_row(3, 0) == 7


@pytest.mark.parametrize("tile", ["7/0/0", "6/64/0", "6/0/64", "30/0/0", "2/-1/0"])
def test_missing_tiles_are_404_in_the_error_shape(client, tile):
    error = assert_error_shape(client.get(f"/tiles/{tile}.png"), 404)
    assert tile in error["message"] and "0 to 6" in error["fix"]


def test_non_numeric_tile_is_a_validation_error(client):
    assert_error_shape(client.get("/tiles/a/0/0.png"), 422)


def test_outlines_are_natural_earth_countries_as_geojson(client):
    plain = client.get("/outlines.geojson", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert plain.headers["content-type"].startswith("application/geo+json")
    collection = plain.json()
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) > 200
    by_name = {f["properties"]["name"]: f for f in collection["features"]}
    assert shape(by_name["Lebanon"]["geometry"]).contains(Point(35.90, 33.85))  # Zahle
    assert shape(by_name["Syria"]["geometry"]).contains(Point(36.29, 33.51))  # Damascus
    assert not shape(by_name["Lebanon"]["geometry"]).contains(Point(36.29, 33.51))
    zipped = client.get("/outlines.geojson", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers.get("content-encoding") == "gzip"
    assert json.loads(zipped.content) == collection  # the client inflates it
    assert len(gzip.compress(plain.content)) < len(plain.content) / 2


def test_side_colours_follow_the_servers_sides_table(client):
    sides = client.get("/map/sides.json").json()["sides"]
    assert sides["Our Militia"] == "#123456"  # the --sides file
    assert sides["Lebanese Government"] == "#d62728"  # the bundled table
