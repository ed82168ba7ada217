"""Cheap tests that tell a pattern cannot match a text, so the scan can be skipped.

``required_words`` once read a pattern's parsed form through Python's private ``re._parser``;
that module is not a public API and may change between Python versions, so the reading is
gone: it now answers ``None`` ("cannot tell"), and callers scan the whole text, which gives
the same matches. ``lowered`` and ``may_match`` are kept for callers that state their
words themselves.
"""

from __future__ import annotations

import re

# Letters that IGNORECASE matches to an ASCII letter but ``str.lower`` does not lower to it:
# dotted capital I, dotless i and long s (tests/test_sentiment.py checks this list).
FOLDS_APART = frozenset("\u0130\u0131\u017f")


def required_words(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Words of which every match of ``pattern`` holds one: ``None``, as no public API reads a
    pattern's structure (callers then run the pattern on every text)."""
    return None


def lowered(text: str) -> str | None:
    """``text.lower()``, in which every case-insensitive match of an ASCII word shows as that
    word in lower case; ``None`` if the text has a letter for which that does not hold."""
    return None if not text.isascii() and not FOLDS_APART.isdisjoint(text) else text.lower()


def may_match(words: tuple[str, ...] | None, lowered_text: str | None) -> bool:
    """False only when a pattern needing one of ``words`` cannot match the text."""
    return words is None or lowered_text is None or any(word in lowered_text for word in words)
