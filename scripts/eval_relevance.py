"""Measure the relevance gate on text it was never trained on.

    python scripts/eval_relevance.py [--shared ../shared/data/dev] [--threshold T]
                                     [--cache DIR] [--show N]

- BBC News (evaluation only, all 2,225 articles): per category, the share of sentences scored
  relevant and of articles with any relevant sentence. Sport, business, tech and entertainment
  should stay at or under 2% of articles; politics is printed apart.
- ACLED notes (every note reports an event): the share of notes with at least one relevant
  sentence, for the Middle East 2022H1 notes and a seeded 2,000-row sample of the Syria
  battles notes (a recall proxy; target at least 98%).

Sentences are split by the project's spaCy pipeline (frontlines.nlp.load_model); ``--cache``
keeps the splits in a JSON file so that a rerun with another threshold is quick.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from frontlines.events.relevance import RelevanceGate  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "dev"
NON_CONFLICT = ("sport", "business", "tech", "entertainment")


def _split(texts: list[str]) -> list[list[str]]:
    from frontlines.nlp import load_model

    nlp = load_model(disable=("ner", "lemmatizer"))
    return [
        [s.text.strip() for s in doc.sents if s.text.strip()]
        for doc in nlp.pipe(texts, batch_size=32)
    ]


def split_cached(name: str, texts: list[str], cache: Path | None) -> list[list[str]]:
    """Sentences of each text, read from ``cache/name.json`` when it matches ``texts``."""
    path = cache / f"{name}.json" if cache else None
    if path and path.exists():
        data = json.loads(path.read_text())
        if data.get("texts") == len(texts) and data.get("first") == texts[0][:200]:
            return data["sentences"]
    sentences = _split(texts)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"texts": len(texts), "first": texts[0][:200],
                                    "sentences": sentences}))
    return sentences


def read_csv(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _rate(flags: Iterable[bool]) -> tuple[int, int]:
    flags = list(flags)
    return sum(flags), len(flags)


def eval_bbc(gate: RelevanceGate, shared: Path, cache: Path | None, show: int) -> dict:
    rows = read_csv(shared / "bbc_news" / "bbc_news_2225.csv")
    sents = split_cached("bbc", [r["text"] for r in rows], cache)
    print("BBC News (evaluation only): relevant sentences / articles with any relevant sentence")
    print(f"  {'category':<14}{'articles':>18}{'sentences':>20}")
    out: dict[str, dict[str, float]] = {}
    hits: list[tuple[float, str, str]] = []
    totals = [0, 0]
    for category in (*NON_CONFLICT, "politics"):
        art_flags, sent_flags = [], []
        for row, ss in zip(rows, sents):
            if row["category"] != category:
                continue
            scores = [gate.score(s) for s in ss]
            threshold = gate.threshold_for(ss)
            flags = [sc >= threshold for sc in scores]
            art_flags.append(any(flags))
            sent_flags.extend(flags)
            hits.extend((sc, category, s) for sc, s, f in zip(scores, ss, flags) if f)
        a, n = _rate(art_flags)
        sa, sn = _rate(sent_flags)
        if category in NON_CONFLICT:
            totals[0] += a
            totals[1] += n
        print(f"  {category:<14}{a:>6}/{n:<5} {a / n:6.1%}   {sa:>6}/{sn:<6} {sa / sn:6.2%}")
        out[category] = {"articles": a / n, "sentences": sa / sn}
    print(f"  {'sport+bus+tech+ent':<14} {totals[0]}/{totals[1]} = "
          f"{totals[0] / totals[1]:.1%} of articles (target <= 2%)")
    out["non_conflict"] = {"articles": totals[0] / totals[1]}
    for sc, category, s in sorted(hits, reverse=True)[:show]:
        print(f"    {sc:.2f} [{category}] {s[:160]}")
    return out


def eval_acled(gate: RelevanceGate, shared: Path, cache: Path | None, show: int,
               *, sample: int = 2000, seed: int = 7) -> dict:
    out = {}
    me = read_csv(shared / "acled_middle_east_2022h1" / "acled.csv")
    syria = read_csv(shared / "acled_syria_battles_2017_2023" / "acled.csv")
    syria = random.Random(seed).sample(syria, min(sample, len(syria)))
    print("ACLED notes (each reports an event): notes with at least one relevant sentence")
    for name, rows in (("acled_me_2022h1", me), (f"acled_syria_battles_{sample}", syria)):
        rows = [r for r in rows if r.get("notes", "").strip()]
        sents = split_cached(name, [r["notes"] for r in rows], cache)
        misses: list[tuple[str, str]] = []
        by_type: dict[str, list[bool]] = {}
        for row, ss in zip(rows, sents):
            ok = gate.relevant_article(ss)
            by_type.setdefault(row["sub_event_type"], []).append(ok)
            if not ok:
                misses.append((row["sub_event_type"], row["notes"]))
        a, n = _rate(ok for flags in by_type.values() for ok in flags)
        print(f"  {name:<28} {a}/{n} = {a / n:.1%} (target >= 98%)")
        for sub, flags in sorted(by_type.items(), key=lambda kv: -len(kv[1])):
            k, m = _rate(flags)
            if k < m:
                print(f"      {sub:<45} {k}/{m}")
        for sub, note in misses[:show]:
            print(f"    missed [{sub}] {note[:200]}")
        out[name] = a / n
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--strict-threshold", type=float, default=None,
                        help="threshold within a sport/markets/tech/entertainment article "
                        "(pass the --threshold value to switch the article rule off)")
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder for sentence splits (e.g. /tmp/relevance-cache)")
    parser.add_argument("--show", type=int, default=0, help="print this many errors per set")
    args = parser.parse_args(argv)
    if not (args.shared / "bbc_news").exists():
        print(f"{args.shared}: no bbc_news folder; pass --shared PATH to ../shared/data/dev",
              file=sys.stderr)
        return 2
    gate = RelevanceGate(model_path=args.model, threshold=args.threshold,
                         strict_threshold=args.strict_threshold)
    print(f"model {gate.model_path.name}: threshold {gate.threshold:.2f}, "
          f"{gate.strict_threshold:.2f} in an article with at least {gate.domain_share:.0%} "
          "sport/markets/tech/entertainment-only sentences, no fewer than its relevant ones")
    eval_bbc(gate, args.shared, args.cache, args.show)
    eval_acled(gate, args.shared, args.cache, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
