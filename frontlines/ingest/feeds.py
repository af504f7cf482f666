"""RSS and Atom feeds: one article per item, text from its content or summary, HTML stripped."""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from frontlines.errors import DateFormatError, EmptyTextError, InputError, RecordFormatError
from frontlines.ingest.dates import DATE_HINT, parse_date
from frontlines.ingest.html import fragment_to_text
from frontlines.model import Article

__all__ = ["FeedItem", "feed_items", "parse_feed"]


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item of a feed as a pointer to its page: link, title, date, the feed's title."""

    link: str
    title: str | None
    published: dt.date | dt.datetime | None
    feed_title: str | None


def feed_items(data: bytes, *, name: str) -> Iterator[FeedItem | InputError]:
    """The items of an RSS or Atom document that link to a page (pure), in feed order.

    An item without a link, or whose date cannot be read, is an ``InputError`` naming
    ``name`` and the item; a document that is not a feed is one ``RecordFormatError``.
    """
    import feedparser

    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True,
                                  resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 - a third-party parser must not sink the batch
        yield RecordFormatError(f"the feed cannot be parsed ({exc}); check it is RSS or Atom",
                                where=name)
        return
    if not parsed.get("version") and not parsed.entries:
        yield RecordFormatError("not an RSS or Atom feed; check the URL points at the feed "
                                "itself (its XML), not at a web page", where=name)
        return
    feed_title = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, start=1):
        title = " ".join((entry.get("title") or "").split()) or None
        link = (entry.get("link") or "").strip()
        if not link.lower().startswith(("http://", "https://")):
            yield RecordFormatError(
                f"item {number} ({title or 'untitled'}) has no http(s) link to its page; "
                "the watcher reads each item's page", where=name)
            continue
        published = None
        for key in ("published", "updated", "created"):
            published = _entry_date(entry.get(key), entry.get(f"{key}_parsed"))
            if published is not None:
                break
        yield FeedItem(link=link, title=title, published=published, feed_title=feed_title)


def parse_feed(data: bytes, *, name: str,
               published: dt.date | None = None) -> Iterator[Article | InputError]:
    """Parse an RSS 0.9x/1.0/2.0 or Atom document (pure; feedparser never fetches here).

    Yields an ``Article`` or an ``InputError`` per item. Item N (from 1) gets ``origin``
    ``name#N`` and errors ``name item N``. An item's date is its ``published`` (else
    ``updated``) time in UTC; ``published`` is the fallback when it has neither.
    """
    import feedparser

    try:
        # A stream, never a str or bytes: feedparser opens a str that looks like a URL, and
        # a str or bytes that names an existing file, instead of parsing it.
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True,
                                  resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 - a third-party parser must not sink the batch
        yield RecordFormatError(f"the feed cannot be parsed ({exc}); check it is RSS or Atom",
                                where=name)
        return
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f" ({' '.join(str(reason).split())})" if reason else ""
        yield RecordFormatError(
            f"not an RSS or Atom feed{detail}; .xml, .rss and .atom files are read as feeds "
            "— save other documents as .txt, .html or .jsonl", where=name)
        return
    source = parsed.feed.get("title") or None
    for number, entry in enumerate(parsed.entries, start=1):
        try:
            yield _entry_article(entry, where=f"{name} item {number}", origin=f"{name}#{number}",
                                 source=source, published=published)
        except InputError as exc:
            yield exc


def _entry_article(entry: Any, *, where: str, origin: str, source: str | None,
                   published: dt.date | None) -> Article:
    title = " ".join((entry.get("title") or "").split()) or None
    label = f' ("{title}")' if title else ""
    candidates = [c.get("value") or "" for c in entry.get("content") or []]
    candidates.append(entry.get("summary") or "")
    text = max((fragment_to_text(c) for c in candidates), key=len)
    if not text:
        link = entry.get("link")
        fix = (f"fetch the linked page instead: {link}" if link
               else "the feed lists headlines only; read the articles themselves")
        raise EmptyTextError(f"item{label} has no content or summary; {fix}", where=where)
    date_value: dt.date | dt.datetime | None = None
    for key in ("published", "updated", "created"):
        date_value = _entry_date(entry.get(key), entry.get(f"{key}_parsed"))
        if date_value is not None:
            break
        if entry.get(key):
            raise DateFormatError(
                f'item{label} has {key} date "{entry[key]}", which cannot be read; use an '
                f"RFC 822 date such as Sat, 19 Aug 2017 06:00:00 +0300 (RSS) or {DATE_HINT} "
                "(Atom)", where=where)
    entry_id = entry.get("id") or None
    return Article.make(text=text, title=title, url=entry.get("link") or None,
                        published=date_value or published, source=source, id=entry_id,
                        origin=origin)


def _entry_date(raw: str | None, parsed: time.struct_time | None) -> dt.datetime | dt.date | None:
    """The item's own date with its own UTC offset (so its local calendar day is kept).

    RFC 822 (RSS) and ISO 8601 (Atom) strings are read directly; feedparser's UTC
    ``*_parsed`` value covers the other forms it knows.
    """
    if raw:
        try:
            return parse_date(raw)
        except ValueError:
            pass
    if parsed:
        return dt.datetime(*parsed[:6], tzinfo=dt.UTC)
    return None
