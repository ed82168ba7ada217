"""The command line: the tables it writes, and one clear error line with exit 2 on bad input."""

import contextlib
import io
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from diplotext.cli import main
from diplotext.corpus import SEED_ARTICLE


def run_cli(*args):
    """Run the command line in this process (fast); see test_entry_point for a real process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse exits on usage errors
            code = exc.code
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def test_entry_point(tmp_path):
    """``python -m diplotext`` in a real process: tables on success, one line and exit 2 on error."""
    ok = subprocess.run([sys.executable, "-m", "diplotext", "analyze", str(SEED_ARTICLE), "--out", str(tmp_path)],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "sentences.csv").exists()
    bad = subprocess.run([sys.executable, "-m", "diplotext", "analyze", str(tmp_path / "missing.txt")],
                         capture_output=True, text=True)
    assert_one_error_line(bad, "no such file")


def read_csv(path):
    return pd.read_csv(path, keep_default_na=False, na_values=[])


def assert_one_error_line(result, *fragments):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_analyze_seed_writes_sentences(tmp_path, seed):
    result = run_cli("analyze", SEED_ARTICLE, "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    sentences = read_csv(tmp_path / "sentences.csv")
    assert list(sentences.columns[:5]) == ["sentence_id", "paragraph_id", "start", "end", "text"]
    assert len(sentences) == 14
    for row in sentences.itertuples():
        assert seed.raw[row.start : row.end] == row.text
    assert sentences.text.iloc[6] == "The first Chinese official to attend the Shanghe Summit today"


def test_published_override_is_validated(tmp_path):
    ok = run_cli("analyze", SEED_ARTICLE, "--published", "2022-09-13", "--out", tmp_path)
    assert ok.returncode == 0, ok.stderr
    for bad in ["2022-02-30", "13/09/2022", "yesterday", "2022-9-1"]:
        assert_one_error_line(run_cli("analyze", SEED_ARTICLE, "--published", bad, "--out", tmp_path), "invalid date")


@pytest.fixture
def article_dir(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"", "empty"),
        (b"  \n\t\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 talks in Z\u00fcrich.".encode("latin-1"), "not valid UTF-8"),
    ],
    ids=["empty", "whitespace", "binary", "latin-1"],
)
def test_bad_article_bytes(article_dir, tmp_path, content, fragment):
    path = article_dir / "bad.txt"
    path.write_bytes(content)
    assert_one_error_line(run_cli("analyze", path, "--out", tmp_path / "out"), fragment)
    assert path.read_bytes() == content  # the user's file is untouched


def test_missing_path(tmp_path):
    assert_one_error_line(run_cli("analyze", tmp_path / "nowhere.txt"), "no such file")


def test_usage_error_is_one_line():
    assert_one_error_line(run_cli("analyze"))
    assert_one_error_line(run_cli("frobnicate", "x"))


@pytest.mark.parametrize(
    "yaml_text, fragment",
    [
        ("title: [unclosed\n", "malformed metadata YAML"),
        ("- just\n- a list\n", "must be a YAML mapping"),
        ("title: null\nsource: X\nlanguage: en\npublished_basis: inferred\n", "missing required field 'published'"),
        ("title: null\nsource: X\nlanguage: en\npublished: 2022-02-30\npublished_basis: stated\n", "malformed"),
        ("title: null\nsource: X\nlanguage: en\npublished: soon\npublished_basis: stated\n", "published"),
        ("title: null\nsource: X\nlanguage: en\npublished: 2022-09-14\npublished_basis: guessed\n", "published_basis"),
        ("title: 7\nsource: X\nlanguage: en\npublished: null\npublished_basis: unknown\n", "field 'title' cannot be int"),
    ],
    ids=["unclosed", "list", "incomplete", "impossible-date", "word-date", "basis", "title-type"],
)
def test_bad_metadata(article_dir, tmp_path, yaml_text, fragment):
    (article_dir / "a.txt").write_text("A sentence. Another one.", encoding="utf-8")
    (article_dir / "a.yml").write_text(yaml_text, encoding="utf-8")
    assert_one_error_line(run_cli("analyze", article_dir / "a.txt", "--out", tmp_path / "out"), fragment)


def test_utf16_with_bom_and_utf8_bom_are_decoded(article_dir, tmp_path):
    text = "Xi met Putin. Talks went well."
    (article_dir / "u16.txt").write_bytes(text.encode("utf-16"))
    (article_dir / "u8.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    for name in ["u16", "u8"]:
        out = tmp_path / name
        result = run_cli("analyze", article_dir / f"{name}.txt", "--out", out)
        assert result.returncode == 0, result.stderr
        assert read_csv(out / "sentences.csv").text.tolist() == ["Xi met Putin.", "Talks went well."]


def test_out_must_be_a_folder(tmp_path):
    target = tmp_path / "file.csv"
    target.write_text("keep me", encoding="utf-8")
    assert_one_error_line(run_cli("analyze", SEED_ARTICLE, "--out", target), "not a folder")
    assert target.read_text(encoding="utf-8") == "keep me"


def test_folder_gives_article_column(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_ARTICLE, folder / "seed.txt")
    shutil.copy(SEED_ARTICLE.with_suffix(".yml"), folder / "seed.yml")
    (folder / "other.txt").write_text("One. Two.", encoding="utf-8")
    result = run_cli("analyze", folder, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    sentences = read_csv(tmp_path / "out" / "sentences.csv")
    assert sentences.columns[0] == "article"
    assert sentences.groupby("article").size().to_dict() == {"other": 2, "seed": 14}


def make_corpus(folder, copies=6):
    folder.mkdir()
    for i in range(copies):
        shutil.copy(SEED_ARTICLE, folder / f"seed_{i}.txt")
        shutil.copy(SEED_ARTICLE.with_suffix(".yml"), folder / f"seed_{i}.yml")
    return folder


def test_folder_skips_and_reports_bad_files(tmp_path):
    folder = make_corpus(tmp_path / "corpus", copies=3)
    (folder / "latin.txt").write_bytes("Caf\u00e9.".encode("latin-1"))
    (folder / "blank.txt").write_text("   \n", encoding="utf-8")
    result = run_cli("analyze", folder, "--out", tmp_path / "out")
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and all(line.startswith("error: ") for line in errors)
    assert "blank.txt: the article is empty" in errors[0]
    assert "latin.txt: is not valid UTF-8" in errors[1]
    sentences = read_csv(tmp_path / "out" / "sentences.csv")
    assert sentences.groupby("article").size().to_dict() == {"seed_0": 14, "seed_1": 14, "seed_2": 14}
    assert "analysed 3 of 5 articles" in result.stdout


def test_folder_in_parallel_equals_one_process(tmp_path):
    folder = make_corpus(tmp_path / "corpus", copies=8)
    (folder / "short.txt").write_text("Putin met Xi in Samarkand. Talks went well.", encoding="utf-8")
    assert run_cli("analyze", folder, "--jobs", "1", "--out", tmp_path / "serial").returncode == 0
    assert run_cli("analyze", folder, "--jobs", "2", "--out", tmp_path / "parallel").returncode == 0
    for csv in sorted((tmp_path / "serial").glob("*.csv")):
        assert csv.read_bytes() == (tmp_path / "parallel" / csv.name).read_bytes(), csv.name
    assert run_cli("analyze", folder, "--jobs", "0").returncode == 2


ODD_ARTICLE = (
    'Dr. Smith said "we agree, mostly" on Monday.\n'
    "On 14 September 2022, Zorblat Quenx met Putin in Samarkand.\n\n"
    "A line with a comma, a \u201cquote\u201d and a tab\there.\n"
)


def test_folder_rows_are_what_pandas_writes_for_each_article(tmp_path):
    """Folder mode writes its CSV from plain lists, without pandas: the rows must be exactly what
    ``DataFrame.to_csv`` writes for ``analyze(article)``, missing values and quoting included."""
    import csv as csv_module

    from diplotext.pipeline import analyze

    folder = make_corpus(tmp_path / "corpus", copies=1)
    (folder / "odd.txt").write_text(ODD_ARTICLE, encoding="utf-8")
    assert run_cli("analyze", folder, "--out", tmp_path / "out").returncode == 0
    for article in sorted(folder.glob("*.txt")):
        for name, table in analyze(article).items():
            expected = table.to_csv(index=False, lineterminator="\n")
            with open(tmp_path / "out" / f"{name}.csv", encoding="utf-8", newline="") as handle:
                rows = [row[1:] for row in csv_module.reader(handle) if row[0] == article.stem]
            buffer = io.StringIO()
            csv_module.writer(buffer, lineterminator="\n").writerows([list(table.columns), *rows])
            assert buffer.getvalue() == expected, (article.name, name)
    odd = read_csv(tmp_path / "out" / "mentions.csv").query("article == 'odd'")
    assert "unlinked" in set(odd.how) and "" in set(odd.score.astype(str))  # missing values were exercised


def test_folder_mode_runs_without_importing_pandas(tmp_path):
    """pandas is imported only where a DataFrame is made: a folder run never needs it."""
    folder = make_corpus(tmp_path / "corpus", copies=2)
    code = ("import sys; from diplotext.cli import main; "
            f"code = main(['analyze', {str(folder)!r}, '--jobs', '1', '--out', {str(tmp_path / 'out')!r}]); "
            "print(code, 'pandas.core' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split()[-2:] == ["0", "False"], result.stderr


@pytest.mark.parametrize("text", [None, ODD_ARTICLE, "Nothing dated, nobody named."])
def test_analyze_equals_the_stage_functions_called_in_turn(tmp_path, text):
    """``analyze`` passes plain lists between the stages; the chapters call the stage functions
    on DataFrames. Both must give the same tables, dtypes included."""
    from diplotext import load_article, segment
    from diplotext.chronology import build_chronology
    from diplotext.entities import find_mentions, summarise_entities
    from diplotext.parse import parse
    from diplotext.pipeline import analyze
    from diplotext.quotes import find_quotes
    from diplotext.sentiment import score_sentences
    from diplotext.times import build_times

    path = SEED_ARTICLE if text is None else tmp_path / "article.txt"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    article = load_article(path)
    sentences = segment(article.raw)
    doc = parse(article.raw)
    mentions = find_mentions(article.raw, sentences, published=article.published, doc=doc)
    expected = {
        "sentences": sentences,
        "mentions": mentions,
        "entities": summarise_entities(mentions),
        "sentiment": score_sentences(sentences, doc=doc),
        "chronology": build_chronology(article.raw, sentences, article.published, mentions, doc=doc),
        "times": build_times(article.raw, sentences, article.published, doc),
        "quotes": find_quotes(sentences, mentions, doc),
    }
    tables = analyze(path)
    assert list(tables) == list(expected)
    for name, table in tables.items():
        pd.testing.assert_frame_equal(table, expected[name], check_exact=True, obj=name)
