"""Times stage: every time expression of an article, typed and resolved as TIMEX3 (``times.csv``).

The rules are those of :mod:`diplotext.timex`; this stage adds what the parse knows, the tense
of the verb each expression belongs to (a past "Friday" is the last one, a future "Friday" the
next), and the document date a dateline gives ("MANILA, Dec. 6 (Xinhua) --") when the metadata
has none.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from ._lazy import pd
from .tables import COLUMNS as TABLE_COLUMNS
from .tables import frame
from .timex import MONTHS, Timex, find

# Verbs of saying: "said Friday" reports the past even in the present tense ("says Friday").
REPORTING_LEMMAS = frozenset(
    "say tell add stress note announce warn urge express propose emphasise emphasize point call reaffirm "
    "thank invite brief inform reply recall argue denounce continue state declare report confirm claim".split())
# Governing words that put what they govern ahead: "is scheduled to arrive Monday".
FUTURE_LEMMAS = frozenset("schedule expect plan set due intend prepare aim".split())
# Verbs that date something ahead in any form: "talks scheduled for Thursday".
SCHEDULED = frozenset({"schedule", "slate", "due"})
COLUMNS = TABLE_COLUMNS["times"]

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
# A dateline: a capitalised place, a comma, a month and day (and perhaps a year), then an
# agency in brackets or a dash: "SEOUL, Jan. 2 (Yonhap) --", "MOSCOW, December 26, 2024 /TASS/".
DATELINE = re.compile(
    r"(?:^|\n|\)\s|\s)(?P<place>[A-Z][A-Z.'\- ]{2,}(?:,\s+[A-Z][A-Za-z.]+)?),\s+(?P<month>" + _MONTH_NAMES
    + r")\.?\s+(?P<day>[0-3]?\d)(?:,\s+(?P<year>(?:19|20)\d\d))?\s*(?:\(|/|--|\u2014|\u2013)")
_YEAR = re.compile(r"(?<![\w$.,/-])(?:19|20)\d\d(?![\w-])")


def dateline_date(raw: str) -> dt.date | None:
    """The date of a dateline near the start of the text, or ``None``.

    A dateline without a year ("Dec. 6") takes the latest year the text names, if it names one:
    a report looks back on the years it mentions far more often than ahead.
    """
    match = DATELINE.search(raw[:600])
    if match is None:
        return None
    month, day = MONTHS[match["month"]], int(match["day"])
    if match["year"]:
        year = int(match["year"])
    else:
        years = [int(y) for y in _YEAR.findall(raw)]
        if not years:
            return None
        year = max(years)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def tense_reader(doc):
    """``tense(offset)``: "past", "future" or "" for the verb governing the token at ``offset``,
    with "?" added when the way up to that verb passes through a noun ("talks on Monday")."""
    if doc is None:
        return None
    starts = [token.idx for token in doc]

    def tense(offset: int) -> str:
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return ""
        token, on_noun = doc[i], False
        for step in range(8):  # climb to the governing verb
            if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
                break
            on_noun = on_noun or (step > 0 and token.pos_ in ("NOUN", "PROPN") and not token.ent_type_ == "DATE")
            token = token.head
        return verb_tense(token) + ("?" if on_noun else "")

    return tense


def verb_tense(verb) -> str:
    """Past or future, from a verb's auxiliaries, its tag and the verbs above it."""
    if verb.pos_ not in ("VERB", "AUX"):
        return ""
    auxiliaries = [child for child in verb.children if child.dep_ in ("aux", "auxpass")]
    lemmas = {child.lemma_.lower() for child in auxiliaries}
    if lemmas & {"will", "shall", "'ll"} or any(child.tag_ == "TO" for child in auxiliaries):
        return "future"
    chain = [verb]
    while len(chain) < 4 and chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    for k, word in enumerate(chain):  # "is expected to ...", "is scheduled for Monday"
        lemma = word.lemma_.lower()
        if lemma in FUTURE_LEMMAS and (k or lemma in SCHEDULED or any(c.dep_ == "auxpass" for c in word.children)):
            return "future"
    if verb.tag_ in ("VBD", "VBN") or any(child.tag_ == "VBD" for child in auxiliaries):
        return "past"
    if verb.lemma_.lower() in REPORTING_LEMMAS:
        return "past"
    if verb.tag_ in ("VBZ", "VBP", "VBG", "VB"):
        return "future"
    return ""


def find_times(raw: str, document_date: dt.date | None, doc=None) -> list[Timex]:
    """The time expressions of ``raw``, weekdays and yearless dates placed by the parse's tenses."""
    return find(raw, document_date, tense_reader(doc))


def time_columns(raw: str, sentences: dict[str, list], timexes: list[Timex],
                 document_date: dt.date | None, date_source: str = "metadata") -> dict[str, list]:
    """The times table as plain lists, one row per expression, in text order.

    ``anchor`` names the date a relative value was resolved against ("document date 2022-09-14
    (metadata)"), or the earlier expression an anaphoric one ("that day") copies.
    """
    columns = {name: [] for name in COLUMNS}
    starts = sentences["start"]
    ids = sentences["sentence_id"]
    for timex in timexes:
        i = bisect.bisect_right(starts, timex.start) - 1
        anchor = timex.anchor
        if anchor.startswith("document date") and document_date is not None:
            anchor = anchor.replace("document date", f"document date {document_date.isoformat()} ({date_source})", 1)
        row = (ids[i] if i >= 0 else 0, timex.start, timex.end, raw[timex.start : timex.end], timex.timex_type,
               timex.timex_value, timex.timex_mod, _iso(timex.start_date), _iso(timex.end_date), anchor, timex.rule)
        for name, value in zip(COLUMNS, row):
            columns[name].append(value)
    return columns


def build_times(raw: str, sentences: pd.DataFrame, document_date: dt.date | None, doc=None,
                date_source: str = "metadata") -> pd.DataFrame:
    """The times table of an article from its sentences table and its parse (``parse.parse``)."""
    from .tables import column_lists, require_columns

    require_columns(sentences, ["sentence_id", "start", "end"], "sentences")
    timexes = find_times(raw, document_date, doc)
    return frame("times", time_columns(raw, column_lists(sentences, ("sentence_id", "start")), timexes,
                                    document_date, date_source))


def _iso(date: dt.date | None) -> str:
    return date.isoformat() if date else ""
