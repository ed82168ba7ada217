"""Calendar arithmetic for the time rules: months, ISO weeks, weekdays, seasons, decades.

Each function returns ``(value, start, end)``: a TIMEX3 value and the first and last calendar
day it covers (``None`` when the value is underspecified because there is no document date).
"""

from __future__ import annotations

import calendar
import datetime as dt

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Meteorological seasons of the northern hemisphere (the months each one starts and ends in),
# with the TIMEX3 season codes.
SEASONS = {"spring": ("SP", 3, 5), "summer": ("SU", 6, 8), "autumn": ("FA", 9, 11), "fall": ("FA", 9, 11),
           "winter": ("WI", 12, 2)}
# Early, mid and late: the thirds of a month (Chinese 上旬, 中旬, 下旬) or of a decade.
MONTH_THIRDS = {"START": (1, 10), "MID": (11, 20)}
DECADE_THIRDS = {"START": (0, 3), "MID": (4, 6), "END": (7, 9)}


def day_value(year, month, day) -> tuple:
    """A day as (value, start, end); raises ValueError for impossible dates such as 31 June."""
    if year is None:
        dt.date(2000, month, day)  # 2000 is a leap year: 29 February passes
        return f"XXXX-{month:02d}-{day:02d}", None, None
    date = dt.date(year, month, day)
    return date.isoformat(), date, date


def month_span(year: int, month: int, mod: str = "") -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(year, month)[1]
    first_day, last_day = MONTH_THIRDS.get(mod, (21, last) if mod == "END" else (1, last))
    return dt.date(year, month, first_day), dt.date(year, month, last_day)


def shift_months(date: dt.date, months: int) -> dt.date:
    """``date`` moved by whole months, the day clipped to the month's length."""
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(date.day, calendar.monthrange(year, month + 1)[1]))


def unit_value(anchor: dt.date | None, unit: str, offset: int) -> tuple:
    """The day, week, month or year ``offset`` units from the document date."""
    if unit == "day":
        if anchor is None:
            return "XXXX-XX-XX", None, None
        date = anchor + dt.timedelta(days=offset)
        return date.isoformat(), date, date
    if unit == "week":
        if anchor is None:
            return "XXXX-WXX", None, None
        monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(weeks=offset)
        iso = monday.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}", monday, monday + dt.timedelta(days=6)
    if unit == "month":
        if anchor is None:
            return "XXXX-XX", None, None
        first = shift_months(anchor.replace(day=1), offset)
        start, end = month_span(first.year, first.month)
        return f"{first.year}-{first.month:02d}", start, end
    if anchor is None:
        return "XXXX", None, None
    year = anchor.year + offset
    return str(year), dt.date(year, 1, 1), dt.date(year, 12, 31)


def weekday_date(anchor: dt.date, weekday: int, direction: str, strict: bool = False) -> dt.date:
    """The nearest ``weekday`` (0 = Monday) to the document date in the direction of the tense:
    ``past`` the latest on or before it, ``future`` the next on or after it (``strict``: never
    the document date itself, as for "last Friday" and "next Friday")."""
    if direction == "future":
        ahead = (weekday - anchor.weekday()) % 7 or (7 if strict else 0)
        return anchor + dt.timedelta(days=ahead)
    back = (anchor.weekday() - weekday) % 7 or (7 if strict else 0)
    return anchor - dt.timedelta(days=back)


def season_value(year: int | None, name: str) -> tuple:
    code, first, last = SEASONS[name.lower()]
    if year is None:
        return f"XXXX-{code}", None, None
    end_year = year + 1 if last < first else year
    start = dt.date(year, first, 1)
    end = dt.date(end_year, last, calendar.monthrange(end_year, last)[1])
    return f"{year}-{code}", start, end


def decade_value(decade: int, mod: str = "") -> tuple:
    """``decade`` is its first year (1960); early, mid and late take thirds of it."""
    low, high = DECADE_THIRDS.get(mod, (0, 9))
    return f"{decade // 10}", dt.date(decade + low, 1, 1), dt.date(decade + high, 12, 31)


def century_value(number: int) -> tuple:
    """The ``number``-th century: the 20th is 1901-2000 by count, written ``19`` in TIMEX3."""
    first = (number - 1) * 100 + 1
    return f"{number - 1:02d}", dt.date(first, 1, 1), dt.date(first + 99, 12, 31)


def fit_year(start: dt.date | None, anchor: dt.date | None, direction: str) -> int:
    """Years to add to a date read without a year so that it lies on the side of the document
    date the tense implies: a past "November" in a January story is last year's."""
    if start is None or anchor is None:
        return 0
    if direction == "past" and start > anchor + dt.timedelta(days=31):
        return -1
    if direction == "future" and start < anchor - dt.timedelta(days=62):
        return 1
    return 0
