"""Score event extraction against gold as a set comparison.

Gold rows are grouped by the text they code; each text is run through ``extract`` once and
its predicted events are matched one-to-one with its gold events **in order of mention**:
predictions sorted by where their sentence starts, gold rows in file order (gold files list a
text's events in the order the text tells them). The matching looks at no field that is
scored, so it cannot flatter the field accuracies. Then:

- events: a matched pair is a true positive, an unmatched prediction a false positive (a
  surplus, duplicate or invented event), an unmatched gold event a miss; every prediction on a
  text that holds no event (NONE rows, non-event corpora) is a false positive. Precision,
  recall and F1 are given for detection and for detection with the right event type.
- fields: accuracies over matched pairs only (event type, sub-event type, actors strict and
  lenient, location within 10/50 km, date where the text determines it, fatalities).
- per sub-event type: precision, recall and F1 from the same matching, and the confusion of
  event types, with missed gold and unmatched predictions in their own row and column.

Old single-level EVENT_TYPE values ("Battle-Government regains territory", "Riots/Protests")
are mapped to the current taxonomy and compared at the level the old type supports.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from frontlines.events.eval_gold import (
    GoldEvent,
    PublishedFrom,
    actors_match,
    describe_published,
    normalize_actor,
    read_gold,
)
from frontlines.events.eval_report import FAR_KM, MISSED, SPURIOUS, EventsReport, Ratio
from frontlines.geo import haversine_km
from frontlines.model import Analysis, Article, Event, Toponym

__all__ = ["MISSED", "SPURIOUS", "EventsReport", "GoldEvent", "PublishedFrom", "Ratio",
           "actors_match", "evaluate_events", "match_in_order", "normalize_actor", "read_gold",
           "score_text"]

Progress = Callable[[int, int], None]


def match_in_order(gold: list[GoldEvent], predicted: list[Event]
                   ) -> tuple[list[tuple[GoldEvent, Event]], list[GoldEvent], list[Event]]:
    """One-to-one pairs in order of mention, then the unmatched gold and predictions."""
    ordered = sorted(predicted, key=lambda e: (e.char_start, e.char_end))
    n = min(len(gold), len(ordered))
    return list(zip(gold[:n], ordered[:n])), gold[n:], ordered[n:]


def _label(gold: GoldEvent) -> str:
    return gold.event_types[0] if len(gold.event_types) == 1 else "/".join(gold.event_types)


def _describe(event: Event) -> str:
    return (f"{event.event_type} / {event.sub_event_type} | {event.actor1} | {event.actor2} | "
            f"{event.event_date} | F{event.fatalities} | {event.location}")


def _duplicates(events: list[Event]) -> int:
    """Predictions that repeat another of the same text (same sub-event, actors, place, day)."""
    keys = Counter((e.sub_event_type, normalize_actor(e.actor1), normalize_actor(e.actor2),
                    e.location, e.event_date) for e in events)
    return sum(n - 1 for n in keys.values())


def _why(event: Event, toponyms: tuple[Toponym, ...]) -> str:
    """The ``why`` of the toponym the event was placed at, else of the sentence's toponyms."""
    placed = [t for t in toponyms if t.place is not None and event.geonameid is not None
              and t.place.geonameid == event.geonameid]
    inside = [t for t in toponyms if event.char_start <= t.start < event.char_end]
    chosen = ([t for t in placed if t in inside] or placed)[:1] or inside
    return "; ".join(f"{t.text!r}: {t.reason or '-'}" for t in chosen) or "no toponym"


def _place_error(report: EventsReport, g: GoldEvent, e: Event, km: float | None,
                 toponyms: tuple[Toponym, ...]) -> None:
    if km is not None and km <= FAR_KM:
        return
    if km is None:
        report.unplaced += 1
    report.far.append({
        "row": g.row, "km": None if km is None else round(km), "location": e.location,
        "country": e.country, "gold": [g.latitude, g.longitude], "gold_country": g.country,
        "why": _why(e, toponyms), "text": " ".join(g.text.split())[:300]})


def score_text(report: EventsReport, gold: list[GoldEvent], predicted: list[Event], *,
               toponyms: tuple[Toponym, ...] = ()) -> None:
    """Add one text's gold events and predictions to ``report`` (pure). ``toponyms``, the
    text's place mentions, give each far placement its ``why``."""
    report.texts += 1
    report.predicted += len(predicted)
    report.duplicates += _duplicates(predicted)
    if all(g.none for g in gold):
        report.negative_texts += 1
        category = gold[0].category or "(all)"
        texts, hit = report.negative_categories.get(category, (0, 0))
        report.negative_categories[category] = (texts + 1, hit + bool(predicted))
        report.negative_predictions += len(predicted)
        if predicted:
            report.false_positive_texts += 1
            report.spurious.update(e.event_type for e in predicted)
            for e in predicted:
                report.sub_counts(e.sub_event_type).fp += 1
            if len(report.errors) < report.max_errors:
                report.errors.append({"row": gold[0].row, "gold": "NONE",
                                      "predicted": "; ".join(_describe(e) for e in predicted),
                                      "text": gold[0].text[:200]})
        return
    positives = [g for g in gold if not g.none]
    pairs, missed, surplus = match_in_order(positives, predicted)
    report.gold_events += len(positives)
    report.matched += len(pairs)
    for g in missed:
        report.confusion.setdefault(_label(g), Counter())[MISSED] += 1
        if g.sub_event_type:
            report.sub_counts(g.sub_event_type).fn += 1
    for e in surplus:
        report.spurious[e.event_type] += 1
        report.sub_counts(e.sub_event_type).fp += 1
    for g, e in pairs:
        _score_pair(report, g, e, toponyms)
    if missed or surplus:
        if len(report.errors) < report.max_errors:
            report.errors.append({
                "row": positives[0].row, "gold": f"{len(positives)} event(s)",
                "predicted": f"{len(predicted)} event(s): "
                             + "; ".join(_describe(e) for e in predicted),
                "text": positives[0].text[:200]})


def _score_pair(report: EventsReport, g: GoldEvent, e: Event,
                toponyms: tuple[Toponym, ...] = ()) -> None:
    f = report.fields
    type_ok = e.event_type in g.event_types
    report.typed_matched += type_ok
    label = _label(g)
    report.confusion.setdefault(label, Counter())[label if type_ok else e.event_type] += 1
    f["event_type"].add(type_ok)
    if g.sub_event_type:
        sub_ok = e.sub_event_type == g.sub_event_type
        f["sub_event_type"].add(sub_ok)
        if sub_ok:
            report.sub_counts(g.sub_event_type).tp += 1
        else:
            report.sub_counts(g.sub_event_type).fn += 1
            report.sub_counts(e.sub_event_type).fp += 1
            report.sub_confusion[(g.sub_event_type, e.sub_event_type)] += 1
    a1 = actors_match(e.actor1, g.actor1)
    f["actor1"].add(a1)
    f["actor1_lenient"].add(actors_match(e.actor1, g.actor1, strict=False))
    f["actor2"].add(actors_match(e.actor2, g.actor2))
    f["actor2_lenient"].add(actors_match(e.actor2, g.actor2, strict=False))
    if g.date_scorable:
        f["date"].add(e.event_date == g.event_date)
    if g.fatalities is not None:
        f["fatalities"].add(e.fatalities == g.fatalities)
    if g.latitude is not None and g.longitude is not None:
        km = (haversine_km(g.latitude, g.longitude, e.latitude, e.longitude)
              if e.latitude is not None and e.longitude is not None else None)
        f["location_10km"].add(km is not None and km <= 10)
        f["location_50km"].add(km is not None and km <= 50)
        if km is not None:
            report.distances.append(km)
        _place_error(report, g, e, km, toponyms)
    wrong = not type_ok or (g.sub_event_type and e.sub_event_type != g.sub_event_type) or not a1
    if wrong and len(report.errors) < report.max_errors:
        report.errors.append({
            "row": g.row,
            "gold": f"{g.raw_type} / {g.sub_event_type or '-'} | {g.actor1} | {g.actor2} | "
                    f"{g.event_date} | F{g.fatalities}",
            "predicted": _describe(e), "text": g.text[:200]})


def _select(rows: list[GoldEvent], limit: int | None, sample: int | None) -> list[GoldEvent]:
    """The first ``limit`` texts, or ``sample`` texts spread evenly over the file (whole
    texts: a text's rows stay together)."""
    groups: dict[tuple[str, dt.date | None], list[GoldEvent]] = {}
    for g in rows:
        groups.setdefault((g.text, g.published), []).append(g)
    keys = list(groups)
    if sample is not None and sample < len(keys):
        step = len(keys) / sample
        keys = [keys[int(i * step)] for i in range(sample)]
    elif limit is not None:
        keys = keys[:limit]
    return [g for k in keys for g in groups[k]]


def evaluate_events(gold_csv: Path, *,
                    extract: Callable[[Article], list[Event] | Analysis],
                    progress: Progress | None = None, limit: int | None = None,
                    sample: int | None = None,
                    published_from: PublishedFrom | None = None) -> EventsReport:
    """Run ``extract`` on every gold text and score its events as a set (module docstring).

    ``extract`` returns the events, or the whole ``Analysis`` (then far placements are listed
    with their toponym's ``why``). ``limit`` keeps the first N texts; ``sample`` keeps N texts
    spread evenly over the file.
    """
    gold_csv = Path(gold_csv)
    policy = published_from or PublishedFrom()
    rows = _select(read_gold(gold_csv, published_from=policy), limit, sample)
    texts: dict[tuple[str, dt.date | None], list[GoldEvent]] = {}
    for g in rows:
        texts.setdefault((g.text, g.published), []).append(g)
    report = EventsReport(gold=str(gold_csv),
                          published_from=describe_published(gold_csv, policy))
    for i, ((text, published), group) in enumerate(texts.items(), start=1):
        first = group[0]
        article = Article.make(text=text, published=published, source=first.source or None,
                               id=f"gold-{first.row}")
        result = extract(article)
        if isinstance(result, Analysis):
            score_text(report, group, list(result.events), toponyms=result.toponyms)
        else:
            score_text(report, group, list(result))
        if progress:
            progress(i, len(texts))
    report.median_km = statistics.median(report.distances) if report.distances else None
    return report
