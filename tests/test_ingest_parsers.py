"""Pure parsers of frontlines.ingest: no files, no network."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from frontlines.errors import (
    DateFormatError,
    DecodeError,
    EmptyTextError,
    InputError,
    RecordFormatError,
)
from frontlines.ingest import (
    decode_bytes,
    kind_for_content,
    parse_date,
    parse_feed,
    parse_html_document,
    parse_json_document,
    parse_jsonl_line,
    parse_record,
    parse_text_document,
)
from frontlines.model import content_id

LAUNCH = """Lebanese Army launches offensive on Ras Baalbek outskirts
Published: 2017-08-19
Source: Bekaa Border Monitor
URL: https://border-monitor.example/2017/08/19/offensive

The Lebanese Army began an offensive at dawn on Saturday against Islamic State fighters
in the hills east of Ras Baalbek and Qaa.

Source: an army statement said 30 square kilometres were retaken.
"""


# -- dates --------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("2017-08-19", dt.date(2017, 8, 19)),
    ("2017-08-19T14:30:00", dt.datetime(2017, 8, 19, 14, 30)),
    ("2017-08-19T14:30:00+03:00",
     dt.datetime(2017, 8, 19, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))),
    ("2017-08-19T11:30:00Z", dt.datetime(2017, 8, 19, 11, 30, tzinfo=dt.UTC)),
    ("2017-08-19 14:30", dt.datetime(2017, 8, 19, 14, 30)),
    ("19 August 2017", dt.date(2017, 8, 19)),
    ("Saturday, 19 Aug. 2017", dt.date(2017, 8, 19)),
    ("August 19, 2017", dt.date(2017, 8, 19)),
    ("Sept 2 2017", dt.date(2017, 9, 2)),
    ("Sat, 19 Aug 2017 06:00:00 +0300",
     dt.datetime(2017, 8, 19, 6, tzinfo=dt.timezone(dt.timedelta(hours=3)))),
    ("19 Aug 2017 06:00 GMT", dt.datetime(2017, 8, 19, 6, tzinfo=dt.UTC)),
])
def test_parse_date_accepts_iso_and_written_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [
    "17/08/2017", "08/17/2017", "2017-13-01", "2017-08-32", "yesterday", "", "19 Augustus 2017",
    "2017-08-19T25:00", "Sat, 32 Aug 2017 06:00:00 +0300", "Aug 2017",
])
def test_parse_date_refuses_ambiguous_or_invalid(value):
    with pytest.raises(ValueError):
        parse_date(value)


# -- text ---------------------------------------------------------------------------------

def test_text_document_headers_are_read_and_removed():
    article = parse_text_document(LAUNCH, name="launch.txt")
    assert article.title == "Lebanese Army launches offensive on Ras Baalbek outskirts"
    assert article.published == dt.date(2017, 8, 19)
    assert article.source == "Bekaa Border Monitor"
    assert article.url == "https://border-monitor.example/2017/08/19/offensive"
    assert article.text.startswith("The Lebanese Army began an offensive at dawn")
    assert "Published:" not in article.text and "URL:" not in article.text
    # A header-like line inside the body is text, not a header.
    assert article.text.endswith(
        "Source: an army statement said 30 square kilometres were retaken.")
    assert article.origin == "launch.txt"


def test_text_document_headers_before_title_and_published_fallback():
    text = "Published: 2017-08-27\n\nCeasefire in the hills of Qaa\n\nGuns fell silent on Sunday."
    article = parse_text_document(text, name="c.txt", published=dt.date(2017, 9, 1))
    assert article.title == "Ceasefire in the hills of Qaa"
    assert article.published == dt.date(2017, 8, 27)  # the document's own date wins
    plain = parse_text_document("Ceasefire\n\nGuns fell silent.", name="c.txt",
                                published=dt.date(2017, 9, 1))
    assert plain.published == dt.date(2017, 9, 1)
    assert plain.url is None and plain.source is None


def test_markdown_title_emphasis_links_and_crlf():
    text = ("# Buses leave **Arsal**\r\n\r\n**Published:** 2017-08-02\r\n\r\n"
            "Fighters left [Jurud Arsal](https://example.org/arsal) for *Idlib* on Wednesday.\r\n"
            "\r\n## Prisoners\r\nThree were exchanged.\r\n")
    article = parse_text_document(text, name="a.md", markdown=True)
    assert article.title == "Buses leave Arsal"
    assert article.published == dt.date(2017, 8, 2)
    assert article.text == ("Fighters left Jurud Arsal for Idlib on Wednesday.\n\n"
                            "Prisoners\nThree were exchanged.")


def test_plain_text_keeps_hash_and_markdown_setext_title():
    assert parse_text_document("# 1 story\n\nBody.", name="a.txt").title == "# 1 story"
    article = parse_text_document("Qaa shelled\n===========\n\nShells fell on Qaa.",
                                  name="a.md", markdown=True)
    assert (article.title, article.text) == ("Qaa shelled", "Shells fell on Qaa.")


def test_markdown_front_matter():
    text = ("---\ntitle: Qaa farmers return\npublished: 2017-08-24\nsource: BBM\n"
            "url: https://border-monitor.example/qaa\nid: bbm-qaa\n---\nFarmers went back.\n")
    article = parse_text_document(text, name="q.md", markdown=True)
    assert article.id == "bbm-qaa"
    assert (article.title, article.published, article.source) == (
        "Qaa farmers return", dt.date(2017, 8, 24), "BBM")
    assert article.text == "Farmers went back."
    with pytest.raises(RecordFormatError, match=r"q\.md: the front matter opened by '---'"):
        parse_text_document("---\ntitle: x\nno end", name="q.md", markdown=True)


def test_title_header_and_front_matter_title_not_repeated():
    labelled = parse_text_document(
        "Title: Army enters Martba valley\nDate: Saturday 26 August 2017\n\nTroops entered.",
        name="t.txt")
    assert (labelled.title, labelled.published, labelled.text) == (
        "Army enters Martba valley", dt.date(2017, 8, 26), "Troops entered.")
    repeated = parse_text_document("---\ntitle: Qaa calm\n---\n# Qaa calm\n\nNo shelling.",
                                   name="q.md", markdown=True)
    assert (repeated.title, repeated.text) == ("Qaa calm", "No shelling.")


def test_one_line_document_is_text_not_title():
    article = parse_text_document("Clashes near Arsal on 21 July 2017.\n", name="one.txt")
    assert article.title is None
    assert article.text == "Clashes near Arsal on 21 July 2017."


def test_text_errors_name_file_line_and_fix():
    with pytest.raises(EmptyTextError) as empty:
        parse_text_document(" \n\n\t\n", name="blank.txt")
    assert str(empty.value) == ("blank.txt: the document has no text; put the report's title "
                                "on the first line and its text below it")
    with pytest.raises(DateFormatError) as bad:
        parse_text_document("Title\nSource: x\nPublished: 19/08/2017\n\nBody", name="r.txt")
    assert str(bad.value).startswith(
        'r.txt line 3: "Published" is "19/08/2017"; expected an ISO 8601 date such as 2017-08-19')
    assert bad.value.code == "E105"


def test_text_ids_are_content_hashes_and_given_ids_kept():
    a = parse_text_document(LAUNCH, name="a.txt")
    b = parse_text_document(LAUNCH, name="elsewhere/b.txt")
    assert a.id == b.id  # same content, same id, wherever it was read from
    assert a.id == content_id(a.title, a.text, a.url, str(a.published))
    changed = parse_text_document(LAUNCH.replace("dawn", "noon"), name="a.txt")
    assert changed.id != a.id
    given = parse_text_document("ID: bbm-0819\n" + LAUNCH, name="a.txt")
    assert given.id == "bbm-0819"


# -- JSON and JSON Lines ------------------------------------------------------------------

def test_jsonl_line_fields_origin_and_aliases():
    line = json.dumps({"id": 42, "headline": "Army takes hill", "body": "Troops took a hill.",
                       "link": "https://x.example/a", "date": "2017-08-20T07:00:00+03:00",
                       "source": "BBM", "lang": "en"})
    article = parse_jsonl_line(line, name="feed.jsonl", lineno=14)
    assert article.id == "42"
    assert (article.title, article.text, article.url, article.source) == (
        "Army takes hill", "Troops took a hill.", "https://x.example/a", "BBM")
    assert article.published == dt.datetime(2017, 8, 20, 7,
                                            tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert article.origin == "feed.jsonl:14"
    assert parse_jsonl_line("   \n", name="feed.jsonl", lineno=15) is None


def test_record_date_wins_over_fallback():
    record = {"text": "Shelling near Qaa.", "published": "2017-08-21"}
    fallback = dt.date(2017, 9, 9)
    assert parse_record(record, where="r", published=fallback).published == dt.date(2017, 8, 21)
    del record["published"]
    assert parse_record(record, where="r", published=fallback).published == fallback


@pytest.mark.parametrize(("line", "error", "message"), [
    ('{"text": "x", "published": "17/08/2017"}', DateFormatError,
     'articles.jsonl line 14: "published" is "17/08/2017"; expected an ISO 8601 date such as '
     "2017-08-19"),
    ('{"text": "x", "date": 20170817}', DateFormatError,
     'articles.jsonl line 14: "date" is a number 20170817; expected an ISO 8601 date'),
    ('{"text": "x", "title": "y"', RecordFormatError,
     "articles.jsonl line 14: invalid JSON (Expecting ',' delimiter at column 27); each line "
     "must be one JSON object"),
    ('["text", "x"]', RecordFormatError,
     "articles.jsonl line 14: expected a JSON object, found a list; write one object per record"),
    ('{"title": "Army advances", "url": "u"}', EmptyTextError,
     'articles.jsonl line 14: no "text" field (fields present: title, url); every record needs'),
    ('{"text": "  \\n "}', EmptyTextError, 'articles.jsonl line 14: "text" is empty'),
    ('{"text": ["a", "b"]}', RecordFormatError,
     'articles.jsonl line 14: "text" is a list ["a", "b"]; it must be a string'),
    ('{"text": "x", "id": {"a": 1}}', RecordFormatError,
     'articles.jsonl line 14: "id" is an object {"a": 1}; use a string or a whole number'),
])
def test_jsonl_errors_name_file_line_and_fix(line, error, message):
    with pytest.raises(error) as caught:
        parse_jsonl_line(line, name="articles.jsonl", lineno=14)
    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, InputError)


def test_json_document_object_list_wrapper_and_jsonl_content():
    one = list(parse_json_document('{"text": "Clashes in Arsal."}', name="one.json"))
    assert [a.origin for a in one] == ["one.json"]
    items = list(parse_json_document(
        json.dumps([{"text": "A"}, {"title": "no text"}, {"text": "C"}]), name="l.json"))
    assert [type(i).__name__ for i in items] == ["Article", "EmptyTextError", "Article"]
    assert items[0].origin == "l.json#1" and items[2].origin == "l.json#3"
    assert str(items[1]).startswith('l.json item 2: no "text" field')
    wrapped = list(parse_json_document(json.dumps({"articles": [{"text": "W"}]}), name="w.json"))
    assert [a.text for a in wrapped] == ["W"]
    lines = list(parse_json_document('{"text": "A"}\n{"text": "B"}\n', name="x.json"))
    assert [a.origin for a in lines] == ["x.json:1", "x.json:2"]
    broken = list(parse_json_document('[{"text": "A"},\n {"text": }]', name="b.json"))
    assert len(broken) == 1 and isinstance(broken[0], RecordFormatError)
    assert str(broken[0]).startswith("b.json line 2: invalid JSON (Expecting value")


# -- decoding -----------------------------------------------------------------------------

def test_decode_bytes_utf8_boms_and_declared_encoding():
    assert decode_bytes("\ufeffRas Baalbek".encode(), where="x") == "Ras Baalbek"
    assert decode_bytes("Ras Baalbek".encode("utf-16"), where="x") == "Ras Baalbek"
    latin = "Arsal, réfugiés".encode("latin-1")
    assert decode_bytes(latin, where="x", encoding="latin-1") == "Arsal, réfugiés"


def test_decode_error_names_byte_line_and_fix():
    data = "Title\nL'armée a avancé vers Ras Baalbek.".encode("cp1252")
    with pytest.raises(DecodeError) as caught:
        decode_bytes(data, where="report.txt")
    message = str(caught.value)
    assert message.startswith(
        "report.txt: byte 0xe9 at offset 11 (line 2, column 6) is not valid UTF-8;")
    assert "re-save it as UTF-8" in message and "iconv" in message


# -- HTML ---------------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><title>Qaa shelled | Border Monitor</title>
<meta property="article:published_time" content="2017-08-22T09:00:00+03:00"></head>
<body><div class="cookie-banner">We use cookies. Accept all cookies to continue.</div>
<nav><a href="/">Home</a> <a href="/syria">Syria news</a></nav>
<article><h1>Shells fall on Qaa outskirts</h1>
<p>Several shells fired from the hills held by Islamic State fell on farmland on the edge of
Qaa on Tuesday morning, residents said, wounding a farmer.</p>
<p>The Lebanese Army answered with artillery fire on positions in the Martba valley and said
its offensive east of Ras Baalbek would continue until the last fighters had left.</p>
<p>The town's mayor asked farmers to stay away from fields close to the border for now.</p>
</article><footer>Copyright 2017 Border Monitor. Privacy policy.</footer></body></html>"""


def test_html_main_text_without_boilerplate():
    article = parse_html_document(PAGE, name="qaa.html", url="https://bm.example/qaa")
    assert article.title == "Shells fall on Qaa outskirts"
    assert article.published == dt.date(2017, 8, 22)
    assert article.text.startswith("Several shells fired from the hills")
    assert "Martba valley" in article.text
    for boilerplate in ("cookies", "Home", "Syria news", "Copyright", "Privacy"):
        assert boilerplate not in article.text
    assert article.url == "https://bm.example/qaa"
    assert "\n\n" in article.text  # paragraphs kept apart for sentence splitting


def test_html_fallback_for_short_pages():
    page = ("<html><head><title>Arsal clash | BBM</title></head><body><nav>Menu Home</nav>"
            "<p>Two soldiers were wounded near Arsal.</p><footer>(c) BBM</footer></body></html>")
    article = parse_html_document(page.encode(), name="short.html", published=dt.date(2017, 7, 23))
    assert article.text == "Two soldiers were wounded near Arsal."
    assert article.title == "Arsal clash"
    assert article.published == dt.date(2017, 7, 23)


def test_html_without_text_and_meta_charset():
    with pytest.raises(EmptyTextError, match=r"empty\.html: no article text found"):
        parse_html_document("<html><body><nav>Home</nav><script>x=1</script></body></html>",
                            name="empty.html")
    page = ('<html><head><meta charset="windows-1252"></head><body><p>Les soldats ont '
            "avancé vers Qaa.</p></body></html>").encode("cp1252")
    assert parse_html_document(page, name="fr.html").text == "Les soldats ont avancé vers Qaa."


# -- feeds --------------------------------------------------------------------------------

def test_feed_items_and_problems():
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>BBM</title>
    <item><title>Army advances</title><link>https://bm.example/1</link>
    <pubDate>Wed, 23 Aug 2017 01:20:00 +0300</pubDate>
    <description>&lt;p&gt;Troops advanced &lt;b&gt;east&lt;/b&gt; of Ras Baalbek.&lt;/p&gt;
    </description></item>
    <item><title>Bad date</title><pubDate>sometime in August</pubDate>
    <description>Fighting near Qaa.</description></item>
    </channel></rss>"""
    first, second = parse_feed(rss, name="bbm.rss")
    assert first.text == "Troops advanced east of Ras Baalbek."
    # The item's own offset is kept, so its local calendar day stays 23 August.
    assert first.published_date == dt.date(2017, 8, 23)
    assert (first.source, first.url, first.origin) == ("BBM", "https://bm.example/1", "bbm.rss#1")
    assert isinstance(second, DateFormatError)
    assert str(second).startswith('bbm.rss item 2: item ("Bad date") has published date '
                                  '"sometime in August", which cannot be read;')


def test_not_a_feed():
    (error,) = parse_feed(b"<?xml version='1.0'?><svg><g/></svg>", name="map.xml")
    assert isinstance(error, RecordFormatError)
    assert str(error).startswith("map.xml: not an RSS or Atom feed")


def test_feed_bytes_naming_a_file_are_parsed_not_opened(tmp_path):
    target = tmp_path / "secret.xml"
    target.write_text("<rss version='2.0'><channel><item><description>leak</description>"
                      "</item></channel></rss>")
    items = list(parse_feed(str(target).encode(), name="odd.xml"))
    assert not any(getattr(i, "text", "") == "leak" for i in items)


# -- sniffing -----------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "content_type", "kind"), [
    (b"<html><body>x</body></html>", "text/html; charset=utf-8", "html"),
    (b"<?xml version='1.0'?><rss version='2.0'></rss>", "application/xml", "feed"),
    (b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'/>", None, "feed"),
    (b"<!DOCTYPE html><html><link type='application/rss+xml'></html>", "text/plain", "html"),
    (b'{"text": "a"}\n{"text": "b"}\n', "text/plain", "jsonl"),
    (b'{\n  "text": "a"\n}\n', None, "json"),
    (b'[{"text": "a"}]', "application/octet-stream", "json"),
    (b"Army advances near Qaa\n\nTroops moved.", "text/plain", "text"),
    (b"# Army advances", "text/markdown", "markdown"),
    (b"anything", "application/atom+xml", "feed"),
])
def test_kind_for_content(data, content_type, kind):
    assert kind_for_content(data, content_type=content_type) == kind


def test_json_feed_and_newsapi_style_records():
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "BBM",
            "items": [{"id": "jf-1", "title": "Army shells Martba",
                       "content_html": ("<p>Artillery hit the <b>Martba</b> valley.</p>"
                                        "<p>More later.</p>"),
                       "date_published": "2017-08-23T10:00:00+03:00",
                       "url": "https://bm.example/jf-1"}]}
    (item,) = parse_json_document(json.dumps(feed), name="feed.json")
    assert (item.id, item.text) == ("jf-1", "Artillery hit the Martba valley.\n\nMore later.")
    assert item.published_date == dt.date(2017, 8, 23)
    news = {"source": {"id": None, "name": "Border Wire"}, "title": "Qaa calm",
            "content": "Qaa was calm on Monday.", "publishedAt": "2017-08-28T06:00:00Z"}
    article = parse_record(news, where="n")
    assert (article.source, article.published) == (
        "Border Wire", dt.datetime(2017, 8, 28, 6, tzinfo=dt.UTC))


def test_feed_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    rss = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           '<rss version="2.0"><channel><title>t</title><item><title>x</title>'
           "<description>Shelling near Qaa &amp; Ras Baalbek. &xxe;</description></item>"
           "</channel></rss>").encode()
    (item,) = parse_feed(rss, name="xxe.rss")
    assert item.text.startswith("Shelling near Qaa & Ras Baalbek.")
    assert "TOP-SECRET-VALUE" not in item.text
