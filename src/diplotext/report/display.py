"""Shared helpers for the chapters: figure style, tables, and article text and metadata as
escaped HTML.

Whatever comes from an article or its metadata file is data, never markup: it reaches a page
only through :func:`escape_data` (``html.escape``) inside a ``text/html`` output, which
MyST-NB passes through unparsed. It is never printed as Markdown, where MyST would read
roles, directives or raw HTML in it.

Numbered tables: glue a table and caption it with the ``{numbered-table}`` directive of the
book's extension; it is numbered "Table 1.1" within its chapter and cited with ``{numref}``::

    glue("source_lengths_table", show_table(lengths), display=False)   # a code cell

    :::{numbered-table} source_lengths_table                            # a Markdown cell
    :name: tbl-source-lengths

    Words and characters in each of the {glue:text}`source_sentences` sentences.
    :::
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import matplotlib as mpl
import pandas as pd

# How a field with no value shows in a metadata table.
NO_VALUE = "\u2014"


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
    # Long text wraps (book/_static/diplotext.css); a table still too wide scrolls inside its
    # own box, never the page: tabindex lets keyboard users scroll it too.
    return (
        frame.style.hide(axis="index")
        .format(precision=precision, escape="html")
        .set_table_attributes('class="data-table" tabindex="0"')
    )


def escape_data(value) -> str:
    """Any value from an article or its metadata as HTML text: escaped, never markup."""
    if value is None or value == "":
        return NO_VALUE
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(item) for item in value)
    return html.escape(str(value), quote=True)


def metadata_html(meta: Mapping, skip=()) -> str:
    """An article's metadata fields as an HTML table; every name and value escaped."""
    rows = "".join(
        f'<tr><th scope="row">{escape_data(name)}</th><td>{escape_data(value)}</td></tr>'
        for name, value in meta.items()
        if name not in skip
    )
    return (
        '<table class="data-table metadata-table" tabindex="0">'
        "<thead><tr><th>field</th><th>value</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def quote_html(text, missing: str = "Nothing is recorded.") -> str:
    """Free text from a metadata file as an escaped block quote (blank lines start paragraphs)."""
    if not text or not str(text).strip():
        return f'<p class="none-found"><em>{html.escape(missing)}</em></p>'
    paragraphs = [p.strip() for p in str(text).split("\n\n") if p.strip()]
    body = "".join(f"<p>{escape_data(p)}</p>" for p in paragraphs)
    return f'<blockquote class="metadata-quote">{body}</blockquote>'


def prose_html(*paragraphs: str) -> str:
    """Paragraphs of computed prose; each is escaped, so values from the article stay text."""
    return "".join(f"<p>{escape_data(p)}</p>" for p in paragraphs if p)


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
