"""Corpus stage: load an article and its metadata, decode strictly, validate.

An article is ``NAME.txt`` (raw, never edited) with ``NAME.yml`` beside it. The text is
decoded from bytes, never rewritten: offsets in every later table point into ``Article.raw``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import InputError

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTICLES_DIR = REPO_ROOT / "data" / "articles"
SEED_ARTICLE = ARTICLES_DIR / "2022-09_xi-putin-sco-samarkand.txt"
# The book's notebooks read the article named here; `make book ARTICLE=...` sets it.
ARTICLE_ENV = "DIPLOTEXT_ARTICLE"

# The metadata fields: the types each may take and whether it is required. Checked by hand
# rather than with jsonschema, whose import alone costs seconds at every start of the CLI.
_TEXT, _NONE = (str,), (str, type(None))
METADATA_FIELDS = {
    "title": (_NONE, True),
    "title_note": (_TEXT, False),
    "source": (_TEXT, True),
    "source_note": (_TEXT, False),
    "language": (_TEXT, True),
    "translation": (_TEXT, False),
    "published": (_NONE, True),
    "published_basis": (_TEXT, True),
    "published_reasoning": (_TEXT, False),
    "published_range": ((list,), False),
    "url": (_NONE, False),
    "notes": (_TEXT, False),
}
PUBLISHED_BASES = ("stated", "inferred", "unknown")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_DEFAULT_METADATA = {
    "title": None,
    "source": "unknown",
    "language": "unknown",
    "published": None,
    "published_basis": "unknown",
    "notes": "No metadata file was found beside the article.",
}


@dataclass
class Article:
    """One article: its name, the decoded raw text, and validated metadata."""

    name: str
    path: Path
    raw: str
    meta: dict = field(default_factory=dict)
    encoding: str = "utf-8"

    @property
    def published(self) -> dt.date | None:
        value = self.meta.get("published")
        return dt.date.fromisoformat(value) if value else None


def default_article_path() -> Path:
    """The article the book analyses: ``$DIPLOTEXT_ARTICLE`` if set, else the seed."""
    return Path(os.environ.get(ARTICLE_ENV) or SEED_ARTICLE)


def parse_date(value: str) -> dt.date:
    """Parse a ``YYYY-MM-DD`` date, or raise InputError saying what is wrong."""
    text = str(value).strip()
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"invalid date {value!r}: expected a real calendar date as YYYY-MM-DD") from None


def decode(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode article bytes strictly: UTF-8 (optional BOM), or UTF-16 with a BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: starts with a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})") from None
    if b"\x00" in data:
        raise InputError(f"{path}: looks like a binary file (it contains NUL bytes), not a text article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the article as UTF-8"
        ) from None
    return text, "utf-8"


def load_metadata(path: Path) -> dict:
    """Read and validate ``NAME.yml``; dates become ISO strings."""
    data = path.read_bytes()  # FileNotFoundError: the caller falls back to the defaults
    try:
        meta = yaml.load(data.decode("utf-8"), Loader=_YAML_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        first_line = str(exc).strip().splitlines()[0]
        raise InputError(f"{path}: malformed metadata YAML ({first_line})") from None
    if not isinstance(meta, dict):
        raise InputError(f"{path}: metadata must be a YAML mapping of fields, found {type(meta).__name__}")
    meta = {key: _iso(value) for key, value in meta.items()}
    try:
        validate_metadata(meta)
    except InputError as exc:
        raise InputError(f"{path}: invalid metadata: {exc}") from None
    return meta


def validate_metadata(meta: dict) -> None:
    """Raise InputError naming the first field that is missing or wrong."""
    for name, (types, required) in METADATA_FIELDS.items():
        if name not in meta:
            if required:
                raise InputError(f"missing required field '{name}'")
            continue
        if not isinstance(meta[name], types):
            raise InputError(f"field '{name}' cannot be {type(meta[name]).__name__} ({meta[name]!r})")
    for name in ("source", "language"):
        if not meta[name].strip():
            raise InputError(f"field '{name}' is empty")
    if meta["published_basis"] not in PUBLISHED_BASES:
        raise InputError(f"field 'published_basis' must be one of {', '.join(PUBLISHED_BASES)}, "
                         f"not {meta['published_basis']!r}")
    dates = ([meta["published"]] if meta["published"] else []) + list(meta.get("published_range", []))
    if "published_range" in meta and len(meta["published_range"]) != 2:
        raise InputError("field 'published_range' must hold two dates, the earliest and the latest")
    for value in dates:
        try:
            parse_date(value)
        except InputError as exc:
            raise InputError(f"field 'published': {exc}") from None


def load_article(path: Path | str, published: str | dt.date | None = None) -> Article:
    """Load one article file and the metadata beside it; ``published`` overrides the date."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: not a file") from None
    raw, encoding = decode(data, path)
    if not raw.strip():
        raise InputError(f"{path}: the article is empty")
    meta_path = path.with_suffix(".yml")
    try:
        meta = load_metadata(meta_path)
    except FileNotFoundError:
        meta = dict(_DEFAULT_METADATA)
    if published is not None:
        date = published if isinstance(published, dt.date) else parse_date(published)
        meta = {**meta, "published": date.isoformat(), "published_basis": "stated",
                "published_reasoning": "Given on the command line (--published)."}
    return Article(name=path.stem, path=path, raw=raw, meta=meta, encoding=encoding)


def article_paths(path: Path | str) -> list[Path]:
    """The article files a path names: the file itself, or every ``*.txt`` in a folder."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.txt") if p.is_file())
        if not files:
            raise InputError(f"{path}: folder holds no .txt articles")
        return files
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    return [path]


def _iso(value):
    if isinstance(value, list):
        return [_iso(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value
