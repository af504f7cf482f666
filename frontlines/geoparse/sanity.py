"""Distance sanity and the area of interest, after ranking and containment.

* Area of interest (``region``, e.g. ``("LB", "SY")``): a name with a reading inside the area
  resolves inside it, unless the article's words name a country outside the area.
* Distance: a small place (not a capital or a large city) read thousands of km from every
  other place of the article, outside the area and the focus country, must have its country
  named right beside it; otherwise the best reading in the area or the focus country, near
  the other places, replaces it, and failing that it is left unplaced. Each change says why
  in the toponym's ``reason``.
* Sparse coverage: when the article is about a country the gazetteer barely covers (its
  focus, with an actor at home there or the area of interest naming it), a small place read
  far abroad, in a country the rest of the text gives no weight, falls back to its reading
  there, else a division of that country the text names, else the country (geo_precision 3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from frontlines.geo import haversine_km
from frontlines.geoparse._lexicon import Lexicon, fold
from frontlines.geoparse.focus import Focus, article_focus, named_countries
from frontlines.geoparse.rank import Scored, _is_country, geo_precision
from frontlines.geoparse.recognize import ToponymMatch
from frontlines.model import Place, Toponym

__all__ = ["FAR_KM", "sane"]

FAR_KM = 1000.0  # a reading this far from every other place of the article is suspect
SPARSE_FAR_KM = 1000.0  # a reading this far from a sparsely covered focus country is suspect
SPARSE_SHARE = 0.5  # ... when that country holds at least this share of the article's focus
_BIG = 100_000  # a city this large is a plausible far reference ("talks in Geneva")
_MAJOR = frozenset({"PPLC", "PPLA", "CONT"})


def _others(k: int, toponyms: Sequence[Toponym], names: Sequence[str]) -> list[Place]:
    return [t.place for j, t in enumerate(toponyms) if j != k and t.place is not None
            and names[j] != names[k] and not _is_country(t.place)
            and t.place.feature_code != "CONT"]


def _min_km(place: Place, others: Sequence[Place]) -> float | None:
    if not others:
        return None
    return min(haversine_km(place.latitude, place.longitude, o.latitude, o.longitude)
               for o in others)


def _named_beside(text: str, topo: Toponym, code: str, lexicon: Lexicon,
                  toponyms: Sequence[Toponym]) -> bool:
    """The place's country is named within a few words of it ("Tripoli, Libya", "Libyan")."""
    lo, hi = topo.start - 60, topo.end + 60
    for t in toponyms:
        if t is not topo and t.place is not None and _is_country(t.place) and \
                t.place.country_code == code and lo <= t.start <= hi:
            return True
    window = fold(text[max(0, lo):hi])
    return any(c == code and f" {d} " in f" {window} " for d, c in lexicon.demonyms.items())


def _pick(options: Sequence[Scored], countries: Sequence[str], others: Sequence[Place]
          ) -> Scored | None:
    for s in options:
        place = s.option.place
        if place.country_code not in countries or _is_country(place) or s.option.match not in (
                "exact", "alias", "key"):
            continue
        d = _min_km(place, others)
        if d is None or d <= FAR_KM:
            return s
    return None


def _replace(t: Toponym, match: ToponymMatch | None, best: Scored, why: str) -> Toponym:
    place = best.option.place
    return t.replace(place=place, geo_precision=geo_precision(
        place, near=bool(match and match.near), approximate=best.option.stripped),
        reason=f"{why}; chose {place.name} ({place.country_code}): " + "; ".join(best.why))


def sane(text: str, matches: Sequence[ToponymMatch], toponyms: list[Toponym],
         ranked: Sequence[Sequence[Scored]], *, region: Sequence[str] = (),
         lexicon: Lexicon | None = None, sparse: Callable[[str], bool] | None = None,
         country: Callable[[str], Place | None] | None = None) -> tuple[list[Toponym], Focus]:
    """``toponyms`` with the area of interest and distance sanity applied, and the focus.
    ``sparse(code)``: the gazetteer barely covers that country; ``country(code)``: the
    country as a place (both from the gazetteer; without them no sparse-coverage fallback)."""
    lexicon = lexicon or Lexicon.load()
    region = tuple(region)
    names = [fold(m.text) for m in matches]
    named = named_countries(text, toponyms, lexicon=lexicon)
    foreign = {c for c in named if region and c not in region}
    out = list(toponyms)
    homes = lexicon.actors_named(text)
    if sparse is not None and country is not None:
        out = _sparse_fallback(text, out, ranked, named=named, region=region, homes=homes,
                               lexicon=lexicon, sparse=sparse, country=country)
    for k, t in enumerate(list(out)):
        if t.place is None or _is_country(t.place) or not ranked[k]:
            continue
        code = t.place.country_code
        others = _others(k, out, names)
        if region and code not in region and not foreign:
            best = _pick(ranked[k], region, others)
            if best is not None:
                out[k] = _replace(t, matches[k], best, f"area of interest {','.join(region)}: "
                                  f"{t.place.name} ({code}) is outside it and the text names "
                                  "no country outside it")
                continue
        d = _min_km(t.place, others)
        if d is None or d <= FAR_KM or code in region or code in named:
            continue
        if t.place.feature_code in _MAJOR or t.place.population >= _BIG:
            continue
        focus = article_focus(text, [o for j, o in enumerate(out) if j != k], lexicon=lexicon,
                              region=region)
        top = focus.top
        if top is None or top == code or _named_beside(text, t, code, lexicon, toponyms):
            continue
        why = (f"distance sanity: {t.place.name} ({code}) lies {d:.0f} km from every other "
               f"place of the article, outside the focus {top}")
        best = _pick(ranked[k], list(region) + [top], others)
        if best is not None:
            out[k] = _replace(t, matches[k], best, why)
        else:
            out[k] = Toponym(text=t.text, start=t.start, end=t.end, recognizer=t.recognizer,
                             reason=f"{why}; no reading there: left unplaced")
    focus = article_focus(text, out, lexicon=lexicon, region=region, actors=homes)
    return out, focus


def _sparse_fallback(text: str, toponyms: list[Toponym], ranked: Sequence[Sequence[Scored]],
                     *, named: Sequence[str], region: Sequence[str], homes: Sequence[str],
                     lexicon: Lexicon, sparse: Callable[[str], bool],
                     country: Callable[[str], Place | None]) -> list[Toponym]:
    """The article is about a country the gazetteer barely covers (Yemen with the offline
    default): a small place read abroad, in a country the text does not name, far from that
    country, falls back to a division of the focus country the text names, else the country
    itself (geo_precision 3) - never a namesake abroad."""
    out = list(toponyms)
    for k, t in enumerate(toponyms):
        if t.place is None or t.place.feature_class != "P" or t.place.feature_code in _MAJOR \
                or t.place.population >= _BIG:
            continue
        code = t.place.country_code
        if not code or code in named or code in region:
            continue
        rest = [o for j, o in enumerate(out) if j != k]
        focus = article_focus(text, rest, lexicon=lexicon, region=region, actors=homes)
        top = focus.top
        if top is None or top == code or not sparse(top) or focus.shares.get(code, 0.0) > 0 \
                or focus.shares.get(top, 0.0) < SPARSE_SHARE or (top not in homes
                                                                 and top not in region):
            continue  # the rest of the article supports the reading's country, or is mixed,
            # or no actor at home there (nor the area of interest) says the article is there
        home = country(top)
        if home is None or haversine_km(t.place.latitude, t.place.longitude, home.latitude,
                                        home.longitude) < SPARSE_FAR_KM:
            continue  # a neighbour's border town may be meant ("a drone hit Jizan")
        if _named_beside(text, t, code, lexicon, toponyms):
            continue
        why = (f"sparse coverage: the article is about {top}, which the gazetteer barely "
               f"covers; {t.place.name} ({code}) lies abroad and the text names no {code}")
        inside = [s for s in ranked[k] if s.option.place.country_code == top
                  and s.option.match in ("exact", "alias", "key")]
        if inside:
            out[k] = _replace(t, None, inside[0], why)
            continue
        divisions = [o for o in rest if o.place is not None and o.place.country_code == top
                     and o.place.feature_class == "A" and not _is_country(o.place)]
        after = [o for o in divisions if o.start > t.start] or divisions
        held = after[0].place if after else home
        out[k] = t.replace(place=held, geo_precision=3,
                           reason=f"{why}: placed at {held.name} ({top})")
    return out
