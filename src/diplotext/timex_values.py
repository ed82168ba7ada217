"""The normalisation functions of the time rules: a match and its context to a TIMEX3 value.

Each returns ``(type, value, mod, start, end, anchor)`` or ``None`` when the match is no date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import timex_calendar as cal
from .timex_calendar import WEEKDAYS, day_value, month_span, unit_value

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",),
            ("June", "Jun"), ("July", "Jul"), ("August", "Aug"), ("September", "Sept", "Sep"),
            ("October", "Oct"), ("November", "Nov"), ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                 "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "nineteenth": 19,
                 "twentieth": 20, "twenty-first": 21}
# Signals kept inside the span; any other preposition a rule matches is cut off.
KEPT_SIGNALS = frozenset({"on", "in", "during", "at", "from", "between", "last", "next", "this"})
MODS = {"early": "START", "beginning": "START", "start": "START", "mid": "MID", "middle": "MID",
        "late": "END", "end": "END"}
DURATION_MODS = {"more than": "MORE_THAN", "over": "MORE_THAN", "less than": "LESS_THAN", "under": "LESS_THAN",
                 "nearly": "LESS_THAN", "almost": "LESS_THAN", "about": "APPROX", "around": "APPROX",
                 "some": "APPROX", "at least": "EQUAL_OR_MORE"}
# Vague references that still denote the publication day (GUIDELINES: now, currently).
PRESENT_WORDS = r"now|currently|at\s+present|presently|nowadays|at\s+the\s+moment"



@dataclass
class Context:
    """What a normalisation may read besides the match: the document date and the tense there."""

    date: dt.date | None
    # character offset -> "past", "future" or ""; with a final "?" when the expression hangs on
    # a noun ("talks on Monday"), so that the verb's tense is only a weak sign
    tense: Callable[[int], str]
    weekdays: dict = field(default_factory=dict)  # weekday -> the day it was last resolved to

    def verb_tense(self, position: int) -> str:
        return self.tense(position).rstrip("?")




def _dated(value_start_end: tuple, anchor: str = "", mod: str = "") -> tuple:
    """A DATE result from ``(value, start, end)``."""
    value, start, end = value_start_end
    return "DATE", value, mod, start, end, anchor


def _month_number(text: str) -> int:
    return MONTHS[text.rstrip(".")]


def _number(text: str) -> int:
    text = text.lower()
    return NUMBER_WORDS.get(text) or (1 if text in ("a", "an") else int(text))


def read_relative_year(match, ctx) -> tuple[int | None, str]:
    """The year a match names, or the document's (moved by "next year" or by the tense)."""
    groups = match.groupdict()
    if groups.get("year"):
        return int(groups["year"]), ""
    if ctx.date is None:
        return None, ""
    rel = (groups.get("rel") or "").lower()
    if rel:
        return ctx.date.year + {"next": 1, "last": -1}.get(rel, 0), "document date"
    return ctx.date.year, "document date"


def _placed(value_start_end, match, ctx, build):
    """Move a date read without a year to the side of the document date its tense implies."""
    groups = match.groupdict()
    if groups.get("year") or groups.get("rel") or ctx.date is None:
        return value_start_end
    direction = {"last": "past", "next": "future"}.get((groups.get("prep") or "").lower()) or ctx.verb_tense(match.start())
    shift = cal.fit_year(value_start_end[1], ctx.date, direction)
    return build(ctx.date.year + shift) if shift else value_start_end


def read_date(match, ctx):
    year, anchor = read_relative_year(match, ctx)
    month, day = _month_number(match["month"]), int(match["day"])
    value, start, end = _placed(day_value(year, month, day), match, ctx, lambda y: day_value(y, month, day))
    return "DATE", value, "", start, end, anchor


def read_iso(match, ctx):
    return _dated(day_value(int(match["year"]), int(match["month"]), int(match["day"])), "")


def read_numeric(match, ctx):
    first, second = int(match["a"]), int(match["b"])
    day, month = (second, first) if second > 12 >= first else (first, second)
    return _dated(day_value(int(match["year"]), month, day), "")


def read_range(match, ctx):
    groups = match.groupdict()
    month1 = _month_number(groups.get("month1") or groups["month"])
    month2 = _month_number(groups.get("month2") or groups.get("month") or groups["month1"])
    year, anchor = read_relative_year(match, ctx)
    day1, day2 = int(match["day1"]), int(match["day2"])
    first, start, _ = day_value(year, month1, day1)
    last, _, end = day_value(year, month2, day2)
    if start and end and end < start:
        return None
    if year is None and (month1, day1) > (month2, day2):
        return None
    return "DATE", f"{first}/{last}", "", start, end, anchor


def read_month(match, ctx):
    year, anchor = read_relative_year(match, ctx)
    month = _month_number(match["month"])
    part = (match.groupdict().get("part") or "").lower()
    mod = next((code for word, code in MODS.items() if word in part), "")
    if year is None:
        return "DATE", f"XXXX-{month:02d}", mod, None, None, ""

    def build(y):
        return (f"{y}-{month:02d}", *month_span(y, month, mod))

    value, start, end = _placed(build(year), match, ctx, build)
    return "DATE", value, mod, start, end, anchor


def read_year(match, ctx):
    year = int(match["year"])
    return "DATE", str(year), "", dt.date(year, 1, 1), dt.date(year, 12, 31), ""


def read_year_range(match, ctx):
    first, last = int(match["year"]), int(match["year2"])
    if last <= first:
        return None
    return "DATE", f"{first}/{last}", "", dt.date(first, 1, 1), dt.date(last, 12, 31), ""


def read_decade(match, ctx):
    mod = MODS.get((match["part"] or "").lower().strip(" -"), "")
    value, start, end = cal.decade_value(int(match["decade"]), mod)
    return "DATE", value, mod, start, end, ""


def read_century(match, ctx):
    text = match["number"].lower()
    number = ORDINAL_WORDS.get(text) or int(re.sub(r"\D", "", text))
    return _dated(cal.century_value(number))


def read_season(match, ctx):
    name = match["season"].lower()
    if match.groupdict().get("year"):
        return _dated(cal.season_value(int(match["year"]), name), "")
    if ctx.date is None:
        return _dated(cal.season_value(None, name), "")
    offset = {"last": -1, "next": 1, "this": 0}.get((match["which"] or "this").lower(), 0)
    return _dated(cal.season_value(ctx.date.year + offset, name), "document date")


def read_ordinal_day(match, ctx):
    day, anchor = int(match["day"]), ctx.date
    if anchor is None:
        return "DATE", f"XXXX-XX-{day:02d}", "", None, None, ""
    year, month = anchor.year, anchor.month
    if day > anchor.day:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return _dated(day_value(year, month, day), "document date")


_DAY_OFFSETS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "overnight": 0,
                "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}
_UNIT_OFFSETS = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}


# TIMEX3 codes of the parts of a day: "Monday evening" is a TIME, ``2026-01-05TEV``.
DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI", "overnight": "NI"}


def _part_of_day(result: tuple, match, word: str = "") -> tuple:
    """A DATE result as a TIME when the match names a part of the day."""
    groups = match.groupdict()
    part = groups.get("part2") or groups.get("part1") or (word.split()[-1] if word else "")
    code = DAY_PARTS.get((part or "").lower())
    if not code or result[3] is None or "/" in result[1]:
        return result
    return ("TIME", f"{result[1]}T{code}", *result[2:])


def read_relative_day(match, ctx):
    word = " ".join(match["word"].lower().split())
    result = _dated(unit_value(ctx.date, "day", _DAY_OFFSETS[word]), "document date" if ctx.date else "")
    return _part_of_day(result, match, word)


def read_present(match, ctx):
    if ctx.date is None:
        return "DATE", "PRESENT_REF", "", None, None, ""
    return "DATE", "PRESENT_REF", "", ctx.date, ctx.date, "document date"


def read_relative_unit(match, ctx):
    groups = match.groupdict()
    offset = _UNIT_OFFSETS.get((groups.get("which") or "this").lower(), 0)
    unit = match["unit"].lower()
    value, start, end = unit_value(ctx.date, unit, offset)
    if ctx.date and (groups.get("side") or "").lower() == "earlier" and offset == 0 and start < ctx.date:
        # "earlier this week": from the start of the week to the day before the document date.
        end = ctx.date - dt.timedelta(days=1)
        value = f"{start.isoformat()}/{end.isoformat()}"
    return "DATE", value, "", start, end, "document date" if ctx.date else ""


def read_weekday(match, ctx):
    day1 = WEEKDAYS.index(match["wd1"].capitalize())
    which = (match["which"] or "").lower()
    if ctx.date is None:
        return "DATE", "XXXX-WXX-" + str(day1 + 1), "", None, None, ""
    reading = ctx.tense(match.start())
    tense = {"last": "past", "past": "past", "next": "future", "coming": "future"}.get(which) or reading.rstrip("?")
    direction = tense or "past"
    if not which and reading.endswith("?") and day1 in ctx.weekdays:
        # "talks between them on Monday": a weekday on a noun is the one the article named before.
        start = ctx.weekdays[day1]
        direction = "earlier mention"
    else:
        start = cal.weekday_date(ctx.date, day1, direction, strict=which in ("last", "next"))
    ctx.weekdays[day1] = start
    end = start
    if match["wd2"]:
        end = start + dt.timedelta(days=(WEEKDAYS.index(match["wd2"].capitalize()) - day1) % 7)
    value = start.isoformat() if end == start else f"{start.isoformat()}/{end.isoformat()}"
    how = "the same weekday named before" if direction == "earlier mention" else f"{direction} tense"
    return _part_of_day(("DATE", value, "", start, end, f"document date, {how}"), match)


def read_weekend(match, ctx):
    if ctx.date is None:
        return "DATE", "XXXX-WXX-WE", "", None, None, ""
    which = (match["which"] or "").lower()
    direction = {"last": "past", "next": "future", "coming": "future"}.get(which) or ctx.verb_tense(match.start()) or "past"
    if ctx.date.weekday() >= 5:  # a weekend story: this weekend
        saturday = ctx.date - dt.timedelta(days=ctx.date.weekday() - 5)
    else:
        saturday = cal.weekday_date(ctx.date, 5, direction)
    iso = saturday.isocalendar()
    return ("DATE", f"{iso[0]}-W{iso[1]:02d}-WE", "", saturday, saturday + dt.timedelta(days=1),
            f"document date, {direction} tense")


def read_ago(match, ctx):
    number = _number(match["count"])
    unit = match["unit"].lower().rstrip("s")
    if match["half"]:  # "two and a half years ago": counted in months
        if unit != "year" or ctx.date is None:
            return "DATE", "PAST_REF", "APPROX", None, None, ""
        month = cal.shift_months(ctx.date, -(number * 12 + 6))
        return ("DATE", f"{month.year}-{month.month:02d}", "APPROX", *month_span(month.year, month.month), "document date")
    if unit == "week" and ctx.date is not None:
        value, start, end = unit_value(ctx.date - dt.timedelta(weeks=number), "week", 0)
    else:
        value, start, end = unit_value(ctx.date, unit, -number)
    return "DATE", value, "", start, end, "document date" if ctx.date else ""


def read_past_span(match, ctx):
    """"the past two months": from that long before the document date up to it."""
    number, unit = _number(match["count"]), match["unit"].lower().rstrip("s")
    if ctx.date is None:
        return "DURATION", f"P{number}{unit[0].upper()}", "", None, None, ""
    if unit in ("month", "year"):
        first = cal.shift_months(ctx.date, -number * (12 if unit == "year" else 1))
    else:
        first = ctx.date - dt.timedelta(days=number * (7 if unit == "week" else 1))
    return "DATE", f"{first.isoformat()}/{ctx.date.isoformat()}", "", first, ctx.date, "document date"


def read_reference(value):
    return lambda match, ctx: ("DATE", value, "", None, None, "")


def read_duration(match, ctx):
    count = match.groupdict().get("count")
    number = _number(count) if count else 1
    unit = match["unit"].lower()
    mod = DURATION_MODS.get(" ".join((match.groupdict().get("mod") or "").lower().split()), "")
    value = f"P{number}{'W' if unit.startswith('week') else unit[0].upper()}"
    if match.groupdict().get("half"):
        value = f"P{number}.5{value[-1]}"
    return "DURATION", value, mod, None, None, ""


_SET_UNITS = {"daily": "D", "weekly": "W", "monthly": "M", "annually": "Y", "yearly": "Y", "annual": "Y",
              "day": "D", "week": "W", "month": "M", "year": "Y"}


def read_set(match, ctx):
    return "SET", f"P1{_SET_UNITS[match.group(0).lower().split()[-1]]}", "", None, None, ""


def read_anniversary(match, ctx):
    """"the 30th anniversary of X" without a year: the anniversary falls in the document's year."""
    if ctx.date is None:
        return "DATE", "XXXX", "", None, None, ""
    return _dated(unit_value(ctx.date, "year", 0), "document date")


def read_open(match, ctx):
    return "DATE", "XXXX-XX-XX", "", None, None, ""
