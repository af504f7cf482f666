"""The REST API (FastAPI) over the Frontlines store, and the map served beside it.

``create_app(settings, initial=..., sides=...)`` builds the app; ``frontlines serve`` runs
it with uvicorn. Modules: ``app`` (the factory), ``errors`` (the one error shape),
``auth`` (API keys), ``limits`` (body size), ``state`` (what a process holds),
``schemas`` (OpenAPI models), ``serialize`` (events as JSON/GeoJSON/CSV), ``writes``
(POST /articles), ``routes/`` (one module per resource).
"""

from frontlines.server.app import create_app

__all__ = ["create_app"]
