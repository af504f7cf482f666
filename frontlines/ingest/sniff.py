"""Which reader a source needs: by file extension, by HTTP content type, or by its first bytes."""

from __future__ import annotations

import json
import re
from pathlib import Path

__all__ = [
    "IGNORED_STEMS", "IGNORED_SUFFIXES", "KINDS", "SUFFIX_KINDS", "is_ignored", "kind_for_content",
    "kind_for_path",
]

KINDS = ("text", "markdown", "html", "json", "jsonl", "feed")

SUFFIX_KINDS: dict[str, str] = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}

# Files that are obviously not articles. In a directory these are passed over silently
# (counted in ``IngestReport.ignored``); anything else unreadable is reported, because a
# .pdf, .docx or .csv among reports is probably something the user expected to be read.
IGNORED_SUFFIXES = frozenset({
    # images
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".svg", ".ico",
    ".heic", ".avif", ".psd",
    # audio and video
    ".mp3", ".wav", ".ogg", ".oga", ".m4a", ".flac", ".aac", ".opus", ".mp4", ".m4v",
    ".mov", ".avi", ".mkv", ".webm", ".wmv",
    # fonts, styles, scripts, source maps
    ".woff", ".woff2", ".ttf", ".otf", ".eot", ".css", ".js", ".mjs", ".map",
    # archives and compiled or binary artefacts
    ".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".tar",
    ".pyc", ".pyo", ".so", ".o", ".dll", ".exe", ".bin", ".db", ".sqlite",
    # editor and OS leftovers
    ".swp", ".tmp", ".bak", ".lock",
})
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini"})
# A folder's own documentation (README.md, LICENSE, SOURCE.md, ...) describes the reports;
# it is not one of them. Named on its own, such a file is read like any other.
IGNORED_STEMS = frozenset({"readme", "license", "licence", "copying", "notice", "authors",
                           "changelog", "changes", "contributing", "source", "sources"})

_CONTENT_TYPES: dict[str, str] = {
    "text/html": "html", "application/xhtml+xml": "html",
    "application/rss+xml": "feed", "application/atom+xml": "feed",
    "application/rdf+xml": "feed", "application/feed+xml": "feed",
    "application/json": "json", "text/json": "json", "application/feed+json": "json",
    "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl", "application/jsonlines": "jsonl",
    "text/markdown": "markdown", "text/x-markdown": "markdown",
}
_FEED_ROOT = re.compile(rb"<(?:[\w-]+:)?(?:rss|feed|rdf)\b", re.I)
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html)\b", re.I)
_HTML_MARK = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|main|div|p|h1|title)\b",
                        re.I)


def kind_for_path(path: Path) -> str | None:
    """The reader for a file name, or ``None`` when its extension is not one we read."""
    return SUFFIX_KINDS.get(path.suffix.lower())


def is_ignored(path: Path) -> bool:
    """True for files in a folder that are obviously not articles: images, media, archives,
    and the folder's own documentation (README, LICENSE, SOURCE.md, ...)."""
    return (path.suffix.lower() in IGNORED_SUFFIXES or path.name.lower() in IGNORED_NAMES
            or path.stem.lower() in IGNORED_STEMS)


def kind_for_content(data: bytes, *, content_type: str | None = None) -> str:
    """The reader for fetched or piped bytes: a specific content type wins, else sniffing.

    Generic types (``text/plain``, ``text/xml``, ``application/xml``,
    ``application/octet-stream``, none) are decided by the content: a feed root element,
    HTML markup, a JSON object per line (JSON Lines), a JSON document, else plain text.
    """
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in _CONTENT_TYPES:
        return _CONTENT_TYPES[mime]
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        if _HTML_ROOT.match(head):
            return "html"
        if _FEED_ROOT.search(head):
            return "feed"
        if _HTML_MARK.search(head):
            return "html"
        # Other XML goes to the feed reader, which says plainly that it is not a feed.
        return "feed" if head.startswith(b"<?xml") or mime.endswith("xml") else "html"
    if head.startswith(b"{"):
        return "jsonl" if _first_line_is_object(head) else "json"
    if head.startswith(b"["):
        return "json"
    return "text"


def _first_line_is_object(head: bytes) -> bool:
    """A complete JSON object on the first line: JSON Lines (a one-line .json reads the same)."""
    first = head.partition(b"\n")[0]
    try:
        value = json.loads(first)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(value, dict)
