"""Containment as a constraint: "X in Y", "X in rural Y", "X in the Y countryside", "X, Y",
"X (Y, Z)", "the X district of Y", "on the X front in Y", "near X in Y".

X must lie inside Y: in Y's country, in Y's first-level division when both carry admin
codes, else within a radius that fits Y's kind (a governorate, a district, a city and its
countryside, a town). When X's chosen reading is outside Y, the best reading of X inside Y
replaces it; when no reading of X lies in Y (or X has none), X is placed at Y itself with
ACLED geo_precision 2 (Y a town) or 3 (Y a region), never at a namesake elsewhere. Y written
as a region ("in al-Hasakeh countryside", "Idlib province") holds X when any of its namesake
divisions in its country does (the governorate as well as the district or city chosen). Pairs are
read right to left, so in "X (A, B)" A is first held in B, then X in A.

The words (part nouns, connectors, qualifiers) are data:
``frontlines/data/geoparse/placement.yaml``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from frontlines.geo import haversine_km
from frontlines.geoparse._lexicon import DATA_DIR
from frontlines.geoparse.rank import Scored, _is_country, geo_precision
from frontlines.geoparse.recognize import ToponymMatch
from frontlines.model import Place, Toponym

__all__ = ["Placement", "contain", "inside", "radius_km"]

# how far from its point a place of this kind reaches (km)
_RADIUS = {"ADM1": 200.0, "ADM1H": 200.0, "RGN": 200.0, "ADM2": 80.0, "ADM2H": 80.0,
           "ADMD": 80.0, "ADM3": 40.0, "PPLC": 40.0, "PPLA": 35.0, "PPLA2": 25.0,
           "PPLA3": 20.0, "DSRT": 200.0, "MTS": 80.0, "VAL": 40.0, "PLN": 60.0}
_TOWN_RADIUS = 15.0
_AROUND_KM = 60.0  # a city's countryside / governorate named after it reaches this far


@dataclass(frozen=True, slots=True)
class Placement:
    """The words of ``placement.yaml``, compiled."""

    gap: re.Pattern[str]  # text between X and Y that says X is inside Y
    after: re.Pattern[str]  # text right after Y that makes Y a region around it
    attributive: frozenset[str]

    @classmethod
    @functools.lru_cache(maxsize=4)
    def load(cls, path: str | None = None) -> Placement:
        data = yaml.safe_load(open(path or DATA_DIR / "placement.yaml", encoding="utf-8"))

        def alt(words: Sequence[str]) -> str:
            return "|".join(re.escape(str(w)).replace(r"\ ", r"\s+")
                            for w in sorted(words, key=len, reverse=True))

        parts, conn, qual = alt(data["parts"]), alt(data["connectors"]), alt(data["qualifiers"])
        gap = (rf"\s*(?:\(\s*|,\s*|(?:(?:{parts})\s+)?(?:(?:{conn})\s+)"
               rf"(?:(?:{qual})\s+)*(?:(?:{parts})\s+(?:of\s+)?)?)")
        return cls(gap=re.compile(gap + r"$", re.IGNORECASE),
                   after=re.compile(rf"^\s*(?:{alt(data['region_after'])})\b", re.IGNORECASE),
                   attributive=frozenset(str(w).lower() for w in data["attributive_after"]))


def radius_km(place: Place, *, around: bool = False) -> float:
    """How far from its point ``place`` reaches; ``around``: its countryside too."""
    r = _RADIUS.get(place.feature_code or "", _TOWN_RADIUS)
    if place.feature_class == "A" and r == _TOWN_RADIUS:
        r = 80.0
    return max(r, _AROUND_KM) if around else r


def inside(x: Place, y: Place, *, around: bool = False) -> bool:
    """Does ``x`` lie inside ``y`` (country, admin codes, else a radius fit for y's kind)?"""
    if x.country_code and y.country_code and x.country_code != y.country_code:
        # border towns: a radius still decides when the countries differ only by a line
        return False
    if _is_country(y):
        return True
    if y.feature_code == "ADM1" and y.admin1_code and x.admin1_code:
        return x.admin1_code == y.admin1_code
    if y.feature_code == "ADM2" and y.admin2_code and x.admin2_code and x.admin1_code:
        return x.admin1_code == y.admin1_code and x.admin2_code == y.admin2_code
    d = haversine_km(x.latitude, x.longitude, y.latitude, y.longitude)
    return d <= radius_km(y, around=around)


def _rank_of(place: Place) -> int:
    """0 a point, 1 a district, 2 a first-level division or region, 3 a country."""
    if _is_country(place):
        return 3
    code = place.feature_code or ""
    if code in ("ADM1", "ADM1H", "RGN", "CONT"):
        return 2
    return 1 if code.startswith("ADM") else 0


def _holds(place: Place, around: bool) -> bool:
    """Y is a container whose reading can overrule an exact name: a division or region, a
    capital or seat, or a city written with its countryside."""
    return around or place.feature_class == "A" or _is_country(place) or \
        (place.feature_code or "") in ("PPLC", "PPLA", "PPLA2", "RGN", "DSRT")


def _holders(y: Place, readings: Sequence[Scored], around: bool) -> list[Place]:
    """What Y may mean as a container: its chosen reading and, when written as a region
    ("in al-Hasakeh countryside", "Idlib province"), its namesake divisions in the same
    country (the governorate and the district named after the city)."""
    out = [y]
    if not around:
        return out
    for s in readings:
        p = s.option.place
        if p.geonameid != y.geonameid and p.feature_class == "A" and not _is_country(p) and \
                p.country_code == y.country_code and s.option.match in ("exact", "key", "alias") \
                and not s.option.stripped:
            out.append(p)
    return out


def _pairs(text: str, matches: Sequence[ToponymMatch], placement: Placement
           ) -> list[tuple[int, int, bool]]:
    """(X index, Y index, Y is a region around its point) for each written containment."""
    out = []
    listed = _listed(text, matches)
    for k in range(len(matches) - 1):
        j = k + 1
        gap = text[matches[k].end:matches[j].start]
        if len(gap) > 60 or "\n" in gap or not placement.gap.fullmatch(gap):
            continue
        if gap.strip() == "," and k in listed:
            continue  # "Homs, Hama and Idlib": a list, not Homs in Hama
        around = bool(placement.after.match(text[matches[j].end:matches[j].end + 30]))
        out.append((k, j, around))
    return out


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:(?:and|or)\s+)?|(?:and|or)\s+)")


def _listed(text: str, matches: Sequence[ToponymMatch]) -> set[int]:
    """Indexes of names in a list of peers: a run of names joined by commas that closes with
    "and"/"or" and has three or more members ("Arkansas, Colorado, Delaware and Maine"), or
    that has four or more ("Migori, Homa Bay, Rongo, Kisii"). "Tal Hamis, al-Hasakeh, Syria"
    is a chain of containers, not a list."""
    listed: set[int] = set()
    k = 0
    while k < len(matches):
        j, closed = k, False
        while j + 1 < len(matches):
            gap = text[matches[j].end:matches[j + 1].start]
            if not _LIST_GAP.fullmatch(gap):
                break
            closed = closed or bool(re.search(r"\b(?:and|or)\b", gap))
            j += 1
        size = j - k + 1
        if (closed and size >= 3) or size >= 4:
            listed.update(range(k, j + 1))
        k = j + 1
    return listed


def contain(text: str, matches: Sequence[ToponymMatch], toponyms: list[Toponym],
            ranked: Sequence[Sequence[Scored]], *, placement: Placement | None = None
            ) -> list[Toponym]:
    """``toponyms`` with every written containment enforced (module docstring)."""
    placement = placement or Placement.load()
    out = list(toponyms)
    for k, j, around in reversed(_pairs(text, matches, placement)):
        x, y = out[k], out[j]
        if y.place is None or (x.place is not None and _is_country(x.place)):
            continue
        holders = _holders(y.place, ranked[j] if j < len(ranked) else (), around)
        if x.place is not None and (x.place.geonameid == y.place.geonameid or any(
                inside(x.place, h, around=around) for h in holders)):
            continue
        if x.place is not None and _rank_of(x.place) > _rank_of(y.place):
            continue  # "Lod (Hamerkaz, Ramla)": a region is not held by a town
        firm_x = x.place is not None and ranked[k] and ranked[k][0].option.match in (
            "exact", "alias") and not ranked[k][0].option.stripped
        if firm_x and not _holds(y.place, around):
            continue  # "Yabroud in the Qalamoun": a town named Qalamoun may be the wrong one
        fits = [s for s in ranked[k] if s.option.place.geonameid != y.place.geonameid
                and any(inside(s.option.place, h, around=around) for h in holders)
                and not _is_country(s.option.place)]
        written = f"{y.text!r} ({y.place.name}, {y.place.country_code})"
        if fits:
            best = fits[0]
            place = best.option.place
            was = (f"; {x.place.name} ({x.place.country_code}) lies outside it"
                   if x.place is not None else "")
            out[k] = x.replace(place=place, geo_precision=geo_precision(
                place, near=matches[k].near, approximate=best.option.stripped),
                reason=f"contained: in {written} as written{was}; " + "; ".join(best.why))
            continue
        if _is_country(y.place):
            # "X, Syria" with no reading of X in Syria: the country is too coarse to stand in
            out[k] = Toponym(text=x.text, start=x.start, end=x.end, recognizer=x.recognizer,
                             reason=f"no reading of {x.text!r} lies in {written}, where the "
                                    "text puts it")
            continue
        was = (f"; the best reading {x.place.name} ({x.place.country_code}) lies outside it"
               if x.place is not None else "")
        precision = 3 if (y.place.feature_class == "A" or around
                          or y.place.feature_code in _RADIUS and y.place.feature_class != "P"
                          ) else 2
        out[k] = x.replace(place=y.place, geo_precision=precision,
                           score=round(0.5 * (y.score or 0.0), 4),
                           reason=f"contained: no reading of {x.text!r} lies in {written}"
                                  f"{was}; placed at {y.text!r}")
    return out
