"""Reading reports into ``Article`` records: files, directories, stdin, JSON(L), HTML, feeds, URLs.

``read_articles(sources, *, published, strict, report, client, progress)`` is the entry
point; the ``parse_*`` functions are its pure parsers, usable on their own (no I/O).

Sources, what they are read as, and the ``Article.origin`` they get:

- ``.txt``/``.text``, ``.md``/``.markdown``: a title line, ``Published:``/``Source:``/``URL:``
  headers (removed), the body; Markdown headings, links, emphasis and YAML front matter
  handled. Origin: the path.
- ``.html``/``.htm``: trafilatura's main text (lxml fallback), with the page's title, date,
  canonical URL and site name. Origin: the path.
- ``.jsonl``/``.ndjson``: one JSON object per line. Origin: ``path:line``.
- ``.json``: one object, a list, or ``{"items": [...]}``. Origin: ``path`` or ``path#N``.
- ``.xml``/``.rss``/``.atom``: RSS or Atom via feedparser, one article per item, HTML
  stripped. Origin: ``path#N``.
- ``http(s)://`` URLs: fetched; the Content-Type, else sniffing, picks one of the above.
  Origin: the URL (``URL:line``, ``URL#N``).
- ``-``: standard input, JSON Lines (streamed line by line) or text/HTML/feed/JSON
  (sniffed). Origin: ``<stdin>`` or ``<stdin>:line``.
- directories: every file below, in sorted order; hidden files and folders skipped.

In a directory, files that are obviously not articles — images, audio, video, fonts,
stylesheets, scripts, archives, compiled files (``sniff.IGNORED_SUFFIXES``) and the
folder's own documentation (``README.md``, ``LICENSE``, ``SOURCE.md``:
``sniff.IGNORED_STEMS``) — are passed over silently and counted in
``IngestReport.ignored``; any other unsupported file (``.pdf``, ``.docx``, ``.csv``, no
extension) is reported as an ``UnknownFileTypeError``, because
among reports it is probably something the user expected to be read. A file named on its
own is always read or reported; one without an extension is sniffed.

Every bad record becomes one ``InputError`` subclass whose message names the file (and
line or item), the problem and the fix: ``RecordFormatError``, ``EmptyTextError``,
``DateFormatError``, ``DecodeError``, ``UnknownFileTypeError``, ``FetchError`` (URLs) and
``SourceNotFoundError`` (files and folders that are missing or unreadable).
"""

from frontlines.ingest.dates import parse_date
from frontlines.ingest.decode import decode_bytes
from frontlines.ingest.feeds import parse_feed
from frontlines.ingest.html import parse_html_document
from frontlines.ingest.reader import read_articles
from frontlines.ingest.records import (
    parse_json_document,
    parse_jsonl_line,
    parse_jsonl_text,
    parse_record,
)
from frontlines.ingest.report import IngestReport
from frontlines.ingest.sniff import kind_for_content, kind_for_path
from frontlines.ingest.text import parse_text_document

__all__ = [
    "IngestReport",
    "decode_bytes",
    "kind_for_content",
    "kind_for_path",
    "parse_date",
    "parse_feed",
    "parse_html_document",
    "parse_json_document",
    "parse_jsonl_line",
    "parse_jsonl_text",
    "parse_record",
    "parse_text_document",
    "read_articles",
]
