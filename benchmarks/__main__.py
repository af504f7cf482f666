"""Run every benchmark module's ``run()`` and print its figures, each with its method.

``python -m benchmarks [names]``; a JSON summary of every figure closes the output. Figures
come from text the process has not seen before it is timed (see ``benchmarks/_harness.py``).
"""

from __future__ import annotations

import importlib
import json
import sys
import time

MODULES = ("bench_gazetteer", "bench_geoparse", "bench_events", "bench_store", "bench_limits",
           "bench_server", "bench_map", "bench_scale")


def main(argv: list[str]) -> int:
    wanted = argv or list(MODULES)
    results = {}
    for name in wanted:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        entry = getattr(module, "run", None) or module.main
        results[name] = entry()
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    print(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
