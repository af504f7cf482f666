"""Settings as one declared table: name, default, environment variable, help, validator.

The table feeds the CLI's ``--help``, the environment and the docs (``docs/settings.md``
is generated from it and a test checks it has not drifted).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontlines.errors import ConfigError

__all__ = ["SETTINGS", "Setting", "Settings", "home_dir", "region_codes"]


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError("must be a positive whole number")
    return number


def _positive_float(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError("must be a positive number")
    return number


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Callable[[], Any] | Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return "FRONTLINES_" + self.name.upper()

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default


def home_dir() -> Path:
    """``$FRONTLINES_HOME``, else the platform's user data directory."""
    env = os.environ.get("FRONTLINES_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("frontlines", appauthor=False))


def _region(raw: str) -> str:
    codes = [c.strip().upper() for c in str(raw).replace(";", ",").split(",") if c.strip()]
    bad = [c for c in codes if len(c) != 2 or not c.isalpha()]
    if bad:
        raise ValueError(f"{', '.join(bad)} not ISO 3166-1 alpha-2 codes; expected e.g. LB,SY")
    return ",".join(codes)


def _acled_layout(raw: str) -> str:
    value = str(raw).strip().lower()
    if value not in ("current", "legacy"):
        raise ValueError("must be 'current' or 'legacy'")
    return value


def region_codes(value: str | None) -> tuple[str, ...]:
    """The region setting as a tuple of ISO2 codes (``"LB,SY"`` -> ``("LB", "SY")``)."""
    return tuple(c for c in _region(value or "").split(",") if c)


SETTINGS: tuple[Setting, ...] = (
    Setting("home", lambda: str(home_dir()),
            "Data home: the gazetteer index and the default database live here.", str),
    Setting("db", lambda: f"sqlite:///{home_dir() / 'frontlines.db'}",
            "Database URL (any SQLAlchemy URL: sqlite:///path.db, postgresql+psycopg://...).", str),
    Setting("gazetteer", lambda: str(home_dir() / "gazetteer.sqlite"),
            "Path of the gazetteer index (SQLite). Built by 'frontlines gazetteer install'.", str),
    Setting("model", "en_core_web_sm",
            "spaCy model package name used for tokenising, tagging, parsing and NER.", str),
    Setting("batch_size", 32, "Articles per spaCy batch and per store transaction.", _positive_int),
    Setting("fetch_timeout", 20.0, "Seconds to wait for a URL (feeds, articles, downloads).",
            _positive_float),
    Setting("max_download_mb", 2048,
            "Largest gazetteer download or unpacked file accepted, in MiB.", _positive_int),
    Setting("max_article_chars", 1_000_000,
            "Longest article read, in characters (after extraction); a longer one is skipped "
            "with an E108 error naming this setting. Split such a document into articles.",
            _positive_int),
    Setting("nlp_section_chars", 20_000,
            "Articles longer than this many characters are read section by section (cut at "
            "paragraph ends): parsing, places and events per section, so the cost grows "
            "linearly with length. A section does not see the others' context.",
            _positive_int),
    Setting("max_json_depth", 64,
            "Deepest nesting of lists and objects accepted in one JSON record; a deeper one "
            "is skipped with an E108 error.", _positive_int),
    Setting("max_file_mb", 64,
            "Largest single input file (text, HTML, JSON, feed) read, in MiB; JSON Lines "
            "files are streamed and limited per line by max_article_chars instead.",
            _positive_int),
    Setting("max_html_mb", 8,
            "Largest HTML page read, in MiB (a news page is well under 1 MiB; a 30 MiB page "
            "took minutes and gigabytes to extract).", _positive_int),
    Setting("region", "",
            "Area of interest: ISO 3166-1 alpha-2 codes, comma-separated (e.g. LB,SY). A place "
            "name with a reading inside it resolves there unless the text names another "
            "country. Empty: the article's own evidence decides.", _region),
    Setting("api_keys", "",
            "Keys that may write through the REST API (POST /articles): a comma-separated list "
            "of keys, or of 'sha256:<hex>' digests of them (stored hashed; compared in "
            "constant time). Empty: the API is read-only.", str),
    Setting("max_body_mb", 8,
            "Largest REST API request body accepted, in MiB (a larger one gets 413 and nothing "
            "is stored).", _positive_int),
    Setting("max_batch_articles", 500,
            "Most articles accepted in one POST /articles request.", _positive_int),
    Setting("acled_layout", "current",
            "ACLED release layout written by exports: 'current' (interaction labels, as ACLED "
            "exports write them since 2024) or 'legacy' (the numeric inter1/inter2/interaction "
            "codes of earlier releases).", _acled_layout),
)


class Settings:
    """Resolved settings: explicit overrides, then ``FRONTLINES_*`` environment, then defaults."""

    def __init__(self, **overrides: Any) -> None:
        known = {s.name: s for s in SETTINGS}
        unknown = set(overrides) - set(known)
        if unknown:
            raise ConfigError(
                f"unknown setting(s) {sorted(unknown)}; valid settings are {sorted(known)}")
        self._values: dict[str, Any] = {}
        for setting in SETTINGS:
            if overrides.get(setting.name) is not None:
                self._values[setting.name] = overrides[setting.name]
                continue
            raw = os.environ.get(setting.env)
            if raw is None:
                self._values[setting.name] = setting.default_value()
                continue
            try:
                self._values[setting.name] = setting.parse(raw)
            except ValueError as exc:
                raise ConfigError(
                    f"{setting.env}={raw!r}: {exc}; {setting.help}") from None

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)
