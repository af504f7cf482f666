"""The Frontlines database: SQLAlchemy 2 + Alembic, SQLite (WAL) or PostgreSQL.

    from frontlines.store import Store
    store = Store("sqlite:///events.db")      # migrates to the newest schema
    stats = store.ingest(analyses)            # one transaction per batch; idempotent
    events = store.events(since=date(2017, 8, 19), country="LB", min_sources=2)
    store.merges(); store.unmerge(3)          # corroboration across reports, and its undo
"""

from frontlines.store._store import EventSource, IngestStats, Merge, Store, event_key, mask_url

__all__ = ["EventSource", "IngestStats", "Merge", "Store", "event_key", "mask_url"]
