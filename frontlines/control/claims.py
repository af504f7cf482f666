"""Holder claims: who holds, besieges, left or took over a place, read from report text.

Pure functions of an ``Article`` and its resolved ``Toponym`` records; the patterns are data
(``frontlines/data/control/holders.yaml``), each naming a class of text ("positions-in",
"held-by", "siege-ring", "left-place", "took-over-vacated", ...). Every claim carries its
sentence, source, article, date, rule and confidence, so the control map can say why a side
is shown holding a place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from frontlines.control.sides import SideMap
from frontlines.errors import ConfigError
from frontlines.events.dates import find_dates
from frontlines.model import Article, Place, Toponym

__all__ = ["HolderClaim", "HolderPatterns", "holder_claims"]

KINDS = ("holds", "ring", "leaves", "takes")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


@dataclass(frozen=True, slots=True, kw_only=True)
class HolderClaim:
    """One reported fact about who holds a place. ``other_side`` is the side that left, for
    ``takes`` (None: any side hostile to the taker); ``allies`` fight with ``side``."""

    kind: str
    side: str
    actor: str
    place: Place
    geo_precision: int
    date: dt.date
    rule: str
    confidence: float
    sentence: str
    source: str
    article_id: str
    other_side: str | None = None
    allies: tuple[str, ...] = ()

    @property
    def claim_id(self) -> str:
        return f"{self.article_id}:{self.rule}:{self.place.geonameid}:{self.side}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "side": self.side, "actor": self.actor,
                "place": self.place.name, "geonameid": self.place.geonameid,
                "geo_precision": self.geo_precision, "date": self.date.isoformat(),
                "rule": self.rule, "confidence": self.confidence, "sentence": self.sentence,
                "source": self.source, "article_id": self.article_id,
                "other_side": self.other_side, "allies": list(self.allies)}


@dataclass(frozen=True)
class _Pattern:
    id: str
    kind: str
    place: str
    confidence: float
    regex: re.Pattern[str]
    requires: re.Pattern[str] | None
    receiver: str


@dataclass(frozen=True)
class HolderPatterns:
    """The compiled ``holders.yaml``: actor surface forms, stop words, negations, patterns."""

    actors: Mapping[str, str]
    patterns: tuple[_Pattern, ...]
    stop: re.Pattern[str]
    negation: re.Pattern[str]
    negated_before: re.Pattern[str]
    actor_regex: re.Pattern[str]
    outskirts: re.Pattern[str]

    @classmethod
    def load(cls, path: str | Path | None = None) -> HolderPatterns:
        if path is None:
            return _bundled()
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{path}: holder patterns not found; pass a YAML file like "
                              "frontlines/data/control/holders.yaml") from None
        return cls.from_dict(yaml.safe_load(text) or {}, where=str(path))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "holders.yaml") -> HolderPatterns:
        actors = {str(k).casefold(): str(v) for k, v in (data.get("actors") or {}).items()}
        if not actors:
            raise ConfigError(f"{where}: 'actors' must map surface forms to actor names")
        forms = sorted(actors, key=len, reverse=True)
        actor_alt = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in forms)
        units = "|".join(re.escape(u) for u in data.get("units") or ["fighters"])
        patterns = []
        for i, spec in enumerate(data.get("patterns") or []):
            pid = str(spec.get("id") or f"pattern-{i}")
            kind, place = spec.get("kind"), spec.get("place", "after")
            if kind not in KINDS or place not in ("after", "before", "inside"):
                raise ConfigError(f"{where}: pattern {pid!r}: kind must be one of {KINDS} and "
                                  "place one of after/before/inside")
            raw = str(spec["regex"]).replace("{unit}", f"(?:{units})")
            raw = raw.replace("{actor2}", f"(?P<actor2>{actor_alt})")
            k = 0
            while "{actor}" in raw:
                name = "actor" if k == 0 else f"actor_{k}"
                raw = raw.replace("{actor}", f"(?P<{name}>{actor_alt})", 1)
                k += 1
            try:
                regex = re.compile(raw, re.IGNORECASE)
                requires = re.compile(spec["requires"], re.IGNORECASE) \
                    if spec.get("requires") else None
            except re.error as exc:
                raise ConfigError(f"{where}: pattern {pid!r} is not a valid regular expression "
                                  f"({exc}); fix it") from None
            patterns.append(_Pattern(id=pid, kind=kind, place=place,
                                     confidence=float(spec.get("confidence", 0.6)),
                                     regex=regex, requires=requires,
                                     receiver=str(spec.get("receiver") or "actor")))
        stop = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in data.get("stop_words") or [])
        neg = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in data.get("negations") or [])
        order = {k: i for i, k in enumerate(("takes", "leaves", "ring", "holds"))}
        patterns.sort(key=lambda p: order[p.kind])
        near = "|".join(re.escape(w) for w in data.get("outskirts_words") or ["outskirts"])
        return cls(actors=actors, patterns=tuple(patterns),
                   outskirts=re.compile(rf"\b(?:{near})\b", re.IGNORECASE),
                   stop=re.compile(rf"[,;:.()]|\b(?:{stop or 'to'})\b", re.IGNORECASE),
                   negation=re.compile(rf"\b(?:{neg or 'not'})\b", re.IGNORECASE),
                   negated_before=re.compile(
                       rf"\b(?:{neg or 'not'})\s+(?:(?:that|be|been|being|the|any|its|their|"
                       rf"have|has|had)\s+){{0,2}}$", re.IGNORECASE),
                   actor_regex=re.compile(rf"\b(?:{actor_alt})\b", re.IGNORECASE))


@lru_cache(maxsize=1)
def _bundled() -> HolderPatterns:
    text = resources.files("frontlines").joinpath("data/control/holders.yaml").read_text(
        encoding="utf-8")
    return HolderPatterns.from_dict(yaml.safe_load(text) or {})


def _context_side(text: str, patterns: HolderPatterns, sides: SideMap) -> str | None:
    """The non-state side the article names most ("the militants" refers to it)."""
    counts: Counter[str] = Counter()
    for m in patterns.actor_regex.finditer(text):
        actor = patterns.actors.get(_fold_form(m.group(0)), "")
        if actor.startswith("@"):
            continue
        side = sides.side_of(actor)
        if side and not sides.is_state(side) and side not in _state_allies(sides):
            counts[side] += 1
    return counts.most_common(1)[0][0] if counts else None


def _state_allies(sides: SideMap) -> set[str]:
    return {a for s in sides.governments.values() for a in sides.allies.get(s, ())}


def _fold_form(text: str) -> str:
    return " ".join(text.split()).casefold()


def _side(form: str, place: Place | None, context: str | None, patterns: HolderPatterns,
          sides: SideMap) -> tuple[str | None, str]:
    actor = patterns.actors.get(_fold_form(form), form)
    if actor == "@government":
        side = sides.government(place.country_code) if place is not None else None
        return side, side or ""
    if actor == "@context":
        return context, context or ""
    side = sides.side_of(actor)
    return side or None, actor


def _claim_date(sentence: str, published: dt.date) -> dt.date:
    for mention in find_dates(sentence, published):
        if not mention.background and mention.date <= published:
            return mention.date
    return published


def _places(toponyms: Sequence[Toponym], start: int, end: int) -> list[Toponym]:
    return [t for t in toponyms if t.place is not None and start <= t.start < end]


def holder_claims(
    article: Article,
    toponyms: Iterable[Toponym],
    *,
    sides: SideMap | None = None,
    patterns: HolderPatterns | None = None,
) -> list[HolderClaim]:
    """Every holder claim in ``article``; places come from its resolved ``toponyms``
    (offsets in ``article.full_text``). Articles with no publication date yield nothing."""
    published = article.published_date
    if published is None:
        return []
    sides = sides or SideMap.load()
    patterns = patterns or HolderPatterns.load()
    text = article.full_text
    tops = sorted(toponyms, key=lambda t: t.start)
    context = _context_side(text, patterns, sides)
    source = article.source or f"article {article.id}"
    out: list[HolderClaim] = []
    seen: set[tuple[str, str, int]] = set()
    for sm in _SENTENCE.finditer(text):
        s0, sentence = sm.start(), sm.group(0)
        taken: list[tuple[int, int]] = []
        date = _claim_date(sentence, published)
        for pat in patterns.patterns:
            for m in pat.regex.finditer(sentence):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                if pat.requires is not None and not pat.requires.search(m.group(0)):
                    continue
                if (patterns.negation.search(m.group(0)) or patterns.negated_before.search(
                        sentence[max(0, m.start() - 40):m.start()])):
                    continue
                found = _claims_for(pat, m, s0, sentence, tops, patterns, sides, context)
                if not found:
                    continue
                taken.append((m.start(), m.end()))
                for kind, side, actor, top, other, allies in found:
                    assert top.place is not None
                    key = (pat.id, side, top.place.geonameid)
                    if key in seen:
                        continue
                    seen.add(key)
                    out.append(HolderClaim(
                        kind=kind, side=side, actor=actor, place=top.place,
                        geo_precision=top.geo_precision or 1, date=date, rule=pat.id,
                        confidence=pat.confidence, sentence=sentence.strip(), source=source,
                        article_id=article.id, other_side=other, allies=allies))
    return out


def _claims_for(pat: _Pattern, m: re.Match[str], s0: int, sentence: str,
                tops: Sequence[Toponym], patterns: HolderPatterns, sides: SideMap,
                context: str | None) -> list[tuple[str, str, str, Toponym, str | None,
                                                    tuple[str, ...]]]:
    span = m.group(0)
    if pat.place == "before":
        before = [t for t in tops if s0 <= t.start and t.end <= s0 + m.start()]
        chosen = [t for t in before[-1:] if t.place is not None
                  and s0 + m.start() - t.end <= 80]
        span = sentence[chosen[0].start - s0:m.end()] if chosen else span
    else:
        start = m.start() if pat.place == "inside" else m.end()
        rest = sentence[m.end():]
        stop = patterns.stop.search(rest)
        end = m.end() + (stop.start() if stop else len(rest))
        chosen = _places(tops, s0 + start, s0 + end)
        span = sentence[start:end]
        if pat.place == "after" and chosen:
            chosen = [t for t in chosen if (t.geo_precision or 1) <= chosen[0].geo_precision
                      or (t.geo_precision or 1) <= 2]
    group = next((g for g in m.groupdict() if g.startswith("actor") and g != "actor2"
                  and m.group(g)), "actor")
    out = []
    near = patterns.outskirts.search(span) is not None
    for top in chosen:
        if near and (top.geo_precision or 1) < 2:
            top = top.replace(geo_precision=2)
        actor_form = m.group(group)
        other_form = m.groupdict().get("actor2")
        if pat.receiver == "actor2" and other_form:
            actor_form, other_form = other_form, actor_form
        side, actor = _side(actor_form, top.place, context, patterns, sides)
        if not side:
            continue
        other: str | None = None
        allies: tuple[str, ...] = ()
        if pat.kind == "takes":
            if other_form and pat.receiver == "actor2":
                other = _side(other_form, top.place, context, patterns, sides)[0]
            else:
                if other_form:
                    ally = _side(other_form, top.place, context, patterns, sides)[0]
                    allies = (ally,) if ally and ally != side else ()
                tail = m.group(0)[m.end(group) - m.start():]
                for am in patterns.actor_regex.finditer(tail):
                    cand = _side(am.group(0), top.place, context, patterns, sides)[0]
                    if cand and cand != side and cand not in allies \
                            and not sides.is_ally(cand, side):
                        other = cand
                        break
        out.append((pat.kind, side, actor, top, other, allies))
    return out
