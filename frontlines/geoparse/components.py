"""spaCy components, so any pipeline can ``nlp.add_pipe("frontlines_toponyms")``.

* ``frontlines_toponyms`` writes ``doc.spans["toponyms"]`` (span label = the evidence:
  "head-word", "ner", "context", "gazetteer", "list").
* ``frontlines_geoparser`` writes ``doc._.toponyms: list[Toponym]`` (resolved places); it
  resolves ``doc.spans["toponyms"]`` when the recognizer ran before it, else recognises too.

Both take ``gazetteer`` (a path; default: the ``gazetteer`` setting) in their config; a
gazetteer object can be handed over with ``component.use_gazetteer(gaz)`` instead.
Each ``__call__`` is "compute, then write": ``match``/``resolve`` are pure reads of the doc.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from frontlines.geoparse._lexicon import Lexicon
from frontlines.geoparse.geoparser import SPANS_KEY, Geoparser, gazetteer_knows
from frontlines.geoparse.recognize import ToponymMatch, english_words, find_toponyms
from frontlines.model import Toponym

if TYPE_CHECKING:  # pragma: no cover
    from frontlines.gazetteer import Gazetteer

__all__ = ["GeoparserComponent", "ToponymRecognizer"]

if not Doc.has_extension("toponyms"):
    Doc.set_extension("toponyms", default=None)


def _open(path: str | None) -> Gazetteer:
    from frontlines.gazetteer import Gazetteer
    from frontlines.settings import Settings

    return Gazetteer(path or Settings().gazetteer)


class ToponymRecognizer:
    """Recognise toponyms; writes ``doc.spans["toponyms"]``."""

    def __init__(self, nlp: Language, name: str, *, gazetteer: str | None = None,
                 use_gazetteer: bool = True, lexicon: str | None = None) -> None:
        self.name = name
        self.lexicon = Lexicon.load(lexicon)
        self._path = gazetteer
        self._use = use_gazetteer
        self._knows = None
        self._common = english_words(nlp)

    def use_gazetteer(self, gazetteer: Gazetteer) -> None:
        """Check names against this gazetteer (instead of opening the configured path)."""
        self._knows = gazetteer_knows(gazetteer)
        self._use = True

    def _knower(self):
        if not self._use:
            return None
        if self._knows is None:
            self._knows = gazetteer_knows(_open(self._path))
        return self._knows

    def match(self, doc: Doc) -> list[ToponymMatch]:
        return find_toponyms(doc, lexicon=self.lexicon, knows=self._knower(),
                             common=self._common)

    def set_annotations(self, doc: Doc, matches: list[ToponymMatch]) -> None:
        spans = []
        for m in matches:
            span = doc.char_span(m.start, m.end, label=m.recognizer, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPANS_KEY] = spans

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc


class GeoparserComponent:
    """Resolve toponyms; writes ``doc._.toponyms``."""

    def __init__(self, nlp: Language, name: str, *, gazetteer: str | None = None,
                 lexicon: str | None = None) -> None:
        self.name = name
        self._path = gazetteer
        self._lexicon = lexicon
        self._geoparser: Geoparser | None = None

    def use_gazetteer(self, gazetteer: Gazetteer) -> None:
        self._geoparser = Geoparser(gazetteer, lexicon=Lexicon.load(self._lexicon))

    @property
    def geoparser(self) -> Geoparser:
        if self._geoparser is None:
            self.use_gazetteer(_open(self._path))
        assert self._geoparser is not None
        return self._geoparser

    def resolve(self, doc: Doc) -> list[Toponym]:
        return self.geoparser.geoparse_doc(doc)

    def set_annotations(self, doc: Doc, toponyms: list[Toponym]) -> None:
        doc._.toponyms = toponyms

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.resolve(doc))
        return doc


@Language.factory("frontlines_toponyms",
                  default_config={"gazetteer": None, "use_gazetteer": True, "lexicon": None})
def make_toponym_recognizer(nlp: Language, name: str, gazetteer: str | None,
                            use_gazetteer: bool, lexicon: str | None) -> ToponymRecognizer:
    return ToponymRecognizer(nlp, name, gazetteer=gazetteer, use_gazetteer=use_gazetteer,
                             lexicon=lexicon)


@Language.factory("frontlines_geoparser", default_config={"gazetteer": None, "lexicon": None})
def make_geoparser(nlp: Language, name: str, gazetteer: str | None,
                   lexicon: str | None) -> GeoparserComponent:
    return GeoparserComponent(nlp, name, gazetteer=gazetteer, lexicon=lexicon)
