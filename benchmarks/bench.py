"""Benchmarks for `make bench`: book build times, analysis against plain TextBlob, 10,000 articles.

Every number is measured in this run on this machine, with whole processes (imports included).
Run: .venv/bin/python benchmarks/bench.py [--articles 10000] [--folder 500] [--skip-book]
"""

from __future__ import annotations

import argparse
import os
import random
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


def generate_corpus(folder: Path, count: int, seed: int = 2022) -> None:
    """Write ``count`` articles made by shuffling and recombining the corpus's paragraphs."""
    paragraphs = [p for path in sorted(SEED_DIR.glob("*.txt")) for p in path.read_text(encoding="utf-8").split("\n\n")]
    metadata = sorted(SEED_DIR.glob("*.yml"))[0].read_text(encoding="utf-8")
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        chosen = rng.sample(paragraphs, k=rng.randint(3, len(paragraphs)))
        (folder / f"article_{i:05d}.txt").write_text("\n\n".join(chosen), encoding="utf-8")
        (folder / f"article_{i:05d}.yml").write_text(metadata, encoding="utf-8")


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration, PermissionError):
            continue
    return total


def run(command: list[str], cwd: Path = REPO, env: dict | None = None) -> tuple[float, int, str]:
    """Run a command; return (wall seconds, peak resident memory of its process tree in KiB, its output)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0

    def sample():
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, tree_rss_kib(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(command)}\n{output[-2000:]}")
    return elapsed, peak, output


PLAIN_TEXTBLOB = """
import sys
from pathlib import Path
from textblob import TextBlob
for path in sorted(Path(sys.argv[1]).glob("*.txt")):
    TextBlob(path.read_text(encoding="utf-8")).sentiment
"""


def bench_book() -> list[tuple[str, str]]:
    shutil.rmtree(REPO / "_build", ignore_errors=True)
    cold, _, cold_log = run(["make", "book"])
    warm, _, warm_log = run(["make", "book"])
    return [("make book, cold (after install)", f"{cold:.1f} s"),
            ("make book, cold: notebooks executed", str(cold_log.count("Executing notebook"))),
            ("make book, no change", f"{warm:.1f} s"),
            ("make book, no change: notebooks executed (target 0)", str(warm_log.count("Executing notebook")))]


def bench_folder(workdir: Path, count: int) -> list[tuple[str, str]]:
    folder = workdir / f"folder_{count}"
    generate_corpus(folder, count)
    plain, _, _ = run([str(BIN / "python"), "-c", PLAIN_TEXTBLOB, str(folder)])
    full, _, _ = run([str(BIN / "python"), "-m", "diplotext", "analyze", str(folder), "--out", str(workdir / "out_folder")])
    return [
        (f"plain TextBlob(text).sentiment, {count} articles", f"{plain:.2f} s"),
        (f"full analysis (all tables), {count} articles", f"{full:.2f} s"),
        ("ratio full / plain (target <= 3)", f"{full / plain:.2f}"),
    ]


def bench_large(workdir: Path, count: int) -> list[tuple[str, str]]:
    folder = workdir / f"folder_{count}"
    generate_corpus(folder, count)
    seconds, peak, _ = run([str(BIN / "python"), "-m", "diplotext", "analyze", str(folder), "--out", str(workdir / "out_large")])
    rows = sum(1 for _ in open(workdir / "out_large" / "sentences.csv", encoding="utf-8")) - 1
    return [
        (f"{count} articles, wall time (target < 60 s)", f"{seconds:.1f} s"),
        (f"{count} articles, throughput", f"{count / seconds:.0f} articles/s"),
        (f"{count} articles, peak memory of the process tree (target < 500 MB)", f"{peak / 1024:.0f} MB"),
        (f"{count} articles, sentence rows written", f"{rows}"),
    ]


def bench_large_article(workdir: Path) -> list[tuple[str, str]]:
    """One article of 1 MB made of the corpus's paragraphs (target: under 30 s)."""
    paragraphs = [p for path in sorted(SEED_DIR.glob("*.txt")) for p in path.read_text(encoding="utf-8").split("\n\n")]
    text = "\n\n".join(paragraphs[i % len(paragraphs)] for i in range(1_000_000 // 200))[:1_000_000]
    path = workdir / "one_megabyte.txt"
    path.write_text(text, encoding="utf-8")
    seconds, peak, _ = run([str(BIN / "python"), "-m", "diplotext", "analyze", str(path), "--published", "2022-09-14",
                         "--out", str(workdir / "out_1mb")])
    return [("one 1 MB article, wall time (target < 30 s)", f"{seconds:.1f} s"),
            ("one 1 MB article, peak memory", f"{peak / 1024:.0f} MB")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--folder", type=int, default=500)
    parser.add_argument("--skip-book", action="store_true")
    args = parser.parse_args()
    results = [("machine", f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")]
    if not args.skip_book:
        results += bench_book()
    with tempfile.TemporaryDirectory(prefix="diplotext-bench-") as tmp:
        results += bench_folder(Path(tmp), args.folder)
        results += bench_large(Path(tmp), args.articles)
        results += bench_large_article(Path(tmp))
    width = max(len(name) for name, _ in results)
    for name, value in results:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
