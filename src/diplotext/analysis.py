"""One article's analysis: the article, its parse and every table the stages built, in one object.

``diplotext.analyze(path)`` returns an :class:`Analysis`. The chapters of the book start from
it rather than calling the stages again, so what they show is what the command line writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ._lazy import pd
from .tables import TABLES
from .corpus import Article


@dataclass(frozen=True, eq=False)
class Analysis(Mapping):
    """Everything ``analyze`` found in one article.

    The tables are attributes (``analysis.mentions``) and, in pipeline order, ``tables``: the
    tables the command line writes, by name. An ``Analysis`` is also a read-only mapping of
    those names to tables (``analysis["mentions"]``, ``dict(analysis)``).
    """

    article: Article
    document_date: dt.date | None  # the metadata's date, else the dateline's, else None
    date_source: str  # "metadata" or "dateline"
    doc: object  # the spaCy parse (offsets are offsets into article.raw)
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    sentiment: pd.DataFrame
    chronology: pd.DataFrame
    times: pd.DataFrame
    quotes: pd.DataFrame

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in pipeline order (``columns.TABLES``): what the CLI writes."""
        return {name: getattr(self, name) for name in TABLES}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(table)}" for name, table in self.tables.items())
        return f"Analysis({self.article.name!r}, {sizes})"
