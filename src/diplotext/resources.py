"""The curated data the pipeline reads, shipped inside the package (``diplotext/data/``).

Read through ``importlib.resources``, so the same paths work from a source checkout, an
installed wheel and any current folder. The corpus (``data/articles/``), the annotations, the
evaluation results and the primary sources stay at the repository's top level: they are the
book's material, not needed to analyse an article.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

import yaml

from .errors import InputError


def data_path(*parts: str) -> Path:
    """The file system path of ``diplotext/data/<parts...>`` (a folder or a file)."""
    resource = files("diplotext").joinpath("data", *parts)
    # An installed package is a plain folder; as_file only copies out of a zip archive.
    with as_file(resource) as path:
        return Path(path)


def read_yaml(path: Path | str, what: str):
    """The YAML document in ``path``; a file that cannot be read or parsed is one ``InputError``
    naming ``what`` it should have been ("the lexicon")."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what} ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: malformed {what} YAML ({str(exc).strip().splitlines()[0]})") from None
