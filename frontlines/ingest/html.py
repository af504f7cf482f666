"""Web pages: the article's main text, title and date, without navigation and boilerplate.

trafilatura does the extraction (it drops menus, footers, cookie banners, related-story
boxes). When it finds nothing — very short pages, unusual markup — a plain lxml pass takes
the text of ``<article>``/``<main>``/``<body>`` after removing the same kinds of boilerplate.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import lxml.html
from lxml import etree

from frontlines.errors import EmptyTextError, RecordFormatError
from frontlines.ingest.dates import parse_date
from frontlines.ingest.decode import declared_encoding, decode_bytes
from frontlines.model import Article

__all__ = ["html_to_text", "parse_html_document"]

_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
              "form", "button", "iframe", "svg", "select", "dialog", "figure")
_CHROME_TAGS = ("nav", "footer", "aside", "form", "button", "noscript", "dialog", "template")
_CHROME = re.compile(r"cookie|consent|gdpr|newsletter|subscribe|breadcrumb", re.I)
_BOILERPLATE = re.compile(
    r"cookie|consent|gdpr|banner|newsletter|subscribe|social|share|related|breadcrumb|"
    r"\bnav|menu|sidebar|advert|\bads?\b|promo|popup|modal|footer|header|comment", re.I)
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
    "ul", "ol", "blockquote", "pre", "table", "tr", "td", "th", "dd", "dt", "br", "hr",
    "address", "figcaption", "caption",
})
_TITLE_SUFFIX = re.compile(r"\s+[|\u2013\u2014-]\s+[^|\u2013\u2014-]{2,60}$")
_LOG = logging.getLogger(__name__)
_HTMLDATE_FIRST = dt.date(1995, 1, 1)  # htmldate's MIN_DATE
_DATE_META = ("//head/meta[@property='article:published_time' or @itemprop='datePublished' or "
              "translate(@name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') = "
              "'date' or translate(@name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
              "'abcdefghijklmnopqrstuvwxyz') = 'dc.date']/@content")


def parse_html_document(html: str | bytes, *, name: str, url: str | None = None,
                        published: dt.date | None = None, encoding: str | None = None,
                        origin: str | None = None) -> Article:
    """Extract one article from an HTML page (pure; no network).

    ``url`` is where the page came from (used when the page names no canonical URL);
    ``encoding`` a charset declared outside the page (HTTP header). The page's own date
    wins over ``published``. Raises ``DecodeError``, ``EmptyTextError`` when no article text
    is found, or ``RecordFormatError`` when the markup cannot be parsed at all.
    """
    if isinstance(html, bytes):
        html = decode_bytes(html, where=name, encoding=encoding or declared_encoding(html))
    html = html.replace("\x00", "")
    if not html.strip():
        raise EmptyTextError("the page is empty; save the article's HTML again",
                             where=name)
    # Page chrome goes before trafilatura sees the page: on short pages its fallback
    # extractors would otherwise keep menus and cookie notices.
    page = _parse_tree(html, name=name)
    declared = _declared_date(page)
    text, meta = _trafilatura(_strip_chrome(page), url=url, name=name)
    tree = None
    if not text:
        tree = _parse_tree(html, name=name)
        text = html_to_text(_main_element(_strip_boilerplate(tree)))
    if not text:
        raise EmptyTextError(
            "no article text found in the page (only navigation or boilerplate); check that "
            "the file is the article itself, or save its text as a .txt file", where=name)
    title = meta.get("title")
    if not title:
        tree = tree if tree is not None else _parse_tree(html, name=name)
        title = _fallback_title(tree)
    if title:
        text = _drop_leading_title(text, title)
        if not text:
            text, title = title, None
    date_value = _page_date(meta.get("date"), declared, name=name) or published
    page_url = meta.get("url")
    if not (page_url and page_url.startswith(("http://", "https://"))):
        page_url = url
    return Article.make(text=text, title=title or None, url=page_url or None,
                        published=date_value, source=meta.get("sitename") or None,
                        origin=origin or name)


def _page_date(found: str | None, declared: str | None, *,
               name: str) -> dt.date | dt.datetime | None:
    """trafilatura's date (``found``), or the one the page's meta tags declare where
    htmldate cannot read it: it passes over dates before 1995 and turns a future one into
    another (tomorrow's became the 1st of the month). The reader must see the page's own
    date to keep it or to refuse it: 1850 is a typo to report, not a page without a date."""
    values = []
    for raw in (found, declared):
        try:
            values.append(parse_date(raw) if raw else None)
        except ValueError:
            _LOG.debug("%s: ignoring page date %r", name, raw)
            values.append(None)
    trafilatura_date, own = values
    if own is not None:
        day = own.date() if isinstance(own, dt.datetime) else own
        if trafilatura_date is None or not _HTMLDATE_FIRST <= day <= dt.date.today():
            return own
    return trafilatura_date


def _declared_date(tree: etree._Element) -> str | None:
    """The publication date a page's ``<meta>`` tags declare (Open Graph, Dublin Core,
    schema.org, plain ``date``), as written; ``None`` when it declares none."""
    for value in tree.xpath(_DATE_META):
        value = " ".join(str(value).split())
        if value:
            return value[:100]
    return None


def html_to_text(element: etree._Element) -> str:
    """Visible text of ``element`` with one blank line between block elements."""
    parts: list[str] = []
    _collect(element, parts)
    text = "".join(parts)
    paragraphs = (" ".join(block.split()) for block in text.split("\n"))
    return "\n\n".join(p for p in paragraphs if p)


def fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed item's content); plain text passes through."""
    if "<" not in fragment and "&" not in fragment:
        return "\n\n".join(" ".join(p.split()) for p in fragment.split("\n\n") if p.strip())
    try:
        root = lxml.html.fragment_fromstring(fragment.replace("\x00", ""), create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(fragment.split())
    for bad in root.xpath(".//script|.//style|.//noscript|.//template"):
        bad.drop_tree()
    return html_to_text(root)


def _collect(element: etree._Element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag.lower() in _BLOCK_TAGS
    if block:
        parts.append("\n")
    if isinstance(element.tag, str) and element.text:
        parts.append(element.text)
    for child in element:
        _collect(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n")


def _trafilatura(tree: etree._Element, *, url: str | None,
                 name: str) -> tuple[str, dict[str, str]]:
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            tree, url=url, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception as exc:  # noqa: BLE001 - a third-party parser must not sink the batch
        _LOG.debug("%s: trafilatura failed (%s); using the lxml fallback", name, exc)
        return "", {}
    if document is None:
        return "", {}
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = data.get("text") or ""
    paragraphs = (" ".join(line.split()) for line in text.split("\n"))
    meta = {key: str(data[key]) for key in ("title", "date", "url", "sitename")
            if data.get(key)}
    return "\n\n".join(p for p in paragraphs if p), meta


def _parse_tree(html: str, *, name: str) -> etree._Element:
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise RecordFormatError(
            f"the HTML cannot be parsed ({exc}); save the page again or its text as .txt",
            where=name) from None


def _strip_chrome(tree: etree._Element) -> etree._Element:
    """Remove what is never article text: menus, footers, forms, cookie and signup boxes."""
    for element in list(tree.iter(*_CHROME_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        marker = f"{element.get('id', '')} {element.get('class', '')}"
        if marker.strip() and _CHROME.search(marker):
            element.drop_tree()
    return tree


def _strip_boilerplate(tree: etree._Element) -> etree._Element:
    for element in list(tree.iter(*_DROP_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if element.tag in ("html", "body", "main", "article"):
            continue
        marker = f"{element.get('id', '')} {element.get('class', '')} {element.get('role', '')}"
        if marker.strip() and _BOILERPLATE.search(marker):
            element.drop_tree()
    return tree


def _main_element(tree: etree._Element) -> etree._Element:
    for path in ("//article", "//main", "//*[@role='main']", "//body"):
        found = tree.xpath(path)
        if found:
            return max(found, key=lambda e: len(e.text_content()))
    return tree


def _fallback_title(tree: etree._Element) -> str | None:
    for path in ("//meta[@property='og:title']/@content", "//h1", "//title"):
        for found in tree.xpath(path):
            value = found if isinstance(found, str) else found.text_content()
            value = " ".join(value.split())
            if value:
                return _TITLE_SUFFIX.sub("", value) if path == "//title" else value
    return None


def _drop_leading_title(text: str, title: str) -> str:
    first, _, rest = text.partition("\n\n")
    if " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.strip()
    return text
