"""Toponym recognition beyond spaCy's NER, as a pure function over a ``Doc``.

``find_toponyms(doc, lexicon=..., knows=...)`` returns ``ToponymMatch`` records; it reads
the doc (tokens, and NER/POS when the pipeline has them) and writes nothing, so it runs on
``spacy.blank("en")`` as well as on the full model. Evidence, strongest first:

* **head words** from ``data/geoparse/head_words.yaml``: "Jabal Halimah", "Kanzouha Hills",
  "Ras al-Kaf", "the Arsal crossing";
* **NER** GPE/LOC (and FAC when backed by the gazetteer or a head word);
* **context**: a capitalised name after a place cue ("near", "outskirts of", "in" ...) is a
  place even when NER said PERSON/ORG ("in Baalbek", "residents of Arsal");
* **gazetteer**: capitalised n-grams the gazetteer knows (``knows(name)``);
* **lists**: names coordinated with places ("Kanzouha Hills, Tal'at el-Khanzeer and Ras
  al-Kaf") are places too.

Armed groups, people (``non_places.yaml``), demonyms (``demonyms.csv``) and stop words never
become toponyms, and neither do names inside an armed group's name ("Saraya Ahl al-Sham").
"""


from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from frontlines.geoparse._lexicon import Lexicon, fold
from frontlines.geoparse._spans import (
    _PRIORITY,
    ToponymMatch,
    _following_head,
    _overlaps,
    _prefix_head,
    _runs,
    _suffix_head,
    place_cue,
)
from frontlines.geoparse._strategies import _Finder

__all__ = ["ToponymMatch", "describe_span", "english_words", "find_toponyms", "place_cue"]


def _select(matches: list[ToponymMatch]) -> list[ToponymMatch]:
    """Non-overlapping matches: longer first, then stronger evidence."""
    ranked = sorted(matches, key=lambda m: (-(m.end - m.start), -_PRIORITY[m.recognizer],
                                            m.start))
    chosen: list[ToponymMatch] = []
    for m in ranked:
        if any(_overlaps((m.start, m.end), (c.start, c.end)) for c in chosen):
            continue
        chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


def find_toponyms(doc: Doc, *, lexicon: Lexicon | None = None,
                  knows: Callable[[str], bool] | None = None,
                  common: Callable[[str], bool] | None = None) -> list[ToponymMatch]:
    """Toponyms in ``doc`` (pure: reads the doc, writes nothing), in text order.

    ``knows(name)`` says whether the gazetteer has the name (e.g.
    ``lambda n: gazetteer.has_key(name_key(n))``); without it only NER, head words, cues
    and lists count. ``common(word)`` says whether a lower-case word is ordinary English
    (see ``english_words``): with NER, a capitalised name NER missed and no cue introduces
    counts only when it is no English word and the gazetteer knows it.
    """
    finder = _Finder(doc, lexicon or Lexicon.load(), knows or (lambda _name: False), common)
    runs = _runs(doc)
    found: list[ToponymMatch] = []
    for run in runs:
        found.extend(finder.from_heads(run))
    found.extend(finder.from_ner())
    for run in runs:
        found.extend(finder.from_run(run))
    found.extend(finder.from_organisations(found))
    found.extend(finder.from_institutions(runs))
    found.extend(finder.from_institutions_of())
    found.extend(finder.from_datelines(runs))
    found.extend(finder.from_party_marks())
    found.extend(finder.from_residents())
    found.extend(finder.extra)
    chosen = _select(found)
    chosen = _select(chosen + finder.from_lists(runs, chosen))
    chosen = _select(chosen + finder.repeats(runs, chosen))
    return chosen


def english_words(nlp) -> Callable[[str], bool] | None:
    """``common(word)`` from the pipeline's rule lemmatizer index (WordNet words), if any."""
    try:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, AttributeError, ValueError):
        return None
    words: set[str] = set()
    for pos in table.keys():
        words.update(table[pos])
    words = frozenset(words)
    return words.__contains__ if words else None


def describe_span(doc: Doc, start: int, end: int, *, recognizer: str = "",
                  lexicon: Lexicon | None = None) -> ToponymMatch:
    """The ``ToponymMatch`` for a span found elsewhere (e.g. ``doc.spans["toponyms"]``)."""
    lexicon = lexicon or Lexicon.load()
    span = doc.char_span(start, end, alignment_mode="expand")
    exact = span is not None and span.start_char == start and span.end_char == end
    text = span.text if exact else doc.text[start:end]  # Doc.text joins every token
    if span is None or len(span) == 0:
        return ToponymMatch(start, end, text, recognizer or "external")
    i, j = span.start, span.end
    head = _prefix_head(doc, i, j, lexicon) or _suffix_head(doc, i, j, lexicon)
    stripped = None
    if head is None:
        follow = _following_head(doc, j, lexicon)
        if follow is not None:
            head = follow[0]
    elif head.strip:
        stripped = doc[i + 1:j].text if head.position == "prefix" else doc[i:j - 1].text
    if head is not None and head.position == "suffix" and stripped is None and head.strip:
        words = text.split()
        if len(words) > 1 and fold(words[-1]) in lexicon.suffix_heads:
            stripped = " ".join(words[:-1])
    cue = place_cue(doc, i, lexicon)
    finder_label = ""
    labels = [t.ent_type_ for t in span if t.ent_type_]
    if labels:
        finder_label = max(labels, key=labels.count)  # a tie: the first token's label
    return ToponymMatch(start, end, text, recognizer or "external",
                        classes=head.classes if head else (), stripped=stripped,
                        near=bool(cue and cue[0] == "near"), label=finder_label)
