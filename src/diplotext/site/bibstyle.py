"""Author-year reference styles for pybtex and sphinxcontrib-bibtex.

Labels read as an author-year citation ("President of Russia, 2022b"); works by the same
author in the same year get the letters a, b, c in the order of their titles, as APA does.
The entry layout is APA-like for the entry types this book writes itself (book, chapter,
web record) and pybtex's ``unsrt`` for the rest.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from string import ascii_lowercase

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitle
from pybtex.style.template import field as bib_field
from pybtex.style.template import href, join, node, optional, sentence, tag, words

STYLE = "diplotext"
REFERENCE_STYLE = "diplotext_author_year"


class AuthorYearLabels(BaseLabelStyle):
    """``Family, 2022``, ``A & B, 2014``, ``A et al., 2003``; ``2022a`` and ``2022b`` when two
    entries would otherwise share a label."""

    def format_labels(self, sorted_entries):
        labels = [self.format_label(entry) for entry in sorted_entries]
        repeats = Counter(labels)
        seen: Counter = Counter()
        for label in labels:
            if repeats[label] == 1:
                yield label
            else:
                yield label + ascii_lowercase[seen[label] % 26]
                seen[label] += 1

    def format_label(self, entry) -> str:
        persons = entry.persons.get("author") or entry.persons.get("editor") or []
        if len(persons) == 1:
            who = _family(persons[0])
        elif len(persons) == 2:
            who = f"{_family(persons[0])} & {_family(persons[1])}"
        elif persons:
            who = f"{_family(persons[0])} et al."
        else:
            who = _plain(entry.fields.get("organization") or entry.fields.get("title") or "Anonymous")
        return f"{who}, {entry.fields.get('year', 'n.d.')}"


def _family(person) -> str:
    return _plain(" ".join(person.prelast_names + person.last_names))


def _plain(text: str) -> str:
    # LaTeX accents and braces out ("Str{\"o}tgen" -> "Strötgen"), for a label a reader sees;
    # latexcodec (a pybtex dependency) knows the accents.
    text = codecs.decode(str(text), "ulatex")
    return unicodedata.normalize("NFC", text.replace("{", "").replace("}", "")).strip()


class AuthorYearTitleSorting(AuthorYearTitle):
    """pybtex's author-year-title order, read as a reader sees the names: "{Al Jazeera}"
    sorts under A, not after Z where its brace would put it."""

    def sorting_key(self, entry):
        author, year, title = super().sorting_key(entry)
        return _plain(author).casefold(), year, _plain(title).casefold()


class AuthorYearStyle(UnsrtStyle):
    """pybtex's ``unsrt`` with author-year labels and APA-like book, chapter and web entries."""

    default_label_style = STYLE
    default_sorting_style = STYLE

    def format_entry(self, label, entry, bib_data=None):
        # The label goes into the template's data too: the year shows its letter ("2022b").
        get_template = getattr(self, f"get_{entry.type}_template", None)
        if get_template is None:
            return super().format_entry(label, entry, bib_data)
        context = {"entry": entry, "style": self, "bib_data": bib_data, "label": label}
        return FormattedEntry(entry.key, get_template(entry).format_data(context), label)

    def _apa_head(self):
        # "Authors. (2026)." The year carries the label's letter when there is one.
        return join[self.format_names("author", as_sentence=False), ". (", _label_year, ")."]

    def _apa_tail(self, e):
        return [optional[sentence[bib_field("publisher")]], optional[sentence[bib_field("howpublished")]],
                optional[sentence[bib_field("note")]], optional[self.format_url(e)], optional[self.format_doi(e)]]

    def get_book_template(self, e):
        return toplevel[self._apa_head(), words[tag("em")[bib_field("title")], optional[_version]], *self._apa_tail(e)]

    def get_incollection_template(self, e):
        return toplevel[
            self._apa_head(),
            sentence[bib_field("title")],
            words["In", tag("em")[bib_field("booktitle")], optional[_version]],
            *self._apa_tail(e),
        ]

    def get_misc_template(self, e):
        return toplevel[self._apa_head(), sentence[tag("em")[bib_field("title")]], *self._apa_tail(e)]

    def format_url(self, e):
        url = bib_field("url", raw=True)
        return href(url)[url]


@node
def _label_year(children, data):
    # The year part of the entry's label ("2022b"), else the year field.
    label = getattr(data.get("formatted_entry"), "label", None) or data.get("label") or ""
    if ", " in label:
        return Text(label.rsplit(", ", 1)[1])
    return Text(data["entry"].fields.get("year", "n.d."))


@node
def _version(children, data):
    version = data["entry"].fields.get("version")
    return Text(f"(Version {version}).") if version else Text(".")


def _reference_style():
    """sphinxcontrib-bibtex's author-year style with the year taken from the label."""
    from sphinxcontrib.bibtex.style.referencing import BracketStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
    from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
        BasicAuthorYearParentheticalReferenceStyle,
        BasicAuthorYearTextualReferenceStyle,
    )
    from sphinxcontrib.bibtex.style.template import join as sjoin
    from sphinxcontrib.bibtex.style.template import join2, post_text, pre_text, reference

    class Parenthetical(BasicAuthorYearParentheticalReferenceStyle):
        def inner(self, role_name):
            return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                pre_text,
                reference[sjoin(sep=self.author_year_sep)[
                    self.person.author_or_editor_or_title(full="s" in role_name), _label_year]],
                post_text,
            ]

    class Textual(BasicAuthorYearTextualReferenceStyle):
        def inner(self, role_name):
            return sjoin(sep=self.text_reference_sep)[
                self.person.author_or_editor_or_title(full="s" in role_name),
                sjoin[self.bracket.left,
                      join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[pre_text, reference[_label_year], post_text],
                      self.bracket.right],
            ]

    round_brackets = lambda: BracketStyle(left="(", right=")")  # noqa: E731

    @dataclass
    class DiplotextAuthorYear(AuthorYearReferenceStyle):
        # "(President of Russia, 2022b)" and "Loria (2018)": round brackets, as APA writes them.
        bracket_textual: BracketStyle = field(default_factory=round_brackets)
        bracket_parenthetical: BracketStyle = field(default_factory=round_brackets)

        def __post_init__(self):
            super().__post_init__()
            self.styles[0] = Parenthetical(
                bracket=self.bracket_parenthetical, person=self.person, author_year_sep=self.author_year_sep,
                pre_text_sep=self.pre_text_sep, post_text_sep=self.post_text_sep,
            )
            self.styles[1] = Textual(
                bracket=self.bracket_textual, person=self.person, text_reference_sep=self.text_reference_sep,
                pre_text_sep=self.pre_text_sep, post_text_sep=self.post_text_sep,
            )
            self.role_style.update((name, style) for style in self.styles[:2] for name in style.role_names())

    return DiplotextAuthorYear


def register() -> None:
    """Make the styles known to pybtex and sphinxcontrib-bibtex (safe to call twice)."""
    register_plugin("pybtex.style.labels", STYLE, AuthorYearLabels, force=True)
    register_plugin("pybtex.style.sorting", STYLE, AuthorYearTitleSorting, force=True)
    register_plugin("pybtex.style.formatting", STYLE, AuthorYearStyle, force=True)
    try:
        from sphinxcontrib.bibtex.plugin import register_plugin as register_reference_style
    except ImportError:  # pybtex alone (no Sphinx): the book's citation blocks still work
        return
    register_reference_style("sphinxcontrib.bibtex.style.referencing", REFERENCE_STYLE, _reference_style(), force=True)
