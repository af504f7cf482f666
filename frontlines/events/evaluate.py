"""Score event extraction against ACLED-format gold CSV (current or pre-2019 layout).

Each gold row's ``notes`` becomes an ``Article`` (published = event_date, source = source);
the predicted event that best matches the row is compared field by field. Old single-level
EVENT_TYPE values ("Battle-Government regains territory", "Riots/Protests", ...) are mapped to
the current taxonomy and compared at the level the old type supports.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontlines.errors import EvalError
from frontlines.events.codebook import load_codebook
from frontlines.model import Article, Event

__all__ = ["EventsReport", "GoldEvent", "evaluate_events", "normalize_actor", "read_gold"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class GoldEvent:
    row: int
    notes: str
    event_date: dt.date
    event_types: tuple[str, ...]  # accepted event types (two for old "Riots/Protests")
    sub_event_type: str | None  # None when the layout does not say
    actor1: str
    actor2: str
    latitude: float | None
    longitude: float | None
    fatalities: int | None
    source: str
    country: str
    raw_type: str
    text: str = ""  # the text to extract from ("text" column, else notes)
    published: dt.date | None = None  # "published" column, else event_date
    none: bool = False  # a negative text: any extracted event is a false positive


@dataclass
class EventsReport:
    """Accuracy figures; ``to_dict`` for JSON, ``render`` for a rich table."""

    gold: str
    rows: int = 0
    with_prediction: int = 0
    event_type: float = 0.0
    sub_event_type: float | None = None
    sub_event_rows: int = 0
    actor1: float = 0.0
    actor2: float = 0.0
    location_10km: float = 0.0
    location_50km: float = 0.0
    median_km: float | None = None
    located_rows: int = 0
    date: float = 0.0
    fatalities: float = 0.0
    negative_texts: int = 0
    false_positive_texts: int = 0
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.with_prediction / self.rows if self.rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold, "rows": self.rows, "recall": round(self.recall, 4),
            "event_type": round(self.event_type, 4),
            "sub_event_type": None if self.sub_event_type is None else round(self.sub_event_type, 4),
            "sub_event_rows": self.sub_event_rows,
            "actor1": round(self.actor1, 4), "actor2": round(self.actor2, 4),
            "location_10km": round(self.location_10km, 4),
            "location_50km": round(self.location_50km, 4),
            "median_km": None if self.median_km is None else round(self.median_km, 1),
            "located_rows": self.located_rows,
            "date": round(self.date, 4), "fatalities": round(self.fatalities, 4),
            "negative_texts": self.negative_texts,
            "false_positive_texts": self.false_positive_texts,
            "confusion": self.confusion,
        }

    def render(self) -> Any:
        """A rich renderable: the figures, then the event_type confusion table."""
        from rich.console import Group
        from rich.table import Table

        figures = Table(title=f"Event extraction vs {Path(self.gold).name} ({self.rows} rows)")
        figures.add_column("measure")
        figures.add_column("value", justify="right")
        for key, value in self.to_dict().items():
            if key in ("gold", "confusion"):
                continue
            figures.add_row(key, "-" if value is None else str(value))
        labels = sorted({g for g in self.confusion} | {p for row in self.confusion.values() for p in row})
        confusion = Table(title="event_type confusion (rows gold, columns predicted)")
        confusion.add_column("gold \\ predicted")
        for label in labels:
            confusion.add_column(_short(label), justify="right")
        for gold in labels:
            row = self.confusion.get(gold, {})
            confusion.add_row(_short(gold), *(str(row.get(p, 0) or "") for p in labels))
        return Group(figures, confusion)


def _short(label: str) -> str:
    return {"Explosions/Remote violence": "ERV", "Violence against civilians": "VAC",
            "Strategic developments": "SD", "(none)": "none"}.get(label, label)


_YEARS = re.compile(r"\(\s*\d{4}\s*-\s*(\d{4})?\s*\)")
_PAREN = re.compile(r"\([^)]*\)")


def normalize_actor(name: str) -> str:
    """Compare actor names without years, parentheticals, acronym prefixes, case, and the
    article ACLED's older releases left out ("Military Forces of (the) Democratic Republic of
    Congo")."""
    s = _YEARS.sub("", name or "")
    s = _PAREN.sub("", s)
    if ":" in s:  # "BRSC: Shura Council of ..." -> "Shura Council of ..."
        s = s.split(":", 1)[1]
    s = re.sub(r"[-'’`]", " ", s)
    s = re.sub(r"\s+", " ", s).strip().lower()
    return re.sub(r"\bof the ", "of ", s)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _get(row: dict[str, str], *names: str) -> str:
    for n in names:
        for key in (n, n.upper(), n.lower()):
            if key in row and row[key] is not None:
                return row[key].strip()
    return ""


def _parse_date(raw: str, path: Path, line: int) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y", "%d-%b-%y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    raise EvalError(f"event_date {raw!r} is not a date; use YYYY-MM-DD (e.g. 2017-08-19)",
                    where=f"{path} line {line}")


def read_gold(path: Path) -> list[GoldEvent]:
    """Rows of an ACLED-format CSV with notes, in either layout."""
    codebook = load_codebook()
    try:
        fh = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise EvalError(f"cannot read the gold file ({exc.strerror}); check the path",
                        where=str(path)) from None
    with fh:
        reader = csv.DictReader(fh)
        columns = {c.lower() for c in reader.fieldnames or []}
        missing = {"notes", "event_date", "event_type"} - columns
        if missing:
            raise EvalError(f"missing column(s) {sorted(missing)}; an ACLED-format CSV needs "
                            f"event_date, event_type and notes (sub_event_type, actor1, actor2, "
                            f"latitude, longitude, fatalities optional)", where=str(path))
        out = []
        for line, row in enumerate(reader, start=2):
            notes = _get(row, "notes")
            text = _get(row, "text") or notes
            if not text:
                continue
            raw_type = _get(row, "event_type")
            pub_raw = _get(row, "published")
            published = _parse_date(pub_raw, path, line) if pub_raw else None
            if raw_type.upper() == "NONE":
                if published is None:
                    raise EvalError("a NONE row needs a 'published' date", where=f"{path} line {line}")
                out.append(GoldEvent(row=line, notes=notes, event_date=published, event_types=(),
                                     sub_event_type=None, actor1="", actor2="", latitude=None,
                                     longitude=None, fatalities=None, source=_get(row, "source"),
                                     country="", raw_type="NONE", text=text, published=published,
                                     none=True))
                continue
            sub = _get(row, "sub_event_type") or None
            old = codebook.old_type(raw_type)
            if sub is not None or raw_type in codebook.event_types:
                types = (raw_type,)
            elif old is not None:
                types, sub = old.event_types, old.sub_event_type
            else:
                raise EvalError(f"event_type {raw_type!r} is neither a current ACLED type "
                                f"({sorted(codebook.event_types)}) nor a pre-2019 one "
                                f"({sorted(o.name for o in codebook.old_types.values())})",
                                where=f"{path} line {line}")
            lat, lon = _get(row, "latitude"), _get(row, "longitude")
            fat = _get(row, "fatalities")
            out.append(GoldEvent(
                row=line, notes=notes, event_date=_parse_date(_get(row, "event_date"), path, line),
                event_types=types, sub_event_type=sub, actor1=_get(row, "actor1"),
                actor2=_get(row, "actor2"),
                latitude=float(lat) if lat else None, longitude=float(lon) if lon else None,
                fatalities=int(float(fat)) if fat else None, source=_get(row, "source"),
                country=_get(row, "country"), raw_type=raw_type, text=text,
                published=published))
    return out


def _score(gold: GoldEvent, event: Event) -> float:
    s = 0.0
    s += 3 if event.event_type in gold.event_types else 0
    s += 1 if gold.sub_event_type and event.sub_event_type == gold.sub_event_type else 0
    s += 2 if normalize_actor(event.actor1) == normalize_actor(gold.actor1) else 0
    s += 1 if gold.actor2 and normalize_actor(event.actor2) == normalize_actor(gold.actor2) else 0
    s += 0.5 if event.event_date == gold.event_date else 0
    s += event.confidence * 0.1
    return s


def _tally(gold: GoldEvent, best: Event | None, counts: Counter[str],
           confusion: dict[str, Counter[str]], distances: list[float], report: EventsReport) -> None:
    gold_label = gold.event_types[0] if len(gold.event_types) == 1 else "/".join(gold.event_types)
    predicted = best.event_type if best else "(none)"
    if best is not None and best.event_type in gold.event_types and len(gold.event_types) > 1:
        predicted = gold_label
    confusion.setdefault(gold_label, Counter())[predicted] += 1
    if best is not None:
        counts["with"] += 1
        counts["type"] += best.event_type in gold.event_types
        if gold.sub_event_type:
            counts["sub_rows"] += 1
            counts["sub"] += best.sub_event_type == gold.sub_event_type
        counts["a1"] += normalize_actor(best.actor1) == normalize_actor(gold.actor1)
        counts["a2"] += normalize_actor(best.actor2) == normalize_actor(gold.actor2)
        counts["date"] += best.event_date == gold.event_date
        if gold.fatalities is not None:
            counts["fat"] += best.fatalities == gold.fatalities
    elif gold.sub_event_type:
        counts["sub_rows"] += 1
    if gold.latitude is not None and gold.longitude is not None:
        counts["located"] += 1
        if best is not None and best.latitude is not None and best.longitude is not None:
            km = _km(gold.latitude, gold.longitude, best.latitude, best.longitude)
            distances.append(km)
            counts["10km"] += km <= 10
            counts["50km"] += km <= 50
    wrong = best is None or best.event_type not in gold.event_types or (
        gold.sub_event_type and best.sub_event_type != gold.sub_event_type)
    if wrong or (best is not None and normalize_actor(best.actor1) != normalize_actor(gold.actor1)):
        report.errors.append({
            "row": gold.row,
            "gold": f"{gold.raw_type} / {gold.sub_event_type or '-'} | {gold.actor1} | {gold.actor2}"
                    f" | {gold.event_date} | F{gold.fatalities}",
            "predicted": (f"{best.event_type} / {best.sub_event_type} | {best.actor1} | "
                          f"{best.actor2} | {best.event_date} | F{best.fatalities} | {best.location}")
            if best else "(none)",
            "notes": gold.text[:200]})


def evaluate_events(gold_csv: Path, *, extract: Callable[[Article], list[Event]],
                    progress: Progress | None = None, limit: int | None = None) -> EventsReport:
    """Run ``extract`` on every gold note and score the best-matching predicted event."""
    gold_csv = Path(gold_csv)
    rows = read_gold(gold_csv)
    if limit is not None:
        rows = rows[:limit]
    # Texts in file order; several gold rows may share one text.
    texts: dict[tuple[str, dt.date], list[GoldEvent]] = {}
    for g in rows:
        texts.setdefault((g.text, g.published or g.event_date), []).append(g)
    positives = [g for g in rows if not g.none]
    report = EventsReport(gold=str(gold_csv), rows=len(positives))
    counts: Counter[str] = Counter()
    confusion: dict[str, Counter[str]] = {}
    distances: list[float] = []
    for i, ((text, published), group) in enumerate(texts.items(), start=1):
        first = group[0]
        article = Article.make(text=text, published=published, source=first.source or None,
                               id=f"gold-{first.row}")
        events = list(extract(article))
        if all(g.none for g in group):
            report.negative_texts += 1
            if events:
                report.false_positive_texts += 1
                report.errors.append({"row": first.row, "gold": "NONE", "predicted": "; ".join(
                    f"{e.event_type} / {e.sub_event_type}" for e in events), "notes": text[:160]})
            if progress:
                progress(i, len(texts))
            continue
        unused = list(events)
        for gold in (g for g in group if not g.none):
            best = max(unused, key=lambda e: _score(gold, e)) if unused else None
            if best is not None and len(unused) > 1:
                unused.remove(best)
            _tally(gold, best, counts, confusion, distances, report)
        if progress:
            progress(i, len(texts))
    rows = positives
    n = len(rows) or 1
    report.with_prediction = counts["with"]
    report.event_type = counts["type"] / n
    report.sub_event_rows = counts["sub_rows"]
    report.sub_event_type = counts["sub"] / counts["sub_rows"] if counts["sub_rows"] else None
    report.actor1 = counts["a1"] / n
    report.actor2 = counts["a2"] / n
    report.date = counts["date"] / n
    with_fat = sum(1 for g in rows if g.fatalities is not None) or 1
    report.fatalities = counts["fat"] / with_fat
    report.located_rows = counts["located"]
    located = counts["located"] or 1
    report.location_10km = counts["10km"] / located
    report.location_50km = counts["50km"] / located
    report.median_km = statistics.median(distances) if distances else None
    report.confusion = {k: dict(v) for k, v in confusion.items()}
    return report
