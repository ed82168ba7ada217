"""Export stage: write the tables as CSV files, the same for the CLI and the book's downloads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import InputError

CSV_OPTIONS = {"index": False, "encoding": "utf-8", "lineterminator": "\n"}


def prepare_out(out: Path | str) -> Path:
    """Create the output folder; refuse a path that exists and is not a folder."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


def write_tables(tables: dict[str, pd.DataFrame], out: Path | str) -> list[Path]:
    """Write each table to ``OUT/NAME.csv`` (UTF-8, ``\\n`` line ends); return the paths."""
    out = prepare_out(out)
    paths = []
    for name, table in tables.items():
        path = out / f"{name}.csv"
        table.to_csv(path, **CSV_OPTIONS)
        paths.append(path)
    return paths


def render_rows(article: str, tables: dict[str, pd.DataFrame]) -> dict[str, tuple[str, str]]:
    """Render one article's tables as CSV, an ``article`` column first: ``{name: (header, rows)}``."""
    rendered = {}
    for name, table in tables.items():
        text = table.assign(article=article)[["article", *table.columns]].to_csv(index=False, lineterminator="\n")
        header, _, rows = text.partition("\n")
        rendered[name] = (header + "\n", rows)
    return rendered


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
