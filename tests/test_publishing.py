"""Publishing: the citation file, the citation blocks, the downloads and the built site.

The site tests read the shared ``built_site`` fixture; ``DIPLOTEXT_SITE=/path/to/html``
points them at another build (a private one while developing).
"""

from __future__ import annotations

import html
import json
import os
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pandas as pd
import pybtex.database
import pytest
import yaml

import diplotext
from diplotext.site import (
    CITATION_FILE,
    DOWNLOADS_DIR,
    chapter_title,
    cite_this_book,
    cite_this_chapter,
    download_tables,
    read_citation,
    rerun_locally,
)
from diplotext.site import bibstyle
from diplotext.corpus import REPO_ROOT, SEED_ARTICLE
from diplotext.errors import InputError

SCHEMA = Path(__file__).parent / "data" / "cff-1.2.0.schema.json"
# owner/name only: the full address is written in CITATION.cff alone (tested below).
REPOSITORY = "diplotext/diplotext-book"
# A chapter's citation names its notebook at the release tag, not the moving default branch.
RELEASE_URL = "https://github.com/" + REPOSITORY + "/tree/v0.1.0"
SOURCE_URL = RELEASE_URL + "/notebooks/01_source.ipynb"


# --- CITATION.cff -------------------------------------------------------------------------


def test_citation_file_is_valid_cff_1_2_0():
    # As `cffconvert --validate` does it: timestamps read as text, formats checked.
    loader = type("TextDates", (yaml.SafeLoader,), {})
    loader.yaml_implicit_resolvers = {
        k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    cff = yaml.load(CITATION_FILE.read_text(encoding="utf-8"), Loader=loader)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(cff, schema, format_checker=jsonschema.FormatChecker())
    assert cff["cff-version"] == "1.2.0"
    assert cff["license"] == "MIT"
    assert cff["date-released"] == "2026-11-26"


def test_schema_rejects_a_broken_citation_file():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = {"cff-version": "1.2.0", "message": "m", "title": "t", "authors": [{"name": "x"}], "date-released": "26/11/2026"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, format_checker=jsonschema.FormatChecker())


def test_citation_agrees_with_package_and_book_config():
    citation = read_citation()
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert citation.version == diplotext.__version__ == pyproject["project"]["version"]
    assert citation.title == config["title"] == "Diplomatic news, read closely"
    assert [a["name"] for a in citation.authors] == [config["author"]]
    assert (REPO_ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_repository_url_is_written_only_in_citation_file():
    url = read_citation().repository
    assert url.startswith("https://github.com/") and url.endswith("/" + REPOSITORY)
    skip = {".git", ".venv", "_build", "node_modules", ".pytest_cache", "__pycache__", "jupyter_execute"}
    holders = []
    for path in REPO_ROOT.rglob("*"):
        if skip.intersection(path.relative_to(REPO_ROOT).parts) or not path.is_file():
            continue
        if path.suffix in {".png", ".pdf", ".whl"}:
            continue
        if url in path.read_text(encoding="utf-8", errors="ignore"):
            holders.append(path.relative_to(REPO_ROOT).as_posix())
    assert holders == ["CITATION.cff"]


def test_read_citation_names_what_is_missing(tmp_path):
    path = tmp_path / "CITATION.cff"
    path.write_text("cff-version: 1.2.0\ntitle: A book\nauthors:\n  - name: Someone\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing version, date-released, repository-code, url"):
        read_citation(path)
    with pytest.raises(InputError, match="no citation file"):
        read_citation(tmp_path / "absent.cff")


# --- citation blocks ------------------------------------------------------------------------


def test_chapter_title_comes_from_the_notebook_heading():
    assert chapter_title("notebooks/01_source") == "The source: one article as data"
    assert chapter_title("notebooks/01_source.ipynb") == "The source: one article as data"


def test_cite_this_chapter_gives_reference_line_and_complete_bibtex():
    block = cite_this_chapter("notebooks/01_source")
    assert repr(block).splitlines()[0] == (
        "The diplotext contributors. (2026). The source: one article as data. "
        f"In Diplomatic news, read closely (Version 0.1.0). GitHub. {SOURCE_URL}"
    )
    entry = pybtex.database.parse_string(block.bibtex, "bibtex").entries["diplotext2026source"]
    assert entry.type == "incollection"
    assert entry.fields["title"] == "The source: one article as data"
    assert entry.fields["booktitle"] == "Diplomatic news, read closely"
    assert entry.fields["publisher"] == "GitHub"
    assert entry.fields["year"] == "2026"
    assert entry.fields["date"] == "2026-11-26"
    assert entry.fields["version"] == "0.1.0"
    assert entry.fields["url"] == SOURCE_URL
    assert "\\_" not in block.bibtex  # a url field is verbatim: no LaTeX escapes in it
    # One corporate author, not a person called "contributors, The diplotext".
    assert [str(p) for p in entry.persons["author"]] == ["{The diplotext contributors}"]
    markdown = block._repr_markdown_()
    assert markdown.startswith(block.reference) and "```bibtex\n@incollection{diplotext2026source," in markdown


def test_cite_this_book():
    block = cite_this_book()
    entry = pybtex.database.parse_string(block.bibtex, "bibtex").entries["diplotext2026"]
    assert entry.type == "book"
    assert entry.fields["url"] == RELEASE_URL
    assert entry.fields["publisher"] == "GitHub" and entry.fields["version"] == "0.1.0"
    assert repr(block).startswith("The diplotext contributors. (2026). Diplomatic news, read closely (Version 0.1.0). GitHub.")


def test_citation_follows_the_citation_file(tmp_path):
    text = CITATION_FILE.read_text(encoding="utf-8").replace("version: 0.1.0", "version: 0.2.0")
    text = text.replace("date-released: 2026-11-26", "date-released: 2027-03-01")
    (tmp_path / "CITATION.cff").write_text(text, encoding="utf-8")
    citation = read_citation(tmp_path / "CITATION.cff")
    block = cite_this_chapter("notebooks/01_source", citation)
    line = repr(block).splitlines()[0]
    assert "(2027)" in line and "(Version 0.2.0)" in line
    assert "@incollection{diplotext2027source," in block.bibtex
    assert "/tree/v0.2.0/notebooks/01_source.ipynb" in block.bibtex and "v0.1.0" not in block.bibtex
    assert citation.tag == "v0.2.0"


def test_a_version_that_cannot_name_a_tag_is_refused(tmp_path):
    text = CITATION_FILE.read_text(encoding="utf-8").replace("version: 0.1.0", 'version: "0.1 beta"')
    (tmp_path / "CITATION.cff").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="cannot name a release tag"):
        read_citation(tmp_path / "CITATION.cff")


# --- references ---------------------------------------------------------------------------


def _reference_labels() -> dict[str, str]:
    bibstyle.register()
    bib = pybtex.database.parse_file(REPO_ROOT / "book" / "references.bib")
    style = bibstyle.AuthorYearStyle()
    return {entry.key: entry.label for entry in style.format_entries(bib.entries.values())}


def test_reference_labels_are_author_year_and_unique():
    labels = _reference_labels()
    assert len(set(labels.values())) == len(labels)
    for label in labels.values():
        assert re.fullmatch(r"[^\d{}\\]+, \d{4}[a-z]?", label), label
    assert labels["loria2018textblob"] == "Loria, 2018"
    assert labels["hutto2014vader"] == "Hutto & Gilbert, 2014"
    assert labels["pustejovsky2003timeml"] == "Pustejovsky et al., 2003"
    assert labels["strotgen2010heideltime"] == "Strötgen & Gertz, 2010"
    # Five Kremlin records of 2022: a to e, in the order of their titles.
    kremlin = sorted(label for key, label in labels.items() if key.startswith("kremlin2022"))
    assert kremlin == [f"President of Russia, 2022{letter}" for letter in "abcde"]
    assert labels["kremlin2022address"] == "President of Russia, 2022a"  # "Address ..." sorts first
    # The list reads alphabetically, corporate authors ("{Al Jazeera}") among the others.
    assert list(labels.values()) == sorted(labels.values(), key=str.casefold)


def test_outside_facts_name_their_sources_with_addresses():
    facts = yaml.safe_load((REPO_ROOT / "src" / "diplotext" / "data" / "chronology" / "outside_facts.yml").read_text(encoding="utf-8"))["facts"]
    bib = pybtex.database.parse_file(REPO_ROOT / "book" / "references.bib").entries
    for fact in facts:
        entry = bib[fact["source_key"]]
        assert fact["source_url"] == entry.fields["url"], fact["id"]
        assert urlsplit(fact["source_url"]).scheme in {"http", "https"} and urlsplit(fact["source_url"]).netloc
        assert fact["source_title"].startswith(re.sub(r"[{}]", "", entry.fields["title"]).replace("--", "-")), fact["id"]
        assert "descriptive title" not in entry.fields.get("note", "").lower()


def test_cite_this_chapter_refuses_unknown_chapters():
    with pytest.raises(InputError, match="no such chapter"):
        cite_this_chapter("notebooks/99_missing")


def test_rerun_commands_clone_the_release():
    lines = repr(rerun_locally()).splitlines()
    assert lines[:2] == [f"git clone --branch v0.1.0 {read_citation().repository}.git", "cd diplotext-book"]
    assert any(line.startswith("make pdf ") for line in lines)


# --- downloads --------------------------------------------------------------------------------


def test_download_tables_writes_csv_and_links(seed_sentences):
    links = download_tables({"sentences": seed_sentences}, "notebooks/01_source")
    path = DOWNLOADS_DIR / SEED_ARTICLE.stem / "01_source" / "sentences.csv"
    assert links.files == (path,)
    back = pd.read_csv(path, keep_default_na=False)
    assert len(back) == 14
    assert back.loc[back.sentence_id == 7, "text"].item() == "The first Chinese official to attend the Shanghe Summit today"
    assert links._repr_markdown_() == (
        f"- {{download}}`sentences.csv </_build/downloads/{SEED_ARTICLE.stem}/01_source/sentences.csv>` (14 rows, 5 columns)\n"
    )


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ({}, "no tables"),
        ({"Bad Name": pd.DataFrame()}, "table name 'Bad Name'"),
        ({"ok": [1, 2]}, "expected a pandas DataFrame"),
    ],
)
def test_download_tables_refuses_bad_input(tables, message):
    with pytest.raises(InputError, match=message):
        download_tables(tables, "notebooks/01_source")


# --- the built site ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(request) -> Path:
    override = os.environ.get("DIPLOTEXT_SITE")
    return Path(override) if override else request.getfixturevalue("built_site")


class _Assets(HTMLParser):
    """Collects what a page loads (scripts, styles, fonts, images, frames), not its links."""

    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "img", "iframe", "source", "audio", "video", "embed", "input"} and attrs.get("src"):
            self.loaded.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            rel = set((attrs.get("rel") or "").lower().split())
            if rel & {"stylesheet", "preload", "modulepreload", "icon", "shortcut", "apple-touch-icon", "manifest"}:
                self.loaded.append(attrs["href"])
        if tag == "object" and attrs.get("data"):
            self.loaded.append(attrs["data"])
        if tag == "img":
            self.images.append(attrs)


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not {"_static", "_sources", "_downloads"} & set(p.relative_to(site).parts))


def _third_party(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in {"", "data"}


@pytest.mark.slow
def test_site_loads_nothing_from_other_hosts(site):
    offenders = {}
    for page in _pages(site):
        parser = _Assets()
        parser.feed(page.read_text(encoding="utf-8"))
        bad = [url for url in parser.loaded if _third_party(url)]
        if bad:
            offenders[page.relative_to(site).as_posix()] = bad
    for css in site.joinpath("_static").rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="ignore")
        bad = re.findall(r"""(?:url\(\s*['"]?|@import\s+['"])((?:https?:)?//[^'")\s]+)""", text)
        if bad:
            offenders[css.relative_to(site).as_posix()] = bad
    assert offenders == {}
    assert len(_pages(site)) >= 4


@pytest.mark.slow
def test_thebe_and_mathjax_are_not_in_the_pages(site):
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and "THEBE_JS_URL" not in text, page
        assert "mathjax" not in text.lower(), page


@pytest.mark.slow
def test_every_image_has_alt_text(site):
    for page in _pages(site):
        parser = _Assets()
        parser.feed(page.read_text(encoding="utf-8"))
        for image in parser.images:
            assert image.get("alt"), f"{page.relative_to(site)}: image {image.get('src')} has no alt text"


def _chapter_pages(site: Path) -> list[Path]:
    return sorted((site / "notebooks").glob("*.html"))


@pytest.mark.slow
def test_chapters_end_with_their_citation(site):
    chapters = _chapter_pages(site)
    assert [p.stem for p in chapters][:1] == ["01_source"]
    citation = read_citation()
    for page in chapters:
        text = page.read_text(encoding="utf-8")
        block = cite_this_chapter(f"notebooks/{page.stem}")
        sections = re.findall(r'<section id="([^"]+)">', text)
        assert sections[-1] == "cite-this-chapter", page.name
        cite = text[text.rindex('<section id="cite-this-chapter">'):]
        assert block.key in cite and "Version 0.1.0" in cite, page.name
        pinned = citation.pinned(f"notebooks/{page.stem}.ipynb")
        # The whole address is shown, not shortened to "owner/repo" by the theme.
        assert f'href="{pinned}">{pinned}</a>' in cite, page.name


@pytest.mark.slow
def test_source_chapter_offers_its_tables_and_notebook(site):
    text = (site / "notebooks" / "01_source.html").read_text(encoding="utf-8")
    links = re.findall(r'class="reference download internal" download="" href="([^"]+)"', text)
    names = sorted(Path(link).name for link in links)
    assert names == ["sentence_lengths.csv", "sentences.csv", "translation_debris.csv"]
    for link in links:
        table = pd.read_csv((site / "notebooks" / link).resolve(), keep_default_na=False)
        if link.endswith("/sentences.csv"):
            assert len(table) == 14 and list(table.columns[:2]) == ["sentence_id", "paragraph_id"]
    # The theme's download button offers the notebook itself.
    assert 'href="../_sources/notebooks/01_source.ipynb"' in text
    notebook = json.loads((site / "_sources" / "notebooks" / "01_source.ipynb").read_text(encoding="utf-8"))
    assert notebook["cells"][-1]["source"][0] == "## Cite this chapter\n"


@pytest.mark.slow
def test_figures_and_tables_are_numbered_by_chapter(site):
    text = (site / "notebooks" / "01_source.html").read_text(encoding="utf-8")
    assert re.search(r'<figure[^>]*id="fig-source-lengths"', text)
    assert '<span class="caption-number">Figure 1.1 </span>' in text
    tables = re.findall(r'<div class="numbered-table" id="([^"]+)">\s*<p class="caption">\s*<span class="caption-number">(Table [\d.]+) </span>', text)
    assert tables == [("tbl-source-metadata", "Table 1.1"), ("tbl-source-lengths", "Table 1.2"), ("tbl-source-debris", "Table 1.3")]
    # Each table's caption is followed by its table, and the median in the prose is computed.
    assert re.search(r'id="tbl-source-lengths">.*?<table[^>]*class="data-table"', text, re.S)
    assert "23.5" in text and "sentences 2 and 7 (10 words each)" in text
    cite = (site / "book" / "cite.html").read_text(encoding="utf-8")
    assert re.search(r'href="../notebooks/01_source.html#fig-source-lengths"><span class="std std-numref">Figure 1.1</span>', cite)
    assert re.search(r'href="../notebooks/01_source.html#tbl-source-lengths"><span class="std std-numref">Table 1.2</span>', cite)


@pytest.mark.slow
def test_launch_buttons_open_the_release_tag(site):
    text = (site / "notebooks" / "01_source.html").read_text(encoding="utf-8")
    assert 'href="https://mybinder.org/v2/gh/diplotext/diplotext-book/v0.1.0?urlpath=lab/tree/notebooks/01_source.ipynb"' in text
    assert 'href="https://colab.research.google.com/github/diplotext/diplotext-book/blob/v0.1.0/notebooks/01_source.ipynb"' in text
    assert "/main?" not in text and "/blob/main/" not in text
    assert "executablebooks/jupyter-book" not in text


@pytest.mark.slow
def test_cite_page_and_footer_come_from_the_citation_file(site):
    cite = re.sub(r"\s+", " ", (site / "book" / "cite.html").read_text(encoding="utf-8"))
    assert "@book" in cite and "diplotext2026" in cite
    assert "This is version 0.1.0, released on 2026-11-26 as the tag" in cite
    for page in _pages(site):
        text = re.sub(r"\s+", " ", page.read_text(encoding="utf-8"))
        if "<body" in text:  # index.html only redirects to the first page
            footer = text[text.index('class="bd-footer'):] if 'class="bd-footer' in text else text
            assert "Version 0.1.0, released 2026-11-26" in text, page
            assert "The analysed article and the sources quoted belong to their publishers" in text, page


@pytest.mark.slow
def test_references_read_as_author_and_year(site):
    text = (site / "book" / "references.html").read_text(encoding="utf-8")
    labels = re.findall(r'<span class="fn-bracket">\[</span>(.*?)<span class="fn-bracket">\]</span>', text)
    assert "President of Russia, 2022a" in labels and "President of Russia, 2022e" in labels
    assert len(labels) == len(set(labels)) and not any("oRussia" in label for label in labels)
    methods = (site / "book" / "methods.html").read_text(encoding="utf-8")
    assert re.search(r">Hutto &amp; Gilbert, 2014</a>\)|>Hutto and Gilbert, 2014</a>\)", methods)


# --- metadata is data -----------------------------------------------------------------------

# What a hostile metadata file may hold: raw HTML, MyST directives that emit raw HTML, a role
# pointing nowhere, an unknown directive. None of it may become markup or break the build.
HOSTILE = [
    '<script>alert("meta")</script>',
    "```{raw} html\n<script>alert('raw')</script>\n```",
    "```{eval-rst}\n.. raw:: html\n\n   <script>alert('rst')</script>\n```",
    "{doc}`/nowhere` and {download}`x </etc/passwd>`",
    ":::{no-such-directive}\nbody\n:::",
    '<img src=x onerror="alert(1)"> & <a href="javascript:alert(1)">link</a>',
]


def _markup(html_text: str) -> list[str]:
    """The tags of an HTML fragment, as a browser would read them."""
    tags: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append(tag)

    Tags().feed(html_text)
    return tags


@pytest.mark.parametrize("value", HOSTILE)
def test_metadata_values_show_as_text_never_markup(value):
    from diplotext.report.display import escape_data, metadata_html, quote_html

    table = metadata_html({"title": value, "source": value, "published_range": [value, "2022-09-14"]})
    assert set(_markup(table)) <= {"table", "thead", "tbody", "tr", "th", "td"}
    quote = quote_html(value)
    assert set(_markup(quote)) <= {"blockquote", "p"}
    # The text is all still there for the reader, character for character.
    assert html.unescape(escape_data(value)) == value
    assert html.unescape(re.sub(r"<[^>]+>", " ", quote)).split() == value.split()
    assert html.unescape(re.sub(r"<[^>]+>", " ", table)).count(value.split()[0]) == 3


def test_missing_metadata_reads_as_missing():
    from diplotext.report.display import metadata_html, quote_html

    assert "No reasoning is recorded." in quote_html(None, missing="No reasoning is recorded.")
    assert "<td>\u2014</td>" in metadata_html({"title": None})


def test_a_hostile_field_name_is_escaped_too():
    from diplotext.report.display import metadata_html

    table = metadata_html({"<b>field</b>": "x"})
    assert "&lt;b&gt;field&lt;/b&gt;" in table and "<b>" not in table
