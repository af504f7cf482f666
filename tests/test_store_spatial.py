"""Bounding-box and radius queries on SQLite (plain columns), PostgreSQL with PostGIS
(events.geom, GiST) and PostgreSQL without PostGIS: the same events, the index used."""

from __future__ import annotations

import datetime as dt
import logging
import math
import random

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from pg import has_postgis, pg_database, pg_url  # noqa: F401

from frontlines.geo import EARTH_RADIUS_KM, haversine_km
from frontlines.model import Analysis, Article, Event
from frontlines.store import Store, schema
from frontlines.store.spatial import POSTGIS, radius_bbox, within_bbox, within_radius

BOXES = [
    (35.5, 33.0, 37.0, 35.0),      # the Lebanon/Syria border
    (-10.0, -5.0, 10.0, 5.0),      # across the equator and Greenwich
    (170.0, -20.0, -170.0, 20.0),  # across the antimeridian
    (-180.0, 80.0, 180.0, 90.0),   # the Arctic cap
    (36.0, 34.0, 36.0, 34.0),      # a degenerate box: one point (edges included)
]
CIRCLES = [(34.25, 36.42, 25.0), (0.0, 179.9, 300.0), (89.5, 0.0, 200.0), (-33.9, 18.4, 5.0),
           (34.0, 36.0, 0.0)]


def _points(n: int, seed: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    points = [(34.0, 36.0), (35.0, 37.0), (-5.0, -10.0),  # on box edges and corners
              (-33.92, 18.42), (-33.9, 18.46), (-33.9, 18.454)]  # 2.8, 5.5, 5.0 km away
    for _ in range(n):
        kind = rng.random()
        if kind < 0.4:  # clustered around the Levant
            points.append((rng.uniform(32.5, 36.5), rng.uniform(35.0, 38.5)))
        elif kind < 0.55:  # around the antimeridian
            points.append((rng.uniform(-30, 30), rng.choice([-1, 1]) * rng.uniform(165, 180)))
        elif kind < 0.65:  # near the pole
            points.append((rng.uniform(78, 90), rng.uniform(-180, 180)))
        else:
            points.append((rng.uniform(-90, 90), rng.uniform(-180, 180)))
    return points


def _analyses(points: list[tuple[float, float]]) -> list[Analysis]:
    out = []
    for n, (lat, lon) in enumerate(points):
        article = Article.make(text=f"report {n}", source="Naharnet")
        event = Event(event_id_cnty=f"T{n}", event_date=dt.date(2017, 8, 19),
                      event_type="Battles", sub_event_type="Armed clash",
                      actor1=f"Side {n}", iso3="LBN", country="Lebanon", location=f"P{n}",
                      latitude=lat, longitude=lon, geo_precision=1, article_id=article.id,
                      sentence=f"report {n}", char_start=0, char_end=8)
        out.append(Analysis(article=article, events=(event,)))
    unplaced = Article.make(text="no place", source="Naharnet")
    out.append(Analysis(article=unplaced, events=(Event(
        event_id_cnty="T-none", event_date=dt.date(2017, 8, 19),
        event_type="Battles", sub_event_type="Armed clash", actor1="Nobody",
        article_id=unplaced.id, sentence="no place", char_start=0, char_end=8),)))
    return out


def _in_box(lat: float, lon: float, box) -> bool:
    west, south, east, north = box
    lon_ok = west <= lon <= east if west <= east else (lon >= west or lon <= east)
    return south <= lat <= north and lon_ok


def _ids(store: Store, clause) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.scalars(sa.select(schema.events.c.location).where(clause)))


def _expected(points, keep) -> set[str]:
    return {f"P{n}" for n, (lat, lon) in enumerate(points) if keep(lat, lon)}


POINTS = _points(400, seed=12)
ANALYSES = _analyses(POINTS)


def _check_queries(store: Store) -> None:
    for box in BOXES:
        assert _ids(store, within_bbox(box, dialect=store.spatial)) == _expected(
            POINTS, lambda lat, lon, box=box: _in_box(lat, lon, box)), box
    for lat0, lon0, km in CIRCLES:
        got = _ids(store, within_radius(lat0, lon0, km, dialect=store.spatial))
        expected = _expected(POINTS, lambda lat, lon, a=lat0, b=lon0, km=km:
                             haversine_km(a, b, lat, lon) <= km)
        # PostGIS and Python may differ on a point a few millimetres from the circle.
        edge = _expected(POINTS, lambda lat, lon, a=lat0, b=lon0, km=km:
                         abs(haversine_km(a, b, lat, lon) - km) < 1e-4)
        assert got - edge == expected - edge, (lat0, lon0, km)
        assert expected, (lat0, lon0, km)  # each circle holds some events


def _postgis_database(server: str) -> str:
    if not has_postgis(server):
        pytest.skip("the PostgreSQL server has no PostGIS; run 'make setup'")
    return pg_database(server)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def spatial_store(request, tmp_path):
    url = (f"sqlite:///{tmp_path / 'spatial.db'}" if request.param == "sqlite"
           else _postgis_database(request.getfixturevalue("pg_url")))
    with Store(url, corroborate=False) as store:
        store.ingest(ANALYSES, batch_size=200)
        yield store


def test_bbox_and_radius_give_the_oracle_events(spatial_store):
    expected = "sqlite" if spatial_store.engine.dialect.name == "sqlite" else POSTGIS
    assert spatial_store.spatial == expected
    _check_queries(spatial_store)


@pytest.mark.postgres
def test_plain_predicates_agree_with_postgis(pg_url):  # noqa: F811
    """The plain-column path (what a store without PostGIS runs) on the same rows."""
    with Store(_postgis_database(pg_url), corroborate=False) as store:
        store.ingest(ANALYSES, batch_size=200)
        for box in BOXES:
            assert _ids(store, within_bbox(box, dialect="postgresql")) == \
                _ids(store, within_bbox(box, dialect=POSTGIS)), box
        for lat0, lon0, km in CIRCLES:
            assert _ids(store, within_radius(lat0, lon0, km, dialect="postgresql")) == \
                _ids(store, within_radius(lat0, lon0, km, dialect=POSTGIS)), (lat0, lon0)


@pytest.mark.postgres
def test_geom_is_filled_on_insert_and_the_bbox_query_uses_the_gist_index(pg_url):  # noqa: F811
    with Store(_postgis_database(pg_url), corroborate=False) as store:
        store.ingest(ANALYSES[:3])
        with store.engine.begin() as conn:
            row = conn.execute(sa.text(
                "SELECT ST_Y(geom) AS lat, ST_X(geom) AS lon, ST_SRID(geom) AS srid "
                "FROM events WHERE location = 'P0'")).one()
            assert (row.lat, row.lon, row.srid) == (POINTS[0][0], POINTS[0][1], 4326)
            # Thousands of rows, spread over the globe, so a small box is selective.
            base = conn.execute(sa.select(schema.events).where(
                schema.events.c.location == "P0")).one()._asdict()
            conn.execute(schema.events.insert(), [
                {**base, "event_id": f"bulk{g}", "number": 1000 + g,
                 "latitude": -80 + (g * 7919 % 16000) / 100.0,
                 "longitude": -179 + (g * 104729 % 35800) / 100.0}
                for g in range(6000)])
            conn.execute(sa.text("ANALYZE events"))
            query = sa.select(schema.events.c.event_id).where(
                within_bbox((35.5, 33.0, 37.0, 35.0), dialect=store.spatial))
            compiled = query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
            plan = "\n".join(conn.execute(sa.text(f"EXPLAIN {compiled}")).scalars())
            assert "ix_events_geom" in plan, plan
            count = conn.scalar(sa.select(sa.func.count()).select_from(schema.events))
        assert count > 6000


@pytest.mark.postgres
def test_without_postgis_the_store_works_on_plain_columns_and_says_so(pg_url, caplog):  # noqa: F811
    """A user who may not create the extension: plain columns, one warning; once a
    superuser creates PostGIS in the database, reopening the store adds the geometry."""
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = 'fl_plain'")):
            conn.exec_driver_sql("CREATE ROLE fl_plain LOGIN NOSUPERUSER")
    url = pg_database(pg_url, template="template0", owner="fl_plain")
    caplog.set_level(logging.WARNING, logger="frontlines.store")
    with Store(url, corroborate=False) as store:
        assert store.spatial == "postgresql"
        store.ingest(ANALYSES)
        _check_queries(store)
    Store(url).close()
    said = [r.getMessage() for r in caplog.records if "without PostGIS" in r.getMessage()]
    assert len(said) == 1 and "postgis-3" in said[0]
    if not has_postgis(pg_url):
        return
    db_admin = sa.create_engine(sa.make_url(pg_url).set(database=sa.make_url(url).database),
                                isolation_level="AUTOCOMMIT")
    with db_admin.connect() as conn:
        conn.exec_driver_sql("CREATE EXTENSION postgis")
    db_admin.dispose()
    admin.dispose()
    with Store(url, corroborate=False) as store:
        assert store.spatial == POSTGIS
        _check_queries(store)  # rows stored before have their geometry now


# -- the radius box (pure) ---------------------------------------------------------------------
def _destination(lat: float, lon: float, bearing: float, km: float) -> tuple[float, float]:
    p1, l1, b, d = math.radians(lat), math.radians(lon), math.radians(bearing), km / EARTH_RADIUS_KM
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1),
                         math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180


@settings(max_examples=300, deadline=None)
@given(lat=st.floats(-89.9, 89.9), lon=st.floats(-180, 180), km=st.floats(0, 3000),
       bearing=st.floats(0, 360), frac=st.floats(0, 0.999))
def test_the_radius_box_holds_every_point_of_the_circle(lat, lon, km, bearing, frac):
    point = _destination(lat, lon, bearing, km * frac)
    assert _in_box(*point, radius_bbox(lat, lon, km))


def test_radius_needs_real_numbers():
    with pytest.raises(ValueError, match="finite coordinates"):
        within_radius(float("nan"), 36.0, 10)
    with pytest.raises(ValueError, match="distance >= 0"):
        within_radius(34.0, 36.0, -1)
