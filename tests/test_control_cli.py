"""The README tour's control and alerts commands work as written (issue 11, item 6).

The lines are read from README.md, so the tour cannot drift: each runs in a subprocess, in a
scratch folder where ``examples`` is the repository's, with an isolated data home.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def tour_lines() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    tour = text.split("## A short tour", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    return [line.split("  #", 1)[0].strip() for line in tour.splitlines()
            if line.startswith(("frontlines ingest", "frontlines control", "frontlines alerts"))]


def run(line: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    args = shlex.split(line)
    assert args[0] == "frontlines"
    proc = subprocess.run([sys.executable, "-m", "frontlines", *args[1:]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, (
        f"{line}\nstdout:{proc.stdout[-1500:]}\nstderr:{proc.stderr[-3000:]}")
    return proc


def test_readme_tour_control_and_alerts_commands_run_as_written(tmp_path, offline_gazetteer):
    lines = tour_lines()
    assert any(line.startswith("frontlines control") and "--plot" in line for line in lines)
    assert all("--db" in line for line in lines), "every store command names its --db"
    (tmp_path / "examples").symlink_to(REPO / "examples")
    env = dict(os.environ, FRONTLINES_HOME=str(tmp_path / "home"),
               FRONTLINES_GAZETTEER=str(offline_gazetteer))
    outputs = {}
    for line in lines:
        outputs[line] = run(line, tmp_path, env).stdout
    png = tmp_path / "control.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    snapshot = json.loads((tmp_path / "control.geojson").read_text(encoding="utf-8"))
    assert snapshot["type"] == "FeatureCollection"
    kinds = {f["properties"]["kind"] for f in snapshot["features"]}
    assert {"area", "control_point"} <= kinds
    (changes_line,) = [ln for ln in lines if "--from" in ln]
    changes = json.loads(outputs[changes_line])
    assert changes["transfers"] and all(t["rule"] and t["why"] and t["evidence"]
                                        for t in changes["transfers"])
    (alerts_line,) = [ln for ln in lines if ln.startswith("frontlines alerts")]
    alerts = json.loads(outputs[alerts_line])
    assert alerts["type"] == "FeatureCollection" and alerts["features"]
    assert all(f["properties"]["evidence"] for f in alerts["features"])
