"""Score place labels against their coordinates: "name in text -> point" gold sets.

A gold file is a CSV with a place label column (``town`` by default: an analyst's resolved
place, e.g. "Yahmor al-Shaqif", "Deir Seryan / Khallet al-Raj", "Border near Rmaych") and
``lat``/``lon`` (or ``latitude``/``longitude``). Each label is geoparsed as a short text with
the area of interest; when the recognizer finds no place in it (a bare name has no sentence
around it for NER), the label itself, and each of its " / "-separated spellings, is resolved as
one toponym. The label's point is its first placed toponym that is not a whole country. The
figure is the share of labels placed within ``km`` (5 by default) of the gold point.

A gold file of one theatre is read like one article (``together``, the default): all its
distinct labels are geoparsed as one text, one label a sentence, so each name is read among
the file's other places, as a report names several places of one front.
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontlines.errors import EvalError
from frontlines.geo import haversine_km
from frontlines.geoparse.recognize import ToponymMatch
from frontlines.model import Toponym

__all__ = ["PlacesReport", "evaluate_places", "place_label"]

_LAT = ("lat", "latitude")
_LON = ("lon", "longitude", "lng")


@dataclass
class PlacesReport:
    """Labels scored, how many within ``km`` and the misses with their ``why``."""

    gold: str
    km: float
    labels: int = 0
    within: int = 0
    unplaced: int = 0
    distances: list[float] = field(default_factory=list)
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float | None:
        return self.within / self.labels if self.labels else None

    def to_dict(self) -> dict[str, Any]:
        acc = self.accuracy
        return {"gold": self.gold, "km": self.km, "labels": self.labels, "within": self.within,
                "accuracy": None if acc is None else round(acc, 4), "unplaced": self.unplaced,
                "median_km": round(statistics.median(self.distances), 2)
                if self.distances else None, "misses": self.misses}

    def render(self) -> Any:
        from rich.table import Table

        acc = self.accuracy
        table = Table(title=f"{Path(self.gold).name}: {self.within} of {self.labels} labels "
                            f"within {self.km:g} km ({'-' if acc is None else f'{acc:.3f}'}); "
                            f"{self.unplaced} unplaced")
        for col in ("label", "placed at", "km", "why"):
            table.add_column(col, justify="right" if col == "km" else "left")
        for m in self.misses:
            table.add_row(m["label"], m["placed"] or "-",
                          "-" if m["km"] is None else f"{m['km']:.1f}", m["why"])
        return table


def place_label(geoparser: Any, label: str, *, region: Sequence[str] = ()) -> Toponym | None:
    """The place a short label names (see the module docstring), or None."""
    doc = geoparser.nlp(label)
    toponyms = geoparser.resolve(doc, geoparser.recognize(doc), region=tuple(region))
    found = _first_place(toponyms)
    if found is not None:
        return found
    spans, start = [], 0
    for part in [label, *label.split(" / ")] if " / " in label else [label]:
        at = label.find(part, 0 if part == label else start)
        if part.strip() and at >= 0:
            spans.append(ToponymMatch(start=at, end=at + len(part), text=part,
                                      recognizer="label"))
            if part != label:
                start = at + len(part)
    for match in spans:
        found = _first_place(geoparser.resolve(doc, [match], region=tuple(region)))
        if found is not None:
            return found
    return None


def place_labels(geoparser: Any, labels: Sequence[str], *,
                 region: Sequence[str] = ()) -> dict[str, Toponym | None]:
    """Each label's place, all labels read as one text (one label a sentence)."""
    starts, parts, at = [], [], 0
    for label in labels:
        starts.append(at)
        parts.append(label)
        at += len(label) + 2
    text = ". ".join(parts)
    doc = geoparser.nlp(text)
    matches = list(geoparser.recognize(doc))
    for label, start in zip(labels, starts):
        end = start + len(label)
        if not any(start <= m.start < end for m in matches):
            matches.append(ToponymMatch(start=start, end=end, text=label, recognizer="label"))
    matches.sort(key=lambda m: m.start)
    toponyms = geoparser.resolve(doc, matches, region=tuple(region))
    out: dict[str, Toponym | None] = {}
    for label, start in zip(labels, starts):
        end = start + len(label)
        found = _first_place([t for t in toponyms if start <= t.start < end])
        out[label] = found if found is not None else place_label(geoparser, label,
                                                                 region=region)
    return out


def _first_place(toponyms: Sequence[Toponym]) -> Toponym | None:
    for t in toponyms:
        if t.place is not None and not t.place.feature_code.startswith("PCL"):
            return t
    return None


def _column(fields: Sequence[str], names: Sequence[str], path: Path) -> str:
    lower = {f.strip().lower(): f for f in fields}
    for n in names:
        if n in lower:
            return lower[n]
    raise EvalError(f"no column {' or '.join(names)} in the header {list(fields)}; a places "
                    "gold file needs a label column and lat/lon", where=str(path))


def evaluate_places(gold_csv: str | Path, *, geoparser: Any, column: str = "town",
                    km: float = 5.0, region: Sequence[str] = (), together: bool = True,
                    progress: Callable[[int, int], None] | None = None) -> PlacesReport:
    """Geoparse each row's label and score its point against the row's coordinates."""
    path = Path(gold_csv)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = list(reader.fieldnames or [])
            rows = list(reader)
    except OSError as exc:
        raise EvalError(f"cannot read ({exc.strerror}); check the path", where=str(path)) from None
    label_col = _column(fields, (column.lower(),), path)
    lat_col, lon_col = _column(fields, _LAT, path), _column(fields, _LON, path)
    report = PlacesReport(gold=str(path), km=km)
    cache: dict[str, Toponym | None] = {}
    if together:
        labels = list(dict.fromkeys((r.get(label_col) or "").strip() for r in rows))
        cache = place_labels(geoparser, [lb for lb in labels if lb], region=region)
    for n, row in enumerate(rows, 1):
        label = (row.get(label_col) or "").strip()
        try:
            lat, lon = float(row[lat_col]), float(row[lon_col])
        except (TypeError, ValueError):
            continue
        if not label:
            continue
        if label not in cache:
            cache[label] = place_label(geoparser, label, region=region)
        found = cache[label]
        report.labels += 1
        dist = (haversine_km(lat, lon, found.place.latitude, found.place.longitude)
                if found is not None and found.place is not None else None)
        if dist is None:
            report.unplaced += 1
        else:
            report.distances.append(dist)
        if dist is not None and dist <= km:
            report.within += 1
        elif not any(m["label"] == label for m in report.misses):
            placed = (f"{found.place.name} ({found.place.country_code})"
                      if found is not None and found.place is not None else "")
            report.misses.append({"label": label, "placed": placed,
                                  "km": None if dist is None else round(dist, 1),
                                  "why": found.reason if found is not None else "no place"})
        if progress:
            progress(n, len(rows))
    return report
