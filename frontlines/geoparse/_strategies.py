"""The evidence sources of toponym recognition, one method each (``_Finder``): head words,
NER, capitalised runs after a cue or known to the gazetteer, organisations and institutions
named after a place, residents, party marks, datelines, lists and repeats."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from frontlines.geoparse._finder import _FinderBase
from frontlines.geoparse._lexicon import HeadWord, fold
from frontlines.geoparse._spans import (
    _CONNECTORS,
    _LIST_SEPARATORS,
    _PLACE_LABELS,
    ToponymMatch,
    _after_article,
    _capitalised,
    _char_span,
    _following_head,
    _is_stop,
    _overlaps,
    _party_mark,
    _prefix_head,
    _Run,
    _sentence_start,
    _suffix_head,
    _trim,
    place_cue,
)


class _Finder(_FinderBase):
    """State for one ``find_toponyms`` call, with every evidence source."""

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
            if i >= j or not _capitalised(self.doc[_after_article(self.doc, i, j)]):
                continue  # "meth", "crawfish", "n't": not names ("al-Hasakeh" is one)
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

