"""Shared helpers for the chapters: figure style and the article text as escaped HTML."""

from __future__ import annotations

import html

import matplotlib as mpl
import pandas as pd


def use_book_style() -> None:
    """Plot settings shared by every chapter; fixed so that rebuilt figures are identical."""
    mpl.rcParams.update(
        {
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "diplotext",
            "svg.fonttype": "none",
            "path.simplify": True,
        }
    )


def show_table(frame: pd.DataFrame, precision: int = 3):
    """A DataFrame for display: no index, numbers rounded, every cell HTML-escaped.

    An empty table shows as "None found." so that a chapter on an article with no dates or no
    names still reads clearly.
    """
    if frame.empty:
        from IPython.display import HTML

        return HTML('<p class="none-found"><em>None found.</em></p>')
    # A wide table scrolls sideways: tabindex lets keyboard users scroll it too.
    return (
        frame.style.hide(axis="index")
        .format(precision=precision, escape="html")
        .set_table_attributes('tabindex="0"')
    )


def highlight_html(text: str, spans, offset: int = 0) -> str:
    """Return ``text`` as HTML with ``spans`` marked; every character of ``text`` is escaped.

    ``spans`` is an iterable of ``(start, end, css_class, title)`` in offsets of the raw
    article; ``offset`` is where ``text`` starts in it. Overlapping spans keep the first.
    """
    parts = []
    position = 0
    for start, end, css_class, title in sorted(spans, key=lambda s: (s[0], -s[1])):
        start, end = start - offset, end - offset
        if start < position or start < 0 or end > len(text):
            continue
        parts.append(html.escape(text[position:start]))
        parts.append(
            f'<mark class="{html.escape(css_class)}" title="{html.escape(title)}">'
            f"{html.escape(text[start:end])}</mark>"
        )
        position = end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def numbered_text_html(sentences: pd.DataFrame, raw: str, spans=()) -> str:
    """The article as HTML paragraphs, each sentence prefixed by its number, spans marked."""
    spans = list(spans)
    paragraphs = []
    for _, group in sentences.groupby("paragraph_id", sort=True):
        sentences_html = []
        for row in group.itertuples():
            inside = [s for s in spans if row.start <= s[0] and s[1] <= row.end]
            body = highlight_html(raw[row.start : row.end], inside, offset=row.start)
            sentences_html.append(f'<sup class="sentence-number">[{row.sentence_id}]</sup>&#8239;{body}')
        paragraphs.append(
            f'<p><span class="paragraph-number">¶{group.paragraph_id.iloc[0]}</span> '
            + " ".join(sentences_html)
            + "</p>"
        )
    return '<div class="article-text">' + "\n".join(paragraphs) + "</div>"
