"""Chapter 3 helpers: highlighted words, the register markers judged by the general lexicons,
tone by voice, the agreement figures and the disagreements with the hand labels, figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._lazy import pd
from ..tables import require_columns
from ..sentiment import LEXICON_PATH, TEXTBLOB_CUTOFF, VADER_CUTOFF, label_score, load_register, score_text
from ..voice import VOICES

VERDICTS = ["agrees", "misses", "inverts", "adds tone"]


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


# --- figures ---------------------------------------------------------------------------------


def score_bars_figure(scores: pd.DataFrame):
    """Two panels of bars, one per sentence: TextBlob polarity and VADER compound, the neutral band shaded."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8, 4.2), sharey=True)
    for ax, column, cutoff, title in ((axes[0], "textblob_polarity", TEXTBLOB_CUTOFF, "TextBlob polarity"),
                                      (axes[1], "vader_compound", VADER_CUTOFF, "VADER compound")):
        values = scores[column]
        colours = np.where(values >= cutoff, "#1b7837", np.where(values <= -cutoff, "#b2182b", "#999999"))
        ax.barh(scores.sentence_id, values, color=colours)
        ax.axvspan(-cutoff, cutoff, color="#eeeeee", zorder=0)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlim(-1, 1)
        ax.set_title(title)
    axes[0].set_ylabel("sentence number")
    axes[0].set_yticks(scores.sentence_id)
    axes[0].invert_yaxis()
    plt.close(fig)
    return fig


def subjectivity_figure(scores: pd.DataFrame):
    """TextBlob subjectivity per sentence, as bars from 0 to 1."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 2.8))
    ax.bar(scores.sentence_id, scores.textblob_subjectivity, color="#5e3c99")
    ax.set_ylim(0, 1)
    ax.set_xticks(scores.sentence_id)
    ax.set_xlabel("sentence number")
    ax.set_ylabel("TextBlob subjectivity")
    plt.close(fig)
    return fig


_TONE_COLOURS = {"positive": "#1b7837", "neutral": "#999999", "negative": "#b2182b"}


def voice_figure(scores: pd.DataFrame, voices: pd.DataFrame):
    """One row per voice, one dot per sentence at its tone score, coloured by its tone label;
    each row is labelled with its number of sentences."""
    import matplotlib.pyplot as plt

    data = scores[["sentence_id", "tone", "tone_score"]].merge(voices[["sentence_id", "voice"]], on="sentence_id")
    order = [v for v in VOICES if v in set(data.voice)] + sorted(set(data.voice) - set(VOICES))
    fig, ax = plt.subplots(figsize=(7, 0.6 + 0.55 * max(len(order), 1)))
    for row, voice in enumerate(order):
        part = data[data.voice == voice]
        jitter = np.linspace(-0.15, 0.15, len(part)) if len(part) > 1 else [0.0]
        ax.scatter(part.tone_score, row + np.asarray(jitter), c=[_TONE_COLOURS[t] for t in part.tone], zorder=3)
    ax.axvline(0, color="black", linewidth=0.8)
    counts = data.voice.value_counts()
    ax.set_yticks(range(len(order)), [f"{v.replace('_', ' ')} (n = {counts[v]})" for v in order])
    ax.set_xlabel("tone score (green positive, grey neutral, red negative)")
    ax.invert_yaxis()
    plt.close(fig)
    return fig
