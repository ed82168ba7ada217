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

from .corpus import REPO_ROOT, default_article_path, load_article
from .errors import InputError

# What every chapter reads besides its own code cells, relative to the book's root.
INPUT_PATHS = ["data", "src/diplotext", "book/references.bib", "CITATION.cff"]


def input_files(article: Path, root: Path = REPO_ROOT) -> list[Path]:
    """The files the notebooks read: the article, its metadata, the data and the package."""
    files = [article, article.with_suffix(".yml")]
    for entry in INPUT_PATHS:
        path = root / entry
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        else:
            files.append(path)
    return files


def fingerprint(article: Path, root: Path = REPO_ROOT) -> str:
    """SHA-256 over the names and bytes of every input file (missing files count as absent)."""
    digest = hashlib.sha256()
    for path in input_files(article, root):
        digest.update(str(path.resolve()).encode())
        digest.update(path.read_bytes() if path.exists() else b"<absent>")
    return digest.hexdigest()


def refresh(article: Path | None = None, root: Path = REPO_ROOT) -> bool:
    """Drop cached executions if the inputs changed since the last build; True if dropped."""
    article = Path(article or default_article_path()).resolve()
    stamp = root / "_build" / ".inputs.sha256"
    current = fingerprint(article, root)
    if stamp.exists() and stamp.read_text().strip() == current:
        return False
    cache_dir = root / "_build" / ".jupyter_cache"
    if cache_dir.exists():
        from jupyter_cache import get_cache

        cache = get_cache(cache_dir)
        for record in cache.list_cache_records():
            cache.remove_cache(record.pk)
    for notebook in (root / "notebooks").glob("*.ipynb"):
        os.utime(notebook)  # Sphinx re-reads a source only when it looks modified
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n")
    return True


def main() -> int:
    """Check the book's article (one error line, exit 2, if it is bad), then refresh the cache."""
    try:
        load_article(default_article_path())
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    dropped = refresh()
    print("inputs changed: notebooks will be re-executed" if dropped else "inputs unchanged: cached outputs reused",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
