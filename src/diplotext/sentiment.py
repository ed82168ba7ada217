"""Sentiment stage: the tone of each sentence, the stance markers it uses, and whose words it carries.

Two general-purpose lexicons score every sentence: TextBlob's Pattern lexicon (polarity and
subjectivity) and VADER (compound). Neither knows the diplomatic register, so the stage also
finds the register's stance markers (``src/diplotext/data/lexicons/diplomatic_register.yml``), the book's
own measure of diplomatic stance from them and the tone cues (``diplotext.tone``), and the
attribution cues that say who is speaking (``diplotext.voice``).

    >>> from diplotext.sentiment import score_sentences
    >>> score_sentences(diplotext.segment(raw))
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from textblob import TextBlob
from textblob.en import sentiment as _pattern_lexicon
from textblob.en.sentiments import PatternAnalyzer

from ._lazy import pd
from .tables import COLUMNS as TABLE_COLUMNS
from .tables import SENTENCE_COLUMNS, column_lists, frame, require_columns
from .errors import InputError
from .resources import data_path, read_yaml
from .tone import TONE_LEXICON_PATH, entity_spans, tone_columns

LEXICON_PATH = data_path("lexicons", "diplomatic_register.yml")

# Cut-offs that turn scores into labels, fixed before any agreement with the hand labels was
# computed. VADER's is its authors' own (compound >= 0.05 positive, <= -0.05 negative);
# TextBlob has no published one, so 0.1 was chosen a priori as "one mildly evaluative word".
VADER_CUTOFF = 0.05
TEXTBLOB_CUTOFF = 0.1

CATEGORIES = ["commitment", "solidarity", "positive_evaluation", "aspiration", "hedging", "conflict"]

COLUMNS = TABLE_COLUMNS["sentiment"]
MARKER_COLUMNS = ["sentence_id", "start", "end", "phrase", "marker", "category"]
PARAGRAPH_COLUMNS = [
    "paragraph_id",
    "sentences",
    "textblob_polarity",
    "textblob_subjectivity",
    "vader_compound",
    "textblob_label",
    "vader_label",
]

# Verbs that introduce reported speech. "proposed" is there because the translation renders
# the ambassador's remarks as "proposed to Yang Jiechi that ...".
_SPEECH_VERBS = (
    r"said|says|say|reported|reports|announced|announces|stated|states|told|tells|noted|notes|"
    r"stressed|stresses|added|adds|proposed|proposes|pointed\s+out|emphasi[sz]ed|declared|quoted"
)


# --- resources, loaded once per process ------------------------------------------------------


@functools.lru_cache(maxsize=1)
def vader_analyzer():
    """The VADER analyzer; building it parses its lexicon, so it is built once per process."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@dataclass(frozen=True)
class Register:
    """The diplomatic-register lexicon: marker phrases with compiled patterns, and speakers."""

    marker_rows: tuple  # one dict per marker: phrase, category, rationale, pattern
    expected: dict  # category -> the label a reader expects its phrases to carry
    patterns: tuple  # compiled regex per marker row, in the table's order
    categories: tuple  # category per marker row
    words: tuple  # per marker row: lower-case strings of which every match holds one, or None
    sides: dict  # source id -> side (chinese_side, russian_side, western_media, ...)
    aliases: dict  # lower-cased alias, single-spaced -> source id
    according: re.Pattern
    speech: re.Pattern

    @functools.cached_property
    def markers(self) -> pd.DataFrame:
        """The markers as a table: phrase, category, rationale, pattern."""
        return pd.DataFrame(list(self.marker_rows), columns=["phrase", "category", "rationale", "pattern"])


def load_register(path: Path | str = LEXICON_PATH) -> Register:
    """Read and compile the marker lexicon (cached per path: the regexes compile once)."""
    return _load_register(os.path.abspath(path))  # no file-system calls on every use


@functools.lru_cache(maxsize=8)
def _load_register(path: str) -> Register:
    data = read_yaml(path, "the lexicon")
    if not isinstance(data, dict) or not isinstance(data.get("markers"), list) or not isinstance(data.get("sources"), dict):
        raise InputError(f"{path}: a lexicon needs 'categories', 'markers' (a list) and 'sources' (a mapping)")
    expected = {name: spec.get("expected", "neutral") for name, spec in (data.get("categories") or {}).items()}
    rows, patterns, words = [], [], []
    for i, entry in enumerate(data["markers"], start=1):
        if not isinstance(entry, dict) or not entry.get("phrase") or entry.get("category") not in expected:
            raise InputError(f"{path}: marker {i} needs a phrase and one of the categories {sorted(expected)}")
        pattern = entry.get("pattern") or _phrase_pattern(entry["phrase"])
        try:
            patterns.append(re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE))
        except re.error as exc:
            raise InputError(f"{path}: marker {entry['phrase']!r} has a bad pattern ({exc})") from None
        listed = entry.get("words") if entry.get("pattern") else entry["phrase"].lower().replace("-", " ").split()
        if listed is not None and (not isinstance(listed, list) or not all(isinstance(w, str) and w for w in listed)):
            raise InputError(f"{path}: marker {entry['phrase']!r} needs 'words' as a list of strings")
        words.append(tuple(w.lower() for w in listed) if listed else None)
        rows.append({"phrase": entry["phrase"], "category": entry["category"],
                     "rationale": entry.get("rationale", ""), "pattern": pattern})
    sides = {source_id: (spec or {}).get("side", "other_source") for source_id, spec in data["sources"].items()}
    aliases = {normalize_alias(alias): source_id for source_id, spec in data["sources"].items()
               for alias in (spec or {}).get("aliases", [])}
    # Longest alias first so "Xinhua News Agency" wins over "Xinhua".
    names = "|".join(_phrase_pattern(alias) for alias in sorted(aliases, key=len, reverse=True)) or r"(?!x)x"
    according = re.compile(rf"\baccording\s+to\s+(?:the\s+)?(?P<source>{names})\b", re.IGNORECASE)
    speech = re.compile(
        rf"\b(?P<source>{names})(?:'s)?\s+(?:(?:also|further|then|later|has|had|have)\s+)*(?P<verb>{_SPEECH_VERBS})\b",
        re.IGNORECASE,
    )
    return Register(
        marker_rows=tuple(rows),
        expected=expected,
        patterns=tuple(patterns),
        categories=tuple(row["category"] for row in rows),
        words=tuple(words),
        sides=sides,
        aliases=aliases,
        according=according,
        speech=speech,
    )


def normalize_alias(alias: str) -> str:
    """An alias as the register keys it: lower case, single spaces, hyphens unspaced."""
    return " ".join(re.sub(r"\s*-\s*", "-", alias).split()).lower()


def _phrase_pattern(phrase: str) -> str:
    """A phrase as a regex: any white space between words, hyphens with or without spaces."""
    words = phrase.split()
    return r"\s+".join(r"\s*-\s*".join(re.escape(part) for part in word.split("-")) for word in words)


# --- scores ---------------------------------------------------------------------------------


def label_score(score: float, cutoff: float) -> str:
    """``positive`` at or above ``cutoff``, ``negative`` at or below ``-cutoff``, else ``neutral``."""
    if score >= cutoff:
        return "positive"
    if score <= -cutoff:
        return "negative"
    return "neutral"


def score_text(text: str) -> dict:
    """TextBlob polarity and subjectivity and VADER compound of one text, unrounded."""
    polarity, subjectivity = _textblob_sentiment(text)
    return {
        "textblob_polarity": polarity,
        "textblob_subjectivity": subjectivity,
        "vader_compound": vader_analyzer().polarity_scores(text)["compound"],
    }


def _textblob_sentiment(text: str) -> tuple[float, float]:
    """Exactly ``TextBlob(text).sentiment``. With TextBlob's default analyzer that is Pattern's
    lexicon called on the text, so call it directly: the blob's set-up (lower-cased copy, model
    checks) and the named-tuple class ``PatternAnalyzer.analyze`` creates on every call cost
    more than the scoring of a short sentence."""
    if type(TextBlob.analyzer) is PatternAnalyzer and isinstance(text, str):
        polarity, subjectivity = _pattern_lexicon(text)
        return polarity, subjectivity
    blob = TextBlob(text).sentiment
    return blob.polarity, blob.subjectivity


def score_sentences(sentences: pd.DataFrame, lexicon: Path | str = LEXICON_PATH,
                    tone_lexicon: Path | str = TONE_LEXICON_PATH, doc=None) -> pd.DataFrame:
    """One row per sentence: the two lexicons' scores and labels, the tone, register markers and
    voice (``doc``: the article's parse, whose named entities hold no tone cue)."""
    require_columns(sentences, SENTENCE_COLUMNS, "score_sentences")
    columns = column_lists(sentences, _SENTENCE_INPUT)
    if len(set(columns["sentence_id"])) != len(columns["sentence_id"]):
        duplicate = next(i for i in columns["sentence_id"] if columns["sentence_id"].count(i) > 1)
        raise InputError(f"score_sentences: sentence {duplicate} occurs more than once")
    return frame("sentiment", sentiment_columns(columns, lexicon, tone_lexicon, doc))


_SENTENCE_INPUT = ("sentence_id", "paragraph_id", "start", "text")


def sentiment_columns(sentences: dict[str, list], lexicon: Path | str = LEXICON_PATH,
                      tone_lexicon: Path | str = TONE_LEXICON_PATH, doc=None) -> dict[str, list]:
    """``score_sentences`` on the sentences' columns as plain lists; plain lists out.

    ``doc`` (the article's spaCy parse, offsets into the raw text as the sentences' ``start``)
    gives the named entities, inside which no word counts towards the tone.
    """
    from .voice import sentence_voices

    register = load_register(lexicon)
    # Plain lists, one column at a time: pandas indexing per row would cost more than the scoring.
    ids = list(sentences["sentence_id"])
    texts = [str(text) for text in sentences["text"]]
    textblob = [_textblob_sentiment(text) for text in texts]
    analyzer = vader_analyzer()
    compounds = [analyzer.polarity_scores(text)["compound"] for text in texts]
    found = [_match_markers(text, register) for text in texts]
    voices = sentence_voices(sentences, register)
    voices = [voices[sentence_id] for sentence_id in ids]
    categories = register.categories
    names = None
    if doc is not None:
        starts = list(sentences["start"])
        names = entity_spans(doc, starts, [start + len(text) for start, text in zip(starts, texts)])
    tone = tone_columns(texts, [[(s, e, categories[i], register.expected[categories[i]]) for s, e, i in spans]
                                for spans in found], tone_lexicon, names)
    columns = {
        "sentence_id": ids,
        "textblob_polarity": [polarity for polarity, _ in textblob],
        "textblob_subjectivity": [subjectivity for _, subjectivity in textblob],
        "vader_compound": compounds,
        "textblob_label": [label_score(polarity, TEXTBLOB_CUTOFF) for polarity, _ in textblob],
        "vader_label": [label_score(compound, VADER_CUTOFF) for compound in compounds],
        **tone,
        "markers": [";".join(dict.fromkeys(categories[i] for _, _, i in spans)) for spans in found],
        "marker_phrases": [";".join(text[s:e] for s, e, _ in spans) for text, spans in zip(texts, found)],
    }
    for name in ("voice", "voice_source", "voice_cue", "voice_how", "voice_from"):
        columns[name] = [voice[name] for voice in voices]
    return {name: columns[name] for name in COLUMNS}


def score_paragraphs(sentences: pd.DataFrame, raw: str | None = None) -> pd.DataFrame:
    """Scores of each paragraph's whole text (``raw[start:end]``, or its sentences joined by spaces)."""
    require_columns(sentences, SENTENCE_COLUMNS, "score_paragraphs")
    rows = []
    for paragraph_id, group in sentences.groupby("paragraph_id", sort=True):
        text = raw[group.start.min() : group.end.max()] if raw is not None else " ".join(group.text)
        scores = score_text(text)
        rows.append(
            {
                "paragraph_id": paragraph_id,
                "sentences": ",".join(str(i) for i in group.sentence_id),
                **scores,
                "textblob_label": label_score(scores["textblob_polarity"], TEXTBLOB_CUTOFF),
                "vader_label": label_score(scores["vader_compound"], VADER_CUTOFF),
            }
        )
    return pd.DataFrame(rows, columns=PARAGRAPH_COLUMNS)


# --- register markers -----------------------------------------------------------------------


# Letters that IGNORECASE matches to an ASCII letter but ``str.lower`` does not lower to it
# (dotted capital I, dotless i, long s; tests/test_sentiment.py checks the list is complete).
FOLDS_APART = frozenset("\u0130\u0131\u017f")


def _match_markers(text: str, register: Register) -> list[tuple[int, int, int]]:
    """``(start, end, marker row)`` in ``text``; overlaps keep the leftmost, then the longest.

    A marker is tried only in a sentence whose lower-case text holds one of its ``words``
    (declared in the lexicon; a test checks no match is lost), so most patterns never run on
    most sentences. A text with a letter that folds apart from ``str.lower`` is scanned whole.
    """
    lowered = text.lower() if FOLDS_APART.isdisjoint(text) else None
    found = [(m.start(), m.end(), i) for i, pattern in enumerate(register.patterns)
             if lowered is None or register.words[i] is None or any(w in lowered for w in register.words[i])
             for m in pattern.finditer(text)]
    kept, reach = [], -1
    for start, end, i in sorted(found, key=lambda f: (f[0], -f[1], f[2])):
        if start >= reach:
            kept.append((start, end, i))
            reach = end
    return kept


def find_markers(raw: str, sentences: pd.DataFrame, lexicon: Path | str = LEXICON_PATH) -> pd.DataFrame:
    """Every stance marker in the article, with offsets into ``raw`` and its category."""
    require_columns(sentences, SENTENCE_COLUMNS, "find_markers")
    register = load_register(lexicon)
    rows = []
    for row in sentences.itertuples(index=False):
        text = raw[row.start : row.end]
        for start, end, i in _match_markers(text, register):
            rows.append({"sentence_id": row.sentence_id, "start": row.start + start, "end": row.start + end,
                         "phrase": text[start:end], "marker": register.markers.phrase[i],
                         "category": register.markers.category[i]})
    return pd.DataFrame(rows, columns=MARKER_COLUMNS)


