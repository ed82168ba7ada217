"""The words behind TextBlob's and VADER's scores: each scored word, its valence after the
lexicon's rules (negation, boosters, "but"), and its offsets, so every score can be checked."""

from __future__ import annotations

import re

import numpy as np
from textblob import TextBlob
from textblob.en import sentiment as _pattern_lexicon

from ._lazy import pd
from .tables import SENTENCE_COLUMNS, require_columns
from .errors import InputError
from .sentiment import vader_analyzer

WORD_COLUMNS = ["sentence_id", "tool", "start", "end", "words", "polarity", "subjectivity", "modifiers"]


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
    return but_rule(words, sentiments)


def but_rule(words: list[str], valences: list[float]) -> list[float]:
    """VADER's documented contrast rule: after the first "but" a word's valence counts 1.5 times,
    before it half. VADER 3.3.2 applies it to the first position holding each value (its loop
    looks values up with ``list.index``); doing the same keeps the compound exactly its own."""
    lowered = [str(word).lower() for word in words]
    if "but" not in lowered:
        return valences
    pivot, out = lowered.index("but"), list(valences)
    for i in range(len(out)):
        value = out[i]
        first = out.index(value)
        if first != pivot:
            out[first] = value * (0.5 if first < pivot else 1.5)
    return out


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
