"""Benchmarks for `make bench`: the full analysis against the floor a user would write by hand.

Every row compares like with like and says so: the same generated texts, the same number of
processes, whole processes timed (imports and model loading included). The floor is what a
user would run by hand to get the same model output and the same lexicon scores: ``nlp.pipe``
of the same spaCy pipeline with the same components, plus ``TextBlob(text).sentiment``.

Run: .venv/bin/python benchmarks/bench.py [--folder 200] [--rounds 3] [--articles 10000]
     [--sizes 1,2,5,10] [--floor-sizes 1,10] [--skip-book] [--readme]
``--readme`` rewrites the table between the bench markers in README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SEED_DIR = REPO / "data" / "articles"
README = REPO / "README.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def corpus_paragraphs() -> list[str]:
    return [p for path in sorted(SEED_DIR.glob("*.txt")) for p in path.read_text(encoding="utf-8").split("\n\n")]


def generate_corpus(folder: Path, count: int, seed: int = 2022) -> Path:
    """Write ``count`` articles made by shuffling and recombining the corpus's paragraphs."""
    paragraphs = corpus_paragraphs()
    # The seed's metadata, less its checksum (which belongs to the seed's bytes alone).
    metadata = "".join(line for line in sorted(SEED_DIR.glob("*.yml"))[0].read_text(encoding="utf-8").splitlines(True)
                       if not line.startswith("sha256:"))
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        chosen = rng.sample(paragraphs, k=rng.randint(3, len(paragraphs)))
        (folder / f"article_{i:05d}.txt").write_text("\n\n".join(chosen), encoding="utf-8")
        (folder / f"article_{i:05d}.yml").write_text(metadata, encoding="utf-8")
    return folder


def tree_memory_kib(pid: int) -> int:
    """Memory of a process and all its descendants, in KiB, from /proc: the proportional set
    size (PSS), which counts a page shared by several processes once in all (forked workers
    share the model with their parent); the resident size where PSS cannot be read."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            try:
                rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
                total += int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")))
            except (PermissionError, StopIteration, OSError):
                status = Path(f"/proc/{current}/status").read_text()
                total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration, PermissionError):
            continue
    return total


def run(command: list[str], cwd: Path = REPO, env: dict | None = None) -> tuple[float, int, str]:
    """Run a command; return (wall seconds, peak memory of its process tree in KiB, its output)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0

    def sample():
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_memory_kib(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(command)}\n{output[-2000:]}")
    return elapsed, peak, output


# The floor: the same pipeline (package, excluded components) that diplotext.parse loads, over
# the same texts, with nlp.pipe, plus TextBlob's sentiment of each text.
FLOOR = """
import sys
from pathlib import Path
from textblob import TextBlob
from diplotext.parse import load_model
nlp = load_model()
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
for doc in nlp.pipe(texts, batch_size=16):
    pass
for text in texts:
    TextBlob(text).sentiment
"""


# The floor for one long article: the same pipeline over the same sections (``nlp.pipe`` takes at
# most a million characters at a time), in as many processes as the analysis may use.
FLOOR_LONG = """
import sys
from pathlib import Path
from textblob import TextBlob
from diplotext.parse import load_model, sections
nlp = load_model()
raw = Path(sys.argv[1]).read_text(encoding="utf-8")
texts = [raw[a:b] for a, b in sections(raw)]
for doc in nlp.pipe(texts, batch_size=3, n_process=int(sys.argv[2])):
    pass
TextBlob(raw).sentiment
"""


def analyze(path: Path, out: Path, jobs: int | None = None) -> list[str]:
    command = [str(BIN / "python"), "-m", "diplotext", "analyze", str(path), "--out", str(out), "--published", "2022-09-14"]
    return command + (["--jobs", str(jobs)] if jobs else [])


def mb(kib: int) -> str:
    return f"{kib / 1024:.0f} MB"


def bench_floor(workdir: Path, count: int, rounds: int) -> list[tuple[str, str, str]]:
    """The floor and the full analysis in one process each, run in turn ``rounds`` times, so
    that a slow spell of a shared machine falls on both; medians are reported."""
    folder = generate_corpus(workdir / f"folder_{count}", count)
    cores = os.cpu_count() or 1
    run([str(BIN / "python"), "-c", FLOOR, str(folder)])  # once each untimed: files cached, as
    run(analyze(folder, workdir / "out_one", jobs=1))     # for every timed round
    floors, fulls = [], []
    for _ in range(rounds):
        floors.append(run([str(BIN / "python"), "-c", FLOOR, str(folder)])[:2])
        fulls.append(run(analyze(folder, workdir / "out_one", jobs=1))[:2])
    floor, floor_peak = statistics.median(t for t, _ in floors), max(m for _, m in floors)
    full, full_peak = statistics.median(t for t, _ in fulls), max(m for _, m in fulls)
    ratios = [b[0] / a[0] for a, b in zip(floors, fulls)]  # paired: the same round's two runs
    parallel, parallel_peak, _ = run(analyze(folder, workdir / "out_all", jobs=cores))
    what = f"{count} generated articles"
    median = f"median of {rounds}, " if rounds > 1 else ""
    rows = [
        ("floor: nlp.pipe + TextBlob sentiment, 1 process", what,
         f"{median}{floor:.1f} s, {count / floor:.1f} articles/s, {mb(floor_peak)}"),
        ("full analysis, --jobs 1", what, f"{median}{full:.1f} s, {count / full:.1f} articles/s, {mb(full_peak)}"),
        ("ratio full / floor, 1 process each (target <= 1.3)", what,
         f"{statistics.median(ratios):.2f}" + (f" (median; rounds: {', '.join(f'{r:.2f}' for r in ratios)})"
                                                 if rounds > 1 else "")),
        (f"full analysis, --jobs {cores} (all cores)", what, f"{parallel:.1f} s, {count / parallel:.1f} articles/s, {mb(parallel_peak)}"),
    ]
    try:
        import dask  # noqa: F401  (the optional extra)
    except ImportError:
        return rows
    command = [str(BIN / "python"), "-m", "diplotext", "analyze", str(folder), "--out", str(workdir / "out_dask"),
               "--published", "2022-09-14", "--dask", "local"]
    dask_time, dask_peak, _ = run(command)
    rows.append(("full analysis, --dask local (2 workers, batches of 32)", what,
                 f"{dask_time:.1f} s, {count / dask_time:.1f} articles/s, {mb(dask_peak)}"))
    return rows


def bench_many(workdir: Path, count: int) -> list[tuple[str, str, str]]:
    folder = generate_corpus(workdir / f"many_{count}", count)
    seconds, peak, _ = run(analyze(folder, workdir / "out_many"))
    return [(f"{count:,} articles, all cores (targets <= 15 min, <= 1 GB)", "process tree",
             f"{seconds / 60:.1f} min, {count / seconds:.1f} articles/s, {mb(peak)}")]


def bench_sizes(workdir: Path, sizes: list[int], floor_sizes: set[int]) -> list[tuple[str, str, str]]:
    paragraphs = corpus_paragraphs()
    cores = os.cpu_count() or 1
    rows = []
    for size in sizes:
        chars = size * 1_000_000
        text = "\n\n".join(paragraphs[i % len(paragraphs)] for i in range(chars // 200 + 1))[:chars]
        path = workdir / f"article_{size}mb.txt"
        path.write_text(text, encoding="utf-8")
        what = f"one {size} MB article, {cores} processes"
        if size in floor_sizes:
            seconds, peak, _ = run([str(BIN / "python"), "-c", FLOOR_LONG, str(path), str(cores)])
            rows.append((f"floor: nlp.pipe of its sections (n_process={cores}) + TextBlob", what,
                         f"{seconds:.1f} s, {seconds / size:.1f} s per MB, {mb(peak)}"))
        seconds, peak, _ = run(analyze(path, workdir / f"out_{size}mb"))
        rows.append(("full analysis (10 MB targets: <= 2 min, <= 1.5 GB)", what,
                     f"{seconds:.1f} s, {seconds / size:.1f} s per MB, {mb(peak)}"))
        path.unlink()
    return rows


def bench_book() -> list[tuple[str, str, str]]:
    shutil.rmtree(REPO / "_build", ignore_errors=True)
    cold, _, cold_log = run(["make", "book"])
    warm, _, warm_log = run(["make", "book"])
    chapter = REPO / "notebooks" / "01_source.ipynb"
    original = chapter.read_bytes()
    try:  # a changed code cell: that chapter, and only it, must run again
        notebook = json.loads(original)
        cell = next(c for c in notebook["cells"] if c["cell_type"] == "code")
        cell["source"] = ["x_changed = 1\n", *cell["source"]] if isinstance(cell["source"], list) else "x_changed = 1\n" + cell["source"]
        chapter.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        changed, _, changed_log = run(["make", "book"])
    finally:
        chapter.write_bytes(original)
    run(["make", "book"])  # back to the committed chapter
    executed = lambda log: log.count("Executing notebook")  # noqa: E731
    return [
        ("make book, cold (after install)", "whole book", f"{cold:.1f} s, {executed(cold_log)} notebooks executed"),
        ("make book, no change (target <= 3 s)", "whole book", f"{warm:.1f} s, {executed(warm_log)} notebooks executed"),
        ("make book, one chapter changed", "whole book", f"{changed:.1f} s, {executed(changed_log)} notebooks executed"),
    ]


def table(rows: list[tuple[str, str, str]]) -> str:
    machine = f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    lines = [f"Measured by `make bench` on {dt.date.today().isoformat()} ({machine}). Times are whole "
             "processes; memory is the peak of the whole process tree, shared pages counted once (PSS).", "",
             "| Measure | Compared on | Result |", "| --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    head, sep, rest = readme.partition(BEGIN)
    _, sep2, tail = rest.partition(END)
    if not (sep and sep2):
        raise SystemExit(f"README.md lacks the markers {BEGIN} and {END}")
    README.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=int, default=200, help="articles for the floor comparison")
    parser.add_argument("--rounds", type=int, default=3, help="runs of the floor and the full analysis, in turn")
    parser.add_argument("--articles", type=int, default=10_000, help="articles for the large folder (0 skips it)")
    parser.add_argument("--sizes", default="1,2,5,10", help="sizes in MB of single long articles ('' skips them)")
    parser.add_argument("--floor-sizes", default="1,10", help="the sizes also measured against the floor")
    parser.add_argument("--skip-book", action="store_true")
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="diplotext-bench-") as tmp:
        rows += bench_floor(Path(tmp), args.folder, args.rounds)
        if args.articles:
            rows += bench_many(Path(tmp), args.articles)
        if args.sizes:
            rows += bench_sizes(Path(tmp), [int(s) for s in args.sizes.split(",")],
                                {int(s) for s in args.floor_sizes.split(",") if s})
    if not args.skip_book:
        rows += bench_book()
    text = table(rows)
    print(text)
    if args.readme:
        write_readme(text)


if __name__ == "__main__":
    main()
