"""Shared fixtures: the seed article, its sentences, and the built site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import diplotext
from diplotext.corpus import REPO_ROOT, SEED_ARTICLE


@pytest.fixture(scope="session")
def seed():
    """The seed article as loaded by the corpus stage."""
    return diplotext.load_article(SEED_ARTICLE)


@pytest.fixture(scope="session")
def seed_sentences(seed):
    return diplotext.segment(seed.raw)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The built HTML site; built with the project's own settings if it is not there yet."""
    html = REPO_ROOT / "_build" / "html"
    if not (html / "index.html").exists():
        jupyter_book = Path(sys.executable).with_name("jupyter-book")
        subprocess.run([str(jupyter_book), "build", str(REPO_ROOT), "-W", "-n", "--keep-going"], check=True)
    return html
