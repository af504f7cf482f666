"""The article's country focus, from real evidence, computed once (geoparse) and read by events.

Evidence: resolved places (one vote per distinct place; a country named outright counts
double), demonyms ("Syrian", "Lebanese") and the home countries of named actors, which the
caller passes in. Never evidence: a country or demonym used as an attribute — a currency
("the US dollar", "Syrian pounds"), a product or sponsor ("US-made", "Saudi-led") — or a
name inside an organisation's name (the caller leaves those toponyms out). The area of
interest (``region``) breaks ties and is the focus when the text gives no evidence at all.

``attributive(text, start, end)`` says whether the words right after a name make it an
attribute; the word list is data (``placement.yaml``: ``attributive_after``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from frontlines.geoparse._lexicon import Lexicon, fold
from frontlines.geoparse.containment import Placement
from frontlines.model import Toponym

__all__ = ["Focus", "article_focus", "attributive", "named_countries"]

_COUNTRY = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR", "PCLH"})
_NEXT_WORD = re.compile(r"^[\s\-\u2010\u2011]*([A-Za-z]+)")


@dataclass(frozen=True, slots=True)
class Focus:
    """Country shares (ISO2 -> 0..1) and the evidence behind them."""

    shares: dict[str, float] = field(default_factory=dict)
    named: dict[str, float] = field(default_factory=dict)  # from words alone (names, demonyms, actors)
    region: tuple[str, ...] = ()

    @property
    def top(self) -> str | None:
        """The country the article is most about (region breaks ties), else the region's first."""
        if not self.shares:
            return self.region[0] if len(self.region) == 1 else None
        return max(self.shares, key=lambda c: (self.shares[c], c in self.region))

    @property
    def text_country(self) -> str | None:
        """The country the words point at, when one leads outright (no tie)."""
        top = Counter(self.named).most_common(2)
        if not top or (len(top) > 1 and top[1][1] == top[0][1]):
            return None
        return top[0][0]

    def share(self, code: str) -> float:
        return self.shares.get(code, 0.0)


def attributive(text: str, start: int, end: int, *, placement: Placement | None = None) -> bool:
    """The name at ``text[start:end]`` is an attribute ("US dollar", "US-made", "Saudi-led")."""
    placement = placement or Placement.load()
    m = _NEXT_WORD.match(text[end:end + 24])
    return bool(m) and m.group(1).lower() in placement.attributive


def _demonyms(text: str, lexicon: Lexicon, placement: Placement) -> Counter[str]:
    votes: Counter[str] = Counter()
    folded = fold(text)
    for demonym, code in lexicon.demonyms.items():
        if not code or len(demonym) < 4:
            continue
        for m in re.finditer(rf"(?<![a-z]){re.escape(demonym)}(?![a-z])", folded):
            after = _NEXT_WORD.match(folded[m.end():m.end() + 24])
            if after and after.group(1) in placement.attributive:
                continue
            votes[code] += 1
    return votes


def named_countries(text: str, toponyms: Sequence[Toponym], *, lexicon: Lexicon | None = None
                    ) -> Counter[str]:
    """Countries the words name: country toponyms and demonyms, attributes aside."""
    lexicon = lexicon or Lexicon.load()
    placement = Placement.load()
    votes = _demonyms(text, lexicon, placement)
    for t in toponyms:
        if t.place is not None and t.place.feature_code in _COUNTRY and \
                not attributive(text, t.start, t.end, placement=placement):
            votes[t.place.country_code] += 1
    return votes


def article_focus(text: str, toponyms: Sequence[Toponym], *, lexicon: Lexicon | None = None,
                  actors: Iterable[str] = (), region: Sequence[str] = ()) -> Focus:
    """The article's country focus (module docstring). ``actors``: home countries (ISO2) of
    the actors it names, one per mention."""
    lexicon = lexicon or Lexicon.load()
    placement = Placement.load()
    votes: Counter[str] = Counter()
    named: Counter[str] = Counter()
    seen: set[int] = set()
    for t in toponyms:
        place = t.place
        if place is None or not place.country_code or \
                attributive(text, t.start, t.end, placement=placement):
            continue
        if place.feature_code in _COUNTRY:
            votes[place.country_code] += 2.0
            named[place.country_code] += 1.0
        elif place.geonameid not in seen:
            votes[place.country_code] += 1.0
        seen.add(place.geonameid)
    for code, n in _demonyms(text, lexicon, placement).items():
        votes[code] += 0.5 * n
        named[code] += n
    for code in actors:
        if code:
            votes[code] += 0.5
            named[code] += 1
    total = sum(votes.values())
    shares = {c: v / total for c, v in votes.items()} if total else {}
    return Focus(shares=shares, named=dict(named), region=tuple(region))
