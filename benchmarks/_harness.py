"""Shared benchmark machinery: article sets split into warm-up and timed, cold and steady runs.

Cold and steady figures are measured in fresh worker processes (``python -m
benchmarks._harness SPEC``), so no state of an earlier benchmark leaks into them:

* **cold**: a new process loads the model and builds the pipeline, sees no article, then
  analyses one timed set; every memo (resolver, recognizer, name-key and fold caches) is empty.
* **steady**: a new process first analyses a *warm-up* set of other articles (untimed), then
  each timed set in turn; no timed article was seen before it is timed.

Figures are medians over the timed sets (``runs`` of them, disjoint). Only the public API is
used: ``Frontlines`` with its geoparser and extractor wrapped to time each stage.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRONTLINES_SHARED_DATA", REPO.parent / "shared" / "data"))
ACLED_NOTES = SHARED / "dev" / "acled_middle_east_2022h1" / "acled.csv"
BBC_ARTICLES = SHARED / "dev" / "bbc_news" / "bbc_news_2225.csv"
_RESULT = "@@bench-result "


@dataclass
class Split:
    """A warm-up set and ``len(timed)`` disjoint timed sets of one source, with its name."""

    name: str
    described: str  # "unseen ACLED notes", used in every method line
    warm: list  # list[Article]
    timed: list  # list[list[Article]]

    @property
    def size(self) -> int:
        return len(self.timed[0]) if self.timed else 0


def split(name: str, described: str, articles: Sequence, *, warm: int, timed: int,
          runs: int, seed: int = 16) -> Split:
    """Shuffle (seeded) de-duplicated ``articles`` and cut warm-up and timed sets from them."""
    seen: set[str] = set()
    unique = [a for a in articles if not (a.full_text in seen or seen.add(a.full_text))]
    random.Random(seed).shuffle(unique)
    need = warm + timed * runs
    if len(unique) < need:
        raise ValueError(f"{name}: {len(unique)} distinct articles, {need} needed")
    sets = [unique[warm + i * timed: warm + (i + 1) * timed] for i in range(runs)]
    return Split(name, described, unique[:warm], sets)


# -- sources ---------------------------------------------------------------------------------
def generated(*, warm: int, timed: int, runs: int, seed: int = 2017) -> Split:
    from benchmarks import corpus

    # one call, cut in order: warm-up and timed reports name different main places
    items = corpus.articles(warm + timed * runs, seed=seed)
    sets = [items[warm + i * timed: warm + (i + 1) * timed] for i in range(runs)]
    return Split("generated", "unseen generated reports", items[:warm], sets)


def acled_notes(*, warm: int, timed: int, runs: int) -> Split | str:
    """ACLED Middle East 2022 H1 ``notes``, or the reason they cannot be read."""
    if not ACLED_NOTES.exists():
        return f"skipped: {ACLED_NOTES} is absent"
    from frontlines.model import Article

    with ACLED_NOTES.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("notes") or "").strip()]
    articles = [Article.make(text=r["notes"].strip(), id=r.get("event_id_cnty") or None,
                             published=dt.date.fromisoformat(r["event_date"]),
                             source="ACLED") for r in rows]
    return split("acled", "unseen ACLED notes (Middle East 2022 H1)", articles, warm=warm,
                 timed=timed, runs=runs)


def bbc_articles(*, warm: int, timed: int, runs: int) -> Split | str:
    """BBC News 2004-05 articles (all five sections), or the reason they cannot be read."""
    if not BBC_ARTICLES.exists():
        return f"skipped: {BBC_ARTICLES} is absent"
    from frontlines.model import Article

    with BBC_ARTICLES.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("text") or "").strip()]
    articles = [Article.make(text=r["text"].strip(), published=dt.date(2005, 6, 30),
                             source="BBC", id=r.get("source_path") or None) for r in rows]
    return split("bbc", "unseen BBC News articles", articles, warm=warm, timed=timed,
                 runs=runs)


# -- the worker side -------------------------------------------------------------------------
class _Timed:
    """Wraps a geoparser or extractor, adding the seconds spent in ``method`` to ``seconds``."""

    def __init__(self, inner, method: str) -> None:
        self._inner = inner
        self._method = getattr(inner, method)
        self.seconds = 0.0
        setattr(self, method, self._call)

    def _call(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return self._method(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started

    def __getattr__(self, name):
        return getattr(self._inner, name)


def _read(path: str) -> list:
    from frontlines.model import Article

    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        published = dt.date.fromisoformat(raw["published"]) if raw["published"] else None
        out.append(Article.make(text=raw["text"], title=raw["title"], id=raw["id"],
                                published=published, source=raw["source"]))
    return out


def _write(path: Path, articles: Sequence) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            fh.write(json.dumps({"id": a.id, "title": a.title, "text": a.text,
                                 "published": str(a.published_date or "") or None,
                                 "source": a.source}) + "\n")


def _work(spec: dict) -> dict:
    """In a fresh process: build the pipeline, optionally warm up, time each timed set."""
    started = time.perf_counter()
    from frontlines import Frontlines

    base = Frontlines()
    nlp = base.nlp
    geoparser = _Timed(base.geoparser, "geoparse_doc")
    extractor = _Timed(base.extractor, "extract")
    fl = Frontlines(base.settings, gazetteer=base.gazetteer, nlp=nlp, geoparser=geoparser,
                    extractor=extractor)
    load_s = time.perf_counter() - started
    warm = _read(spec["warm"]) if spec.get("warm") else []
    if warm:
        list(fl.analyse(warm))
    runs = []
    for path in spec["timed"]:
        articles = _read(path)
        texts = [a.full_text for a in articles]
        geoparser.seconds = extractor.seconds = 0.0
        started = time.perf_counter()
        analyses = list(fl.analyse(articles))
        total = time.perf_counter() - started
        geo, ext = geoparser.seconds, extractor.seconds
        started = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=base.settings.batch_size))
        plain = time.perf_counter() - started
        runs.append({"articles": len(articles), "tokens": sum(len(d) for d in docs),
                     "events": sum(len(a.events) for a in analyses),
                     "toponyms": sum(len(a.toponyms) for a in analyses),
                     "end_to_end_s": total, "geoparse_s": geo, "extract_s": ext,
                     "nlp_s": total - geo - ext, "plain_nlp_pipe_s": plain})
    return {"load_s": load_s, "runs": runs}


def run_worker(*, warm: Sequence = (), timed: Sequence[Sequence]) -> dict:
    """Run ``_work`` in a fresh ``python -m benchmarks._harness`` process."""
    with tempfile.TemporaryDirectory(prefix="frontlines-bench-") as tmp:
        spec: dict = {"warm": None, "timed": []}
        if warm:
            _write(Path(tmp) / "warm.jsonl", warm)
            spec["warm"] = str(Path(tmp) / "warm.jsonl")
        for i, articles in enumerate(timed):
            _write(Path(tmp) / f"timed{i}.jsonl", articles)
            spec["timed"].append(str(Path(tmp) / f"timed{i}.jsonl"))
        (Path(tmp) / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "benchmarks._harness",
                               str(Path(tmp) / "spec.json")], cwd=REPO, text=True,
                              capture_output=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith(_RESULT):
            return json.loads(line[len(_RESULT):])
    raise RuntimeError(f"benchmark worker failed (exit {done.returncode}):\n{done.stderr[-3000:]}")


# -- cold and steady over one split ----------------------------------------------------------
def cold_and_steady(data: Split) -> dict:
    """Cold: one fresh process per timed set. Steady: one process, warm-up set, then each set."""
    cold = [run_worker(timed=[batch]) for batch in data.timed]
    steady = run_worker(warm=data.warm, timed=data.timed)
    return {"cold": [c["runs"][0] for c in cold], "steady": steady["runs"],
            "load_s": statistics.median(c["load_s"] for c in cold)}


def median(runs: list[dict], key: str, per: str | None = None) -> float:
    """Median over runs of ``key`` (seconds) or, with ``per``, of ``per / key`` (a rate)."""
    values = [r[per] / r[key] if per else r[key] for r in runs]
    return statistics.median(values)


def ratio(runs: list[dict], top: str, bottom: str) -> float:
    return statistics.median(r[top] / r[bottom] for r in runs)


def show(label: str, value: str, method: str) -> None:
    """One figure and, beside it, how it was measured."""
    print(f"   {label:<44} {value:>18}  — {method}", flush=True)


if __name__ == "__main__":
    result = _work(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
    print(_RESULT + json.dumps(result), flush=True)
