"""Which feeds to watch: a FEEDS.yaml file, or feed URLs given on the command line.

FEEDS.yaml::

    feeds:
      - url: https://www.naharnet.com/rss
        source: Naharnet          # the outlet's name on every article (default: the feed's title)
        country: LB               # its home country (ISO2): a prior for the places it names
      - url: https://example.org/syria.atom

A bare list of such entries (or of URLs) is read too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from frontlines.errors import ConfigError

__all__ = ["FeedSpec", "feeds_from", "parse_every"]

_URL = re.compile(r"^https?://\S+$", re.I)
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.I)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True, slots=True)
class FeedSpec:
    url: str
    source: str | None = None
    country: str | None = None  # ISO2, upper case


def parse_every(text: str) -> float:
    """``15m``, ``90s``, ``1h``, ``2d`` or seconds -> seconds (at least 1)."""
    match = _EVERY.match(str(text))
    if not match or float(match.group(1)) <= 0:
        raise ConfigError(f"--every {text!r} is not a duration; use e.g. 15m, 90s, 1h or 2d")
    return max(1.0, float(match.group(1)) * _UNITS[match.group(2).lower()])


def feeds_from(arguments: Iterable[str]) -> list[FeedSpec]:
    """Feeds from command-line arguments: URLs, and YAML files of feeds."""
    feeds: list[FeedSpec] = []
    for argument in arguments:
        if _URL.match(argument):
            feeds.append(FeedSpec(argument))
        else:
            feeds.extend(_read_file(Path(argument)))
    if not feeds:
        raise ConfigError("no feeds to watch; give feed URLs or a FEEDS.yaml with a 'feeds' list")
    seen: set[str] = set()
    unique = [f for f in feeds if not (f.url in seen or seen.add(f.url))]
    return unique


def _read_file(path: Path) -> list[FeedSpec]:
    import yaml

    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot be read ({exc.strerror or exc}); give a FEEDS.yaml file or "
                          "feed URLs (http:// or https://)", where=where) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"is not valid YAML ({' '.join(str(exc).split())}); see 'frontlines "
                          "watch --help' for the layout", where=where) from None
    entries = data.get("feeds") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ConfigError("expected a 'feeds:' list of entries with url (and optionally "
                          "source and country)", where=where)
    return [_entry(item, where=f"{where} feed {number}")
            for number, item in enumerate(entries, start=1)]


def _entry(item: object, *, where: str) -> FeedSpec:
    if isinstance(item, str):
        item = {"url": item}
    if not isinstance(item, dict):
        raise ConfigError("expected an entry with url, source and country (or a URL)",
                          where=where)
    unknown = set(item) - {"url", "source", "country"}
    if unknown:
        raise ConfigError(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; an entry has "
                          "url, source and country", where=where)
    url = str(item.get("url") or "").strip()
    if not _URL.match(url):
        raise ConfigError(f"url {url!r} is not an http(s) URL; give the feed's address",
                          where=where)
    country = item.get("country")
    if country is not None:
        country = str(country).strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise ConfigError(f"country {item.get('country')!r} is not an ISO 3166 alpha-2 code; "
                              "use e.g. LB, SY, IQ", where=where)
    source = item.get("source")
    return FeedSpec(url, str(source).strip() or None if source is not None else None, country)
