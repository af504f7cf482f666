"""Publication dates: ISO 8601 first, a few unambiguous written forms, nothing ambiguous.

``17/08/2017`` is rejected on purpose: day/month order cannot be known from the string,
and a wrong date silently moves an event to another month.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

__all__ = ["ALLOW_HINT", "DATE_HINT", "EARLIEST_DATE", "implausible_date", "parse_date",
           "plausible_range"]

DATE_HINT = ("expected an ISO 8601 date such as 2017-08-19 or a date-time such as "
             "2017-08-19T14:30:00+03:00")
# Publication dates before this, or after tomorrow, are typos (1800, 9999, 2107) until the
# user says otherwise (--allow-dates): one would silently move every event it dates.
EARLIEST_DATE = dt.date(1900, 1, 1)
ALLOW_HINT = ("check the year, or pass --allow-dates (FRONTLINES_ALLOW_DATES=1) to read it "
              "as written")

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_MONTH = r"([a-z]+)\.?"
# "19 August 2017", "Saturday, 19 Aug. 2017"
_DAY_MONTH_YEAR = re.compile(rf"^{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})$")
# "August 19, 2017", "Aug 19 2017"
_MONTH_DAY_YEAR = re.compile(rf"^{_WEEKDAY}{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$")
_RFC822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def parse_date(value: str) -> dt.date | dt.datetime:
    """Parse a publication date; raise ``ValueError`` when it is not one we can trust.

    Accepts ISO 8601 dates (``2017-08-19``) and date-times (``2017-08-19T14:30``,
    ``...Z``, ``...+03:00``), written dates with a month name (``19 August 2017``,
    ``August 19, 2017``) and RFC 822 date-times (``Sat, 19 Aug 2017 06:00:00 +0300``).
    Purely numeric non-ISO forms such as ``17/08/2017`` are refused.
    """
    text = " ".join(value.split())
    if _ISO_DATE.match(text):
        return dt.date.fromisoformat(text)
    if _ISO_DATETIME.match(text):
        return dt.datetime.fromisoformat(text)
    lowered = text.lower()
    match = _DAY_MONTH_YEAR.match(lowered)
    if match:
        day, month, year = match.groups()
    else:
        match = _MONTH_DAY_YEAR.match(lowered)
        if not match:
            return _rfc822(text)
        month, day, year = match.groups()
    if month not in _MONTHS:
        raise ValueError(f"{month!r} is not a month name")
    return dt.date(int(year), _MONTHS[month], int(day))


def _rfc822(text: str) -> dt.datetime:
    """An e-mail/RSS date such as ``Sat, 19 Aug 2017 06:00:00 +0300``."""
    if not _RFC822.match(text):
        raise ValueError(f"{text!r} is not an ISO 8601 date")
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"{text!r} is not a valid RFC 822 date") from None


def plausible_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The publication dates taken without a question: 1900-01-01 to tomorrow (inclusive).

    Tomorrow, because a date-time written in UTC+14 is already tomorrow in most places.
    """
    today = today if today is not None else dt.date.today()
    return EARLIEST_DATE, today + dt.timedelta(days=1)


def implausible_date(value: dt.date | dt.datetime, *,
                     today: dt.date | None = None) -> str | None:
    """Why ``value`` is not a plausible publication date (the problem and the fix), else None.

    A date-time is judged by its own calendar day (the day its writer saw).
    """
    day = value.date() if isinstance(value, dt.datetime) else value
    earliest, latest = plausible_range(today)
    if earliest <= day <= latest:
        return None
    return (f"the publication date {day.isoformat()} is outside the plausible range "
            f"{earliest.isoformat()} to {latest.isoformat()}; {ALLOW_HINT}")
