"""The actor dictionary: ACLED-style names, aliases, actor types, and context resolution.

Named actors are found by alias anywhere in a text (``find``); generic head nouns ("the army",
"troops", "civilians", "gunmen") are resolved against a country (``generic``), which the
extractor takes from the event's place or the article's focus. The format of the YAML files is
documented at the top of ``frontlines/data/actors/actors.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from frontlines.errors import ConfigError
from frontlines.events.codebook import Codebook, Country, load_codebook

__all__ = ["DEFAULT_ACTORS", "ActorDictionary", "ActorEntry", "ActorMatch", "GenericKind",
           "NamedPeriod"]

DEFAULT_ACTORS = Path(__file__).resolve().parents[1] / "data" / "actors" / "actors.yaml"


@dataclass(frozen=True, slots=True)
class NamedPeriod:
    """The name (and inter code) ACLED gives an actor from ``start`` to ``end``, in every
    country or only where it acts in ``country`` (a named operation's theatre)."""

    start: dt.date
    end: dt.date | None
    name: str
    inter: int
    country: str | None = None

    def applies(self, when: dt.date | None, event_country: str | None) -> bool:
        if self.country is not None and self.country != (event_country or "").upper():
            return False
        day = when or dt.date.today()
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class ActorEntry:
    name: str
    inter: int
    country: str | None = None
    aliases: tuple[str, ...] = ()
    country_suffix: bool = False
    state: str | None = None  # "military" / "police" when the entry names state forces
    suffix_map: tuple[tuple[str, str], ...] = ()  # event country -> country named in the suffix
    named: tuple[NamedPeriod, ...] = ()  # later names, and names in an operation's theatre

    def period_name(self, when: dt.date | None, event_country: str | None) -> NamedPeriod | None:
        return next((n for n in self.named if n.applies(when, event_country)), None)


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """An alias found in a text: character span and the entry it names."""

    start: int
    end: int
    entry: ActorEntry
    text: str


@dataclass(frozen=True, slots=True)
class GenericKind:
    kind: str
    template: str
    inter: int
    words: frozenset[str]


class ActorDictionary:
    """Named actors + generic kinds + government periods, merged from one or more YAML files."""

    def __init__(self, entries: Iterable[ActorEntry], generics: dict[str, GenericKind],
                 regimes: dict[str, list[tuple[dt.date, dt.date | None]]], *,
                 codebook: Codebook | None = None) -> None:
        self.codebook = codebook or load_codebook()
        self.entries: dict[str, ActorEntry] = {e.name: e for e in entries}
        self.generics = generics
        self.regimes = regimes
        self._word_kind: dict[str, GenericKind] = {}
        for kind in generics.values():
            for word in kind.words:
                self._word_kind.setdefault(word, kind)
        self._state_entries: dict[tuple[str, str], ActorEntry] = {
            (e.country, e.state): e for e in self.entries.values() if e.country and e.state}
        self._compile()

    # -- loading --------------------------------------------------------------------
    @classmethod
    def load(cls, *paths: str | Path, include_default: bool = True) -> ActorDictionary:
        """The shipped dictionary, with each extra file merged over it in order."""
        files = ([DEFAULT_ACTORS] if include_default else []) + [Path(p) for p in paths]
        entries: dict[str, ActorEntry] = {}
        generics: dict[str, GenericKind] = {}
        regimes: dict[str, list[tuple[dt.date, dt.date | None]]] = {}
        for path in files:
            data = _read_yaml(path)
            for i, raw in enumerate(data.get("actors") or []):
                entry = _entry(raw, path, i)
                old = entries.get(entry.name)
                if old is not None:
                    aliases = tuple(dict.fromkeys(old.aliases + entry.aliases))
                    entry = ActorEntry(entry.name, entry.inter, entry.country or old.country,
                                       aliases, entry.country_suffix, entry.state or old.state,
                                       entry.suffix_map or old.suffix_map,
                                       entry.named or old.named)
                entries[entry.name] = entry
            for kind, raw in (data.get("generic") or {}).items():
                words = frozenset(str(w).lower() for w in raw.get("words", []))
                if kind in generics:
                    words |= generics[kind].words
                generics[kind] = GenericKind(kind, raw.get("template", generics.get(kind, GenericKind(
                    kind, "", 0, frozenset())).template), int(raw.get("inter", 0)), words)
            for code, periods in (data.get("regimes") or {}).items():
                regimes[str(code).upper()] = [(_day(a, path), _day(b, path) if b else None)
                                              for a, b in periods]
        return cls(entries.values(), generics, regimes)

    @classmethod
    def default(cls) -> ActorDictionary:
        global _DEFAULT
        if _DEFAULT is None:
            _DEFAULT = cls.load()
        return _DEFAULT

    # -- matching -------------------------------------------------------------------
    def _compile(self) -> None:
        exact: dict[str, ActorEntry] = {}
        folded: dict[str, ActorEntry] = {}
        for entry in self.entries.values():
            for alias in (entry.name, *entry.aliases):
                alias = alias.strip()
                if not alias:
                    continue
                # Acronyms (all capitals, e.g. "IS", "SAA") match case-sensitively only.
                if alias.isupper() and len(alias.replace(".", "")) <= 6:
                    exact.setdefault(_norm(alias), entry)
                else:
                    folded.setdefault(_norm(alias.lower()), entry)
        self._exact, self._folded = exact, folded

        def alternation(words: Iterable[str]) -> str:
            ordered = sorted(words, key=len, reverse=True)
            return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in ordered)

        bound_l, bound_r = r"(?<![\w-])", r"(?![\w-])"
        self._re_exact = re.compile(f"{bound_l}(?:{alternation(exact)}){bound_r}") if exact else None
        self._re_folded = (re.compile(f"{bound_l}(?:{alternation(folded)})(?:'s)?{bound_r}",
                                      re.IGNORECASE) if folded else None)

    def find(self, text: str) -> list[ActorMatch]:
        """Named actors in ``text``, longest first and non-overlapping, in text order."""
        found: list[ActorMatch] = []
        for regex, table, fold in ((self._re_folded, self._folded, True),
                                   (self._re_exact, self._exact, False)):
            if regex is None:
                continue
            for m in regex.finditer(text):
                surface = m.group(0)
                surface = surface.removesuffix("'s")
                entry = table.get(_norm(surface.lower() if fold else surface))
                if entry is not None:
                    found.append(ActorMatch(m.start(), m.start() + len(surface), entry, surface))
        found.sort(key=lambda a: (a.start, -(a.end - a.start)))
        out: list[ActorMatch] = []
        for match in found:
            if out and match.start < out[-1].end:
                continue
            out.append(match)
        return out

    def generic_kind(self, words: Iterable[str]) -> GenericKind | None:
        """The generic kind of the first of ``words`` (lemmas, most specific first) known."""
        for word in words:
            kind = self._word_kind.get(word.lower())
            if kind is not None:
                return kind
        return None

    # -- naming ---------------------------------------------------------------------
    def years(self, country: str, when: dt.date | None) -> str:
        """The period ACLED appends to a state's forces: the government in office on the
        event's day, by its first year (and its last, once it has ended)."""
        periods = self.regimes.get(country.upper())
        if not periods:
            return ""
        day = when or dt.date.today()
        chosen = periods[-1]
        for start, end in periods:
            if start <= day and (end is None or day < end):
                chosen = (start, end)
                break
        start, end = chosen
        if end is not None and (when is None or dt.date.today() >= end):
            return f" ({start.year}-{end.year})"
        return f" ({start.year}-)"

    def generic(self, kind: str, country: str | None, when: dt.date | None = None) -> ActorEntry | None:
        """The actor a generic kind names in ``country`` (ISO2), e.g. military + LB."""
        spec = self.generics.get(kind)
        info: Country | None = self.codebook.country(country) if country else None
        if spec is None:
            return None
        if info is None:  # country unknown: the bare kind, e.g. "Protesters", "Military Forces"
            bare = re.sub(r"\s*(of\s*)?\(?\{country\}\)?", "", spec.template).replace("{years}", "")
            return ActorEntry(bare.strip(), spec.inter, None, (), False,
                              kind if kind in ("military", "police") else None)
        if kind in ("military", "police"):
            named = self._state_entries.get((info.iso2, kind))
            base = named.name if named else spec.template.split("{years}")[0].format(
                country=_with_article(info.name), years="")
            name = base + self.years(info.iso2, when)
            return ActorEntry(name, spec.inter, info.iso2, (), False, kind)
        return ActorEntry(spec.template.format(country=info.name, years=""), spec.inter,
                          info.iso2, (), False, None)

    def display_name(self, entry: ActorEntry, *, event_country: str | None,
                     when: dt.date | None) -> str:
        """ACLED name of an entry in an event: its name for the period or the operation's
        theatre, years for state forces, country suffixes."""
        period = entry.period_name(when, event_country)
        if period is not None:
            return period.name
        if entry.state and entry.country and "(" not in entry.name:
            return entry.name + self.years(entry.country, when)
        if entry.country_suffix:
            where = dict(entry.suffix_map).get(event_country or "", event_country)
            info = self.codebook.country(where or entry.country or "")
            if info is not None:
                return f"{entry.name} ({info.name})"
        return entry.name

    def inter_in(self, entry: ActorEntry, event_country: str | None,
                 when: dt.date | None = None) -> int:
        """A state force acting outside its own country is external (inter 8)."""
        period = entry.period_name(when, event_country)
        if period is not None:
            return period.inter
        if entry.inter == 1 and entry.country and event_country and entry.country != event_country:
            return 8
        return entry.inter


_DEFAULT: ActorDictionary | None = None


def _norm(alias: str) -> str:
    """Hyphens and runs of spaces compare equal ("al-Sham" == "al Sham")."""
    return re.sub(r"[\s-]+", " ", alias).strip()


def _read_yaml(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except OSError as exc:
        raise ConfigError(f"actor dictionary {path}: cannot be read ({exc.strerror}); "
                          f"check the path") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"actor dictionary {path}: invalid YAML ({exc}); fix the syntax") from None
    if not isinstance(data, dict):
        raise ConfigError(f"actor dictionary {path}: expected a mapping with 'actors', "
                          f"'generic' and/or 'regimes' keys")
    return data


def _entry(raw: dict, path: Path, index: int) -> ActorEntry:
    try:
        name = str(raw["name"])
        inter = int(raw["inter"])
    except (KeyError, TypeError, ValueError):
        raise ConfigError(f"actor dictionary {path}: actor #{index + 1} needs 'name' and an "
                          f"'inter' code 1-8, got {raw!r}") from None
    if not 1 <= inter <= 8:
        raise ConfigError(f"actor dictionary {path}: actor {name!r} has inter {inter}; "
                          f"ACLED inter codes are 1-8")
    country = raw.get("country")
    return ActorEntry(name=name, inter=inter, country=str(country).upper() if country else None,
                      aliases=tuple(str(a) for a in raw.get("aliases") or ()),
                      country_suffix=bool(raw.get("country_suffix", False)),
                      state=raw.get("state"),
                      suffix_map=tuple((str(k).upper(), str(v).upper())
                                       for k, v in (raw.get("suffix_map") or {}).items()),
                      named=tuple(_named(n, path, name) for n in raw.get("named") or ()))


def _day(value: object, path: Path) -> dt.date:
    """A period bound: a date (2021-06-13) or a year (2021, read as 1 January)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date(int(str(value)), 1, 1)
    except ValueError:
        raise ConfigError(f"actor dictionary {path}: period bound {value!r} is neither a date "
                          f"(YYYY-MM-DD) nor a year") from None


def _named(raw: dict, path: Path, actor: str) -> NamedPeriod:
    try:
        return NamedPeriod(start=_day(raw["from"], path),
                           end=_day(raw["to"], path) if raw.get("to") else None,
                           name=str(raw["name"]), inter=int(raw["inter"]),
                           country=str(raw["in"]).upper() if raw.get("in") else None)
    except (KeyError, TypeError):
        raise ConfigError(f"actor dictionary {path}: a 'named' period of {actor!r} needs "
                          f"'from', 'name' and 'inter' (and optionally 'to', 'in'), got "
                          f"{raw!r}") from None


_ARTICLE_NAMES = ("United ", "Republic of ", "Democratic Republic", "Central African Republic",
                  "Czech Republic", "Dominican Republic", "Philippines", "Netherlands", "Gambia",
                  "Bahamas", "Comoros", "Maldives", "Seychelles", "Marshall Islands",
                  "Solomon Islands", "Cayman Islands", "Holy See")


def _with_article(country: str) -> str:
    """A country's name after "of" as ACLED writes state forces: "Military Forces of the
    United States", "... of the Democratic Republic of Congo"; "... of Syria"."""
    return f"the {country}" if country.startswith(_ARTICLE_NAMES) else country
