"""Toponym resolution: gazetteer candidates, then a ranking that reads the whole article.

Retrieval (``Resolver.candidates``) asks the gazetteer for the name, the name without its
head word ("Kanzouha Hills" -> "Kanzouha"), known country aliases ("U.S.", "DRC") and, when
nothing matches exactly, a fuzzy retry. Ranking (``rank``) is pure: it weighs

* name-match quality (exact > key > fuzzy; the full name over the stripped one),
* fit of feature class to the expression ("... Hills" -> T, "camp" -> S/P; a country name
  -> the country, never a hotel of the same name),
* importance (population, capitals, admin level, number of alternate names),
* the article's country focus (countries named, demonyms, unambiguous places) and its
  first-level-division focus ("Edgar County" and "Urbana" make "Paris" the one in Illinois);
  a country shares the focus of its own divisions and places,
* containment written out: "Athens, Ga.", "Paris, Texas" (a name, a comma, then a division
  or country holding one of its candidates),
* spatial coherence with the article's other confidently placed toponyms.

Mentions of one name never vote for each other or anchor each other (three "Georgia"s are
not three pieces of evidence for the country). Edit-distance (fuzzy) matches are used only
inside the countries the article is about, found by the first pass. It runs in passes: a
context-free pass that finds anchors, then passes with focus and coherence. A name with no candidate falls back to the resolved place it is tied to in its
sentence ("hills near Ras Baalbek") at ACLED geo_precision 2; one failed name never
empties the article.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from frontlines.geo import haversine_km
from frontlines.geoparse._lexicon import Lexicon, fold
from frontlines.geoparse.recognize import ToponymMatch
from frontlines.model import Place, Toponym

__all__ = ["Context", "Option", "Resolver", "geo_precision", "haversine_km", "rank"]

_COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR", "PCLH"})
# A loose reading this far from every exactly named place of its sentence is dropped.
LOOSE_SENTENCE_KM = 1000.0

_REGION_CODES = frozenset({"ADM1", "ADM1H", "ADM2", "ADM2H", "ADMD", "RGN", "AREA", "CONT",
                           "MTS", "HLLS", "RGNE", "PLAT", "VAL", "VALS", "DSRT", "PEN", "STM",
                           "STMI", "SEA", "OCN", "GULF", "BAY", "LK", "ISLS", "ZN", "PRK", "RES",
                           "PLN", "UPLD", "ISL"}) | _COUNTRY_CODES
_FEATURE_IMPORTANCE = {"PPLC": 0.8, "PPLA": 0.5, "PPLA2": 0.25, "PPLA3": 0.1, "ADM1": 0.6,
                       "ADM2": 0.05, "CONT": 1.5, "PPLG": 0.3, "RGN": 0.2, "MTS": 0.2}
_CLASS_PRIOR = {"P": 0.6, "A": 0.3, "L": 0.15, "T": 0.1, "H": 0.0, "S": -0.8, "R": -0.8,
                "U": -0.8, "V": -0.8}
_MATCH_QUALITY = {"exact": 1.0}
FOCUS_WEIGHT = 3.2  # score for a country holding all of the article's focus
ADMIN_FOCUS_WEIGHT = 2.5  # score for a first-level division holding all of the admin focus
FUZZY_FOCUS = 0.2  # fuzzy matching only in countries with this share of the focus
CONTAINER_WEIGHT = 3.0  # "Athens, Ga.": a place inside the region written after it
LIST_REGION_WEIGHT = 1.5  # a region name listed with other regions is the region
TENTATIVE_RADIUS_KM = 300.0  # a tentative name must lie this close to a firm place
OTHER_NAME_SIMILARITY = 0.75  # a place whose own name is this unlike the name written ...
OTHER_NAME_PENALTY = 0.8  # ... loses this much (it answers to an old or alternate name)
COHERENCE_WEIGHT = 2.0  # score per other name whose likely place lies right beside this one
COHERENCE_CAP = 1.5  # at most this many names' worth of nearness support
COHERENCE_KM = 50.0  # nearness halves at this distance (1 / (1 + (d / km)^2))
# features too large for a distance to their centre to mean anything
_BROAD_CODES = frozenset({"ADM1", "ADM1H", "CONT", "RGN", "RGNE", "OCN", "SEA", "GULF", "ZN",
                          "DSRT", "MTS", "PEN", "PLN", "UPLD", "PLAT", "ISLS", "STM", "STMI",
                          "AREA", "VALS", "BAY", "LK"}) | _COUNTRY_CODES
_DIRECTIONS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern",
                         "western", "central", "northeast", "northwest", "southeast",
                         "southwest", "north east", "north west", "upper", "lower", "greater",
                         "northeastern", "northwestern", "southeastern", "southwestern"})


@dataclass(frozen=True, slots=True)
class Option:
    """A gazetteer candidate for one toponym, with how it was found."""

    place: Place
    matched_name: str
    match: str  # "exact" | "key" | "fuzzy" | "alias"
    similarity: float
    alt_names: int = 0
    via: str = ""  # the name that was looked up
    stripped: bool = False  # found only under the name without its head word


# a candidate as seen from the rest of the article: lat, lon, score gap to its name's best
# candidate (in units of COHERENCE_WEIGHT), geonameid, ISO2, admin1
_Point = tuple[float, float, float, int, str, str]


@dataclass(frozen=True, slots=True)
class Context:
    """What the article says about where it is: country weights and anchor points."""

    focus: dict[str, float] = field(default_factory=dict)  # ISO2 -> share 0..1
    # what each toponym itself contributed to ``focus`` (index -> (ISO2, weight), total
    # weight), so that a name is judged by the rest of the article, not by its own vote
    own: dict[int, tuple[str, float]] = field(default_factory=dict)
    total: float = 0.0
    admin_focus: dict[tuple[str, str], float] = field(default_factory=dict)  # (ISO2, admin1)
    admin_total: float = 0.0
    anchors: tuple[tuple[int, float, float, str], ...] = ()  # (toponym index, lat, lon, name)
    # "Athens, Ga." / "Paris, Texas": index -> (ISO2, admin1 code or "") of the region or
    # country written right after the name, and the region's own index -> the place chosen
    containers: dict[int, tuple[str, str]] = field(default_factory=dict)
    contained: dict[int, int] = field(default_factory=dict)  # container index -> geonameid
    # names in a list of regions ("Georgia, Oklahoma, Pennsylvania and California"): each is
    # most likely a region too, not a town of that name
    regional: frozenset[int] = frozenset()
    admin_own: dict[int, tuple[tuple[str, str], float]] = field(default_factory=dict)
    anchor_countries: dict[int, str] = field(default_factory=dict)  # anchor index -> ISO2
    # folded name of each toponym: mentions of one name never vote for each other (the
    # third "Georgia" is not evidence for the first), nor anchor each other
    names: tuple[str, ...] = ()
    # where each name of the article may be, as the last pass weighed it: folded name ->
    # ((lat, lon, weight 0..1, geonameid), ...) over its point-like candidates. A candidate
    # is supported by the other names' likely candidates near it ("Walker County" and
    # "Huntsville" are both in Texas, 2 km apart, although each alone would be in Alabama).
    field: dict[str, tuple[_Point, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Scored:
    option: Option
    score: float
    why: tuple[str, ...]


def _is_country(place: Place) -> bool:
    return place.feature_code in _COUNTRY_CODES


def geo_precision(place: Place, *, near: bool = False, approximate: bool = False) -> int:
    """ACLED geo_precision: 1 the place itself, 2 near/part of it, 3 a region or country."""
    if place.feature_code == "HLLS":
        return 2  # a named group of hills ("the Kanzouha Hills") is a few km across
    if place.feature_class == "A" or place.feature_code in _REGION_CODES:
        return 3
    if place.feature_class == "L":
        return 3
    return 2 if (near or approximate) else 1


def _similarity(option: Option) -> float:
    sim = option.similarity
    return sim / 100.0 if sim > 1.0 else sim


def score_option(option: Option, match: ToponymMatch, context: Context,
                 *, index: int, rival: bool = False) -> Scored:
    """One candidate's score and the reasons behind it (pure). ``rival``: the name is also,
    exactly, a country or first-level division, so a town of that name needs more support."""
    place = option.place
    why: list[str] = []
    if option.match == "alias":
        quality = 1.0
    else:
        quality = _MATCH_QUALITY.get(option.match, 0.55 * _similarity(option))
        if option.match == "key":
            quality = 0.2 + 0.65 * _similarity(option)
    if option.stripped:
        quality -= 0.35
    score = 2.0 * quality
    why.append(f"{option.match} name {option.matched_name!r}")
    if option.match != "alias" and not _is_country(option.place) and \
            _known_otherwise(option.place.name, option.matched_name):
        score -= OTHER_NAME_PENALTY  # "Maryville" is Beeville's old name, Maryville's own
        why.append(f"known as {option.place.name!r}")
    fc = place.feature_class or "?"
    strong = option.match in ("exact", "alias") or (
        option.match == "key" and _similarity(option) >= 0.8)
    if _is_country(place) and strong and not option.stripped:
        score += 3.0
        why.append("country name")
    elif option.match == "alias" and place.feature_code in ("ADM1", "CONT", "RGN"):
        score += 2.5
        why.append("region name")
    elif match.classes:
        if fc == match.classes[0]:
            score += 1.2
            why.append(f"{fc} fits the expression")
        elif fc in match.classes:
            score += 0.3
            why.append(f"{fc} fits the expression")
        elif fc in ("P", "A"):
            score += 0.0
        else:
            score -= 0.5
    else:
        score += _CLASS_PRIOR.get(fc, -0.3)
    importance = 0.22 * math.log10(place.population + 1)
    importance += _FEATURE_IMPORTANCE.get(place.feature_code, 0.0)
    importance += min(0.6, 0.08 * math.log2(1 + max(0, option.alt_names)))
    score += importance
    share = _share(context, place.country_code, index)
    if share:
        score += FOCUS_WEIGHT * share
        if share >= 0.2:
            why.append(f"country focus {place.country_code}")
    if place.admin1_code:
        admin_share = _admin_share(context, (place.country_code, place.admin1_code), index)
        if admin_share:
            score += ADMIN_FOCUS_WEIGHT * admin_share
            if admin_share >= 0.2:
                why.append(f"admin focus {place.country_code}.{place.admin1_code}")
    if index in context.regional and _is_region_name(option):
        score += LIST_REGION_WEIGHT
        why.append("listed with other regions")
    container = context.containers.get(index)
    if container is not None and place.country_code == container[0] and (
            not container[1] or place.admin1_code == container[1]):
        score += CONTAINER_WEIGHT
        why.append(f"in {container[0]}{'.' + container[1] if container[1] else ''}, "
                   "as written after it")
    if context.contained.get(index) == place.geonameid:
        score += CONTAINER_WEIGHT / 2
        why.append("holds the place named before it")
    if _is_country(place):
        # a country holds its divisions and places: it shares their focus and nearness
        inside = sum(v for (code, _a), v in context.admin_focus.items()
                     if code == place.country_code)
        if inside:
            score += ADMIN_FOCUS_WEIGHT * inside
        held = [name for other, _lat, _lon, name in context.anchors if other != index and
                not _same_name(context, other, index) and
                context.anchor_countries.get(other) == place.country_code]
        if held:
            score += 1.2
            why.append(f"holds {held[0]}")
    support = coherence(place, context, index=index)
    if option.match not in ("exact", "alias") or option.stripped:
        support *= 0.5  # a loose spelling borrows less from its neighbours
    if rival and place.feature_code not in _BROAD_CODES:
        support *= 0.5  # "California" the state, unless the town is what the text is about
    if support > 0.05:
        score += COHERENCE_WEIGHT * support
        why.append(f"near the article's other places ({support:.2f})" if place.feature_code
                   not in _BROAD_CODES else f"holds the article's other places ({support:.2f})")
    if _is_country(place) or context.field:
        return Scored(option, score, tuple(why))
    best: tuple[float, str] | None = None
    for other, lat, lon, name in context.anchors:
        if other == index or _same_name(context, other, index):
            continue
        d = haversine_km(place.latitude, place.longitude, lat, lon)
        if best is None or d < best[0]:
            best = (d, name)
    if best is not None:
        d, name = best
        bonus = 1.2 if d < 30 else 0.8 if d < 100 else 0.4 if d < 250 else 0.0
        if bonus:
            score += bonus
            why.append(f"{d:.0f} km from {name}")
    return Scored(option, score, tuple(why))


def nearness(km: float) -> float:
    """1 beside, 0.5 at ``COHERENCE_KM``, about 0 at ten times that."""
    return 1.0 / (1.0 + (km / COHERENCE_KM) ** 2)


def coherence(place: Place, context: Context, *, index: int) -> float:
    """How many of the article's other names lie beside ``place`` (0..cap, pure).

    Each other name lends what its best reading gains from ``place``: over its candidates,
    the largest nearness to ``place`` (1 beside, 0.5 at ``COHERENCE_KM``; for a country or
    first-level division, 1 inside it) less that candidate's score gap to the name's best
    candidate (in units of ``COHERENCE_WEIGHT``). So "Huntsville" lends almost a full name
    to the Walker County beside Huntsville, Texas, although Huntsville alone would be the
    one in Alabama. The toponym's own name lends nothing, nor does the same gazetteer entry
    under another name ("Dublin City" does not confirm "Dublin")."""
    if not context.field:
        return 0.0
    own = context.names[index] if index < len(context.names) else None
    broad = place.feature_code in _BROAD_CODES
    if broad:
        # a country or first-level division: the other names inside it
        if not place.country_code or not (_is_country(place) or (
                place.feature_code == "ADM1" and place.admin1_code)):
            return 0.0
        admin1 = "" if _is_country(place) else place.admin1_code
    lat, lon = place.latitude, place.longitude
    total = 0.0
    for name, points in context.field.items():
        if name == own:
            continue
        best = 0.0
        for plat, plon, gap, gid, code, adm in points:
            if gid == place.geonameid or 1.0 - gap <= best:
                continue
            if broad:
                near = 1.0 if code == place.country_code and (
                    not admin1 or adm == admin1) else 0.0
            elif abs(plat - lat) > 6.0:
                continue
            else:
                near = nearness(haversine_km(lat, lon, plat, plon))
            best = max(best, near - gap)
        total += best
    return min(COHERENCE_CAP, total)


def _share(context: Context, code: str, index: int) -> float:
    """The article's focus on country ``code`` without toponym ``index``'s own vote."""
    share = context.focus.get(code, 0.0)
    own = context.own.get(index)
    if own is None or context.total <= own[1]:
        return share if own is None else 0.0
    votes = share * context.total - (own[1] if own[0] == code else 0.0)
    return max(0.0, votes) / (context.total - own[1])


def _same_name(context: Context, a: int, b: int) -> bool:
    names = context.names
    return a < len(names) and b < len(names) and names[a] == names[b]


def _admin_share(context: Context, key: tuple[str, str], index: int) -> float:
    """The article's focus on first-level division ``key`` without toponym ``index``'s vote."""
    share = context.admin_focus.get(key, 0.0)
    own = context.admin_own.get(index)
    if own is None:
        return share
    total = context.admin_total
    if total <= own[1]:
        return 0.0
    votes = share * total - (own[1] if own[0] == key else 0.0)
    return max(0.0, votes) / (total - own[1])


def rank(options: Sequence[Option], match: ToponymMatch, context: Context, *,
         index: int = 0) -> list[Scored]:
    """Options best first (pure)."""
    rival = any(_is_region_name(o) for o in options)
    scored = [score_option(o, match, context, index=index, rival=rival) for o in options]
    scored.sort(key=lambda s: (-s.score, -s.option.place.population, s.option.place.geonameid))
    return scored


def _is_region_name(option: Option) -> bool:
    """The option is a country or first-level division called exactly by the name."""
    return not option.stripped and option.match in ("exact", "alias") and (
        _is_country(option.place) or option.place.feature_code == "ADM1")


def _confidence(scored: Sequence[Scored]) -> float:
    """Softmax weight of the best option among all (0..1)."""
    if not scored:
        return 0.0
    top = scored[0].score
    total = sum(math.exp(s.score - top) for s in scored)
    return 1.0 / total


class Resolver:
    """Resolve ``ToponymMatch`` records of one article to places, with context."""

    def __init__(self, gazetteer, *, lexicon: Lexicon | None = None,
                 cache_size: int = 50_000) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon or Lexicon.load()
        self._cache: dict[tuple[str, bool, tuple[str, ...]], list[Option]] = {}
        self._cache_size = cache_size
        self._countries: dict[str, Place | None] = {}

    # --- retrieval (I/O) ----------------------------------------------------------------
    def _lookup(self, name: str, *, fuzzy: bool, stripped: bool = False,
                countries: tuple[str, ...] = ()) -> list[Option]:
        key = (name, fuzzy, countries)
        if key not in self._cache:
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            found = self.gazetteer.lookup(name, limit=25, fuzzy=fuzzy,
                                          countries=list(countries) or None)
            self._cache[key] = [
                Option(c.place, c.matched_name, c.match, float(c.similarity),
                       int(getattr(c, "alt_names", 0) or 0), via=name)
                for c in found]
        options = self._cache[key]
        if stripped:
            options = [Option(o.place, o.matched_name, o.match, o.similarity, o.alt_names,
                              via=o.via, stripped=True) for o in options]
        return options

    def country(self, code: str) -> Place | None:
        if code not in self._countries:
            self._countries[code] = self.gazetteer.country(code)
        return self._countries[code]

    def _named(self, name: str, *, stripped: bool = False) -> list[Option]:
        """Country aliases and regions.csv entries answering to ``name``."""
        options = []
        code = self.lexicon.country_aliases.get(fold(name))
        place = self.country(code) if code else None
        if place is not None:
            options.append(Option(place, name, "alias", 1.0, 0, via=name, stripped=stripped))
        for place in self.lexicon.regions.get(fold(name), ()):
            options.append(Option(place, name, "alias", 1.0, 0, via=name, stripped=stripped))
        return options

    def candidates(self, match: ToponymMatch, *, fuzzy_in: tuple[str, ...] | None = None,
                   parts: bool = False) -> list[Option]:
        """Gazetteer options for one toponym: alias, name, stripped name (without its head
        word or a leading direction: "Northeast Georgia" -> "Georgia"), then fuzzy.

        Fuzzy (edit-distance) matching runs only when ``fuzzy_in`` names countries, and only
        inside them: a misspelling is trusted where the article already is, not worldwide
        ("Harwinton" is no "Harrington" anywhere on earth)."""
        name = match.text
        if fold(name).startswith("the "):
            name = name[4:]
        options = self._named(name) + self._lookup(name, fuzzy=False)
        variants = []
        if match.stripped and fold(match.stripped) != fold(name):
            variants.append(match.stripped)
        words = name.split()
        if len(words) > 1 and fold(words[0]) in _DIRECTIONS:
            variants.append(" ".join(words[1:]))
        exact = any(o.match in ("exact", "alias") for o in options)
        for variant in variants:
            if not exact or variant == match.stripped:
                options += self._named(variant, stripped=True)
                options += self._lookup(variant, fuzzy=False, stripped=True)
        if fuzzy_in and not any(o.match in ("exact", "key", "alias") for o in options):
            loose = self._lookup(name, fuzzy=True)
            for variant in variants:
                loose += self._lookup(variant, fuzzy=True, stripped=True)
            options += [o for o in loose if o.place.country_code in fuzzy_in]
        if not options and parts:
            options = self._part_options(name)
        exact = any(o.match in ("exact", "alias") and not o.stripped for o in options)
        best: dict[int, Option] = {}
        order = {"alias": 0, "exact": 1, "key": 2, "fuzzy": 3}
        for o in options:
            if o.match == "fuzzy" and _surface_similarity(o.via, o.matched_name) < 0.85:
                continue
            if o.match == "key" and _similarity(o) < (0.85 if exact else 0.5):
                continue  # a key collision ("Qaa" ~ "KYE"), not a spelling of the name
            if o.stripped and (o.match == "fuzzy" or (o.match == "key" and (
                    _similarity(o) < 0.75 or _surface_similarity(o.via, o.matched_name) < 0.85))):
                continue  # a part of the name, loosely matched: "Red (River)" ~ "Riyadh"
            if o.match in ("exact", "key") and _is_code(o.matched_name) and \
                    not _is_code(o.via.replace(".", "")):
                continue  # "Ind." is Indiana, not India's code "IND"
            kept = best.get(o.place.geonameid)
            if kept is None or (o.stripped, order.get(o.match, 4), -o.similarity) < (
                    kept.stripped, order.get(kept.match, 4), -kept.similarity):
                best[o.place.geonameid] = o
        return list(best.values())

    def _part_options(self, name: str) -> list[Option]:
        """A name the gazetteer lacks, read through its longest known part: "Titus County
        Jail" -> "Titus County", "Paris-Henry County" -> both, "City of Norfolk" ->
        "Norfolk". Exact names only, marked stripped (the place is approximate)."""
        found: list[Option] = []
        parts = _name_parts(name, self.lexicon.stop_words, self.lexicon.suffix_heads)
        for words in parts:
            longest = len(words) if len(parts) > 1 else len(words) - 1
            for size in range(longest, 0, -1):
                hits = []
                for i in range(len(words) - size + 1):
                    part = words[i:i + size]
                    if size == 1 and (len(part[0]) < 4 or not part[0][:1].isupper()):
                        continue
                    text = " ".join(part)
                    hits += [o for o in self._named(text, stripped=True) +
                             self._lookup(text, fuzzy=False, stripped=True)
                             if o.match in ("exact", "alias")]
                if hits:
                    found += hits
                    break
        return found

    # --- article-level resolution -------------------------------------------------------
    def resolve(self, text: str, matches: Sequence[ToponymMatch], *,
                sentences: Sequence[tuple[int, int]] = ()) -> list[Toponym]:
        """One ``Toponym`` per match, in the same order."""
        options = [self.candidates(m) for m in matches]
        demonym_focus = self._demonym_focus(text)
        blank = _containers(text, matches, options)
        first = [rank(o, m, blank, index=k) for k, (o, m) in enumerate(zip(options, matches))]
        context = self._context(first, matches, demonym_focus, blank)
        focus = tuple(c for c, share in sorted(context.focus.items(), key=lambda x: -x[1])
                      if share >= FUZZY_FOCUS and c)[:3]
        if focus:
            for k, m in enumerate(matches):
                if not any(o.match in ("exact", "key", "alias") for o in options[k]):
                    options[k] = self.candidates(m, fuzzy_in=focus)
        final = [rank(o, m, context, index=k) for k, (o, m) in enumerate(zip(options, matches))]
        context = self._context(final, matches, demonym_focus, blank)
        final = [rank(o, m, context, index=k) for k, (o, m) in enumerate(zip(options, matches))]
        toponyms = [self._toponym(m, s) for m, s in zip(matches, final)]
        toponyms = _drop_far_loose(text, toponyms, final, sentences)
        toponyms = self._fallback(text, toponyms, sentences)
        parted: set[int] = set()
        for k, (m, t) in enumerate(zip(matches, toponyms)):
            if t.place is None and not options[k]:
                # neither the name nor a place it is tied to: read it through its parts
                scored = rank(self.candidates(m, parts=True), m, context, index=k)
                if scored:
                    toponyms[k] = self._toponym(m, scored)
                    final[k] = scored
                    parted.add(k)
        if parted:  # a part is a loose reading too ("Ain al-Hilweh" is not Al Ain)
            toponyms = _drop_far_loose(text, toponyms, final, sentences, only=parted)
        return _keep_coherent(toponyms, matches)

    def _demonym_focus(self, text: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        folded = f" {fold(text)} "
        for demonym, code in self.lexicon.demonyms.items():
            if code and f" {demonym} " in folded:
                counts[code] += 0.5
        return counts

    def _context(self, ranked: Sequence[Sequence[Scored]], matches: Sequence[ToponymMatch],
                 demonyms: Counter[str], base: Context | None = None) -> Context:
        base = base or Context()
        votes: Counter[str] = Counter(demonyms)
        admin_votes: Counter[tuple[str, str]] = Counter()
        own: dict[int, tuple[str, float]] = {}
        admin_own: dict[int, tuple[tuple[str, str], float]] = {}
        anchor_countries: dict[int, str] = {}
        anchors = []
        for k, scored in enumerate(ranked):
            if not scored:
                continue
            top = scored[0]
            place = top.option.place
            conf = _confidence(scored)
            if _is_country(place):
                votes[place.country_code] += 2.0
                own[k] = (place.country_code, 2.0)
                continue
            votes[place.country_code] += conf
            own[k] = (place.country_code, conf)
            if place.admin1_code:
                weight = 2.0 if place.feature_code == "ADM1" else conf
                admin_votes[(place.country_code, place.admin1_code)] += weight
                admin_own[k] = ((place.country_code, place.admin1_code), weight)
            margin = scored[0].score - scored[1].score if len(scored) > 1 else 9.0
            if margin >= 0.5 and place.feature_code not in _REGION_CODES:
                anchors.append((k, place.latitude, place.longitude, matches[k].text))
                anchor_countries[k] = place.country_code
        names = tuple(fold(m.text) for m in matches)
        field_ = _field(ranked, matches, names)
        own = _by_name(own, names)
        admin_own = _by_name(admin_own, names)
        total = sum(votes.values())
        focus = {c: v / total for c, v in votes.items()} if total else {}
        admin_total = float(sum(admin_votes.values()))
        admin_focus = {k: v / admin_total for k, v in admin_votes.items()} if admin_total else {}
        return dataclasses.replace(
            base, focus=focus, admin_focus=admin_focus,
            anchors=tuple(anchors), own=own, total=total, admin_own=admin_own,
            admin_total=admin_total, anchor_countries=anchor_countries, names=names,
            field=field_)

    def _toponym(self, match: ToponymMatch, scored: Sequence[Scored]) -> Toponym:
        base = dict(text=match.text, start=match.start, end=match.end,
                    recognizer=match.recognizer)
        if not scored:
            return Toponym(**base, reason="no candidate in gazetteer")
        top = scored[0]
        place = top.option.place
        reasons = list(top.why)
        if len(scored) > 1:
            second = scored[1]
            other = second.option.place
            far = haversine_km(place.latitude, place.longitude, other.latitude,
                               other.longitude) > 161
            if far and top.score - second.score < 0.15:
                reasons.insert(0, f"ambiguous: {place.name} ({place.country_code}) vs "
                                  f"{other.name} ({other.country_code}), chose the first")
        approximate = top.option.stripped
        if approximate:
            reasons.append(f"placed via {top.option.via!r} (name without its head word)")
        if match.near:
            reasons.append("text says near/around it")
        precision = geo_precision(place, near=match.near, approximate=approximate)
        return Toponym(**base, place=place, reason="; ".join(reasons),
                       score=round(_confidence(scored), 4), geo_precision=precision)

    def _fallback(self, text: str, toponyms: list[Toponym],
                  sentences: Sequence[tuple[int, int]]) -> list[Toponym]:
        """Unplaced names take the resolved place they are tied to in their sentence."""
        if not any(t.place is None for t in toponyms):
            return toponyms
        out = list(toponyms)
        for k, t in enumerate(toponyms):
            if t.place is not None:
                continue
            sent = next(((a, b) for a, b in sentences if a <= t.start < b), None)
            if sent is None:
                sent = _sentence_around(text, t.start)
            best: tuple[float, Toponym] | None = None
            for o in toponyms:
                if o.place is None or not (sent[0] <= o.start < sent[1]):
                    continue
                if _is_country(o.place) or o.place.feature_code in ("ADM1", "CONT"):
                    continue
                gap = o.start - t.end if o.start >= t.end else t.start - o.end
                between = fold(text[min(t.end, o.end):max(t.start, o.start)]).split()
                tied = o.start >= t.end and len(between) <= 4 and any(
                    w in between for w in ("near", "of", "outside", "around", "in", "by"))
                if not tied and t.recognizer not in ("head-word", "list"):
                    continue
                weight = gap - (1000 if tied else 0)
                if best is None or weight < best[0]:
                    best = (weight, o)
            if best is None:
                continue
            anchor = best[1]
            out[k] = t.replace(place=anchor.place, geo_precision=max(2, anchor.geo_precision or 2),
                               score=round(0.3 * anchor.score, 4),
                               reason=f"no candidate in gazetteer for {t.text!r}; placed at "
                                      f"{anchor.text!r}, the resolved place it is tied to in "
                                      f"its sentence")
        return out




def _field(ranked: Sequence[Sequence[Scored]], matches: Sequence[ToponymMatch],
           names: Sequence[str]) -> dict[str, tuple[_Point, ...]]:
    """Point-like candidates of each firm name with their score gap to the name's best
    candidate, in units of ``COHERENCE_WEIGHT`` (0 for the best; gaps of 1 or more lend
    nothing and are left out). Tentative names lend nothing."""
    points: dict[str, dict[int, _Point]] = {}
    for k, scored in enumerate(ranked):
        if not scored or matches[k].tentative:
            continue
        top = scored[0].score
        mine = points.setdefault(names[k], {})
        for s in scored:
            gap = (top - s.score) / COHERENCE_WEIGHT
            place = s.option.place
            if gap >= 1.0 or place.feature_code in _BROAD_CODES:
                continue
            old = mine.get(place.geonameid)
            if old is None or old[2] > gap:
                mine[place.geonameid] = (place.latitude, place.longitude, gap, place.geonameid,
                                         place.country_code, place.admin1_code or "")
    return {name: tuple(p.values()) for name, p in points.items() if p}


def _by_name(own: dict, names: Sequence[str]) -> dict:
    """Each toponym's own vote widened to the votes of every mention of the same name."""
    totals: Counter = Counter()
    for k, (key, weight) in own.items():
        totals[(names[k], key)] += weight
    return {k: (key, totals[(names[k], key)]) for k, (key, _w) in own.items()}


_APPOSITION = re.compile(r"\s*,\s*$")


def _containers(text: str, matches: Sequence[ToponymMatch],
                options: Sequence[Sequence[Option]]) -> Context:
    """"Athens, Ga.", "Paris, Texas", "Tyre, Lebanon": a name followed by a comma and a
    first-level division or country that holds one of its candidates is read as inside it
    (the pair with the best context-free scores wins when several fit)."""
    containers: dict[int, tuple[str, str]] = {}
    contained: dict[int, int] = {}
    lists = _lists(text, matches)
    listed = {k for members in lists if len(members) >= 3 for k in members}
    for k in range(len(matches) - 1):
        here, after = matches[k], matches[k + 1]
        if not _APPOSITION.fullmatch(text[here.end:after.start]):
            continue
        if k in listed and any(_is_region_name(o) for o in options[k]):
            continue  # "Georgia, Iraq, Iran and Syria": a list of countries, not Iraq in Iran
        regions = [o for o in options[k + 1] if (_is_country(o.place) or
                   o.place.feature_code == "ADM1") and o.match in ("exact", "alias")
                   and not o.stripped]
        if not regions:
            continue
        best: tuple[float, Option] | None = None
        for region in regions:
            code, admin1 = region.place.country_code, (
                "" if _is_country(region.place) else region.place.admin1_code or "")
            if not code or (region.place.feature_code == "ADM1" and not admin1):
                continue
            inside = [o for o in options[k] if o.place.country_code == code and (
                not admin1 or o.place.admin1_code == admin1) and
                o.place.geonameid != region.place.geonameid]
            if not inside:
                continue
            fit = max(score_option(o, here, Context(), index=k).score for o in inside)
            fit += score_option(region, after, Context(), index=k + 1).score
            if best is None or fit > best[0]:
                best = (fit, region)
        if best is None:
            continue
        region = best[1].place
        containers[k] = (region.country_code,
                         "" if _is_country(region) else region.admin1_code or "")
        contained[k + 1] = region.geonameid
    return Context(containers=containers, contained=contained,
                   regional=_regional(lists, options))


def _lists(text: str, matches: Sequence[ToponymMatch]) -> list[list[int]]:
    """The matches grouped into runs joined by commas, "and" or "or" ("Arizona, Illinois,
    Missouri and New Jersey"); a name standing alone is a run of one."""
    lists: list[list[int]] = []
    for k in range(len(matches)):
        if k and _LIST_GAP.fullmatch(text[matches[k - 1].end:matches[k].start]):
            lists[-1].append(k)
        else:
            lists.append([k])
    return lists


def _regional(lists: Sequence[Sequence[int]],
              options: Sequence[Sequence[Option]]) -> frozenset[int]:
    """Indexes of names in a list of three or more of which at least two others are, by
    name, countries or first-level divisions."""
    out: set[int] = set()
    for members in lists:
        if len(members) < 3:
            continue
        regions = {k for k in members if any(_is_region_name(o) for o in options[k])}
        out.update(k for k in members if len(regions - {k}) >= 2)
    return frozenset(out)


_LIST_GAP = re.compile(r"\s*,?\s*(and|or)?\s*")


def _drop_far_loose(text: str, toponyms: list[Toponym], ranked: Sequence[Sequence[Scored]],
                    sentences: Sequence[tuple[int, int]], *,
                    only: set[int] | None = None) -> list[Toponym]:
    """Unplace a loose reading (a spelling-key, fuzzy or head-stripped match) that lies
    more than ``LOOSE_SENTENCE_KM`` from every place its own sentence (else the article)
    names exactly: "the Yakla area of al-Bayda province in Yemen" is not Ackley, Iowa;
    "Ain al-Hilweh camp near Sidon" is not Al Ain. The fallback then places it at the place
    it is tied to. ``only``: check just these indices, whatever their match (names read
    through a part)."""
    exact = [(j, o.start, o.place) for j, o in enumerate(toponyms)
             if o.place is not None and ranked[j]
             and ranked[j][0].option.match in ("exact", "alias")
             and not ranked[j][0].option.stripped and not _is_country(o.place)
             and o.place.feature_code != "CONT"]
    out = list(toponyms)
    for k, (t, scored) in enumerate(zip(toponyms, ranked)):
        if t.place is None or not scored or _is_country(t.place):
            continue
        top = scored[0].option
        loose = k in only if only is not None else (
            top.match in ("key", "fuzzy") or top.stripped)
        if not loose:
            continue
        sent = next(((a, b) for a, b in sentences if a <= t.start < b), None) \
            or _sentence_around(text, t.start)
        others = [(start, p) for j, start, p in exact if j != k]
        # the sentence's places, else (a headline, a short line) the article's
        firm = [p for start, p in others if sent[0] <= start < sent[1]] or [p for _, p in others]
        if firm and all(haversine_km(t.place.latitude, t.place.longitude, p.latitude,
                                     p.longitude) > LOOSE_SENTENCE_KM for p in firm):
            out[k] = Toponym(text=t.text, start=t.start, end=t.end, recognizer=t.recognizer,
                             reason=f"loose match {top.matched_name!r} ({t.place.country_code}) "
                                    f"lies over {LOOSE_SENTENCE_KM:.0f} km from every place "
                                    f"its sentence or article names")
    return out


def _keep_coherent(toponyms: list[Toponym], matches: Sequence[ToponymMatch]) -> list[Toponym]:
    """Drop tentative names (gazetteer-only, no cue) that lie far from every firm place."""
    firm = [t.place for t, m in zip(toponyms, matches) if t.place is not None and
            not m.tentative and not _is_country(t.place) and t.place.feature_code != "CONT"]
    kept = []
    for t, m in zip(toponyms, matches):
        if m.tentative:
            if t.place is None or t.place.feature_class not in ("P", "T", "H", "S", "L", "A"):
                continue
            if not any(haversine_km(t.place.latitude, t.place.longitude, p.latitude,
                                    p.longitude) <= TENTATIVE_RADIUS_KM for p in firm):
                continue
            t = t.replace(reason=t.reason + "; kept: near the article's other places")
        kept.append(t)
    return kept


_PART_BREAK = re.compile(r"\s+(?:of|in|to|at|for|and)\s+|\s*[-\u2013\u2014]\s*|['\u2019]s?\s+")


def _name_parts(name: str, stop_words: frozenset[str],
                heads: frozenset[str] | dict = frozenset()) -> list[list[str]]:
    """The word runs of a long name between connectors, dashes and possessives, each without
    stop words at its ends, head words ("County") aside: "the State of Illinois' Web" ->
    [Illinois, Web]; "Paris-Henry County" -> [Paris], [Henry, County]."""
    parts = []
    for piece in _PART_BREAK.split(name):
        words = [w.strip(".,;:()\"'\u2019") for w in piece.split()]
        words = [w for w in words if w]
        while words and fold(words[0]) in stop_words:
            words = words[1:]
        while words and fold(words[-1]) in stop_words and fold(words[-1]) not in heads:
            words = words[:-1]
        if words:
            parts.append(words)
    return parts


def _is_code(name: str) -> bool:
    """An all-capitals code such as "IND", "GHA", "KYE"."""
    return 2 <= len(name) <= 4 and name.isalpha() and name.isupper()


def _surface_similarity(a: str, b: str) -> float:
    """Similarity of two names as written (case, marks and articles aside), 0..1."""
    from rapidfuzz import fuzz

    return fuzz.ratio(_bare(a), _bare(b)) / 100.0


def _known_otherwise(own: str, written: str) -> bool:
    """The place's own name is another name than the one written: not a spelling of it
    ("Beeville" for "Maryville") nor it with a head word ("Qornet Hill" for "Qornet")."""
    a, b = _bare(own).split(), _bare(written).split()
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if any(long_[i:i + len(short)] == short for i in range(len(long_) - len(short) + 1)):
        return False
    return _surface_similarity(own, written) < OTHER_NAME_SIMILARITY


def _bare(name: str) -> str:
    words = fold(name).split()
    kept = [w for w in words if w not in _ARTICLES] or words
    return " ".join(kept)


_ARTICLES = frozenset({"al", "el", "ar", "as", "ash", "an", "ad", "az", "at", "ath", "adh",
                       "ech", "ej", "the"})


def _sentence_around(text: str, offset: int) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, offset), text.rfind("\n", 0, offset))
    ends = [e for e in (text.find(". ", offset), text.find("\n", offset)) if e != -1]
    return (start + 1 if start >= 0 else 0), (min(ends) + 1 if ends else len(text))
