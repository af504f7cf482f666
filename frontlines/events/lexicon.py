"""The trigger lexicon (``frontlines/data/triggers/triggers.yaml``) and trigger matching.

``Lexicon.match(tokens)`` finds trigger words in a sentence from token lemmas alone (no parse
needed), so sentences without a trigger cost one set look-up per token.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from frontlines.errors import ConfigError

__all__ = ["Lexicon", "TriggerHit", "TriggerSpec", "load_lexicon", "parse_number"]

DEFAULT_TRIGGERS = Path(__file__).resolve().parents[1] / "data" / "triggers" / "triggers.yaml"


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    lemmas: tuple[str, ...]  # the phrase, one lemma per token
    type: str  # a sub-event type or "@territory" / "@violence" / "@protest" / "@outcome"
    priority: int
    pos: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class TriggerHit:
    """A trigger in a sentence: token indices (doc-level) and the phrase's syntactic head."""

    start: int
    end: int
    head: int
    spec: TriggerSpec


class Lexicon:
    def __init__(self, data: dict[str, Any], *, source: str = "triggers.yaml") -> None:
        self.specs: list[TriggerSpec] = []
        for i, raw in enumerate(data.get("triggers") or []):
            try:
                kind, priority = str(raw["type"]), int(raw.get("priority", 0))
                pos = frozenset(raw.get("pos") or ())
                for phrase in raw["lemmas"]:
                    lemmas = tuple(re.split(r"\s+", str(phrase).lower().strip()))
                    self.specs.append(TriggerSpec(lemmas, kind, priority, pos))
            except (KeyError, TypeError, ValueError):
                raise ConfigError(f"{source}: trigger #{i + 1} needs 'lemmas' (a list) and "
                                  f"'type'; got {raw!r}") from None
        self._by_first: dict[str, list[TriggerSpec]] = {}
        for spec in self.specs:
            self._by_first.setdefault(spec.lemmas[0], []).append(spec)
        for specs in self._by_first.values():
            specs.sort(key=lambda s: (-len(s.lemmas), -s.priority))
        self.first_words = frozenset(self._by_first)
        self.protest_cues = {k: _phrases(v) for k, v in (data.get("protest_cues") or {}).items()}
        mod = data.get("modality") or {}
        self.denial = frozenset(mod.get("denial", ()))
        self.plan = frozenset(mod.get("plan", ()))
        self.plan_nouns = frozenset(mod.get("plan_nouns", ()))
        self.modal = frozenset(mod.get("modal", ()))
        self.conditional_marks = frozenset(mod.get("conditional_marks", ()))
        self.negation = frozenset(mod.get("negation_words", ()))
        tr = data.get("transfer") or {}
        self.not_territory = frozenset(str(w).lower() for w in tr.get("not_territory", ()))
        self.exchange_cues = _phrases(tr.get("exchange_cues", ()))
        self.movement = frozenset(str(w).lower() for w in tr.get("movement", ()))
        ref = data.get("reference") or {}
        self.reference_determiners = frozenset(str(w).lower() for w in ref.get("determiners", ()))
        self.reference_time_preps = frozenset(str(w).lower() for w in ref.get("time_preps", ()))
        att = data.get("attribution") or {}
        self.report_verbs = frozenset(att.get("report_verbs", ()))
        self.claim_verbs = frozenset(att.get("claim_verbs", ()))
        self.possible_words = frozenset(att.get("possible_words", ()))
        self.media_words = frozenset(att.get("media_words", ()))
        fat = data.get("fatalities") or {}
        self.kill_lemmas = frozenset(fat.get("kill_lemmas", ()))
        self.injury_lemmas = frozenset(fat.get("injury_lemmas", ()))
        self.vague: dict[str, int] = {str(k): int(v) for k, v in (fat.get("vague") or {}).items()}

    def has_trigger(self, tokens: Sequence[Any]) -> bool:
        """Cheap pre-check: does any token's lemma or lower form start a trigger phrase?"""
        words = self.first_words
        return any(t.lemma_.lower() in words or t.lower_ in words for t in tokens)

    def match(self, tokens: Sequence[Any]) -> list[TriggerHit]:
        """Triggers in ``tokens`` (a sentence span): longest phrase first, no overlaps."""
        hits: list[TriggerHit] = []
        taken: set[int] = set()
        for k, tok in enumerate(tokens):
            for word in {tok.lemma_.lower(), tok.lower_}:
                for spec in self._by_first.get(word, ()):
                    matched = _match_phrase(tokens, k, spec.lemmas)
                    if matched is None:
                        continue
                    idx = [tokens[j].i for j in matched]
                    head = _phrase_head(tokens, matched)
                    if spec.pos and head.pos_ not in spec.pos:
                        continue
                    if any(i in taken for i in idx):
                        continue
                    hits.append(TriggerHit(idx[0], idx[-1] + 1, head.i, spec))
                    taken.update(idx)
                    break
        hits.sort(key=lambda h: h.start)
        return hits


def _phrases(words: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(w).lower().split()) for w in words)


def _match_phrase(tokens: Sequence[Any], k: int, lemmas: tuple[str, ...]) -> list[int] | None:
    """Positions of ``lemmas`` starting at ``k``, allowing one extra token between words."""
    out = [k]
    j = k
    for lemma in lemmas[1:]:
        for step in (1, 2):
            if j + step < len(tokens) and lemma in (tokens[j + step].lemma_.lower(),
                                                    tokens[j + step].lower_):
                j += step
                out.append(j)
                break
        else:
            return None
    return out


def _phrase_head(tokens: Sequence[Any], positions: list[int]) -> Any:
    toks = [tokens[p] for p in positions]
    ids = {t.i for t in toks}
    for t in toks:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return toks[-1]


_UNITS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])}
_TENS = {w: 10 * i for i, w in enumerate(
    ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]) if w != "_"}


def parse_number(text: str) -> int | None:
    """Digits ("1,200"), words ("three", "twenty-five", "a dozen"), or None."""
    s = text.lower().strip().replace(",", "")
    if s.isdigit():
        return int(s)
    if s in ("a", "an", "one"):
        return 1
    if s in ("a dozen", "dozen"):
        return 12
    total, current = 0, 0
    parts = re.split(r"[\s-]+", s)
    if not parts or not all(p in _UNITS or p in _TENS or p in ("hundred", "thousand", "and")
                            for p in parts):
        return None
    for p in parts:
        if p in _UNITS:
            current += _UNITS[p]
        elif p in _TENS:
            current += _TENS[p]
        elif p == "hundred":
            current = max(current, 1) * 100
        elif p == "thousand":
            total += max(current, 1) * 1000
            current = 0
    return total + current


@functools.lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    file = Path(path) if path else DEFAULT_TRIGGERS
    try:
        with file.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"trigger lexicon {file}: cannot be read ({exc}); check the file") from None
    return Lexicon(data, source=str(file))
