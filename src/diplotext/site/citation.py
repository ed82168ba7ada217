"""Citations of the book and its chapters, generated from CITATION.cff and formatted by pybtex.

``CITATION.cff`` is the one place where the title, authors, version, date and addresses are
written. Each citation is a pybtex entry: pybtex writes its BibTeX and formats its reference
line with the book's author-year style (:mod:`diplotext.site.bibstyle`), the same style as the
References page. Every address is pinned to the release tag ``v<version>``, so a citation
names the text that was read, not whatever the default branch holds later.

    >>> from diplotext.site import cite_this_chapter
    >>> cite_this_chapter("notebooks/01_source")
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pybtex.database import BibliographyData, Entry, Person

from ..corpus import REPO_ROOT
from ..errors import InputError
from . import bibstyle

CITATION_FILE = REPO_ROOT / "CITATION.cff"
_REQUIRED = ("title", "authors", "version", "date-released", "repository-code", "url")
# Who publishes a release, by the host of its repository (APA names the host for software).
_HOSTS = {"github.com": "GitHub", "gitlab.com": "GitLab", "codeberg.org": "Codeberg"}


@dataclass(frozen=True)
class Citation:
    """What CITATION.cff says about the book."""

    title: str
    authors: tuple[dict, ...]
    version: str
    released: dt.date
    license: str
    repository: str
    url: str

    @property
    def site(self) -> str:
        return self.url.rstrip("/") + "/"

    @property
    def tag(self) -> str:
        """The release tag: ``v`` and the version, as ``git tag`` names releases."""
        return "v" + self.version

    @property
    def publisher(self) -> str:
        host = urlsplit(self.repository).netloc.lower().removeprefix("www.")
        return _HOSTS.get(host, host)

    def pinned(self, path: str = "") -> str:
        """The address of ``path`` in the repository at the release tag."""
        return f"{self.repository}/tree/{self.tag}" + (f"/{path.lstrip('/')}" if path else "")


@dataclass(frozen=True)
class CitationBlock:
    """A BibTeX entry and a reference line; shows as Markdown in the book and in Jupyter."""

    bibtex: str
    reference: str

    def _repr_markdown_(self) -> str:
        return f"{self.reference}\n\n```bibtex\n{self.bibtex}\n```\n"

    def __repr__(self) -> str:
        return f"{_strip_markdown(self.reference)}\n\n{self.bibtex}"

    @property
    def key(self) -> str:
        return self.bibtex.split("{", 1)[1].split(",", 1)[0]


@dataclass(frozen=True)
class RerunCommands:
    """Shell commands, shown as a ``bash`` block."""

    script: str

    def _repr_markdown_(self) -> str:
        return f"```bash\n{self.script}```\n"

    def __repr__(self) -> str:
        return self.script


def read_citation(path: Path | str = CITATION_FILE) -> Citation:
    """Read CITATION.cff and check the fields the book's citations need."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no citation file")
    try:
        # Dates stay strings, as cffconvert reads them, so the text is what gets validated.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoDatesLoader)
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: malformed YAML ({str(exc).strip().splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: a citation file must be a YAML mapping")
    missing = [key for key in _REQUIRED if not data.get(key)]
    if missing:
        raise InputError(f"{path}: missing {', '.join(missing)}")
    try:
        released = dt.date.fromisoformat(str(data["date-released"]))
    except ValueError:
        raise InputError(f"{path}: date-released {data['date-released']!r} is not YYYY-MM-DD") from None
    authors = tuple(data["authors"])
    if not all(isinstance(a, dict) and (a.get("name") or a.get("family-names")) for a in authors):
        raise InputError(f"{path}: every author needs a name or family-names")
    version = str(data["version"])
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.+-]*", version):
        raise InputError(f"{path}: version {version!r} cannot name a release tag")
    return Citation(
        title=str(data["title"]),
        authors=authors,
        version=version,
        released=released,
        license=str(data.get("license", "")),
        repository=str(data["repository-code"]).rstrip("/"),
        url=str(data["url"]),
    )


def chapter_docname(chapter: Path | str) -> str:
    """The chapter's page name, e.g. ``notebooks/01_source``, from a path or a page name."""
    path = Path(chapter)
    if path.is_absolute():
        try:
            path = path.relative_to(REPO_ROOT)
        except ValueError:
            raise InputError(f"{chapter}: is not inside the book ({REPO_ROOT})") from None
    if path.suffix in (".ipynb", ".md"):
        path = path.with_suffix("")
    if not any((REPO_ROOT / path).with_suffix(s).is_file() for s in (".ipynb", ".md")):
        raise InputError(f"{chapter}: no such chapter (expected {path}.ipynb or {path}.md in the book)")
    return path.as_posix()


def chapter_source(chapter: Path | str) -> str:
    """The chapter's file in the repository, e.g. ``notebooks/01_source.ipynb``."""
    docname = chapter_docname(chapter)
    return f"{docname}.ipynb" if (REPO_ROOT / f"{docname}.ipynb").is_file() else f"{docname}.md"


def chapter_title(chapter: Path | str) -> str:
    """The chapter's title: the first level-one heading of its notebook or page."""
    source = REPO_ROOT / chapter_source(chapter)
    if source.suffix == ".ipynb":
        cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = source.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise InputError(f"{chapter_docname(chapter)}: has no '# ' title heading to cite")


def book_entry(citation: Citation | None = None) -> tuple[str, Entry]:
    """The book as a pybtex ``@book`` entry, with its BibTeX key."""
    c = citation or read_citation()
    return f"diplotext{c.released.year}", Entry("book", fields=_fields(c, title=c.title, url=c.pinned()), persons=_persons(c))


def chapter_entry(chapter: Path | str, citation: Citation | None = None) -> tuple[str, Entry]:
    """One chapter as a pybtex ``@incollection`` entry (in the book), with its BibTeX key."""
    c = citation or read_citation()
    docname = chapter_docname(chapter)
    slug = re.sub(r"[^a-z0-9]", "", Path(docname).name.lower().lstrip("0123456789_-")) or "chapter"
    fields = _fields(c, title=chapter_title(docname), booktitle=c.title, url=c.pinned(chapter_source(docname)))
    return f"diplotext{c.released.year}{slug}", Entry("incollection", fields=fields, persons=_persons(c))


def cite_this_book(citation: Citation | None = None) -> CitationBlock:
    """The whole book's citation, as BibTeX and a reference line."""
    return _block(*book_entry(citation))


def cite_this_chapter(chapter: Path | str, citation: Citation | None = None) -> CitationBlock:
    """One chapter's citation (title from its heading, the rest from CITATION.cff)."""
    return _block(*chapter_entry(chapter, citation))


def rerun_locally(citation: Citation | None = None) -> RerunCommands:
    """The shell commands that fetch the release and rebuild everything."""
    c = citation or read_citation()
    folder = c.repository.rsplit("/", 1)[-1]
    return RerunCommands(
        f"git clone --branch {c.tag} {c.repository}.git\n"
        f"cd {folder}\n"
        "make book          # virtual environment, pinned packages, run every chapter, build the site\n"
        "make test          # the tests, then the book\n"
        "make pdf           # the whole book as one PDF: _build/pdf/book.pdf\n"
        "make check-site    # open every page in headless Chromium and check it\n"
        "python -m diplotext analyze data/articles --out tables/   # the tables as CSV\n"
    )


def _persons(c: Citation) -> dict:
    people = []
    for author in c.authors:
        if author.get("family-names"):
            people.append(Person(first=author.get("given-names", ""), prelast=author.get("name-particle", ""),
                                 last=author["family-names"]))
        else:
            # An entity (a group, not a person) is one braced name, not a person called "contributors, The".
            people.append(Person(last="{" + author["name"] + "}"))
    return {"author": people}


def _fields(c: Citation, **fields: str) -> dict:
    return {
        **fields,
        "publisher": c.publisher,
        "year": str(c.released.year),
        "version": c.version,
        # biblatex reads the full release date; BibTeX styles use the year.
        "date": c.released.isoformat(),
    } | {"url": fields["url"]}


def _block(key: str, entry: Entry) -> CitationBlock:
    data = BibliographyData({key: entry})
    # pybtex writes every field LaTeX-escaped; a url field is verbatim in BibTeX and biblatex.
    bibtex = re.sub(r"^(\s*url = .*)$", lambda m: re.sub(r"\\([_%#&])", r"\1", m[1]),
                    data.to_string("bibtex").strip(), flags=re.MULTILINE)
    bibstyle.register()
    formatted = next(iter(bibstyle.AuthorYearStyle().format_entries(data.entries.values())))
    # pybtex separates the blocks of an entry with line breaks; the book shows one line.
    reference = " ".join(formatted.text.render_as("markdown").split("\n"))
    return CitationBlock(bibtex=bibtex, reference=reference)


def _strip_markdown(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\\(.)", r"\1", text.replace("*", ""))


class _NoDatesLoader(yaml.SafeLoader):
    pass


_NoDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
