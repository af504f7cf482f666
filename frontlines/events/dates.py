"""Event dates from explicit and relative expressions, against the publication date.

Pure functions on text. ``find_dates`` returns every date expression with its span, the
range of days it covers and ACLED's time precision (1 day, 2 week, 3 month); ranges are
clipped to the publication date and the event date is the first day of the range.
Without a publication date only expressions that carry their own year are resolved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["DateMention", "find_dates", "precision_for_span"]

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}
# Capitalised month names only: "may" and "march" are also verbs.
_MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_WD = r"(?P<weekday>[Mm]onday|[Tt]uesday|[Ww]ednesday|[Tt]hursday|[Ff]riday|[Ss]aturday|[Ss]unday)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(rx)) for name, rx in [
    ("iso", r"\b(?P<year>(?:19|20)\d{2})-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b"),
    ("numeric", r"(?<![\d/])(?P<day>[0-3]?\d)/(?P<mon>[01]?\d)(?:/(?P<year>(?:19|20)?\d{2}))?(?![\d/])"),
    ("day_month", rf"\b{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?\b"),
    ("month_day", rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+{_YEAR})?"),
    ("part_month", (r"\b(?P<part>[Ee]arly|[Mm]id|[Ll]ate|(?:the\s+)?(?:first|second)\s+half\s+of|"
                    r"(?:the\s+)?(?:end|beginning|start)\s+of)[\s-]+" + _MONTH
                    + rf"(?:,?\s+{_YEAR})?")),
    ("month", (r"\b(?P<prep>[Ss]ince\s+|[Ii]n\s+|[Dd]uring\s+|[Tt]hroughout\s+|[Ee]arlier\s+in\s+|"
               rf"[Ss]ince\s+early\s+){_MONTH}(?:,?\s+{_YEAR})?\b")),
    ("year", rf"\b(?P<prep>[Ss]ince|[Ii]n|[Dd]uring|[Ff]rom|[Bb]etween|[Uu]ntil|[Bb]y)\s+(?:early\s+|late\s+|mid-?)?{_YEAR}\b"),
    # "Saturday and Sunday", "between Friday and Sunday", "from Friday night to Sunday": a
    # span of days (time precision 2)
    ("weekday_range", (r"\b(?:(?:[Bb]etween|[Ff]rom|[Oo]n|[Oo]ver|[Ll]ast)\s+)?"
                       r"(?P<wd1>[Mm]onday|[Tt]uesday|[Ww]ednesday|[Tt]hursday|[Ff]riday|"
                       r"[Ss]aturday|[Ss]unday)(?:\s+(?:morning|afternoon|evening|night))?"
                       r"\s+(?:and|to|through|until|-)\s+(?:early\s+|late\s+)?"
                       r"(?P<wd2>[Mm]onday|[Tt]uesday|[Ww]ednesday|[Tt]hursday|[Ff]riday|"
                       r"[Ss]aturday|[Ss]unday)\b")),
    ("weekday", rf"\b(?:(?P<last>[Ll]ast|[Tt]his|[Ee]arlier\s+on|[Oo]n|[Ll]ate|[Ee]arly)\s+)?{_WD}\b"),
    ("relative", (r"\b(?P<rel>the\s+day\s+before\s+yesterday|yesterday|last\s+night|overnight|"
                  r"earlier\s+today|today|tonight|this\s+(?:morning|afternoon|evening)|"
                  r"(?:over|at|during)\s+the\s+weekend|(?:this|last)\s+weekend|last\s+week|"
                  r"(?:earlier\s+|early\s+)?this\s+week|last\s+month|(?:earlier\s+)?this\s+month|"
                  r"(?:over\s+|during\s+|in\s+)?the\s+(?:past|last)\s+(?:few\s+|several\s+|"
                  r"two\s+|three\s+)?days|in\s+recent\s+days|(?:over\s+|during\s+)?the\s+"
                  r"(?:past|last)\s+week|this\s+past\s+week|"
                  r"last\s+year|(?P<n>\d+|two|three|four|five|six|seven)\s+days\s+ago|"
                  r"(?:two|three|several|many|\d+)\s+years\s+ago)\b")),
]]
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression: ``text[start:end]``, the days it covers, precision, background flag."""

    start: int
    end: int
    text: str
    first: dt.date
    last: dt.date
    precision: int
    kind: str
    background: bool = False  # "since 2014", "in 2013", "last year": not the reported event

    @property
    def date(self) -> dt.date:
        """The event date: the first day of the range (ACLED codes a span to its start)."""
        return self.first


def precision_for_span(first: dt.date, last: dt.date) -> int:
    """ACLED time precision of a range of days: 1 one day, 2 up to a week, 3 longer."""
    days = (last - first).days + 1
    return 1 if days <= 1 else 2 if days <= 7 else 3


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _infer_year(month: int, day: int | None, published: dt.date | None) -> int | None:
    if published is None:
        return None
    year = published.year
    probe = dt.date(year, month, min(day or 1, 28))
    if probe > published + dt.timedelta(days=2):
        year -= 1
    return year


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    value = int(raw)
    return value + 2000 if value < 100 else value


def _make(m: re.Match[str], kind: str, first: dt.date, last: dt.date,
          published: dt.date | None, *, background: bool = False,
          precision: int | None = None) -> DateMention:
    if published is not None and first <= published < last:
        last = published  # a range cannot run past the report
    if published is not None and not background:
        background = last < published - dt.timedelta(days=45)
    return DateMention(m.start(), m.end(), m.group(0), first, last,
                       precision or precision_for_span(first, last), kind, background)


def _parse(kind: str, m: re.Match[str], published: dt.date | None) -> DateMention | None:
    g = m.groupdict()
    if kind in ("iso", "numeric", "day_month", "month_day"):
        month = int(g["mon"]) if g.get("mon") else _MONTHS[g["month"].lower()]
        day = int(g["day"])
        year = _year(g.get("year")) or _infer_year(month, day, published)
        if year is None or not 1 <= month <= 12:
            return None
        try:
            day_date = dt.date(year, month, day)
        except ValueError:
            return None
        return _make(m, "explicit", day_date, day_date, published)
    if kind in ("part_month", "month"):
        month = _MONTHS[g["month"].lower()]
        year = _year(g.get("year")) or _infer_year(month, None, published)
        if year is None:
            return None
        first, last = dt.date(year, month, 1), _month_end(year, month)
        if kind == "part_month":
            part = " ".join(g["part"].lower().split())
            if part == "early" or "beginning" in part or "start" in part:
                last = dt.date(year, month, 10)
            elif part == "mid":
                first, last = dt.date(year, month, 11), dt.date(year, month, 20)
            elif part == "late" or "end" in part:
                first = dt.date(year, month, 21)
            elif "first half" in part:
                last = dt.date(year, month, 15)
            elif "second half" in part:
                first = dt.date(year, month, 16)
        since = (g.get("prep") or "").strip().lower() == "since"
        return _make(m, "month", first, last, published, precision=3,
                     background=since and g.get("year") is not None)
    if kind == "year":
        year = int(g["year"])
        prep = g["prep"].lower()
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        background = prep == "since" or published is None or year < published.year
        return _make(m, "year", first, last, published, background=background, precision=3)
    if published is None:
        return None
    if kind == "weekday_range":
        first_wd, last_wd = _WEEKDAYS[g["wd1"].lower()], _WEEKDAYS[g["wd2"].lower()]
        last_day = published - dt.timedelta(days=(published.weekday() - last_wd) % 7)
        span = (last_wd - first_wd) % 7
        if span == 0:
            return None
        return _make(m, "relative", last_day - dt.timedelta(days=span), last_day, published,
                     precision=2)
    if kind == "weekday":
        target = _WEEKDAYS[g["weekday"].lower()]
        back = (published.weekday() - target) % 7
        qualifier = (g.get("last") or "").lower()
        if qualifier == "last" and back == 0:
            back = 7
        day_date = published - dt.timedelta(days=back)
        return _make(m, "relative", day_date, day_date, published)
    rel = " ".join(g["rel"].lower().split())
    p = published
    if rel in ("today", "tonight", "earlier today") or rel.startswith("this ") and rel.split()[1] in (
            "morning", "afternoon", "evening"):
        return _make(m, "relative", p, p, published)
    if rel in ("yesterday", "last night", "overnight"):
        d = p - dt.timedelta(days=1)
        return _make(m, "relative", d, d, published)
    if rel == "the day before yesterday":
        d = p - dt.timedelta(days=2)
        return _make(m, "relative", d, d, published)
    if rel.endswith("days ago"):
        n = g.get("n") or rel.split()[0]
        d = p - dt.timedelta(days=int(n) if n.isdigit() else _SMALL[n])
        return _make(m, "relative", d, d, published)
    if "weekend" in rel:
        back = (p.weekday() - 5) % 7
        if rel.startswith("last") and back < 2:
            back += 7
        sat = p - dt.timedelta(days=back)
        return _make(m, "relative", sat, sat + dt.timedelta(days=1), published, precision=2)
    if rel.endswith("days") or rel == "in recent days":  # "over the past few days"
        return _make(m, "relative", p - dt.timedelta(days=6), p, published, precision=2)
    if rel.endswith("past week") or rel.endswith("last week") and rel != "last week":
        return _make(m, "relative", p - dt.timedelta(days=6), p, published, precision=2)
    if rel == "last week":
        monday = p - dt.timedelta(days=p.weekday() + 7)
        return _make(m, "relative", monday, monday + dt.timedelta(days=6), published, precision=2)
    if rel.endswith("this week"):
        monday = p - dt.timedelta(days=p.weekday())
        return _make(m, "relative", monday, p, published, precision=2)
    if rel == "last month":
        last = p.replace(day=1) - dt.timedelta(days=1)
        return _make(m, "relative", last.replace(day=1), last, published, precision=3)
    if rel.endswith("this month"):
        return _make(m, "relative", p.replace(day=1), p, published, precision=3)
    # "last year", "N years ago": background.
    return _make(m, "relative", p - dt.timedelta(days=730), p - dt.timedelta(days=365),
                 published, background=True, precision=3)


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """Every resolvable date expression in ``text``, in text order, without overlaps."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, regex in _PATTERNS:  # the order of _PATTERNS is the order of preference
        for m in regex.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            mention = _parse(kind, m, published)
            if mention is not None:
                found.append(mention)
                taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found
