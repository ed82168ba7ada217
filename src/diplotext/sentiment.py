"""Sentiment stage: the tone of each sentence, the stance markers it uses, and whose words it carries.

Two general-purpose lexicons score every sentence: TextBlob's Pattern lexicon (polarity and
subjectivity) and VADER (compound). Neither knows the diplomatic register, so the stage also
finds the register's stance markers (``data/lexicons/diplomatic_register.yml``) and the
attribution cues that say who is speaking ("According to X", "X reported that").

    >>> from diplotext.sentiment import score_sentences
    >>> score_sentences(diplotext.segment(raw))
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from textblob import TextBlob
from textblob.en import sentiment as _pattern_lexicon
from textblob.en.sentiments import PatternAnalyzer

from ._lazy import pd
from ._regex import lowered, may_match, required_words
from .columns import SENTENCE_COLUMNS, SENTIMENT_COLUMNS, column_lists, require_columns
from .corpus import REPO_ROOT
from .errors import InputError

LEXICON_PATH = REPO_ROOT / "data" / "lexicons" / "diplomatic_register.yml"
ANNOTATIONS_PATH = REPO_ROOT / "data" / "annotations" / "sentiment_seed.csv"

# Cut-offs that turn scores into labels, fixed before any agreement with the hand labels was
# computed. VADER's is its authors' own (compound >= 0.05 positive, <= -0.05 negative);
# TextBlob has no published one, so 0.1 was chosen a priori as "one mildly evaluative word".
VADER_CUTOFF = 0.05
TEXTBLOB_CUTOFF = 0.1
LABELS = ["negative", "neutral", "positive"]

CATEGORIES = ["commitment", "solidarity", "positive_evaluation", "aspiration", "hedging", "conflict"]
VOICES = ["chinese_side", "russian_side", "western_media", "other_source", "narrator"]

COLUMNS = [
    *SENTIMENT_COLUMNS,
    "textblob_label",
    "vader_label",
    "markers",
    "marker_phrases",
    "voice",
    "voice_source",
    "voice_cue",
    "voice_how",
    "voice_from",
]
MARKER_COLUMNS = ["sentence_id", "start", "end", "phrase", "marker", "category"]
VOICE_COLUMNS = ["sentence_id", "voice", "voice_source", "voice_cue", "voice_how", "voice_from", "cue_start", "cue_end"]
WORD_COLUMNS = ["sentence_id", "tool", "start", "end", "words", "polarity", "subjectivity", "modifiers"]
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
_QUOTES = "\"'\u201c\u201d\u2018\u2019"


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
    literals: tuple  # per marker row: words of which every match holds one, or None (see _match_markers)
    sides: dict  # source id -> side (chinese_side, russian_side, western_media, ...)
    aliases: dict  # lower-cased alias, single-spaced -> source id
    according: re.Pattern
    speech: re.Pattern
    cues: tuple  # (pattern, words of which every match holds one) for ``according`` and ``speech``

    @functools.cached_property
    def markers(self) -> pd.DataFrame:
        """The markers as a table: phrase, category, rationale, pattern."""
        return pd.DataFrame(list(self.marker_rows), columns=["phrase", "category", "rationale", "pattern"])


def load_register(path: Path | str = LEXICON_PATH) -> Register:
    """Read and compile the marker lexicon (cached per path: the regexes compile once)."""
    return _load_register(os.path.abspath(path))  # no file-system calls on every use


@functools.lru_cache(maxsize=8)
def _load_register(path: str) -> Register:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the lexicon ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: malformed lexicon YAML ({str(exc).strip().splitlines()[0]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("markers"), list) or not isinstance(data.get("sources"), dict):
        raise InputError(f"{path}: a lexicon needs 'categories', 'markers' (a list) and 'sources' (a mapping)")
    expected = {name: spec.get("expected", "neutral") for name, spec in (data.get("categories") or {}).items()}
    rows, patterns, literals = [], [], []
    for i, entry in enumerate(data["markers"], start=1):
        if not isinstance(entry, dict) or not entry.get("phrase") or entry.get("category") not in expected:
            raise InputError(f"{path}: marker {i} needs a phrase and one of the categories {sorted(expected)}")
        pattern = entry.get("pattern") or _phrase_pattern(entry["phrase"])
        try:
            patterns.append(re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE))
            literals.append(required_words(patterns[-1]))
        except re.error as exc:
            raise InputError(f"{path}: marker {entry['phrase']!r} has a bad pattern ({exc})") from None
        rows.append({"phrase": entry["phrase"], "category": entry["category"],
                     "rationale": entry.get("rationale", ""), "pattern": pattern})
    sides = {source_id: (spec or {}).get("side", "other_source") for source_id, spec in data["sources"].items()}
    aliases = {_normalize(alias): source_id for source_id, spec in data["sources"].items()
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
        literals=tuple(literals),
        sides=sides,
        aliases=aliases,
        according=according,
        speech=speech,
        cues=tuple((pattern, required_words(pattern)) for pattern in (according, speech)),
    )


def _normalize(alias: str) -> str:
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


def score_sentences(sentences: pd.DataFrame, lexicon: Path | str = LEXICON_PATH) -> pd.DataFrame:
    """One row per sentence: the two lexicons' scores, labels, register markers and voice."""
    require_columns(sentences, SENTENCE_COLUMNS, "score_sentences")
    columns = column_lists(sentences, _SENTENCE_INPUT)
    if len(set(columns["sentence_id"])) != len(columns["sentence_id"]):  # let pandas say what is wrong, as before
        attribute_voice(sentences, lexicon).set_index("sentence_id").to_dict("index")
    return sentiment_frame(sentiment_columns(columns, lexicon))


_SENTENCE_INPUT = ("sentence_id", "paragraph_id", "start", "text")


def sentiment_columns(sentences: dict[str, list], lexicon: Path | str = LEXICON_PATH) -> dict[str, list]:
    """``score_sentences`` on the sentences' columns as plain lists; plain lists out."""
    register = load_register(lexicon)
    # Plain lists, one column at a time: pandas indexing per row would cost more than the scoring.
    ids = list(sentences["sentence_id"])
    texts = [str(text) for text in sentences["text"]]
    textblob = [_textblob_sentiment(text) for text in texts]
    analyzer = vader_analyzer()
    compounds = [analyzer.polarity_scores(text)["compound"] for text in texts]
    possible = _possible_markers(texts, register)
    found = [_match_markers(text, register, possible) for text in texts]
    voices = _voices(sentences, register)
    voices = [voices[sentence_id] for sentence_id in ids]
    categories = register.categories
    columns = {
        "sentence_id": ids,
        "textblob_polarity": [polarity for polarity, _ in textblob],
        "textblob_subjectivity": [subjectivity for _, subjectivity in textblob],
        "vader_compound": compounds,
        "textblob_label": [label_score(polarity, TEXTBLOB_CUTOFF) for polarity, _ in textblob],
        "vader_label": [label_score(compound, VADER_CUTOFF) for compound in compounds],
        "markers": [";".join(dict.fromkeys(categories[i] for _, _, i in spans)) for spans in found],
        "marker_phrases": [";".join(text[s:e] for s, e, _ in spans) for text, spans in zip(texts, found)],
    }
    for name in ("voice", "voice_source", "voice_cue", "voice_how", "voice_from"):
        columns[name] = [voice[name] for voice in voices]
    return {name: columns[name] for name in COLUMNS}


def sentiment_frame(columns: dict[str, list]) -> pd.DataFrame:
    """The sentiment table from ``sentiment_columns``."""
    if not columns["sentence_id"]:
        return pd.DataFrame([], columns=COLUMNS).astype(_SCORE_DTYPES)
    columns = dict(columns)
    columns["sentence_id"] = np.asarray(columns["sentence_id"], dtype=np.int64)
    for name in ("textblob_polarity", "textblob_subjectivity", "vader_compound"):
        columns[name] = np.asarray(columns[name], dtype=np.float64)
    columns["voice_from"] = pd.array(columns["voice_from"], dtype="Int64")
    return pd.DataFrame(columns, columns=COLUMNS)


_SCORE_DTYPES = {"sentence_id": "int64", "textblob_polarity": "float64", "textblob_subjectivity": "float64",
                 "vader_compound": "float64", "voice_from": "Int64"}


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


# --- the words behind the scores ------------------------------------------------------------


def explain_sentence(text: str) -> pd.DataFrame:
    """TextBlob's assessments of ``text``: each scored word (with any negation or intensifier
    before it), its polarity and subjectivity, and its offsets in ``text``."""
    if not isinstance(text, str):
        raise InputError(f"explain_sentence: expected text, got {type(text).__name__}")
    rows = []
    cursor = 0
    for words, polarity, subjectivity, _ in TextBlob(text).sentiment_assessments.assessments:
        # Pattern puts negations and intensifiers before the word they modify, in one assessment,
        # and trailing exclamation marks after it.
        core = [w for w in words if w != "!"]
        modifiers = ["negation" if w in _pattern_lexicon.negations else "intensifier" for w in core[:-1]]
        modifiers += ["exclamation"] * (len(words) - len(core))
        start, end, cursor = _locate(text, words, cursor)
        rows.append({"start": start, "end": end, "words": " ".join(words), "polarity": polarity,
                     "subjectivity": subjectivity, "modifiers": ";".join(modifiers)})
    return pd.DataFrame(rows, columns=["start", "end", "words", "polarity", "subjectivity", "modifiers"]).astype(
        {"start": "Int64", "end": "Int64", "polarity": "float64", "subjectivity": "float64"})


def _locate(text: str, words: list[str], cursor: int):
    """Offsets of ``words`` (in order) in ``text`` from ``cursor``: ``(start, end, new cursor)``."""
    start = end = None
    position = cursor
    for word in words:
        # Word boundaries only where the token itself starts or ends with a word character ("!").
        before = r"(?<!\w)" if word[:1].isalnum() else ""
        after = r"(?!\w)" if word[-1:].isalnum() else ""
        match = re.compile(before + re.escape(word) + after, re.IGNORECASE).search(text, position)
        if match is None:
            return pd.NA, pd.NA, cursor
        start = match.start() if start is None else start
        end = position = match.end()
    return start, end, position


def explain_vader(text: str) -> pd.DataFrame:
    """VADER's scored tokens in ``text``: lexicon valence and the valence after its rules
    (boosters, negation, capitals, "but"), which is what the compound score sums."""
    from vaderSentiment import vaderSentiment as vs

    if not isinstance(text, str):
        raise InputError(f"explain_vader: expected text, got {type(text).__name__}")
    analyzer = vader_analyzer()
    valences = vader_valences(text)
    tokens = list(re.finditer(r"\S+", text))
    words = vs.SentiText(text.strip()).words_and_emoticons
    aligned = len(tokens) == len(words) and not any(ch in analyzer.emojis for ch in text)
    rows = []
    for i, word in enumerate(words):
        lower = word.lower()
        role = "booster" if lower in vs.BOOSTER_DICT else "negation" if lower in vs.NEGATE else ""
        if lower not in analyzer.lexicon and not role:
            continue
        start = end = pd.NA
        if aligned:
            token = tokens[i]
            inner = token.group().find(word)
            start = token.start() + max(inner, 0)
            end = start + len(word) if inner >= 0 else token.end()
        rows.append({"start": start, "end": end, "words": word, "lexicon_valence": analyzer.lexicon.get(lower, 0.0),
                     "valence": valences[i], "role": role})
    return pd.DataFrame(rows, columns=["start", "end", "words", "lexicon_valence", "valence", "role"]).astype(
        {"start": "Int64", "end": "Int64", "lexicon_valence": "float64", "valence": "float64"})


def vader_valences(text: str) -> list[float]:
    """Per-token valences exactly as ``polarity_scores`` computes them before it sums them."""
    analyzer = vader_analyzer()
    from vaderSentiment import vaderSentiment as vs

    sentitext = vs.SentiText(_vader_text(text, analyzer))
    words = sentitext.words_and_emoticons
    sentiments: list[float] = []
    # Mirrors SentimentIntensityAnalyzer.polarity_scores (vaderSentiment 3.3.2) up to score_valence.
    for i, item in enumerate(words):
        if item.lower() in vs.BOOSTER_DICT or (
            i < len(words) - 1 and item.lower() == "kind" and words[i + 1].lower() == "of"
        ):
            sentiments.append(0)
            continue
        sentiments = analyzer.sentiment_valence(0, sentitext, item, i, sentiments)
    return analyzer._but_check(words, sentiments)


def _vader_text(text: str, analyzer) -> str:
    """VADER's own first step: emojis become their descriptions, then the text is stripped."""
    if not any(ch in analyzer.emojis for ch in text):
        return text.strip()
    out, prev_space = "", True
    for ch in text:
        if ch in analyzer.emojis:
            out += ("" if prev_space else " ") + analyzer.emojis[ch]
            prev_space = False
        else:
            out += ch
            prev_space = ch == " "
    return out.strip()


def scored_words(sentences: pd.DataFrame) -> pd.DataFrame:
    """Every word either lexicon scored, per sentence, with offsets into the raw text."""
    require_columns(sentences, SENTENCE_COLUMNS, "scored_words")
    frames = []
    for row in sentences.itertuples(index=False):
        blob = explain_sentence(str(row.text)).assign(tool="textblob")
        vader = explain_vader(str(row.text)).rename(columns={"valence": "polarity", "role": "modifiers"})
        vader = vader[vader.polarity != 0].assign(tool="vader", subjectivity=np.nan)
        for frame in (blob, vader):
            if len(frame):
                frames.append(frame.assign(sentence_id=row.sentence_id, start=frame.start + row.start,
                                           end=frame.end + row.start))
    if not frames:
        return pd.DataFrame(columns=WORD_COLUMNS)
    return pd.concat(frames, ignore_index=True)[WORD_COLUMNS].sort_values(
        ["sentence_id", "tool", "start"], kind="stable").reset_index(drop=True)


def summarize_words(words: pd.DataFrame) -> pd.DataFrame:
    """Per sentence, the scored words of each tool as ``word +0.70; word -0.20``."""
    def join(group):
        return "; ".join(f"{w} {p:+.2f}" for w, p in zip(group.words, group.polarity))

    table = {}
    for tool in ("textblob", "vader"):
        part = words[words.tool == tool]
        table[f"{tool}_words"] = part.groupby("sentence_id")[["words", "polarity"]].apply(join) if len(part) else pd.Series(dtype=str)
    return pd.DataFrame(table).rename_axis("sentence_id").reset_index().fillna("")


HIGHLIGHT_CSS = """
.article-text mark.tone-positive { background: #c7e9c0; }
.article-text mark.tone-negative { background: #fcc5c0; }
.article-text mark.tone-zero { background: #e0e0e0; }
.article-text mark.marker { background: none; border-bottom: 2px solid #6a51a3; }
"""


def highlight_spans(words: pd.DataFrame, markers: pd.DataFrame | None = None) -> list[tuple]:
    """Spans for ``display.numbered_text_html``: scored words coloured by sign, titles with both scores.

    Words are merged across the two tools by position; register markers no lexicon scored are
    underlined.
    """
    located = words.dropna(subset=["start", "end"])
    spans = []
    for (start, end), group in located.groupby(["start", "end"], sort=True):
        parts = []
        for row in group.itertuples():
            if row.tool == "textblob":
                parts.append(f"TextBlob {row.polarity:+.3f} (subjectivity {row.subjectivity:.2f})")
            else:
                parts.append(f"VADER {row.polarity:+.3f}")
        total = group.polarity.sum()
        css = "tone-positive" if total > 0 else "tone-negative" if total < 0 else "tone-zero"
        spans.append((int(start), int(end), css, "; ".join(parts)))
    if markers is not None:
        for row in markers.itertuples():
            if not any(s < row.end and row.start < e for s, e, _, _ in spans):
                spans.append((int(row.start), int(row.end), "marker", f"marker: {row.category} ({row.marker})"))
    return sorted(spans)


# --- register markers -----------------------------------------------------------------------


def _match_markers(text: str, register: Register, rows: list[int] | None = None) -> list[tuple[int, int, int]]:
    """``(start, end, marker row)`` in ``text``; overlaps keep the leftmost, then the longest.

    A marker is looked for only in a sentence holding one of the words every match of it holds
    (``_regex.required_words``): the same matches, without running most patterns on most
    sentences. ``rows`` (from ``_possible_markers``) narrows the markers to try beforehand.
    """
    lowered_text = lowered(text)
    found = [
        (m.start(), m.end(), i)
        for i in (range(len(register.patterns)) if rows is None else rows)
        if may_match(register.literals[i], lowered_text)
        for m in register.patterns[i].finditer(text)
    ]
    kept, reach = [], -1
    for start, end, i in sorted(found, key=lambda f: (f[0], -f[1], f[2])):
        if start >= reach:
            kept.append((start, end, i))
            reach = end
    return kept


def _possible_markers(texts: list[str], register: Register) -> list[int]:
    """The marker rows that can match in any of ``texts``: one check for a whole article."""
    lowered_text = lowered("\n".join(texts))
    return [i for i, words in enumerate(register.literals) if may_match(words, lowered_text)]


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


def judge_markers(markers: pd.DataFrame, lexicon: Path | str = LEXICON_PATH) -> pd.DataFrame:
    """Score each marker phrase on its own and say whether each lexicon agrees, misses or inverts it."""
    register = load_register(lexicon)
    table = markers.copy()
    table["expected"] = table.category.map(register.expected)
    scores = [score_text(phrase) for phrase in table.phrase]
    table["textblob_polarity"] = [s["textblob_polarity"] for s in scores]
    table["vader_compound"] = [s["vader_compound"] for s in scores]
    for tool, cutoff in (("textblob", TEXTBLOB_CUTOFF), ("vader", VADER_CUTOFF)):
        column = "textblob_polarity" if tool == "textblob" else "vader_compound"
        got = table[column].map(lambda v, c=cutoff: label_score(v, c))
        table[f"{tool}_verdict"] = [_verdict(e, g) for e, g in zip(table.expected, got)]
    return table


def _verdict(expected: str, got: str) -> str:
    if expected == got:
        return "agrees"
    if got == "neutral":
        return "misses"
    if expected == "neutral":
        return "adds tone"
    return "inverts"


# --- voice ----------------------------------------------------------------------------------


def attribute_voice(sentences: pd.DataFrame, lexicon: Path | str = LEXICON_PATH) -> pd.DataFrame:
    """Whose words each sentence carries, from attribution cues ("According to X", "X said").

    ``voice_how`` is ``cue`` (the sentence names its source), ``carried`` (no cue: it continues
    the attributed sentence before it in its paragraph), ``echo`` (an unattributed quotation
    whose words an attributed sentence repeats) or ``none`` (the narrator).
    """
    require_columns(sentences, SENTENCE_COLUMNS, "attribute_voice")
    rows = _voices(column_lists(sentences, _SENTENCE_INPUT), load_register(lexicon))
    if not rows:
        return pd.DataFrame([], columns=VOICE_COLUMNS).astype(
            {"voice_from": "Int64", "cue_start": "Int64", "cue_end": "Int64"})
    columns = {"sentence_id": list(rows)}
    for name in VOICE_COLUMNS[1:]:
        columns[name] = [row[name] for row in rows.values()]
    for name in ("voice_from", "cue_start", "cue_end"):
        columns[name] = pd.array(columns[name], dtype="Int64")
    return pd.DataFrame(columns, columns=VOICE_COLUMNS)


def _voices(sentences: dict[str, list], register: Register) -> dict:
    """``attribute_voice`` as plain dicts: sentence id -> its voice columns (missing: None)."""
    ids, starts, paragraphs = (sentences[c] for c in ("sentence_id", "start", "paragraph_id"))
    raw_texts = [str(text) for text in sentences["text"]]
    texts = dict(zip(ids, raw_texts))
    rows = {}
    for sentence_id, text, start in zip(ids, raw_texts, starts):
        rows[sentence_id] = _voice_from_cues(text, start, register) or {
            "voice": "narrator", "voice_source": "", "voice_cue": "", "voice_how": "none",
            "voice_from": None, "cue_start": None, "cue_end": None}
    cued = [i for i, r in rows.items() if r["voice_how"] == "cue"]
    for sentence_id, text in texts.items():
        if rows[sentence_id]["voice_how"] == "none" and _is_quotation(text):
            source = next((i for i in cued if _shares_words(text, texts[i])), None)
            if source is not None:
                rows[sentence_id] = {**rows[source], "voice_how": "echo", "voice_from": source,
                                     "cue_start": None, "cue_end": None}
    previous = {}
    for sentence_id, paragraph_id in zip(ids, paragraphs):
        before = previous.get(paragraph_id)
        if rows[sentence_id]["voice_how"] == "none" and before is not None and rows[before]["voice"] != "narrator":
            origin = rows[before]["voice_from"] if rows[before]["voice_how"] == "carried" else before
            rows[sentence_id] = {**rows[before], "voice_how": "carried", "voice_from": origin,
                                 "cue_start": None, "cue_end": None}
        previous[paragraph_id] = sentence_id
    return rows


def _voice_from_cues(text: str, offset: int, register: Register) -> dict | None:
    lowered_text = lowered(text)
    cues = sorted([match for pattern, words in register.cues if may_match(words, lowered_text)
                   for match in pattern.finditer(text)], key=lambda m: m.start())
    if not cues:
        return None
    chain = [register.aliases[_normalize(m.group("source"))] for m in cues]
    # The last speaker in a chain ("TASS reported that Denisov proposed ...") is the one whose
    # words the sentence carries; the chain keeps who relayed them.
    side = register.sides[chain[-1]]
    return {
        "voice": side,
        "voice_source": ";".join(dict.fromkeys(chain)),
        "voice_cue": " | ".join(m.group(0) for m in cues),
        "voice_how": "cue",
        "voice_from": None,
        "cue_start": offset + cues[0].start(),
        "cue_end": offset + cues[-1].end(),
    }


def _is_quotation(text: str) -> bool:
    stripped = text.strip().rstrip(".!?")
    return len(stripped) > 2 and stripped[0] in _QUOTES and stripped[-1] in _QUOTES


def _shares_words(quote: str, other: str, run: int = 4) -> bool:
    """True when the two texts share ``run`` consecutive words (case and punctuation ignored)."""
    def grams(text):
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[i : i + run]) for i in range(len(words) - run + 1)}

    return bool(grams(quote) & grams(other))


def tone_by_voice(scores: pd.DataFrame) -> pd.DataFrame:
    """Sentences, mean scores and label counts per voice, in the order of ``VOICES``."""
    grouped = scores.groupby("voice")
    table = grouped.agg(sentences=("sentence_id", "count"), sentence_ids=("sentence_id", lambda s: ",".join(map(str, s))),
                        textblob_polarity=("textblob_polarity", "mean"), vader_compound=("vader_compound", "mean"),
                        textblob_positive=("textblob_label", lambda s: int((s == "positive").sum())),
                        vader_positive=("vader_label", lambda s: int((s == "positive").sum())))
    order = [v for v in VOICES if v in table.index] + [v for v in table.index if v not in VOICES]
    return table.loc[order].reset_index()


# --- validation against hand labels ---------------------------------------------------------


def load_annotations(path: Path | str = ANNOTATIONS_PATH) -> pd.DataFrame:
    """Read hand labels (``sentence_id, label, rationale``) and check them."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such annotation file")
    table = pd.read_csv(path, dtype={"label": str, "rationale": str})
    missing = [c for c in ("sentence_id", "label", "rationale") if c not in table.columns]
    if missing:
        raise InputError(f"{path}: the annotation file lacks the columns {missing}")
    bad = sorted(set(table.label) - set(LABELS))
    if bad:
        raise InputError(f"{path}: unknown labels {bad}; use {LABELS}")
    if table.sentence_id.duplicated().any():
        raise InputError(f"{path}: sentence {int(table.sentence_id[table.sentence_id.duplicated()].iloc[0])} is labelled twice")
    return table


def compare_labels(scores: pd.DataFrame, annotations: pd.DataFrame) -> pd.DataFrame:
    """Hand label beside each tool's label, per sentence; the sentence ids must match exactly."""
    require_columns(scores, ["sentence_id", "textblob_label", "vader_label"], "compare_labels (scores)")
    require_columns(annotations, ["sentence_id", "label"], "compare_labels (annotations)")
    if sorted(scores.sentence_id) != sorted(annotations.sentence_id):
        raise InputError(
            f"compare_labels: the annotations label sentences {sorted(annotations.sentence_id)[:3]}... "
            f"({len(annotations)}) but the article has {len(scores)} sentences; they are for another article"
        )
    table = scores.merge(annotations.rename(columns={"label": "hand_label"}), on="sentence_id")
    table["textblob_agrees"] = table.textblob_label == table.hand_label
    table["vader_agrees"] = table.vader_label == table.hand_label
    return table


def accuracy(gold, predicted) -> float:
    """Share of items where the two label sequences agree."""
    gold, predicted = _paired(gold, predicted, "accuracy")
    return float(np.mean(gold == predicted))


def confusion_matrix(gold, predicted, labels=LABELS) -> pd.DataFrame:
    """Counts of hand label (rows) against predicted label (columns), over ``labels``."""
    gold, predicted = _paired(gold, predicted, "confusion_matrix")
    matrix = pd.crosstab(pd.Categorical(gold, categories=labels), pd.Categorical(predicted, categories=labels),
                         dropna=False)
    matrix.index.name, matrix.columns.name = "hand label", "predicted"
    return matrix.reindex(index=labels, columns=labels, fill_value=0).astype("int64")


def cohen_kappa(gold, predicted, labels=LABELS) -> float:
    """Cohen's kappa: agreement beyond chance; NaN when chance agreement is already total."""
    matrix = confusion_matrix(gold, predicted, labels).to_numpy(dtype=float)
    total = matrix.sum()
    observed = np.trace(matrix) / total
    chance = float((matrix.sum(axis=1) * matrix.sum(axis=0)).sum() / total**2)
    return float("nan") if chance == 1 else float((observed - chance) / (1 - chance))


def agreement(comparison: pd.DataFrame) -> pd.DataFrame:
    """Accuracy and Cohen's kappa of each tool against the hand labels."""
    rows = []
    for tool, cutoff in (("textblob", TEXTBLOB_CUTOFF), ("vader", VADER_CUTOFF)):
        gold, got = comparison.hand_label, comparison[f"{tool}_label"]
        rows.append({"tool": tool, "cutoff": cutoff, "sentences": len(comparison),
                     "agreements": int((gold == got).sum()), "accuracy": accuracy(gold, got),
                     "kappa": cohen_kappa(gold, got)})
    return pd.DataFrame(rows)


_TOOL_NAMES = {"textblob": ("TextBlob", "textblob_polarity"), "vader": ("VADER", "vader_compound")}


def describe_disagreements(comparison: pd.DataFrame, words: pd.DataFrame, markers: pd.DataFrame) -> str:
    """Markdown: for each sentence where a tool and the hand label differ, the scores, the words
    that drove them, the register markers, and what went wrong (misses, reads tone in, inverts)."""
    items = []
    for row in comparison.sort_values("sentence_id").itertuples():
        wrong = [tool for tool in _TOOL_NAMES if getattr(row, f"{tool}_label") != row.hand_label]
        if not wrong:
            continue
        lines = [f"**Sentence {row.sentence_id}**, hand label *{row.hand_label}*: {row.rationale.rstrip('.')}."]
        for tool, (name, column) in _TOOL_NAMES.items():
            score, label = getattr(row, column), getattr(row, f"{tool}_label")
            scored = words[(words.sentence_id == row.sentence_id) & (words.tool == tool) & (words.polarity != 0)]
            listed = ", ".join(f"*{w}* {p:+.2f}" for w, p in zip(scored.words, scored.polarity)) or "no scored words"
            verdict = _disagreement_reason(row.hand_label, label, score, scored) if tool in wrong else "agrees"
            lines.append(f"{name} {score:+.3f} → {label} ({listed}): {verdict}.")
        found = markers[markers.sentence_id == row.sentence_id]
        if len(found):
            lines.append("Markers: " + "; ".join(f"{c} “{p}”" for c, p in zip(found.category, found.phrase)) + ".")
        items.append("- " + " ".join(lines))
    return "\n".join(items) if items else "Both lexicons agree with every hand label."


def lucky_agreements(comparison: pd.DataFrame, words: pd.DataFrame, markers: pd.DataFrame) -> pd.DataFrame:
    """Sentences where a tool matches a positive or negative hand label, but none of the words
    it scored lies inside a register marker: right, for the wrong words."""
    rows = []
    for row in comparison.itertuples():
        for tool in _TOOL_NAMES:
            if row.hand_label == "neutral" or getattr(row, f"{tool}_label") != row.hand_label:
                continue
            scored = words[(words.sentence_id == row.sentence_id) & (words.tool == tool) & (words.polarity != 0)]
            found = markers[markers.sentence_id == row.sentence_id]
            inside = [((found.start <= w.start) & (w.end <= found.end)).any() for w in scored.itertuples()]
            if len(scored) and not any(inside):
                rows.append({"sentence_id": row.sentence_id, "tool": tool, "label": row.hand_label,
                             "words": "; ".join(f"{w} {p:+.2f}" for w, p in zip(scored.words, scored.polarity))})
    return pd.DataFrame(rows, columns=["sentence_id", "tool", "label", "words"])


def _disagreement_reason(hand: str, label: str, score: float, scored: pd.DataFrame) -> str:
    driver = scored.loc[scored.polarity.abs().idxmax()] if len(scored) else None
    word = f"*{driver.words}*" if driver is not None else "its words"
    if label == "neutral":
        if scored.empty:
            return "misses the stance: no word it scores"
        if (score > 0) != (hand == "positive") and score != 0:
            return f"leans the wrong way, mostly because of {word}, but stays inside the neutral band"
        return "its words are too weak or cancel out"
    if hand == "neutral":
        return f"reads {label} tone into a neutral sentence, mostly from {word}"
    return f"inverts the stance, mostly because of {word}"


def _paired(gold, predicted, where: str):
    gold, predicted = np.asarray(list(gold), dtype=object), np.asarray(list(predicted), dtype=object)
    if len(gold) != len(predicted):
        raise InputError(f"{where}: {len(gold)} hand labels but {len(predicted)} predicted labels")
    if not len(gold):
        raise InputError(f"{where}: no labels to compare")
    return gold, predicted


