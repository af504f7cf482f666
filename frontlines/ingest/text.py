"""Plain-text and Markdown reports: a title line, optional header lines, then the body.

Layout read (headers may come before or right after the title, blank lines allowed)::

    # Lebanese Army launches offensive on Ras Baalbek outskirts     <- title ("# " dropped in .md)
    Published: 2017-08-19                                           <- header lines, removed
    Source: Bekaa Border Monitor
    URL: https://border-monitor.example/2017/08/19/offensive

    The Lebanese Army began ...                                     <- body

Recognised headers (case-insensitive, ``**Published:**`` emphasis allowed): ``Published``
or ``Date``, ``Source``, ``URL`` or ``Link``, ``ID``, and ``Title`` (for exports that label
it; the first other line is the title otherwise). Headers are only looked for before the
body starts, so a body line such as "Source: army statement" is kept. Markdown files may
instead open with a YAML front-matter block (``title``, ``published``/``date``, ``source``,
``url``, ``id``).
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from frontlines.errors import DateFormatError, EmptyTextError, RecordFormatError
from frontlines.ingest.dates import DATE_HINT, parse_date
from frontlines.model import Article

__all__ = ["parse_text_document"]

_HEADER = re.compile(
    r"^[*_\s]*(title|published|date|source|url|link|id)[*_\s]*:[*_\s]*(.*?)[*_\s]*$", re.I)
_HEADER_FIELD = {"title": "title", "published": "published", "date": "published",
                 "source": "source", "url": "url", "link": "url", "id": "id"}
_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT_RULE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EM = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?!\*)")


def parse_text_document(text: str, *, name: str, published: dt.date | None = None,
                        markdown: bool = False, url: str | None = None,
                        origin: str | None = None) -> Article:
    """Turn one text or Markdown report into an ``Article`` (pure; no I/O).

    ``name`` is the file (or URL, or ``<stdin>``) used in error messages and, unless
    ``origin`` is given, as ``Article.origin``. ``published`` is the fallback date when the
    document has no ``Published:`` header, ``url`` the fallback for a missing ``URL:``
    header (the address a fetched document came from). Raises ``EmptyTextError`` for a
    blank document,
    ``DateFormatError`` for an unreadable ``Published:`` line, ``RecordFormatError`` for a
    broken front-matter block.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fields: dict[str, str] = {}
    date_line: int | None = None
    index = 0
    if markdown and lines and lines[0].strip() == "---":
        index, fields = _front_matter(lines, name=name)
        if "published" in fields:
            date_line = 1
    title: str | None = fields.pop("title", None)
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        header = _HEADER.match(line)
        if header and header.group(2):
            field = _HEADER_FIELD[header.group(1).lower()]
            if field == "title":
                if title is None:
                    title = header.group(2).strip()
                index += 1
                continue
            fields[field] = header.group(2).strip()
            if field == "published":
                date_line = index + 1
            index += 1
            continue
        if title is not None:
            if markdown and _heading_text(line) == title and _ATX_HEADING.match(line):
                index += 1  # the front matter's title repeated as the first heading
                continue
            break
        title = _heading_text(line) if markdown else line.strip()
        index += 1
        if markdown and index < len(lines) and _SETEXT_RULE.match(lines[index]):
            index += 1
    body = "\n".join(lines[index:]).strip("\n")
    if markdown:
        body = _plain_markdown(body)
    body = body.strip()
    if not body and not title:
        raise EmptyTextError(
            "the document has no text; put the report's title on the first line and its "
            "text below it", where=name)
    if not body:  # a one-line report: the line is the text, not a title over nothing
        body, title = title or "", None
    date_value: dt.date | dt.datetime | None = published
    if fields.get("published"):
        try:
            date_value = parse_date(fields["published"])
        except ValueError:
            where = f"{name} line {date_line}" if date_line else name
            raise DateFormatError(
                f'"Published" is "{fields["published"]}"; {DATE_HINT}', where=where) from None
    return Article.make(text=body, title=title or None, url=fields.get("url") or url,
                        published=date_value, source=fields.get("source") or None,
                        id=fields.get("id") or None, origin=origin or name)


def _heading_text(line: str) -> str:
    match = _ATX_HEADING.match(line)
    return _plain_markdown(match.group(1) if match else line.strip()).strip()


def _plain_markdown(text: str) -> str:
    """Drop inline Markdown markup that would confuse NLP: images, link targets, emphasis."""
    text = _MD_IMAGE.sub(lambda m: m.group(1), text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _MD_EMPHASIS.sub(lambda m: m.group(2), text)
    text = _MD_EM.sub(lambda m: m.group(1), text)
    return "\n".join(_ATX_HEADING.sub(lambda m: m.group(1), line) for line in text.split("\n"))


def _front_matter(lines: list[str], *, name: str) -> tuple[int, dict[str, str]]:
    """Read a leading ``---`` YAML block; return the index after it and its string fields."""
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise RecordFormatError(
            "the front matter opened by '---' on line 1 is never closed; end it with a "
            "line '---' or remove it", where=name)
    try:
        data = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise RecordFormatError(
            f"the YAML front matter is invalid ({' '.join(str(exc).split())}); fix it or "
            "use 'Published: 2017-08-19' style header lines instead", where=name) from None
    if not isinstance(data, dict):
        raise RecordFormatError(
            "the front matter is not a mapping; write it as 'key: value' lines "
            "(title, published, source, url, id)", where=name)
    fields: dict[str, str] = {}
    for key, value in data.items():
        field = _HEADER_FIELD.get(str(key).lower())
        if field and value is not None and str(value).strip():
            fields[field] = value.isoformat() if isinstance(value, dt.date) else str(value)
    return end + 1, fields
