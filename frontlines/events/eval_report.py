"""The events eval's figures: counts kept while scoring, ratios derived from them, and their
JSON and rich renderings. Every figure says what it is over."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["FAR_KM", "FIELDS", "MISSED", "SPURIOUS", "EventsReport", "Ratio", "SubCounts"]

MISSED = "(missed)"  # confusion column: a gold event no prediction matched
SPURIOUS = "(no gold)"  # confusion row: predictions no gold event matched

FAR_KM = 300.0  # a placement this far from gold is in another country or on another continent
WORST_SHOWN = 25  # worst placements listed in the JSON and the table

# Field accuracies, over matched pairs; the label says what each is over.
FIELDS = {
    "event_type": "event type",
    "sub_event_type": "sub-event type (gold rows that give one)",
    "actor1": "actor1, strict (country and period kept when both name one)",
    "actor1_lenient": "actor1, lenient (parentheticals dropped)",
    "actor2": "actor2, strict",
    "actor2_lenient": "actor2, lenient",
    "location_10km": "location within 10 km (gold with coordinates)",
    "location_50km": "location within 50 km (gold with coordinates)",
    "date": "date (texts that fix the date themselves)",
    "fatalities": "fatalities exact (gold that gives them)",
}


@dataclass
class Ratio:
    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.correct += bool(ok)
        self.total += 1

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None


@dataclass
class SubCounts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def prf(self) -> tuple[float | None, float | None, float | None]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
        return p, r, f


def _prf(tp: int, predicted: int, gold: int) -> dict[str, float | None]:
    p = tp / predicted if predicted else None
    r = tp / gold if gold else None
    f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
    return {"precision": p, "recall": r, "f1": f}


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


@dataclass
class EventsReport:
    """Counts and figures of one gold file; ``to_dict`` for JSON, ``render`` for rich."""

    gold: str
    published_from: str = ""
    texts: int = 0
    gold_events: int = 0
    predicted: int = 0
    matched: int = 0
    typed_matched: int = 0
    duplicates: int = 0
    negative_texts: int = 0
    false_positive_texts: int = 0
    negative_predictions: int = 0
    negative_categories: dict[str, tuple[int, int]] = field(default_factory=dict)
    fields: dict[str, Ratio] = field(default_factory=lambda: {k: Ratio() for k in FIELDS})
    per_sub_event: dict[str, SubCounts] = field(default_factory=dict)
    confusion: dict[str, Counter[str]] = field(default_factory=dict)
    sub_confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    spurious: Counter[str] = field(default_factory=Counter)
    distances: list[float] = field(default_factory=list)
    median_km: float | None = None
    # placements beyond FAR_KM or with no coordinates, each with the toponym's ``why``
    far: list[dict[str, Any]] = field(default_factory=list)
    unplaced: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    max_errors: int = 500

    def sub_counts(self, name: str) -> SubCounts:
        return self.per_sub_event.setdefault(name, SubCounts())

    # -- derived figures ---------------------------------------------------------------
    @property
    def events(self) -> dict[str, float | None]:
        """Detection: any matched pair counts."""
        return _prf(self.matched, self.predicted, self.gold_events)

    @property
    def typed_events(self) -> dict[str, float | None]:
        """Detection with the right event type."""
        return _prf(self.typed_matched, self.predicted, self.gold_events)

    @property
    def precision(self) -> float | None:
        return self.events["precision"]

    @property
    def recall(self) -> float | None:
        return self.events["recall"]

    def accuracy(self, name: str) -> float | None:
        return self.fields[name].value

    @property
    def false_event_rate(self) -> float | None:
        """Share of texts that hold no event on which something was extracted."""
        return self.false_positive_texts / self.negative_texts if self.negative_texts else None

    @property
    def beyond_km(self) -> int:
        """Matched, located pairs placed more than ``FAR_KM`` from gold."""
        return sum(1 for d in self.distances if d > FAR_KM)

    def place_errors(self, shown: int = WORST_SHOWN) -> dict[str, Any]:
        """The share of events placed beyond ``FAR_KM`` (or not placed) and the worst ones,
        each with the toponym's ``why``, so these errors cannot hide behind a median."""
        over = self.fields["location_10km"].total
        far = self.beyond_km
        # placed far away first (worst distance first), then the unplaced
        worst = sorted(self.far, key=lambda e: (e["km"] is None, -(e["km"] or 0)))
        by_country = Counter(e["gold_country"] or "?" for e in self.far)
        return {
            "over": over, "beyond_km": FAR_KM, "beyond": far, "unplaced": self.unplaced,
            "share_beyond": _round(far / over) if over else None,
            "share_beyond_or_unplaced": _round((far + self.unplaced) / over) if over else None,
            "by_gold_country": dict(by_country.most_common()),
            "worst": worst[:shown],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold, "published_from": self.published_from, "texts": self.texts,
            "gold_events": self.gold_events, "predicted": self.predicted,
            "matched": self.matched, "duplicates": self.duplicates,
            "events": {k: _round(v) for k, v in self.events.items()},
            "typed_events": {k: _round(v) for k, v in self.typed_events.items()},
            "fields": {k: {"accuracy": _round(r.value), "correct": r.correct, "over": r.total}
                       for k, r in self.fields.items()},
            "median_km": _round(self.median_km, 1),
            "place_errors": self.place_errors(),
            "negative_texts": self.negative_texts,
            "false_positive_texts": self.false_positive_texts,
            "false_event_rate": _round(self.false_event_rate),
            "negative_predictions": self.negative_predictions,
            "negative_categories": {k: {"texts": t, "with_event": h}
                                    for k, (t, h) in sorted(self.negative_categories.items())},
            "per_sub_event": {k: dict(zip(("precision", "recall", "f1"),
                                          (_round(x) for x in c.prf())),
                                      tp=c.tp, fp=c.fp, fn=c.fn)
                              for k, c in sorted(self.per_sub_event.items())},
            "confusion": {k: dict(v) for k, v in self.confusion.items()},
            "spurious": dict(self.spurious),
            "sub_event_confusion": [{"gold": g, "predicted": p, "count": n}
                                    for (g, p), n in self.sub_confusion.most_common()],
        }

    # -- rendering ---------------------------------------------------------------------
    def render(self) -> Any:
        """A rich renderable: events, fields, per-sub-event and confusion tables."""
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        name = Path(self.gold).name
        parts: list[Any] = [Text(f"{name}: {self.texts} texts, {self.gold_events} gold events, "
                                 f"{self.predicted} predicted; publication dates from "
                                 f"{self.published_from}; matching in order of mention",
                                 style="bold")]
        events = Table(title=f"Events vs {name}")
        events.add_column("measure")
        for col in ("precision", "recall", "F1"):
            events.add_column(col, justify="right")
        for label, figures in (("detected (one-to-one)", self.events),
                               ("detected, right event type", self.typed_events)):
            events.add_row(label, *(_fmt(figures[k]) for k in ("precision", "recall", "f1")))
        parts.append(events)
        counts = Table(title="Counts")
        counts.add_column("measure")
        counts.add_column("value", justify="right")
        for label, value in (
                ("matched pairs", self.matched),
                ("unmatched predictions (false positives)", self.predicted - self.matched),
                ("of which repeat an event of the same text", self.duplicates),
                ("missed gold events", self.gold_events - self.matched),
                ("texts with no event", self.negative_texts),
                ("... of which yield an event", self.false_positive_texts),
                ("... false event rate", _fmt(self.false_event_rate)),
                ("median km (matched, located)", _fmt(self.median_km, 1))):
            counts.add_row(label, str(value))
        parts.append(counts)
        if self.matched:
            fields = Table(title="Field accuracy over matched pairs")
            fields.add_column("field")
            fields.add_column("accuracy", justify="right")
            fields.add_column("over", justify="right")
            for key, label in FIELDS.items():
                r = self.fields[key]
                fields.add_row(label, _fmt(r.value), str(r.total))
            parts.append(fields)
        if self.far:
            parts.append(self._far_table())
        if len(self.negative_categories) > 1:
            cats = Table(title="Texts with no event, by category")
            for col in ("category", "texts", "yield an event", "rate"):
                cats.add_column(col, justify="right" if col != "category" else "left")
            for cat, (t, h) in sorted(self.negative_categories.items()):
                cats.add_row(cat, str(t), str(h), _fmt(h / t if t else None))
            parts.append(cats)
        if self.per_sub_event:
            subs = Table(title="Per sub-event type (one-to-one matching)")
            for col in ("sub-event type", "P", "R", "F1", "tp", "fp", "fn"):
                subs.add_column(col, justify="right" if col != "sub-event type" else "left")
            for sub, c in sorted(self.per_sub_event.items()):
                p, r, f = c.prf()
                subs.add_row(sub, _fmt(p), _fmt(r), _fmt(f), str(c.tp), str(c.fp), str(c.fn))
            parts.append(subs)
        if self.confusion or self.spurious:
            parts.append(self._confusion_table())
        if self.sub_confusion:
            top = Table(title="Most frequent sub-event confusions (gold -> predicted)")
            for col in ("gold", "predicted", "n"):
                top.add_column(col, justify="right" if col == "n" else "left")
            for (g, p), n in self.sub_confusion.most_common(12):
                top.add_row(g, p, str(n))
            parts.append(top)
        return Group(*parts)

    def _far_table(self) -> Any:
        from rich.table import Table

        errors = self.place_errors()
        table = Table(title=f"Placements beyond {FAR_KM:g} km or unplaced: {errors['beyond']} + "
                            f"{errors['unplaced']} of {errors['over']} "
                            f"({_fmt(errors['share_beyond_or_unplaced'])}); worst first")
        for col in ("row", "km", "placed at", "why", "text"):
            table.add_column(col, justify="right" if col in ("row", "km") else "left")
        for e in errors["worst"]:
            table.add_row(str(e["row"]), _fmt(e["km"], 0), e["location"] or "-", e["why"],
                          e["text"][:90])
        return table

    def _confusion_table(self) -> Any:
        from rich.table import Table

        gold_labels = sorted(self.confusion)
        predicted = {p for row in self.confusion.values() for p in row} | set(self.spurious)
        columns = sorted(predicted - {MISSED}) + [MISSED]
        table = Table(title="event_type confusion (rows gold, columns predicted)")
        table.add_column("gold \\ predicted")
        for label in columns:
            table.add_column(_short(label), justify="right")
        for gold in gold_labels:
            row = self.confusion[gold]
            table.add_row(_short(gold), *(str(row.get(p, 0) or "") for p in columns))
        if self.spurious:
            table.add_row(SPURIOUS, *(str(self.spurious.get(p, 0) or "") for p in columns))
        return table


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _short(label: str) -> str:
    return {"Explosions/Remote violence": "ERV", "Violence against civilians": "VAC",
            "Strategic developments": "SD"}.get(label, label)
