"""Article-level passes around ranking: containers written after a name ("Paris, Texas"),
lists of regions, the coherence field, dropping far loose readings and tentative names far
from the firm ones, and reading a name through its parts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from frontlines.geo import haversine_km
from frontlines.geoparse._lexicon import fold
from frontlines.geoparse.rank import (
    COHERENCE_WEIGHT,
    LOOSE_SENTENCE_KM,
    TENTATIVE_RADIUS_KM,
    _BROAD_CODES,
    Context,
    Option,
    Scored,
    _is_country,
    _is_region_name,
    _Point,
    _sentence_around,
    score_option,
)
from frontlines.geoparse.recognize import ToponymMatch
from frontlines.model import Toponym


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
