"""Keep the book's execution cache honest.

jupyter-cache keys a notebook on its code cells only, so a change to the article, its
metadata, the curated data or the package would otherwise publish old outputs. Before each
build we fingerprint everything the notebooks read; when the fingerprint changes, the cached
executions are dropped and the notebooks touched, so Sphinx reads and myst-nb re-executes them.

``python -m diplotext.buildcache --build`` is what ``make book`` runs: it checks the article,
refreshes the cache, starts the site's downloads afresh and runs ``jupyter-book build``. The
article comes from the environment (``DIPLOTEXT_MAKE_ARTICLE``, which ``make`` sets from
``ARTICLE``, else ``DIPLOTEXT_ARTICLE``), never through a shell command line, so any file
name works and nothing in it is run. When nothing the site is built from changed since the last
good HTML build, Sphinx is not started at all. A failed build forgets its fingerprint and Sphinx's saved environment, so the next build
executes and reads everything again and fails the same way instead of reusing outputs.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .corpus import ARTICLE_ENV, REPO_ROOT, default_article_path, load_article
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


def _stamp(root: Path) -> Path:
    return root / "_build" / ".inputs.sha256"


# What the site is built from besides the notebooks' inputs: its pages and configuration.
SITE_PATHS = ["notebooks", "book", "_config.yml", "_toc.yml"]


def site_fingerprint(article: Path, root: Path = REPO_ROOT, extra: tuple = ()) -> str:
    """SHA-256 over the notebooks' inputs, the site's sources and the build's options."""
    digest = hashlib.sha256(fingerprint(article, root).encode())
    digest.update(repr(extra).encode())
    for entry in SITE_PATHS:
        path = root / entry
        files = sorted(p for p in path.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts) \
            if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes() if file.exists() else b"<absent>")
    return digest.hexdigest()


def _site_stamp(root: Path) -> Path:
    return root / "_build" / ".site.sha256"


def refresh(article: Path | None = None, root: Path = REPO_ROOT) -> bool:
    """Drop cached executions if the inputs changed since the last build; True if dropped."""
    article = Path(article or default_article_path()).resolve()
    stamp = _stamp(root)
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


def forget(root: Path = REPO_ROOT) -> None:
    """After a failed build: drop the fingerprint (so the next build re-executes every notebook)
    and Sphinx's saved environment (so it re-reads every page and repeats every warning)."""
    _stamp(root).unlink(missing_ok=True)
    shutil.rmtree(root / "_build" / ".doctrees", ignore_errors=True)


def clean_downloads(article: Path, root: Path = REPO_ROOT, re_executing: bool = True, site: bool = True) -> None:
    """Start the site's downloads afresh: Sphinx copies every file the pages link to into
    ``_build/html/_downloads`` on each HTML build, so that folder is emptied (``site``); the
    article's own CSV folder is emptied when the notebooks that write it are about to run again."""
    if site:
        shutil.rmtree(root / "_build" / "html" / "_downloads", ignore_errors=True)
    if re_executing:
        shutil.rmtree(root / "_build" / "downloads" / Path(article).stem, ignore_errors=True)


def book_article(environ=os.environ) -> Path:
    """The article ``make book`` builds, as an absolute path (the notebooks run in another folder)."""
    name = environ.get("DIPLOTEXT_MAKE_ARTICLE") or environ.get(ARTICLE_ENV) or ""
    return Path(name).absolute() if name else default_article_path()


def build(article: Path, root: Path = REPO_ROOT, command: list[str] | None = None, extra: tuple = ()) -> int:
    """Check ``article``, refresh the cache, clean the downloads and build the site (``extra``:
    more ``jupyter-book build`` options, e.g. ``--builder singlehtml``); the builder's exit
    code. Raises InputError (one line) for a bad article."""
    article = Path(article).absolute()
    load_article(article)
    # Nothing changed since the last good HTML build: the site on disk is the site. Sphinx is not
    # started at all (its start-up and environment check alone take several seconds).
    site = site_fingerprint(article, root, extra) if command is None and not extra else None
    stamp = _site_stamp(root)
    if site and stamp.exists() and (root / "_build" / "html" / "index.html").exists() \
            and stamp.read_text().strip() == site:
        print("site up to date: nothing changed since the last build", file=sys.stderr)
        return 0
    stamp.unlink(missing_ok=True)
    dropped = refresh(article, root)
    print("inputs changed: notebooks will be re-executed" if dropped else "inputs unchanged: cached outputs reused",
          file=sys.stderr)
    # Another builder (singlehtml for the PDF) leaves the HTML site's downloads as they are.
    clean_downloads(article, root, re_executing=dropped, site="--builder" not in extra)
    if command is None:
        jupyter_book = shutil.which("jupyter-book", path=str(Path(sys.executable).parent)) or "jupyter-book"
        command = [jupyter_book, "build", str(root), "-W", "-n", "--keep-going", *extra]
    code = subprocess.run(command, env={**os.environ, ARTICLE_ENV: str(article)}, cwd=root).returncode
    if code != 0:
        forget(root)
    elif site:
        stamp.write_text(site + "\n")
    return code


def main(argv: list[str] | None = None) -> int:
    """Check the book's article (one error line, exit 2, if it is bad), then refresh the cache;
    with ``--build [jupyter-book options]``, then build the site too."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv[:1] == ["--build"]:
            return build(book_article(), extra=tuple(argv[1:]))
        if argv:
            raise InputError(f"unknown arguments {' '.join(argv)!r}: use no argument or --build")
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
