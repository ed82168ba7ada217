"""The package works installed: a wheel, in a fresh venv, run from a folder outside the repository."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from diplotext.tables import TABLES
from diplotext.corpus import REPO_ROOT

ARTICLE = "On 15 September 2022, Xi Jinping met Vladimir Putin in Samarkand. \"The talks went well,\" Putin said.\n"


def _run(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.slow
def test_the_wheel_analyses_an_article_from_another_folder(tmp_path):
    # Build from a copy of what a wheel is made of, so nothing is written into the checkout.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO_ROOT / name, source / name)
    shutil.copytree(REPO_ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", wheels, source)
    (wheel,) = wheels.glob("diplotext-*.whl")

    # A fresh venv holding only the wheel; its dependencies (the pinned ones, already installed
    # here) are found through a .pth line, since nothing can be downloaded during a test.
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel)
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    (Path(purelib) / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.txt").write_text(ARTICLE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    where = _run(python, "-c", "import diplotext; print(diplotext.__file__)", cwd=elsewhere, env=env).stdout
    assert Path(where.strip()).is_relative_to(venv), where  # the installed copy, not the checkout

    _run(python, "-m", "diplotext", "analyze", "a.txt", "--published", "2022-09-15", "--out", "o", cwd=elsewhere, env=env)
    written = {path.stem: path.read_text(encoding="utf-8") for path in (elsewhere / "o").glob("*.csv")}
    assert set(written) == set(TABLES)
    assert "Samarkand" in written["sentences"]
    assert "xi_jinping" in written["entities"] and "vladimir_putin" in written["entities"]  # knowledge base read
    assert "2022-09-15" in written["times"]
