"""Hostile input and faults: every fixture here is written by the test itself.

Metadata bombs, padded and ISO-week dates, UTF-32, special files in a folder, an article that
breaks a stage, formula-like cells, interrupted and concurrent runs, a shadowing module in the
current folder, and file names that a shell would run.
"""

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diplotext import buildcache, pipeline
from diplotext.corpus import REPO_ROOT, SEED_ARTICLE, decode, load_article
from diplotext.errors import InputError
from diplotext.export import LOCK_NAME, lock_out, neutralise

from test_cli import assert_one_error_line, read_csv, run_cli

GOOD_META = "title: null\nsource: X\nlanguage: en\npublished_basis: stated\n"


def alias_bomb(levels=9, width=9):
    """The 'billion laughs': nine levels of nine aliases each, 9**9 strings once expanded."""
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def write_article(folder, name, text="Xi met Putin in Samarkand. The talks went well.", meta=None):
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    if meta is not None:
        (folder / f"{name}.yml").write_text(meta, encoding="utf-8")
    return folder / f"{name}.txt"


# --- metadata -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "meta, fragment",
    [
        (alias_bomb(), "anchors or aliases"),
        (GOOD_META + "published: &d '2022-09-14'\nnotes: *d\n", "anchors or aliases"),
        (GOOD_META + "published: null\nnotes: [[[[[[[[[[x]]]]]]]]]]\n", "nested more than"),
        (GOOD_META + "published: null\nnotes: '" + "x" * 70_000 + "'\n", "more than the 65,536"),
    ],
    ids=["alias-bomb", "one-alias", "deep", "oversized"],
)
def test_hostile_metadata_is_one_error_line_at_once(tmp_path, meta, fragment):
    path = write_article(tmp_path, "a", meta=meta)
    started = time.perf_counter()
    assert_one_error_line(run_cli("analyze", path, "--out", tmp_path / "out"), "a.yml", fragment)
    assert time.perf_counter() - started < 5
    assert not (tmp_path / "out" / "sentences.csv").exists()


def test_padded_dates_are_read_without_their_spaces(tmp_path):
    path = write_article(tmp_path, "a", meta=GOOD_META + "published: ' 2022-09-14 '\n"
                                                      "published_range: [' 2022-09-12', '2022-09-14  ']\n")
    article = load_article(path)
    assert article.meta["published"] == "2022-09-14"
    assert str(article.published) == "2022-09-14"
    assert article.meta["published_range"] == ["2022-09-12", "2022-09-14"]
    result = run_cli("analyze", path, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", ["2022-W37-3", "2022W373", "2022-W37", "20220914", "2022-09-14T00:00", "２０２２-09-14"])
def test_dates_that_are_not_yyyy_mm_dd_are_refused(tmp_path, value):
    path = write_article(tmp_path, "a", meta=GOOD_META + f"published: '{value}'\n")
    assert_one_error_line(run_cli("analyze", path, "--out", tmp_path / "out"), "invalid date")
    week = run_cli("analyze", SEED_ARTICLE, "--published", value, "--out", tmp_path / "out")
    assert_one_error_line(week, "invalid date")
    if "W" in value:
        assert "ISO week" in week.stderr


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-be"])
def test_utf32_with_a_byte_order_mark_is_decoded(tmp_path, encoding):
    text = "Xi met Putin. Talks went well."
    data = text.encode(encoding)
    if encoding == "utf-32-be":
        data = b"\x00\x00\xfe\xff" + data
    (tmp_path / "a.txt").write_bytes(data)
    assert decode(data)[0] == text
    assert run_cli("analyze", tmp_path / "a.txt", "--out", tmp_path / "out").returncode == 0
    raw = (tmp_path / "out" / "sentences.csv").read_bytes()
    assert b"\x00" not in raw
    assert read_csv(tmp_path / "out" / "sentences.csv").text.tolist() == ["Xi met Putin.", "Talks went well."]


def test_utf16_that_decodes_to_nul_characters_is_refused():
    with pytest.raises(InputError, match="NUL"):
        decode("ab\x00cd".encode("utf-16"))


# --- folder mode ----------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and /dev/zero are POSIX")
def test_special_files_are_reported_one_line_each_and_skipped(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_article(folder, "good")
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "dangling.txt").symlink_to(folder / "nowhere")
    write_article(folder, "padded", meta=GOOD_META + "published: ' 2022-09-14 '\n")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "diplotext", "analyze", str(folder), "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert len(errors) == 4 and all(line.startswith("error: ") for line in errors), result.stderr
    assert "dangling.txt: a symbolic link to a file that does not exist" in errors[0]
    assert "loop.txt: cannot be read" in errors[1]
    assert "pipe.txt: not a regular file (a named pipe)" in errors[2]
    assert "zero.txt: not a regular file (a character device)" in errors[3]
    assert "Traceback" not in result.stderr
    sentences = read_csv(out / "sentences.csv")
    assert sentences.groupby("article").size().to_dict() == {"good": 2, "padded": 2}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_article_that_breaks_a_stage_costs_only_its_own_rows(tmp_path, monkeypatch, jobs):
    """A failure inside the stages (not while loading) is reported for that file alone."""
    stages = pipeline._stages  # what both the folder path and ``analyze`` run

    def breaks_on_poison(articles, processes=1):
        if any("POISON" in article.raw for article in articles):
            raise RecursionError("maximum recursion depth exceeded")
        return stages(articles, processes)

    monkeypatch.setattr(pipeline, "_stages", breaks_on_poison)  # the workers fork with it
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(5):
        write_article(folder, f"good_{i}")
    write_article(folder, "bad", text="POISON. Xi met Putin.")
    result = run_cli("analyze", folder, "--jobs", jobs, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: {folder / 'bad.txt'}: the analysis failed "
                                          "(RecursionError: maximum recursion depth exceeded)"]
    sentences = read_csv(tmp_path / "out" / "sentences.csv")
    assert sentences.groupby("article").size().to_dict() == {f"good_{i}": 2 for i in range(5)}
    assert "analysed 5 of 6 articles" in result.stdout
    one = run_cli("analyze", folder / "bad.txt", "--out", tmp_path / "one")
    assert_one_error_line(one, "bad.txt: the analysis failed (RecursionError")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_a_worker_killed_mid_run_costs_only_its_article(tmp_path, monkeypatch):
    """A worker process that dies (as the kernel kills one that runs out of memory) must not
    hang the run: its article is reported, every other article is written."""
    if pipeline.available_cores() < 2:
        pytest.skip("one core: folders run in one process")
    run_stages, parent = pipeline._run_stages, os.getpid()

    def dies_on_crash(articles):
        if os.getpid() != parent and any("CRASH" in article.raw for article in articles):
            os.kill(os.getpid(), signal.SIGKILL)
        return run_stages(articles)

    monkeypatch.setattr(pipeline, "_run_stages", dies_on_crash)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(7):
        write_article(folder, f"good_{i}")
    write_article(folder, "good_3_crash", text="CRASH. Xi met Putin.")
    started = time.monotonic()
    result = run_cli("analyze", folder, "--jobs", "2", "--out", tmp_path / "out")
    assert time.monotonic() - started < 60
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: {folder / 'good_3_crash.txt'}: the process analysing it "
                                          "was killed by signal 9 (out of memory?)"]
    sentences = read_csv(tmp_path / "out" / "sentences.csv")
    assert sentences.groupby("article").size().to_dict() == {f"good_{i}": 2 for i in range(7)}
    assert sentences.article.tolist() == sorted(sentences.article)  # still in input order


def test_jobs_are_capped_at_articles_and_cores(tmp_path, monkeypatch):
    from diplotext import workers

    started = []

    class CountingPool(workers.ProcessPoolExecutor):
        def __init__(self, processes, *args, **kwargs):
            started.append(processes)
            super().__init__(processes, *args, **kwargs)

    monkeypatch.setattr(workers, "ProcessPoolExecutor", CountingPool)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(4):
        write_article(folder, f"a{i}")
    result = run_cli("analyze", folder, "--jobs", "10000", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    limit = min(4, pipeline.available_cores())
    assert result.stderr == f"note: --jobs 10000 lowered to {limit} (4 articles, {pipeline.available_cores()} cores)\n"
    assert started in ([], [limit])  # no pool at all when one process is enough
    assert all(n <= limit for n in started)
    assert read_csv(tmp_path / "out" / "sentences.csv").article.nunique() == 4


def test_empty_out_is_refused(tmp_path):
    assert_one_error_line(run_cli("analyze", SEED_ARTICLE, "--out", ""), "--out")
    assert not Path("sentences.csv").exists()


def test_a_module_in_the_current_folder_is_not_imported(tmp_path):
    """``python -m`` puts the current folder first on sys.path; its files must not shadow the
    standard library the package uses."""
    for name in ["concurrent.py", "csv.py", "random.py"]:
        (tmp_path / name).write_text("raise SystemExit('imported ' + __file__)\n", encoding="utf-8")
    shutil.copy(SEED_ARTICLE, tmp_path / "seed.txt")
    result = subprocess.run([sys.executable, "-m", "diplotext", "analyze", "seed.txt", "--out", "out"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "imported" not in result.stderr
    assert len(read_csv(tmp_path / "out" / "sentences.csv")) == 14


# --- outputs: formulas, atomic tables, locks, signals ---------------------------------------

FORMULA_ARTICLE = (
    '=HYPERLINK("http://evil.example","click") was typed here.\n\n'
    "+1 555 0100 is a number to call.\n\n"
    "-The talks were terrible.\n\n"
    "@SUM(A1:A2) appeared too.\n\n"
    "Putin met Xi in Samarkand."
)


def test_formula_like_text_cells_are_neutralised_and_numbers_are_not(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(FORMULA_ARTICLE, encoding="utf-8")
    assert run_cli("analyze", path, "--out", tmp_path / "out").returncode == 0
    with open(tmp_path / "out" / "sentences.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["text"][:2] for row in rows] == ["'=", "'+", "'-", "'@", "Pu"]
    for row in rows:  # the exact text is always raw[start:end]; a neutralised cell adds one quote
        exact = FORMULA_ARTICLE[int(row["start"]) : int(row["end"])]
        assert row["text"] == (("'" + exact) if exact[0] in "=+-@" else exact)
    with open(tmp_path / "out" / "sentiment.csv", encoding="utf-8", newline="") as handle:
        sentiment = list(csv.DictReader(handle))
    assert sentiment[2]["textblob_polarity"] == "-1.0"  # a number: never quoted
    assert float(sentiment[2]["vader_compound"]) < 0
    assert read_csv(tmp_path / "out" / "sentiment.csv").textblob_polarity.dtype.kind == "f"


@pytest.mark.parametrize(
    "value, cell",
    [("=1+2", "'=1+2"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("\r=x", "'\r=x"),
     ("-0.3", "-0.3"), ("+5", "+5"), ("1e-3", "1e-3"), ("", ""), (-0.3, -0.3), (None, None), ("a=b", "a=b")],
)
def test_neutralise(value, cell):
    assert neutralise(value) == cell


def test_a_second_writer_is_refused(tmp_path):
    out = tmp_path / "out"
    with lock_out(out):
        result = run_cli("analyze", SEED_ARTICLE, "--out", out)
        assert_one_error_line(result, "another diplotext run is writing its tables here")
        assert not (out / "sentences.csv").exists()
    assert run_cli("analyze", SEED_ARTICLE, "--out", out).returncode == 0  # released
    assert (out / LOCK_NAME).exists() and (out / "sentences.csv").exists()


def make_slow_corpus(folder, count=60, copies=3):
    """Articles of three seeds each: a run long enough to be stopped half-way."""
    folder.mkdir()
    text = "\n\n".join([SEED_ARTICLE.read_text(encoding="utf-8")] * copies)
    for i in range(count):
        (folder / f"a{i:03}.txt").write_text(text, encoding="utf-8")
    return folder


def start_run(folder, out, *extra):
    return subprocess.Popen([sys.executable, "-m", "diplotext", "analyze", str(folder), "--out", str(out), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_for(condition, seconds=120):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
@pytest.mark.parametrize("signum, code, word", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_a_stopped_run_leaves_nothing_that_looks_finished(tmp_path, signum, code, word):
    folder = make_slow_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    run = start_run(folder, out, "--jobs", "2")
    wait_for(lambda: (out / ".sentences.csv.part").exists())
    second = run_cli("analyze", folder, "--out", out)  # meanwhile, a second writer is refused
    assert_one_error_line(second, "another diplotext run")
    os.killpg(run.pid, signum)  # as Ctrl-C does: the whole process group
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == code, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {word} after "), stderr
    assert lines[0].endswith(" of 60 articles; no tables were written")
    assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux")
def test_workers_die_with_a_killed_parent(tmp_path):
    psutil = pytest.importorskip("psutil")
    if pipeline.available_cores() < 2:
        pytest.skip("one core: folders run in one process")
    folder = make_slow_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    run = start_run(folder, out, "--jobs", "2")
    wait_for(lambda: (out / ".sentences.csv.part").exists())
    workers = psutil.Process(run.pid).children()
    assert len(workers) == 2
    run.kill()
    run.communicate(timeout=30)
    gone, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive
    assert not (out / "sentences.csv").exists()  # only unfinished .part files may remain
    rerun = run_cli("analyze", folder / "a000.txt", "--out", out)  # and the next run clears them
    assert rerun.returncode == 0
    assert not list(out.glob(".*.part"))


# --- the book build -------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_book_passes_the_article_as_data(tmp_path):
    """The article name reaches the build untouched: a shell would have run the backquotes and
    make its $(shell ...); a space would have split it."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python").write_text('#!/bin/sh\nprintf %s "$DIPLOTEXT_MAKE_ARTICLE" > "$0.got"\necho "$@" >> "$0.args"\n')
    (fake / "python").chmod(0o755)
    pwned = tmp_path / "pwned"
    name = f"/tmp/a b`touch {pwned}`$(touch {pwned})$(shell touch {pwned}) \"q'$HOME.txt"
    result = subprocess.run(["make", "-s", "-C", str(REPO_ROOT), "book", f"BIN={fake}", f"READY={fake}/python",
                             f"ARTICLE={name}"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert not pwned.exists()
    assert (fake / "python.got").read_text() == name
    assert (fake / "python.args").read_text() == "-m diplotext.buildcache --build\n"


def test_book_build_starts_clean_and_a_failed_build_is_not_cached(tmp_path):
    """A build that fails forgets its fingerprint and Sphinx environment: the next build
    re-executes and re-reads everything and fails the same way."""
    root = tmp_path / "book"
    stale = root / "_build" / "html" / "_downloads" / "0ld" / "sentences.csv"
    stale.parent.mkdir(parents=True)
    stale.write_text("from another article\n")
    mine = root / "_build" / "downloads" / SEED_ARTICLE.stem / "01_source" / "sentences.csv"
    mine.parent.mkdir(parents=True)
    mine.write_text("old\n")
    (root / "_build" / ".doctrees").mkdir()
    (root / "notebooks").mkdir()
    seen = root / "seen"
    probe = ("import os, sys; from pathlib import Path; "
             f"Path({str(seen)!r}).write_text(os.environ['DIPLOTEXT_ARTICLE'] + '|' + "
             f"str(Path({str(stale)!r}).exists()) + str(Path({str(mine)!r}).exists())); sys.exit(int(sys.argv[1]))")
    assert buildcache.build(SEED_ARTICLE, root, command=[sys.executable, "-c", probe, "1"]) == 1
    assert seen.read_text() == f"{SEED_ARTICLE}|FalseFalse"  # downloads cleaned before the build
    assert not (root / "_build" / ".inputs.sha256").exists()  # the failure is not remembered as done
    assert not (root / "_build" / ".doctrees").exists()
    assert buildcache.refresh(SEED_ARTICLE, root) is True  # so the next build re-executes
    assert buildcache.build(SEED_ARTICLE, root, command=[sys.executable, "-c", probe, "0"]) == 0
    assert (root / "_build" / ".inputs.sha256").exists()
    with pytest.raises(InputError, match="no such file"):
        buildcache.build(tmp_path / "missing.txt", root, command=[sys.executable, "-c", probe, "0"])


def test_book_article_is_absolute_and_comes_from_make(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert buildcache.book_article({"DIPLOTEXT_MAKE_ARTICLE": "a b.txt"}) == tmp_path / "a b.txt"
    assert buildcache.book_article({"DIPLOTEXT_ARTICLE": "x.txt"}) == tmp_path / "x.txt"
    assert buildcache.book_article({}) == SEED_ARTICLE


def test_ctrl_c_while_the_command_is_starting_is_one_line(tmp_path):
    """Ctrl-C during the imports, before the command line runs: one line, exit 130."""
    process = subprocess.Popen([sys.executable, "-m", "diplotext", "analyze", str(SEED_ARTICLE), "--out", str(tmp_path / "out")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert len(err.splitlines()) == 1 and err.startswith("error: interrupted") and "Traceback" not in err
    assert not (tmp_path / "out" / "sentences.csv").exists()
