"""Writing one batch of analyses inside the caller's transaction, in a handful of
statements: articles, toponyms, events (new ones numbered), their sources, and merges.

A report whose ``event_key`` is stored (or new in this batch) is one more source of that
event. Otherwise, with corroboration on, a report of an event merged before goes to the
event it was merged into, and a report that corroborates a stored or in-batch event (see
``merge.py``) is merged into it and the merge recorded; else it makes a new event.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from frontlines.model import Analysis, Event
from frontlines.store import schema
from frontlines.store._merging import Corroborator
from frontlines.store._numbers import assign_numbers, stamp
from frontlines.store._rows import (
    _article_row,
    _event_row,
    _merge_fatalities,
    _merge_sources,
    _source_row,
    _toponym_row,
    event_key,
)
from frontlines.store.merge import Rules

PG_WRITE_LOCK = 7_012_018  # advisory lock held by the one writer of a batch


@dataclass(frozen=True, slots=True)
class IngestStats:
    """What one ``Store.ingest`` call wrote. ``events_merged`` counts reports that joined a
    known event (same identity, or corroborated); ``events_corroborated`` those of them
    that joined an event reported differently (a merge in ``Store.merges()``)."""

    articles_new: int = 0
    articles_skipped_existing: int = 0
    events_new: int = 0
    events_merged: int = 0
    toponyms_new: int = 0
    batches: int = 0
    events_corroborated: int = 0

    def __add__(self, other: IngestStats) -> IngestStats:
        return IngestStats(*(getattr(self, f.name) + getattr(other, f.name)
                             for f in dataclasses.fields(self)))

    def __str__(self) -> str:
        text = (f"{self.articles_new} new article(s), {self.articles_skipped_existing} "
                f"already stored, {self.toponyms_new} toponym(s), {self.events_new} new "
                f"event(s), {self.events_merged} report(s) merged into known events")
        if self.events_corroborated:
            text += f" ({self.events_corroborated} reported differently)"
        return text


def ingest_batch(conn: Connection, batch: Sequence[Analysis], *,
                 rules: Rules | None) -> IngestStats:
    """Write ``batch``; ``rules`` None turns corroboration off."""
    if conn.dialect.name == "postgresql":  # one writer (SQLite's BEGIN IMMEDIATE does it)
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": PG_WRITE_LOCK})
    now = dt.datetime.now(dt.UTC)
    ar, ev = schema.articles.c, schema.events.c
    known = set(conn.scalars(sa.select(ar.id).where(
        ar.id.in_({analysis.article.id for analysis in batch}))))
    fresh: list[Analysis] = []
    for analysis in batch:
        if analysis.article.id not in known:
            known.add(analysis.article.id)
            fresh.append(analysis)
    skipped = len(batch) - len(fresh)
    if not fresh:
        return IngestStats(articles_skipped_existing=skipped, batches=1)

    toponym_rows: dict[tuple[str, int, int], dict[str, Any]] = {}
    reports: list[tuple[str, Event, dt.date | None]] = []
    for analysis in fresh:
        article = analysis.article
        for toponym in analysis.toponyms:
            toponym_rows.setdefault((article.id, toponym.start, toponym.end),
                                    _toponym_row(article.id, toponym))
        for event in analysis.events:
            if event.article_id != article.id:
                event = event.replace(article_id=article.id)
            reports.append((event_key(event), event, article.published_date))

    # Stored events these reports name exactly; corroboration may add more.
    keys = {key for key, _, _ in reports}
    stored: dict[str, dict[str, Any]] = {
        row.event_id: {"source": row.source, "confidence": row.confidence,
                       "fatalities": row.fatalities, "changed": False}
        for row in conn.execute(sa.select(ev.event_id, ev.source, ev.confidence,
                                          ev.fatalities).where(ev.event_id.in_(keys)))}
    unknown = [r for r in reports if r[0] not in stored]
    corroborator = Corroborator(conn, rules, unknown) if rules is not None and unknown \
        else None
    new_rows: dict[str, dict[str, Any]] = {}
    source_rows: dict[tuple[str, str, int], dict[str, Any]] = {}
    corroborated = 0
    for key, event, published in reports:
        target, merge_id = key, None
        if key not in new_rows and key not in stored and corroborator is not None:
            route = corroborator.route(key)
            if route is None:
                found = corroborator.find(
                    key, event, published,
                    taken=lambda eid, e=event: (eid, e.article_id, e.char_start) in source_rows)
                if found is not None:
                    route = (found.kept.event_id, corroborator.record(key, event, found, now))
            if route is not None:
                (target, merge_id), corroborated = route, corroborated + 1
                if target not in new_rows and target not in stored:
                    stored[target] = corroborator.aggregate(target)
        row = new_rows.get(target) or stored.get(target)
        if row is None:
            new_rows[key] = _event_row(key, event, now)
            if corroborator is not None:
                corroborator.add(key, event, published)
        else:
            row["source"] = _merge_sources(row["source"], event.source)
            row["confidence"] = max(row["confidence"], event.confidence)
            row["fatalities"] = _merge_fatalities(row["fatalities"], event.fatalities)
            if target in stored:
                row["changed"] = True
        source = _source_row(target, event)
        source["merge_id"] = merge_id
        source_rows.setdefault((target, event.article_id, event.char_start), source)

    conn.execute(schema.articles.insert(), [_article_row(a.article, now) for a in fresh])
    if toponym_rows:
        conn.execute(schema.toponyms.insert(), list(toponym_rows.values()))
    if new_rows:
        assign_numbers(conn, new_rows.values())
        conn.execute(schema.events.insert(), list(new_rows.values()))
    changed = stamp(now)
    updates = [{"key": key, "new_source": m["source"], "new_confidence": m["confidence"],
                "new_fatalities": m["fatalities"], "new_updated_at": changed["updated_at"],
                "new_timestamp": changed["timestamp"]}
               for key, m in stored.items() if m["changed"]]
    if updates:
        conn.execute(schema.events.update().where(ev.event_id == sa.bindparam("key"))
                     .values(source=sa.bindparam("new_source"),
                             confidence=sa.bindparam("new_confidence"),
                             fatalities=sa.bindparam("new_fatalities"),
                             updated_at=sa.bindparam("new_updated_at"),
                             timestamp=sa.bindparam("new_timestamp")), updates)
    if source_rows:
        conn.execute(schema.event_sources.insert(), list(source_rows.values()))
    return IngestStats(articles_new=len(fresh), articles_skipped_existing=skipped,
                       events_new=len(new_rows), events_merged=len(reports) - len(new_rows),
                       toponyms_new=len(toponym_rows), batches=1,
                       events_corroborated=corroborated)
