"""Keep the book's execution cache honest.

jupyter-cache keys a notebook on its code cells only, so a change to the article, its
metadata, the curated data or the package would otherwise publish old outputs. Before each
build we fingerprint everything the notebooks read; when the fingerprint changes, the cached
executions are dropped and the notebooks touched, so Sphinx reads and myst-nb re-executes them.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from .corpus import REPO_ROOT, default_article_path

CACHE_DIR = REPO_ROOT / "_build" / ".jupyter_cache"
STAMP = REPO_ROOT / "_build" / ".inputs.sha256"
# What every chapter reads besides its own code cells.
INPUT_DIRS = ["data", "src/diplotext", "book/references.bib"]


def input_files(article: Path) -> list[Path]:
    """The files the notebooks read: the article, its metadata, the data and the package."""
    files = [article, article.with_suffix(".yml")]
    for entry in INPUT_DIRS:
        path = REPO_ROOT / entry
        files += sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if path.is_dir() else [path]
    return files


def fingerprint(article: Path) -> str:
    """SHA-256 over the names and bytes of every input file (missing files count as absent)."""
    digest = hashlib.sha256()
    for path in input_files(article):
        digest.update(str(path.resolve()).encode())
        digest.update(path.read_bytes() if path.exists() else b"<absent>")
    return digest.hexdigest()


def refresh(article: Path | None = None, notebooks_dir: Path = REPO_ROOT / "notebooks") -> bool:
    """Drop cached executions if the inputs changed since the last build; True if dropped."""
    article = Path(article or default_article_path()).resolve()
    current = fingerprint(article)
    if STAMP.exists() and STAMP.read_text().strip() == current:
        return False
    if CACHE_DIR.exists():
        from jupyter_cache import get_cache

        cache = get_cache(CACHE_DIR)
        for record in cache.list_cache_records():
            cache.remove_cache(record.pk)
    for notebook in notebooks_dir.glob("*.ipynb"):
        os.utime(notebook)  # Sphinx re-reads a source only when it looks modified
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(current + "\n")
    return True


if __name__ == "__main__":
    dropped = refresh()
    print("inputs changed: notebooks will be re-executed" if dropped else "inputs unchanged: cached outputs reused",
          file=sys.stderr)
