"""``frontlines serve``: a real uvicorn process on 127.0.0.1 answers the API and the map and
stops on Ctrl+C; bad inputs stop it before it listens, with exit status 2 and the fix."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from frontlines.cli import main

REPO = Path(__file__).resolve().parents[1]
INITIAL = REPO / "examples" / ".maps" / "lebanon-syria-border-2017-07.csv"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_the_api_and_the_map_then_stops_on_ctrl_c(tmp_path):
    port = _free_port()
    db = f"sqlite:///{tmp_path / 'served.db'}"
    env = dict(os.environ, FRONTLINES_API_KEYS="k1")
    command = [str(Path(sys.executable).with_name("frontlines")), "serve", "--db", db,
               "--port", str(port), "--initial", str(INITIAL)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"{base}/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "the server did not start in 60 s"
                time.sleep(0.3)
        assert health.json()["status"] == "ok" and health.json()["events"] == 0
        assert httpx.get(f"{base}/").status_code == 200
        assert httpx.get(f"{base}/events").json() == {"events": [], "next_cursor": None}
        refused = httpx.post(f"{base}/articles", json={"text": "x"})
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "E710"
    finally:
        server.send_signal(signal.SIGINT)
        _out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert f"http://127.0.0.1:{port}/" in err and "1 API key" in err


@pytest.mark.parametrize(("args", "env", "words"), [
    (["--initial", "BAD"], {}, "controller"),
    ([], {"FRONTLINES_API_KEYS": "sha256:zz"}, "64 hex"),
    (["--db", "postgresql+psycopg://u@127.0.0.1:1/x"], {}, "PostgreSQL server is running"),
    (["--port", "PORT-IN-USE"], {}, "another --port"),
])
def test_serve_refuses_bad_inputs_before_listening(tmp_path, args, env, words):
    bad = tmp_path / "bad.csv"
    bad.write_text("label,latitude,longitude\nX,34.1,36.2\n", encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = str(busy.getsockname()[1])
        argv = ["serve", "--db", f"sqlite:///{tmp_path / 'x.db'}",
                *[str(bad) if a == "BAD" else taken if a == "PORT-IN-USE" else a
                  for a in args]]
        result = CliRunner().invoke(main, argv, env=env)
    assert result.exit_code == 2, result.output
    assert words in result.output
