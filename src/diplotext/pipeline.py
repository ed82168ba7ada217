"""Run the stages in order: corpus -> segment -> entities | sentiment | chronology.

``analyze`` is the one obvious call: give it an article (or a path) and get its tables.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .corpus import Article, load_article
from .segment import segment


def analyze(article: Article | Path | str, published: str | None = None) -> dict[str, pd.DataFrame]:
    """Analyse one article; return its tables by name, in pipeline order."""
    if not isinstance(article, Article):
        article = load_article(article, published=published)
    sentences = segment(article.raw)
    return {"sentences": sentences}
