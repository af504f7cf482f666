"""``frontlines serve``: the REST API and the map over a store (uvicorn)."""

from __future__ import annotations

import click

from frontlines.cli_common import _settings, err, handle_errors


@click.command()
@click.option("--db", metavar="URL", help="SQLAlchemy URL (default: the 'db' setting).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (0.0.0.0: every interface; mind who can reach it).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="TCP port.")
@click.option("--initial", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="Initial control state for /control and /alerts: CSV (label, latitude, "
                   "longitude, controller) or GeoJSON points.")
@click.option("--sides", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="Your sides table (YAML), as 'frontlines control --sides'.")
@handle_errors
def serve(db: str | None, host: str, port: int, initial: str | None,
          sides: str | None) -> None:
    """Serve the REST API (OpenAPI at /docs) and the map at / until interrupted.

    Writes (POST /articles) need a key from FRONTLINES_API_KEYS; with none set the API is
    read-only. Body and batch limits: FRONTLINES_MAX_BODY_MB, FRONTLINES_MAX_BATCH_ARTICLES.
    """
    import uvicorn

    from frontlines.server.app import create_app
    from frontlines.store import mask_url

    settings = _settings(db=db)
    app = create_app(settings, initial=initial, sides=sides)
    _check_port(host, port)
    shown = f"[{host}]" if ":" in host else host
    keys = len(app.state.frontlines.keys)
    writes = (f"POST /articles with one of {keys} API key(s)" if keys else
              "read-only (set FRONTLINES_API_KEYS to allow POST /articles)")
    err.print(f"Frontlines on {mask_url(settings.db)}; writes: {writes}", soft_wrap=True)
    err.print(f"map: http://{shown}:{port}/   API: http://{shown}:{port}/docs  "
              "(Ctrl+C stops)", soft_wrap=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


def _check_port(host: str, port: int) -> None:
    """A clear usage error when the address cannot be listened on (in use, not ours)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise click.BadParameter(f"{host!r} is not an address of this machine ({exc.strerror});"
                                 " use 127.0.0.1, or 0.0.0.0 for every interface",
                                 param_hint="'--host'") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            raise click.BadParameter(
                f"cannot listen on {host}:{port} ({exc.strerror}); another server may be "
                "using it — pass another --port", param_hint="'--port'") from None
