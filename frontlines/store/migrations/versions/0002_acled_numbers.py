"""ACLED numbering and last change: events.number, events.updated_at, event_numbers.

Each event gets a number per store and country (``event_id_cnty`` = ISO3 + number, as
ACLED writes ``LBN12``); ``event_numbers`` remembers the last number given per ISO3 so a
number is never given twice. ``updated_at`` is the event's last change; ``timestamp`` holds
it as Unix seconds. Existing events are numbered in the order they were first seen.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _utc(value: dt.datetime | str) -> dt.datetime:
    if isinstance(value, str):  # SQLite hands back text for raw selects
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def upgrade() -> None:
    op.create_table(
        "event_numbers",
        sa.Column("iso3", sa.String(3), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("iso3", name="pk_event_numbers"),
    )
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("number", sa.Integer()))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True)))

    # Backfill: number by first sighting within each country; last change = the latest
    # ingest of any of the event's reports.
    conn = op.get_bind()
    events = sa.table("events", sa.column("event_id"), sa.column("iso3"),
                      sa.column("first_seen"), sa.column("number"), sa.column("updated_at"),
                      sa.column("event_id_cnty"), sa.column("timestamp"))
    sources = sa.table("event_sources", sa.column("event_id"), sa.column("article_id"))
    articles = sa.table("articles", sa.column("id"), sa.column("ingested_at"))
    latest = dict(conn.execute(
        sa.select(sources.c.event_id, sa.func.max(articles.c.ingested_at))
        .join(articles, articles.c.id == sources.c.article_id)
        .group_by(sources.c.event_id)).all())
    last: dict[str, int] = {}
    updates = []
    for event_id, iso3, first_seen in conn.execute(
            sa.select(events.c.event_id, events.c.iso3, events.c.first_seen)
            .order_by(events.c.first_seen, events.c.event_id)).all():
        number = last.get(iso3, 0) + 1
        last[iso3] = number
        changed = max(_utc(first_seen), _utc(latest.get(event_id) or first_seen))
        updates.append({"key": event_id, "n": number, "at": changed,
                        "cnty": f"{iso3 or 'XXX'}{number}", "ts": int(changed.timestamp())})
    if updates:
        conn.execute(events.update().where(events.c.event_id == sa.bindparam("key"))
                     .values(number=sa.bindparam("n"), updated_at=sa.bindparam("at"),
                             event_id_cnty=sa.bindparam("cnty"), timestamp=sa.bindparam("ts")),
                     updates)
    if last:
        conn.execute(sa.table("event_numbers", sa.column("iso3"), sa.column("last")).insert(),
                     [{"iso3": iso3, "last": n} for iso3, n in last.items()])

    with op.batch_alter_table("events") as batch:
        batch.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("updated_at", existing_type=sa.DateTime(timezone=True),
                           nullable=False)
        batch.create_index("ix_events_iso3_number", ["iso3", "number"], unique=True)
        batch.create_index("ix_events_event_id_cnty", ["event_id_cnty"])
        batch.create_index("ix_events_updated_at", ["updated_at"])


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_index("ix_events_updated_at")
        batch.drop_index("ix_events_event_id_cnty")
        batch.drop_index("ix_events_iso3_number")
        batch.drop_column("updated_at")
        batch.drop_column("number")
    op.drop_table("event_numbers")
