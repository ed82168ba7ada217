"""Temporal expressions: a small rule set in the HeidelTime style, normalised to TIMEX3 values.

Each rule is a regular expression and a normalisation function (Strötgen and Gertz 2010).
Values follow TIMEX3 (Pustejovsky et al. 2003): ``2022-09-12`` a day, ``2022-09`` a month,
``2022-W37`` an ISO week, ``2022`` a year, ``PAST_REF`` a vague past, and ``X`` for what the
text leaves open (``XXXX-09-12``) when there is no document date to fill it in. Conventions:

- The span keeps a leading ``on``, ``in``, ``during``, ``at``, ``from`` or ``between`` (TimeML
  tags it as a separate SIGNAL) so that a range reads as one expression; ``since``, ``by``,
  ``until``, ``before`` and ``after`` change the meaning and stay outside the span.
- A range is one expression; its value is an ISO 8601 interval ``2022-09-14/2022-09-16``.
- Early, mid and late are mods START, MID and END; their dates are the thirds of the month
  that Chinese uses (上旬 1-10, 中旬 11-20, 下旬 21 to the end).
- A month or day without a year takes the document's year, whatever the tense.
- "the 12th" alone is the 12th of the document's month if that is not after the document date,
  else of the month before (news reports mostly look back).
- Numeric dates are day/month/year (``15/09/2022``), as outside the United States, unless the
  second number cannot be a month (``09/15/2022``).
- "on the day of X" is anchored to an event, not a date: its value stays ``XXXX-XX-XX`` here
  and the chronology stage dates it from the event it names.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from ._regex import lowered, max_width, required_words

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
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
# Signals kept inside the span; any other preposition a rule matches is cut off.
KEPT_SIGNALS = frozenset({"on", "in", "during", "at", "from", "between"})
MODS = {"early": "START", "beginning": "START", "start": "START", "mid": "MID", "middle": "MID",
        "late": "END", "end": "END"}

_FULL_MONTHS = [name for name in MONTHS if len(name) > 4 or name in ("May", "June", "July")]
_MONTH = (
    r"(?P<{name}>" + "|".join(_FULL_MONTHS) + r"|(?:"
    + "|".join(sorted(set(MONTHS) - set(_FULL_MONTHS), key=len, reverse=True)) + r")\.?)(?![\w-])"
)
_DAY = r"(?P<{name}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>(?:1[89]|20)\d\d)"
_WEEKDAY = r"(?:(?:" + "|".join(WEEKDAYS) + r"|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?),?\s+(?:the\s+)?)?"
_ON = r"(?:(?P<prep>(?i:on|in|during|at|since|by|until|before|after))\s+)?"
_FROM = r"(?:(?P<prep>(?i:from|between|since))\s+)?"
_TO = r"\s*(?:-|\u2013|\u2014|(?i:to|until|till|through|and))\s*"
_END = r"(?![\w-])"


def _m(name="month"):
    return _MONTH.format(name=name)


def _d(name="day"):
    return _DAY.format(name=name)


def _y(name="year"):
    return _YEAR.format(name=name)


@dataclass(frozen=True)
class Timex:
    """One normalised expression; dates are ``None`` when the value is underspecified."""

    start: int
    end: int
    timex_type: str
    timex_value: str
    timex_mod: str
    start_date: dt.date | None
    end_date: dt.date | None
    rule: str


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: rules key caches
class Rule:
    name: str
    pattern: re.Pattern
    normalise: Callable  # (match, document_date) -> (type, value, mod, start, end) or None
    anchor: str = ""  # a key of ANCHORS: every match holds one, so it is looked for only near one


# ---------------------------------------------------------------- normalisation helpers


def _month_number(text: str) -> int:
    return MONTHS[text.rstrip(".")]


def _day_value(year, month, day) -> tuple:
    """A day as (value, start, end); raises ValueError for impossible dates such as 31 June."""
    if year is None:
        dt.date(2000, month, day)  # 2000 is a leap year: 29 February passes
        return f"XXXX-{month:02d}-{day:02d}", None, None
    date = dt.date(year, month, day)
    return date.isoformat(), date, date


def _year_of(match, anchor, group="year") -> int | None:
    text = match.groupdict().get(group)
    if text:
        return int(text)
    return anchor.year if anchor else None


def _date(match, anchor):
    year = _year_of(match, anchor)
    value, start, end = _day_value(year, _month_number(match["month"]), int(match["day"]))
    return "DATE", value, "", start, end


def _iso(match, anchor):
    value, start, end = _day_value(int(match["year"]), int(match["month"]), int(match["day"]))
    return "DATE", value, "", start, end


def _numeric(match, anchor):
    first, second = int(match["a"]), int(match["b"])
    day, month = (second, first) if second > 12 >= first else (first, second)
    value, start, end = _day_value(int(match["year"]), month, day)
    return "DATE", value, "", start, end


def _range(match, anchor):
    months = match.groupdict()
    month1 = _month_number(months.get("month1") or months["month"])
    month2 = _month_number(months.get("month2") or months.get("month") or months["month1"])
    year = _year_of(match, anchor)
    day1, day2 = int(match["day1"]), int(match["day2"])
    first, start, _ = _day_value(year, month1, day1)
    last, _, end = _day_value(year, month2, day2)
    if start and end and end < start:
        return None
    if year is None and (month1, day1) > (month2, day2):
        return None
    return "DATE", f"{first}/{last}", "", start, end


def _month_span(year: int, month: int, mod: str = "") -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(year, month)[1]
    first_day, last_day = {"START": (1, 10), "MID": (11, 20), "END": (21, last)}.get(mod, (1, last))
    return dt.date(year, month, first_day), dt.date(year, month, last_day)


def _month(match, anchor):
    year = _year_of(match, anchor)
    month = _month_number(match["month"])
    part = (match.groupdict().get("part") or "").lower()
    mod = next((code for word, code in MODS.items() if word in part), "")
    if year is None:
        return "DATE", f"XXXX-{month:02d}", mod, None, None
    start, end = _month_span(year, month, mod)
    return "DATE", f"{year}-{month:02d}", mod, start, end


def _year(match, anchor):
    year = int(match["year"])
    return "DATE", str(year), "", dt.date(year, 1, 1), dt.date(year, 12, 31)


def _ordinal_day(match, anchor):
    day = int(match["day"])
    if anchor is None:
        if day > 31:
            return None
        return "DATE", f"XXXX-XX-{day:02d}", "", None, None
    year, month = anchor.year, anchor.month
    if day > anchor.day:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    if day > calendar.monthrange(year, month)[1]:
        return None
    date = dt.date(year, month, day)
    return "DATE", date.isoformat(), "", date, date


_DAY_OFFSETS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
                "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}
_UNIT_OFFSETS = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}


def _relative_day(match, anchor):
    offset = _DAY_OFFSETS[" ".join(match["word"].lower().split())]
    if anchor is None:
        return "DATE", "XXXX-XX-XX", "", None, None
    date = anchor + dt.timedelta(days=offset)
    return "DATE", date.isoformat(), "", date, date


def _unit_value(anchor: dt.date | None, unit: str, offset: int) -> tuple:
    """The week, month or year ``offset`` units from the document date, as (value, start, end)."""
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
        index = anchor.year * 12 + anchor.month - 1 + offset
        year, month = divmod(index, 12)
        start, end = _month_span(year, month + 1)
        return f"{year}-{month + 1:02d}", start, end
    if anchor is None:
        return "XXXX", None, None
    year = anchor.year + offset
    return str(year), dt.date(year, 1, 1), dt.date(year, 12, 31)


def _relative_unit(match, anchor):
    offset = _UNIT_OFFSETS.get((match.groupdict().get("which") or "this").lower(), 0)
    value, start, end = _unit_value(anchor, match["unit"].lower(), offset)
    return "DATE", value, "", start, end


def _ago(match, anchor):
    count = match["count"].lower()
    number = NUMBER_WORDS.get(count) or (1 if count in ("a", "an") else int(count))
    unit = match["unit"].lower().rstrip("s")
    if unit == "week" and anchor is not None:
        # The week that held the day ``number`` weeks back.
        value, start, end = _unit_value(anchor - dt.timedelta(weeks=number), "week", 0)
    else:
        value, start, end = _unit_value(anchor, unit, -number)
    return "DATE", value, "", start, end


def _reference(value):
    return lambda match, anchor: ("DATE", value, "", None, None)


def _duration(match, anchor):
    count = match["count"].lower()
    number = NUMBER_WORDS.get(count) or int(count)
    return "DURATION", f"P{number}{match['unit'][0].upper()}", "", None, None


_SET_UNITS = {"daily": "D", "weekly": "W", "monthly": "M", "annually": "Y", "yearly": "Y",
              "day": "D", "week": "W", "month": "M", "year": "Y"}


def _set(match, anchor):
    return "SET", f"P1{_SET_UNITS[match.group(0).lower().split()[-1]]}", "", None, None


def _event_anchored(match, anchor):
    return "DATE", "XXXX-XX-XX", "", None, None


# ---------------------------------------------------------------- the rules, most specific first

_UNITS = r"(?P<unit>(?i:day|week|month|year))"
_COUNT = r"(?P<count>\d{1,3}|(?i:" + "|".join(NUMBER_WORDS) + r"))"
# "the 7th" is a date only when no noun follows it: "the 7th Oriental Economic Forum" is not.
_NOT_A_NOUN_NEXT = (
    r"(?!\s+(?!(?:and|or|at|in|on|of|when|while|with|as|after|before|to|from|for|by|was|is|were|"
    r"will|the|a|an|this|that|but|he|she|it|they|we)\b)[A-Za-z])"
)

RULES = [
    Rule("event_anchored_day", re.compile(r"(?i:\bon\s+the\s+day\s+of)\s+[^,.;:!?\n]+"), _event_anchored),
    Rule("iso_date", re.compile(r"(?<![\w./-])(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?![\w/-])"), _iso),
    Rule("numeric_date", re.compile(r"(?<![\w./-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})(?![\w/.-]\w)"), _numeric),
    Rule("range_cross_month", re.compile(
        _FROM + _WEEKDAY + _d("day1") + r"\s+(?:of\s+)?" + _m("month1") + _TO + _WEEKDAY + _d("day2") + r"\s+(?:of\s+)?"
        + _m("month2") + r"(?:,?\s+" + _y() + r")?" + _END), _range, anchor="month name"),
    Rule("range_cross_month", re.compile(
        _FROM + _WEEKDAY + _m("month1") + r"\s+" + _d("day1") + _TO + _WEEKDAY + _m("month2") + r"\s+" + _d("day2")
        + r"(?:,?\s+" + _y() + r")?" + _END), _range, anchor="month name"),
    Rule("range_month_day_day", re.compile(
        _FROM + _m() + r"\s+" + _d("day1") + _TO + _d("day2") + r"(?:,?\s+" + _y() + r")?" + _END), _range, anchor="month name"),
    Rule("range_day_day_month", re.compile(
        _FROM + r"(?<![\w-])" + _d("day1") + _TO + r"(?:the\s+)?" + _d("day2") + r"\s+(?:of\s+)?" + _m()
        + r"(?:,?\s+" + _y() + r")?" + _END), _range, anchor="month name"),
    Rule("day_month_year", re.compile(
        _ON + _WEEKDAY + r"(?<![\w-])" + _d() + r"\s+(?:of\s+)?" + _m() + r",?\s+" + _y() + _END), _date, anchor="month name"),
    Rule("month_day_year", re.compile(_ON + _WEEKDAY + _m() + r"\s+" + _d() + r",?\s+" + _y() + _END), _date, anchor="month name"),
    Rule("day_month", re.compile(_ON + _WEEKDAY + r"(?<![\w-])" + _d() + r"\s+(?:of\s+)?" + _m() + _END), _date, anchor="month name"),
    Rule("month_day", re.compile(_ON + _WEEKDAY + _m() + r"\s+" + _d() + r"(?![\w-]|,\d)"), _date, anchor="month name"),
    Rule("part_of_month", re.compile(
        _ON + r"(?P<part>(?i:(?:the\s+)?(?:early|mid|late)|the\s+(?:beginning|start|middle|end)\s+of))[\s-]?" + _m()
        + r"(?:,?\s+" + _y() + r")?" + _END), _month, anchor="month name"),
    Rule("month_year", re.compile(_ON + _m() + r",?\s+(?:of\s+)?" + _y() + _END), _month, anchor="month name"),
    Rule("month", re.compile(r"(?P<prep>(?i:in|during|since|by|until|before|after))\s+" + _m() + r"(?!\s*\d)" + _END), _month, anchor="month name"),
    Rule("year", re.compile(r"(?P<prep>(?i:in|during|since|by|until|before|after|throughout|of))\s+(?<![\w-])" + _y() + _END), _year, anchor="year"),
    Rule("ordinal_day", re.compile(r"(?:(?P<prep>(?i:on|since|by|until|before|after))\s+)?\bthe\s+(?P<day>3[01]|[12]\d|[1-9])(?:st|nd|rd|th)\b" + _NOT_A_NOUN_NEXT), _ordinal_day, anchor="ordinal"),
    Rule("relative_day", re.compile(r"(?<![\w-])(?P<word>(?i:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|today|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)))" + _END), _relative_day, anchor="words"),
    Rule("relative_unit", re.compile(r"(?i:\b(?:(?:earlier|later)\s+)?(?P<which>this|current|last|past|previous|next|coming)\s+)" + _UNITS + r"\b(?!\s*'s)"), _relative_unit, anchor="words"),
    Rule("relative_unit", re.compile(r"(?i:\b(?:during|within|throughout)\s+the\s+)" + _UNITS + r"\b(?!\s+(?:of|before|after|ago|\d))"), _relative_unit, anchor="words"),
    Rule("ago", re.compile(r"(?<![\w-])(?P<count>\d{1,3}|(?i:a|an|" + "|".join(NUMBER_WORDS) + r"))\s+(?P<unit>(?i:days?|weeks?|months?|years?))\s+(?i:ago)\b"), _ago, anchor="words"),
    Rule("past_ref", re.compile(r"(?i:\b(?:(?:in|over|during)\s+(?:the\s+)?(?:recent|past\s+few|last\s+few)\s+(?:days|weeks|months|years)|recently|lately|in\s+recent\s+times)\b)"), _reference("PAST_REF"), anchor="words"),
    Rule("future_ref", re.compile(r"(?i:\b(?:in|over)\s+the\s+(?:coming|next\s+few)\s+(?:days|weeks|months|years)\b|\bin\s+the\s+near\s+future\b)"), _reference("FUTURE_REF"), anchor="words"),
    Rule("duration", re.compile(r"(?<![\w-])" + _COUNT + r"[\s-]+" + r"(?P<unit>(?i:days?|weeks?|months?|years?))(?:[\s-]+(?i:long))?\b(?!\s+(?i:ago|old))"), _duration),
    Rule("set", re.compile(r"(?i:\bevery\s+(?:day|week|month|year)\b|\b(?:daily|weekly|monthly|annually|yearly)\b(?!\s+[a-z]))"), _set, anchor="words"),
]
RULE_NAMES = sorted({rule.name for rule in RULES})


def find(raw: str, document_date: dt.date | None = None) -> list[Timex]:
    """All temporal expressions in ``raw``, left to right; overlaps go to the longer match."""
    candidates = []
    anchors = Anchors(raw)
    for priority, rule in enumerate(RULES):
        for match in anchors.finditer(rule):
            try:
                result = rule.normalise(match, document_date)
            except (ValueError, KeyError):
                result = None
            if result is None:
                # An impossible date ("31 June 2022") still blocks its parts ("June 2022").
                candidates.append((Timex(match.start(), match.end(), "", "", "", None, None, ""), priority))
                continue
            start = match.start()
            prep = match.groupdict().get("prep")
            if prep and prep.lower() not in KEPT_SIGNALS:
                start = match.end("prep")
                while raw[start].isspace():
                    start += 1
            candidates.append((Timex(start, match.end(), *result, rule.name), priority))
    ranked = [timex for timex, _ in sorted(candidates, key=lambda c: (-(c[0].end - c[0].start), c[1], c[0].start))]
    if all(t.end > t.start for t in ranked):
        chosen = _disjoint(ranked)
    else:  # an empty span: the plain pairwise check
        chosen = []
        for timex in ranked:
            if all(timex.end <= other.start or timex.start >= other.end for other in chosen):
                chosen.append(timex)
    return sorted((t for t in chosen if t.rule), key=lambda t: t.start)


# Rules with an anchor (a month name, a year, "the 12th", or words): every match holds the
# anchor, and a match attempt reads at most ``reach`` characters from where it starts, looking
# ahead included (the pattern is bounded once runs of white space are). So the rule's
# ``finditer`` matches over the whole text are exactly those that start at or before an anchor
# in windows from ``reach + 1`` characters before each anchor to ``reach`` after it (merged
# where they overlap):
# - a match starts at most ``reach`` before each anchor it holds, so none starts before its
#   window or crosses into the next one, and the regex still sees the text before the window
#   (``pos`` keeps look-behinds);
# - an attempt that starts at or before the window's last anchor reads only inside the window,
#   so it matches or fails as in the whole text; past the last anchor, a match can only be an
#   artefact of the cut ("Mar|s" read as "Mar"), and is dropped.
# Scanning a few windows instead of the whole text is most of the speed of ``find``.
# tests/test_chronology.py checks the equality with plain ``finditer`` on random texts.
#
# Each anchor is (a quick pattern whose matches start at every place the anchor can, the
# anchor itself, as the rules spell it). A rule anchored on "words" is anchored on the words of
# which its every match holds one (``_regex.required_words``), looked for in lower case.
ANCHORS = {
    "month name": (re.compile(r"[ADFJMNOS][a-z]{2,8}"), re.compile(_m("name"))),
    "year": (re.compile(r"[12][089]\d\d"), re.compile(r"(?<![\w-])" + _y() + _END)),
    "ordinal": (None, re.compile(r"\bthe\s+(?:3[01]|[12]\d|[1-9])(?:st|nd|rd|th)\b")),
}
_SPACE_RUNS = {width: re.compile(r"\s{%d}" % (width + 1)) for width in (1, 2, 4, 8, 16, 32, 64)}


class Anchors:
    """Where a text's anchors are, to run each anchored rule near its anchors only."""

    def __init__(self, raw: str):
        self.raw = raw
        self._positions: dict[str | tuple[str, ...], list[int] | None] = {}
        self._widest_space = -1

    def positions(self, anchor: str | tuple[str, ...]) -> list[int] | None:
        """Where ``anchor`` (a key of ANCHORS, or words) starts in the text; ``None`` if that
        cannot be told (then the whole text is scanned)."""
        if anchor not in self._positions:
            if isinstance(anchor, tuple):  # words, case-insensitive: found in the lower-cased text
                self._positions[anchor] = _occurrences(anchor, self.lowered)
                return self._positions[anchor]
            quick, exact = ANCHORS[anchor]
            if quick is None:
                self._positions[anchor] = [match.start() for match in exact.finditer(self.raw)]
            else:
                self._positions[anchor] = [
                    match.start() for match in quick.finditer(self.raw) if exact.match(self.raw, match.start())
                ]
        return self._positions[anchor]

    def widest_space(self) -> int:
        """A bound on the longest run of white space: 1, 2, 4, ... or 65 for longer."""
        if self._widest_space < 0:
            self._widest_space = next((w for w, run in _SPACE_RUNS.items() if not run.search(self.raw)), 65)
        return self._widest_space

    @functools.cached_property
    def lowered(self) -> str | None:
        return lowered(self.raw)

    def windows(self, rule: Rule) -> list[tuple[int, int, int]] | None:
        """``(start, end, last anchor)`` spans that hold every match of ``rule``; ``None``
        means the whole text."""
        anchor = _rule_words(rule) if rule.anchor == "words" else rule.anchor
        if not anchor:
            return None
        positions = self.positions(anchor)
        if positions is None:
            return None
        reach = _reach(rule, self.widest_space()) if positions else 0
        if reach is None:
            return None
        windows: list[tuple[int, int, int]] = []
        for position in positions:
            low, high = max(0, position - reach - 1), min(len(self.raw), position + reach)
            if windows and low <= windows[-1][1]:
                windows[-1] = (windows[-1][0], high, position)
            else:
                windows.append((low, high, position))
        return windows

    def finditer(self, rule: Rule):
        """The matches of ``rule.pattern.finditer(raw)``, found inside the windows."""
        windows = self.windows(rule)
        if windows is None:
            yield from rule.pattern.finditer(self.raw)
            return
        for low, high, last_anchor in windows:
            for match in rule.pattern.finditer(self.raw, low, high):
                if match.start() > last_anchor:
                    break  # past the window's anchors: an artefact of the cut
                yield match


def _occurrences(words: tuple[str, ...], text: str | None) -> list[int] | None:
    """Every start of every word in ``text``, overlaps included, in order; ``None`` if no text."""
    if text is None:
        return None
    found = []
    for word in words:
        position = text.find(word)
        while position >= 0:
            found.append(position)
            position = text.find(word, position + 1)
    return sorted(found)


@functools.lru_cache(maxsize=1024)
def _reach(rule: Rule, widest_space: int) -> int | None:
    """How far past its start a match of ``rule`` can read (look-aheads included) when no run
    of white space is longer than ``widest_space``; ``None`` if unbounded (scan everything)."""
    if widest_space > 64:
        return None
    # Look-aheads read on: count them as consumed. Runs of white space are at most widest_space.
    pattern = rule.pattern.pattern.replace("(?=", "(?:").replace("(?!", "(?:")
    pattern = pattern.replace(r"\s+", rf"\s{{1,{widest_space}}}").replace(r"\s*", rf"\s{{0,{widest_space}}}")
    widest = max_width(pattern, rule.pattern.flags)
    return None if widest is None else widest + 1  # + 1: a final \b reads one more character


@functools.lru_cache(maxsize=64)
def _rule_words(rule: Rule) -> tuple[str, ...] | None:
    return required_words(rule.pattern)


def _disjoint(ranked: list[Timex]) -> list[Timex]:
    """Each span in turn, kept unless it overlaps one kept before (all spans non-empty).

    The kept spans never overlap, so sorted by start they are sorted by end too: a new span
    overlaps one of them only if it overlaps the last kept span that starts before its end.
    """
    chosen: list[Timex] = []
    starts: list[int] = []
    ends: list[int] = []
    for timex in ranked:
        i = bisect.bisect_left(starts, timex.end)
        if i and ends[i - 1] > timex.start:
            continue
        starts.insert(i, timex.start)
        ends.insert(i, timex.end)
        chosen.append(timex)
    return chosen
