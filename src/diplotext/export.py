"""Export stage: write the tables as CSV files, the same for the CLI and the book's downloads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import InputError


def write_tables(tables: dict[str, pd.DataFrame], out: Path | str) -> list[Path]:
    """Write each table to ``OUT/NAME.csv`` (UTF-8, ``\\n`` line ends); return the paths."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, table in tables.items():
        path = out / f"{name}.csv"
        table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        paths.append(path)
    return paths


def combine(per_article: dict[str, dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Stack several articles' tables into one table each, with an ``article`` column first."""
    combined: dict[str, list[pd.DataFrame]] = {}
    for name, tables in per_article.items():
        for table_name, table in tables.items():
            combined.setdefault(table_name, []).append(table.assign(article=name))
    return {
        table_name: pd.concat(parts, ignore_index=True).pipe(lambda t: t[["article", *t.columns[:-1]]])
        for table_name, parts in combined.items()
    }
