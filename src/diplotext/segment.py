"""Segment stage: split the raw text into paragraphs and sentences without losing a character.

Every sentence is a span ``[start, end)`` of the decoded raw text, so ``raw[start:end]`` is
the sentence exactly as published. Rules are plain regular expressions (the project installs no NLTK data, so
the book builds from pinned packages alone) and are written for two kinds of text: edited English news
(abbreviations, initials, decimals, ellipses, curly quotes) and machine translations, where
sentences are often glued together with no space after the full stop (``track.The``).
"""

from __future__ import annotations

import re


from ._lazy import pd
from .tables import SENTENCE_COLUMNS, frame
from .dateline import DATELINE

# A paragraph break is a line break, optional blank space, and another line break.
_PARAGRAPH_BREAK = re.compile(r"[ \t\f\v]*\r?\n(?:[ \t\f\v]*\r?\n)+|\r(?:[ \t]*\r)+")

# Words that end with a full stop without ending a sentence. Lower-cased, without the stop.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep pres amb
    rev hon fr messrs vs etc al approx dept univ inc ltd corp co bros no nos vol pp fig
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    """.split()
)

# Capitalised words that almost always open a sentence; they decide whether an abbreviation
# such as "U.S." or an ellipsis at the end of a clause also ends the sentence.
SENTENCE_STARTERS = frozenset(
    """
    The This That These Those It He She They We I You There Here In On At As But And Or
    However Meanwhile Moreover Also After Before When While If Since Although A An
    """.split()
)

_CLOSERS = "\"'\u201d\u2019)]}\u00bb"
_OPENERS = "\"'\u201c\u2018([{\u00ab"
_TERMINAL = ".!?\u2026"

# A run of terminal punctuation, then any closing quotes or brackets.
_END = re.compile(rf"[{re.escape(_TERMINAL)}]+[{re.escape(_CLOSERS)}]*")


def split_paragraphs(raw: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the paragraphs, trimmed of surrounding white space."""
    spans = []
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(raw), None]:
        stop = match.start() if match else len(raw)
        span = _trim(raw, position, stop)
        if span:
            spans.append(span)
        if match:
            position = match.end()
    return spans


def split_sentences(raw: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences in ``raw[start:end]``."""
    end = len(raw) if end is None else end
    spans = []
    sentence_start = start
    for match in _END.finditer(raw, start, end):
        cut = match.end()
        # A straight quote glued to the next word opens the next sentence: 'year."Promote'.
        while cut > match.start() + 1 and raw[cut - 1] in "\"'" and cut < end and raw[cut].isalnum():
            cut -= 1
        if _is_boundary(raw, match.start(), cut, end) and not _is_dateline(raw, sentence_start, cut):
            span = _trim(raw, sentence_start, cut)
            if span:
                spans.append(span)
            sentence_start = cut
    span = _trim(raw, sentence_start, end)
    if span:
        spans.append(span)
    return spans


def _is_dateline(raw: str, start: int, cut: int) -> bool:
    """Is ``raw[start:cut]`` a dateline and nothing more ("HAVANA, December 26. /TASS/.")?
    A dateline belongs to the sentence it opens."""
    match = DATELINE.match(raw, start, cut)
    return bool(match) and not raw[match.end() : cut].strip(" .\t")


def segment(raw: str) -> pd.DataFrame:
    """Split an article into sentences: one row per sentence with paragraph and offsets."""
    return frame("sentences", sentence_columns(raw))


def sentence_columns(raw: str) -> dict[str, list]:
    """``segment`` as plain lists, column by column (what the pipeline passes between stages)."""
    columns = {name: [] for name in SENTENCE_COLUMNS}
    for paragraph_id, (p_start, p_end) in enumerate(split_paragraphs(raw), start=1):
        for s_start, s_end in split_sentences(raw, p_start, p_end):
            columns["sentence_id"].append(len(columns["sentence_id"]) + 1)
            columns["paragraph_id"].append(paragraph_id)
            columns["start"].append(s_start)
            columns["end"].append(s_end)
            columns["text"].append(raw[s_start:s_end])
    return columns


def paragraphs(sentences: pd.DataFrame, raw: str) -> pd.DataFrame:
    """One row per paragraph: its span, its text and how many sentences it holds."""
    grouped = sentences.groupby("paragraph_id")
    table = grouped.agg(start=("start", "min"), end=("end", "max"), sentences=("sentence_id", "count"))
    table["text"] = [raw[s:e] for s, e in zip(table["start"], table["end"])]
    return table.reset_index()


def _trim(raw: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and raw[start].isspace():
        start += 1
    while end > start and raw[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _is_boundary(raw: str, punct_start: int, cut: int, limit: int) -> bool:
    """Decide whether the punctuation at ``raw[punct_start:cut]`` ends a sentence."""
    if cut >= limit:
        return True
    punct = raw[punct_start:cut].rstrip(_CLOSERS)
    word = _word_before(raw, punct_start)
    following = raw[cut:limit]
    gap = len(following) - len(following.lstrip())
    rest = following[gap:]
    # What follows, past any opening quote or bracket, must look like a sentence opening.
    opening = rest.lstrip(_OPENERS)
    if not opening or not (opening[0].isupper() or opening[0].isdigit()):
        return False
    next_word = re.match(r"[A-Za-z]+", opening)
    next_word = next_word.group(0) if next_word else ""
    is_ellipsis = punct.startswith("...") or "\u2026" in punct
    if gap == 0:
        # Glued text: "track.The", 'year."Promote', "7th.Prior". Only a full stop (or ! ?)
        # after a word of two or more letters or a number, so "U.S.Army" or "3.5" do not split.
        if is_ellipsis or opening[0].isdigit():
            return False
        if punct[0] == "." and (len(word) < 2 or "." in word or word.lower() in ABBREVIATIONS):
            return False
        return True
    if opening[0].isdigit() and punct == "." and word.lower() in ABBREVIATIONS:
        return False  # "Sept. 14", "No. 5"
    if is_ellipsis:
        return next_word in SENTENCE_STARTERS
    if punct == ".":
        bare = word.lower()
        if bare in ABBREVIATIONS:
            return False
        if len(word) == 1 and word.isupper():
            return False  # an initial: "J. Smith"
        if "." in word:  # "U.S.", "a.m.": ends a sentence only before a typical opener
            return next_word in SENTENCE_STARTERS
    return True


def _word_before(raw: str, position: int) -> str:
    """The token (letters, digits, inner full stops) just before ``position``."""
    match = re.search(r"[\w.]*\w$", raw[max(0, position - 40) : position])
    return match.group(0) if match else ""


# Traces of machine translation that the segmenter has to live with; the source chapter
# lists them so that a reader sees what the text looks like before any analysis.
_DEBRIS = {
    "spaced hyphen": re.compile(r"\w \-(?=\w)"),  # "face -to -face", "high -level"
    "capital inside a word": re.compile(r"\b[A-Z]?[a-z]+[A-Z][a-z]+\b"),  # "UzbekiStan"
}


def translation_debris(raw: str, sentences: pd.DataFrame) -> pd.DataFrame:
    """List glued sentence boundaries, spaced hyphens and odd capitals, with offsets."""
    rows = []
    previous_end = None
    for row in sentences.itertuples():
        if previous_end is not None and row.start == previous_end:
            rows.append(("glued sentence boundary", row.start - 1, row.start + 1, row.sentence_id))
        previous_end = row.end
    for kind, pattern in _DEBRIS.items():
        for match in pattern.finditer(raw):
            sentence_id = sentences.loc[
                (sentences.start <= match.start()) & (sentences.end >= match.end()), "sentence_id"
            ]
            rows.append((kind, match.start(), match.end(), int(sentence_id.iloc[0]) if len(sentence_id) else None))
    table = pd.DataFrame(rows, columns=["kind", "start", "end", "sentence_id"])
    table["context"] = [raw[max(0, s - 12) : e + 12].replace("\n", " ") for s, e in zip(table.start, table.end)]
    return table.sort_values(["start", "kind"], kind="stable").reset_index(drop=True)
