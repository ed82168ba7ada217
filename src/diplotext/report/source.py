"""Chapter 1 (the source): sentence lengths, their figure, and sentences of computed prose.

Every statement here is computed from the article it is given, so the chapter reads true for
any article the book is built for.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

# Above this many sentences the bar chart labels every fifth sentence, not each one.
_LABEL_EVERY_SENTENCE = 40
# Two alternating colours mark paragraphs: a legend stays short for any number of them.
_PARAGRAPH_COLOURS = ("#1f77b4", "#9ecae1")
# The kinds of diplotext.segment.translation_debris whose plural is not "+s".
_PLURALS = {"glued sentence boundary": "glued sentence boundaries", "capital inside a word": "capitals inside a word"}


def sentence_lengths(sentences: pd.DataFrame) -> pd.DataFrame:
    """Words and characters of each sentence (words: runs of non-space characters)."""
    return sentences.assign(
        words=sentences.text.str.split().str.len(),
        characters=sentences.end - sentences.start,
    )[["sentence_id", "paragraph_id", "words", "characters", "start", "end"]]


def format_count(value: float) -> str:
    """``23.5`` stays 23.5; ``24.0`` shows as 24."""
    return f"{value:.1f}".removesuffix(".0")


def _ids_phrase(ids: list[int]) -> str:
    ids = [str(i) for i in ids]
    if len(ids) == 1:
        return f"sentence {ids[0]}"
    return "sentences " + (", ".join(ids[:-1]) + " and " + ids[-1])


def extreme_phrase(lengths: pd.DataFrame, which: str) -> str:
    """Who is shortest or longest, ties included: "sentences 2 and 7 (10 words each)"."""
    if lengths.empty:
        return "no sentence"
    value = lengths.words.min() if which == "shortest" else lengths.words.max()
    ids = lengths.loc[lengths.words == value, "sentence_id"].tolist()
    unit = "word" if value == 1 else "words"
    each = " each" if len(ids) > 1 else ""
    return f"{_ids_phrase(ids)} ({value} {unit}{each})"


def length_summary(lengths: pd.DataFrame) -> str:
    """One sentence on the median, the longest and the shortest sentence."""
    if lengths.empty:
        return "The article has no sentences."
    if len(lengths) == 1:
        return f"The article is one sentence of {lengths.words.iloc[0]} words."
    return (
        f"The median sentence has {format_count(lengths.words.median())} words; "
        f"the longest is {extreme_phrase(lengths, 'longest')}, "
        f"the shortest {extreme_phrase(lengths, 'shortest')}."
    )


def lengths_figure(lengths: pd.DataFrame):
    """Bar chart of words per sentence, paragraphs in alternating colours, median dashed."""
    fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
    colours = [_PARAGRAPH_COLOURS[(p - 1) % 2] for p in lengths.paragraph_id]
    ax.bar(lengths.sentence_id, lengths.words, color=colours)
    ax.set_xlabel("sentence number")
    ax.set_ylabel("words")
    if len(lengths) <= _LABEL_EVERY_SENTENCE:
        ax.set_xticks(lengths.sentence_id)
    handles = [plt.Rectangle((0, 0), 1, 1, color=_PARAGRAPH_COLOURS[0], label="odd paragraph (1, 3, …)")]
    if lengths.paragraph_id.nunique() > 1:
        handles.append(plt.Rectangle((0, 0), 1, 1, color=_PARAGRAPH_COLOURS[1], label="even paragraph (2, 4, …)"))
    if not lengths.empty:
        median = lengths.words.median()
        handles.append(ax.axhline(median, color="0.3", linestyle="--", linewidth=1,
                                  label=f"median: {format_count(median)} words"))
    # Above the bars, not beside them: the figure keeps its width on a phone.
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.01), ncol=len(handles), frameon=False, fontsize=8)
    return fig


def debris_summary(debris: pd.DataFrame) -> str:
    """How many traces of each kind the segmenter found, in words."""
    if debris.empty:
        return "The segmenter found none of these traces in this article."
    counts = debris.kind.value_counts()
    parts = [f"{n} {kind if n == 1 else _PLURALS.get(kind, kind + 's')}" for kind, n in counts.items()]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"The segmenter found {listed}."
