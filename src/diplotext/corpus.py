"""Corpus stage: load an article and its metadata, decode strictly, validate.

An article is ``NAME.txt`` (raw, never edited) with ``NAME.yml`` beside it. The text is
decoded from bytes, never rewritten: offsets in every later table point into ``Article.raw``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
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
    "sha256": (_TEXT, False),
}
PUBLISHED_BASES = ("stated", "inferred", "unknown")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A metadata file is a dozen short fields: anything bigger or deeper is not one (and a file
# bigger than this is not read whole).
MAX_METADATA_BYTES = 64 * 1024
MAX_METADATA_DEPTH = 8
# ASCII digits only: ``date.fromisoformat`` alone also takes ISO weeks (2022-W37-3) and basic
# formats (20220914), and ``\d`` would take other scripts' digits.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
# Byte-order marks, longest first: the UTF-32 little-endian mark begins with UTF-16's.
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))

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
        return parse_date(value) if value else None


def default_article_path() -> Path:
    """The article the book analyses: ``$DIPLOTEXT_ARTICLE`` if set, else the seed."""
    return Path(os.environ.get(ARTICLE_ENV) or SEED_ARTICLE)


def parse_date(value: str) -> dt.date:
    """Parse a ``YYYY-MM-DD`` date (spaces around it are ignored), or raise InputError saying
    what is wrong."""
    text = str(value).strip()
    if re.fullmatch(r"[0-9]{4}-?W[0-9]{2}(-?[0-9])?", text, flags=re.IGNORECASE):
        raise InputError(f"invalid date {value!r}: an ISO week date; give the calendar date as YYYY-MM-DD")
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"invalid date {value!r}: expected a real calendar date as YYYY-MM-DD") from None


def decode(data: bytes, path: Path | str = "<bytes>") -> tuple[str, str]:
    """Decode article bytes strictly: UTF-8 (optional BOM), or UTF-16 or UTF-32 with a BOM."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: starts with a {encoding.upper()} byte-order mark but is not valid "
                                 f"{encoding.upper()} ({exc.reason})") from None
            if "\x00" in text:
                raise InputError(f"{path}: looks like a binary file (it contains NUL characters), not a text article")
            return text, encoding
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
    """Read and validate ``NAME.yml``; dates become ISO strings.

    Anchors and aliases are refused: a few lines of nested aliases expand to billions of
    nodes (the "billion laughs"), and plain metadata never needs them.
    """
    data = read_regular_file(path, limit=MAX_METADATA_BYTES)  # FileNotFoundError: the caller uses defaults
    text, _ = decode(data, path)
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_YAML_LOADER):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise InputError(f"{path}: metadata uses YAML anchors or aliases (line {line}); "
                                 "write each value out in full")
            depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
            if depth > MAX_METADATA_DEPTH:
                raise InputError(f"{path}: metadata nested more than {MAX_METADATA_DEPTH} levels deep (line {line})")
        meta = yaml.load(text, Loader=_YAML_LOADER)
    except InputError:
        raise
    except (yaml.YAMLError, ValueError) as exc:
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"{path}: malformed metadata YAML ({first_line})") from None
    if not isinstance(meta, dict):
        raise InputError(f"{path}: metadata must be a YAML mapping of fields, found {type(meta).__name__}")
    meta = {key: _iso(value) for key, value in meta.items()}
    try:
        validate_metadata(meta)
    except InputError as exc:
        raise InputError(f"{path}: invalid metadata: {exc}") from None
    return _normalise_dates(meta)


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
    if "sha256" in meta and not _SHA256.fullmatch(meta["sha256"]):
        raise InputError(f"field 'sha256' must be 64 lower-case hexadecimal digits, not {meta['sha256']!r}")


def _normalise_dates(meta: dict) -> dict:
    """The validated dates as plain ``YYYY-MM-DD`` (spaces around a date are not part of it)."""
    meta = dict(meta)
    if meta.get("published"):
        meta["published"] = parse_date(meta["published"]).isoformat()
    if "published_range" in meta:
        meta["published_range"] = [parse_date(value).isoformat() for value in meta["published_range"]]
    return meta


def read_regular_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file. FIFOs, devices, sockets and symbolic-link loops raise
    InputError without being opened for reading (a FIFO would block, ``/dev/zero`` never ends);
    a missing file raises FileNotFoundError."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(f"{path}: a symbolic link to a file that does not exist") from None
        raise
    except OSError as exc:  # ELOOP for a symbolic-link loop, EACCES, ...
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: not a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file ({_file_kind(info.st_mode)})")
    if limit is not None and info.st_size > limit:
        raise InputError(f"{path}: {info.st_size:,} bytes, more than the {limit:,} a metadata file may have")
    try:
        with open(path, "rb") as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
    except PermissionError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if limit is not None and len(data) > limit:
        raise InputError(f"{path}: more than the {limit:,} bytes a metadata file may have")
    return data


def _file_kind(mode: int) -> str:
    kinds = [(stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")]
    return next((name for test, name in kinds if test(mode)), "a special file")


def load_article(path: Path | str, published: str | dt.date | None = None) -> Article:
    """Load one article file and the metadata beside it; ``published`` overrides the date."""
    path = Path(path)
    try:
        data = read_regular_file(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    raw, encoding = decode(data, path)
    if not raw.strip():
        raise InputError(f"{path}: the article is empty")
    meta_path = path.with_suffix(".yml")
    try:
        meta = load_metadata(meta_path)
    except FileNotFoundError:
        meta = dict(_DEFAULT_METADATA)
    if "sha256" in meta and hashlib.sha256(data).hexdigest() != meta["sha256"]:
        raise InputError(f"{path}: its bytes do not match the sha256 in {meta_path.name} "
                         "(the article was changed after its metadata was written)")
    if published is not None:
        date = published if isinstance(published, dt.date) else parse_date(published)
        meta = {**meta, "published": date.isoformat(), "published_basis": "stated",
                "published_reasoning": "Given on the command line (--published)."}
    return Article(name=path.stem, path=path, raw=raw, meta=meta, encoding=encoding)


def article_paths(path: Path | str) -> list[Path]:
    """The article files a path names: the file itself, or every ``*.txt`` in a folder.

    Entries that are not regular files (a FIFO, a device, a broken link or a link loop) are
    listed too, so that loading reports each one rather than skipping it unseen.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob("*.txt") if not p.is_dir())
        if not files:
            raise InputError(f"{path}: folder holds no .txt articles")
        return files
    if not path.exists() and not path.is_symlink():
        raise InputError(f"{path}: no such file or folder")
    return [path]


def _iso(value):
    if isinstance(value, list):
        return [_iso(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value
