"""Geoparsing evaluation on gold corpora (LGL-style and GeoVirus/GeoWebNews-style XML).

Recognition: precision/recall/F1 of predicted spans against gold spans, counted for exact
spans and for overlapping spans. Resolution, the headline figures, over **every** gold
toponym with coordinates, as the geoparsing literature reports them (Gritta et al. 2018):
Acc@161 km, median and mean error in km, and the AUC of the log-scaled error curve (the area
under sorted ``ln(1 + km)`` divided by that of the worst case, ``ln(1 + 20039)`` everywhere;
lower is better). A gold toponym no prediction overlaps, or one recognised but left unplaced,
counts as the worst error (20,039 km).

Two labelled extras: the same figures over the gold toponyms a prediction overlaps
("overlapped": resolution alone, recognition set aside), and over "covered" ones, whose gold
phrase finds a place within 161 km of the gold point in the installed gazetteer (or our
country aliases) — a subset chosen with the gold coordinates, so never a headline.
"""

from __future__ import annotations

import math
import statistics
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from frontlines.errors import EvalError
from frontlines.geo import haversine_km
from frontlines.geoparse._lexicon import fold
from frontlines.model import Toponym

__all__ = [
    "GeoparseReport",
    "GeoparseScores",
    "GoldArticle",
    "GoldToponym",
    "auc_of_errors",
    "evaluate_geoparse",
    "main",
    "read_gold",
    "score_articles",
]

MAX_ERROR_KM = 20039.0
ACC_KM = 161.0
FAR_KM = 300.0  # placed in another country or on another continent: listed with its why
WORST_SHOWN = 25

Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]
    corpus: str = ""


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _align(text: str, start: int, end: int, phrase: str) -> tuple[int, int] | None:
    """Gold offsets, fixed when they are off by a few characters (GeoVirus is off by one)."""
    if text[start:end] == phrase:
        return start, end
    for delta in (-1, 1, -2, 2, -3, 3):
        s = start + delta
        if 0 <= s and text[s:s + len(phrase)] == phrase:
            return s, s + len(phrase)
    return None


def read_gold(path: str | Path) -> Iterator[GoldArticle]:
    """Articles of an LGL-style (``<toponyms><toponym>``) or GeoVirus-style
    (``<locations><location>``) XML file."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise EvalError("gold file not found; pass an LGL or GeoVirus XML file",
                        where=str(path)) from None
    except ET.ParseError as exc:
        raise EvalError(f"not well-formed XML ({exc}); pass an LGL or GeoVirus XML file",
                        where=str(path)) from None
    articles = root.findall("article")
    if not articles:
        raise EvalError("no <article> elements; expected <articles><article><text/>"
                        "<toponyms> (LGL) or <locations> (GeoVirus)", where=str(path))
    corpus = path.stem
    for n, art in enumerate(articles):
        text = art.findtext("text")
        if text is None:
            raise EvalError(f"article {n + 1} has no <text>", where=str(path))
        gold: list[GoldToponym] = []
        if art.find("toponyms") is not None:
            items = [(t.findtext("start"), t.findtext("end"), t.findtext("phrase"), t)
                     for t in art.find("toponyms").findall("toponym")]
        elif art.find("locations") is not None:
            items = [(t.findtext("start"), t.findtext("end"), t.findtext("name"), t)
                     for t in art.find("locations").findall("location")]
        else:
            raise EvalError(f"article {n + 1} has neither <toponyms> nor <locations>",
                            where=str(path))
        for start, end, phrase, el in items:
            try:
                s, e = int(start or ""), int(end or "")
            except ValueError:
                raise EvalError(f"article {n + 1}: toponym {phrase!r} has start={start!r} "
                                f"end={end!r}; expected character offsets",
                                where=str(path)) from None
            span = _align(text, s, e, phrase or text[s:e])
            if span is None:
                continue
            gaz = el.find("gaztag")
            src = gaz if gaz is not None else el
            gid = gaz.get("geonameid") if gaz is not None else None
            gold.append(GoldToponym(span[0], span[1], text[span[0]:span[1]],
                                    _float(src.findtext("lat")), _float(src.findtext("lon")),
                                    int(gid) if gid and gid.isdigit() else None))
        yield GoldArticle(art.get("docid") or f"{corpus}:{n + 1}", text, tuple(gold), corpus)


def auc_of_errors(errors_km: Sequence[float]) -> float:
    """Area under the sorted ln(1+km) error curve, scaled to 0 (perfect) .. 1 (worst)."""
    if not errors_km:
        return float("nan")
    points = [math.log1p(min(e, MAX_ERROR_KM)) for e in sorted(errors_km)]
    if len(points) == 1:
        return points[0] / math.log1p(MAX_ERROR_KM)
    area = sum((a + b) / 2 for a, b in zip(points, points[1:]))
    return area / ((len(points) - 1) * math.log1p(MAX_ERROR_KM))


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


@dataclass(frozen=True, slots=True)
class GeoparseScores:
    """Scores of one corpus (or all corpora together)."""

    corpus: str
    articles: int
    gold: int
    predicted: int
    exact_precision: float
    exact_recall: float
    exact_f1: float
    overlap_precision: float
    overlap_recall: float
    overlap_f1: float
    with_coordinates: int  # gold toponyms with coordinates: the headline denominator
    acc_161: float
    median_km: float
    mean_km: float
    auc: float
    resolved: int  # gold toponyms with coordinates that a prediction overlaps
    overlapped_acc_161: float
    overlapped_median_km: float
    overlapped_mean_km: float
    overlapped_auc: float
    covered: int
    coverage: float
    covered_resolved: int
    covered_acc_161: float
    covered_median_km: float
    covered_mean_km: float
    covered_auc: float
    beyond_300: int = 0  # gold toponyms with coordinates placed more than FAR_KM away
    beyond_300_share: float = 0.0  # ... over ``with_coordinates``


@dataclass(frozen=True, slots=True)
class GeoparseReport:
    """``evaluate_geoparse`` result: one row per corpus and one over all of them."""

    overall: GeoparseScores
    corpora: tuple[GeoparseScores, ...] = ()
    seconds: float = 0.0
    gazetteer: str = ""
    # placements beyond FAR_KM, worst first: gold text, where placed, km, the toponym's why
    errors: tuple[dict[str, Any], ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"overall": asdict(self.overall), "corpora": [asdict(c) for c in self.corpora],
                "seconds": round(self.seconds, 2), "gazetteer": self.gazetteer,
                "worst": list(self.errors[:WORST_SHOWN])}

    def worst_table(self, shown: int = WORST_SHOWN):
        """A ``rich`` table of the placements farthest from gold, each with its ``why``."""
        from rich.table import Table

        table = Table(title=f"Toponyms placed beyond {FAR_KM:g} km: {self.overall.beyond_300} "
                            f"of {self.overall.with_coordinates} "
                            f"({self.overall.beyond_300_share:.3f}); worst first")
        for col in ("corpus", "gold", "placed at", "km", "why"):
            table.add_column(col, justify="right" if col == "km" else "left")
        for e in self.errors[:shown]:
            table.add_row(e["corpus"], e["text"], e["where"], f"{e['km']:.0f}", e["why"])
        return table

    def table(self):
        """A ``rich`` table of the scores."""
        from rich.table import Table

        table = Table(title=f"Geoparse evaluation ({self.seconds:.0f} s; gazetteer "
                            f"{self.gazetteer or '?'})")
        table.add_column("metric")
        rows = [*self.corpora, self.overall] if len(self.corpora) > 1 else [self.overall]
        for r in rows:
            table.add_column(r.corpus, justify="right")
        spec = [
            ("articles", "articles", "{:d}"), ("gold toponyms", "gold", "{:d}"),
            ("predicted", "predicted", "{:d}"),
            ("P exact", "exact_precision", "{:.3f}"), ("R exact", "exact_recall", "{:.3f}"),
            ("F1 exact", "exact_f1", "{:.3f}"), ("P overlap", "overlap_precision", "{:.3f}"),
            ("R overlap", "overlap_recall", "{:.3f}"), ("F1 overlap", "overlap_f1", "{:.3f}"),
            ("gold with coordinates (scored)", "with_coordinates", "{:d}"),
            ("Acc@161 (all; a miss = 20,039 km)", "acc_161", "{:.3f}"),
            ("median km (all)", "median_km", "{:.1f}"), ("mean km (all)", "mean_km", "{:.0f}"),
            ("AUC (all)", "auc", "{:.3f}"),
            ("overlapped (scored)", "resolved", "{:d}"),
            ("Acc@161 overlapped", "overlapped_acc_161", "{:.3f}"),
            ("median km overlapped", "overlapped_median_km", "{:.1f}"),
            ("mean km overlapped", "overlapped_mean_km", "{:.0f}"),
            ("AUC overlapped", "overlapped_auc", "{:.3f}"),
            ("coverage", "coverage", "{:.3f}"),
            ("covered (scored)", "covered_resolved", "{:d}"),
            ("Acc@161 covered", "covered_acc_161", "{:.3f}"),
            ("median km covered", "covered_median_km", "{:.1f}"),
            ("mean km covered", "covered_mean_km", "{:.0f}"),
            ("AUC covered", "covered_auc", "{:.3f}"),
            (f"placed beyond {FAR_KM:g} km", "beyond_300", "{:d}"),
            (f"share beyond {FAR_KM:g} km (of scored)", "beyond_300_share", "{:.3f}"),
        ]
        for label, attr, fmt in spec:
            table.add_row(label, *[fmt.format(getattr(r, attr)) for r in rows])
        return table


@dataclass(slots=True)
class _Tally:
    corpus: str
    articles: int = 0
    gold: int = 0
    predicted: int = 0
    exact_pred: int = 0
    exact_gold: int = 0
    overlap_pred: int = 0
    overlap_gold: int = 0
    with_coordinates: int = 0
    covered: int = 0
    beyond: int = 0
    errors: list[float] = field(default_factory=list)  # overlapped gold toponyms
    all_errors: list[float] = field(default_factory=list)  # every gold toponym with coordinates
    covered_errors: list[float] = field(default_factory=list)

    def add(self, other: _Tally) -> None:
        for name in ("articles", "gold", "predicted", "exact_pred", "exact_gold",
                     "overlap_pred", "overlap_gold", "with_coordinates", "covered", "beyond"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors
        self.all_errors += other.all_errors
        self.covered_errors += other.covered_errors

    def scores(self) -> GeoparseScores:
        ep, er, ef = _prf(self.exact_pred, self.predicted, self.exact_gold, self.gold)
        op, orr, of = _prf(self.overlap_pred, self.predicted, self.overlap_gold, self.gold)

        def summary(errs: list[float]) -> tuple[float, float, float, float]:
            if not errs:
                return float("nan"), float("nan"), float("nan"), float("nan")
            return (sum(e < ACC_KM for e in errs) / len(errs), statistics.median(errs),
                    statistics.fmean(errs), auc_of_errors(errs))

        acc, med, mean, auc = summary(self.all_errors)
        oacc, omed, omean, oauc = summary(self.errors)
        cacc, cmed, cmean, cauc = summary(self.covered_errors)
        return GeoparseScores(
            corpus=self.corpus, articles=self.articles, gold=self.gold,
            predicted=self.predicted, exact_precision=ep, exact_recall=er, exact_f1=ef,
            overlap_precision=op, overlap_recall=orr, overlap_f1=of,
            with_coordinates=self.with_coordinates, acc_161=acc, median_km=med,
            mean_km=mean, auc=auc, resolved=len(self.errors), overlapped_acc_161=oacc,
            overlapped_median_km=omed, overlapped_mean_km=omean, overlapped_auc=oauc,
            covered=self.covered,
            coverage=self.covered / self.with_coordinates if self.with_coordinates else 0.0,
            covered_resolved=len(self.covered_errors), covered_acc_161=cacc,
            covered_median_km=cmed, covered_mean_km=cmean, covered_auc=cauc,
            beyond_300=self.beyond,
            beyond_300_share=self.beyond / self.with_coordinates if self.with_coordinates else 0.0)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_articles(pairs: Iterable[tuple[GoldArticle, Sequence[Toponym]]], *,
                   covered: Callable[[GoldToponym], bool] | None = None,
                   corpus: str = "all") -> GeoparseScores:
    """Score predictions against gold (pure apart from ``covered``)."""
    tally = _Tally(corpus)
    for gold, predicted in pairs:
        _score_one(tally, gold, predicted, covered)
    return tally.scores()


def _score_one(tally: _Tally, gold: GoldArticle, predicted: Sequence[Toponym],
               covered: Callable[[GoldToponym], bool] | None,
               misses: list[dict[str, Any]] | None = None) -> None:
    tally.articles += 1
    tally.gold += len(gold.toponyms)
    tally.predicted += len(predicted)
    gold_spans = {(g.start, g.end) for g in gold.toponyms}
    pred_spans = [(p.start, p.end) for p in predicted]
    tally.exact_pred += sum(s in gold_spans for s in pred_spans)
    tally.exact_gold += len(gold_spans & set(pred_spans))
    tally.overlap_pred += sum(any(_overlap(s, g) for g in gold_spans) for s in pred_spans)
    for g in gold.toponyms:
        hits = [p for p in predicted if _overlap((p.start, p.end), (g.start, g.end))]
        if hits:
            tally.overlap_gold += 1
        if g.lat is None or g.lon is None:
            continue
        tally.with_coordinates += 1
        is_covered = covered(g) if covered else False
        tally.covered += is_covered
        if not hits:
            tally.all_errors.append(MAX_ERROR_KM)
            continue
        best = max(hits, key=lambda p: _overlap((p.start, p.end), (g.start, g.end)))
        if best.place is None:
            error = MAX_ERROR_KM
        else:
            error = haversine_km(g.lat, g.lon, best.place.latitude, best.place.longitude)
        tally.errors.append(error)
        tally.all_errors.append(error)
        if is_covered:
            tally.covered_errors.append(error)
        if best.place is not None and error > FAR_KM:
            tally.beyond += 1
            if misses is not None:
                misses.append({"corpus": tally.corpus, "text": g.text,
                               "where": f"{best.place.name} ({best.place.country_code})",
                               "km": round(error), "why": best.reason or "-"})


def _coverage_check(geoparser) -> Callable[[GoldToponym], bool]:
    gazetteer = geoparser.gazetteer
    aliases = geoparser.lexicon.country_aliases
    cache: dict[str, list] = {}

    def covered(g: GoldToponym) -> bool:
        if g.text not in cache:
            places = [c.place for c in gazetteer.lookup(g.text, limit=500, fuzzy=False)]
            places += list(geoparser.lexicon.regions.get(fold(g.text), ()))
            code = aliases.get(fold(g.text))
            if code:
                country = gazetteer.country(code)
                if country is not None:
                    places.append(country)
            cache[g.text] = places
        return any(haversine_km(g.lat, g.lon, p.latitude, p.longitude) < ACC_KM
                   for p in cache[g.text])

    return covered


def evaluate_geoparse(gold_paths: Sequence[str | Path], *, geoparser,
                      progress: Progress | None = None, limit: int | None = None,
                      batch_size: int = 16) -> GeoparseReport:
    """Run ``geoparser`` (a ``Geoparser``) over gold corpora and score it.

    ``limit`` caps the articles read per file. ``progress(stage, done, total)`` is called
    after each article.
    """
    started = time.perf_counter()
    covered = _coverage_check(geoparser)
    totals = _Tally("all")
    rows: list[GeoparseScores] = []
    misses: list[dict[str, Any]] = []
    for path in gold_paths:
        articles = list(read_gold(path))
        if limit is not None:
            articles = articles[:limit]
        tally = _Tally(Path(path).stem)
        docs = geoparser.nlp.pipe((a.text for a in articles), batch_size=batch_size)
        for n, (article, doc) in enumerate(zip(articles, docs, strict=True)):
            predicted = geoparser.geoparse_doc(doc)
            _score_one(tally, article, predicted, covered, misses)
            if progress:
                progress(tally.corpus, n + 1, len(articles))
        totals.add(tally)
        rows.append(tally.scores())
    overall = totals.scores()
    misses.sort(key=lambda m: -m["km"])
    return GeoparseReport(overall=overall, corpora=tuple(rows),
                          seconds=time.perf_counter() - started,
                          gazetteer=str(getattr(geoparser.gazetteer, "path", "")),
                          errors=tuple(misses))


def main(gold_paths: Sequence[str | Path], *, gazetteer: str | Path | None = None,
         limit: int | None = None, as_json: bool = False, console=None) -> GeoparseReport:
    """Evaluate and print (the body of ``frontlines eval geoparse GOLD...``)."""
    import json

    from rich.console import Console
    from rich.progress import Progress as RichProgress

    from frontlines.gazetteer import Gazetteer
    from frontlines.geoparse.geoparser import Geoparser

    console = console or Console()
    gaz = Gazetteer(gazetteer) if gazetteer else Gazetteer.open_default()
    geoparser = Geoparser(gaz)
    with RichProgress(console=console, transient=True) as bar:
        task = bar.add_task("geoparsing", total=None)

        def progress(stage: str, done: int, total: int | None) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        report = evaluate_geoparse(gold_paths, geoparser=geoparser, progress=progress,
                                   limit=limit)
    if as_json:
        console.print_json(json.dumps(_clean(report.to_dict())))
    else:
        console.print(report.table())
        if report.errors:
            console.print(report.worst_table())
    return report


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value
