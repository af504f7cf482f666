"""Toponym recognition and resolution: spaCy components, ``Geoparser``, evaluation.

    from frontlines.geoparse import Geoparser
    geoparser = Geoparser(gazetteer)                 # nlp: the shared model by default
    geoparser.geoparse(article) -> list[Toponym]     # offsets into article.full_text
    geoparser.geoparse_doc(doc) -> list[Toponym]     # doc built from article.full_text

    nlp.add_pipe("frontlines_toponyms")              # writes doc.spans["toponyms"]
    nlp.add_pipe("frontlines_geoparser")             # writes doc._.toponyms

    find_toponyms(doc, knows=...) -> list[ToponymMatch]   # pure; works on spacy.blank("en")
    evaluate_geoparse(["lgl.xml", "GeoVirus.xml"], geoparser=g) -> GeoparseReport

Word lists (head words, armed groups, people, demonyms, cues, country aliases) are data in
``frontlines/data/geoparse/``.
"""

from __future__ import annotations

from frontlines.geoparse._lexicon import Lexicon
from frontlines.geoparse.components import GeoparserComponent, ToponymRecognizer
from frontlines.geoparse.evaluate import (
    GeoparseReport,
    GeoparseScores,
    auc_of_errors,
    evaluate_geoparse,
    main,
    read_gold,
)
from frontlines.geoparse.geoparser import SPANS_KEY, Geoparser, gazetteer_knows
from frontlines.geoparse.recognize import ToponymMatch, describe_span, find_toponyms
from frontlines.geoparse.resolve import Resolver, geo_precision

__all__ = [
    "SPANS_KEY",
    "GeoparseReport",
    "GeoparseScores",
    "Geoparser",
    "GeoparserComponent",
    "Lexicon",
    "Resolver",
    "ToponymMatch",
    "ToponymRecognizer",
    "auc_of_errors",
    "describe_span",
    "evaluate_geoparse",
    "find_toponyms",
    "gazetteer_knows",
    "geo_precision",
    "main",
    "read_gold",
]
