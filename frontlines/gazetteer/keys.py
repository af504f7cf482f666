"""Name keys: fold the many romanisations of one Arabic place name onto one string.

Two keys are stored for every name in the index:

``light_key``
    Case, diacritics, apostrophes/ayn/hamza marks and punctuation removed, words separated
    by single spaces, and Arabic articles written as words (``al-``, ``el``, ``ash`` ...)
    dropped unless they are the whole name: ``"Râs Baalbek"`` and ``"Ras-Baalbek"`` both give
    ``"ras baalbek"``, ``"Al Quşayr"`` gives ``"qusayr"``. Equal light keys are an ``"exact"``
    match: English reporting drops or keeps the article at random.
``name_key``
    The light key, then words joined,
    consonant digraphs and vowels folded (``kh→h``, ``q→k``, ``dh→d``, ``ou/o→u``, ``e/i/y→a``
    ...), doubled letters collapsed and ``-ah``/``-eh`` endings reduced. ``"Aarsâl"``,
    ``"`Irsal"`` and ``"Ersal"`` all give ``"arsal"``. Equal keys are a ``"key"`` match.

Two data-driven steps complete the folds: ``qu`` before a vowel is ``q`` (French-style
romanisation: ``"Quamishli"`` is ``"Qamishli"``; ``"Quneitra"`` keeps its vowel), and
``frontlines/data/gazetteer/name_variants.csv`` lists spellings no fold can meet (exonyms such
as Tyre/Sour, the kunya in Abu Kamal/Al Bukamal): each name's key becomes its group's key.

Names in Arabic script get a key in their own space (no transliteration): marks and tatweel
removed, alef/hamza/ta marbuta/alef maqsura variants unified and the article ``ال`` dropped, so
``"بعلبك"`` finds the rows whose Arabic alternate name is ``بعلبك``.

Both functions are total (never raise) and idempotent (``name_key(name_key(x)) == name_key(x)``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

__all__ = ["ARTICLES", "light_key", "name_key"]

# Arabic articles as romanised words; dropped when they are not the whole name.
ARTICLES: frozenset[str] = frozenset({
    "al", "el", "il", "ul", "ad", "ed", "ash", "esh", "ech", "at", "et", "az", "ez", "an", "en",
    "ar", "er", "as", "es", "ath", "adh", "ej", "aj", "l",
})

# Apostrophe-like marks used for ayn and hamza (and plain quotes); removed outright.
_MARKS = "'’‘`´ʿʾʻʼʽˈ′‛"
_MARK_TABLE = str.maketrans({c: None for c in _MARKS})
# Letters that NFKD does not decompose into base + mark.
_LETTERS = str.maketrans({
    "ø": "o", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "æ": "ae",
    "œ": "oe", "ħ": "h",
})
_NON_WORD = re.compile(r"[\W_]+")

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_TABLE = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ة": "ه", "ى": "ي", "ی": "ي", "ې": "ي", "ئ": "ي", "ؤ": "و", "ک": "ك", "ڪ": "ك",
    "ء": None, "ـ": None, "\u200c": None, "\u200d": None,
})

# Folds applied to the joined latin key until nothing changes: consonant digraphs first,
# then single letters (q/c->k, o/w->u, e/i/y->a, x->ks), then "au"->"u".
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("ch", "sh"), ("dj", "j"), ("ck", "k"), ("ph", "f"), ("kh", "h"), ("gh", "g"),
    ("dh", "d"), ("th", "t"), ("oo", "u"), ("ou", "u"),
)
_LETTER_FOLDS = str.maketrans({"q": "k", "c": "k", "o": "u", "w": "u", "y": "a", "e": "a",
                               "i": "a", "x": "ks"})
_QU_VOWEL = re.compile(r"qu(?=[aei])")  # French-style "qu" for q: Quamishli, Quaryatain
_DOUBLE = re.compile(r"(.)\1+")
VARIANTS_FILE = Path(__file__).resolve().parents[1] / "data" / "gazetteer" / "name_variants.csv"
_FINAL_H = re.compile(r"(?<=[aeiou])h$")


def _strip_marks(text: str) -> str:
    if text.isascii():
        return text.lower().translate(_MARK_TABLE)
    # NFKC first, so compatibility forms (math letters, ligatures) lower-case like plain ones.
    text = unicodedata.normalize("NFKC", text)
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept).translate(_MARK_TABLE)


def _words(text: str) -> list[str]:
    return [w for w in _NON_WORD.split(_strip_marks(text)) if w]


def _light_once(name: str) -> str:
    words = _words(name)
    if _ARABIC.search(name):
        words = [w.translate(_ARABIC_TABLE) for w in words]
    words = [w for w in words if w]
    if len(words) > 1:
        words = [w for w in words if w not in ARTICLES and w != "ال"] or words
    return " ".join(words)


def _settle(fn, text: str) -> str:
    """Apply ``fn`` until the result stops changing (bounded): makes keys idempotent."""
    for _ in range(6):
        again = fn(text)
        if again == text:
            break
        text = again
    return text


@lru_cache(maxsize=200_000)
def light_key(name: str) -> str:
    """Case, diacritics, ayn/hamza marks, punctuation and article words folded."""
    try:
        once = _light_once(name)
        # An ASCII result is already a fixed point (lower-case words, articles dropped).
        return once if once.isascii() else _settle(_light_once, once)
    except Exception:  # pragma: no cover - defensive: a key must never break a lookup
        return name.casefold().strip()


def _arabic_once(word: str) -> str:
    word = _DOUBLE.sub(r"\1", word.translate(_ARABIC_TABLE))
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


def _fold_latin(word: str) -> str:
    for _ in range(8):
        before = word
        word = _DOUBLE.sub(r"\1", word)
        for old, new in _DIGRAPHS:
            if old in word:
                word = word.replace(old, new)
        word = word.translate(_LETTER_FOLDS).replace("au", "u")
        word = _FINAL_H.sub("", _DOUBLE.sub(r"\1", word))
        if word == before:
            break
    return word


@lru_cache(maxsize=400_000)
def name_key(name: str) -> str:
    """The aggressive matching key of ``name`` (see the module docstring)."""
    key = _folded_key(name)
    return _variants().get(key, key)


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """Folded key of every listed spelling -> the key of its group's first name."""
    table: dict[str, str] = {}
    try:
        lines = VARIANTS_FILE.read_text(encoding="utf-8").splitlines()
    except OSError:  # pragma: no cover - a missing data file leaves the folds alone
        return table
    for line in lines:
        names = [n.strip() for n in line.split(",") if n.strip()]
        if not names or names[0].startswith("#"):
            continue
        canonical = _folded_key(names[0])
        for n in names:
            table.setdefault(_folded_key(n), canonical)
    return {k: v for k, v in table.items() if table.get(v, v) == v}  # keys stay fixed points


def _folded_key(name: str) -> str:
    try:
        words = light_key(name).split()  # articles already dropped
        if any(_ARABIC.search(w) for w in words):
            joined = "".join(_settle(_arabic_once, w) if _ARABIC.search(w) else w for w in words)
            return _settle(_arabic_once, joined)
        # -ah / -eh endings of every word, before joining hides the word ends.
        words = [_FINAL_H.sub("", w) if len(w) > 2 else w for w in words]
        key = _fold_latin(_QU_VOWEL.sub("q", "".join(words)))
        return key or "".join(words)
    except Exception:  # pragma: no cover - defensive
        return name.casefold().strip()
