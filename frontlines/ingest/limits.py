"""Limits and text sanity for one input: size, JSON depth, binary content, NUL characters,
publication dates.

Every limit is a declared setting (``max_article_chars``, ``max_json_depth``,
``max_file_mb``, ``max_html_mb``); an input over one is skipped with a ``LimitError`` (E108)
naming the setting and how to raise it. A publication date outside 1900-01-01 to tomorrow
(the record's own or the fallback) is a ``DateFormatError`` (E105) naming the date, the
range and the fix, unless the ``allow_dates`` setting is on (``--allow-dates``). NUL
characters and lone surrogates are removed the same way whatever the store (PostgreSQL cannot
hold them), so SQLite and PostgreSQL keep the same text; a file whose head holds NUL bytes is
refused as binary.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from frontlines.errors import DateFormatError, DecodeError, EmptyTextError, LimitError
from frontlines.ingest.dates import implausible_date
from frontlines.model import Article

__all__ = ["Limits", "check_article", "check_binary", "check_json_depth", "clean_text"]

# What no store can keep the same: NUL (PostgreSQL refuses it in text; SQLite would keep
# it) and lone surrogates (not encodable as UTF-8). Other control characters are valid
# text in both stores and are kept as written.
_CONTROL = re.compile(r"[\x00\ud800-\udfff]")
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


@dataclass(frozen=True, slots=True)
class Limits:
    max_article_chars: int = 1_000_000
    max_json_depth: int = 64
    max_file_bytes: int = 64 * 2**20
    max_html_bytes: int = 8 * 2**20
    allow_dates: bool = False

    @classmethod
    def from_settings(cls) -> Limits:
        from frontlines.settings import Settings

        settings = Settings()
        return cls(max_article_chars=int(settings.max_article_chars),
                   max_json_depth=int(settings.max_json_depth),
                   max_file_bytes=int(settings.max_file_mb) * 2**20,
                   max_html_bytes=int(settings.max_html_mb) * 2**20,
                   allow_dates=bool(settings.allow_dates))


def clean_text(text: str) -> str:
    """``text`` without NUL characters and lone surrogates."""
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def check_binary(data: bytes, *, where: str) -> None:
    """Refuse bytes that are plainly not text: NUL bytes in the head of a non-UTF-16/32 file."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return  # UTF-16/32 text has NULs by design; its BOM says so
    if b"\x00" in head:
        share = head.count(b"\x00") / max(len(head), 1)
        raise DecodeError(
            f"binary data, not text ({share:.0%} of the first {len(head)} bytes are NUL); "
            "pass the report as UTF-8 text, HTML, JSON or a feed", where=where)


def check_json_depth(line: str, *, where: str, limit: int) -> None:
    """Raise ``LimitError`` when lists/objects nest deeper than ``limit`` (strings ignored)."""
    if line.count("[") + line.count("{") <= limit:
        return
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub('""', line)):
        if bracket in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    raise LimitError(
                        f"JSON nested more than {limit} levels deep; a news record is a flat "
                        "object — fix the record, or raise the max_json_depth setting "
                        "(FRONTLINES_MAX_JSON_DEPTH)", where=where)
        else:
            depth -= 1


def _where(article: Article) -> str:
    """``a.jsonl line 3`` / ``a.json item 2`` / ``a.txt``, as the readers' own errors say it."""
    origin = article.origin or f"article {article.id}"
    match = re.search(r"(:|#)(\d+)$", origin)
    if match is None or (match.group(1) == ":" and "/" not in origin[match.end(1):]
                         and re.match(r"^https?://[^/]*$", origin)):
        return origin  # no line or item (a bare host:port is not a line)
    kind = "line" if match.group(1) == ":" else "item"
    return f"{origin[:match.start()]} {kind} {match.group(2)}"


def check_article(article: Article, *, limits: Limits) -> Article:
    """``article`` with control characters removed; ``LimitError`` if it is too long,
    ``DateFormatError`` if its publication date is implausible (unless ``allow_dates``)."""
    where = _where(article)
    text = clean_text(article.text)
    title = clean_text(article.title) if article.title else article.title
    if len(text) > limits.max_article_chars:
        raise LimitError(
            f"the article has {len(text):,} characters, more than max_article_chars "
            f"({limits.max_article_chars:,}); split the document into its articles, or raise "
            "the limit (FRONTLINES_MAX_ARTICLE_CHARS)", where=where)
    if article.published is not None and not limits.allow_dates:
        reason = implausible_date(article.published)
        if reason:
            raise DateFormatError(reason, where=where)
    if not text.strip():
        raise EmptyTextError("the text is empty once NUL characters are removed; "
                             "check that the input is the report's text", where=where)
    if text is article.text and title is article.title:
        return article
    return dataclasses.replace(article, text=text, title=title)
