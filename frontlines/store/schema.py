"""The database schema (SQLAlchemy Core). Alembic migrations under ``migrations/`` build it.

    articles       one row per article (id = Article.id)
    toponyms       place mentions of an article; unique (article_id, start, end)
    events         one row per *event*: the same event reported by two articles is one row,
                   keyed by ``event_id`` = a content hash of its identity (see ``event_key``)
    event_sources  which article reports which event, where and how; unique
                   (event_id, article_id, char_start)
    event_merges   corroboration: a new report's event merged into a stored one (the merged
                   event's record, why, when, undone when); see merge.py
    event_numbers  the last ACLED number given per ISO3 (``event_id_cnty`` = ISO3 + number;
                   a number is never given twice, not even after a merge)

``include_object`` leaves out what only PostGIS stores have (``events.geom``), for Alembic's
comparisons. Change the schema here *and* add a migration; ``tests/test_store.py`` fails when the
migrated schema and this metadata disagree.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = ["articles", "event_merges", "event_numbers", "event_sources", "events", "include_object",
           "metadata", "toponyms"]

POSTGIS_ONLY = frozenset({("column", "geom"), ("index", "ix_events_geom"),
                          ("table", "spatial_ref_sys")})  # the last is PostGIS's own


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """Alembic's filter: compare everything but what PostGIS adds (geom, its index, and
    the extension's spatial_ref_sys table)."""
    return (type_, name) not in POSTGIS_ONLY

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

articles = Table(
    "articles", metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("url", Text),
    Column("published", String(40)),  # ISO date or datetime, as given (lossless)
    Column("published_date", Date),  # the day, for range queries
    Column("source", Text),
    Column("origin", Text),
    Column("content_hash", String(64), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Index("ix_articles_published_date", "published_date"),
    Index("ix_articles_content_hash", "content_hash"),
)

toponyms = Table(
    "toponyms", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"),
           nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("geonameid", BigInteger),
    Column("name", Text),
    Column("country_code", String(8)),
    Column("feature_code", String(10)),
    Column("latitude", Double),
    Column("longitude", Double),
    Column("place", JSON),  # the whole Place record
    Column("reason", Text, nullable=False),
    Column("score", Double, nullable=False),
    Column("geo_precision", Integer),
    Column("recognizer", String(32), nullable=False),
    UniqueConstraint("article_id", "start", "end", name="uq_toponyms_span"),
    Index("ix_toponyms_geonameid", "geonameid"),
)

events = Table(
    "events", metadata,
    Column("event_id", String(32), primary_key=True),
    # ACLED's columns
    Column("event_id_cnty", String(64), nullable=False),
    Column("event_date", Date, nullable=False),
    Column("year", Integer, nullable=False),
    Column("time_precision", Integer, nullable=False),
    Column("disorder_type", Text, nullable=False),
    Column("event_type", Text, nullable=False),
    Column("sub_event_type", Text, nullable=False),
    Column("actor1", Text, nullable=False),
    Column("assoc_actor_1", Text, nullable=False),
    Column("inter1", Integer, nullable=False),
    Column("actor2", Text, nullable=False),
    Column("assoc_actor_2", Text, nullable=False),
    Column("inter2", Integer, nullable=False),
    Column("interaction", Integer, nullable=False),
    Column("civilian_targeting", Text, nullable=False),
    Column("iso", Integer, nullable=False),
    Column("iso3", String(3), nullable=False),
    Column("region", Text, nullable=False),
    Column("country", Text, nullable=False),
    Column("admin1", Text, nullable=False),
    Column("admin2", Text, nullable=False),
    Column("admin3", Text, nullable=False),
    Column("location", Text, nullable=False),
    Column("latitude", Double),
    Column("longitude", Double),
    Column("geo_precision", Integer, nullable=False),
    Column("source", Text, nullable=False),
    Column("source_scale", Text, nullable=False),
    Column("notes", Text, nullable=False),
    Column("fatalities", Integer, nullable=False),
    Column("tags", Text, nullable=False),
    Column("timestamp", BigInteger, nullable=False),
    # provenance of the first report stored
    Column("article_id", String(64), ForeignKey("articles.id"), nullable=False),
    Column("sentence", Text, nullable=False),
    Column("char_start", Integer, nullable=False),
    Column("char_end", Integer, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("confidence", Double, nullable=False),
    Column("claim_source", Text, nullable=False),
    Column("certainty", String(16), nullable=False),
    Column("geonameid", BigInteger),
    Column("actors", JSON, nullable=False),  # list of Actor dicts
    Column("first_seen", DateTime(timezone=True), nullable=False),
    # ACLED numbering (event_id_cnty = iso3 + number) and the last change (insert, new
    # source, merge, unmerge); ``timestamp`` above holds updated_at as Unix seconds
    Column("number", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_events_event_date", "event_date"),
    Index("ix_events_iso3", "iso3"),
    Index("ix_events_geonameid", "geonameid"),
    Index("ix_events_article_id", "article_id"),
    Index("ix_events_iso3_number", "iso3", "number", unique=True),
    Index("ix_events_event_id_cnty", "event_id_cnty"),
    Index("ix_events_updated_at", "updated_at"),
    Index("ix_events_latitude_longitude", "latitude", "longitude"),
    # PostgreSQL with PostGIS adds ``geom`` (geometry(Point, 4326), generated from the
    # coordinates) and its GiST index ``ix_events_geom``; see _postgis.py and spatial.py.
)

event_sources = Table(
    "event_sources", metadata,
    Column("event_id", String(32), ForeignKey("events.event_id", ondelete="CASCADE"),
           primary_key=True),
    Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"),
           primary_key=True),
    Column("char_start", Integer, primary_key=True),
    Column("char_end", Integer, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("claim_source", Text, nullable=False),
    Column("certainty", String(16), nullable=False),
    Column("confidence", Double, nullable=False),
    Column("fatalities", Integer, nullable=False),
    Column("event_id_cnty", String(64), nullable=False),
    Column("merge_id", Integer),  # set when a merge brought this report (event_merges)
    Index("ix_event_sources_article_id", "article_id"),
    Index("ix_event_sources_merge_id", "merge_id"),
)

event_numbers = Table(
    "event_numbers", metadata,
    Column("iso3", String(3), primary_key=True),
    Column("last", Integer, nullable=False),
)

event_merges = Table(
    "event_merges", metadata,
    Column("merge_id", Integer, primary_key=True, autoincrement=True),
    Column("kept_event_id", String(32), nullable=False),
    Column("merged_event_id", String(32), nullable=False),
    # {"event": Event.to_dict(), "first_seen": ISO datetime, "number": int | None}
    Column("merged_event", JSON, nullable=False),
    Column("why", Text, nullable=False),
    Column("merged_at", DateTime(timezone=True), nullable=False),
    Column("undone_at", DateTime(timezone=True)),
    Index("ix_event_merges_kept_event_id", "kept_event_id"),
    Index("ix_event_merges_merged_event_id", "merged_event_id"),
)
