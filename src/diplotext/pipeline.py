"""Run the stages in order: corpus -> segment -> entities | sentiment | chronology.

``analyze`` is the one obvious call: give it an article (or a path) and get its ``Analysis``.
``analyze_many`` maps it over many files, in parallel, yielding results in input order.
"""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Iterator
from pathlib import Path

from .analysis import Analysis
from .chronology import chronology_columns
from .corpus import Article, load_article
from .entities import entity_columns, mention_columns
from .errors import InputError
from .export import render_rows
from .parse import parse_many
from .segment import sentence_columns
from .sentiment import sentiment_columns
from .quotes import quote_columns
from .tables import TABLES, frame
from .times import dateline_date, find_times, time_columns
from .workers import available_cores, imap_in_order  # noqa: F401  (available_cores is read from here too)


def analyze(article: Article | Path | str, published: str | None = None, jobs: int | None = None) -> Analysis:
    """Analyse one article; return its ``Analysis``: the article, the parse and every table.

    A long article is parsed in up to ``jobs`` processes (default: one per core).

    The tables are those of ``segment``, ``find_mentions``, ``summarise_entities``,
    ``score_sentences``, ``build_chronology``, ``build_times`` and ``find_quotes`` called in turn
    (tests/test_cli.py checks it); ``Analysis.tables`` lists them in pipeline order.
    """
    if not isinstance(article, Article):
        article = load_article(article, published=published)
    (columns,), (doc,) = _stages([article], processes=jobs or available_cores())
    date, source = document_date(article)
    return Analysis(article=article, document_date=date, date_source=source, doc=doc,
                    **{name: frame(name, columns[name]) for name in TABLES})


def document_date(article: Article) -> tuple[dt.date | None, str]:
    """``(date, source)``: the metadata's date, else a dateline's ("MANILA, Dec. 6 (Xinhua)"),
    with where it came from ("metadata" or "dateline"; the date is None when neither has one)."""
    if article.published:
        return article.published, "metadata"
    return dateline_date(article.raw), "dateline"


def analyze_columns(article: Article | Path | str, published: str | None = None) -> dict[str, dict[str, list]]:
    """``analyze`` with each table as plain lists, column by column: what the stages pass on.

    Building DataFrames for a short article costs more than some stages; a folder of articles
    is written from these lists directly (``export.render_columns``).
    """
    if not isinstance(article, Article):
        article = load_article(article, published=published)
    return _run_stages([article])[0]


def _run_stages(articles: list[Article]) -> list[dict[str, dict[str, list]]]:
    """Each article's tables as plain columns, running one stage over all of them before the next."""
    return _stages(articles)[0]


def _stages(articles: list[Article], processes: int = 1) -> tuple[list[dict[str, dict[str, list]]], list]:
    """``_run_stages`` and the parse of each article, which ``analyze`` keeps; the parse in up
    to ``processes`` processes."""
    raws = [article.raw for article in articles]
    dates, date_sources = zip(*map(document_date, articles)) if articles else ((), ())
    sentences = [sentence_columns(raw) for raw in raws]
    docs = parse_many(raws, processes)  # the one parse of each article; later stages read it
    mentions = [mention_columns(raw, s, published=date, doc=doc) for raw, s, date, doc in zip(raws, sentences, dates, docs)]
    entities = [entity_columns(m) for m in mentions]
    sentiment = [sentiment_columns(s, doc=doc) for s, doc in zip(sentences, docs)]
    quotes = [quote_columns(s, m, doc) for s, m, doc in zip(sentences, mentions, docs)]
    timexes = [find_times(raw, date, doc) for raw, date, doc in zip(raws, dates, docs)]
    times = [time_columns(raw, s, t, date, source)
             for raw, s, t, date, source in zip(raws, sentences, timexes, dates, date_sources)]
    chronology = [chronology_columns(raw, s, date, m, timexes=t, doc=doc)
                  for raw, s, date, m, t, doc in zip(raws, sentences, dates, mentions, timexes, docs)]
    tables = [dict(zip(TABLES, tables))
              for tables in zip(sentences, mentions, entities, sentiment, chronology, times, quotes)]
    return tables, docs


def analyze_file_to_csv(path: Path, published: str | None = None) -> tuple[Path, dict | None, str | None]:
    """Analyse one file of a batch: ``(path, its tables rendered as CSV rows for a TableWriter,
    None)``, or ``(path, None, the one-line error)``.

    Rendering in the worker keeps the parent process, which only writes, from becoming the
    bottleneck, and sends text between processes instead of pickled DataFrames.
    """
    return analyze_batch_to_csv([path], published)[0]


def analyze_batch_to_csv(paths: list[Path], published: str | None = None) -> list[tuple[Path, dict | None, str | None]]:
    """``analyze_file_to_csv`` of each path, in order, running the stages across the batch.

    One stage over a batch of articles before the next keeps that stage's code and lexicons
    in the processor's caches: about a tenth less time per article than one at a time.
    """
    loaded = [_one_of_a_batch(path, lambda path=path: load_article(path, published=published)) for path in paths]
    good = [(path, article) for path, article, error in loaded if error is None]
    try:
        tables = iter(_run_stages([article for _, article in good]))
        rendered = {path: render_rows(path.stem, next(tables)) for path, _ in good}
    except Exception:  # one article broke a stage: redo one by one, so only it is lost
        return [_one_of_a_batch(path, lambda path=path: render_rows(path.stem, analyze_columns(path, published)))
                for path in paths]
    return [(path, rendered[path], None) if error is None else (path, None, error) for path, _, error in loaded]


def _one_of_a_batch(path: Path, work) -> tuple[Path, object, str | None]:
    """``(path, work(), None)``, or ``(path, None, the one-line error)``: for bad input, and for
    an article that makes a stage fail, so that one article never costs the others' rows."""
    try:
        return path, work(), None
    except Exception as exc:
        return path, None, describe_failure(path, exc)


def describe_failure(path: Path, exc: Exception) -> str:
    """One line saying why ``path`` could not be analysed."""
    if isinstance(exc, InputError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{path}: {exc.strerror or exc}"
    detail = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"{path}: the analysis failed ({type(exc).__name__}{': ' + detail if detail else ''})"


def _analyze_batch_to_csv_args(args):
    return analyze_batch_to_csv(*args)


def warm_up() -> None:
    """Import and load everything once (knowledge base, lexicons, VADER) before workers fork."""
    article = Article(name="warm-up", path=Path("warm-up.txt"), raw=_WARM_UP_TEXT, meta={"published": "2022-09-15"})
    render_rows(article.name, analyze_columns(article))


_WARM_UP_TEXT = "On 15 September 2022, Xi Jinping met Vladimir Putin in Samarkand. The talks went well."


def analyze_many(paths: list[Path], published: str | None = None, jobs: int | None = None) -> Iterator[tuple]:
    """Yield ``analyze_file_to_csv`` results for ``paths`` in order, using ``jobs`` processes
    (at most one per core and one per article)."""
    jobs = max(1, min(jobs or available_cores(), available_cores(), len(paths)))
    # Batches of up to 32 articles: few messages between processes, stages run across a batch.
    size = max(1, min(32, len(paths) // (jobs * 8)))
    batches = [(paths[i : i + size], published) for i in range(0, len(paths), size)]
    if jobs == 1 or len(paths) < 4:
        for batch in batches:
            yield from analyze_batch_to_csv(*batch)
        return
    warm_up()
    for results in imap_in_order(_analyze_batch_to_csv_args, batches, jobs,
                                 one_by_one=lambda batch: [([path], batch[1]) for path in batch[0]],
                                 died=_died):
        yield from results


def _died(batch: tuple, exitcode: int) -> list[tuple[Path, None, str]]:
    """The result of a one-file batch whose process died: that file's one-line error."""
    how = f"was killed by signal {-exitcode}" if exitcode < 0 else f"exited with code {exitcode}"
    cause = " (out of memory?)" if exitcode == -signal.SIGKILL else ""
    return [(path, None, f"{path}: the process analysing it {how}{cause}") for path in batch[0]]

