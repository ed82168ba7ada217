"""Temporal expressions: a small rule set in the HeidelTime style, normalised to TIMEX3 values.

Each rule is a regular expression and a normalisation function (Strötgen and Gertz 2010).
Values follow TIMEX3 (Pustejovsky et al. 2003): ``2022-09-12`` a day, ``2022-09`` a month,
``2022-W37`` an ISO week, ``2022`` a year, ``196`` a decade, ``2022-SU`` a season, ``P2D`` a
duration, ``PAST_REF`` a vague past, and ``X`` for what the text leaves open (``XXXX-09-12``)
when there is no document date to fill it in. Conventions:

- The span keeps a leading ``on``, ``in``, ``during``, ``at``, ``from`` or ``between`` (TimeML
  tags it as a separate SIGNAL) so that a range reads as one expression; ``since``, ``by``,
  ``until``, ``before`` and ``after`` change the meaning and stay outside the span.
- A range is one expression; its value is an ISO 8601 interval ``2022-09-14/2022-09-16``.
- Early, mid and late are mods START, MID and END; their dates are the thirds of the month
  that Chinese uses (上旬 1-10, 中旬 11-20, 下旬 21 to the end).
- A weekday, a month or a day without a year is placed by the tense of the verb it belongs to
  (``tense``, read from the parse by the times stage): a past "Friday" is the latest Friday on
  or before the document date, a future one the next on or after it; a past "November" in a
  January story is last year's. Without a tense a month or day takes the document's year.
- "the 12th" alone is the 12th of the document's month if that is not after the document date,
  else of the month before (news reports mostly look back).
- Numeric dates are day/month/year (``15/09/2022``), as outside the United States, unless the
  second number cannot be a month (``09/15/2022``).
- "that day", "the same day" and "at that time" take the value of the calendar expression
  before them; "on the day of X" is anchored to an event, and the chronology stage dates it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from .timex_calendar import WEEKDAYS
from .timex_values import (  # noqa: F401  (MONTHS and Context are read from here too)
    KEPT_SIGNALS, MONTHS, NUMBER_WORDS, ORDINAL_WORDS, PRESENT_WORDS, Context, read_ago, read_anniversary,
    read_century, read_date, read_decade, read_duration, read_iso, read_month, read_numeric, read_open,
    read_ordinal_day, read_past_span, read_present, read_range, read_reference, read_relative_day,
    read_relative_unit, read_season, read_set, read_weekday, read_weekend, read_year, read_year_range,
)

_FULL_MONTHS = [name for name in MONTHS if len(name) > 4 or name in ("May", "June", "July")]
_MONTH = (
    r"(?P<{name}>" + "|".join(_FULL_MONTHS) + r"|(?:"
    + "|".join(sorted(set(MONTHS) - set(_FULL_MONTHS), key=len, reverse=True)) + r")\.?)(?![\w-])"
)
_DAY = r"(?P<{name}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>(?:1[6-9]|20)\d\d)"
_WEEKDAY_NAMES = "|".join(WEEKDAYS)
_WEEKDAY = r"(?:(?:" + _WEEKDAY_NAMES + r"|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?),?\s+(?:the\s+)?)?"
_ON = r"(?:\b(?P<prep>(?i:on|in|during|at|since|by|until|before|after))\s+)?"
_FROM = r"(?:\b(?P<prep>(?i:from|between|since))\s+)?"
_TO = r"\s*(?:-|\u2013|\u2014|(?i:to|until|till|through|and))\s*"
_END = r"(?![\w-])"
_REL_YEAR = r"(?:,?\s+(?P<rel>(?i:next|last|this))\s+year)?"
_PART_OF_DAY = r"(?:\s+(?P<part{n}>(?i:morning|afternoon|evening|night)))?"


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
    anchor: str = ""  # what a relative value was resolved against; empty when the text states it


@dataclass(frozen=True, eq=False)
class Rule:
    name: str
    pattern: re.Pattern
    normalise: Callable | None = None  # (match, Context) -> (type, value, mod, start, end, anchor) or None
    # Something every match contains (a month name, a digit, a weekday): a paragraph without it
    # is not searched with the rule. A cheap scan in place of the rule's own, never a change of result.
    gate: re.Pattern | None = None


# ---------------------------------------------------------------- the rules, most specific first

# Every month rule needs a month name, full or abbreviated, and each of them starts with one of these.
_HAS_MONTH = re.compile("|".join(sorted({name[:3] for name in MONTHS})))
_HAS_DIGIT = re.compile(r"\d")
_HAS_WEEKDAY = re.compile(r"(?i:" + _WEEKDAY_NAMES + r")")

_UNITS = r"(?P<unit>(?i:day|week|month|year))"
_COUNT = r"(?P<count>\d{1,3}|(?i:a|an|" + "|".join(NUMBER_WORDS) + r"))"
_PLURAL_UNITS = r"(?P<unit>(?i:days?|weeks?|months?|years?|decades?))"
# "the 7th" is a date only when no noun follows it: "the 7th Oriental Economic Forum" is not.
_NOT_A_NOUN_NEXT = (
    r"(?!\s+(?!(?:and|or|at|in|on|of|when|while|with|as|after|before|to|from|for|by|was|is|were|"
    r"will|the|a|an|this|that|but|he|she|it|they|we)\b)[A-Za-z])"
)
# A year, unless it counts something ("2000 troops") or is money or a share.
_NOT_A_COUNT = r"(?![\w-]|,\d|\.\d|\s*%|\s+(?:percent|per\s+cent|[a-z]+s\b|people))"
_WD = r"(?P<{name}>(?i:" + _WEEKDAY_NAMES + r"))(?:'s)?"
# Anaphoric day references, resolved after all rules ran (``_resolve_anaphora``).
ANAPHORA = {"that day": 0, "the same day": 0, "that same day": 0, "at that time": 0, "the next day": 1,
            "the following day": 1, "the day before": -1, "the previous day": -1}

RULES = [
    Rule("event_anchored_day", re.compile(r"(?i:\bon\s+the\s+day\s+of)\s+[^,.;:!?\n]+"), read_open),
    Rule("iso_date", re.compile(r"(?<![\w./-])(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?![\w/-])"), read_iso, gate=_HAS_DIGIT),
    Rule("numeric_date", re.compile(r"(?<![\w./-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})(?![\w/.-]\w)"), read_numeric, gate=_HAS_DIGIT),
    Rule("range_cross_month", re.compile(
        _FROM + _WEEKDAY + _d("day1") + r"\s+(?:of\s+)?" + _m("month1") + _TO + _WEEKDAY + _d("day2") + r"\s+(?:of\s+)?"
        + _m("month2") + r"(?:,?\s+" + _y() + r")?" + _END), read_range, gate=_HAS_MONTH),
    Rule("range_cross_month", re.compile(
        _FROM + _WEEKDAY + _m("month1") + r"\s+" + _d("day1") + _TO + _WEEKDAY + _m("month2") + r"\s+" + _d("day2")
        + r"(?:,?\s+" + _y() + r")?" + _END), read_range, gate=_HAS_MONTH),
    Rule("range_month_day_day", re.compile(
        _FROM + _m() + r"\s+" + _d("day1") + _TO + _d("day2") + r"(?:,?\s+" + _y() + r")?" + _END), read_range, gate=_HAS_MONTH),
    Rule("range_day_day_month", re.compile(
        _FROM + r"(?<![\w-])" + _d("day1") + _TO + r"(?:the\s+)?" + _d("day2") + r"\s+(?:of\s+)?" + _m()
        + r"(?:,?\s+" + _y() + r")?" + _END), read_range, gate=_HAS_MONTH),
    Rule("day_month_year", re.compile(
        _ON + _WEEKDAY + r"(?<![\w-])" + _d() + r"\s+(?:of\s+)?" + _m() + r",?\s+" + _y() + _END), read_date, gate=_HAS_MONTH),
    Rule("month_day_year", re.compile(_ON + _WEEKDAY + _m() + r"\s+" + _d() + r",?\s+" + _y() + _END), read_date, gate=_HAS_MONTH),
    Rule("day_month", re.compile(_ON + _WEEKDAY + r"(?<![\w-])" + _d() + r"\s+(?:of\s+)?" + _m() + _END), read_date, gate=_HAS_MONTH),
    Rule("month_day", re.compile(_ON + _WEEKDAY + _m() + r"\s+" + _d() + r"(?![\w-]|,\d)"), read_date, gate=_HAS_MONTH),
    Rule("part_of_month", re.compile(
        _ON + r"(?P<part>(?i:(?:the\s+)?(?:early|mid|late)|the\s+(?:beginning|start|middle|end)\s+of))[\s-]?" + _m()
        + r"(?:,?\s+" + _y() + r")?" + _REL_YEAR + _END), read_month, gate=_HAS_MONTH),
    Rule("month_year", re.compile(_ON + _m() + r",?\s+(?:of\s+)?" + _y() + _END), read_month, gate=_HAS_MONTH),
    Rule("month", re.compile(r"(?:(?P<prep>(?i:in|during|since|by|until|before|after|last|next|this))\s+)?"
                             r"(?P<month>January|February|March|April|June|July|August|September|October|November|December)"
                             r"(?!\s*\d)" + _REL_YEAR + _END), read_month, gate=_HAS_MONTH),
    Rule("month", re.compile(r"(?P<prep>(?i:in|during|since|by|until|before|after))\s+(?P<month>May)(?!\s*\d)" + _REL_YEAR + _END), read_month, gate=_HAS_MONTH),
    Rule("year_range", re.compile(r"(?<![\w$.,-])" + _y() + r"\s*[-\u2013]\s*" + _y("year2") + _END), read_year_range, gate=_HAS_DIGIT),
    Rule("year", re.compile(r"\b(?P<prep>(?i:in|during|since|by|until|before|after|throughout|of))\s+(?<![\w-])" + _y() + _NOT_A_COUNT), read_year, gate=_HAS_DIGIT),
    Rule("year", re.compile(r"(?<![\w$€£¥.,/-])" + _y() + _NOT_A_COUNT), read_year, gate=_HAS_DIGIT),
    Rule("decade", re.compile(r"(?i:\bthe\s+)(?P<part>(?i:early|mid-?|late)\s*)?(?P<decade>1[6-9]\d0|20[0-9]0)'?s\b"), read_decade, gate=_HAS_DIGIT),
    Rule("century", re.compile(r"(?i:\bthe\s+)(?P<number>\d{1,2}(?:st|nd|rd|th)|(?i:" + "|".join(ORDINAL_WORDS) + r"))[\s-]+(?i:century)\b"), read_century),
    Rule("season", re.compile(r"(?i:\b(?:(?P<which>this|last|next|the)\s+|in\s+(?:the\s+)?))(?P<season>(?i:spring|summer|autumn|winter|fall))\b(?:\s+(?i:of)\s+" + _y() + r"\b)?(?!\s+(?i:session|olympics|games|school|offensive|palace))"), read_season),
    Rule("season", re.compile(r"(?P<season>(?i:spring|summer|autumn|winter))\s+" + _y() + _END), read_season, gate=_HAS_DIGIT),
    Rule("ordinal_day", re.compile(r"(?:\b(?P<prep>(?i:on|since|by|until|before|after))\s+)?\bthe\s+(?P<day>3[01]|[12]\d|[1-9])(?:st|nd|rd|th)\b" + _NOT_A_NOUN_NEXT), read_ordinal_day, gate=_HAS_DIGIT),
    Rule("weekday", re.compile(
        r"(?<![\w-])(?:(?P<which>(?i:last|next|this|coming|past))\s+)?(?:(?i:early|late)\s+)?" + _WD.format(name="wd1")
        + _PART_OF_DAY.format(n=1) + r"(?:\s*(?:-|\u2013|(?i:to|through|until))\s*(?:(?i:early|late)\s+)?" + _WD.format(name="wd2")
        + _PART_OF_DAY.format(n=2) + r")?" + _END), read_weekday, gate=_HAS_WEEKDAY),
    Rule("weekend", re.compile(r"(?i:\b(?:over\s+)?(?:(?P<which>this|last|next|coming|the)\s+)weekend\b)"), read_weekend),
    Rule("relative_day", re.compile(r"(?<![\w-])(?P<word>(?i:the\s+day\s+(?:before\s+yesterday|after\s+tomorrow)|today|tonight|yesterday|tomorrow|overnight|this\s+(?:morning|afternoon|evening)))(?:\s+(?P<part1>(?i:morning|afternoon|evening|night)))?" + _END), read_relative_day),
    Rule("present_ref", re.compile(r"(?i:\b(?:" + PRESENT_WORDS + r")\b)(?!\s+that\b)"), read_present),
    Rule("relative_unit", re.compile(r"(?i:\b(?:(?P<side>earlier|later)\s+)?(?P<which>this|current|last|past|previous|next|coming)\s+)" + _UNITS + r"\b(?!\s*'s)"), read_relative_unit),
    Rule("relative_unit", re.compile(r"(?i:\b(?:during|within|throughout)\s+the\s+)" + _UNITS + r"\b(?!\s+(?:of|before|after|ago|\d))"), read_relative_unit),
    Rule("ago", re.compile(r"(?<![\w-])" + _COUNT + r"(?P<half>\s+(?i:and\s+a\s+half))?\s+(?P<unit>(?i:days?|weeks?|months?|years?))\s+(?i:ago)\b"), read_ago),
    Rule("past_span", re.compile(r"(?i:\b(?:in\s+|over\s+|for\s+)?the\s+(?:past|last)\s+)" + _COUNT.replace("a|an|", "") + r"\s+" + r"(?P<unit>(?i:days|weeks|months|years))\b"), read_past_span),
    Rule("past_ref", re.compile(r"(?i:\b(?:(?:in|over|during)\s+(?:the\s+)?(?:recent|past\s+few|last\s+few)\s+(?:days|weeks|months|years|decades)|recently|lately|in\s+recent\s+times|in\s+the\s+past|in\s+the\s+old\s+days)\b)(?!\s+(?:\d|two|three|four|five|six|several|few|decade|year|month|week))"), read_reference("PAST_REF")),
    Rule("future_ref", re.compile(r"(?i:\b(?:in|over)\s+the\s+(?:coming|next\s+few)\s+(?:days|weeks|months|years)\b|\bin\s+the\s+(?:near\s+)?future\b|\bsoon\b)"), read_reference("FUTURE_REF")),
    Rule("duration", re.compile(
        r"(?:(?P<mod>(?i:more\s+than|less\s+than|over|under|nearly|almost|about|around|some|at\s+least))\s+)?"
        r"(?<![\w-])" + _COUNT.replace("a|an|", "") + r"(?P<half>\s+(?i:and\s+a\s+half))?[\s-]+" + _PLURAL_UNITS
        + r"(?:[\s-]+(?i:long))?\b(?!\s+(?i:ago|old|later|earlier))(?!-old)"), read_duration),
    Rule("duration", re.compile(r"(?<![\w-])" + r"(?P<unit>(?i:day|week|month|year))-long\b"), read_duration),
    Rule("anniversary", re.compile(r"(?i:\b(?:\d{1,3}(?:st|nd|rd|th)|" + "|".join(ORDINAL_WORDS) + r"|centennial|centenary|bicentennial)\s+anniversary\b)(?![^.;]{0,40}\b(?:1[6-9]|20)\d\d\b)"), read_anniversary),
    Rule("set", re.compile(r"(?i:\bevery\s+(?:day|week|month|year)\b|\b(?:daily|weekly|monthly|annually|yearly)\b(?!\s+[a-z])|\bannual\b)"), read_set),
    Rule("anaphoric_day", re.compile(r"(?i:\b(?:on\s+)?(?:" + "|".join(k.replace(" ", r"\s+") for k in sorted(ANAPHORA, key=len, reverse=True)) + r")\b)"), read_open),
]
RULE_NAMES = sorted({rule.name for rule in RULES})
STATED_RULES = frozenset({
    "iso_date", "numeric_date", "range_cross_month", "range_month_day_day", "range_day_day_month",
    "day_month_year", "month_day_year", "day_month", "month_day", "part_of_month", "month_year", "month", "year",
    "year_range", "decade", "century", "season",
})


def _no_tense(position: int) -> str:
    return ""


def find(raw: str, document_date: dt.date | None = None, tense: Callable[[int], str] | None = None) -> list[Timex]:
    """All temporal expressions in ``raw``, left to right; overlaps go to the longer match.

    ``tense(offset)`` says whether the verb governing the text at ``offset`` is past or
    future ("past", "future" or ""); it places weekdays and dates given without a year.
    """
    ctx = Context(document_date, tense or _no_tense)
    candidates = []
    for priority, rule, match in _matches(raw):
        try:
            result = rule.normalise(match, ctx)
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
        if start < match.end():
            candidates.append((Timex(start, match.end(), *result[:5], rule.name, result[5]), priority))
    ranked = [timex for timex, _ in sorted(candidates, key=lambda c: (-(c[0].end - c[0].start), c[1], c[0].start))]
    chosen = sorted((t for t in _disjoint(ranked) if t.rule), key=lambda t: t.start)
    return _resolve_anaphora(raw, chosen)


_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


def paragraphs(raw: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph: the text between blank lines."""
    cuts = [m.start() for m in _PARAGRAPH_BREAK.finditer(raw)]
    return list(zip([0, *(c + 1 for c in cuts)], [*cuts, len(raw)]))


def _matches(raw: str):
    """``(priority, rule, match)`` for every match of every rule, paragraph by paragraph.

    An expression, and the context its rule looks at, never reaches across a blank line; a
    paragraph is searched with a rule only if it holds what every match of the rule holds.
    """
    spans = paragraphs(raw)
    passing = {None: spans}
    for priority, rule in enumerate(RULES):
        if rule.gate not in passing:
            passing[rule.gate] = [(a, b) for a, b in spans if rule.gate.search(raw, a, b)]
        for start, end in passing[rule.gate]:
            for match in rule.pattern.finditer(raw, start, end):
                yield priority, rule, match


def _resolve_anaphora(raw: str, timexes: list[Timex]) -> list[Timex]:
    """"that day", "at that time": the value of the last calendar expression before them."""
    out: list[Timex] = []
    before = None  # the last calendar expression so far
    for timex in timexes:
        if timex.rule == "anaphoric_day" and before is not None:
            words = " ".join(raw[timex.start : timex.end].lower().split())
            offset = ANAPHORA.get(words[3:] if words.startswith("on ") else words, 0)
            start = before.start_date + dt.timedelta(days=offset)
            end = before.end_date + dt.timedelta(days=offset) if offset == 0 else start
            value = before.timex_value if offset == 0 else start.isoformat()
            quoted = " ".join(raw[before.start : before.end].split())
            timex = Timex(timex.start, timex.end, "DATE", value, before.timex_mod if offset == 0 else "",
                          start, end, timex.rule, f'"{quoted}"')
        elif timex.start_date and timex.timex_type == "DATE" and timex.timex_value != "PRESENT_REF":
            before = timex
        out.append(timex)
    return out


def _disjoint(ranked: list[Timex]) -> list[Timex]:
    """Each span in turn, kept unless it overlaps one kept before.

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
