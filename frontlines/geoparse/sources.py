"""The home country of an outlet: ``source_countries.csv`` (data, editable) maps outlet names
and web hosts to ISO2 codes. An article's home country joins the area of interest as a prior."""

from __future__ import annotations

import csv
import functools
from pathlib import Path
from urllib.parse import urlparse

from frontlines.geoparse._lexicon import DATA_DIR
from frontlines.model import Article

__all__ = ["article_region", "source_country"]


@functools.lru_cache(maxsize=4)
def _table(path: str | None = None) -> dict[str, str]:
    rows = (line for line in open(path or DATA_DIR / "source_countries.csv", encoding="utf-8")
            if not line.startswith("#"))
    return {r["source"].strip().lower(): r["country_code"].strip().upper()
            for r in csv.DictReader(rows) if r.get("source") and r.get("country_code")}


def source_country(article: Article, *, table: str | Path | None = None) -> str | None:
    """The outlet's home country, by ``article.source`` or the URL's host, else None."""
    known = _table(str(table) if table else None)
    if article.source and article.source.strip().lower() in known:
        return known[article.source.strip().lower()]
    if article.url:
        host = (urlparse(article.url).hostname or "").lower()
        while host:
            if host in known:
                return known[host]
            host = host.partition(".")[2] if "." in host else ""
    return None


def article_region(article: Article | None, region: tuple[str, ...]) -> tuple[str, ...]:
    """The area of interest for one article: the setting, plus its outlet's home country."""
    home = source_country(article) if article is not None else None
    return region + ((home,) if home and home not in region else ())
