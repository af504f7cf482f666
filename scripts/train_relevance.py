"""Rebuild the relevance gate's model (frontlines/data/events/relevance/model.npz).

    python scripts/train_relevance.py [--halterman PATH] [--seed 13] [--out PATH]

Training data (see frontlines/data/events/relevance/README.md):
- label 0: the team-written negatives.yaml and the sentences templates.yaml expands into;
- label 1: the team-written positives.yaml and the conflict sentences of Halterman (2019)
  (MIT licence; read from ../shared, never copied into the repository): records whose
  annotated event verb is a conflict verb, less those that date themselves ("in 1998").

The script holds out a seeded, stratified 20% split (per source) and prints precision, recall
and false-positive rate there at 0.5, at the stored thresholds and at the lowest threshold whose
held-out false-positive rate is at most --max-fpr; then it refits on everything and writes the
weights with the thresholds (--threshold, --strict-threshold, --domain-share; see README.md in
the data folder for how they were chosen). Same data and seed give the same file. Needs
scikit-learn (training only; scoring needs numpy alone).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import string
import sys
import zipfile
from pathlib import Path

import numpy as np
import yaml
from scipy import sparse
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from frontlines.events.relevance import (  # noqa: E402
    DATA_DIR,
    N_BUCKETS,
    has_conflict_cue,
    vectorize,
)

HALTERMAN = ROOT.parent / "shared/data/dev/event_location_halterman2019/labeled_text.jsonl.zip"
# An annotated event verb from this list makes a Halterman record a conflict positive.
CONFLICT_VERB = re.compile(
    r"^(kill\w*|captur\w*|shot|shoot\w*|detonat\w*|demonstrat\w*|march\w*|launch\w*|target\w*|"
    r"destroy\w*|protest\w*|bomb\w*|shell\w*|murder\w*|wound\w*|attack\w*|injur\w*|raid\w*|"
    r"struck|strik\w*|storm\w*|burn\w*|arrest\w*|execut\w*|clash\w*|explod\w*|fired|gunned|"
    r"liberat\w*|seiz\w*|invad\w*|blew|encircl\w*|hacked|stab\w*|kidnap\w*|abduct\w*|ambush\w*|"
    r"assassinat\w*|loot\w*|torch\w*|occup\w*|recaptur\w*|overr?an|riot\w*|bombard\w*|fought|"
    r"fighting|detain\w*|besieg\w*|behead\w*|massacr\w*|rall\w*|dispers\w*)$"
)
DATED = re.compile(r"\b(in|since|of) (19|20)\d\d\b|\b(19|20)\d0s\b")
# Records whose text is not a sentence about an event (sports pages, idioms) slip in rarely;
# these markers drop the obvious ones.
NOT_EVENT = re.compile(r"\b(hearts|imagination|attention|market share|box office|goals?)\b", re.I)


def load_yaml_sentences(path: Path) -> list[tuple[str, str]]:
    """(group, sentence) pairs of a team-written YAML file of lists."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(group, s.strip()) for group, items in data.items() for s in items]


def expand_templates(path: Path, rng: random.Random) -> list[tuple[int, str]]:
    """(label, sentence) pairs drawn from templates.yaml, ``per_template`` distinct ones each."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    slots: dict[str, list[str]] = data["slots"]
    out: list[tuple[int, str]] = []
    for block in data["blocks"]:
        for template in block["templates"]:
            names = [f for _, f, _, _ in string.Formatter().parse(template) if f]
            seen: set[str] = set()
            for _ in range(block["per_template"] * 20):
                if len(seen) >= block["per_template"]:
                    break
                text = template.format(**{n: rng.choice(slots[n]) for n in names})
                text = re.sub(r"\s+([.,])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
                seen.add(text[0].upper() + text[1:])
            out.extend((block["label"], t) for t in sorted(seen))
    return out


def load_halterman(path: Path) -> list[str]:
    """Conflict sentences of the Halterman (2019) corpus, filtered as the docstring says."""
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".jsonl") and "MACOSX" not in n)
        records = json.load(io.TextIOWrapper(archive.open(name), encoding="utf-8"))
    keep: dict[str, None] = {}
    for rec in records:
        text = " ".join(rec["text"].split())
        verbs = [
            rec["text"][s["start"] : s["end"]].lower()
            for s in rec.get("spans", [])
            if s["label"] == "VERB"
        ]
        if not any(CONFLICT_VERB.match(v) for v in verbs):
            continue
        if DATED.search(text) or NOT_EVENT.search(text) or len(text) < 25:
            continue
        keep[text] = None
    return list(keep)


def matrix(texts: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Feature matrix of ``texts`` and, per text, whether it has a conflict cue."""
    rows, cols, vals, gated = [], [], [], []
    for i, text in enumerate(texts):
        found, vector = vectorize(text)
        gated.append(has_conflict_cue(found))
        rows.extend([i] * len(vector))
        cols.extend(vector)
        vals.extend(vector.values())
    x = sparse.csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)),
                          shape=(len(texts), N_BUCKETS))
    return x, np.array(gated)


def fit(x: sparse.csr_matrix, y: np.ndarray, *, c: float) -> LogisticRegression:
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="liblinear")
    return model.fit(x, y)


def pr(y: np.ndarray, p: np.ndarray, t: float) -> tuple[float, float, float]:
    pred = p >= t
    tp = int((pred & (y == 1)).sum())
    prec = tp / max(int(pred.sum()), 1)
    rec = tp / max(int((y == 1).sum()), 1)
    fpr = int((pred & (y == 0)).sum()) / max(int((y == 0).sum()), 1)
    return prec, rec, fpr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--halterman", type=Path, default=HALTERMAN)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--c", type=float, default=2.0, help="inverse L2 strength")
    parser.add_argument("--threshold", type=float, default=0.50,
                        help="sentence threshold stored with the model")
    parser.add_argument("--strict-threshold", type=float, default=0.99,
                        help="threshold within a sport/markets/tech/entertainment article")
    parser.add_argument("--domain-share", type=float, default=0.10,
                        help="share of domain-only sentences that makes an article strict")
    parser.add_argument("--max-fpr", type=float, default=0.02,
                        help="also report the lowest threshold with this held-out "
                        "false-positive rate")
    parser.add_argument("--out", type=Path, default=DATA_DIR / "model.npz")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    negatives = load_yaml_sentences(DATA_DIR / "negatives.yaml")
    positives = load_yaml_sentences(DATA_DIR / "positives.yaml")
    for label, text in expand_templates(DATA_DIR / "templates.yaml", rng):
        (positives if label else negatives).append(("template", text))
    halterman = load_halterman(args.halterman) if args.halterman.exists() else []
    if not halterman:
        print(f"warning: {args.halterman} not found; training on team data only", file=sys.stderr)
    rows = (
        [(t, 0, f"team-neg:{g}") for g, t in negatives]
        + [(t, 1, f"team-pos:{g}") for g, t in positives]
        + [(t, 1, "halterman") for t in halterman]
    )
    def written(pairs: list[tuple[str, str]]) -> int:
        return sum(group != "template" for group, _ in pairs)

    print(f"data: {len(negatives)} team negatives ({written(negatives)} written, the rest from "
          f"templates), {len(positives)} team positives ({written(positives)} written), "
          f"{len(halterman)} Halterman positives")

    # Seeded, stratified by source: 20% of each source held out.
    by_source: dict[str, list[int]] = {}
    for i, (_, _, source) in enumerate(rows):
        by_source.setdefault(source.split(":")[0], []).append(i)
    test_idx: set[int] = set()
    for idx in by_source.values():
        shuffled = sorted(idx)
        rng.shuffle(shuffled)
        test_idx.update(shuffled[: max(1, len(shuffled) // 5)])
    texts = [t for t, _, _ in rows]
    y = np.array([label for _, label, _ in rows])
    x, gated = matrix(texts)
    train = np.array([i not in test_idx for i in range(len(rows))])
    model = fit(x[train], y[train], c=args.c)
    # As the gate scores: no conflict cue, no event.
    p = np.where(gated[~train], model.predict_proba(x[~train])[:, 1], 0.0)
    yt = y[~train]
    thresholds = np.round(np.arange(0.30, 0.96, 0.01), 2)
    chosen = next((t for t in thresholds if pr(yt, p, t)[2] <= args.max_fpr), 0.5)
    print(f"held-out: {int((yt == 1).sum())} positive, {int((yt == 0).sum())} negative sentences")
    for t in sorted({0.5, float(chosen), args.threshold, args.strict_threshold}):
        prec, rec, fpr = pr(yt, p, t)
        print(f"  threshold {t:.2f}: precision {prec:.3f}  recall {rec:.3f}  "
              f"false-positive rate {fpr:.3f}")
    sources = np.array([s.split(":")[0] for _, _, s in rows])[~train]
    for src in ("team-pos", "halterman"):
        sel = sources == src
        print(f"  recall on {src} at {args.threshold:.2f}: {(p[sel] >= args.threshold).mean():.3f}")

    final = fit(x, y, c=args.c)
    coef = final.coef_[0].astype(np.float32)
    nz = np.flatnonzero(np.abs(coef) >= 1e-4).astype(np.int32)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "wb") as handle:
        np.savez_compressed(
            handle,
            indices=nz,
            weights=coef[nz].astype(np.float16).astype(np.float32),
            bias=np.float32(final.intercept_[0]),
            n_buckets=np.int64(N_BUCKETS),
            threshold=np.float32(args.threshold),
            strict_threshold=np.float32(args.strict_threshold),
            domain_share=np.float32(args.domain_share),
        )
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB, {len(nz)} weights, "
          f"threshold {args.threshold:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
