"""Sentence spans, dates and input checks shared by the chronology and outside-facts modules."""

from __future__ import annotations

import bisect
import datetime as dt
from typing import NamedTuple

from ._lazy import pd
from .tables import require_columns
from .corpus import parse_date
from .errors import InputError


class Sentence(NamedTuple):
    sentence_id: int
    start: int
    end: int


class SentenceSpans(list):
    """The sentences table as ``(sentence_id, start, end)`` tuples, in the table's order."""

    def __init__(self, rows):
        super().__init__(Sentence(*row) for row in rows)
        self.starts = [s.start for s in self]
        self.ordered = all(s.start < s.end for s in self) and all(
            a.end <= b.start for a, b in zip(self, self[1:]))


def spans_of(sentences: pd.DataFrame) -> SentenceSpans:
    return SentenceSpans(zip(sentences["sentence_id"].tolist(), sentences["start"].tolist(),
                              sentences["end"].tolist()))


def sentence_of(spans: list[Sentence], position: int) -> int:
    """The first sentence holding ``position``, else the last one starting before it, else 0."""
    if isinstance(spans, SentenceSpans) and spans.ordered:
        # Sorted, non-empty, non-overlapping: at most one holds the position, found by bisection.
        i = bisect.bisect_right(spans.starts, position) - 1
        return int(spans[i].sentence_id) if i >= 0 else 0
    last = None
    for sentence_id, start, end in spans:
        if start <= position:
            if position < end:
                return int(sentence_id)
            last = sentence_id
    return int(last) if last is not None else 0


def unique(items) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def iso(date: dt.date | None) -> str:
    return date.isoformat() if date else ""


def as_date(value) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise InputError(f"document date {value!r}: expected a date, an ISO string YYYY-MM-DD, or None")




def check_inputs(raw, sentences) -> None:
    if not isinstance(raw, str):
        raise InputError(f"raw text: expected a string, got {type(raw).__name__}")
    require_columns(sentences, ["sentence_id", "start", "end"], "sentences")
