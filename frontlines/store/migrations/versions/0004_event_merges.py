"""Corroboration across reports: ``event_merges`` records each merge of a new report's
event into a stored event (the merged event's full record as JSON, why, when, and when it
was undone); ``event_sources.merge_id`` marks the reports a merge brought, so an undo can
move them back.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_merges",
        sa.Column("merge_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kept_event_id", sa.String(32), nullable=False),
        sa.Column("merged_event_id", sa.String(32), nullable=False),
        sa.Column("merged_event", sa.JSON(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("merge_id", name="pk_event_merges"),
    )
    op.create_index("ix_event_merges_kept_event_id", "event_merges", ["kept_event_id"])
    op.create_index("ix_event_merges_merged_event_id", "event_merges", ["merged_event_id"])
    with op.batch_alter_table("event_sources") as batch:
        batch.add_column(sa.Column("merge_id", sa.Integer()))
        batch.create_index("ix_event_sources_merge_id", ["merge_id"])


def downgrade() -> None:
    with op.batch_alter_table("event_sources") as batch:
        batch.drop_index("ix_event_sources_merge_id")
        batch.drop_column("merge_id")
    op.drop_table("event_merges")
