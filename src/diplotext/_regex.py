"""What a regular expression needs, read from its parsed form: used to skip scans that cannot match.

Two facts make the stages faster without changing a single result:

- ``max_width``: the longest text a pattern can match (or read), so that a rule whose matches
  hold an anchor need only be run near the anchors (``timex.Anchors``);
- ``required_words``: words of which every match holds one, so that a pattern is run only on a
  text that has one of them (the date rules that need certain words).

Both read the pattern with Python's own parser (``re._parser``, present from Python 3.11); where
it is missing or a pattern is beyond these rules, they answer ``None`` and the caller scans.
"""

from __future__ import annotations

import re

try:
    from re import _constants as _c
    from re import _parser
except ImportError:  # pragma: no cover - a Python without the parser module: always scan
    _parser = _c = None

# Letters that IGNORECASE matches to an ASCII letter but ``str.lower`` does not lower to it:
# dotted capital I, dotless i and long s (tests/test_sentiment.py checks this list).
FOLDS_APART = frozenset("\u0130\u0131\u017f")


def max_width(pattern: str, flags: int = 0) -> int | None:
    """The longest text ``pattern`` can match, or ``None`` if unbounded or unreadable."""
    if _parser is None:
        return None
    try:
        widest = _parser.parse(pattern, flags).getwidth()[1]
    except (re.error, RecursionError):
        return None
    return widest if widest < _c.MAXREPEAT else None


def required_words(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Lower-case strings of which every match of ``pattern`` holds at least one (as matched,
    before lower-casing), or ``None`` when no such list can be read off the pattern."""
    if _parser is None:
        return None
    try:
        words = _required(_parser.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError):
        return None
    if not words or not all(word.isascii() for word in words):
        return None
    return tuple(sorted({word.lower() for word in words}))


def lowered(text: str) -> str | None:
    """``text.lower()``, in which every case-insensitive match of an ASCII word shows as that
    word in lower case; ``None`` if the text has a letter for which that does not hold."""
    return None if not text.isascii() and not FOLDS_APART.isdisjoint(text) else text.lower()


def may_match(words: tuple[str, ...] | None, lowered_text: str | None) -> bool:
    """False only when a pattern needing one of ``words`` cannot match the text."""
    return words is None or lowered_text is None or any(word in lowered_text for word in words)


def _required(items) -> list[str] | None:
    """For a parsed sequence: strings of which every match holds one; the most selective found."""
    candidates, run = [], []
    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append(["".join(run)])
            run = []
        found = None
        if op is _c.SUBPATTERN:
            found = _required(av[3])
        elif op is _c.BRANCH:
            alternatives = [_required(alternative) for alternative in av[1]]
            if all(alternatives):
                found = [word for alternative in alternatives for word in alternative]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            found = _required(av[2])
        if found:
            candidates.append(found)
    if run:
        candidates.append(["".join(run)])
    # The most selective: the longest shortest word, then the fewest words.
    return max(candidates, key=lambda words: (min(map(len, words)), -len(words)), default=None)
