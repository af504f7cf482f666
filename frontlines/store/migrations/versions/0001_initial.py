"""Initial schema: articles, toponyms, events, event_sources.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False)


def _int(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("url", sa.Text()),
        sa.Column("published", sa.String(40)),
        sa.Column("published_date", sa.Date()),
        sa.Column("source", sa.Text()),
        sa.Column("origin", sa.Text()),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
    )
    op.create_index("ix_articles_published_date", "articles", ["published_date"])
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])

    op.create_table(
        "toponyms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.String(64), nullable=False),
        _int("start"),
        _int("end"),
        _text("text"),
        sa.Column("geonameid", sa.BigInteger()),
        sa.Column("name", sa.Text()),
        sa.Column("country_code", sa.String(8)),
        sa.Column("feature_code", sa.String(10)),
        sa.Column("latitude", sa.Double()),
        sa.Column("longitude", sa.Double()),
        sa.Column("place", sa.JSON()),
        _text("reason"),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("geo_precision", sa.Integer()),
        sa.Column("recognizer", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE",
                                name="fk_toponyms_article_id_articles"),
        sa.PrimaryKeyConstraint("id", name="pk_toponyms"),
        sa.UniqueConstraint("article_id", "start", "end", name="uq_toponyms_span"),
    )
    op.create_index("ix_toponyms_geonameid", "toponyms", ["geonameid"])

    op.create_table(
        "events",
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("event_id_cnty", sa.String(64), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        _int("year"),
        _int("time_precision"),
        _text("disorder_type"),
        _text("event_type"),
        _text("sub_event_type"),
        _text("actor1"),
        _text("assoc_actor_1"),
        _int("inter1"),
        _text("actor2"),
        _text("assoc_actor_2"),
        _int("inter2"),
        _int("interaction"),
        _text("civilian_targeting"),
        _int("iso"),
        sa.Column("iso3", sa.String(3), nullable=False),
        _text("region"),
        _text("country"),
        _text("admin1"),
        _text("admin2"),
        _text("admin3"),
        _text("location"),
        sa.Column("latitude", sa.Double()),
        sa.Column("longitude", sa.Double()),
        _int("geo_precision"),
        _text("source"),
        _text("source_scale"),
        _text("notes"),
        _int("fatalities"),
        _text("tags"),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.String(64), nullable=False),
        _text("sentence"),
        _int("char_start"),
        _int("char_end"),
        _text("trigger"),
        sa.Column("confidence", sa.Double(), nullable=False),
        _text("claim_source"),
        sa.Column("certainty", sa.String(16), nullable=False),
        sa.Column("geonameid", sa.BigInteger()),
        sa.Column("actors", sa.JSON(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"],
                                name="fk_events_article_id_articles"),
        sa.PrimaryKeyConstraint("event_id", name="pk_events"),
    )
    op.create_index("ix_events_event_date", "events", ["event_date"])
    op.create_index("ix_events_iso3", "events", ["iso3"])
    op.create_index("ix_events_geonameid", "events", ["geonameid"])
    op.create_index("ix_events_article_id", "events", ["article_id"])

    op.create_table(
        "event_sources",
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("article_id", sa.String(64), nullable=False),
        _int("char_start"),
        _int("char_end"),
        _text("sentence"),
        _text("trigger"),
        _text("claim_source"),
        sa.Column("certainty", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        _int("fatalities"),
        sa.Column("event_id_cnty", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.event_id"], ondelete="CASCADE",
                                name="fk_event_sources_event_id_events"),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE",
                                name="fk_event_sources_article_id_articles"),
        sa.PrimaryKeyConstraint("event_id", "article_id", "char_start",
                                name="pk_event_sources"),
    )
    op.create_index("ix_event_sources_article_id", "event_sources", ["article_id"])


def downgrade() -> None:
    op.drop_table("event_sources")
    op.drop_table("events")
    op.drop_table("toponyms")
    op.drop_table("articles")
