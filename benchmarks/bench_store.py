"""Store speed: ingest with and without corroboration, no-op re-ingest, the events query,
and bbox / radius queries over many events on SQLite and PostgreSQL (+PostGIS).

Ingest uses the store tests' generator (``tests/fixtures/store/store_synth.py``: August 2017
reports about real places around Ras Baalbek, Qaa and the Qalamoun). Spatial queries run
over ``FRONTLINES_BENCH_SPATIAL_ROWS`` (default 50,000) events spread over the globe,
written straight into the events table. PostgreSQL: ``FRONTLINES_BENCH_PG_URL``, else a
throwaway cluster like the tests' (``tests/pg.py``) when the server binaries exist.
``python -m benchmarks bench_store``.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BOXES = [(35.5, 33.0, 37.0, 35.0), (-10.0, 40.0, 10.0, 50.0), (170.0, -20.0, -170.0, 20.0)]
CIRCLES = [(34.25, 36.42, 25.0), (48.85, 2.35, 50.0), (0.0, 179.9, 100.0)]


def _ingest(url: str, items, *, corroborate: bool) -> dict:
    from frontlines.store import Store

    with Store(url, corroborate=corroborate) as store:
        started = time.perf_counter()
        stats = store.ingest(items)
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        store.ingest(items)
        reingest_s = time.perf_counter() - started
        started = time.perf_counter()
        events = store.events()
        query_s = time.perf_counter() - started
        return {"articles_per_s": round(len(items) / ingest_s, 1),
                "reingest_s": round(reingest_s, 3), "events_query_s": round(query_s, 3),
                "events": len(events), "merges": len(store.merges()),
                "reports_corroborated": stats.events_corroborated}


def _fill(store, rows: int) -> None:
    """``rows`` events at random points (a third around the Levant), straight into SQL."""
    import datetime as dt

    import sqlalchemy as sa

    from frontlines.model import Analysis, Article, Event
    from frontlines.store import schema

    article = Article.make(text="spatial benchmark seed", source="bench")
    seed = Event(event_id_cnty="B0", event_date=dt.date(2017, 8, 19), event_type="Battles",
                 sub_event_type="Armed clash", actor1="Side", iso3="LBN", location="seed",
                 latitude=34.0, longitude=36.0, article_id=article.id, sentence="seed")
    store.ingest([Analysis(article=article, events=(seed,))])
    rng = random.Random(7)
    with store.engine.begin() as conn:
        base = conn.execute(sa.select(schema.events)).one()._asdict()
        base.pop("geom", None)
        batch = []
        for n in range(rows):
            levant = n % 3 == 0
            lat = rng.uniform(32, 37) if levant else rng.uniform(-85, 85)
            lon = rng.uniform(35, 39) if levant else rng.uniform(-180, 180)
            number = 10**8 + n  # clear of the numbers the store gives
            batch.append({**base, "event_id": f"bench{n:09d}", "number": number,
                          "event_id_cnty": f"LBN{number}", "latitude": lat, "longitude": lon})
            if len(batch) == 5000:
                conn.execute(schema.events.insert(), batch)
                batch = []
        if batch:
            conn.execute(schema.events.insert(), batch)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE events")


def _spatial(url: str, rows: int) -> dict:
    import sqlalchemy as sa

    from frontlines.store import Store, schema
    from frontlines.store.spatial import within_bbox, within_radius

    with Store(url, corroborate=False) as store:
        _fill(store, rows)
        out: dict = {"spatial": store.spatial}
        for name, clauses in (
                ("bbox", [within_bbox(b, dialect=store.spatial) for b in BOXES]),
                ("radius", [within_radius(*c, dialect=store.spatial) for c in CIRCLES])):
            times, found = [], 0
            with store.engine.connect() as conn:
                for _ in range(5):
                    for clause in clauses:
                        started = time.perf_counter()
                        found += len(conn.execute(sa.select(schema.events.c.event_id)
                                                  .where(clause)).all())
                        times.append(time.perf_counter() - started)
            out[f"{name}_query_ms_median"] = round(statistics.median(times) * 1000, 2)
            out[f"{name}_rows_per_query"] = found // len(times)
        return out


def _pg_server():
    """(url, cluster or None): the configured server, a throwaway one, or (None, None)."""
    if os.environ.get("FRONTLINES_BENCH_PG_URL"):
        return os.environ["FRONTLINES_BENCH_PG_URL"], None
    sys.path.insert(0, str(REPO / "tests"))
    try:
        import pg
    except ImportError:
        return None, None
    bindir = pg.find_pg_bin()
    if bindir is None:
        return None, None
    cluster = pg.Cluster(bindir)
    return cluster.start(), cluster


def run(n: int = 3000) -> dict:
    sys.path.insert(0, str(REPO / "tests" / "fixtures" / "store"))
    from store_synth import analyses

    import frontlines.events.dates  # noqa: F401 - corroboration's date reader (spaCy import, ~5 s once per process)

    rows = int(os.environ.get("FRONTLINES_BENCH_SPATIAL_ROWS", "50000"))
    items = analyses(n)
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for on in (True, False):
            name = "sqlite " + ("corroborate" if on else "exact-only")
            figures[name] = _ingest(f"sqlite:///{Path(tmp) / f'bench{on}.db'}", items,
                                    corroborate=on)
        figures["sqlite spatial"] = _spatial(f"sqlite:///{Path(tmp) / 'spatial.db'}", rows)
    url, cluster = _pg_server()
    if url:
        try:
            sys.path.insert(0, str(REPO / "tests"))
            from pg import pg_database

            figures["postgresql corroborate"] = _ingest(pg_database(url) if cluster else url,
                                                        items, corroborate=True)
            figures["postgresql spatial"] = _spatial(pg_database(url) if cluster else url,
                                                     rows)
        finally:
            if cluster:
                cluster.stop()
    methods = {
        "articles_per_s": f"store.ingest of {n} distinct synthetic analyses (store_synth: "
                          "events shared between outlets) into an empty database, 1 run, after "
                          "the events stage's date reader is imported (~5 s once per process)",
        "reingest_s": f"the same {n} again: a no-op by content hash, 1 run",
        "events_query_s": "store.events() over the whole database, 1 run",
        "events": "events stored after the ingest",
        "merges": "merges recorded by corroboration (store.merges())",
        "reports_corroborated": "reports that joined an event reported differently",
        "spatial": "what spatial.py was told (Store.spatial)",
        "bbox_query_ms_median": f"median of 15 bbox queries ({len(BOXES)} boxes incl. one "
                                f"across the antimeridian) over {rows:,} events",
        "bbox_rows_per_query": "mean rows a bbox query returned",
        "radius_query_ms_median": f"median of 15 radius queries (25-100 km) over {rows:,} "
                                  "events",
        "radius_rows_per_query": "mean rows a radius query returned",
    }
    for name, values in figures.items():
        for key, value in values.items():
            print(f"   {name + ' ' + key:<48} {value!s:>18}  — {methods.get(key, '')}")
    figures["methods"] = methods
    return figures


if __name__ == "__main__":
    run()
