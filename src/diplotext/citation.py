"""Citation and downloads: "Cite this chapter" blocks and CSV links, generated from CITATION.cff.

``CITATION.cff`` is the one place where the title, authors, version, date and URLs are
written. Chapters end with a ``{cite-this-chapter}`` block (a directive this module adds
when ``_config.yml`` loads it as a Sphinx extension, built from :func:`cite_this_chapter`)
and a code cell calling :func:`download_tables`. The extension also sets the launch buttons,
the repository button, the footer and ``{{ book_version }}``-style substitutions.

    >>> from diplotext.citation import cite_this_chapter
    >>> cite_this_chapter("notebooks/01_source")
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from .corpus import REPO_ROOT, default_article_path
from .errors import InputError
from .export import write_tables

CITATION_FILE = REPO_ROOT / "CITATION.cff"
# Inside _build so that `make clean` drops the CSVs together with the execution cache that
# would otherwise skip the cells that write them.
DOWNLOADS_DIR = REPO_ROOT / "_build" / "downloads"

_REQUIRED = ("title", "authors", "version", "date-released", "repository-code", "url")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


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


@dataclass(frozen=True)
class CitationBlock:
    """A BibTeX entry and an APA-style line; shows as Markdown in the book and in Jupyter."""

    bibtex: str
    apa: str

    def _repr_markdown_(self) -> str:
        return f"{self.apa}\n\n```bibtex\n{self.bibtex}\n```\n"

    def __repr__(self) -> str:
        return f"{_strip_markdown(self.apa)}\n\n{self.bibtex}"


@dataclass(frozen=True)
class DownloadLinks:
    """CSV files written for a chapter; shows as a list of MyST ``{download}`` links."""

    files: tuple[Path, ...]
    shapes: tuple[tuple[int, int], ...]

    def _repr_markdown_(self) -> str:
        lines = []
        for path, (rows, columns) in zip(self.files, self.shapes):
            target = "/" + path.relative_to(REPO_ROOT).as_posix()
            lines.append(f"- {{download}}`{path.name} <{target}>` ({rows} rows, {columns} columns)")
        return "\n".join(lines) + "\n"

    def __repr__(self) -> str:
        return "\n".join(str(path) for path in self.files)


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
    return Citation(
        title=str(data["title"]),
        authors=authors,
        version=str(data["version"]),
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


def chapter_title(chapter: Path | str) -> str:
    """The chapter's title: the first level-one heading of its notebook or page."""
    docname = chapter_docname(chapter)
    source = REPO_ROOT / f"{docname}.ipynb"
    if source.is_file():
        cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = (REPO_ROOT / f"{docname}.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise InputError(f"{docname}: has no '# ' title heading to cite")


def cite_this_book(citation: Citation | None = None) -> CitationBlock:
    """The whole book's citation, as BibTeX and an APA-style line."""
    c = citation or read_citation()
    bibtex = _bibtex(
        "book",
        f"diplotext{c.released.year}",
        author=_bibtex_authors(c.authors),
        title=_bibtex_protect(c.title),
        year=str(c.released.year),
        version=c.version,
        url=c.site,
        note=f"Version {c.version}, released {c.released.isoformat()}",
    )
    apa = f"{_apa_authors(c.authors)} ({c.released.year}). *{_md_escape(c.title)}* (Version {c.version}). <{c.site}>"
    return CitationBlock(bibtex=bibtex, apa=apa)


def cite_this_chapter(chapter: Path | str, citation: Citation | None = None) -> CitationBlock:
    """One chapter's citation (title from its heading, the rest from CITATION.cff)."""
    c = citation or read_citation()
    docname = chapter_docname(chapter)
    title = chapter_title(docname)
    url = c.site + docname + ".html"
    slug = re.sub(r"[^a-z0-9]", "", Path(docname).name.lower().lstrip("0123456789_-")) or "chapter"
    bibtex = _bibtex(
        "incollection",
        f"diplotext{c.released.year}{slug}",
        author=_bibtex_authors(c.authors),
        title=_bibtex_protect(title),
        booktitle=_bibtex_protect(c.title),
        year=str(c.released.year),
        version=c.version,
        url=url,
        note=f"Version {c.version}, released {c.released.isoformat()}",
    )
    apa = (
        f"{_apa_authors(c.authors)} ({c.released.year}). {_md_escape(title)}. "
        f"In *{_md_escape(c.title)}* (Version {c.version}). <{url}>"
    )
    return CitationBlock(bibtex=bibtex, apa=apa)


def rerun_locally(citation: Citation | None = None) -> RerunCommands:
    """The shell commands that clone the repository and rebuild everything."""
    c = citation or read_citation()
    folder = c.repository.rsplit("/", 1)[-1]
    return RerunCommands(
        f"git clone {c.repository}.git\n"
        f"cd {folder}\n"
        "make book          # virtual environment, pinned packages, run every chapter, build the site\n"
        "make test          # the tests, then the book\n"
        "make pdf           # the whole book as one PDF: _build/pdf/book.pdf\n"
        "make check-site    # open every page in headless Chromium and check it\n"
        "python -m diplotext analyze data/articles --out tables/   # the tables as CSV\n"
    )


def download_tables(tables: Mapping[str, pd.DataFrame], chapter: Path | str) -> DownloadLinks:
    """Write a chapter's tables as CSV files for its page and return links to them."""
    docname = chapter_docname(chapter)
    if not tables:
        raise InputError(f"{docname}: no tables to offer for download")
    for name, table in tables.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise InputError(f"table name {name!r}: use lower-case letters, digits, '_' or '-'")
        if not isinstance(table, pd.DataFrame):
            raise InputError(f"table {name!r}: expected a pandas DataFrame, got {type(table).__name__}")
    # One folder per article, so that building the book for another article (in another
    # output folder) never overwrites the files this build's pages link to.
    folder = DOWNLOADS_DIR / default_article_path().stem / Path(docname).name
    files = write_tables(dict(tables), folder)
    return DownloadLinks(files=tuple(files), shapes=tuple(t.shape for t in tables.values()))


class _NoDatesLoader(yaml.SafeLoader):
    pass


_NoDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _person(author: dict) -> tuple[str, str]:
    """(family, given) for a person; (name, "") for an entity such as a team."""
    if author.get("family-names"):
        family = " ".join(filter(None, [author.get("name-particle"), author["family-names"]]))
        return family, author.get("given-names", "")
    return author["name"], ""


def _bibtex_authors(authors) -> str:
    names = []
    for author in authors:
        family, given = _person(author)
        # An entity name is braced so BibTeX does not split it into first and last names.
        names.append(f"{family}, {given}" if given else "{" + family + "}")
    return " and ".join(names)


def _apa_authors(authors) -> str:
    names = []
    for author in authors:
        family, given = _person(author)
        initials = " ".join(part[0] + "." for part in re.split(r"[\s-]+", given) if part)
        names.append(f"{family}, {initials}" if initials else family)
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    return text if text.endswith(".") else text + "."


def _bibtex(kind: str, key: str, **fields: str) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@{kind}{{{key},\n{body}\n}}"


def _bibtex_protect(title: str) -> str:
    # Keep the capitals of names (China, SCO) when a style lower-cases titles.
    return re.sub(r"\b([A-Z][\w-]*[A-Z][\w-]*|(?<!^)[A-Z][a-z]+)\b", r"{\1}", title)


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]{}<>#|])", r"\\\1", text)


def _strip_markdown(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text.replace("*", "")).replace("<", "").replace(">", "")


# --- Sphinx extension: `sphinx: extra_extensions: [diplotext.citation]` in _config.yml ---


def setup(app):
    """Sphinx hook: citation directives, and settings read from CITATION.cff."""
    from docutils import nodes
    from docutils.statemachine import StringList
    from sphinx.util.docutils import SphinxDirective

    class _MarkdownBlock(SphinxDirective):
        # A page's citation is rendered at build time, so it follows CITATION.cff even when
        # the notebook's execution is cached.
        optional_arguments = 1

        def run(self):
            self.env.note_dependency(str(CITATION_FILE))
            container = nodes.container(classes=["diplotext-" + self.name])
            markdown = self.markdown()._repr_markdown_()
            self.state.nested_parse(StringList(markdown.splitlines(), source=str(CITATION_FILE)), 0, container)
            return [container]

    class CiteThisChapter(_MarkdownBlock):
        def markdown(self):
            return cite_this_chapter(self.arguments[0] if self.arguments else self.env.docname)

    class CiteThisBook(_MarkdownBlock):
        def markdown(self):
            return cite_this_book()

    class RerunLocally(_MarkdownBlock):
        def markdown(self):
            return rerun_locally()

    app.add_directive("cite-this-chapter", CiteThisChapter)
    app.add_directive("cite-this-book", CiteThisBook)
    app.add_directive("rerun-locally", RerunLocally)
    app.connect("config-inited", _configure_site)
    app.connect("html-page-context", _fix_citation_roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _configure_site(app, config) -> None:
    citation = read_citation()
    options = dict(config.html_theme_options)
    options["repository_url"] = citation.repository
    # Jupyter Book refuses this button without a URL in _config.yml; here the URL is known.
    options["use_repository_button"] = True
    # Without a default the theme logs a console error on a reader's first visit; light
    # because the figures have white backgrounds.
    config.html_context = {"default_mode": "light", **config.html_context}
    options["extra_footer"] = (
        f"<p>Version {citation.version}, released {citation.released.isoformat()}. "
        f"Text and code under the {citation.license} licence. "
        "Each chapter ends with a citation block and its tables as CSV files.</p>"
    )
    config.html_theme_options = options
    # {{ book_version }} and friends in any page's Markdown.
    config.myst_substitutions = {
        **config.myst_substitutions,
        "book_title": citation.title,
        "book_version": citation.version,
        "book_released": citation.released.isoformat(),
        "book_license": citation.license,
        "book_repository": f"<{citation.repository}>",
    }
    if not options.get("launch_buttons", {}).get("thebe"):
        _disconnect_thebe(app)


def _fix_citation_roles(app, pagename, templatename, context, doctree) -> None:
    # Docutils marks bibliography entries with the deprecated DPUB role doc-biblioentry
    # inside a role="list"; screen readers (and axe) need list items there.
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def _disconnect_thebe(app) -> None:
    # Jupyter Book always loads sphinx-thebe, which writes a CDN URL into every page even
    # when no Thebe button is shown; with Thebe off its page hooks are dropped.
    for event in ("env-before-read-docs", "doctree-resolved"):
        for listener in list(app.events.listeners.get(event, [])):
            handler = listener.handler
            if getattr(handler, "__module__", "") == "sphinx_thebe" and handler.__name__ in (
                "init_thebe_core",
                "update_thebe_context",
            ):
                app.disconnect(listener.id)
