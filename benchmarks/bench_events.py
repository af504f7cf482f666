"""Events end-to-end speed on unseen articles: cold and steady state, against plain ``nlp.pipe``.

    python -m benchmarks bench_events          (or: python -m benchmarks.bench_events)

End-to-end = ``Frontlines.analyse``: spaCy, geoparsing and event extraction. Each source is
cut into a warm-up set and ``runs`` disjoint timed sets, none seen before it is timed (see
``benchmarks/_harness.py``):

* generated reports (``benchmarks/corpus.py``: templates x real places x actors x dates),
  always;
* ACLED Middle East 2022 H1 ``notes`` and BBC News articles, when ../shared/data has them
  (else the line says why it is skipped).

Cold = a fresh process, model loaded, no article seen; steady = a fresh process that first
analysed the warm-up set. Also printed: end-to-end time over plain ``nlp.pipe`` of the same
model over the same articles (steady state), and the split of time between stages.
"""

from __future__ import annotations

import statistics

from benchmarks import _harness as h


def _sources(warm: int, timed: int, runs: int, names: tuple[str, ...]) -> list:
    out = []
    for name in names:
        if name == "generated":
            out.append(h.generated(warm=warm, timed=timed, runs=runs))
        elif name == "acled":
            out.append(h.acled_notes(warm=warm, timed=timed, runs=runs))
        elif name == "bbc":  # news-length texts, eight times an ACLED note: smaller sets
            found = h.bbc_articles(warm=max(1, warm // 2), timed=max(1, timed // 3), runs=runs)
            out.append(found)
        else:
            raise ValueError(f"unknown source {name!r}; expected generated, acled or bbc")
    return out


def _report(data: h.Split, result: dict, runs: int) -> dict:
    from frontlines.settings import Settings

    settings = Settings()
    n, cold, steady = data.size, result["cold"], result["steady"]
    per = f"{runs} runs" if runs > 1 else "1 run"
    tag = f"[{data.name}]"
    cold_rate = h.median(cold, "end_to_end_s", "articles")
    steady_rate = h.median(steady, "end_to_end_s", "articles")
    e2e_ratio = h.ratio(steady, "end_to_end_s", "plain_nlp_pipe_s")
    slowdown = h.median(cold, "end_to_end_s") / h.median(steady, "end_to_end_s")
    cold_method = (f"{n} {data.described}, cold: fresh process, model just loaded, "
                   f"no article seen; 1 process, median of {per} (one process each)")
    steady_method = (f"{n} {data.described}, steady state after warming on "
                     f"{len(data.warm)} others; 1 process, median of {per}")
    h.show(f"{tag} end-to-end, cold", f"{cold_rate:.1f} articles/s", cold_method)
    h.show(f"{tag} end-to-end, steady", f"{steady_rate:.1f} articles/s", steady_method)
    h.show(f"{tag} cold / steady time", f"{slowdown:.2f}x",
           "median cold time over median steady time, same timed sets")
    h.show(f"{tag} end-to-end / nlp.pipe", f"{e2e_ratio:.2f}x",
           f"steady; plain nlp.pipe of {settings.model} (batch_size {settings.batch_size}) "
           f"over the same {n} articles in the same process, median of {per}")
    shares = {}
    for label, runs_ in (("cold", cold), ("steady", steady)):
        total = sum(r["end_to_end_s"] for r in runs_)
        parts = {k: sum(r[f"{k}_s"] for r in runs_) / total
                 for k in ("nlp", "geoparse", "extract")}
        shares[label] = {k: round(v, 3) for k, v in parts.items()}
        h.show(f"{tag} share nlp/geoparse/events, {label}",
               " / ".join(f"{v:.0%}" for v in parts.values()),
               f"{label}; time inside Geoparser.geoparse_doc and EventExtractor.extract, "
               f"nlp the rest, over end-to-end time, pooled over the {per}")
    tokens = h.median(steady, "tokens")
    events = h.median(steady, "events")
    h.show(f"{tag} timed set", f"{n} articles",
           f"median {tokens:.0f} tokens and {events:.0f} events per set")
    return {"source": data.name, "method": f"{data.described}; warm-up {len(data.warm)}, "
            f"timed sets of {n}, median of {per}; cold = fresh process",
            "articles_per_set": n, "warmup_articles": len(data.warm),
            "cold_articles_per_s": round(cold_rate, 1),
            "steady_articles_per_s": round(steady_rate, 1),
            "cold_over_steady_time": round(slowdown, 2),
            "end_to_end_over_nlp_pipe": round(e2e_ratio, 2),
            "stage_shares": shares, "tokens_per_set": tokens, "events_per_set": events,
            "load_s": round(result["load_s"], 2)}


def run(timed: int = 100, warm: int = 50, runs: int = 3,
        sources: tuple[str, ...] = ("generated", "acled", "bbc")) -> dict:
    """Figures per source; ``timed`` and ``warm`` are ACLED/generated set sizes (BBC: 1/3, 1/2)."""
    figures: dict = {}
    load = []
    for data in _sources(warm, timed, runs, sources):
        if isinstance(data, str):
            print(f"   {data}", flush=True)
            figures.setdefault("skipped", []).append(data)
            continue
        result = h.cold_and_steady(data)
        figures[data.name] = _report(data, result, runs)
        load.append(result["load_s"])
    if load:
        h.show("model + pipeline load", f"{statistics.median(load):.2f} s",
               "fresh process: import, spaCy model, gazetteer, geoparser, extractor; "
               "median over the cold processes")
    return figures


if __name__ == "__main__":
    run()
