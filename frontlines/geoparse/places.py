"""What later stages ask geoparse about places: exact look-ups of a name in one country.

The events stage does no geoparsing of its own; when the text's country is known it asks
``PlaceFinder`` to re-resolve a toponym in that country, or to place a name the geoparser left
unresolved. The gazetteer is optional here: without one, or when it fails, every answer is
"no place" and the article goes on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from frontlines.errors import FrontlinesError
from frontlines.geoparse.focus import Focus, article_focus, attributive
from frontlines.geoparse.sources import article_region
from frontlines.model import Article, Place, Toponym

__all__ = ["PlaceFinder"]

# a key match (articles and vowels folded away) is the same name when spelt this alike
_SAME_NAME = 0.85


class _LookupFailed(Exception):
    pass


class PlaceFinder:
    """Exact place look-ups in a given country, over an optional ``gazetteer``."""

    def __init__(self, gazetteer: Any = None, *, region: Sequence[str] | None = None) -> None:
        self.gazetteer = gazetteer
        if region is None:
            from frontlines.settings import Settings, region_codes

            region = region_codes(Settings().region)
        self.region = tuple(region)

    def focus(self, text: str, toponyms: Sequence[Toponym], *, actors: Iterable[str] = (),
              article: Article | None = None) -> Focus:
        """The article's country focus, as geoparse computes it (``geoparse.focus``)."""
        return article_focus(text, toponyms, actors=actors,
                             region=article_region(article, self.region))

    def attributive(self, text: str, topo: Toponym) -> bool:
        """The name is an attribute, not a place ("the US dollar", "US-made")."""
        return attributive(text, topo.start, topo.end)

    def _exact(self, name: str, country: str) -> Place | None:
        """The place of that name in ``country``: an exact (light key) match, or a key match
        spelt nearly alike; ``None`` when there is none."""
        try:
            found = self.gazetteer.lookup(name, countries=[country], limit=1, fuzzy=False)
        except (FrontlinesError, sqlite3.Error):  # the gazetteer is an optional helper here
            raise _LookupFailed from None
        # the same name, not a sound-alike: "Al Hasakeh" is no key for Haskell, Arkansas
        sure = [c for c in found if c.match == "exact" or c.similarity >= _SAME_NAME]
        return sure[0].place if sure else None

    def in_country(self, topo: Toponym, country: str | None, *, who: str = "events") -> Toponym:
        """``topo`` re-resolved in ``country`` when it was placed elsewhere and ``country`` has
        a place of that exact name (the text is about ``country``); else ``topo`` unchanged."""
        if self.gazetteer is None or country is None or topo.place is None \
                or topo.place.country_code == country:
            return topo
        try:
            place = self._exact(topo.text, country)
        except _LookupFailed:
            return topo
        if place is None:
            return topo
        return topo.replace(place=place,
                            reason=f"{topo.reason}; {who}: re-resolved in {country}, the text's country")

    def first_exact(self, names: Sequence[tuple[str, int]], country: str | None, *,
                    who: str = "events") -> Toponym | None:
        """The first of ``names`` (name, character offset) that is exactly a place in
        ``country``, as a toponym; ``None`` when none is, or when the gazetteer fails."""
        if self.gazetteer is None or country is None:
            return None
        for name, start in names:
            try:
                place = self._exact(name, country)
            except _LookupFailed:
                return None
            if place is not None:
                return Toponym(text=name, start=start, end=start + len(name), place=place,
                               reason=f"{who}: exact name in {country}, the text's country "
                               "(left unresolved by the geoparser)", geo_precision=1)
        return None
