"""A chapter's tables as CSV files beside its page, offered as MyST ``{download}`` links."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..corpus import REPO_ROOT, default_article_path
from ..errors import InputError
from ..export import write_tables
from .citation import chapter_docname

# Inside _build so that `make clean` drops the CSVs together with the execution cache that
# would otherwise skip the cells that write them.
DOWNLOADS_DIR = REPO_ROOT / "_build" / "downloads"
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


@dataclass(frozen=True)
class DownloadLinks:
    """CSV files written for a chapter; shows as a list of MyST ``{download}`` links."""

    files: tuple[Path, ...]
    shapes: tuple[tuple[int, int], ...]

    def _repr_markdown_(self) -> str:
        # Only names checked against _NAME and the project's own folders reach the Markdown.
        lines = []
        for path, (rows, columns) in zip(self.files, self.shapes):
            target = "/" + path.relative_to(REPO_ROOT).as_posix()
            lines.append(f"- {{download}}`{path.name} <{target}>` ({rows} rows, {columns} columns)")
        return "\n".join(lines) + "\n"

    def __repr__(self) -> str:
        return "\n".join(str(path) for path in self.files)


def download_tables(tables: Mapping[str, pd.DataFrame], chapter: Path | str) -> DownloadLinks:
    """Write a chapter's tables as CSV files for its page and return links to them."""
    docname = chapter_docname(chapter)
    if not tables:
        raise InputError(f"{docname}: no tables to offer for download")
    for name, table in tables.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise InputError(f"table name {name!r}: use lower-case letters, digits, '_' or '-'")
        if not isinstance(table, pd.DataFrame):
            raise InputError(f"table {name!r}: expected a pandas DataFrame, got {type(table).__name__}")
    # One folder per article, so that building the book for another article (in another
    # output folder) never overwrites the files this build's pages link to. The article's
    # file name is reduced to safe characters: it becomes part of a MyST link.
    article = re.sub(r"[^A-Za-z0-9_.-]", "_", default_article_path().stem) or "article"
    folder = DOWNLOADS_DIR / article / Path(docname).name
    files = write_tables(dict(tables), folder)
    return DownloadLinks(files=tuple(files), shapes=tuple(t.shape for t in tables.values()))
