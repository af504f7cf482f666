"""The geoparser's word lists, read from ``frontlines/data/geoparse/`` (data, not code).

``Lexicon.load()`` reads the packaged files; ``Lexicon.load(folder)`` reads a user's copy
with the same file names, so the lists can be extended without touching the code.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from frontlines.errors import ConfigError
from frontlines.model import Place

__all__ = ["DATA_DIR", "HeadWord", "Lexicon", "fold", "fold_with_offsets"]

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "geoparse"

_APOSTROPHES = "'’‘`ʼʻʿʾ´"
_DASHES = "-‐‑‒–—"


@functools.lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case, drop diacritics and apostrophes, hyphens to spaces, squeeze spaces."""
    return fold_with_offsets(text)[0]


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` plus, for each folded character, its offset in ``text``."""
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch in _APOSTROPHES:
            continue
        if ch in _DASHES or ch.isspace() or ch == "_":
            if out and out[-1] != " ":
                out.append(" ")
                offsets.append(i)
            continue
        for piece in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(piece):
                continue
            for low in piece.lower():
                out.append(low)
                offsets.append(i)
    while out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return "".join(out), offsets


@dataclass(frozen=True, slots=True)
class HeadWord:
    """A word that marks a place name ("Jabal", "Hills") and the kinds of place it implies."""

    word: str  # folded
    position: str  # "prefix" | "suffix"
    classes: tuple[str, ...]
    in_span: bool = True
    strip: bool = False
    numbered: bool = False  # takes a number as its name ("Highway 19")
    capitalised_only: bool = False  # a head only when written with a capital ("Main Street")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the recognizer and resolver read from data files."""

    prefix_heads: dict[str, HeadWord]
    suffix_heads: dict[str, HeadWord]
    armed_groups: tuple[str, ...]
    people: tuple[str, ...]
    stop_words: frozenset[str]
    demonyms: dict[str, str | None]  # folded demonym -> ISO2 (None: not a country)
    country_aliases: dict[str, str]  # folded alias -> ISO2
    regions: dict[str, tuple[Place, ...]]  # folded name/alias -> places (regions.csv)
    strong_cues: frozenset[str]
    weak_cues: frozenset[str]
    near_cues: frozenset[str]
    max_cue_words: int = 3
    verb_cues: frozenset[str] = frozenset()  # strong cues that do not make a person a place
    # words that, after a place name, make an institution of it ("Athens Police",
    # "Roselle police", "St. Cloud Hospital"): the name before them is the place
    institution_words: frozenset[str] = frozenset()
    # national capitals (folded): named alone they often stand for the government
    # ("Tbilisi says"), which NER calls a person
    capitals: frozenset[str] = frozenset()
    # words that, before "of", make an institution of the place after it ("University of
    # Cincinnati", "the State of Ohio"): the name after "of" is the place
    institutions_of: frozenset[str] = frozenset()
    # words before a known place that qualify it ("Northeast Georgia", "Historic Dublin")
    qualifiers: frozenset[str] = frozenset()
    # words after a known place that make an organisation of it ("Ohio State", "Dublin City
    # Schools", "Henry County Jail"); includes the institution words
    organisation_words: frozenset[str] = frozenset()
    # capitalised words that end a place's own name ("Henry County", "Madison Township")
    county_words: frozenset[str] = frozenset()
    # words before a numbered road that belong to its name ("County Road 15")
    road_authorities: frozenset[str] = frozenset()
    # last words of names that are no places ("St. Patrick's Day", "Camp David Accords")
    non_place_ends: frozenset[str] = frozenset()
    # words before a name that make a person of it ("President Saakashvili", "Mr. Hartmann")
    titles: frozenset[str] = frozenset()
    # aliases of the actor dictionary (``data/actors/actors.yaml``, folded) -> the actor's
    # home country ISO2 ("" when it has none): an actor named is no toponym, and its home is
    # evidence of the article's focus
    actor_homes: dict[str, str] = field(default_factory=dict)
    _blockers: tuple[tuple[str, re.Pattern[str]], ...] = field(default=(), repr=False)

    @classmethod
    def load(cls, folder: str | Path | None = None) -> Lexicon:
        """Read the lexicon files from ``folder`` (default: the packaged data)."""
        return _load(str(Path(folder).resolve()) if folder else str(DATA_DIR))

    def actors_named(self, text: str) -> list[str]:
        """Home countries (ISO2) of the actors ``text`` names, one per mention."""
        return [self.actor_homes.get(fold(text[s:e]).removeprefix("the "), "")
                for s, e, kind in self.blocked_ranges(text) if kind == "actor"]

    def blocked_ranges(self, text: str) -> list[tuple[int, int, str]]:
        """Character ranges of armed groups, people and place-like organisations named in
        ``text``: (start, end, kind)."""
        folded, offsets = fold_with_offsets(text)
        found: list[tuple[int, int, str]] = []
        for kind, pattern in self._blockers:
            source = text if pattern.flags & re.IGNORECASE == 0 else folded
            for m in pattern.finditer(source):
                if source is text:
                    found.append((m.start(), m.end(), kind))
                else:
                    found.append((offsets[m.start()], offsets[m.end() - 1] + 1, kind))
        return found


def _read_yaml(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except FileNotFoundError:
        raise ConfigError(f"{path}: geoparse lexicon file is missing; reinstall frontlines or "
                          f"copy it from {DATA_DIR}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc}); fix the file's syntax") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return data


def _read_csv(path: Path, columns: tuple[str, str]) -> list[tuple[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if tuple(reader.fieldnames or ()) != columns:
                raise ConfigError(f"{path}: header is {reader.fieldnames}; expected "
                                  f"{','.join(columns)}")
            return [(row[columns[0]].strip(), (row[columns[1]] or "").strip()) for row in reader]
    except FileNotFoundError:
        raise ConfigError(f"{path}: geoparse lexicon file is missing; reinstall frontlines or "
                          f"copy it from {DATA_DIR}") from None


def _pattern(names: list[str]) -> list[re.Pattern[str]]:
    """Acronyms (all capitals) match case-sensitively; other names match folded text."""
    acronyms = sorted({n for n in names if n.replace(".", "").isupper()}, key=len, reverse=True)
    words = sorted({fold(n) for n in names if n not in acronyms}, key=len, reverse=True)
    patterns = []
    if words:
        body = "|".join(re.escape(w).replace(r"\ ", " ?") for w in words)
        patterns.append(re.compile(rf"(?<![\w])(?:the )?(?:{body})(?![\w])", re.IGNORECASE))
    if acronyms:
        body = "|".join(re.escape(a) for a in acronyms)
        patterns.append(re.compile(rf"(?<![\w.])(?:{body})(?![\w])"))
    return patterns


def _actor_aliases(path: Path) -> list[tuple[str, str]]:
    """(alias, home ISO2 or "") for every named actor of the actor dictionary; none when the
    file is absent (the recognizer then only knows ``non_places.yaml``)."""
    if not path.exists():
        return []
    data = _read_yaml(path)
    out = []
    for actor in data.get("actors", []) or []:
        home = str(actor.get("country") or "").upper()
        for alias in [actor.get("name"), *(actor.get("aliases") or [])]:
            if alias:
                out.append((str(alias), home))
    return out


def _read_regions(path: Path) -> dict[str, tuple[Place, ...]]:
    """``regions.csv``: divisions and macro-regions the offline gazetteer lacks."""
    columns = ["geonameid", "name", "country_code", "feature_code", "latitude", "longitude",
               "aliases", "admin1_code"]
    table: dict[str, list[Place]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            lines = [line for line in fh if not line.startswith("#")]
    except FileNotFoundError:
        return {}
    reader = csv.DictReader(lines)
    if reader.fieldnames != columns:
        raise ConfigError(f"{path}: header is {reader.fieldnames}; expected {','.join(columns)}")
    for n, row in enumerate(reader, start=2):
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except ValueError:
            raise ConfigError(f"{path} row {n}: latitude/longitude {row['latitude']!r}, "
                              f"{row['longitude']!r} are not numbers") from None
        gid = row["geonameid"].strip()
        if not gid:
            from frontlines.gazetteer.build import custom_id

            gid = str(custom_id(row["name"], lat, lon, row["country_code"]))
        code = row["feature_code"].strip() or "ADM1"
        place = Place(geonameid=int(gid), name=row["name"], country_code=row["country_code"],
                      latitude=lat, longitude=lon,
                      feature_class="L" if code in ("CONT", "RGN") else
                      "T" if code in ("PEN", "MTS", "VAL", "PLAT", "DSRT") else "A",
                      feature_code=code, admin1=row["name"] if code == "ADM1" else None,
                      admin1_code=(row["admin1_code"] or "").strip() or None)
        for name in [row["name"], *filter(None, (row["aliases"] or "").split("|"))]:
            table.setdefault(fold(name), []).append(place)
    return {k: tuple(v) for k, v in table.items()}


@functools.lru_cache(maxsize=4)
def _load(folder: str) -> Lexicon:
    base = Path(folder)
    heads = _read_yaml(base / "head_words.yaml")
    prefix: dict[str, HeadWord] = {}
    suffix: dict[str, HeadWord] = {}
    for position, table in (("prefix", prefix), ("suffix", suffix)):
        for entry in heads.get(position, []):
            classes = tuple(entry.get("classes", ()))
            for word in entry["words"]:
                key = fold(str(word)).rstrip(".")
                table[key] = HeadWord(key, position, classes, bool(entry.get("in_span", True)),
                                      bool(entry.get("strip", False)),
                                      bool(entry.get("numbered", False)),
                                      bool(entry.get("capitalised_only", False)))
    non = _read_yaml(base / "non_places.yaml")
    groups = [str(n) for n in non.get("armed_groups", [])]
    people = [str(n) for n in non.get("people", [])]
    organisations = [str(n) for n in non.get("organisations", [])]
    aliases_of_actors = _actor_aliases(base.parent / "actors" / "actors.yaml")
    actor_homes = {fold(a): c for a, c in aliases_of_actors}
    blockers = tuple([("armed group", p) for p in _pattern(groups)]
                     + [("actor", p) for p in _pattern([a for a, _ in aliases_of_actors])]
                     + [("person", p) for p in _pattern(people)]
                     + [("organisation", p) for p in _pattern(organisations)])
    cues = _read_yaml(base / "cues.yaml")
    demonyms = {fold(d): (c or None) for d, c in _read_csv(base / "demonyms.csv",
                                                            ("demonym", "country_code"))}
    aliases = {fold(a): c for a, c in _read_csv(base / "country_aliases.csv",
                                                 ("alias", "country_code"))}
    verbs = frozenset(fold(str(c)) for c in cues.get("verbs", []))
    strong = frozenset(fold(str(c)) for c in cues.get("strong", [])) | verbs
    weak = frozenset(fold(str(c)) for c in cues.get("weak", []))
    near = frozenset(fold(str(c)) for c in cues.get("near", []))
    return Lexicon(
        prefix_heads=prefix,
        suffix_heads=suffix,
        armed_groups=tuple(groups),
        people=tuple(people),
        stop_words=frozenset(fold(str(w)) for w in non.get("stop_words", [])),
        demonyms=demonyms,
        country_aliases=aliases,
        regions=_read_regions(base / "regions.csv"),
        strong_cues=strong,
        weak_cues=weak,
        near_cues=near,
        max_cue_words=max((len(c.split()) for c in strong | weak | near), default=1),
        institution_words=frozenset(fold(str(w)) for w in cues.get("institutions", [])),
        capitals=frozenset(fold(c) for c, _ in _read_csv(base / "capitals.csv",
                                                         ("capital", "country_code"))),
        verb_cues=verbs,
        institutions_of=frozenset(fold(str(w)) for w in cues.get("institutions_of", [])),
        qualifiers=frozenset(fold(str(w)) for w in cues.get("qualifiers", [])),
        organisation_words=frozenset(
            fold(str(w)).rstrip(".") for w in [*cues.get("institutions", []),
                                                *cues.get("organisations", [])]
        ) - {fold(str(w)) for w in cues.get("places_not_organisations", [])},
        county_words=frozenset(fold(str(w)) for w in cues.get("places_not_organisations", [])),
        road_authorities=frozenset(fold(str(w)).rstrip(".") for w in heads.get("road_authorities", [])),
        non_place_ends=frozenset(fold(str(w)) for w in non.get("non_place_ends", [])),
        titles=frozenset(fold(str(w)).rstrip(".") for w in non.get("titles", [])),
        actor_homes=actor_homes,
        _blockers=blockers,
    )
