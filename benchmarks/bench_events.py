"""Benchmark: plain spaCy ``nlp.pipe`` vs end-to-end event extraction over the same articles.

    .venv/bin/python benchmarks/bench_events.py [--repeat N] [--gazetteer PATH]

Articles come from ``examples/`` when it holds ``*.jsonl``/``*.txt``, else from
``tests/fixtures/events/articles.jsonl`` and the texts of ``tests/gold/dev_events.csv``.
End-to-end = the same ``nlp.pipe`` + event extraction; with ``--gazetteer`` (or the configured
one, when it exists) the geoparser runs too and its time is reported separately. Prints the
ratio against the plain pipeline (target: extraction within 1.5x).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from frontlines.events import EventExtractor
from frontlines.model import Article
from frontlines.nlp import load_model


def load_articles() -> list[Article]:
    examples = REPO / "examples"
    files = ([p for ext in ("jsonl", "txt", "md") for p in sorted(examples.glob(f"*.{ext}"))]
             if examples.is_dir() else [])
    if files:
        from frontlines.ingest import read_articles

        return list(read_articles(files))
    out = []
    for line in (REPO / "tests/fixtures/events/articles.jsonl").read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        out.append(Article.make(text=raw["text"], title=raw.get("title"), id=raw["id"],
                                published=dt.date.fromisoformat(raw["published"]),
                                source=raw.get("source")))
    gold = REPO / "tests/gold/dev_events.csv"
    if gold.exists():
        seen = set()
        with gold.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                text = row.get("text") or row.get("notes")
                if text and text not in seen:
                    seen.add(text)
                    pub = row.get("published") or row["event_date"]
                    out.append(Article.make(text=text, published=dt.date.fromisoformat(pub)))
    return out


def run(repeat: int = 3, gazetteer: str | None = None) -> dict:
    """Plain ``nlp.pipe`` vs the same pass plus geoparsing and event extraction.

    ``gazetteer``: an index path; default, the offline default (``Gazetteer.open_default``).
    """
    from frontlines.gazetteer import Gazetteer
    from frontlines.geoparse import Geoparser

    articles = load_articles() * repeat
    texts = [a.full_text for a in articles]
    nlp = load_model()
    gaz = Gazetteer(gazetteer) if gazetteer else Gazetteer.open_default()
    extractor = EventExtractor(gazetteer=gaz)
    geoparser = Geoparser(gaz, nlp=nlp)
    list(nlp.pipe(texts[:10]))  # warm up
    for article, doc in zip(articles[:10], nlp.pipe(texts[:10]), strict=True):
        extractor.extract(article, doc, geoparser.geoparse_doc(doc))

    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    plain = time.perf_counter() - start

    start = time.perf_counter()
    n_events = 0
    geo_time = 0.0
    for article, doc in zip(articles, nlp.pipe(texts, batch_size=32), strict=True):
        g0 = time.perf_counter()
        toponyms = geoparser.geoparse_doc(doc)
        geo_time += time.perf_counter() - g0
        n_events += len(extractor.extract(article, doc, toponyms))
    total = time.perf_counter() - start
    extraction = total - geo_time
    words = sum(len(d) for d in docs)
    print(f"   articles: {len(articles)}  tokens: {words}  events: {n_events}")
    print(f"   plain nlp.pipe:                    {plain:7.2f} s  ({words / plain:,.0f} tokens/s)")
    print(f"   nlp.pipe + extraction:             {extraction:7.2f} s  ratio "
          f"{extraction / plain:.2f}x")
    print(f"   nlp.pipe + geoparse + extraction:  {total:7.2f} s  ratio {total / plain:.2f}x "
          f"(target <= 1.5x; geoparser {geo_time:.2f} s)")
    return {"articles": len(articles), "tokens": words, "events": n_events,
            "plain_s": round(plain, 2), "extraction_ratio": round(extraction / plain, 2),
            "end_to_end_s": round(total, 2), "end_to_end_ratio": round(total / plain, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the articles")
    parser.add_argument("--gazetteer", help="gazetteer index (default: the offline default)")
    args = parser.parse_args()
    run(repeat=args.repeat, gazetteer=args.gazetteer)


if __name__ == "__main__":
    main()
