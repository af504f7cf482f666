"""Which language an article is written in, well enough to say "this is not English".

The pipeline reads English only (en_core_web_sm, English trigger words). An article in another
language would yield no event and no place and look like a quiet day; instead the run says so.
The guess is the language whose function words (spaCy's stop-word lists, no model needed) cover
the most of the text's words; scripts with no spaces-and-stop-words fit (Arabic, Hebrew,
Cyrillic, CJK...) are named by their script when no list matches.
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["LanguageGuess", "guess_language"]

# ISO 639-1 code -> English name, for the languages whose stop words spaCy ships and which
# conflict reporting is often written in.
LANGUAGES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "tr": "Turkish", "ar": "Arabic", "fa": "Persian",
    "ru": "Russian", "uk": "Ukrainian", "he": "Hebrew", "id": "Indonesian",
}
MIN_WORDS = 12  # below this a headline or a fragment is not judged
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    code: str  # ISO 639-1, or "und" when undetermined
    name: str
    english_share: float  # share of words that are English function words
    confident: bool

    @property
    def is_english(self) -> bool:
        return self.code in ("en", "und")

    def describe(self) -> str:
        return self.name if self.code == "xx" else f"{self.name} ({self.code})"


@functools.cache
def _stop_words(code: str) -> frozenset[str]:
    module = importlib.import_module(f"spacy.lang.{code}.stop_words")
    return frozenset(w.lower() for w in module.STOP_WORDS)


def _script(words: list[str]) -> str | None:
    """The script most letters are written in, when it is not Latin."""
    counts: dict[str, int] = {}
    for word in words[:400]:
        for ch in word[:6]:
            name = unicodedata.name(ch, "")
            script = name.split(" ", 1)[0] if name else ""
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    script = max(counts, key=counts.__getitem__)
    return None if script == "LATIN" else script.title()


def guess_language(text: str) -> LanguageGuess:
    """The language ``text`` is most likely written in (``und`` when it is too short)."""
    found = _WORD.findall(text)
    # function words are written in lower case: capitalised words are names, and the names
    # of an English report on Yemen or Syria ("Al Atfayn", "Kitaf wa Al Boqee") are full of
    # other languages' articles
    words = [w.lower() for w in found if not w[0].isupper()]
    if len(found) < MIN_WORDS or len(words) < MIN_WORDS // 2:
        return LanguageGuess("und", "undetermined", 1.0, confident=False)
    sample = words[:2000]
    shares = {code: sum(w in _stop_words(code) for w in sample) / len(sample)
              for code in LANGUAGES}
    english = shares["en"]
    best = max(shares, key=shares.__getitem__)
    script = _script(sample)
    if script is not None and english < 0.05:
        code = best if shares[best] >= 0.15 else "und"
        name = LANGUAGES.get(code, f"{script} script") if code != "und" else f"{script} script"
        return LanguageGuess(code if code != "und" else "xx", name, english, confident=True)
    # English prose has ~40% function words; another Latin-script language shares few of them
    if english >= 0.2 or best == "en":
        return LanguageGuess("en", "English", english, confident=english >= 0.2)
    if shares[best] < 0.15:
        if english < 0.03 and len(words) >= 2 * MIN_WORDS:
            return LanguageGuess("xx", "a language other than English", english, confident=True)
        return LanguageGuess("en", "English", english, confident=False)
    return LanguageGuess(best, LANGUAGES[best], english, confident=shares[best] > 2 * english)
