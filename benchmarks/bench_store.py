"""Store speed: ingest, no-op re-ingest and query of synthetic but realistic analyses.

Uses the store tests' generator (``tests/fixtures/store/store_synth.py``: August 2017 reports
about real places around Ras Baalbek, Qaa and the Qalamoun). SQLite only; the PostgreSQL
figures need a server (``FRONTLINES_BENCH_PG_URL``). ``python -m benchmarks bench_store``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _bench(url: str, items) -> dict:
    from frontlines.store import Store

    store = Store(url)
    started = time.perf_counter()
    store.ingest(items)
    ingest_s = time.perf_counter() - started
    started = time.perf_counter()
    store.ingest(items)
    reingest_s = time.perf_counter() - started
    started = time.perf_counter()
    events = store.events()
    query_s = time.perf_counter() - started
    counts = store.counts()
    store.close()
    return {"articles_per_s": round(len(items) / ingest_s, 1),
            "reingest_s": round(reingest_s, 3), "events_query_s": round(query_s, 3),
            "events": len(events), **counts}


def run(n: int = 3000) -> dict:
    sys.path.insert(0, str(REPO / "tests" / "fixtures" / "store"))
    from store_synth import analyses

    items = analyses(n)
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        figures["sqlite"] = _bench(f"sqlite:///{Path(tmp) / 'bench.db'}", items)
    if os.environ.get("FRONTLINES_BENCH_PG_URL"):
        figures["postgresql"] = _bench(os.environ["FRONTLINES_BENCH_PG_URL"], items)
    methods = {
        "articles_per_s": f"store.ingest of {n} distinct synthetic analyses (store_synth: "
                          "events shared between outlets, merged) into an empty database, 1 run",
        "reingest_s": f"the same {n} again: a no-op by content hash, 1 run",
        "events_query_s": "store.events() over the whole database, 1 run",
    }
    for name, values in figures.items():
        for key, value in values.items():
            print(f"   {name + ' ' + key:<44} {value:>18}  — "
                  f"{methods.get(key, 'rows in the database after the ingest')}")
    figures["methods"] = methods
    return figures


if __name__ == "__main__":
    run()
