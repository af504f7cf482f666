"""REST API latency: ``GET /events?bbox=...`` over 100,000 stored events, SQLite and
PostgreSQL (PostGIS when the server has it).

Events are synthetic but shaped like real ones (every ACLED column filled, provenance,
actors), spread over 1,000 days and a 9°x9° box around Lebanon and Syria, written through
``Store.ingest`` (corroboration off, so the count is exact). Each figure is the p50/p95 of
requests answered in-process (FastAPI's TestClient: routing, validation, query, JSON
encoding; no network), each with a different box drawn from a seeded generator so no two
requests are alike. PostgreSQL: ``FRONTLINES_BENCH_PG_URL``, else a throwaway cluster as
``tests/pg.py`` starts (skipped when no PostgreSQL binaries exist).

``python -m benchmarks bench_server``.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WEST, SOUTH, SIZE = 34.0, 29.0, 9.0  # the events' area: 34-43 E, 29-38 N
FIRST_DAY = dt.date(2015, 1, 1)
PER_ARTICLE = 100
SUBS = (("Battles", "Armed clash"),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("Explosions/Remote violence", "Air/drone strike"),
        ("Violence against civilians", "Attack"),
        ("Protests", "Peaceful protest"))
ACTORS = ("Military Forces of Syria (2000-)", "Islamic State (Syria)", "Hezbollah",
          "Military Forces of Lebanon (2016-)", "Hayat Tahrir al-Sham", "Civilians (Syria)")


def _analyses(events: int, seed: int = 2017):
    """``events`` distinct events in analyses of ``PER_ARTICLE`` events each (lazily)."""
    from frontlines.model import Actor, Analysis, Article, Event

    rng = random.Random(seed)
    for start in range(0, events, PER_ARTICLE):
        article = Article.make(text=f"Synthetic bulletin {start}.", title=f"Bulletin {start}",
                               source=f"Outlet {start % 7}",
                               published=FIRST_DAY + dt.timedelta(days=start * 1000 // events))
        found = []
        for number in range(start, min(events, start + PER_ARTICLE)):
            etype, sub = rng.choice(SUBS)
            a1, a2 = rng.sample(ACTORS, 2)
            lat, lon = SOUTH + rng.random() * SIZE, WEST + rng.random() * SIZE
            syria = lon > 36.6 or lat < 33.0
            day = FIRST_DAY + dt.timedelta(days=rng.randrange(1000))
            sentence = f"{a1} and {a2} fought near place {number} on {day:%A}."
            found.append(Event(
                event_id_cnty=f"SYR{number}", event_date=day, year=day.year,
                event_type=etype, sub_event_type=sub, disorder_type="Political violence",
                actor1=a1, inter1=1, actor2=a2, inter2=2, interaction=12,
                iso=760 if syria else 422, iso3="SYR" if syria else "LBN",
                region="Middle East", country="Syria" if syria else "Lebanon",
                admin1=f"Division {number % 40}", location=f"Place {number}",
                latitude=round(lat, 5), longitude=round(lon, 5), geo_precision=1,
                source=article.source or "", notes=sentence, fatalities=rng.choice((0, 0, 1, 3)),
                article_id=article.id, sentence=sentence, char_start=0,
                char_end=len(sentence), trigger="fought", confidence=0.8,
                geonameid=10_000_000 + number,
                actors=(Actor(name=a1, inter=1), Actor(name=a2, inter=2))))
        yield Analysis(article=article, events=tuple(found))


def _fill(url: str, events: int) -> tuple[float, str]:
    from frontlines.store import Store

    try:
        store = Store(url, corroborate=False)
    except TypeError:  # a store without corroboration
        store = Store(url)
    started = time.perf_counter()
    store.ingest(_analyses(events), batch_size=20)
    took = time.perf_counter() - started
    spatial = getattr(store, "spatial", store.engine.dialect.name)
    stored = store.counts()["events"]
    store.close()
    if stored != events:
        raise RuntimeError(f"{url}: {stored} events stored, expected {events}")
    return took, spatial


def _boxes(count: int, degrees: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        west = WEST + rng.random() * (SIZE - degrees)
        south = SOUTH + rng.random() * (SIZE - degrees)
        out.append(f"{west:.4f},{south:.4f},{west + degrees:.4f},{south + degrees:.4f}")
    return out


def _latency(client, requests: int, **params) -> dict:
    degrees = params.pop("degrees")
    times, rows = [], []
    for box in _boxes(requests, degrees, seed=int(degrees * 100)):
        started = time.perf_counter()
        response = client.get("/events", params={"bbox": box, **params})
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET /events?bbox={box}: {response.status_code} {response.text}")
        body = response.json()
        rows.append(len(body.get("events", body.get("features", []))))
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
            "rows_per_response": round(statistics.mean(rows), 1)}


QUERIES = {
    "bbox_1deg_json": {"degrees": 1.0},
    "bbox_3deg_json": {"degrees": 3.0},
    "bbox_3deg_geojson_5000": {"degrees": 3.0, "format": "geojson", "limit": 5000},
    "bbox_3deg_one_month": {"degrees": 3.0, "from": "2016-03-01", "to": "2016-03-31"},
}


def _bench(url: str, events: int, requests: int, home: Path) -> dict:
    from fastapi.testclient import TestClient

    from frontlines.server.app import create_app
    from frontlines.settings import Settings

    fill_s, spatial = _fill(url, events)
    figures: dict = {"events": events, "ingest_s": round(fill_s, 1), "spatial": spatial}
    settings = Settings(db=url, gazetteer=str(home / "unused-gazetteer.sqlite"))
    with TestClient(create_app(settings)) as client:
        client.get("/events", params={"bbox": "35,33,36,34"})  # connect, warm the pool
        for name, params in QUERIES.items():
            figures[name] = _latency(client, requests, **params)
    return figures


def _postgres_url(stack) -> str | None:
    if os.environ.get("FRONTLINES_BENCH_PG_URL"):
        return os.environ["FRONTLINES_BENCH_PG_URL"]
    sys.path.insert(0, str(REPO / "tests"))
    from pg import Cluster, find_pg_bin, pg_database

    bindir = find_pg_bin()
    if bindir is None:
        return None
    cluster = Cluster(bindir)
    stack.callback(cluster.stop)
    return pg_database(cluster.start())


def run(events: int = 100_000, requests: int = 60, *, postgres: bool = True) -> dict:
    import contextlib

    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        home = Path(tmp)
        figures["sqlite"] = _bench(f"sqlite:///{home / 'bench.db'}", events, requests, home)
        pg = _postgres_url(stack) if postgres else None
        if pg:
            figures["postgresql"] = _bench(pg, events, requests, home)
    method = (f"GET /events with a random bbox ({requests} requests per line, each box "
              f"different), in-process TestClient, over {events:,} stored events spread "
              "uniformly over 9°x9° and 1,000 days; default limit 500 unless said")
    for db, values in figures.items():
        print(f"   {db}: {values['events']:,} events ingested in {values['ingest_s']} s "
              f"(spatial path: {values['spatial']})")
        for name in QUERIES:
            v = values[name]
            print(f"   {db + ' ' + name:<40} p50 {v['p50_ms']:>7} ms  p95 {v['p95_ms']:>7} ms"
                  f"  ({v['rows_per_response']} rows/response)")
    print(f"   — {method}")
    figures["method"] = method
    return figures


if __name__ == "__main__":  # pragma: no cover
    run()
