"""Snapshot every event the pipeline extracts, for behaviour-preserving refactors.

Usage: ``python scripts/snapshot_events.py OUT.jsonl``

Runs ``Frontlines().analyse`` over (a) the texts of tests/gold/dev_events.csv, (b) the notes of
../shared/data/dev/acled_middle_east_2022h1/acled.csv, (c) the first 300 texts of
../shared/data/dev/bbc_news/bbc_news_2225.csv and (d) the files of examples/, and writes each
event as one JSON line with sorted keys, in pipeline order. Two runs of the same code give
byte-identical files; ``diff`` them before and after a refactor.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path

from frontlines.model import Article
from frontlines.pipeline import Frontlines

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data" / "dev"


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def gold_articles() -> list[Article]:
    groups: dict[str, dict[str, str]] = {}
    with open(ROOT / "tests" / "gold" / "dev_events.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            groups.setdefault(row["text"], row)
    return [Article.make(text=text, published=_date(row["published"]), source=row["source"],
                         id=f"gold-{i}") for i, (text, row) in enumerate(groups.items())]


def acled_articles() -> list[Article]:
    path = SHARED / "acled_middle_east_2022h1" / "acled.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        return [Article.make(text=row["notes"], published=_date(row["event_date"]),
                             source=row["source"], id=f"acled-{row['event_id_cnty']}")
                for row in csv.DictReader(fh)]


def bbc_articles(limit: int = 300) -> list[Article]:
    path = SHARED / "bbc_news" / "bbc_news_2225.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[:limit]
    return [Article.make(text=row["text"], published=dt.date(2005, 1, 1), source="BBC",
                         id=f"bbc-{i}") for i, row in enumerate(rows)]


def main(out: str) -> None:
    fl = Frontlines()
    articles = gold_articles() + acled_articles() + bbc_articles()
    articles += fl.read([ROOT / "examples"])
    count = 0
    with open(out, "w", encoding="utf-8") as fh:
        for analysis in fl.analyse(articles, strict=True):
            for event in analysis.events:
                fh.write(json.dumps(event.to_dict(), sort_keys=True, ensure_ascii=False) + "\n")
                count += 1
    print(f"{len(articles)} articles, {count} events -> {out}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
