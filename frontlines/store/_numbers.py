"""ACLED numbering: ``event_id_cnty`` = ISO3 + a number per store and country.

A new event gets the next number of its country (``event_numbers.last`` + 1) inside the
transaction that inserts it; the counter only grows, so a number is never given twice (not
after a merge removes an event, nor after an unmerge restores one). An event without a
country is numbered in its own series and written ``XXX<n>``, as the extractor writes an
unplaced event's id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from frontlines.store import schema

UNKNOWN_COUNTRY = "XXX"


def acled_id(iso3: str, number: int) -> str:
    """``LBN12``: the country's ISO3 (``XXX`` when unknown) and the event's number."""
    return f"{iso3 or UNKNOWN_COUNTRY}{number}"


def stamp(now: dt.datetime) -> dict[str, Any]:
    """The columns that record a change at ``now`` (aware UTC)."""
    return {"updated_at": now, "timestamp": int(now.timestamp())}


def assign_numbers(conn: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Give each new event row the next number of its country, in order; writes the
    counters. Runs inside the caller's (single-writer) transaction."""
    rows = list(rows)
    if not rows:
        return
    nb = schema.event_numbers.c
    iso3s = {row["iso3"] or "" for row in rows}
    last: dict[str, int] = {row.iso3: row.last for row in conn.execute(
        sa.select(nb.iso3, nb.last).where(nb.iso3.in_(iso3s)))}
    known = set(last)
    for row in rows:
        iso3 = row["iso3"] or ""
        number = last.get(iso3, 0) + 1
        last[iso3] = number
        row["number"] = number
        row["event_id_cnty"] = acled_id(iso3, number)
    fresh = [{"iso3": iso3, "last": n} for iso3, n in last.items() if iso3 not in known]
    moved = [{"key": iso3, "n": n} for iso3, n in last.items() if iso3 in known]
    if fresh:
        conn.execute(schema.event_numbers.insert(), fresh)
    if moved:
        conn.execute(schema.event_numbers.update()
                     .where(nb.iso3 == sa.bindparam("key")).values(last=sa.bindparam("n")),
                     moved)
