"""Publishing: the citation file, the citation blocks, the downloads and the built site.

The site tests read the shared ``built_site`` fixture; ``DIPLOTEXT_SITE=/path/to/html``
points them at another build (a private one while developing).
"""

from __future__ import annotations

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
from diplotext.citation import (
    CITATION_FILE,
    DOWNLOADS_DIR,
    chapter_title,
    cite_this_book,
    cite_this_chapter,
    download_tables,
    read_citation,
    rerun_locally,
)
from diplotext.corpus import REPO_ROOT, SEED_ARTICLE
from diplotext.errors import InputError

SCHEMA = Path(__file__).parent / "data" / "cff-1.2.0.schema.json"
# owner/name only: the full address is written in CITATION.cff alone (tested below).
REPOSITORY = "diplotext/diplotext-book"
SOURCE_URL = "https://diplotext.github.io/diplotext-book/notebooks/01_source.html"


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


def test_cite_this_chapter_gives_apa_line_and_parseable_bibtex():
    block = cite_this_chapter("notebooks/01_source")
    assert block.apa == (
        "The diplotext contributors. (2026). The source: one article as data. "
        f"In *Diplomatic news, read closely* (Version 0.1.0). <{SOURCE_URL}>"
    )
    entry = pybtex.database.parse_string(block.bibtex, "bibtex").entries["diplotext2026source"]
    assert entry.type == "incollection"
    assert entry.fields["title"] == "The source: one article as data"
    assert entry.fields["booktitle"] == "Diplomatic news, read closely"
    assert entry.fields["year"] == "2026"
    assert entry.fields["version"] == "0.1.0"
    assert entry.fields["url"] == SOURCE_URL
    # One corporate author, not a person called "contributors, The diplotext".
    assert [str(p) for p in entry.persons["author"]] == ["{The diplotext contributors}"]
    markdown = block._repr_markdown_()
    assert markdown.startswith(block.apa) and "```bibtex\n@incollection{diplotext2026source," in markdown


def test_cite_this_book():
    block = cite_this_book()
    entry = pybtex.database.parse_string(block.bibtex, "bibtex").entries["diplotext2026"]
    assert entry.type == "book"
    assert entry.fields["url"] == "https://diplotext.github.io/diplotext-book/"
    assert block.apa.startswith("The diplotext contributors. (2026). *Diplomatic news, read closely* (Version 0.1.0).")


def test_citation_follows_the_citation_file(tmp_path):
    text = CITATION_FILE.read_text(encoding="utf-8").replace("version: 0.1.0", "version: 0.2.0")
    text = text.replace("date-released: 2026-11-26", "date-released: 2027-03-01")
    (tmp_path / "CITATION.cff").write_text(text, encoding="utf-8")
    block = cite_this_chapter("notebooks/01_source", read_citation(tmp_path / "CITATION.cff"))
    assert "(2027)" in block.apa and "(Version 0.2.0)" in block.apa
    assert "@incollection{diplotext2027source," in block.bibtex


def test_cite_this_chapter_refuses_unknown_chapters():
    with pytest.raises(InputError, match="no such chapter"):
        cite_this_chapter("notebooks/99_missing")


def test_rerun_commands_clone_the_repository():
    lines = repr(rerun_locally()).splitlines()
    assert lines[:2] == [f"git clone {read_citation().repository}.git", "cd diplotext-book"]
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


def test_thebe_and_mathjax_are_not_in_the_pages(site):
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and "THEBE_JS_URL" not in text, page
        assert "mathjax" not in text.lower(), page


def test_every_image_has_alt_text(site):
    for page in _pages(site):
        parser = _Assets()
        parser.feed(page.read_text(encoding="utf-8"))
        for image in parser.images:
            assert image.get("alt"), f"{page.relative_to(site)}: image {image.get('src')} has no alt text"


def _chapter_pages(site: Path) -> list[Path]:
    return sorted((site / "notebooks").glob("*.html"))


def test_chapters_end_with_their_citation(site):
    chapters = _chapter_pages(site)
    assert [p.stem for p in chapters][:1] == ["01_source"]
    for page in chapters:
        text = page.read_text(encoding="utf-8")
        block = cite_this_chapter(f"notebooks/{page.stem}")
        sections = re.findall(r'<section id="([^"]+)">', text)
        assert sections[-1] == "cite-this-chapter", page.name
        key = block.bibtex.split("{", 1)[1].split(",", 1)[0]
        assert key in text and f'href="{read_citation().site}notebooks/{page.stem}.html"' in text


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


def test_figures_are_numbered_by_chapter(site):
    text = (site / "notebooks" / "01_source.html").read_text(encoding="utf-8")
    assert re.search(r'<figure[^>]*id="fig-source-lengths"', text)
    assert '<span class="caption-number">Fig. 1.1 </span>' in text
    cite = (site / "book" / "cite.html").read_text(encoding="utf-8")
    assert re.search(r'href="../notebooks/01_source.html#fig-source-lengths"><span class="std std-numref">Fig. 1.1</span>', cite)


def test_launch_buttons_point_at_the_repository(site):
    text = (site / "notebooks" / "01_source.html").read_text(encoding="utf-8")
    assert 'href="https://mybinder.org/v2/gh/diplotext/diplotext-book/main?urlpath=lab/tree/notebooks/01_source.ipynb"' in text
    assert 'href="https://colab.research.google.com/github/diplotext/diplotext-book/blob/main/notebooks/01_source.ipynb"' in text
    assert "executablebooks/jupyter-book" not in text


def test_cite_page_and_footer_come_from_the_citation_file(site):
    cite = (site / "book" / "cite.html").read_text(encoding="utf-8")
    assert "@book" in cite and "diplotext2026" in cite
    assert "This is version 0.1.0, released on 2026-11-26" in re.sub(r"\s+", " ", cite)
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        if "<body" in text:  # index.html only redirects to the first page
            assert "Version 0.1.0, released 2026-11-26." in text, page
