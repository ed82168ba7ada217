"""Export stage: write the tables as CSV files, the same for the CLI and the book's downloads.

Every table is rendered by one function, ``render_columns``: the bytes pandas' ``to_csv`` writes
(``index=False``, ``\\n`` line ends, missing values as empty fields, floats as ``repr``),
made with the standard ``csv`` module from the columns' values. Building the text this way
costs a small part of what ``to_csv`` costs on a short table, which matters when a folder of
thousands of articles is written.

Two safeguards, for files that leave the program:

- Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return) get a leading single quote, as the OWASP page on CSV
  injection recommends; numbers are never touched, and the exact text stays recoverable from
  the article through the ``start``/``end`` offsets.
- Tables are written under hidden temporary names and renamed only when every table is
  complete, so an interrupted run leaves nothing that looks finished; ``lock_out`` keeps a
  second run from writing into the same folder at the same time.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import operator
import os
import re
from collections.abc import Iterator
from itertools import compress, repeat
from pathlib import Path

from ._lazy import pd
from .errors import InputError

# Column types whose values the csv module writes exactly as pandas does, once missing values
# (None, NaN, pd.NA) are made empty. Anything else (dates, categories, ...) goes through pandas.
_PLAIN_KINDS = frozenset("biufO")
# The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_START = frozenset("=+-@\t\r")
_FIRST_CHARACTER = operator.itemgetter(slice(0, 1))
# A cell that is a plain number (``-0.3``, ``+5``) is read as that number, never as a formula.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
LOCK_NAME = ".diplotext.lock"


def prepare_out(out: Path | str) -> Path:
    """Create the output folder; refuse a path that exists and is not a folder."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


def neutralise(value):
    """``value`` as a CSV cell a spreadsheet will not run: text starting like a formula gets a
    leading ``'``; numbers, missing values and other text are returned unchanged."""
    if isinstance(value, str) and value[:1] in FORMULA_START and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _neutralise_column(values: list) -> list:
    # The first characters of the column's text cells, gathered at C speed: most columns have
    # none that a spreadsheet would read as a formula, and are returned as they are.
    firsts = set(map(_FIRST_CHARACTER, compress(values, map(isinstance, values, repeat(str)))))
    if firsts.isdisjoint(FORMULA_START):
        return values
    return [neutralise(value) for value in values]


def _is_plain(table: pd.DataFrame) -> bool:
    extension = (pd.Int64Dtype, pd.Int32Dtype, pd.BooleanDtype, pd.StringDtype, pd.Float64Dtype)
    return table.columns.is_unique and all(
        isinstance(dtype, extension) if isinstance(dtype, pd.api.extensions.ExtensionDtype) else dtype.kind in _PLAIN_KINDS
        for dtype in table.dtypes
    )


def _present(value):
    """The value as the csv module should write it: missing values (None, NaN, pd.NA) as ``None``."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def render_columns(columns: dict[str, list], article: str | None = None) -> tuple[str, str]:
    """``(header line, data lines)`` of a table given as plain lists, column by column, missing
    values as ``None``: the text pandas' ``to_csv(index=False, lineterminator="\\n")`` writes for
    the same values. With ``article``, an ``article`` column comes first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["article", *columns] if article is not None else list(columns))
    header = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    values = [_neutralise_column(column) for column in columns.values()]
    article = neutralise(article)
    if values and values[0]:
        writer.writerows(zip(*values) if article is None else zip([article] * len(values[0]), *values))
    return header, buffer.getvalue()


def render_csv(table: pd.DataFrame, article: str | None = None) -> tuple[str, str]:
    """``(header line, data lines)`` of ``table`` as CSV; with ``article``, an ``article`` column first."""
    if _is_plain(table):
        return render_columns({str(c): [_present(v) for v in table[c].tolist()] for c in table.columns}, article)
    text = [c for c, dtype in zip(table.columns, table.dtypes) if dtype.kind == "O" or isinstance(dtype, pd.StringDtype)]
    if text:
        table = table.assign(**{str(c): table[c].map(neutralise) for c in text})
    if article is not None:
        article = neutralise(article)
        table = table.assign(**{"\0article": article})[["\0article", *table.columns]]
    header, _, rows = table.to_csv(index=False, lineterminator="\n").partition("\n")
    if article is not None:
        header = header.replace("\0article", "article", 1)
    return header + "\n", rows


def write_tables(tables: dict[str, pd.DataFrame], out: Path | str) -> list[Path]:
    """Write each table to ``OUT/NAME.csv`` (UTF-8, ``\\n`` line ends); return the paths.
    The files appear together, once all are written."""
    with TableWriter(out) as writer:
        writer.write({name: render_csv(table) for name, table in tables.items()})
    return writer.paths


def render_rows(article: str, tables: dict[str, pd.DataFrame | dict[str, list]]) -> dict[str, tuple[str, str]]:
    """Render one article's tables (DataFrames, or plain columns from ``pipeline.analyze_columns``)
    as CSV, an ``article`` column first: ``{name: (header, rows)}``."""
    return {
        name: render_columns(table, article) if isinstance(table, dict) else render_csv(table, article)
        for name, table in tables.items()
    }


def partial_path(path: Path) -> Path:
    """Where ``path`` is written until it is complete: a hidden name that ends in ``.part``."""
    return path.with_name(f".{path.name}.part")


class TableWriter:
    """Append several articles' rendered tables to one CSV per table.

    Rows are written as each article arrives, so memory stays flat however many articles
    there are; each file's header is written once, by the first article that has that table.
    The files are written under ``partial_path`` names: ``commit`` renames them all to
    ``NAME.csv`` at the end, ``abort`` deletes them. As a context manager it commits when the
    block ends normally and aborts when it raises (an error, Ctrl-C).
    """

    def __init__(self, out: Path | str):
        self.out = prepare_out(out)
        self._files: dict[str, object] = {}
        self.paths: list[Path] = []

    def write(self, rendered: dict[str, tuple[str, str]]) -> None:
        """Write the output of ``render_rows`` for one article."""
        for name, (header, rows) in rendered.items():
            handle = self._files.get(name)
            if handle is None:
                path = partial_path(self.out / f"{name}.csv")
                handle = self._files[name] = open(path, "w", encoding="utf-8", newline="")
                handle.write(header)
            handle.write(rows)

    def commit(self) -> list[Path]:
        """Close every table and give each its final name; return the final paths."""
        for handle in self._files.values():
            handle.close()
        self.paths = [self.out / f"{name}.csv" for name in self._files]
        for path in self.paths:
            os.replace(partial_path(path), path)
        self._files = {}
        return self.paths

    def abort(self) -> None:
        """Close and delete the unfinished tables; finished tables of earlier runs are kept."""
        for name, handle in self._files.items():
            handle.close()
            partial_path(self.out / f"{name}.csv").unlink(missing_ok=True)
        self._files = {}

    def close(self) -> list[Path]:
        return self.commit()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self.commit()
        else:
            self.abort()


@contextlib.contextmanager
def lock_out(out: Path | str) -> Iterator[Path]:
    """Hold ``OUT/.diplotext.lock`` while the block runs, or raise InputError if another run
    holds it; the operating system releases it when the process ends, however it ends.
    Leftover ``.part`` files of a killed run are deleted once the lock is held."""
    out = prepare_out(out)
    handle = open(out / LOCK_NAME, "a+", encoding="utf-8")
    try:
        if not _try_lock(handle):
            raise InputError(f"{out}: another diplotext run is writing its tables here; "
                             "wait for it to finish or choose another --out")
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")  # who holds it, for a person looking
        handle.flush()
        for leftover in out.glob(".*.csv.part"):
            leftover.unlink(missing_ok=True)
        yield out
    finally:
        handle.close()  # releases the lock


def _try_lock(handle) -> bool:
    """Take an exclusive lock on an open file without waiting; False if another process has it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
