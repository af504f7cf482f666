"""The relevance gate: does a sentence report political violence, a protest or a strategic
development at all?

Before any event rule runs, each sentence is scored by a small linear model (logistic
regression over hashed word uni- and bigrams plus rule features). The rule features are cue
groups from ``data/events/relevance/lexicon.yaml`` (a violence verb, an armed actor, a weapon,
a number of dead, sport or market words, a history marker such as "since 2014", a modal such
as "could" or "threatened") and a few of their conjunctions; the model learns how much each is
worth. Disasters, accidents, epidemics, crime without a political actor, sport, business, tech,
entertainment, diplomacy without force, history, plans, threats and opinions score low.

Two rules frame the model: a sentence with no conflict cue at all (no violence, protest or
strategic word, weapon, number of dead or armed actor) scores 0; and within an article that is
mostly sport, markets, tech or entertainment (more such sentences than conflict ones), a
sentence needs the strict threshold (0.99), so "fired a low shot" in a match report is not war.

The core is pure: :func:`features` maps text to feature strings, :func:`hash_features` maps
those to buckets, and :class:`RelevanceGate` adds up the shipped weights. Neither spaCy's model
nor scikit-learn is needed to score; ``scripts/train_relevance.py`` rebuilds the weights
(``model.npz``) from the data files beside them, and ``scripts/eval_relevance.py`` measures
the gate on BBC (non-conflict) and ACLED notes (conflict).
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml

from frontlines.errors import ModelNotInstalledError

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = [
    "DATA_DIR",
    "DEFAULT_MODEL_PATH",
    "N_BUCKETS",
    "RelevanceGate",
    "domain_share",
    "features",
    "has_conflict_cue",
    "hash_features",
    "load_lexicon",
    "vectorize",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "events" / "relevance"
DEFAULT_MODEL_PATH = DATA_DIR / "model.npz"
LEXICON_PATH = DATA_DIR / "lexicon.yaml"
N_BUCKETS = 2**20
# Used when a model file carries no thresholds of its own.
DEFAULT_THRESHOLD = 0.5
DEFAULT_STRICT_THRESHOLD = 0.99
DEFAULT_DOMAIN_SHARE = 0.10
# Splits a context string into sentences when no parsed Doc is at hand.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])|\n+")

_STOP = frozenset(
    """<s> </s> a an the and or but of in on at to for from by with as into onto over under
    about after before during since until than then that this these those there here it its
    is are was were be been being has have had do does did not no so such he she they we you
    i me him her them us our their his my your who whom which what when where while also
    said says told according""".split()
)
_TOKEN = re.compile(r"[a-z]+(?:['\-][a-z]+)*|\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"^(19|20)\d\d$")
# Conjunctions of cue groups the model gets as features of their own.
_PAIRS = (
    ("violence", "actor"),
    ("violence", "weapon"),
    ("violence", "dead"),
    ("violence", "civil_target"),
    ("protest", "actor"),
    ("strategic", "actor"),
    ("violence", "history"),
    ("violence", "modality"),
    ("violence", "sport"),
    ("violence", "market"),
    ("violence", "disaster"),
    ("violence", "crime"),
)
_CONFLICT_GROUPS = ("violence", "protest", "strategic", "weapon", "dead")
# A sentence with none of these groups is not relevant, whatever its n-grams say.
_GATE_GROUPS = ("violence", "protest", "strategic", "weapon", "dead", "actor")
_DOMAIN_GROUPS = frozenset({"sport", "market", "tech", "entertainment"})
_OTHER_GROUPS = ("sport", "market", "tech", "entertainment", "disaster", "diplomacy", "crime")


@functools.lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> dict[str, re.Pattern[str]]:
    """Cue group name -> one compiled pattern (word-bounded alternation of the group's entries)."""
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    return {
        group: re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b")
        for group, patterns in raw.items()
    }


def _tokens(text: str) -> list[str]:
    out = []
    for tok in _TOKEN.findall(text.lower()):
        if tok[0].isdigit():
            tok = "<year>" if _YEAR.match(tok) else "<num>"
        out.append(tok)
    return out


def cues(text: str, *, lexicon: dict[str, re.Pattern[str]] | None = None) -> frozenset[str]:
    """The cue groups of the lexicon that occur in ``text`` (lower-cased)."""
    lexicon = lexicon if lexicon is not None else load_lexicon()
    low = text.lower()
    return frozenset(group for group, pattern in lexicon.items() if pattern.search(low))


def features(text: str, *, lexicon: dict[str, re.Pattern[str]] | None = None) -> list[str]:
    """Feature strings of one sentence: unigrams, bigrams and rule features (``R:...``)."""
    return sorted(_ngrams(text) | _rule_features(cues(text, lexicon=lexicon)))


def _ngrams(text: str) -> set[str]:
    """Content-word unigrams and bigrams with at least one content word. Function words alone
    say more about a corpus's sentence style than about events, so they are left out."""
    toks = ["<s>", *_tokens(text), "</s>"]
    feats = {f"w:{t}" for t in toks[1:-1] if t not in _STOP}
    feats.update(
        f"b:{a}_{b}" for a, b in zip(toks, toks[1:]) if not (a in _STOP and b in _STOP)
    )
    return feats


def _rule_features(found: frozenset[str]) -> set[str]:
    feats = {f"R:{group}" for group in found}
    feats.update(f"R:{a}+{b}" for a, b in _PAIRS if a in found and b in found)
    conflict = sum(g in found for g in _CONFLICT_GROUPS)
    other = sum(g in found for g in _OTHER_GROUPS)
    feats.add(f"R:conflict_groups={min(conflict, 3)}")
    if other and not conflict:
        feats.add("R:only_other")
    return feats


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % N_BUCKETS


def hash_features(feats: Iterable[str]) -> list[int]:
    """Bucket index of each feature (crc32, so identical on every machine and run)."""
    return sorted({_bucket(f) for f in feats})


def vectorize(
    text: str, *, lexicon: dict[str, re.Pattern[str]] | None = None
) -> tuple[frozenset[str], dict[int, float]]:
    """The sentence's cue groups and its sparse feature vector (bucket -> value).

    N-gram features share a unit of weight (each is worth ``1/sqrt(n)``), so a long sentence
    does not pile up evidence by length alone; each rule feature is worth 1.
    """
    found = cues(text, lexicon=lexicon)
    ngrams = _ngrams(text)
    vector: dict[int, float] = {}
    unit = 1.0 / math.sqrt(max(len(ngrams), 1))
    for feat in ngrams:
        b = _bucket(feat)
        vector[b] = vector.get(b, 0.0) + unit
    for feat in _rule_features(found):
        b = _bucket(feat)
        vector[b] = vector.get(b, 0.0) + 1.0
    return found, vector


def has_conflict_cue(found: Iterable[str]) -> bool:
    """Whether any cue group that can carry an event occurs (the gate's precondition)."""
    return any(group in _GATE_GROUPS for group in found)


def _text_of(sentence: str | Span) -> str:
    return sentence if isinstance(sentence, str) else sentence.text


def domain_share(sentences: Iterable[str | Span]) -> float:
    """Share of the cue-bearing sentences that speak of sport, markets, tech or entertainment
    and carry no conflict cue at all: high in a match report, near 0 in conflict news."""
    found = [f for f in (cues(_text_of(s)) for s in sentences) if f]
    return _domain_only(found) / len(found) if found else 0.0


def _domain_only(found: Iterable[frozenset[str]]) -> int:
    return sum(1 for f in found if (f & _DOMAIN_GROUPS) and not has_conflict_cue(f))


def _split_context(context: str) -> list[str]:
    return [p for p in _SENTENCE_END.split(context) if p.strip()]


class RelevanceGate:
    """Scores sentences for conflict relevance with the shipped linear model.

    A sentence is relevant when its score reaches ``threshold``. Within an article about
    sport, markets, tech or entertainment (see :meth:`threshold_for`), a sentence must reach
    ``strict_threshold`` instead: a match report's "fired a shot" or a markets story's "hit"
    is not war, while "riot police battled fans" still passes. Defaults are the values stored
    with the model (see ``frontlines/data/events/relevance/README.md``).
    """

    def __init__(
        self,
        *,
        model_path: str | Path | None = None,
        threshold: float | None = None,
        strict_threshold: float | None = None,
        domain_share: float | None = None,
    ) -> None:
        path = Path(model_path) if model_path is not None else DEFAULT_MODEL_PATH
        try:
            with np.load(path, allow_pickle=False) as data:
                indices = data["indices"]
                weights = data["weights"]
                self.bias = float(data["bias"])
                n_buckets = int(data["n_buckets"])
                stored = {k: float(data[k]) for k in data.files if k in _STORED}
        except (OSError, KeyError, ValueError) as exc:
            raise ModelNotInstalledError(
                f"{path}: cannot read the relevance model ({exc}); rebuild it with "
                "`python scripts/train_relevance.py`"
            ) from exc
        if n_buckets != N_BUCKETS:
            raise ModelNotInstalledError(
                f"{path}: model has {n_buckets} buckets, this code hashes into {N_BUCKETS}; "
                "rebuild it with `python scripts/train_relevance.py`"
            )
        self.weights = np.zeros(N_BUCKETS, dtype=np.float32)
        self.weights[indices] = weights
        self.model_path = path
        self.threshold = _pick(threshold, stored.get("threshold"), DEFAULT_THRESHOLD)
        self.strict_threshold = _pick(
            strict_threshold, stored.get("strict_threshold"), DEFAULT_STRICT_THRESHOLD
        )
        self.domain_share = _pick(domain_share, stored.get("domain_share"), DEFAULT_DOMAIN_SHARE)
        self._context_cache: dict[str, float] = {}

    def margin(self, text: str) -> float:
        """The model's log-odds that ``text`` reports an event; -inf without a conflict cue."""
        found, vector = vectorize(text)
        if not has_conflict_cue(found):
            return -math.inf
        return self.bias + sum(float(self.weights[b]) * v for b, v in vector.items())

    def score(self, sentence: str | Span) -> float:
        """Score in [0, 1] that the sentence reports a conflict event (0 with no conflict cue)."""
        z = self.margin(_text_of(sentence))
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0

    def threshold_for(self, context: str | Sequence[str | Span] | Doc = "") -> float:
        """The threshold that applies within ``context`` (the article's text or sentences).

        The article is read as sport/markets/tech/entertainment news, and gets the strict
        threshold, when its domain-only sentences are at least ``domain_share`` of the
        sentences carrying any cue *and* at least as many as its sentences that reach the
        ordinary threshold: a war report with one line on fuel prices stays ordinary.
        """
        if not context:
            return self.threshold
        if isinstance(context, str):
            key = context
            if key not in self._context_cache:
                if len(self._context_cache) > 64:
                    self._context_cache.clear()
                self._context_cache[key] = self._threshold_of(_split_context(context))
            return self._context_cache[key]
        sents = list(context.sents) if hasattr(context, "sents") else list(context)
        return self._threshold_of([_text_of(s) for s in sents])

    def _threshold_of(self, texts: Sequence[str]) -> float:
        found = [f for f in (cues(t) for t in texts) if f]
        if not found:
            return self.threshold
        domain_only = _domain_only(found)
        if domain_only / len(found) < self.domain_share:
            return self.threshold
        relevant = sum(1 for t in texts if self.score(t) >= self.threshold)
        return self.strict_threshold if domain_only >= relevant else self.threshold

    def relevant(self, sentence: str | Span, *, context: str = "") -> bool:
        """Whether the sentence reports an event, read within ``context`` (its article's text)."""
        return self.score(sentence) >= self.threshold_for(context)

    def score_sentences(self, sentences: Iterable[str | Span]) -> list[float]:
        """Scores of several sentences, in order."""
        return [self.score(s) for s in sentences]

    def score_doc(self, doc: Doc) -> list[float]:
        """One score per sentence of a parsed document (``doc.sents``), in order."""
        return self.score_sentences(doc.sents)

    def relevant_sentences(self, doc: Doc | Sequence[str | Span]) -> list[str | Span]:
        """The sentences of an article that report an event, with the article as context."""
        sents = list(doc.sents) if hasattr(doc, "sents") else list(doc)
        threshold = self.threshold_for(sents)
        return [s for s, sc in zip(sents, self.score_sentences(sents)) if sc >= threshold]

    def relevant_article(self, doc: Doc | Sequence[str | Span]) -> bool:
        """Whether any sentence of an article reports an event."""
        return bool(self.relevant_sentences(doc))


def _pick(given: float | None, stored: float | None, default: float) -> float:
    return float(given if given is not None else stored if stored is not None else default)


_STORED = ("threshold", "strict_threshold", "domain_share")


@functools.lru_cache(maxsize=1)
def default_gate() -> RelevanceGate:
    """The shipped gate, loaded once per process."""
    return RelevanceGate()
