"""Per-article state shared by the steps: dates, actor mentions, the toponyms events may use,
the country the text is about, and what earlier sentences reported.

Built once per article by ``EventExtractor.extract``; the steps read it and update the few
fields that carry across sentences (``previous``, ``sides``, ``seen_types``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Doc

from frontlines.events.actors import ActorDictionary, ActorMatch
from frontlines.events.codebook import Codebook
from frontlines.events.dates import find_dates
from frontlines.events.lexicon import Lexicon
from frontlines.events.records import Draft, Party
from frontlines.geoparse.places import PlaceFinder
from frontlines.model import Article, Toponym

__all__ = ["ArticleContext", "country_regex"]

_AIR_CONTEXT = re.compile(r"\b(air ?strikes?|air raids?|warplanes?|war planes?|aircraft|jets|"
                          r"helicopters?|drones?|bombers?|air force)\b", re.IGNORECASE)


class ArticleContext:
    """Per-article state: dates, actor mentions, toponyms, focus country."""

    def __init__(self, article: Article, doc: Doc, toponyms: Sequence[Toponym], *,
                 lexicon: Lexicon, actors: ActorDictionary, codebook: Codebook,
                 places: PlaceFinder) -> None:
        self.lex, self.actors, self.codebook = lexicon, actors, codebook
        self.places = places
        self.article, self.doc = article, doc
        self.text = doc.text
        self.published = article.published_date
        self.dates = find_dates(self.text, self.published)
        self.matches: list[ActorMatch] = self.actors.find(self.text)
        # one focus computation, geoparse's: places, demonyms, named actors' homes; never a
        # currency or an attribute ("the US dollar", "US-made"), which is no place at all
        toponyms = [t for t in toponyms if not self.places.attributive(self.text, t)]
        homes = [m.entry.country for m in self.matches
                 if m.entry.country and m.entry.inter != 8 and not m.entry.state]
        self.focus = self.places.focus(self.text, toponyms, actors=homes, article=article)
        self.text_country = self.focus.text_country
        # a place inside an actor's name ("US-led coalition") is not where anything happened
        toponyms = [self._recheck(t) for t in toponyms if t.place is not None
                    and not any(m.start <= t.start and t.end <= m.end for m in self.matches)]
        self.toponyms = sorted(self._plausible(toponyms), key=lambda t: t.start)
        self.paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", self.text)]
        counts = Counter(t.place.country_code for t in self.toponyms if t.place)
        # the places kept lead; the whole focus decides when none is left
        top = self.focus.top
        self.focus_country: str | None = top if top in counts or not counts \
            else counts.most_common(1)[0][0]
        self.previous: Draft | None = None
        # the two armed parties of the article's last battle: "fighters from both sides"
        self.sides: tuple[Party, Party] | None = None
        self.seen_types: set[str] = set()  # event types found so far in the article
        self.shared_sentence = False  # several events in the sentence being read
        self.air_context = bool(_AIR_CONTEXT.search(self.text))
        self.responsible: Party | None = None  # who claimed the attack (set by the caller)
        self.focus_toponym: Toponym | None = None
        if self.toponyms:
            local = [t for t in self.toponyms if t.place.country_code == self.focus_country
                     and t.place.feature_code not in ("PCLI", "PCL", "PCLD")] or self.toponyms
            self.focus_toponym = local[0]

    def paragraph(self, char: int) -> int:
        """The number of the paragraph holding character ``char``."""
        k = 0
        for i, s in enumerate(self.paragraph_starts):
            if s <= char:
                k = i
        return k

    def _plausible(self, toponyms: list[Toponym]) -> list[Toponym]:
        """Places the article can be about: in the text's country, or in a country the text
        names ("Syria", "Syrian", "Idlib province"), the home of an actor it names, or that holds
        two of its places. A village resolved to Chad or Libya in a
        report about Idlib or the Qalamoun is a gazetteer homonym and never an event's place;
        the event falls back to the next place tied to it ("the heights near Qara")."""
        if len(toponyms) < 2:
            return toponyms
        named = {self.text_country} | {m.entry.country for m in self.matches if m.entry.country}
        per_country = Counter(c for c, _ in {(t.place.country_code, t.place.geonameid) for t in toponyms})
        named |= {c for c, n in per_country.items() if n >= 2}
        for t in toponyms:
            if t.place.feature_code in ("PCLI", "PCL", "PCLD", "PCLS", "TERR") or (
                    t.place.feature_code or "").startswith("ADM1"):
                named.add(t.place.country_code)
        for m in country_regex(self.codebook).finditer(self.text):
            info = self.codebook.country(m.group(0)) or self.codebook.country_by_demonym(m.group(0))
            if info is not None and not any(a.start <= m.start() < a.end for a in self.matches):
                named.add(info.iso2)
        kept = [t for t in toponyms if t.place.country_code in named
                or (t.place.feature_code or "") in ("PPLC", "PPLA")]  # Sidon, Beirut, Homs
        return kept or toponyms

    def _recheck(self, topo: Toponym) -> Toponym:
        """A place far from the country the text is about, when that country has the name too
        (geoparse re-resolves it there). Not a place in the article's focus country: "Turkish
        forces shelled Shaalah in Aleppo countryside" stays in Syria."""
        if topo.place is not None and topo.place.country_code == self.focus.top:
            return topo
        return self.places.in_country(topo, self.text_country)


_COUNTRY_RE: dict[int, re.Pattern[str]] = {}


def country_regex(codebook: Codebook) -> re.Pattern[str]:
    """Country names, aliases and demonyms of ``codebook`` as one regular expression."""
    key = id(codebook)
    if key not in _COUNTRY_RE:
        names = [c.name for c in codebook.countries] + [a for c in codebook.countries for a in c.aliases]
        names += [d for c in codebook.countries for d in c.demonyms]
        _COUNTRY_RE[key] = re.compile(r"\b(?:" + "|".join(
            re.escape(n) for n in sorted(set(names), key=len, reverse=True) if len(n) > 2) + r")\b")
    return _COUNTRY_RE[key]
