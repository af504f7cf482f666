"""JSON and JSON Lines records: one object per article.

Fields (all but ``text`` optional; other fields are ignored)::

    {"id": "...", "text": "...", "title": "...", "url": "...",
     "published": "2017-08-19" | "2017-08-19T14:30:00+03:00", "source": "..."}

A few common aliases are read too, so exports from other tools work unchanged:
``body``/``content`` for ``text``, ``headline`` for ``title``, ``link`` for ``url``,
``date``/``published_at``/``publish_date`` for ``published``; JSON Feed items
(``content_text``, ``content_html`` with its markup stripped, ``date_published``) and
NewsAPI-style records (``publishedAt``, ``"source": {"name": ...}``). When a record carries
both a field and its alias, the field wins. A JSON document that wraps its records in one
list-valued key (``{"items": [...]}``, ``{"articles": [...]}``) is read as that list.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from frontlines.errors import DateFormatError, EmptyTextError, InputError, RecordFormatError
from frontlines.ingest.dates import DATE_HINT, parse_date
from frontlines.ingest.html import fragment_to_text
from frontlines.ingest.limits import check_json_depth
from frontlines.model import Article

__all__ = ["FIELD_ALIASES", "parse_json_document", "parse_jsonl_line", "parse_jsonl_text",
           "parse_record"]

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "text": ("text", "body", "content", "content_text", "content_html"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "publish_date", "publishedAt",
                  "date_published"),
    "source": ("source", "source_name"),
}
_HTML_FIELDS = frozenset({"content_html"})
_EXAMPLE = '{"text": "...", "title": "...", "published": "2017-08-19"}'


def parse_record(record: Any, *, where: str, published: dt.date | None = None,
                 origin: str | None = None) -> Article:
    """One decoded JSON value to an ``Article`` (pure). ``where`` prefixes error messages.

    Raises ``RecordFormatError`` (not an object, a field of the wrong type),
    ``EmptyTextError`` (no or blank ``text``) or ``DateFormatError``.
    """
    if not isinstance(record, dict):
        raise RecordFormatError(
            f"expected a JSON object, found {_json_kind(record)}; write one object per "
            f"record, such as {_EXAMPLE}", where=where)
    keys = {field: _pick(record, names) for field, names in FIELD_ALIASES.items()}
    values = {field: record[key] if key else None for field, key in keys.items()}
    source = values["source"]
    if isinstance(source, dict) and isinstance(source.get("name"), str):
        values["source"] = source["name"]
    text = values["text"]
    if text is None:
        present = ", ".join(sorted(map(str, record))) or "none"
        raise EmptyTextError(
            f'no "text" field (fields present: {present}); every record needs the report\'s '
            f'text in "text", such as {_EXAMPLE}', where=where)
    for field in ("text", "title", "url", "source"):
        value = values[field]
        if value is not None and not isinstance(value, str):
            raise RecordFormatError(
                f'"{keys[field]}" is {_json_kind(value)} {_short(value)}; it must be a string',
                where=where)
    if keys["text"] in _HTML_FIELDS:
        text = fragment_to_text(text)
    if not text.strip():
        raise EmptyTextError(f'"{keys["text"]}" is empty; every record needs the report\'s '
                             "text", where=where)
    record_id = values["id"]
    if isinstance(record_id, bool) or not isinstance(record_id, str | int | type(None)):
        raise RecordFormatError(
            f'"id" is {_json_kind(record_id)} {_short(record_id)}; use a string or a whole '
            "number, or leave it out to get a content hash", where=where)
    return Article.make(
        text=text,
        title=values["title"] or None,
        url=values["url"] or None,
        published=_published(values["published"], key=keys["published"], where=where)
        or published,
        source=values["source"] or None,
        id=None if record_id is None else str(record_id),
        origin=origin or where,
    )


def parse_jsonl_line(line: str, *, name: str, lineno: int, published: dt.date | None = None,
                     max_depth: int = 64) -> Article | None:
    """One JSON Lines line to an ``Article``; ``None`` for a blank line (pure).

    ``Article.origin`` is ``name:lineno``; errors read ``name line N: ...``.
    """
    if not line.strip():
        return None
    where = f"{name} line {lineno}"
    try:
        record = _loads(line.rstrip("\r\n"), where=where, max_depth=max_depth)
    except json.JSONDecodeError as exc:
        raise RecordFormatError(
            f"invalid JSON ({exc.msg} at column {exc.colno}); each line must be one JSON "
            f"object such as {_EXAMPLE}", where=where) from None
    return parse_record(record, where=where, published=published, origin=f"{name}:{lineno}")


def parse_json_document(text: str, *, name: str, published: dt.date | None = None,
                        max_depth: int = 64) -> Iterator[Article | InputError]:
    """A ``.json`` document: one object, or a list of objects (pure).

    Yields an ``Article`` or an ``InputError`` per record, so one bad record does not hide
    the good ones. A file that is really JSON Lines (one object per line) is read as such.
    List items get ``origin`` ``name#N`` (N counts from 1) and errors ``name item N``.
    """
    try:
        data = _loads(text, where=name, max_depth=max_depth)
    except InputError as exc:
        yield exc
        return
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            yield from parse_jsonl_text(text, name=name, published=published,
                                        max_depth=max_depth)
            return
        yield RecordFormatError(
            f"invalid JSON ({exc.msg} at column {exc.colno}); a .json file holds one "
            f"object such as {_EXAMPLE} or a list of them", where=f"{name} line {exc.lineno}")
        return
    if isinstance(data, dict) and not _looks_like_record(data):
        # {"articles": [...]} and similar wrappers: one list-valued key holding objects.
        lists = [v for v in data.values() if isinstance(v, list) and v and
                 all(isinstance(item, dict) for item in v)]
        if len(lists) == 1:
            data = lists[0]
    if isinstance(data, list):
        for number, item in enumerate(data, start=1):
            try:
                yield parse_record(item, where=f"{name} item {number}", published=published,
                                   origin=f"{name}#{number}")
            except InputError as exc:
                yield exc
        return
    try:
        yield parse_record(data, where=name, published=published, origin=name)
    except InputError as exc:
        yield exc


def parse_jsonl_text(text: str, *, name: str, published: dt.date | None = None,
                     max_depth: int = 64) -> Iterator[Article | InputError]:
    """Every line of a JSON Lines document: an ``Article`` or an ``InputError`` each (pure)."""
    for lineno, line in enumerate(text.splitlines(), start=1):
        try:
            article = parse_jsonl_line(line, name=name, lineno=lineno, published=published,
                                       max_depth=max_depth)
        except InputError as exc:
            yield exc
            continue
        if article is not None:
            yield article


def _loads(text: str, *, where: str, max_depth: int) -> Any:
    """``json.loads`` that refuses nesting deeper than ``max_depth`` (``LimitError``)."""
    check_json_depth(text, where=where, limit=max_depth)
    try:
        return json.loads(text)
    except RecursionError:
        check_json_depth(text, where=where, limit=0)  # raises, naming the limit
        raise


def _looks_like_record(data: dict[str, Any]) -> bool:
    return any(name in data for name in FIELD_ALIASES["text"])


def _pick(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    """The first of ``names`` the record has with a non-null value."""
    for name in names:
        if record.get(name) is not None:
            return name
    return None


def _published(value: Any, *, key: str | None,
               where: str) -> dt.date | dt.datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise DateFormatError(
            f'"{key}" is {_json_kind(value)} {_short(value)}; {DATE_HINT} (as a string)',
            where=where)
    try:
        return parse_date(value)
    except ValueError:
        raise DateFormatError(f'"{key}" is "{value}"; {DATE_HINT}', where=where) from None


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _short(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 40 else shown[:37] + "..."
