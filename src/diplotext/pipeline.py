"""Run the stages in order: corpus -> segment -> entities | sentiment | chronology.

``analyze`` is the one obvious call: give it an article (or a path) and get its tables.
``analyze_many`` maps it over many files, in parallel, yielding results in input order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from .chronology import build_chronology
from .corpus import Article, load_article
from .entities import find_mentions, summarise_entities
from .errors import InputError
from .export import render_rows
from .segment import segment
from .sentiment import score_sentences


def analyze(article: Article | Path | str, published: str | None = None) -> dict[str, pd.DataFrame]:
    """Analyse one article; return its tables by name, in pipeline order."""
    if not isinstance(article, Article):
        article = load_article(article, published=published)
    sentences = segment(article.raw)
    mentions = find_mentions(article.raw, sentences, published=article.published)
    return {
        "sentences": sentences,
        "mentions": mentions,
        "entities": summarise_entities(mentions),
        "sentiment": score_sentences(sentences),
        "chronology": build_chronology(article.raw, sentences, article.published, mentions),
    }


def analyze_file(path: Path, published: str | None = None) -> tuple[Path, dict[str, pd.DataFrame] | None, str | None]:
    """Analyse one file for a batch: ``(path, tables, None)`` or ``(path, None, error message)``."""
    try:
        return path, analyze(path, published=published), None
    except InputError as exc:
        return path, None, str(exc)
    except OSError as exc:
        return path, None, f"{path}: {exc.strerror or exc}"


def analyze_file_to_csv(path: Path, published: str | None = None) -> tuple[Path, dict | None, str | None]:
    """Like ``analyze_file``, with the tables already rendered as CSV rows for a TableWriter.

    Rendering in the worker keeps the parent process, which only writes, from becoming the
    bottleneck, and sends text between processes instead of pickled DataFrames.
    """
    path, tables, error = analyze_file(path, published)
    return path, (render_rows(path.stem, tables) if tables is not None else None), error


def _analyze_file_to_csv_args(args):
    return analyze_file_to_csv(*args)


def warm_up() -> None:
    """Import and load everything once (knowledge base, lexicons, VADER) before workers fork."""
    analyze(Article(name="warm-up", path=Path("warm-up.txt"), raw=_WARM_UP_TEXT, meta={"published": "2022-09-15"}))


_WARM_UP_TEXT = "On 15 September 2022, Xi Jinping met Vladimir Putin in Samarkand. The talks went well."


def analyze_many(paths: list[Path], published: str | None = None, jobs: int | None = None) -> Iterator[tuple]:
    """Yield ``analyze_file_to_csv`` results for ``paths`` in order, using ``jobs`` processes."""
    jobs = jobs or os.cpu_count() or 1
    tasks = [(path, published) for path in paths]
    if jobs == 1 or len(paths) < 4:
        yield from map(_analyze_file_to_csv_args, tasks)
        return
    warm_up()
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(processes=jobs) as pool:
        # Results come back in input order; chunks keep inter-process traffic low.
        chunksize = max(1, min(32, len(paths) // (jobs * 8)))
        yield from pool.imap(_analyze_file_to_csv_args, tasks, chunksize=chunksize)
