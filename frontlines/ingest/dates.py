"""Publication dates: ISO 8601 first, a few unambiguous written forms, nothing ambiguous.

``17/08/2017`` is rejected on purpose: day/month order cannot be known from the string,
and a wrong date silently moves an event to another month.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

__all__ = ["DATE_HINT", "parse_date"]

DATE_HINT = ("expected an ISO 8601 date such as 2017-08-19 or a date-time such as "
             "2017-08-19T14:30:00+03:00")

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
