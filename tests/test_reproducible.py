"""No stale results, identical rebuilds, and the book for any article."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from diplotext import buildcache
from diplotext.cli import main
from diplotext.corpus import SEED_ARTICLE

JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def build(book: Path, *extra):
    result = subprocess.run([str(JUPYTER_BOOK), "build", str(book), "-W", "-n", "--keep-going", *extra],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.mark.slow
def test_changed_data_re_executes_the_chapter(tmp_path):
    """jupyter-cache keys on code only: without refresh() a data change publishes stale output."""
    book = tmp_path / "book"
    (book / "notebooks").mkdir(parents=True)
    (book / "data" / "articles").mkdir(parents=True)
    article = book / "data" / "articles" / "a.txt"
    article.write_text("Alpha met Beta.", encoding="utf-8")
    (book / "_config.yml").write_text("title: t\nonly_build_toc_files: true\nexecute:\n  execute_notebooks: cache\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: notebooks/reader\n")
    (book / "intro.md").write_text("# Intro\n")
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Reader"),
               nbformat.v4.new_code_cell("print('ARTICLE SAYS', open('../data/articles/a.txt').read())")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(notebook, book / "notebooks" / "reader.ipynb")
    page = book / "_build" / "html" / "notebooks" / "reader.html"

    assert buildcache.refresh(article, root=book) is True
    build(book)
    assert "Alpha met Beta." in page.read_text()
    assert buildcache.refresh(article, root=book) is False  # nothing changed: cache kept

    article.write_text("Gamma met Delta.", encoding="utf-8")
    build(book)
    assert "Alpha met Beta." in page.read_text()  # the stale output the cache would publish

    assert buildcache.refresh(article, root=book) is True
    build(book)
    assert "Gamma met Delta." in page.read_text()


def test_fingerprint_covers_article_metadata_and_data(tmp_path):
    root = tmp_path
    (root / "data").mkdir()
    (root / "data" / "kb.yml").write_text("a: 1\n")
    article = root / "x.txt"
    article.write_text("Text.")
    first = buildcache.fingerprint(article, root)
    article.with_suffix(".yml").write_text("title: null\n")
    second = buildcache.fingerprint(article, root)
    (root / "data" / "kb.yml").write_text("a: 2\n")
    third = buildcache.fingerprint(article, root)
    assert len({first, second, third}) == 3
    assert buildcache.fingerprint(article, root) == third


def test_cli_exports_are_byte_identical(tmp_path):
    assert main(["analyze", str(SEED_ARTICLE), "--out", str(tmp_path / "a")]) == 0
    assert main(["analyze", str(SEED_ARTICLE), "--out", str(tmp_path / "b")]) == 0
    names = sorted(p.name for p in (tmp_path / "a").glob("*.csv"))
    assert "sentences.csv" in names
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_book_refuses_a_bad_article_in_one_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("Caf\u00e9".encode("latin-1"))
    for article in [bad, tmp_path / "missing.txt"]:
        result = subprocess.run([sys.executable, "-m", "diplotext.buildcache"], capture_output=True, text=True,
                                env={"PATH": "/usr/bin:/bin", "DIPLOTEXT_ARTICLE": str(article)})
        assert result.returncode == 2
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: ")


@pytest.mark.slow
def test_book_for_another_article_renders_and_escapes(tmp_path):
    """`make book ARTICLE=...` in miniature: no entities, no dates, and HTML in the text."""
    import os

    from diplotext.corpus import REPO_ROOT

    article = tmp_path / "plain.txt"
    article.write_text("<script>alert('boom')</script> the weather was mild & calm.\n\n"
                       "nothing else happened here at all.", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([str(JUPYTER_BOOK), "build", str(REPO_ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"],
                            capture_output=True, text=True, env={**os.environ, "DIPLOTEXT_ARTICLE": str(article)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (out / "_build" / "html" / "notebooks").glob("*.html")}
    assert set(pages) >= {"01_source", "02_entities", "03_sentiment", "04_chronology"}
    for name, page in pages.items():
        assert "<script>alert(" not in page, name
    assert "&lt;script&gt;alert(&#x27;boom&#x27;)&lt;/script&gt;" in pages["01_source"]
    assert "none found" in pages["02_entities"].lower()
    assert "none found" in pages["04_chronology"].lower()
    assert "plain" in pages["01_source"]  # the chapter names the article it was built for
    source_text = re.sub(r"<[^>]+>", " ", pages["01_source"])
    for claim in SEED_ONLY:
        assert claim not in source_text, claim


@pytest.mark.slow
def test_a_one_megabyte_article_loses_nothing(tmp_path, seed):
    """A 1 MB article goes through every stage; every offset still points at its text."""
    paragraphs = seed.raw.split("\n\n")
    raw = "\n\n".join(paragraphs[i % len(paragraphs)] for i in range(2400))[: 1_000_000]
    path = tmp_path / "big.txt"
    path.write_text(raw, encoding="utf-8")
    assert main(["analyze", str(path), "--published", "2022-09-14", "--out", str(tmp_path / "out")]) == 0
    import pandas as pd

    sentences = pd.read_csv(tmp_path / "out" / "sentences.csv", keep_default_na=False)
    covered = "".join(raw[s:e] for s, e in zip(sentences.start, sentences.end))
    assert "".join(covered.split()) == "".join(raw.split())  # every non-space character, once, in order
    assert (sentences.text == [raw[s:e] for s, e in zip(sentences.start, sentences.end)]).all()
    mentions = pd.read_csv(tmp_path / "out" / "mentions.csv", keep_default_na=False)
    assert (mentions.surface == [raw[s:e] for s, e in zip(mentions.start, mentions.end)]).all()
    assert mentions.entity_id.eq("xi_jinping").sum() > 1000


@pytest.mark.slow
def test_two_builds_give_identical_figures_and_tables(tmp_path, built_site):
    """A second, fully re-executed build of the seed gives the same images and CSV downloads."""
    from diplotext.corpus import REPO_ROOT

    build(REPO_ROOT, "--path-output", str(tmp_path))
    second = tmp_path / "_build" / "html"

    def files(site, folder, suffixes):
        return {p.name: p.read_bytes() for p in (site / folder).rglob("*") if p.suffix in suffixes}

    first_images, second_images = files(built_site, "_images", {".png", ".svg"}), files(second, "_images", {".png", ".svg"})
    assert len(first_images) >= 4  # every chapter's figures
    assert first_images == second_images
    first_csv, second_csv = files(built_site, "_downloads", {".csv"}), files(second, "_downloads", {".csv"})
    assert "chronology.csv" in first_csv and first_csv == second_csv


# --- chapter 1 built for another article --------------------------------------------------

# Claims that hold for the seed article only: a chapter built for another article must not
# make them. (The seed's numbers, its sentence ids, its date and names.)
SEED_ONLY = [
    "23.5", "sentences 2 and 7", "sentence 5 (49 words)", "14 sentences", "2022-09-14",
    "Beijing Comprehensive News", "Chinese official", "Yang Jiechi", "three spellings",
    "no headline", "sub-heading", "6 glued sentence boundaries",
]
# A second article, written for this test: three paragraphs, five sentences, one glued
# boundary, and metadata fields that try to inject markup.
SECOND_ARTICLE = (
    "The ministers met in Vienna on Monday. They discussed grain exports.\n\n"
    "A joint statement followed.Both sides called the talks useful and promised to meet again "
    "before the end of the year.\n\n"
    "Observers were cautious."
)
SECOND_METADATA = """\
title: '<script>alert("title")</script>'
source: "Example Wire"
language: en
translation: |-
  ```{raw} html
  <script>alert('raw')</script>
  ```
published: "2023-03-06"
published_basis: stated
published_reasoning: |-
  {doc}`/nowhere` and <img src=x onerror="alert(1)">

  ```{eval-rst}
  .. raw:: html

     <script>alert('rst')</script>
  ```
notes: ":::{no-such-directive}\\nbody\\n:::"
"""


@pytest.fixture(scope="module")
def second_chapter(tmp_path_factory):
    """Chapter 1 executed for the second article: (rendered prose, HTML outputs, Markdown outputs)."""
    import ast
    import os

    import nbclient

    from diplotext.corpus import REPO_ROOT

    folder = tmp_path_factory.mktemp("second")
    (folder / "vienna.txt").write_text(SECOND_ARTICLE, encoding="utf-8")
    (folder / "vienna.yml").write_text(SECOND_METADATA, encoding="utf-8")
    notebook = nbformat.read(REPO_ROOT / "notebooks" / "01_source.ipynb", as_version=4)
    previous = os.environ.get("DIPLOTEXT_ARTICLE")
    os.environ["DIPLOTEXT_ARTICLE"] = str(folder / "vienna.txt")
    try:
        nbclient.NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(REPO_ROOT / "notebooks")}}).execute()
    finally:
        if previous is None:
            os.environ.pop("DIPLOTEXT_ARTICLE")
        else:
            os.environ["DIPLOTEXT_ARTICLE"] = previous
    glued, html_outputs, markdown_outputs = {}, [], []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            # Glued values carry a MIME prefix; what the page shows is the value without it.
            scrap = output.get("metadata", {}).get("scrapbook", {})
            data = {key.removeprefix(scrap.get("mime_prefix", "")): value for key, value in output.get("data", {}).items()}
            name = scrap.get("name")
            if name and "text/plain" in data:
                try:
                    glued[name] = str(ast.literal_eval(data["text/plain"]))
                except (ValueError, SyntaxError):
                    glued[name] = data["text/plain"]
            if "text/html" in data:
                html_outputs.append(data["text/html"])
            if "text/markdown" in data:
                markdown_outputs.append(data["text/markdown"])
    prose = "\n".join(
        re.sub(r"\{glue:text\}`([^`:]+)(?::[^`]*)?`", lambda m: glued[m[1]], cell.source)
        for cell in notebook.cells if cell.cell_type == "markdown"
    )
    return prose, html_outputs, markdown_outputs, glued


@pytest.mark.slow
def test_chapter_one_for_another_article_states_its_own_facts(second_chapter):
    prose, html_outputs, _, glued = second_chapter
    assert "vienna: 212 characters in 3 paragraphs and 5 sentences" in " ".join(prose.split())
    # Words per sentence: 7, 4, 4, 17, 3: the median is 4, where the seed's was 23.5.
    assert glued["source_length_summary"] == (
        "The median sentence has 4 words; the longest is sentence 4 (17 words), the shortest sentence 5 (3 words)."
    )
    assert glued["source_debris_summary"] == "The segmenter found 1 glued sentence boundary."
    assert "The document date is 2023-03-06 (basis: stated" in " ".join(prose.split())
    text = prose + "\n".join(re.sub(r"<[^>]+>", " ", h) for h in html_outputs) + "\n".join(glued.values())
    for claim in SEED_ONLY:
        assert claim not in text, claim


@pytest.mark.slow
def test_chapter_one_shows_hostile_metadata_as_text(second_chapter):
    _, html_outputs, markdown_outputs, _ = second_chapter
    shown = "\n".join(html_outputs)
    for live in ("<script", "<img", "onerror=\"", "javascript:"):
        assert live not in shown
    # Every hostile field is on the page, escaped, for the reader to see.
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in shown
    assert "{doc}`/nowhere` and &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in shown
    assert "```{eval-rst}" in shown and "```{raw} html" in shown
    # Nothing from the metadata reaches an output that MyST would parse as Markdown.
    for markdown in markdown_outputs:
        assert "alert(" not in markdown and "{doc}" not in markdown and "no-such-directive" not in markdown


def test_site_fingerprint_follows_pages_config_and_article(tmp_path):
    """A rebuild is skipped only while nothing the site is built from has changed."""
    from diplotext.buildcache import site_fingerprint

    root = tmp_path / "book"
    for folder in ("notebooks", "book", "data", "src/diplotext"):
        (root / folder).mkdir(parents=True)
    (root / "notebooks" / "01.ipynb").write_text("{}", encoding="utf-8")
    (root / "book" / "intro.md").write_text("# Intro", encoding="utf-8")
    (root / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (root / "_toc.yml").write_text("root: book/intro\n", encoding="utf-8")
    article = root / "a.txt"
    article.write_text("Xi met Putin.", encoding="utf-8")
    first = site_fingerprint(article, root)
    assert site_fingerprint(article, root) == first
    (root / "book" / "intro.md").write_text("# Introduction", encoding="utf-8")
    second = site_fingerprint(article, root)
    assert second != first
    (root / "_config.yml").write_text("title: u\n", encoding="utf-8")
    assert site_fingerprint(article, root) != second
    third = site_fingerprint(article, root)
    article.write_text("Xi met Putin in Samarkand.", encoding="utf-8")
    assert site_fingerprint(article, root) != third
    assert site_fingerprint(article, root, ("--builder", "singlehtml")) != site_fingerprint(article, root)
