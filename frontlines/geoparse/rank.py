"""Ranking of one toponym's gazetteer options (pure): scores, reasons, coherence.

Each option is weighed by name-match quality, feature-class fit, importance, the article's
country and first-level-division focus, containment written out ("Athens, Ga."), and
spatial coherence with the article's other names; every score carries its ``why``. See
``frontlines.geoparse.resolve`` for how the passes use it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from frontlines.geo import haversine_km
from frontlines.geoparse._lexicon import fold
from frontlines.geoparse.recognize import ToponymMatch
from frontlines.model import Place

__all__ = ["COHERENCE_WEIGHT", "Context", "Option", "Scored", "coherence", "geo_precision",
           "haversine_km", "nearness", "rank", "score_option"]

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
