"""Per-document state of toponym recognition (``_FinderBase``): what the gazetteer knows,
blocked ranges, labels, and the shared tests that refine a span and make a match."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from frontlines.geoparse._lexicon import HeadWord, Lexicon, fold
from frontlines.geoparse._spans import (
    _ARTICLE_WORDS,
    _CONNECTORS,
    ToponymMatch,
    _capitalised,
    _char_span,
    _extend,
    _inside,
    _is_stop,
    _overlaps,
    _prefix_head,
    _sentence_start,
    _suffix_head,
    _trim,
    place_cue,
)


class _FinderBase:
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
            if kind == "actor":
                # "Houthi forces": an actor's alias is no place unless a cue says so ("in Amal")
                # ("U.S. military" is an alias too, "U.S." is none: it stays a place)
                if _inside(span, (start, end)) and not self._cued_at(span[0]) and \
                        fold(self.text[span[0]:span[1]]) in self.lexicon.actor_homes:
                    return True
                continue
            if _inside(span, (start, end)):
                return True
            # "Tal Hassan" may hold a first name; nothing built on "Hezbollah" is a place
            if _overlaps(span, (start, end)) and not (
                    known or (has_head and kind == "person")):
                return True
        return False

    def _cued_at(self, char: int) -> bool:
        """A strong or near place cue stands before the token starting at ``char``."""
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        if span is None:
            return False
        cue = place_cue(self.doc, span.start, self.lexicon)
        return bool(cue and cue[0] in ("strong", "near") and cue[1] not in self.lexicon.verb_cues)

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

