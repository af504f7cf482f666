"""Date expressions against the publication date (pure functions, property-based)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from frontlines.events.dates import find_dates

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
published = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))


def one(text: str, pub: dt.date | None):
    found = find_dates(text, pub)
    assert len(found) == 1, found
    return found[0]


@given(published)
def test_yesterday_and_last_night(pub):
    for text in ("The army shelled the hills yesterday.", "Clashes broke out last night."):
        d = one(text, pub)
        assert d.date == pub - dt.timedelta(days=1) and d.precision == 1 and not d.background


@given(published)
def test_today_and_this_morning(pub):
    for text in ("Fighting resumed today.", "A drone struck this morning."):
        d = one(text, pub)
        assert d.date == pub and d.precision == 1


@given(published, st.sampled_from(DAYS), st.booleans())
def test_weekday_is_latest_such_day_on_or_before_publication(pub, day, with_on):
    d = one(f"ISIS attacked {'on ' if with_on else ''}{day} near Qaa.", pub)
    assert d.date.strftime("%A") == day
    assert 0 <= (pub - d.date).days <= 6
    assert d.precision == 1


@given(published, st.sampled_from(["early", "mid", "late"]))
def test_part_of_month(pub, part):
    month = MONTHS[pub.month - 1]
    d = one(f"The offensive began in {part} {month}.", pub)
    start = {"early": 1, "mid": 11, "late": 21}[part]
    assert d.date == dt.date(pub.year, pub.month, start)  # ACLED codes a span to its first day
    assert d.precision == 3 and not d.background


@given(published)
def test_last_week_and_weekend(pub):
    week = one("Airstrikes hit Idlib last week.", pub)
    assert week.date.weekday() == 0 and 7 <= (pub - week.date).days <= 13 and week.precision == 2
    weekend = one("Protests spread over the weekend.", pub)
    assert weekend.date.weekday() == 5 and 0 <= (pub - weekend.date).days <= 6
    assert weekend.precision == 2


@given(published, st.integers(min_value=1, max_value=28))
def test_explicit_day_month_takes_publication_year_unless_in_future(pub, day):
    month = MONTHS[(pub.month - 2) % 12]  # the month before publication
    d = one(f"The army captured the hill on {day} {month}.", pub)
    assert d.date.day == day and d.date <= pub and d.precision == 1
    assert (pub - d.date).days < 70


def test_explicit_forms():
    pub = dt.date(2017, 8, 21)
    assert one("on 19 August", pub).date == dt.date(2017, 8, 19)
    assert one("on August 19", pub).date == dt.date(2017, 8, 19)
    assert one("on 19/08", pub).date == dt.date(2017, 8, 19)
    assert one("on 19 August 2016", pub).date == dt.date(2016, 8, 19)
    assert one("on 2017-08-19", pub).date == dt.date(2017, 8, 19)
    assert one("the first half of August", pub).precision == 3


def test_background_expressions():
    pub = dt.date(2017, 8, 21)
    assert one("ISIS has held the hills since 2014.", pub).background
    assert one("The soldiers were captured in 2014.", pub).background
    assert one("The town fell last year.", pub).background
    assert not one("The town fell on Saturday.", pub).background


def test_no_publication_date_only_explicit_dates():
    assert find_dates("The army attacked yesterday and on Saturday.", None) == []
    assert find_dates("The army attacked on 19 August.", None) == []  # no year to anchor it
    d = one("The army attacked on 19 August 2017.", None)
    assert d.date == dt.date(2017, 8, 19)


def test_may_and_march_as_verbs_are_not_months():
    assert find_dates("The army may march on the town.", dt.date(2017, 8, 21)) == []
