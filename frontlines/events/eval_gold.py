"""Gold files for the events eval: reading them, declaring their publication dates, and the
comparisons the scorer makes (actor names, whether a text states its event's date).

Three layouts are read:

- ACLED CSV with ``notes`` (current taxonomy or the pre-2019 single ``EVENT_TYPE``), optionally
  with ``published`` and ``text`` columns (the team's gold sets);
- labelled snippets: ``text`` and ``sub_event_type`` (a sub-event type or ``none``), with
  optional ``published`` and ``event_date``;
- non-event corpora: ``text`` and neither type column (every row holds no event); a
  ``category`` column splits the false-event rate (BBC news: business, sport, ...).

Publication dates are never invented silently: ``PublishedFrom`` says where each text's date
comes from, and the report prints it. When the date is derived from the gold event date, date
accuracy is scored only on texts that state their event's date themselves.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from frontlines.errors import EvalError
from frontlines.events.codebook import load_codebook

__all__ = ["GoldEvent", "PublishedFrom", "actors_match", "normalize_actor", "read_gold",
           "states_date"]


@dataclass(frozen=True, slots=True)
class PublishedFrom:
    """Where a gold text's publication date comes from.

    ``column``: the file's ``published`` column (rows without one fall back to the rule below);
    ``offset``: the gold event date plus ``days``; ``fixed``: one date for every text (for
    corpora with no dates at all).
    """

    days: int = 1
    fixed: dt.date | None = None
    use_column: bool = True

    @classmethod
    def parse(cls, spec: str) -> PublishedFrom:
        """``column``, ``event_date+N`` / ``event_date-N``, or ``YYYY-MM-DD``."""
        s = spec.strip().lower().replace(" ", "")
        if s == "column":
            return cls()
        m = re.fullmatch(r"event_date(?:([+-])(\d{1,3}))?", s)
        if m:
            days = int(m.group(2) or 0) * (-1 if m.group(1) == "-" else 1)
            return cls(days=days, use_column=False)
        try:
            return cls(fixed=dt.date.fromisoformat(s), use_column=False)
        except ValueError:
            raise EvalError(f"--published-from {spec!r} is not understood; use 'column', "
                            f"'event_date+N' (e.g. event_date+1) or a date (2005-01-01)",
                            where="--published-from") from None

    def describe(self, *, has_column: bool) -> str:
        if self.use_column and has_column:
            return "the file's 'published' column"
        if self.fixed is not None:
            return f"{self.fixed.isoformat()} for every text (declared)"
        sign = "+" if self.days >= 0 else "-"
        why = "" if not self.use_column else " (the file has no 'published' column)"
        return f"event_date {sign} {abs(self.days)} day(s){why}"

    def date_for(self, event_date: dt.date | None) -> dt.date:
        if self.fixed is not None:
            return self.fixed
        if event_date is None:
            raise EvalError("a text has neither a published date nor an event date; pass "
                            "--published-from YYYY-MM-DD", where="--published-from")
        return event_date + dt.timedelta(days=self.days)


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
    published: dt.date | None = None  # the date the text is run with
    none: bool = False  # a negative text: any extracted event is a false positive
    date_scorable: bool = True  # the text (with its real publication date) fixes the date
    category: str = ""  # non-event corpora: the row's category


# -- actor names ------------------------------------------------------------------------------
_PAREN = re.compile(r"\(([^)]*)\)")
_PERIOD = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})?\s*$")


def normalize_actor(name: str) -> str:
    """The lenient form: no parentheticals (periods and countries), acronym prefix, case,
    hyphens, apostrophes, or the article ACLED's older releases left out ("Military Forces
    of (the) Democratic Republic of Congo")."""
    s = _PAREN.sub("", name or "")
    if ":" in s:  # "BRSC: Shura Council of ..." -> "Shura Council of ..."
        s = s.split(":", 1)[1]
    s = re.sub(r"[-'’`]", " ", s)
    s = re.sub(r"\s+", " ", s).strip().lower()
    return re.sub(r"\bof the ", "of ", s)


def _qualifiers(name: str) -> tuple[str | None, str | None]:
    """(country qualifier, period start year) of an ACLED actor name."""
    country = start = None
    for inner in _PAREN.findall(name or ""):
        period = _PERIOD.match(inner)
        if period:
            start = period.group(1)
        elif inner.strip():
            country = re.sub(r"\s+", " ", inner).strip().lower()
    return country, start


def actors_match(predicted: str, gold: str, *, strict: bool = True) -> bool:
    """Whether two actor names are the same actor.

    Lenient: the names agree once parentheticals are dropped. Strict also keeps the country
    qualifier ("Civilians (Lebanon)" is not "Civilians (Syria)") and the period's start year
    ("(2000-)" and "(2000-2024)" are one regime; "(2012-)" and "(2016-)" are not) whenever both
    names carry one. The period's end year is ignored: ACLED adds it after the fact.
    """
    if normalize_actor(predicted) != normalize_actor(gold):
        return False
    if not strict:
        return True
    (pc, ps), (gc, gs) = _qualifiers(predicted), _qualifiers(gold)
    if pc and gc and pc != gc:
        return False
    return not (ps and gs and ps != gs)


# -- dates ------------------------------------------------------------------------------------
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")


def states_date(text: str, date: dt.date) -> bool:
    """Whether ``text`` writes ``date``'s day and month itself ("On 1 January 2022",
    "January 1", "1 Jan", "2022-01-01", "01/01/2022"), so that no publication date is needed
    to resolve it."""
    month = _MONTHS[date.month - 1]
    names = f"(?:{month}|{month[:3]}\\.?)"
    day = rf"0?{date.day}(?:st|nd|rd|th)?"
    patterns = (rf"\b{day}\s+(?:of\s+)?{names}\b", rf"\b{names}\s+{day}\b",
                rf"\b{date.isoformat()}\b", rf"\b0?{date.day}/0?{date.month}/{date.year}\b")
    lowered = text.lower()
    return any(re.search(p, lowered) for p in patterns)


# -- reading ----------------------------------------------------------------------------------
def _get(row: dict[str, str], *names: str) -> str:
    for n in names:
        for key in (n, n.upper(), n.lower()):
            if key in row and row[key] is not None:
                return row[key].strip()
    return ""


def _parse_date(raw: str, path: Path, line: int, column: str = "event_date") -> dt.date:
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y", "%d-%b-%y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    raise EvalError(f"{column} {raw!r} is not a date; use YYYY-MM-DD (e.g. 2017-08-19)",
                    where=f"{path} line {line}")


def _int(raw: str, path: Path, line: int, column: str) -> int | None:
    try:
        return int(float(raw)) if raw else None
    except ValueError:
        raise EvalError(f"{column} {raw!r} is not a number", where=f"{path} line {line}") from None


def _float(raw: str, path: Path, line: int, column: str) -> float | None:
    try:
        return float(raw) if raw else None
    except ValueError:
        raise EvalError(f"{column} {raw!r} is not a number", where=f"{path} line {line}") from None


def _none_row(line: int, row: dict[str, str], text: str, published: dt.date,
              category: str = "") -> GoldEvent:
    return GoldEvent(row=line, notes=_get(row, "notes"), event_date=published, event_types=(),
                     sub_event_type=None, actor1="", actor2="", latitude=None, longitude=None,
                     fatalities=None, source=_get(row, "source"), country="", raw_type="NONE",
                     text=text, published=published, none=True, category=category)


def read_gold(path: Path, *, published_from: PublishedFrom | None = None) -> list[GoldEvent]:
    """Rows of a gold CSV in any of the three layouts (see the module docstring)."""
    policy = published_from or PublishedFrom()
    codebook = load_codebook()
    try:
        fh = Path(path).open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise EvalError(f"cannot read the gold file ({exc.strerror}); check the path",
                        where=str(path)) from None
    with fh:
        reader = csv.DictReader(fh)
        columns = {c.lower() for c in reader.fieldnames or []}
        if "event_type" not in columns and "text" in columns:
            layout = "snippets" if "sub_event_type" in columns else "nonevents"
        else:
            layout = "acled"
            missing = {"notes", "event_date", "event_type"} - columns
            if missing:
                raise EvalError(
                    f"missing column(s) {sorted(missing)}; an ACLED-format CSV needs event_date, "
                    f"event_type and notes (sub_event_type, actor1, actor2, latitude, longitude, "
                    f"fatalities optional); labelled snippets need text and sub_event_type "
                    f"('none' for no event); a non-event corpus needs text", where=str(path))
        out = []
        for line, row in enumerate(reader, start=2):
            text = _get(row, "text") or _get(row, "notes")
            if not text:
                continue
            pub_raw = _get(row, "published") if policy.use_column else ""
            date_raw = _get(row, "event_date")
            real_published = _parse_date(pub_raw, path, line, "published") if pub_raw else None
            event_date = _parse_date(date_raw, path, line) if date_raw else None
            if layout == "nonevents":
                published = real_published or policy.date_for(event_date)
                out.append(_none_row(line, row, text, published, _get(row, "category")))
                continue
            raw_type = (_get(row, "event_type") if layout == "acled"
                        else _get(row, "sub_event_type"))
            if raw_type.upper() == "NONE":
                if real_published is None and event_date is None and policy.fixed is None:
                    raise EvalError("a NONE row needs a 'published' date (or pass "
                                    "--published-from YYYY-MM-DD)", where=f"{path} line {line}")
                published = real_published or policy.date_for(event_date)
                out.append(_none_row(line, row, text, published))
                continue
            if layout == "snippets":
                sub: str | None = codebook.sub_event(raw_type).name
                types: tuple[str, ...] = (codebook.sub_event(raw_type).event_type,)
            else:
                sub = _get(row, "sub_event_type") or None
                old = codebook.old_type(raw_type)
                if sub is not None or raw_type in codebook.event_types:
                    types = (raw_type,)
                elif old is not None:
                    types, sub = old.event_types, old.sub_event_type
                else:
                    raise EvalError(
                        f"event_type {raw_type!r} is neither a current ACLED type "
                        f"({sorted(codebook.event_types)}) nor a pre-2019 one "
                        f"({sorted(o.name for o in codebook.old_types.values())})",
                        where=f"{path} line {line}")
            if event_date is None and real_published is None:
                raise EvalError("an event row needs an event_date or a published date",
                                where=f"{path} line {line}")
            gold_date = event_date or real_published
            assert gold_date is not None
            published = real_published or policy.date_for(gold_date)
            out.append(GoldEvent(
                row=line, notes=_get(row, "notes"), event_date=gold_date, event_types=types,
                sub_event_type=sub, actor1=_get(row, "actor1"), actor2=_get(row, "actor2"),
                latitude=_float(_get(row, "latitude"), path, line, "latitude"),
                longitude=_float(_get(row, "longitude"), path, line, "longitude"),
                fatalities=_int(_get(row, "fatalities"), path, line, "fatalities"),
                source=_get(row, "source"), country=_get(row, "country"), raw_type=raw_type,
                text=text, published=published,
                date_scorable=real_published is not None or states_date(text, gold_date)))
    return out


def describe_published(path: Path, policy: PublishedFrom) -> str:
    """The report's line on where publication dates came from."""
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])
    return policy.describe(has_column="published" in {c.lower() for c in header})
