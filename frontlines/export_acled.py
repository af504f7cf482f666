"""ACLED's way of writing an event row: the release layout, numbers and cells.

    acled_cells(event, "current")   # ACLED_COLUMNS as ACLED's export writes them
    parse_inter("State forces")     # -> 1 (codes and labels of either layout read back)
    coordinate(35.253370000000004)  # -> "35.2534"

Layouts (the ``acled_layout`` setting): ``current`` writes actor types and interactions as
labels ("State forces", "State forces-Rebel group", "Protesters only"), as ACLED's export
does since 2024; ``legacy`` writes the numeric codes of earlier releases (1-8, 12, 60). The
columns, their order, the date format (YYYY-MM-DD) and the numbers are the same in both:
coordinates with at most 4 decimals (ACLED's precision, ~11 m), no float artefacts,
counts as plain integers. The labels live in ``frontlines/data/export/acled_layout.yaml``.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from frontlines.errors import ConfigError
from frontlines.model import ACLED_COLUMNS, Event

__all__ = [
    "LAYOUTS",
    "acled_cells",
    "check_layout",
    "coordinate",
    "inter_label",
    "interaction_label",
    "parse_inter",
    "parse_interaction",
    "round_like_acled",
]

LAYOUTS: tuple[str, ...] = ("current", "legacy")
COORD_DECIMALS = 4  # ACLED writes latitude/longitude to 4 decimals
_DATA = Path(__file__).parent / "data" / "export" / "acled_layout.yaml"


@lru_cache(maxsize=1)
def _labels() -> tuple[dict[int, str], str, dict[int, str]]:
    try:
        spec = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
        inter = {int(k): str(v) for k, v in spec["inter_labels"].items()}
        alone = str(spec["alone"])
        special = {int(k): str(v) for k, v in (spec.get("interaction_labels") or {}).items()}
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"cannot read the ACLED layout table ({exc}); reinstall frontlines "
                          "or fix the file", where=str(_DATA)) from None
    return inter, alone, special


def check_layout(layout: str) -> str:
    """``layout`` if it is one ACLED release layout, else a ConfigError naming the choices."""
    if layout not in LAYOUTS:
        raise ConfigError(f"unknown ACLED layout {layout!r}; choose one of "
                          + ", ".join(LAYOUTS) + " (the 'acled_layout' setting)")
    return layout


def inter_label(code: int) -> str:
    """ACLED's current label of an actor type code; 0 (no actor) is empty. A code ACLED
    does not define stays a number (written as it is, never lost)."""
    if not code:
        return ""
    return _labels()[0].get(code, str(code))


def interaction_label(code: int) -> str:
    """ACLED's current label of a two-digit interaction code (12 -> "State forces-Rebel
    group", 60 -> "Protesters only"); 0 is empty; a code ACLED does not define stays a
    number."""
    if not code:
        return ""
    inter, alone, special = _labels()
    if code in special:
        return special[code]
    low, high = divmod(code, 10)
    if low not in inter or (high and (high not in inter or high < low)):
        return str(code)
    if high == 0:
        return alone.format(label=inter[low])
    return f"{inter[low]}-{inter[high]}"


@lru_cache(maxsize=1)
def _reverse() -> tuple[dict[str, int], dict[str, int]]:
    inter, _alone, _special = _labels()
    inters = {label.casefold(): code for code, label in inter.items()}
    codes = [10 * a for a in inter] + [10 * a + b for a in inter for b in inter if a <= b]
    codes += list(_labels()[2])
    interactions = {interaction_label(c).casefold(): c for c in codes}
    return inters, interactions


def _parse(text: str, table: dict[str, int], what: str) -> int:
    value = text.strip()
    if not value:
        return 0
    try:
        return int(float(value))
    except ValueError:
        pass
    try:
        return table[value.casefold()]
    except KeyError:
        raise ValueError(f"{what} {value!r} is neither a code nor one of ACLED's labels "
                         f"(e.g. {next(iter(table.keys()), '')!r})") from None


def parse_inter(text: str) -> int:
    """An actor type as either layout writes it ("1" or "State forces") -> its code."""
    return _parse(text, _reverse()[0], "inter")


def parse_interaction(text: str) -> int:
    """An interaction as either layout writes it ("12", "State forces-Rebel group")."""
    return _parse(text, _reverse()[1], "interaction")


def coordinate(value: float | None) -> str:
    """A latitude/longitude as ACLED writes it: at most 4 decimals, trailing zeros dropped,
    no float artefacts (35.253370000000004 -> "35.2534"); unknown -> empty."""
    if value is None or not math.isfinite(value):
        return ""
    text = f"{round(value, COORD_DECIMALS) + 0.0:.{COORD_DECIMALS}f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def round_like_acled(event: Event) -> Event:
    """``event`` with its coordinates as an ACLED file holds them (what reading one back gives)."""
    def back(value: float | None) -> float | None:
        text = coordinate(value)
        return float(text) if text else None
    return event.replace(latitude=back(event.latitude), longitude=back(event.longitude))


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def acled_cells(event: Event, layout: str = "current") -> list[str]:
    """The event's ACLED_COLUMNS as text, in order, as the ``layout`` release writes them."""
    check_layout(layout)
    cells = []
    labels = layout == "current"
    for column in ACLED_COLUMNS:
        value = getattr(event, column)
        if column in ("latitude", "longitude"):
            cells.append(coordinate(value))
        elif column in ("inter1", "inter2"):
            cells.append(inter_label(value) if labels else str(value))
        elif column == "interaction":
            cells.append(interaction_label(value) if labels else str(value))
        else:
            cells.append(_plain(value))
    return cells
