"""Token-level pieces of toponym recognition: the ``ToponymMatch`` record, capitalised runs,
connectors and Arabic articles, span trimming and head words (pure functions over a ``Doc``)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from frontlines.geoparse._lexicon import HeadWord, Lexicon, fold

# Lower-case words that may sit inside a multi-word name ("Tal'at el-Khanzeer", "Bay of Biscay").
_CONNECTORS = frozenset({
    "al", "el", "il", "ul", "ad", "ed", "ash", "esh", "ech", "at", "et", "az", "ez", "an", "en",
    "ar", "er", "as", "es", "ath", "adh", "ej", "aj", "ibn", "bin", "bint", "abu", "umm",
    "de", "du", "des", "la", "le", "da", "di", "do", "dos", "del", "van", "von",
    "-", "'", "’", "'s", "’s",
})
# Arabic articles that are also English words: connectors only when hyphenated ("as-Sukhnah").
_HYPHEN_ONLY = frozenset({"ad", "ed", "at", "et", "an", "en", "ar", "er", "as", "es", "de", "do",
                          "la", "le", "da", "di"})
# Connectors that may not end a name or sit next to another connector at its edge.
_WEAK_CONNECTORS = frozenset({"of", "the", "'s", "’s", "-", "'", "’"})
_PLACE_LABELS = frozenset({"GPE", "LOC"})
_LIST_SEPARATORS = ((",",), ("and",), (",", "and"), ("or",), (",", "or"), ("&",), ("/",))
_PRIORITY = {"head-word": 5, "ner": 4, "context": 3, "gazetteer": 2, "organisation": 2,
             "list": 1, "repeat": 0}


@dataclass(frozen=True, slots=True)
class ToponymMatch:
    """One recognised toponym: character span in ``doc.text`` and the evidence for it."""

    start: int
    end: int
    text: str
    recognizer: str  # "head-word" | "ner" | "context" | "gazetteer" | "list"
    classes: tuple[str, ...] = ()  # preferred GeoNames feature classes, best first
    stripped: str | None = None  # the name without its head word, when the head may go
    near: bool = False  # a cue says the event is near/around the place, not in it
    label: str = ""  # the NER label of the span, if any
    # Only the gazetteer backs it and NER missed it or disagreed: the resolver keeps it
    # only when it lies near the article's other places.
    tentative: bool = False


@dataclass(slots=True)
class _Run:
    """A maximal run of capitalised tokens (with connectors), token indexes [i, j)."""

    i: int
    j: int


def place_cue(doc: Doc, i: int, lexicon: Lexicon) -> tuple[str, str] | None:
    """The cue before token ``i`` as (strength, cue): "strong"/"weak"/"near", or None.

    "the" and Arabic articles between cue and name are skipped ("near the town of al-Qaa").
    """
    k = i
    if k > 1 and doc[k - 1].text in ("-", "‑") and doc[k - 2].lower_ in _ARTICLE_WORDS:
        k -= 2  # "from al-Mayadin": the article written apart from the name
    while k > 0 and doc[k - 1].lower_ in ("the", "a"):
        k -= 1
    words: list[str] = []
    best: tuple[str, str] | None = None
    for n in range(1, lexicon.max_cue_words + 1):
        if k - n < 0:
            break
        words.insert(0, doc[k - n].lower_)
        cue = fold(" ".join(words))
        if cue in lexicon.near_cues:
            return ("near", cue)
        if cue in lexicon.strong_cues:
            best = ("strong", cue)
        elif cue in lexicon.weak_cues and best is None:
            best = ("weak", cue)
    return best


def _capitalised(tok: Token) -> bool:
    text = tok.text.lstrip("'’`ʿ")
    return bool(text) and text[0].isupper() and any(c.isalpha() for c in text)


def _sentence_start(doc: Doc, i: int, starts: frozenset[int] = frozenset()) -> bool:
    if i == 0 or i in starts:
        return True
    prev = doc[i - 1].text
    return prev in (".", "!", "?", ":", ";", '"', "“", "”", "(", "-", "—", "–") or "\n" in prev


def _runs(doc: Doc) -> list[_Run]:
    runs: list[_Run] = []
    i, n = 0, len(doc)
    while i < n:
        if not _capitalised(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < n:
            if "\n" in doc[j - 1].whitespace_ or "\n" in doc[j].text:
                break
            if _capitalised(doc[j]):
                j += 1
                continue
            # connectors, only when a capitalised token follows them
            k = j
            while k < n and _connects(doc, k) and k - j < 3:
                k += 1
            if k > j and k < n and _capitalised(doc[k]):
                j = k + 1
                continue
            break
        runs.append(_Run(i, j))
        i = j
    return runs


def _connects(doc: Doc, k: int) -> bool:
    low = doc[k].lower_
    if low not in _CONNECTORS:
        return False
    if low in _HYPHEN_ONLY:
        return k + 1 < len(doc) and doc[k + 1].text in ("-", "‐") and not doc[k].whitespace_
    return True


def _char_span(doc: Doc, i: int, j: int) -> tuple[int, int]:
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)


def _trim(doc: Doc, i: int, j: int) -> tuple[int, int]:
    """Drop leading articles/connectors, a party mark ("D-" of "D-Iowa City") and trailing
    connectors/possessives."""
    while i < j and (doc[i].lower_ in ("the", "a", "an") or doc[i].lower_ in _WEAK_CONNECTORS):
        i += 1
    if _party_mark(doc, i) and i + 2 < j:
        i += 2
    while j > i and (doc[j - 1].lower_ in _CONNECTORS or doc[j - 1].lower_ in _WEAK_CONNECTORS):
        j -= 1
    return i, j


_PARTY_MARKS = frozenset({"D", "R", "I", "DFL"})  # US parties; Minnesota's Democrats


def _party_mark(doc: Doc, i: int) -> bool:
    """Tokens i, i+1 are a US party mark before a politician's home ("Rep. Jerry McNerney,
    D-Pleasanton", "(R-Elbow Lake)", "D-N.J.")."""
    if i + 2 >= len(doc) or doc[i].text not in _PARTY_MARKS or \
            doc[i + 1].text not in ("-", "–") or doc[i].whitespace_ or doc[i + 1].whitespace_:
        return False
    home = doc[i + 2]
    return _capitalised(home) and (home.is_alpha or "." in home.text)


_ARTICLE_WORDS = frozenset({"al", "el", "ar", "as", "ash", "an", "ad", "az", "at", "ath", "ech",
                            "ed", "es", "et", "ez", "en", "er"})


def _after_article(doc: Doc, i: int, j: int) -> int:
    """The token after a lower-case Arabic article hyphenated onto the name in [i, j)
    ("al-Hasakeh", "as-Sukhnah"), else ``i``."""
    if i + 2 < j and doc[i].lower_ in _ARTICLE_WORDS and doc[i + 1].text in ("-", "‑") and \
            not doc[i].whitespace_ and not doc[i + 1].whitespace_:
        return i + 2
    return i


def _extend(doc: Doc, i: int, j: int) -> tuple[int, int]:
    """Take in an Arabic article before the name ("Al Qa'", "al-Hasakeh") and a final ayn
    apostrophe written onto it."""
    if i > 0 and doc[i - 1].text[:1].isupper() and doc[i - 1].lower_ in _ARTICLE_WORDS and \
            (doc[i - 1].whitespace_ or doc[i].text == "-") and _article_fits(doc[i - 1], doc[i]):
        i -= 1
    elif i > 1 and _after_article(doc, i - 2, i + 1) == i and _article_fits(doc[i - 2], doc[i]):
        i -= 2  # a lower-case article hyphenated onto it: "al-Hasakeh", "as-Suwayda"
    if j < len(doc) and doc[j].text in ("'", "’", "ʿ") and not doc[j - 1].whitespace_ and \
            not (doc[j - 1].text.endswith("s") and doc[j].text != "ʿ") and \
            (j + 1 >= len(doc) or not doc[j + 1].text[:1].isalpha() or doc[j].whitespace_):
        j += 1
    return i, j


def _article_fits(article: Token, name: Token) -> bool:
    """An Arabic article before a name: "al"/"el" before any name; an assimilated one
    ("an", "as", "ash", "ar" ...) only before its own consonant ("An Nabatiyah", "As
    Suwayda", "Ash Sharqiyah"; not "An Albany")."""
    low = article.lower_
    if low in ("al", "el") or name.text == "-":
        return True
    consonant = low[1:] if low[0] in "ae" else low
    return name.lower_.startswith(consonant)


def _prefix_head(doc: Doc, i: int, j: int, lexicon: Lexicon) -> HeadWord | None:
    if j - i < 2:
        return None
    return lexicon.prefix_heads.get(fold(doc[i].text).rstrip("."))


def _suffix_head(doc: Doc, i: int, j: int, lexicon: Lexicon) -> HeadWord | None:
    if j - i < 2:
        return None
    return lexicon.suffix_heads.get(fold(doc[j - 1].text))


def _following_head(doc: Doc, j: int, lexicon: Lexicon) -> tuple[HeadWord, int] | None:
    """A lower-case suffix head right after a run ("Arsal crossing", "border crossing")."""
    for width in (2, 1):
        if j + width > len(doc):
            continue
        words = " ".join(t.text for t in doc[j:j + width])
        if any(_capitalised(t) for t in doc[j:j + width]):
            continue
        head = lexicon.suffix_heads.get(fold(words).rstrip("."))
        if head is not None and not head.capitalised_only:
            return head, j + width
    return None


def _is_stop(name: str, lexicon: Lexicon) -> bool:
    key = fold(name)
    return key in lexicon.stop_words or key in lexicon.demonyms


def _inside(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return b[0] <= a[0] and a[1] <= b[1]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]

