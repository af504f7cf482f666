"""ACLED's ``tags`` and ``source_scale`` of an event, read from its sentence and its outlet.

    event_tags("Hundreds of protesters marched in Tyre.", event_type="Protests")
    # -> "crowd size=hundreds"
    source_scale("National News Agency", "https://nna-leb.gov.lb/en/...")   # -> "National"

Tags: a crowd size for every demonstration (ACLED writes "crowd size=no report" when the
text gives none): words ("hundreds", "a few dozen", "tens of thousands") anywhere in the
sentence, or a number before a crowd word ("some 200 protesters" -> "crowd size=around 200");
"women targeted: <group>" where women or girls of a group are the target of violence. The
vocabulary is ``frontlines/data/export/tags.yaml``. Source scales: the outlet table
``frontlines/data/export/source_scales.csv`` (plus ``$FRONTLINES_HOME/source_scales.csv``),
matched on the source name or the URL's domain; an unknown outlet has no scale (empty).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from frontlines.errors import ConfigError

__all__ = ["SCALE_ORDER", "SourceScales", "Tagger", "combine_scales", "event_tags",
           "source_scale"]

_DATA = Path(__file__).resolve().parent.parent / "data" / "export"
TAGS = _DATA / "tags.yaml"
SCALES = _DATA / "source_scales.csv"


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"pattern {pattern!r} is not a valid regular expression ({exc})",
                          where=where) from None


#: "killing 3 people", "arrested 12 protesters": a count of victims, not of the crowd
_VICTIMS = re.compile(r"\b(?:kill|wound|injur|arrest|detain|hurt|shot|shoot)\w*\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Tagger:
    """The tag vocabulary, compiled."""

    spec: dict[str, Any]

    @classmethod
    def load(cls, path: str | Path = TAGS) -> Tagger:
        try:
            spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"cannot read the tag vocabulary ({exc})", where=str(path)) from None
        crowd, women = spec["crowd_size"], spec["women_targeted"]
        where = str(path)
        compiled = {
            "crowd_types": frozenset(crowd["event_types"]),
            "crowd_format": crowd["format"], "unreported": crowd["unreported"],
            "words": [(_compile(rf"\b(?:{w['pattern']})\b", where), w["size"])
                      for w in crowd["words"]],
            "number": _compile(rf"\b{crowd['number']}\s+(?:\w+\s+){{0,2}}?{crowd['crowd_words']}\b",
                               where),
            "qualifiers": {k.lower(): v for k, v in crowd["qualifiers"].items()},
            "women_types": frozenset(women["event_types"]),
            "women_format": women["format"],
            "groups": [(_compile(g["pattern"], where), g["group"]) for g in women["groups"]],
        }
        return cls(compiled)

    def crowd_size(self, text: str) -> str:
        s = self.spec
        number = next((m for m in s["number"].finditer(text)
                       if not _VICTIMS.search(text[max(0, m.start() - 25):m.start()])), None)
        if number:
            n = number.group("n").replace(",", "")
            qualifier = s["qualifiers"].get(" ".join((number.group("q") or "").lower().split()))
            return s["crowd_format"].format(size=f"{qualifier} {n}" if qualifier else n)
        for pattern, size in s["words"]:
            if pattern.search(text):
                return s["crowd_format"].format(size=size)
        return s["unreported"]

    def tags(self, text: str, *, event_type: str, civilian_targeting: bool = False) -> str:
        s = self.spec
        text = " ".join(text.split())
        out: list[str] = []
        if event_type in s["crowd_types"]:
            out.append(self.crowd_size(text))
        if event_type in s["women_types"] or civilian_targeting:
            for pattern, group in s["groups"]:
                if pattern.search(text):
                    tag = s["women_format"].format(group=group)
                    if tag not in out:
                        out.append(tag)
        return "; ".join(out)


@lru_cache(maxsize=1)
def _tagger() -> Tagger:
    return Tagger.load()


def event_tags(text: str, *, event_type: str, civilian_targeting: bool = False) -> str:
    """ACLED's tags for an event of ``event_type`` told by ``text`` ("" when none apply)."""
    return _tagger().tags(text, event_type=event_type, civilian_targeting=civilian_targeting)


# -- source scale -----------------------------------------------------------------------------
def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", text.casefold())


class SourceScales:
    """Outlet name / domain -> ACLED source_scale."""

    def __init__(self, rows: Iterable[tuple[str, Iterable[str], str]]) -> None:
        self.by_name: dict[str, str] = {}
        self.by_domain: dict[str, str] = {}
        for outlet, domains, scale in rows:
            if outlet:
                self.by_name[_fold(outlet)] = scale
            for domain in domains:
                self.by_domain[domain.lower().removeprefix("www.")] = scale

    @classmethod
    def load(cls, *paths: str | Path) -> SourceScales:
        """The packaged table, then each of ``paths`` that exists (later rows win)."""
        rows: list[tuple[str, list[str], str]] = []
        for path in (SCALES, *paths):
            path = Path(path)
            if path != SCALES and not path.exists():
                continue
            try:
                with path.open(encoding="utf-8", newline="") as fh:
                    reader = csv.DictReader(line for line in fh if not line.startswith("#"))
                    if not {"outlet", "scale"} <= set(reader.fieldnames or ()):
                        raise ConfigError("expected the columns outlet, domains, scale",
                                          where=str(path))
                    for row in reader:
                        domains = [d.strip() for d in (row.get("domains") or "").split(";")
                                   if d.strip()]
                        rows.append(((row["outlet"] or "").strip(), domains,
                                     (row["scale"] or "").strip()))
            except OSError as exc:
                raise ConfigError(f"cannot read the source scale table ({exc.strerror})",
                                  where=str(path)) from None
        return cls(rows)

    def scale(self, source: str | None, url: str | None = None) -> str:
        if source and (hit := self.by_name.get(_fold(source))):
            return hit
        host = (urlsplit(url).hostname or "") if url and "//" in url else ""
        host = host.lower().removeprefix("www.")
        while host:
            if host in self.by_domain:
                return self.by_domain[host]
            host = host.partition(".")[2]
        return ""


#: the order ACLED writes two scales in ("Other-National", "National-International")
SCALE_ORDER = ("Local partner", "Other", "New media", "Subnational", "National", "Regional",
               "International")


def combine_scales(*scales: str) -> str:
    """The scale of an event several outlets report, as ACLED writes it: the distinct scales
    joined by "-" in ``SCALE_ORDER`` ("National" + "Other" -> "Other-National"); an
    unknown (empty) scale adds nothing."""
    parts: list[str] = []
    for scale in scales:
        for part in re.split(r"-(?=[A-Z])", scale or ""):
            if part and part not in parts:
                parts.append(part)
    rank = {name: i for i, name in enumerate(SCALE_ORDER)}
    return "-".join(sorted(parts, key=lambda p: rank.get(p, len(rank))))


@lru_cache(maxsize=1)
def _scales() -> SourceScales:
    from frontlines.settings import home_dir

    return SourceScales.load(home_dir() / "source_scales.csv")


def source_scale(source: str | None, url: str | None = None) -> str:
    """ACLED's source_scale of an outlet ("" when the table does not know it)."""
    return _scales().scale(source, url)
