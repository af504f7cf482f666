"""``Geoparser``: recognition + resolution over a spaCy Doc or an ``Article``."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from frontlines.geoparse._lexicon import Lexicon
from frontlines.geoparse.focus import Focus, article_focus
from frontlines.geoparse.recognize import (
    ToponymMatch,
    describe_span,
    english_words,
    find_toponyms,
)
from frontlines.geoparse.resolve import Resolver
from frontlines.geoparse.sources import article_region
from frontlines.model import Article, Toponym

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

    from frontlines.gazetteer import Gazetteer

__all__ = ["SPANS_KEY", "Geoparser", "gazetteer_knows"]

SPANS_KEY = "toponyms"


def gazetteer_knows(gazetteer: Gazetteer, *, cache_size: int = 100_000) -> Callable[[str], bool]:
    """``knows(name)`` for the recognizer: does the gazetteer have this name's key?"""
    from frontlines.gazetteer import name_key

    @functools.lru_cache(maxsize=cache_size)
    def knows(name: str) -> bool:
        key = name_key(name)
        return bool(key) and len(key) >= 2 and gazetteer.has_key(key)

    return knows


class Geoparser:
    """Find the toponyms of an article and resolve them with ``gazetteer``.

    ``nlp`` is the spaCy pipeline used by ``geoparse(article)`` (default: the shared model
    via ``frontlines.nlp.load_model()``, loaded on first use). ``geoparse_doc`` takes a Doc
    the caller built from ``Article.full_text``; offsets in the returned toponyms are
    character offsets into that text. When the doc already has ``doc.spans["toponyms"]``
    (the ``frontlines_toponyms`` component ran), those spans are resolved as they are.
    """

    def __init__(self, gazetteer: Gazetteer, *, nlp: Language | None = None,
                 lexicon: Lexicon | None = None, region: Sequence[str] | None = None) -> None:
        self.gazetteer = gazetteer
        if region is None:
            from frontlines.settings import Settings, region_codes

            region = region_codes(Settings().region)
        self.region = tuple(region)  # area of interest (ISO2 codes); () = none
        self._nlp = nlp
        self.lexicon = lexicon or Lexicon.load()
        self.knows = gazetteer_knows(gazetteer)
        self.resolver = Resolver(gazetteer, lexicon=self.lexicon, region=self.region)
        self._common: Callable[[str], bool] | None = None
        self._common_ready = False

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            from frontlines.nlp import load_model
            from frontlines.settings import Settings

            self._nlp = load_model(Settings().model)
        return self._nlp

    def recognize(self, doc: Doc) -> list[ToponymMatch]:
        """Toponym spans of ``doc``, from ``doc.spans["toponyms"]`` when present."""
        if SPANS_KEY in doc.spans:
            return [describe_span(doc, s.start_char, s.end_char, recognizer=s.label_,
                                  lexicon=self.lexicon) for s in doc.spans[SPANS_KEY]]
        return find_toponyms(doc, lexicon=self.lexicon, knows=self.knows,
                             common=self.common_words(doc))

    def common_words(self, doc: Doc) -> Callable[[str], bool] | None:
        """The English-word test, from the pipeline (only needed for docs with NER)."""
        if not self._common_ready and doc.has_annotation("ENT_IOB"):
            self._common = english_words(self.nlp)
            self._common_ready = True
        return self._common

    def resolve(self, doc: Doc, matches: list[ToponymMatch], *,
                region: Sequence[str] | None = None) -> list[Toponym]:
        sentences: list[tuple[int, int]] = []
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            sentences = [(s.start_char, s.end_char) for s in doc.sents]
        resolver = self.resolver
        if region is not None and tuple(region) != self.region:
            resolver = copy.copy(self.resolver)  # shares the look-up cache
            resolver.region = tuple(region)
        return resolver.resolve(doc.text, matches, sentences=sentences)

    def geoparse_doc(self, doc: Doc, *, article: Article | None = None) -> list[Toponym]:
        """Toponyms of ``doc`` (built from ``Article.full_text``), each placed or explained.
        ``article``: its outlet's home country joins the area of interest."""
        region = article_region(article, self.region) if article is not None else None
        return self.resolve(doc, self.recognize(doc), region=region)

    def geoparse(self, article: Article) -> list[Toponym]:
        """Toponyms of ``article``; offsets refer to ``article.full_text``."""
        return self.geoparse_doc(self.nlp(article.full_text), article=article)

    def focus(self, text: str, toponyms: Sequence[Toponym], *, actors: Iterable[str] = (),
              article: Article | None = None) -> Focus:
        """The article's country focus (``frontlines.geoparse.focus``), for later stages."""
        region = article_region(article, self.region)
        return article_focus(text, toponyms, lexicon=self.lexicon, actors=actors, region=region)

    def geoparse_text(self, text: str) -> list[Toponym]:
        """Toponyms of a plain text (offsets into ``text``)."""
        return self.geoparse_doc(self.nlp(text))
