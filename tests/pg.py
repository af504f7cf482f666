"""A throwaway PostgreSQL cluster for tests.

``pg_url`` (session scope) is the URL of a running server: ``$FRONTLINES_TEST_PG_URL`` when
set, else a cluster made with ``initdb`` in a temporary folder and started with ``pg_ctl``
on a free 127.0.0.1 port (unix socket in the same folder). PostgreSQL refuses to run as
root, so under uid 0 the cluster belongs to, and runs as, the ``postgres`` system user.
Tests skip only when no PostgreSQL binaries exist (``make setup`` installs them).

``pg_database(pg_url)`` creates a fresh empty database and returns its URL. The throwaway
cluster is a superuser cluster with PostGIS (when the server has the package) already
created in ``template1``, so each new database has it; ``pg_database(url, template="template0")``
gives one without it. ``has_postgis(url)`` says whether the server ships PostGIS.

Use it from a test module with ``from pg import pg_url  # noqa: F401``.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

ENV_URL = "FRONTLINES_TEST_PG_URL"


def find_pg_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: PATH first, then Debian's layout."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                            key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit()
                            else 0, reverse=True):
        if Path(candidate, "initdb").exists() and Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """An initdb'd cluster in a temp folder, started on 127.0.0.1."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="frontlines-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            runner = shutil.which("runuser")
            command = ([runner, "-u", "postgres", "--", *command] if runner
                       else ["su", "postgres", "-s", "/bin/sh", "-c",
                             " ".join(_quote(c) for c in command)])
        result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                                cwd=self.root)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n"
                               f"{result.stdout}\n{result.stderr}\n{log}")

    def start(self) -> str:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=50")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "60", "start")
        url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        _postgis_in_template(url)
        return url

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _postgis_in_template(url: str) -> None:
    """Create the PostGIS extension in ``template1`` when the server has it, so every
    test database starts with it (creating it per database costs ~1 s each)."""
    import sqlalchemy as sa

    engine = sa.create_engine(sa.make_url(url).set(database="template1"),
                              isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if conn.scalar(sa.text("SELECT 1 FROM pg_available_extensions "
                                   "WHERE name = 'postgis'")):
                conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
    finally:
        engine.dispose()


def has_postgis(server_url: str) -> bool:
    """The server ships PostGIS (``make setup`` installs Debian's postgresql-NN-postgis-3)."""
    import sqlalchemy as sa

    engine = sa.create_engine(server_url)
    try:
        with engine.connect() as conn:
            return conn.scalar(sa.text("SELECT 1 FROM pg_available_extensions "
                                       "WHERE name = 'postgis'")) is not None
    finally:
        engine.dispose()


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


_STATE: dict[str, object] = {}


def _server_url() -> str:
    if os.environ.get(ENV_URL):
        return os.environ[ENV_URL]
    if "url" not in _STATE:
        bindir = find_pg_bin()
        if bindir is None:
            pytest.skip("no PostgreSQL binaries (initdb, pg_ctl) on PATH or in "
                        "/usr/lib/postgresql/*/bin; run 'make setup' or set "
                        f"{ENV_URL} to a server URL")
        cluster = Cluster(bindir)
        _STATE["cluster"] = cluster
        atexit.register(_stop)  # also when the session ends abnormally
        _STATE["url"] = cluster.start()
    return str(_STATE["url"])


def _stop() -> None:
    cluster = _STATE.pop("cluster", None)
    _STATE.pop("url", None)
    if isinstance(cluster, Cluster):
        cluster.stop()


@pytest.fixture(scope="session")
def pg_url():
    """URL of a running PostgreSQL server (its maintenance database)."""
    url = _server_url()
    yield url
    _stop()


def pg_database(server_url: str, *, template: str | None = None, owner: str | None = None
                ) -> str:
    """Create a new empty database on the server and return its URL (as ``owner`` when
    given, a role that must exist)."""
    import sqlalchemy as sa

    name = f"frontlines_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(server_url.replace("postgresql://", "postgresql+psycopg://", 1)
                              if server_url.startswith("postgresql://") else server_url,
                              isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            extra = (f' TEMPLATE "{template}"' if template else "") + \
                    (f' OWNER "{owner}"' if owner else "")
            if conn.dialect.server_version_info >= (15,):
                extra += " STRATEGY FILE_COPY"  # faster than WAL_LOG for a small template
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"{extra}')
    finally:
        engine.dispose()
    url = sa.make_url(engine.url).set(database=name)
    if owner:
        url = url.set(username=owner, password=None)
    return str(url.render_as_string(hide_password=False))
