"""Geoparse speed: toponyms/s and articles/s, without and with spaCy's own time.

Texts: the GeoVirus articles from ../shared/data when present (news-length texts), else our
fixture articles repeated. Gazetteer: the configured index (``FRONTLINES_GAZETTEER``), built
as the offline default when absent. ``python -m benchmarks bench_geoparse``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRONTLINES_SHARED_DATA", REPO.parent / "shared" / "data"))


def _texts(limit: int) -> tuple[str, list[str]]:
    gold = SHARED / "dev" / "geovirus" / "GeoVirus.xml"
    if gold.exists():
        from frontlines.geoparse import read_gold

        return "GeoVirus", [a.text for a in read_gold(gold)][:limit]
    entries = yaml.safe_load((REPO / "tests" / "fixtures" / "geoparse" / "articles.yaml")
                             .read_text(encoding="utf-8"))
    texts = [f"{e['title']}\n\n{e['text']}" for e in entries]
    return "fixtures", (texts * (limit // len(texts) + 1))[:limit]


def run(limit: int = 200) -> dict:
    from frontlines.gazetteer import Gazetteer
    from frontlines.geoparse import Geoparser
    from frontlines.nlp import load_model

    source, texts = _texts(limit)
    nlp = load_model()
    gazetteer = Gazetteer.open_default()
    geoparser = Geoparser(gazetteer, nlp=nlp)

    started = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    spacy_s = time.perf_counter() - started

    # cold: caches empty (first pass); warm: second pass over the same docs
    figures = {"source": source, "articles": len(docs), "spacy_s": round(spacy_s, 2)}
    for label in ("cold", "warm"):
        if label == "cold":
            geoparser = Geoparser(gazetteer, nlp=nlp)
        started = time.perf_counter()
        toponyms = sum(len(geoparser.geoparse_doc(d)) for d in docs)
        geo_s = time.perf_counter() - started
        figures[f"{label}_geoparse_s"] = round(geo_s, 2)
        figures[f"{label}_toponyms_per_s"] = round(toponyms / geo_s, 1)
        figures[f"{label}_articles_per_s"] = round(len(docs) / geo_s, 1)
        figures[f"{label}_articles_per_s_with_spacy"] = round(len(docs) / (geo_s + spacy_s), 1)
        figures[f"{label}_toponyms_per_s_with_spacy"] = round(toponyms / (geo_s + spacy_s), 1)
        figures["toponyms"] = toponyms
    for key, value in figures.items():
        print(f"   {key}: {value}")
    return figures


if __name__ == "__main__":
    run()
