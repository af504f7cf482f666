"""Settings as one declared table: name, default, environment variable, help, validator.

The table feeds the CLI's ``--help``, the environment, the config file and the docs
(``docs/cli.md`` is generated from it and a test checks it has not drifted).

Where a value comes from, first match wins:

1. an explicit override (``Settings(db=...)``; a CLI flag such as ``--db``);
2. the environment variable ``FRONTLINES_<NAME>``;
3. ``frontlines.toml``: in the current folder, else in the data home (top-level keys named as
   the settings, e.g. ``db = "sqlite:///events.db"``, ``region = ["LB", "SY"]``);
4. the default.

``Settings().source("db")`` says which (``"default"``, ``"file /path/frontlines.toml"``,
``"environment FRONTLINES_DB"``, ``"override"``).
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from frontlines.errors import ConfigError

__all__ = ["CONFIG_NAME", "SETTINGS", "Setting", "Settings", "config_file", "home_dir",
           "region_codes"]

#: The config file's name, looked up in the current folder, else in the data home.
CONFIG_NAME = "frontlines.toml"


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
    """One setting. A callable ``default`` receives the resolved data home."""

    name: str
    default: Callable[[Path], Any] | Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return "FRONTLINES_" + self.name.upper()

    def default_value(self, home: Path | None = None) -> Any:
        if callable(self.default):
            return self.default(home if home is not None else home_dir())
        return self.default

    @property
    def kind(self) -> str:
        """What a config file must give: 'whole number', 'number' or 'text'."""
        if self.parse is _positive_int:
            return "whole number"
        if self.parse is _positive_float:
            return "number"
        if self.parse is _flag:
            return "true/false"
        return "text"


def _platform_home() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("frontlines", appauthor=False))


def home_dir() -> Path:
    """The data home: ``$FRONTLINES_HOME``, else ``home`` in ./frontlines.toml, else the
    platform's user data directory."""
    env = os.environ.get("FRONTLINES_HOME")
    if env:
        return Path(env).expanduser()
    local = Path.cwd() / CONFIG_NAME
    if local.is_file():
        home = _read_config(local).get("home")
        if home is not None:
            return Path(_file_value(local, _BY_NAME["home"], home)).expanduser()
    return _platform_home()


def config_file(home: Path | None = None) -> Path | None:
    """The config file in use: ./frontlines.toml, else ``frontlines.toml`` in the data home,
    else ``None``."""
    for folder in (Path.cwd(), home if home is not None else home_dir()):
        path = folder / CONFIG_NAME
        if path.is_file():
            return path
    return None


def _flag(raw: str) -> bool:
    value = str(raw).strip().lower()
    if value not in ("1", "0", "true", "false", "yes", "no", "on", "off", ""):
        raise ValueError("must be 1/0, true/false, yes/no or on/off")
    return value in ("1", "true", "yes", "on")


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


def _key_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read the keys file {path} ({exc.strerror or exc}); give an "
                         "existing file with one key per line") from None
    keys = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    return [k for k in keys if k]


def _api_keys(raw: str) -> str:
    """A comma-separated key list, or ``@FILE`` (one key or digest per line)."""
    text = str(raw).strip()
    if text.startswith("@"):
        return ",".join(_key_lines(Path(text[1:].strip()).expanduser()))
    return ",".join(k.strip() for k in text.split(",") if k.strip())


def _existing_file(raw: str) -> str:
    text = str(raw).strip()
    if text and not Path(text).expanduser().is_file():
        raise ValueError(f"no file at {text}; give the path of an existing file")
    return text


def region_codes(value: str | None) -> tuple[str, ...]:
    """The region setting as a tuple of ISO2 codes (``"LB,SY"`` -> ``("LB", "SY")``)."""
    return tuple(c for c in _region(value or "").split(",") if c)


SETTINGS: tuple[Setting, ...] = (
    Setting("home", lambda home: str(home),
            "Data home: the gazetteer index and the default database live here.", str),
    Setting("db", lambda home: f"sqlite:///{home / 'frontlines.db'}",
            "Database URL (any SQLAlchemy URL: sqlite:///path.db, postgresql+psycopg://...).", str),
    Setting("gazetteer", lambda home: str(home / "gazetteer.sqlite"),
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
    Setting("allow_dates", False,
            "Read publication dates before 1900-01-01 or after tomorrow as written (the "
            "--allow-dates option); off, a record with such a date is skipped with an E105 "
            "error naming the date.", _flag),
    Setting("region", "",
            "Area of interest: ISO 3166-1 alpha-2 codes, comma-separated (e.g. LB,SY). A place "
            "name with a reading inside it resolves there unless the text names another "
            "country. Empty: the article's own evidence decides.", _region),
    Setting("api_keys", "",
            "Keys that may write through the REST API (POST /articles): a comma-separated list "
            "of keys, or of 'sha256:<hex>' digests of them (stored hashed; compared in "
            "constant time), or '@FILE' to read them from FILE (one per line). Empty: the API "
            "is read-only.", _api_keys),
    Setting("api_keys_file", "",
            "A file of REST API keys, one key or 'sha256:<hex>' digest per line ('#' starts a "
            "comment); its keys are added to api_keys. Keeps keys out of the environment and "
            "of frontlines.toml.", _existing_file),
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



_BY_NAME = {s.name: s for s in SETTINGS}
_LIST_SETTINGS = frozenset({"region", "api_keys"})  # a TOML list of strings is accepted too


def _read_config(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML ({exc}); fix the line named, e.g. "
                          'db = "sqlite:///events.db"', where=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read it ({exc.strerror or exc})", where=str(path)) from None


def _example(setting: Setting) -> str:
    value = setting.default_value(Path("~/.local/share/frontlines"))
    if setting.kind == "true/false":
        return f"{setting.name} = {str(bool(value)).lower()}"
    return f"{setting.name} = {value!r}" if setting.kind != "text" else \
        f'{setting.name} = "{value or "..."}"'


def _file_value(path: Path, setting: Setting, value: Any) -> Any:
    """A value read from ``path`` for ``setting``, type-checked and parsed."""
    where = f"{path}: {setting.name}"
    if setting.name in _LIST_SETTINGS and isinstance(value, list) and \
            all(isinstance(v, str) for v in value):
        value = ",".join(value)
    expected = {"whole number": (int,), "number": (int, float), "text": (str,),
                "true/false": (bool,)}[setting.kind]
    if isinstance(value, bool) != (setting.kind == "true/false") or \
            not isinstance(value, expected):
        got = type(value).__name__
        shown = {"str": "text", "int": "a whole number", "float": "a number",
                 "bool": "true/false", "list": "a list", "dict": "a table"}.get(got, got)
        kind = f"a {setting.kind}" if "number" in setting.kind else setting.kind
        raise ConfigError(f"is {shown} ({value!r}); expected {kind}, e.g. "
                          f"{_example(setting)}", where=where)
    if setting.kind == "text" and setting.name in ("api_keys", "api_keys_file"):
        text = value.strip()  # a relative file is relative to the config file's folder
        if setting.name == "api_keys" and text.startswith("@"):
            value = "@" + str(path.parent / Path(text[1:].strip()).expanduser())
        elif setting.name == "api_keys_file" and text:
            value = str(path.parent / Path(text).expanduser())
    try:
        return setting.parse(str(value))
    except ValueError as exc:
        raise ConfigError(f"{value!r}: {exc}; {setting.help}", where=where) from None


def _file_settings(path: Path) -> dict[str, Any]:
    """Every setting ``path`` gives, checked: unknown keys and wrong types are errors."""
    raw = _read_config(path)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        setting = _BY_NAME.get(key)
        if setting is None:
            close = difflib.get_close_matches(key, list(_BY_NAME), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            if isinstance(value, dict):
                hint = "settings are top-level keys, not a table; "
            raise ConfigError(f"unknown setting {key!r}; {hint}valid settings are "
                              f"{', '.join(_BY_NAME)}", where=str(path))
        values[key] = _file_value(path, setting, value)
    return values


class Settings:
    """Resolved settings: explicit overrides, then ``FRONTLINES_*`` environment, then
    ``frontlines.toml`` (current folder, else data home), then defaults."""

    def __init__(self, **overrides: Any) -> None:
        unknown = set(overrides) - set(_BY_NAME)
        if unknown:
            close = [m for u in sorted(unknown)
                     for m in difflib.get_close_matches(u, list(_BY_NAME), n=1)]
            hint = f" (did you mean {', '.join(repr(m) for m in close)}?)" if close else ""
            raise ConfigError(f"unknown setting(s) {sorted(unknown)}{hint}; valid settings are "
                              f"{sorted(_BY_NAME)}")
        self._values: dict[str, Any] = {}
        self._sources: dict[str, str] = {}
        local = Path.cwd() / CONFIG_NAME
        local_values = _file_settings(local) if local.is_file() else None
        home = self._resolve_home(overrides, local, local_values)
        self.config_file = local if local_values is not None else config_file(home)
        if local_values is not None:
            file_values = local_values
        elif self.config_file is not None:
            file_values = _file_settings(self.config_file)
            if "home" in file_values:
                raise ConfigError(
                    "'home' cannot be set in the data home's own config file (the file is "
                    "found through it); set FRONTLINES_HOME, or put home in ./frontlines.toml",
                    where=str(self.config_file))
        else:
            file_values = {}
        for setting in SETTINGS:
            if setting.name == "home":
                continue
            self._resolve(setting, overrides, file_values, home)
        keys_file = self._values.get("api_keys_file")
        if keys_file:
            keys = [k for k in str(self._values["api_keys"]).split(",") if k]
            keys += [k for k in _key_lines(Path(keys_file).expanduser()) if k not in keys]
            self._values["api_keys"] = ",".join(keys)

    def _resolve_home(self, overrides: Mapping[str, Any], local: Path,
                      local_values: Mapping[str, Any] | None) -> Path:
        if overrides.get("home") is not None:
            home, source = str(overrides["home"]), "override"
        elif os.environ.get("FRONTLINES_HOME"):
            home, source = os.environ["FRONTLINES_HOME"], "environment FRONTLINES_HOME"
        elif local_values is not None and "home" in local_values:
            home, source = local_values["home"], f"file {local}"
        else:
            home, source = str(_platform_home()), "default"
        self._values["home"], self._sources["home"] = home, source
        return Path(home).expanduser()

    def _resolve(self, setting: Setting, overrides: Mapping[str, Any],
                 file_values: Mapping[str, Any], home: Path) -> None:
        name = setting.name
        if overrides.get(name) is not None:
            self._values[name], self._sources[name] = overrides[name], "override"
            return
        raw = os.environ.get(setting.env)
        if raw is not None:
            try:
                self._values[name] = setting.parse(raw)
            except ValueError as exc:
                raise ConfigError(f"{setting.env}={raw!r}: {exc}; {setting.help}") from None
            self._sources[name] = f"environment {setting.env}"
        elif name in file_values:
            self._values[name] = file_values[name]
            self._sources[name] = f"file {self.config_file}"
        else:
            self._values[name], self._sources[name] = setting.default_value(home), "default"

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def source(self, name: str) -> str:
        """Where ``name``'s value came from: "override", "environment FRONTLINES_X",
        "file PATH" or "default"."""
        return self._sources[name]

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)
