"""Chapter 3 helpers: the words behind each score, the register markers judged by the general
lexicons, tone by voice, and the disagreements with the hand labels, as tables and prose."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from textblob import TextBlob
from textblob.en import sentiment as _pattern_lexicon

from .._lazy import pd
from ..columns import SENTENCE_COLUMNS, require_columns
from ..errors import InputError
from ..sentiment import LEXICON_PATH, TEXTBLOB_CUTOFF, VADER_CUTOFF, label_score, load_register, score_text, vader_analyzer
from ..voice import VOICES

WORD_COLUMNS = ["sentence_id", "tool", "start", "end", "words", "polarity", "subjectivity", "modifiers"]
VERDICTS = ["agrees", "misses", "inverts", "adds tone"]



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


def verdict_counts(judged: pd.DataFrame) -> pd.DataFrame:
    """Markers per verdict and lexicon (every verdict, zeros included): the counts the chapter quotes."""
    counts = {tool: [int((judged[f"{tool}_verdict"] == verdict).sum()) for verdict in VERDICTS]
              for tool in ("textblob", "vader")}
    return pd.DataFrame(counts, index=pd.Index(VERDICTS, name="verdict"))


# --- tone by voice ---------------------------------------------------------------------------


def tone_by_voice(scores: pd.DataFrame, voices: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per voice (in the order of ``VOICES``): sentences, their ids, the tone labels counted and
    the mean tone score. ``voices`` (``sentence_id, voice``, e.g. from the quotes table) replaces
    the ``voice`` column of ``scores``."""
    require_columns(scores, ["sentence_id", "tone", "tone_score"], "tone_by_voice")
    if voices is not None:
        scores = scores.drop(columns=["voice"], errors="ignore").merge(voices[["sentence_id", "voice"]], on="sentence_id")
    table = scores.groupby("voice").agg(
        sentences=("sentence_id", "count"), sentence_ids=("sentence_id", lambda s: ",".join(map(str, s))),
        positive=("tone", lambda s: int((s == "positive").sum())), neutral=("tone", lambda s: int((s == "neutral").sum())),
        negative=("tone", lambda s: int((s == "negative").sum())), mean_tone_score=("tone_score", "mean"))
    order = [v for v in VOICES if v in table.index] + [v for v in table.index if v not in VOICES]
    return table.loc[order].reset_index()


_TOOL_NAMES = {"textblob": ("TextBlob", "textblob_polarity"), "vader": ("VADER", "vader_compound")}


def describe_disagreements(comparison: pd.DataFrame, words: pd.DataFrame, markers: pd.DataFrame) -> str:
    """Markdown: for each sentence where a tool and the hand label differ, the scores, the words
    that drove them, the register markers, and what went wrong (misses, reads tone in, inverts)."""
    items = []
    for row in comparison.sort_values("sentence_id").itertuples():
        wrong = [tool for tool in _TOOL_NAMES if getattr(row, f"{tool}_label") != row.hand_label]
        if not wrong and getattr(row, "tone", row.hand_label) == row.hand_label:
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
        if hasattr(row, "tone"):
            cues = _counted_cues(row.tone_evidence) or "no cue"
            lines.append(f"Tone {row.tone_score:+.2f} → {row.tone} ({cues}): "
                         f"{'agrees' if row.tone == row.hand_label else 'differs'}.")
        items.append("- " + " ".join(lines))
    return "\n".join(items) if items else "Every labeller agrees with every hand label."


def _counted_cues(evidence: str) -> str:
    """The evidence items that carry weight, in italics: what decided the tone."""
    items = [item for item in evidence.split("; ") if item and not item.endswith("+0.00)")]
    return ", ".join(f"*{item.rsplit(' (', 1)[0]}* {item.rsplit(' ', 1)[1].rstrip(')')}" for item in items)


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




# --- validation: the figures the chapter reports --------------------------------------------

LABELLERS = {"tone": "tone", "textblob": "textblob_label", "vader": "vader_label"}
LABELLER_NAMES = {"tone": "tone (this book)", "textblob": "TextBlob", "vader": "VADER"}


def agreements(gold, table: pd.DataFrame, groups=None) -> pd.DataFrame:
    """``evaluation.agreement_table`` of the three labellers' columns of ``table`` against ``gold``
    (``groups``: the article of each sentence, for the per-article majority baseline)."""
    from ..evaluation import agreement_table

    return agreement_table(list(gold), {name: table[column].tolist() for name, column in LABELLERS.items()}, groups)


def agreement_display(table: pd.DataFrame) -> pd.DataFrame:
    """The agreement table for reading: each figure with its bootstrap 95 % interval."""
    shown = pd.DataFrame({"labeller": [LABELLER_NAMES.get(name, name) for name in table.labeller],
                          "agreements": [f"{a} of {n}" for a, n in zip(table.agreements, table.sentences)]})
    for metric, title in (("accuracy", "accuracy"), ("macro_f1", "macro-F1"), ("kappa", "Cohen's kappa")):
        shown[f"{title} [95 % interval]"] = [f"{v:.2f} [{lo:.2f}, {hi:.2f}]" for v, lo, hi in
                                             zip(table[metric], table[f"{metric}_low"], table[f"{metric}_high"])]
    return shown


def validation_figures(table: pd.DataFrame, prefix: str) -> dict:
    """Every figure of an agreement table by the name the chapter glues it under,
    e.g. ``{prefix}_tone_accuracy``, ``{prefix}_majority_accuracy_low``, ``{prefix}_majority_label``."""
    figures = {}
    for row in table.itertuples(index=False):
        name = row.labeller
        if name.startswith("majority ("):
            name = "majority"
            figures[f"{prefix}_majority_label"] = row.labeller.split("(")[1].rstrip(")")
        name = name.replace(" ", "_")
        figures[f"{prefix}_{name}_agreements"] = int(row.agreements)
        for metric in ("accuracy", "macro_f1", "kappa"):
            for suffix in ("", "_low", "_high"):
                figures[f"{prefix}_{name}_{metric}{suffix}"] = float(getattr(row, metric + suffix))
    figures[f"{prefix}_sentences"] = int(table.sentences.iloc[0])
    return figures


def confusion_matrices(gold, table: pd.DataFrame) -> pd.DataFrame:
    """Hand label (rows) against each labeller's label (column groups), side by side."""
    from ..evaluation import MISSING, confusion_matrix

    gold = list(gold)
    return pd.concat({LABELLER_NAMES[name]: confusion_matrix(gold, [v if v else MISSING for v in table[column]])
                      for name, column in LABELLERS.items()}, axis=1)
