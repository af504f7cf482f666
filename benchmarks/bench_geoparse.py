"""Geoparse speed on unseen texts: toponyms/s and articles/s, cold and steady state.

Texts: the GeoVirus articles from ../shared/data when present (news-length texts), else
generated reports (``benchmarks/corpus.py``). They are cut into a warm-up set and ``runs``
disjoint timed sets. spaCy parses every set once, untimed for the geoparse figures (its own
time over the timed sets is printed, and added in the "with spaCy" figures).

* cold: before each timed set every article-dependent memo is emptied: a new gazetteer
  connection and ``Geoparser`` (its resolver's lookup cache and recognizer's ``knows`` cache)
  and the process-wide ``name_key``, ``light_key`` and ``fold`` lru_caches.
* steady: the same emptying, then the warm-up set geoparsed (untimed), then each timed set.

The gazetteer is the configured index (``FRONTLINES_GAZETTEER``), built as the offline
default when absent. ``python -m benchmarks bench_geoparse``.
"""

from __future__ import annotations

import statistics
import time

from benchmarks import _harness as h


def _texts(warm: int, timed: int, runs: int) -> h.Split:
    gold = h.SHARED / "dev" / "geovirus" / "GeoVirus.xml"
    if gold.exists():
        from frontlines.geoparse import read_gold
        from frontlines.model import Article

        articles = [Article.make(text=a.text) for a in read_gold(gold)]
        return h.split("GeoVirus", "unseen GeoVirus articles", articles, warm=warm,
                       timed=timed, runs=runs)
    print(f"   GeoVirus skipped: {gold} is absent; generated reports instead", flush=True)
    return h.generated(warm=warm, timed=timed, runs=runs)


def _fresh(nlp, old=None):
    """A geoparser with every article-dependent memo empty (see the module docstring)."""
    from frontlines.gazetteer import Gazetteer, light_key, name_key
    from frontlines.geoparse import Geoparser
    from frontlines.geoparse._lexicon import fold  # no public way to empty it

    if old is not None:
        old.gazetteer.close()
    for memo in (name_key, light_key, fold):
        memo.cache_clear()
    return Geoparser(Gazetteer.open_default(), nlp=nlp)


def _geoparse(geoparser, docs) -> tuple[float, int]:
    started = time.perf_counter()
    toponyms = sum(len(geoparser.geoparse_doc(d)) for d in docs)
    return time.perf_counter() - started, toponyms


def run(timed: int = 50, warm: int = 50, runs: int = 3) -> dict:
    from frontlines.nlp import load_model
    from frontlines.settings import Settings

    settings = Settings()
    data = _texts(warm, timed, runs)
    nlp = load_model(settings.model)
    warm_docs = list(nlp.pipe([a.full_text for a in data.warm], batch_size=settings.batch_size))
    timed_docs, spacy_s = [], []
    for batch in data.timed:
        started = time.perf_counter()
        timed_docs.append(list(nlp.pipe([a.full_text for a in batch],
                                        batch_size=settings.batch_size)))
        spacy_s.append(time.perf_counter() - started)

    results: dict[str, list[tuple[float, int]]] = {"cold": [], "steady": []}
    geoparser = None
    for docs in timed_docs:
        geoparser = _fresh(nlp, geoparser)
        results["cold"].append(_geoparse(geoparser, docs))
    geoparser = _fresh(nlp, geoparser)
    _geoparse(geoparser, warm_docs)
    for docs in timed_docs:
        results["steady"].append(_geoparse(geoparser, docs))
    geoparser.gazetteer.close()

    n = data.size
    per = f"median of {runs} runs" if runs > 1 else "1 run"
    spacy_med = statistics.median(spacy_s)
    methods = {
        "cold": f"{n} {data.described}, cold: all geoparse memos emptied before each set, "
                f"1 process, {per}",
        "steady": f"{n} {data.described}, steady state after geoparsing {len(data.warm)} "
                  f"others, 1 process, {per}",
    }
    figures: dict = {"source": data.name, "articles_per_set": n,
                     "warmup_articles": len(data.warm), "methods": methods,
                     "spacy_s": round(spacy_med, 2)}
    h.show("spaCy over a timed set", f"{spacy_med:.2f} s",
           f"nlp.pipe of {settings.model} over {n} {data.described}, {per}")
    for label, measured in results.items():
        seconds = statistics.median(s for s, _ in measured)
        topo_rate = statistics.median(t / s for s, t in measured)
        art_rate = statistics.median(n / s for s, _ in measured)
        with_spacy = statistics.median(n / (s + sp) for (s, _), sp in zip(measured, spacy_s,
                                                                          strict=True))
        h.show(f"geoparse, {label}", f"{topo_rate:.0f} toponyms/s", methods[label])
        h.show(f"geoparse, {label}", f"{art_rate:.1f} articles/s", methods[label])
        h.show(f"geoparse + spaCy, {label}", f"{with_spacy:.1f} articles/s",
               "as above, plus the set's own nlp.pipe time")
        figures.update({f"{label}_geoparse_s": round(seconds, 2),
                        f"{label}_toponyms_per_s": round(topo_rate, 1),
                        f"{label}_articles_per_s": round(art_rate, 1),
                        f"{label}_articles_per_s_with_spacy": round(with_spacy, 1)})
    slowdown = (statistics.median(s for s, _ in results["cold"])
                / statistics.median(s for s, _ in results["steady"]))
    h.show("geoparse cold / steady time", f"{slowdown:.2f}x",
           "median cold time over median steady time, same timed sets")
    figures["cold_over_steady_time"] = round(slowdown, 2)
    figures["toponyms_per_set"] = statistics.median(t for _, t in results["steady"])
    return figures


if __name__ == "__main__":
    run()
