"""Export stage: write the tables as CSV files, the same for the CLI and the book's downloads.

Every table is rendered by one function, ``render_columns``: the bytes pandas' ``to_csv`` writes
(``index=False``, ``\\n`` line ends, missing values as empty fields, floats as ``repr``),
made with the standard ``csv`` module from the columns' values. Building the text this way
costs a small part of what ``to_csv`` costs on a short table, which matters when a folder of
thousands of articles is written.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from ._lazy import pd
from .errors import InputError

# Column types whose values the csv module writes exactly as pandas does, once missing values
# (None, NaN, pd.NA) are made empty. Anything else (dates, categories, ...) goes through pandas.
_PLAIN_KINDS = frozenset("biufO")


def prepare_out(out: Path | str) -> Path:
    """Create the output folder; refuse a path that exists and is not a folder."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


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
    values = list(columns.values())
    if values and values[0]:
        writer.writerows(zip(*values) if article is None else zip([article] * len(values[0]), *values))
    return header, buffer.getvalue()


def render_csv(table: pd.DataFrame, article: str | None = None) -> tuple[str, str]:
    """``(header line, data lines)`` of ``table`` as CSV; with ``article``, an ``article`` column first."""
    if _is_plain(table):
        return render_columns({str(c): [_present(v) for v in table[c].tolist()] for c in table.columns}, article)
    if article is not None:
        table = table.assign(**{"\0article": article})[["\0article", *table.columns]]
    header, _, rows = table.to_csv(index=False, lineterminator="\n").partition("\n")
    if article is not None:
        header = header.replace("\0article", "article", 1)
    return header + "\n", rows


def write_tables(tables: dict[str, pd.DataFrame], out: Path | str) -> list[Path]:
    """Write each table to ``OUT/NAME.csv`` (UTF-8, ``\\n`` line ends); return the paths."""
    out = prepare_out(out)
    paths = []
    for name, table in tables.items():
        path = out / f"{name}.csv"
        header, rows = render_csv(table)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(header + rows)
        paths.append(path)
    return paths


def render_rows(article: str, tables: dict[str, pd.DataFrame | dict[str, list]]) -> dict[str, tuple[str, str]]:
    """Render one article's tables (DataFrames, or plain columns from ``pipeline.analyze_columns``)
    as CSV, an ``article`` column first: ``{name: (header, rows)}``."""
    return {
        name: render_columns(table, article) if isinstance(table, dict) else render_csv(table, article)
        for name, table in tables.items()
    }


class TableWriter:
    """Append several articles' rendered tables to one CSV per table.

    Rows are written as each article arrives, so memory stays flat however many articles
    there are; each file's header is written once, by the first article that has that table.
    """

    def __init__(self, out: Path | str):
        self.out = prepare_out(out)
        self._files: dict[str, object] = {}

    def write(self, rendered: dict[str, tuple[str, str]]) -> None:
        """Write the output of ``render_rows`` for one article."""
        for name, (header, rows) in rendered.items():
            handle = self._files.get(name)
            if handle is None:
                handle = self._files[name] = open(self.out / f"{name}.csv", "w", encoding="utf-8", newline="")
                handle.write(header)
            handle.write(rows)

    def close(self) -> list[Path]:
        for handle in self._files.values():
            handle.close()
        return [self.out / f"{name}.csv" for name in self._files]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
