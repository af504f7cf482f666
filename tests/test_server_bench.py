"""The server benchmark runs on a tiny size (its figures are printed by ``make bench``,
never asserted)."""

from __future__ import annotations


def test_bench_server_runs_on_a_tiny_size(capsys):
    from benchmarks import bench_server

    figures = bench_server.run(events=300, requests=3, postgres=False)
    sqlite = figures["sqlite"]
    assert sqlite["events"] == 300 and sqlite["spatial"] == "sqlite"
    for name in bench_server.QUERIES:
        assert sqlite[name]["p50_ms"] > 0 and sqlite[name]["rows_per_response"] >= 0
    assert "p95" in capsys.readouterr().out
