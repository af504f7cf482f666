"""``POST /articles`` behind the route: the body read by the same parsers and checks as a
JSON / JSON Lines input file, then the pipeline and the store, one writer at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from frontlines.errors import FrontlinesError, InputError, StoreError
from frontlines.ingest.limits import Limits, check_article
from frontlines.ingest.records import parse_json_document, parse_jsonl_text
from frontlines.model import Analysis, Article
from frontlines.server.errors import ApiError
from frontlines.server.serialize import event_json
from frontlines.server.state import ServerState
from frontlines.settings import Settings
from frontlines.store.query import events_of_articles

__all__ = ["Posted", "ingest_posted", "parse_body"]

_NAME = "request"  # errors read "request item 3: ..." / "request line 3: ..."


@dataclass
class Posted:
    articles: list[Article] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    duplicates: int = 0


def _limits(settings: Settings) -> Limits:
    """The readers' limits from the server's settings (``Limits.from_settings`` reads the
    environment's, which may not be the ones the app was made with)."""
    return Limits(max_article_chars=int(settings.max_article_chars),
                  max_json_depth=int(settings.max_json_depth),
                  max_file_bytes=int(settings.max_file_mb) * 2**20,
                  max_html_bytes=int(settings.max_html_mb) * 2**20,
                  allow_dates=bool(settings.allow_dates))


def parse_body(body: bytes, media_type: str, *, settings: Settings,
               published: dt.date | None = None) -> Posted:
    """Articles and problems from a JSON (object or list) or JSON Lines body (pure).

    ``ApiError`` 415 for another media type, 422 for undecodable bytes or an empty body,
    413 for more than ``max_batch_articles`` records.
    """
    media_type = media_type.split(";")[0].strip().lower()
    jsonl = media_type in ("application/x-ndjson", "application/jsonl", "application/x-jsonl",
                           "application/jsonlines")
    if not jsonl and media_type not in ("application/json", ""):
        raise ApiError(415, "E722", f"the body is {media_type!r}; POST /articles reads JSON",
                       field="Content-Type",
                       fix="send 'Content-Type: application/json' with one article object or "
                           "a list of them, or application/x-ndjson with one per line")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApiError(422, "E102", f"the body is not UTF-8 (byte {exc.start})", field="body",
                       fix="encode the JSON as UTF-8") from None
    if not text.strip():
        raise ApiError(422, "E723", "the body is empty", field="body",
                       fix='send {"text": "...", "title": "...", "published": "2017-08-19"} '
                           "or a list of such objects")
    limits = _limits(settings)
    parse = parse_jsonl_text if jsonl else parse_json_document
    items = list(parse(text, name=_NAME, published=published, max_depth=limits.max_json_depth))
    maximum = int(settings.max_batch_articles)
    if len(items) > maximum:
        raise ApiError(413, "E721", f"the request holds {len(items)} articles, more than "
                       f"max_batch_articles ({maximum})", field="body",
                       fix=f"send at most {maximum} articles per request, or ask the operator "
                           "to raise FRONTLINES_MAX_BATCH_ARTICLES")
    posted, seen = Posted(), set()
    for item in items:
        if not isinstance(item, InputError):
            try:
                item = check_article(item, limits=limits)
            except InputError as exc:
                item = exc
        if isinstance(item, InputError):
            posted.problems.append(item)
        elif item.id in seen:
            posted.duplicates += 1
        else:
            seen.add(item.id)
            posted.articles.append(item)
    return posted


def _problem(error: FrontlinesError) -> dict[str, Any]:
    return {"where": error.where, "code": error.code, "message": str(error)}


def ingest_posted(state: ServerState, posted: Posted) -> dict[str, Any]:
    """Run the pipeline on the articles the store lacks, store them, and answer with every
    stored event the posted articles report. Re-posting stores nothing."""
    if not posted.articles:
        first = posted.problems[0] if posted.problems else None
        raise ApiError(422, first.code if first else "E723",
                       str(first) if first else "the body holds no article",
                       field=first.where if first else "body",
                       fix="correct the record as the message says and post it again; each "
                           'article needs at least {"text": "..."}')
    from frontlines.pipeline import RunReport

    store = state.store
    with state.write_lock:
        fresh = [a for a in posted.articles if not store.has_article(a.id)]
        report = RunReport()
        if fresh:
            pipeline = state.pipeline
            problems: list[FrontlinesError] = []

            def refused(_: Analysis, error: StoreError) -> None:
                problems.append(error)

            stats = store.ingest(pipeline.analyse(fresh, report=report),
                                 batch_size=int(state.settings.batch_size), on_error=refused)
            report.problems.extend(problems)
            stored = stats.articles_new
        else:
            stored = 0
    events = events_of_articles(store, [a.id for a in posted.articles])
    return {"articles": len(posted.articles), "stored": stored,
            "already_stored": len(posted.articles) - len(fresh),
            "skipped": [_problem(p) for p in (*posted.problems, *report.problems)],
            "warnings": list(report.warnings)
            + ([f"{posted.duplicates} article(s) repeated in the request were read once"]
               if posted.duplicates else []),
            "events": [event_json(item) for item in events]}
