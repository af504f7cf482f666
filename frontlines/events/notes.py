"""ACLED's notes: "On 19 August 2017, " then the event's sentence, cleaned.

    acled_notes("On Thursday evening hundreds of people marched in Tyre.",
                dt.date(2017, 7, 20))
    # -> "On 20 July 2017, hundreds of people marched in Tyre."

Cleaning: Markdown (bullets, numbered items, headings, emphasis, links) and line breaks go,
whitespace is folded, a date that opens the sentence goes with the words around it ("On
Thursday evening", "Early on Sunday,") since the lead says the date, and the first word is
lower-cased unless it is a proper noun, a demonym or an acronym (``proper``: the words the
model tagged PROPN or as a named entity; a word list of common openers is always lowered, and
decides alone without a model). The lead follows the time precision: 1 "On 19
August 2017, ", 2 "On or around 19 August 2017, ", 3 "In August 2017, ". Words in
``frontlines/data/export/notes.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from frontlines.events.dates import find_dates

__all__ = ["MAX_NOTES", "acled_notes", "clean_sentence"]

MAX_NOTES = 400
_DATA = Path(__file__).resolve().parent.parent / "data" / "export" / "notes.yaml"

_BULLET = re.compile(r"^\s*(?:#{1,6}\s+|[-*+\u2022\u2013\u2014\u00b7>]+\s+|\d{1,3}[.)]\s+)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    spec = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
    return {"lead": {int(k): v for k, v in spec["lead"].items()},
            "prefix": re.compile(spec["date_prefix"] + r"$", re.IGNORECASE),
            "suffix": re.compile(r"^" + spec["date_suffix"], re.IGNORECASE),
            "lower": frozenset(w.lower() for w in spec["lowercase_first"])}


def clean_sentence(text: str) -> str:
    """A sentence without Markdown, line breaks or runs of whitespace."""
    lines = [_BULLET.sub("", line) for line in text.splitlines()]
    text = " ".join(line.strip() for line in lines if line.strip())
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _BULLET.sub("", text)
    return " ".join(text.split())


def _drop_leading_date(body: str, when: dt.date) -> str:
    words = _words()
    for mention in find_dates(body[:80], when):
        if mention.start > 40:
            break
        if not words["prefix"].fullmatch(body[:mention.start]):
            continue
        rest = body[mention.end:]
        if re.match(r"^['\u2019]s\b", rest):  # "Thursday's attack": the date is the subject
            return body
        suffix = words["suffix"].match(rest)
        rest = rest[suffix.end():] if suffix else rest
        rest = re.sub(r"^\s*,?\s*", "", rest)
        return rest if len(rest.split()) >= 3 else body
    return body


def _first_word_case(body: str, proper: Collection[str] | None) -> str:
    match = re.match(r"[\w'\u2019-]+", body)
    if not match:
        return body
    word = match.group(0)
    if not word[0].isupper() or any(c.isupper() for c in word[1:]) or word == "I":
        return body  # lower already, or an acronym / inner capital ("ISIS", "al-Qaeda")
    lower = word.lower() in _words()["lower"]  # "Fighters", "Warplanes": tagged PROPN at times
    if proper is not None and not lower:
        bare = re.sub(r"['\u2019]s$", "", word)  # "Hezbollah's": the token is "Hezbollah"
        lower = word not in proper and bare not in proper
    return word[0].lower() + body[1:] if lower else body


def acled_notes(sentence: str, when: dt.date, *, precision: int = 1,
                proper: Collection[str] | None = None) -> str:
    """The notes of an event told by ``sentence`` on ``when`` (see the module docstring)."""
    body = _drop_leading_date(clean_sentence(sentence), when)
    body = _first_word_case(body, proper)
    lead = _words()["lead"].get(precision, _words()["lead"][1]).format(
        day=when.day, month=f"{when:%B}", year=when.year)
    text = lead + body
    if len(text) > MAX_NOTES:
        text = text[:MAX_NOTES - 3].rsplit(" ", 1)[0] + "..."
    return text if text.endswith((".", "...", "!", "?", '."', ".\u201d")) else text + "."
