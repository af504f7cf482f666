"""Thresholds of the control timeline, read from ``frontlines/data/control/control.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from shapely.geometry.base import BaseGeometry

from frontlines.control import geo
from frontlines.errors import ConfigError

__all__ = ["ControlConfig"]



def read_config(name: str, path: str | Path | None, *, what: str) -> dict[str, Any]:
    """A control YAML file: the shipped ``frontlines/data/control/NAME`` or the user's
    ``path``; a missing file or bad YAML is a ConfigError naming the file and the fix."""
    if path is None:
        text = resources.files("frontlines").joinpath(f"data/control/{name}").read_text(
            encoding="utf-8")
        where = name
    else:
        where = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(f"{path}: {what} not found; pass an existing YAML file like "
                              f"frontlines/data/control/{name}") from None
    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: not valid YAML ({exc})") from None

@dataclass(frozen=True, kw_only=True)
class ControlConfig:
    """Thresholds of the control timeline (defaults in ``frontlines/data/control/control.yaml``)."""

    territory: Mapping[str, str]
    fighting_event_types: tuple[str, ...] = ("Battles", "Explosions/Remote violence")
    match_km: float = 3.0
    name_match_km: float = 6.0
    snap_km: float = 1.0
    name_score: float = 85.0
    contested_km: float = 3.0
    contested_days: int = 3
    confirm_sources: int = 2
    max_geo_precision: int = 2
    cap_km: float = 8.0
    area_transfer_km: float = 15.0
    near_km: float = 8.0
    region_km: float = 40.0
    outskirts_km: float = 5.0
    ring_km: float = 3.0
    implied_days: int = 30
    town_km: float = 1.5
    min_confidence: float = 0.5
    on_leave: str = "vacate"
    agreement_leaving_words: tuple[str, ...] = ("leave", "left", "evacuat", "depart", "withdr",
                                                "bussed", "buses", "pull out", "pulled out")
    leaving_words: tuple[str, ...] = ("withdr", "evacuat", "leav", "left", "pull", "depart",
                                      "retreat", "abandon", "hand", "cede", "ceded",
                                      "relinquish", "surrender", "vacat", "quit", "exit")
    outline: BaseGeometry | None = field(default=None, compare=False)

    @classmethod
    def load(cls, path: str | Path | None = None, *, outline: str | Path | None | bool = True,
             **overrides: Any) -> ControlConfig:
        """Read ``control.yaml`` (bundled unless ``path``), then apply ``overrides``.

        ``outline``: True loads the bundled country outlines named in the file, False/None
        clips to nothing, a path loads that GeoJSON/TopoJSON file.
        """
        data = read_config("control.yaml", path, what="control config")
        where = str(path) if path is not None else "control.yaml"
        known = {f for f in cls.__dataclass_fields__} | {"outline_countries"}
        unknown = (set(data) | set(overrides)) - known
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {sorted(unknown)}; valid keys are "
                              f"{sorted(known)}")
        countries = tuple(data.pop("outline_countries", None) or ())
        bundled = data.pop("outline", None)
        values: dict[str, Any] = dict(data)
        values.update(overrides)
        for key in ("fighting_event_types", "leaving_words", "agreement_leaving_words"):
            if key in values:
                values[key] = tuple(values[key])
        if not isinstance(values.get("territory"), dict) or not values["territory"]:
            raise ConfigError(f"{where}: 'territory' must map ACLED sub-event types to "
                              "'actor1' or 'transfer'")
        bad = {k: v for k, v in values["territory"].items() if v not in ("actor1", "transfer")}
        if bad:
            raise ConfigError(f"{where}: territory rule(s) {bad} unknown; use 'actor1' or "
                              "'transfer'")
        if values.get("on_leave", "nearest_opponent") not in ("nearest_opponent", "vacate"):
            raise ConfigError(f"{where}: on_leave must be 'nearest_opponent' or 'vacate', not "
                              f"{values['on_leave']!r}")
        if outline is True and bundled:
            values["outline"] = _bundled_outline(str(bundled), countries)
        elif outline and outline is not True:
            values["outline"] = geo.load_outline(outline)
        return cls(**values)


@lru_cache(maxsize=4)
def _bundled_outline(name: str, countries: tuple[str, ...]) -> BaseGeometry:
    path = resources.files("frontlines").joinpath(f"data/control/{name}")
    with resources.as_file(path) as real:
        return geo.load_outline(real, ids=list(countries) or None)
