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

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from frontlines.geoparse._lexicon import HeadWord, Lexicon, fold

__all__ = ["ToponymMatch", "describe_span", "english_words", "find_toponyms", "place_cue"]

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


def _extend(doc: Doc, i: int, j: int) -> tuple[int, int]:
    """Take in a capitalised Arabic article before the name ("Al Qa'") and a final ayn
    apostrophe written onto it."""
    if i > 0 and doc[i - 1].text[:1].isupper() and doc[i - 1].lower_ in _ARTICLE_WORDS and \
            (doc[i - 1].whitespace_ or doc[i].text == "-") and _article_fits(doc[i - 1], doc[i]):
        i -= 1
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


class _Finder:
    """State for one ``find_toponyms`` call."""

    def __init__(self, doc: Doc, lexicon: Lexicon, knows: Callable[[str], bool],
                 common: Callable[[str], bool] | None = None) -> None:
        self.doc = doc
        self._common = common
        self.lexicon = lexicon
        self._knows = knows
        self._known: dict[str, bool] = {}
        self.text = doc.text  # Doc.text joins every token: build it once
        self.blocked = lexicon.blocked_ranges(self.text)
        self.has_ner = doc.has_annotation("ENT_IOB")
        self.has_pos = doc.has_annotation("TAG")
        parsed = doc.has_annotation("SENT_START") or doc.has_annotation("DEP")
        self.sent_starts = frozenset(s.start for s in doc.sents) if parsed else frozenset()
        self.ents = list(doc.ents)
        self.extra: list[ToponymMatch] = []  # second halves of split names (see ``refine``)
        self.people = frozenset(fold(p) for p in lexicon.people)  # folded once, not per name
        # surnames of people the text names in full ("Henry Farrin" ... "Farrin said"):
        # the bare surname elsewhere in the text is the person, not a place
        self.surnames = frozenset(
            fold(ent[-1].text) for ent in self.ents
            if ent.label_ == "PERSON" and len(ent) > 1 and self._full_name(ent)
        ) | self._titled_names()
        self.ent_of: dict[int, tuple[int, int, str]] = {}
        for ent in self.ents:
            for t in range(ent.start, ent.end):
                self.ent_of[t] = (ent.start, ent.end, ent.label_)

    def _full_name(self, ent) -> bool:
        """A PERSON entity that reads as a person's full name: all tokens capitalised and,
        when tagged, proper nouns ("Henry Farrin"; not "Rethinking Egypt")."""
        tokens = [t for t in ent if t.text not in (".", "-")]
        if not all(_capitalised(t) for t in tokens):
            return False
        return not self.has_pos or all(t.tag_ in ("NNP", "NNPS") for t in tokens)

    def _titled_names(self) -> frozenset[str]:
        """Names written right after a title ("President Saakashvili", "Mr. Hartmann",
        "Gov. Tim Pawlenty"): the last word of the name is a person's everywhere in the
        text."""
        doc, titles, out = self.doc, self.lexicon.titles, set()
        if not titles:
            return frozenset()
        n = len(doc)
        for k in range(n - 1):
            if fold(doc[k].text).rstrip(".") not in titles:
                continue
            if k > 0 and _capitalised(doc[k - 1]) and not _capitalised(doc[k]):
                continue  # "Arsal mayor ..." is not a title before a name
            e = k + 1
            if e < n and doc[e].text == ".":
                e += 1
            s = e
            while e < n and e - s < 4 and _capitalised(doc[e]) and \
                    fold(doc[e].text).rstrip(".") not in titles and \
                    "\n" not in doc[e - 1].whitespace_:
                e += 1
            if e > s and doc[e - 1].text[:1].isupper() and len(doc[e - 1].text) > 2:
                out.add(fold(doc[e - 1].text))
        return frozenset(out)

    def _lexicon_region(self, name: str) -> bool:
        """The lexicon lists the name as a region or a country's other name ("DRC", "NSW")."""
        key = fold(name)
        return key in self.lexicon.regions or key in self.lexicon.country_aliases

    def knows(self, name: str) -> bool:
        name = name.strip()
        if name not in self._known:
            self._known[name] = bool(name) and not _is_stop(name, self.lexicon) and (
                self._lexicon_region(name) or self._knows(name))
        return self._known[name]

    def is_blocked(self, span: tuple[int, int], *, has_head: bool, known: bool) -> bool:
        for start, end, kind in self.blocked:
            if _inside(span, (start, end)):
                return True
            # "Tal Hassan" may hold a first name; nothing built on "Hezbollah" is a place
            if _overlaps(span, (start, end)) and not (
                    known or (has_head and kind == "person")):
                return True
        return False

    def label(self, i: int, j: int) -> str:
        """The NER label covering most of tokens [i, j), or ""."""
        labels = [self.ent_of[t][2] for t in range(i, j) if t in self.ent_of]
        if len(labels) * 2 < (j - i):
            return ""
        # the most frequent label; a tie goes to the first token's (not to set order)
        return max(labels, key=labels.count) if labels else ""

    def proper(self, i: int, j: int) -> bool:
        """Tokens look like a proper name: PROPN tags when tagged, else not a stop word."""
        text = self.doc[i:j].text
        if _is_stop(text, self.lexicon):
            return False
        if j - i == 1 and fold(text) in self.lexicon.stop_words:
            return False
        if self.has_pos:
            tags = [t.tag_ for t in self.doc[i:j] if _capitalised(t)]
            if tags and any(tag in ("NNP", "NNPS") for tag in tags):
                return True
            # the tagger calls a rare capitalised word a common noun ("In Rusape, ..."):
            # inside a sentence and no English word, it is a name all the same
            return bool(tags) and all(tag == "NN" for tag in tags) and \
                not _sentence_start(self.doc, i, self.sent_starts) and self._exotic(i, j)
        return True

    def _placeish(self, i: int, j: int) -> bool:
        """Tokens [i, j) name a place on their own: the gazetteer knows them, or they end in
        a capitalised county-like word ("Anderson County")."""
        if i >= j or not self.proper(i, j):
            return False
        if self.knows(self.doc[i:j].text):
            return True
        last = self.doc[j - 1]
        return j - i > 1 and _capitalised(last) and fold(last.text) in self.lexicon.county_words

    def _qualifier(self, k: int) -> bool:
        """Token ``k`` qualifies the name after it without being part of it: "Northeast"
        (Georgia), "Historic" (Dublin); at the start of a sentence also a stop word or a
        number ("An Albany", "Six Clayton County", "Only Jefferson County")."""
        tok, lex = self.doc[k], self.lexicon
        word = fold(tok.text)
        if word.rstrip(".") in lex.prefix_heads or word in lex.suffix_heads:
            return False
        if word in lex.qualifiers:
            return True
        return _sentence_start(self.doc, k, self.sent_starts) and (tok.is_stop or tok.like_num)

    def refine(self, i: int, j: int, recognizer: str) -> tuple[int, int]:
        """The place name inside tokens [i, j) when the whole is not a known name:

        * a possessive or a hyphen between two known names: the first ("Moscow's Domodedovo
          Airport", "Paris-Henry County"); the second becomes a match of its own;
        * qualifiers in front ("Northeast Georgia", "S.E. Paris", "An Albany");
        * organisation words after ("Ohio State", "Dublin City Schools", "Henry County
          Jail", "West Virginia Democratic Party");
        * a lower-case administrative word after, as in a head-word match ("Kermanshah
          province").
        """
        doc, lex = self.doc, self.lexicon
        if j - i < 2 or self.knows(doc[i:j].text):
            return i, j
        for p in range(i + 1, j - 1):
            possessive = doc[p].lower_ in ("'s", "’s")
            hyphen = doc[p].text == "-" and not doc[p].whitespace_ and \
                not doc[p - 1].whitespace_
            if not (possessive or hyphen) or not _capitalised(doc[p + 1]):
                continue
            if fold(doc[p - 1].text).rstrip(".") in lex.prefix_heads or \
                    doc[p - 1].lower_ in _CONNECTORS or doc[p - 1].lower_ in _ARTICLE_WORDS:
                continue  # "Ra's al-Ayn", "Ras al-Kaf"
            if not self._placeish(i, p):
                continue
            right = _trim(doc, p + 1, j)
            if possessive:
                # "Moscow's Domodedovo Airport"; not "Moore's Ford", "Martha's Vineyard"
                right_ok = bool(_suffix_head(doc, *right, lex) or _prefix_head(doc, *right, lex))
            else:
                # "Paris-Henry County"; not "Baalbek-Hermel Governorate", "Wilkes-Barre"
                right_ok = self.knows(doc[right[0]:right[1]].text) and \
                    fold(doc[right[1] - 1].text) in lex.county_words
            if right_ok:
                m = self.make(*right, recognizer)
                if m:
                    self.extra.append(m)
                return i, p
        k = i
        while k < j - 1 and self._qualifier(k):
            k += 1
        while k < j - 1 and doc[k].lower_ in ("of", "the", "-"):
            k += 1
        if k > i and self._placeish(k, j):
            return self.refine(k, j, recognizer)
        for p in range(j - 1, i, -1):
            word = fold(doc[p].text).rstrip(".")
            if word not in lex.organisation_words or doc[p - 1].lower_ in _CONNECTORS:
                continue
            a, e = _trim(doc, i, p)
            if e > a and self._placeish(a, e):
                return a, e
        last = doc[j - 1]
        head = lex.suffix_heads.get(fold(last.text))
        if head is not None and not head.in_span and not _capitalised(last) and \
                "A" in head.classes:
            return _trim(doc, i, j - 1)
        return i, j

    def make(self, i: int, j: int, recognizer: str, *, head: HeadWord | None = None,
             end_char: int | None = None) -> ToponymMatch | None:
        i, j = _extend(self.doc, *_trim(self.doc, i, j))
        if i >= j:
            return None
        while j - i > 1 and self.doc[j - 1].text in (".", ",", ";", ":", "!", "?") and \
                "." not in self.doc[j - 2].text:
            j -= 1  # "St. Patrick's Day." (not the ayn of "Al Qa'" nor "W.Va.")
        if j - i > 1 and fold(self.doc[j - 1].text) in self.lexicon.non_place_ends:
            return None
        if end_char is None:
            a, e = self.refine(i, j, recognizer)
            if (a, e) != (i, j):
                i, j, head = a, e, None
                if i >= j:
                    return None
            elif self._organisation(i, j):
                return None
            j = self._abbreviation_end(i, j)
        start, end = _char_span(self.doc, i, j)
        if end_char is not None:
            end = end_char
        text = self.text[start:end]
        if _is_stop(text, self.lexicon):
            return None
        cue = place_cue(self.doc, i, self.lexicon)
        if j - i == 1 and fold(text) in self.surnames and not (
                cue and cue[0] in ("strong", "near") and cue[1] not in self.lexicon.verb_cues):
            return None
        stripped = None
        last = self.lexicon.suffix_heads.get(fold(self.doc[j - 1].text))
        if head is not None and head.strip and head.position == "prefix":
            stripped = self.doc[i + 1:j].text
        elif head is not None and head.strip and end_char is not None:
            stripped = self.text[start:_char_span(self.doc, i, j)[1]]
        elif j - i > 1 and last is not None and last.strip:
            stripped = self.doc[i:j - 1].text  # "Daher el-Khanzeer Hills" -> without "Hills"
        return ToponymMatch(start, end, text, recognizer,
                            classes=head.classes if head else (),
                            stripped=stripped or None,
                            near=bool(cue and cue[0] == "near"),
                            label=self.label(i, j))

    # --- evidence -------------------------------------------------------------------
    def _organisation(self, i: int, j: int) -> bool:
        """Tokens [i, j) name an organisation or building, not a place: they end in an
        organisation word that is no place head ("Webb Center", "City Hall", "Yokohama
        Japanese Restaurant"), no place name comes before it and the gazetteer does not know
        the whole."""
        doc, lex = self.doc, self.lexicon
        last = fold(doc[j - 1].text).rstrip(".")
        if j - i < 2 or last not in lex.organisation_words or last in lex.suffix_heads:
            return False
        return not self.knows(doc[i:j].text)

    def _abbreviation_end(self, i: int, j: int) -> int:
        """Take in the full stop of an abbreviated name ("W.Va." from "W.Va" + ".")."""
        doc = self.doc
        if j >= len(doc) or doc[j].text != "." or doc[j - 1].whitespace_:
            return j
        text = doc[i:j].text
        if self._lexicon_region(text + ".") or (
                "." in text.strip(".") and len(doc[j - 1].text) <= 4):
            return j + 1
        return j

    def _name_token(self, t: int) -> bool:
        tok = self.doc[t]
        return _capitalised(tok) and fold(tok.text) not in self.lexicon.stop_words and \
            fold(tok.text) not in self.lexicon.demonyms

    def _head_match(self, i: int, j: int, head: HeadWord,
                    end_char: int | None = None) -> ToponymMatch | None:
        span = _char_span(self.doc, i, j)
        if self.is_blocked(span, has_head=True, known=False):
            return None
        return self.make(i, j, "head-word", head=head, end_char=end_char)

    def _numbered_road(self, p: int, first: int, head: HeadWord) -> ToponymMatch | None:
        """A road named by a number at token ``p`` ("Highway 19"), with the authority before
        it ("County Road 15", "State Highway 360", "Illinois Route 159") and a direction
        after it ("Interstate 64 West")."""
        doc, lex = self.doc, self.lexicon
        s, e = p, p + 2
        while s > first and p - s < 2 and _capitalised(doc[s - 1]) and (
                fold(doc[s - 1].text).rstrip(".") in lex.road_authorities or
                fold(doc[s - 1].text) in lex.regions):
            s -= 1
        if e < len(doc) and _capitalised(doc[e]) and doc[e - 1].whitespace_ and \
                fold(doc[e].text).rstrip(".") in ("north", "south", "east", "west", "n", "s",
                                                  "e", "w"):
            e += 1
        return self._head_match(s, e, head)

    def from_heads(self, run: _Run) -> list[ToponymMatch]:
        """Names built on a head word anywhere in the run ("Army shells Jabal Halimah")."""
        doc, lex, out = self.doc, self.lexicon, []
        i, j = _trim(doc, run.i, run.j)
        p = i
        while p < j:
            word = fold(doc[p].text).rstrip(".")
            head = lex.prefix_heads.get(word)
            if head is not None and head.numbered:
                if _capitalised(doc[p]) and p + 1 < len(doc) and doc[p + 1].like_num:
                    m = self._numbered_road(p, i, head)
                    if m:
                        out.append(m)
                    p += 1
                    continue
                head = None  # "Highway Patrol" is no road; "Telegraph Road" is one below
            if head is not None and p + 1 < j and (
                    doc[p + 1].lower_ in _CONNECTORS or self._name_token(p + 1)):
                e = p + 1
                names = 0
                while e < j and names < 4:
                    if any(b[0] <= doc[e].idx < b[1] for b in self.blocked):
                        break
                    if doc[e].lower_ not in _CONNECTORS:
                        if not _capitalised(doc[e]):
                            break
                        names += 1
                    e += 1
                    if fold(doc[e - 1].text) in lex.suffix_heads:
                        break
                _a, e = _trim(doc, p + 1, e)
                if e > p + 1 and names:
                    m = self._head_match(p, e, head)
                    if m:
                        out.append(m)
                    p = e
                    continue
            head = lex.suffix_heads.get(word)
            if head is not None and p > i and _capitalised(doc[p]):
                s = p
                while s > i and p - s < 4 and (self._name_token(s - 1) or (
                        doc[s - 1].lower_ in _CONNECTORS and s - 2 >= i)) and \
                        doc[s - 1].lower_ not in ("'s", "’s"):
                    s -= 1
                s, _e = _trim(doc, s, p)
                agency = "R" in head.classes and p + 1 < j and \
                    fold(doc[p + 1].text) in lex.organisation_words and \
                    fold(doc[p + 1].text) not in lex.suffix_heads  # "Florida Highway Patrol"
                if s < p and not agency and not self._personal(s, p) and \
                        self._named_division(s, p, head):
                    m = self._head_match(s, p + 1, head)
                    if m:
                        out.append(m)
            p += 1
        follow = _following_head(doc, j, lex)
        if follow is not None and i < j:
            head, after = follow
            s = j
            while s > i and j - s < 5 and (self._name_token(s - 1) or (
                    doc[s - 1].lower_ in _CONNECTORS and s - 2 >= i)):
                s -= 1
            s, _e = _trim(doc, s, j)
            if s < j and not any(_overlaps(_char_span(doc, s, j), (m.start, m.end)) for m in out):
                end_char = _char_span(doc, s, after)[1] if head.in_span else None
                if not _is_stop(doc[s:j].text, lex):
                    m = self._head_match(s, j, head, end_char)
                    if m:
                        out.append(m)
        return out

    def _personal(self, s: int, p: int) -> bool:
        """Tokens [s, p) before a head word read as a person's name: a title before or
        among them, or a middle initial ("Ms. Hill", "Rev. Dr.", "Virginia L. Lane")."""
        doc, titles = self.doc, self.lexicon.titles
        if s > 0 and fold(doc[s - 1].text).rstrip(".") in titles and \
                _capitalised(doc[s - 1]):
            return True
        return any(fold(doc[k].text).rstrip(".") in titles or (
            k > s and len(doc[k].text) == 2 and doc[k].text[0].isupper() and
            doc[k].text[1] == ".") for k in range(s, p))  # not "W." of "W. Main St."

    def _named_division(self, s: int, p: int, head: HeadWord) -> bool:
        """Tokens [s, p) before a capitalised division or settlement word ("District",
        "City", "State") are a name: not an adjective or verb ("Inner City", "Acting City",
        "Criminal District") nor a bare prefix ("Tri-State")."""
        if not any(c in head.classes for c in ("A", "P")) or "T" in head.classes:
            return True
        doc = self.doc
        if doc[p - 1].text == "-" or (p - s == 1 and len(doc[s].text) <= 3 and
                                        doc[s].text.isalpha() and not doc[s].text.isupper()):
            return False
        if self.has_pos and doc[s].tag_ in ("JJ", "JJR", "JJS", "VBG", "VBN", "VBD", "RB"):
            return False
        return True

    def from_ner(self) -> list[ToponymMatch]:
        out = []
        for ent in self.ents:
            if ent.label_ not in _PLACE_LABELS and ent.label_ != "FAC":
                continue
            i, j = _trim(self.doc, ent.start, ent.end)
            if i >= j or not _capitalised(self.doc[i]):
                continue  # "meth", "crawfish", "n't": not names
            text = self.doc[i:j].text
            known = self.knows(text)
            if ent.label_ == "FAC" and not known and place_cue(self.doc, i, self.lexicon) is None:
                continue  # a named building; places the gazetteer lacks stay (GPE/LOC)
            if self.is_blocked(_char_span(self.doc, i, j), has_head=False, known=known):
                continue
            m = self.make(i, j, "ner")
            if m:
                out.append(m)
        return out

    def from_run(self, run: _Run) -> list[ToponymMatch]:
        """Context and gazetteer evidence inside one capitalised run."""
        doc, out = self.doc, []
        i, j = _trim(doc, run.i, run.j)
        if j - i > 1 and doc[i].is_stop and not doc[i].is_lower and \
                _sentence_start(doc, i, self.sent_starts) and doc[i].lower_ not in _CONNECTORS:
            i += 1  # "In Rusape, ...": the capitalised preposition is the cue
        if i >= j:
            return out
        label = self.label(i, j)
        cue = place_cue(doc, i, self.lexicon)
        if cue and label == "PERSON" and cue[1] in self.lexicon.verb_cues:
            cue = None  # "a car struck Webster": a person
        whole_known = self.knows(doc[i:j].text)
        if whole_known and label == "ORG" and doc[i:j].text.isupper() and \
                doc[i:j].text.isalpha() and not self._lexicon_region(doc[i:j].text):
            whole_known = False  # "at AIG", "from HHS": an organisation's initials
        span = _char_span(doc, i, j)
        if label == "NORP" and cue and whole_known and \
                fold(doc[i:j].text) not in self.lexicon.demonyms and \
                not (j - i == 1 and doc[i].text.endswith(("an", "ans", "ese", "ish", "i", "is"))):
            label = ""  # "in Al Arish": NER took the town for a group of people
        if label in ("NORP", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL",
                     "ORDINAL", "LAW", "LANGUAGE"):
            return out
        single = j - i == 1
        person_like = label == "PERSON" and not single and not whole_known
        acronym = doc[i:j].text.replace(".", "").isupper()
        if cue and cue[0] in ("strong", "near") and not person_like and self.proper(i, j) and (
                whole_known or (label not in ("ORG", "FAC") and not acronym)):
            if not self.is_blocked(span, has_head=False, known=whole_known):
                m = self.make(i, j, "context")
                if m:
                    return [m]
        if cue and whole_known and label in ("PERSON", "ORG", "FAC", "PRODUCT", "") and \
                self.proper(i, j):
            if not self.is_blocked(span, has_head=False, known=True):
                m = self.make(i, j, "context")
                if m:
                    return [m]
        # gazetteer n-grams: longest first, left to right
        capital = single and label in ("", "PERSON", "ORG") and \
            fold(doc[i].text) in self.lexicon.capitals and self.knows(doc[i].text)
        if label in ("PERSON", "ORG", "WORK_OF_ART", "EVENT", "PRODUCT") and not (
                single and (label == "PERSON" or capital or self._exotic(i, j))):
            return out
        if self.has_ner and cue is None and not capital:
            # With NER, a name NER missed (or called a person/organisation) needs a cue,
            # or must be no English word at all ("Qara", "Nabk"; not "High", "Jones").
            if label not in ("", "PERSON", "ORG", "GPE", "LOC", "FAC") or not self._exotic(i, j):
                return out
            if label in ("PERSON", "ORG") and j - i > 1 and not whole_known:
                return out
        elif self.has_ner and label not in ("", "PERSON") and not capital:
            return out
        k = i
        while k < j:
            found = None
            for e in range(min(j, k + 6), k, -1):
                if doc[e - 1].lower_ in _CONNECTORS or doc[k].lower_ in _CONNECTORS:
                    continue
                if not self.knows(doc[k:e].text) or not self.proper(k, e):
                    continue
                if e - k == 1 and (k, e) != (i, j) and self._ordinary(k, e):
                    continue  # "Taco" of "Taco Bell", "Class" of "Junior High Small Class"
                if e - k == 1 and not self.has_ner and \
                        _sentence_start(doc, k, self.sent_starts) and \
                        fold(doc[k].text) in self.lexicon.stop_words:
                    continue
                if label == "PERSON" and not self._person_is_place(k, e, speaks=capital):
                    continue
                if self.has_ner and doc[k:e].text.replace(".", "").isupper():
                    continue
                found = e
                break
            if found is None:
                k += 1
                continue
            sub = _char_span(doc, k, found)
            if not self.is_blocked(sub, has_head=False, known=True):
                m = self.make(k, found, "gazetteer")
                if m and self.has_ner and cue is None:
                    m = dataclasses.replace(m, tentative=True)
                if m:
                    out.append(m)
            k = found
        return out

    def _exotic(self, i: int, j: int) -> bool:
        """No token of [i, j) is a common English word (per ``common``)."""
        if self._common is None:
            return False
        return not any(self._common(t.lower_) for t in self.doc[i:j]
                       if t.lower_ not in _CONNECTORS)

    def _institution_at(self, k: int) -> bool:
        """Token ``k`` is an institution word ("Fire" of "Huntsville Fire Chief")."""
        return fold(self.doc[k].text).rstrip(".") in self.lexicon.institution_words

    def _ordinary(self, i: int, j: int) -> bool:
        """Every token of [i, j) is a common English word (per ``common``)."""
        if self._common is None:
            return False
        return all(self._common(t.lower_) for t in self.doc[i:j])

    def _person_is_place(self, i: int, j: int, *, speaks: bool = False) -> bool:
        """A one-token PERSON the gazetteer knows is a place unless used as someone's name.
        ``speaks``: the place may say things (a capital standing for its government)."""
        name = self.doc[i:j].text
        if fold(name) in self.people:
            return False
        for ent in self.ents:
            if ent.label_ == "PERSON" and len(ent) > 1 and name in ent.text.split() and \
                    not (ent.start <= i and j < ent.end and self._institution_at(j)):
                return False  # "Henry" after "Chiquita Raquel Henry"; not "Huntsville Fire"
        if i > 0 and fold(self.doc[i - 1].text).rstrip(".") in self.lexicon.stop_words and \
                self.doc[i - 1].text[:1].isupper():
            return False  # "Mr. Baalbek", "President X"
        if j < len(self.doc) and self.doc[j].lemma_ in ("say", "tell") and self.has_pos and \
                not speaks:
            return False
        return True

    def from_organisations(self, found: Sequence[ToponymMatch]) -> list[ToponymMatch]:
        """The place an organisation is named after, at its start ("Gainesville Police
        Department", "Ohio State University", "U.S. Army"), when the gazetteer knows it."""
        out: list[ToponymMatch] = []
        if not self.has_ner:
            return out
        places = {fold(m.text) for m in found if m.recognizer in ("ner", "head-word")}
        for ent in self.ents:
            if ent.label_ != "ORG" or len(ent) < 2:
                continue
            i = ent.start
            while i < ent.end and self.doc[i].lower_ in ("the", "a", "an"):
                i += 1
            for e in range(min(ent.end - 1, i + 3), i, -1):
                text = self.doc[i:e].text
                if not all(_capitalised(t) or t.text in ("-", ".") for t in self.doc[i:e]):
                    continue
                if not (self._lexicon_region(text) or fold(text) in places) or \
                        not self.proper(i, e):
                    continue
                if self.is_blocked(_char_span(self.doc, i, e), has_head=False, known=True):
                    break
                m = self.make(i, e, "organisation")
                if m:
                    out.append(m)
                break
        return out

    def _known_match(self, i: int, j: int, recognizer: str, *,
                     name: str | None = None) -> ToponymMatch | None:
        """The match for tokens [i, j) when the gazetteer knows ``name`` (default: their
        text) and no armed group or person's name covers them."""
        if not self.knows(name or self.doc[i:j].text) or \
                self.is_blocked(_char_span(self.doc, i, j), has_head=False, known=True):
            return None
        return self.make(i, j, recognizer)

    def from_institutions_of(self) -> list[ToponymMatch]:
        """The place after "of" in an organisation's name ("University of Cincinnati", "the
        Hospital of the University of Pennsylvania", "the State of Ohio")."""
        out: list[ToponymMatch] = []
        words = self.lexicon.institutions_of
        if not self.has_ner or not words:
            return out
        doc = self.doc
        for ent in self.ents:
            if ent.label_ not in ("ORG", "GPE", "LOC", "FAC") or len(ent) < 3:
                continue
            of = [k for k in range(ent.start + 1, ent.end - 1)
                  if doc[k].lower_ == "of" and fold(doc[k - 1].text) in words]
            if not of:
                continue
            i, j = _trim(doc, of[-1] + 1, ent.end)
            while i < j and doc[i].lower_ == "the":
                i += 1
            while j > i and doc[j - 1].lower_ in ("'s", "’s"):
                j -= 1
            if i >= j or not all(_capitalised(t) or t.text in ("-", ".") for t in doc[i:j]) or \
                    not self.proper(i, j):
                continue
            m = self._known_match(i, j, "organisation")
            if m:
                out.append(m)
        return out

    def from_institutions(self, runs: Sequence[_Run]) -> list[ToponymMatch]:
        """A known place name right before an institution word, inside a capitalised run or
        before a lower-case one ("Athens Police Department", "Roselle police", "St. Cloud
        Hospital"): the institution is named after the place."""
        out: list[ToponymMatch] = []
        words = self.lexicon.institution_words
        if not words:
            return out
        doc = self.doc
        for run in runs:
            i, j = _trim(doc, run.i, run.j)
            while i < j and doc[i].lower_ in ("the", "a", "an"):
                i += 1
            for p in range(i + 1, min(j, len(doc) - 1) + 1):
                if fold(doc[p].text).rstrip(".") not in words:
                    continue
                if "\n" in doc[p - 1].whitespace_ or doc[p - 1].lower_ in _CONNECTORS:
                    continue
                if p - i > 3:
                    break
                m = self._institution_place(i, p)
                if m is None and p - i > 1 and _sentence_start(doc, i, self.sent_starts):
                    m = self._institution_place(i + 1, p)  # "Two Roselle police officers"
                if m is not None:
                    out.append(m)
                break
        return out

    def _institution_place(self, i: int, p: int) -> ToponymMatch | None:
        """The place name [i, p) before the institution word at token ``p``, if known."""
        doc = self.doc
        text = doc[i:p].text
        if not self.knows(text) or not self.proper(i, p):
            return None
        if text.replace(".", "").isupper() and len(text) <= 4:
            return None  # "FBI", "NYPD"-like codes
        if p - i == 1 and doc[i].tag_ in ("JJ", "JJR", "JJS", "NN", "NNS", "RB"):
            return None  # "Superior Court", "Vice Mayor": a word, not a name
        if self.label(i, p) in ("PERSON", "NORP") and not self._person_is_place(i, p):
            return None
        if self.is_blocked(_char_span(doc, i, p), has_head=False, known=True):
            return None
        return self.make(i, p, "organisation")

    def from_residents(self) -> list[ToponymMatch]:
        """Where a named person is from: "Kalena Horhn of Grand Prairie", "Richard Pehrson
        II, 38, of Meadow Grove", when the gazetteer knows the place."""
        doc, out = self.doc, []
        for ent in self.ents:
            if ent.label_ != "PERSON" or len(ent) < 2 or not self._full_name(ent):
                continue
            k = ent.end
            if k + 2 < len(doc) and doc[k].text == "," and doc[k + 1].like_num and \
                    doc[k + 2].text == ",":
                k += 3  # an age between name and place
            if k + 1 >= len(doc) or doc[k].lower_ != "of" or not _capitalised(doc[k + 1]):
                continue
            e = k + 1
            while e < len(doc) and _capitalised(doc[e]) and e - k <= 4:
                e += 1
            for end in range(e, k + 1, -1):
                if self.knows(doc[k + 1:end].text) and self.proper(k + 1, end):
                    break
            else:
                continue
            label = self.label(k + 1, end)
            if label in ("ORG", "NORP") or (
                    label == "PERSON" and not self._person_is_place(k + 1, end)):
                continue
            m = self._known_match(k + 1, end, "context")
            if m:
                out.append(m)
        return out

    def from_party_marks(self) -> list[ToponymMatch]:
        """The home a party mark gives a politician ("D-Pleasanton", "R-Marshall",
        "D-N.J."), when the gazetteer knows it."""
        doc, out = self.doc, []
        for k in range(1, len(doc) - 2):
            if not _party_mark(doc, k) or doc[k - 1].text not in (",", "(", "["):
                continue
            e = k + 3
            while e < len(doc) and _capitalised(doc[e]) and e - k < 5 and (
                    doc[e].is_alpha or doc[e].text.endswith(".")):
                e += 1  # "D-W. Va."
            m = self._known_match(k + 2, e, "context")
            if m:
                out.append(m)
        return out

    def from_datelines(self, runs: Sequence[_Run]) -> list[ToponymMatch]:
        """A news dateline: a name in capitals opening a sentence and followed by a dash
        ("COLUMBUS -- The council ...", "TORRINGTON — Police ..."), when the gazetteer knows
        it."""
        doc, out = self.doc, []
        for run in runs:
            i, j = _trim(doc, run.i, run.j)
            if i >= j or j >= len(doc) or not (
                    i == 0 or _sentence_start(doc, i, self.sent_starts) or
                    doc[i - 1].text in (".", "!", "?") or "\n" in doc[i - 1].whitespace_):
                continue
            k = j
            if k + 3 < len(doc) and doc[k].text == "(" and doc[k + 2].text == ")":
                k += 3  # "LEBANON (AP) —"
            if doc[k].text not in ("--", "---", "—", "–", "-", ":"):
                continue
            text = doc[i:j].text
            if not all(t.text.isupper() for t in doc[i:j] if t.is_alpha) or \
                    len(text.replace(".", "")) < 3 or _is_stop(text, self.lexicon):
                continue
            m = self._known_match(i, j, "context", name=text.title())
            if m:
                out.append(m)
        return out

    def repeats(self, runs: Sequence[_Run], accepted: list[ToponymMatch]) -> list[ToponymMatch]:
        """Other mentions of a name already taken as a place in this document."""
        names = {fold(m.text) for m in accepted if m.recognizer in ("ner", "head-word")
                 and self.knows(m.text)}
        if not names:
            return []
        taken = [(m.start, m.end) for m in accepted]
        out = []
        doc = self.doc
        for run in runs:
            i, j = _trim(doc, run.i, run.j)
            for k in range(i, j):
                for e in range(min(j, k + 4), k, -1):
                    span = _char_span(doc, k, e)
                    if fold(doc[k:e].text) not in names:
                        continue
                    if any(_overlaps(span, t) for t in taken):
                        break
                    label = self.label(k, e)
                    if label == "PERSON" and any(
                            ent.label_ == "PERSON" and len(ent) > e - k and
                            ent.start <= k and e <= ent.end for ent in self.ents):
                        break
                    if self.is_blocked(span, has_head=False, known=True):
                        break
                    m = self.make(k, e, "repeat")
                    if m:
                        out.append(m)
                        taken.append(span)
                    break
        return out

    def from_lists(self, runs: Sequence[_Run], accepted: list[ToponymMatch]) -> list[ToponymMatch]:
        """Names coordinated with accepted toponyms are toponyms ("X, Y and Z")."""
        doc = self.doc
        taken = [(m.start, m.end) for m in accepted]

        def is_place(run: _Run) -> bool:
            span = _char_span(doc, *_trim(doc, run.i, run.j))
            return any(_overlaps(span, t) for t in taken)

        chains: list[list[_Run]] = []
        current: list[_Run] = []
        for a, b in zip(runs, runs[1:], strict=False):
            gap = tuple(t.lower_ for t in doc[a.j:b.i])
            if gap in _LIST_SEPARATORS:
                if not current:
                    current = [a]
                current.append(b)
            else:
                if current:
                    chains.append(current)
                current = []
        if current:
            chains.append(current)
        out = []
        for chain in chains:
            if not any(is_place(r) for r in chain):
                continue
            for run in chain:
                if is_place(run):
                    continue
                i, j = _trim(doc, run.i, run.j)
                if i >= j:
                    continue
                text = doc[i:j].text
                label = self.label(i, j)
                if label in ("NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY"):
                    continue
                known = self.knows(text)
                headed = bool(_prefix_head(doc, i, j, self.lexicon)
                              or _suffix_head(doc, i, j, self.lexicon))
                if label == "PERSON" and j - i > 1 and not (known or headed):
                    continue
                if label == "ORG" and not (known or headed):
                    continue
                if fold(text) in self.people:
                    continue
                if not self.proper(i, j) and not known:
                    continue
                if self.is_blocked(_char_span(doc, i, j), has_head=headed, known=known):
                    continue
                m = self.make(i, j, "list")
                if m:
                    out.append(m)
        return out


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
