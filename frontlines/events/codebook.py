"""ACLED's codebook as data: event/sub-event types, inter codes, interactions, countries.

The taxonomy lives in ``frontlines/data/codebook/acled.yaml`` and the country table
(ISO codes, ACLED region, demonyms) in ``frontlines/data/codebook/countries.csv``.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from frontlines.errors import ConfigError

__all__ = ["Codebook", "Country", "SubEventType", "interaction_code", "load_codebook"]

DATA = Path(__file__).resolve().parents[1] / "data" / "codebook"


@dataclass(frozen=True, slots=True)
class SubEventType:
    name: str
    event_type: str
    disorder_type: str
    definition: str


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    iso3: str
    numeric: int
    name: str
    region: str
    demonyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OldType:
    """A pre-2019 EVENT_TYPE: the new event types it covers and, when it says, the sub-event."""

    name: str
    event_types: tuple[str, ...]
    sub_event_type: str | None


def interaction_code(inter1: int, inter2: int) -> int:
    """ACLED's interaction: two digits, lower code first; one actor alone is ``10 * inter``."""
    if not inter1 and not inter2:
        return 0
    if not inter2 or not inter1:
        return 10 * (inter1 or inter2)
    low, high = sorted((inter1, inter2))
    return 10 * low + high


class Codebook:
    """Lookups over the ACLED taxonomy and the country table."""

    def __init__(self, taxonomy: dict, countries: list[Country]) -> None:
        self.sub_event_types: dict[str, SubEventType] = {}
        self.event_types: dict[str, str] = {}
        for etype, spec in taxonomy["event_types"].items():
            self.event_types[etype] = spec["disorder_type"]
            for name, sub in spec["sub_event_types"].items():
                self.sub_event_types[name] = SubEventType(
                    name=name, event_type=etype,
                    disorder_type=(sub or {}).get("disorder_type", spec["disorder_type"]),
                    definition=(sub or {}).get("definition", ""))
        self.inter_codes: dict[int, str] = {int(k): v for k, v in taxonomy["inter_codes"].items()}
        targeting = taxonomy["civilian_targeting"]
        self.civilian_targeting_value: str = targeting["value"]
        self.civilian_targeting_types = frozenset(targeting["sub_event_types"])
        self.civilian_targeting_always = frozenset(targeting.get("always") or ())
        self.old_types: dict[str, OldType] = {}
        for name, spec in taxonomy.get("old_event_types", {}).items():
            etypes = spec["event_type"]
            etypes = tuple(etypes) if isinstance(etypes, list) else (etypes,)
            self.old_types[name.lower()] = OldType(name, etypes, spec.get("sub_event_type"))
        self.countries = countries
        self._by_code: dict[str, Country] = {}
        self._by_name: dict[str, Country] = {}
        self._by_demonym: dict[str, Country] = {}
        for c in countries:
            self._by_code[c.iso2.upper()] = c
            self._by_code[c.iso3.upper()] = c
            self._by_code[str(c.numeric)] = c
            for n in (c.name, *c.aliases):
                self._by_name.setdefault(n.lower(), c)
            for d in c.demonyms:
                self._by_demonym.setdefault(d.lower(), c)

    # -- taxonomy -------------------------------------------------------------------
    def sub_event(self, name: str) -> SubEventType:
        try:
            return self.sub_event_types[name]
        except KeyError:
            raise ConfigError(
                f"sub-event type {name!r} is not in ACLED's codebook; valid types are "
                f"{sorted(self.sub_event_types)}") from None

    def civilian_targeting(self, sub_event_type: str, inter2: int) -> str:
        if sub_event_type in self.civilian_targeting_always or (
                inter2 == 7 and sub_event_type in self.civilian_targeting_types):
            return self.civilian_targeting_value
        return ""

    def old_type(self, name: str) -> OldType | None:
        return self.old_types.get(name.strip().lower())

    # -- countries ------------------------------------------------------------------
    def country(self, code_or_name: str | None) -> Country | None:
        """A country by ISO2/ISO3/numeric code, name or alias (case-insensitive)."""
        if not code_or_name:
            return None
        key = code_or_name.strip()
        return self._by_code.get(key.upper()) or self._by_name.get(key.lower())

    def country_by_demonym(self, word: str) -> Country | None:
        return self._by_demonym.get(word.lower())

    def country_words(self) -> dict[str, Country]:
        """Every lower-cased name, alias and demonym -> country."""
        out = dict(self._by_demonym)
        out.update(self._by_name)
        return out


def _read_countries(path: Path) -> list[Country]:
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                out.append(Country(
                    iso2=row["iso2"], iso3=row["iso3"], numeric=int(row["numeric"]),
                    name=row["name"], region=row["region"],
                    demonyms=tuple(d for d in (row.get("demonyms") or "").split("|") if d),
                    aliases=tuple(a for a in (row.get("aliases") or "").split("|") if a)))
            except (KeyError, ValueError) as exc:
                raise ConfigError(
                    f"{path} line {line}: bad country row ({exc}); expected columns "
                    f"iso2,iso3,numeric,name,region,demonyms,aliases") from None
    return out


@functools.lru_cache(maxsize=4)
def load_codebook(directory: str | None = None) -> Codebook:
    """The codebook shipped under ``frontlines/data/codebook`` (or another directory)."""
    folder = Path(directory) if directory else DATA
    with (folder / "acled.yaml").open(encoding="utf-8") as fh:
        taxonomy = yaml.safe_load(fh)
    return Codebook(taxonomy, _read_countries(folder / "countries.csv"))
