"""Command line: ``python -m diplotext analyze PATH [--published DATE] [--out DIR]``."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from pathlib import Path

from .corpus import article_paths, load_article, parse_date
from .errors import InputError
from .export import TableWriter, lock_out, write_tables


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, exit 2: no usage block
        self.exit(2, f"error: {message}\n")


class Stopped(BaseException):
    """SIGINT (Ctrl-C) or SIGTERM arrived: the run ends, writes nothing, exits 128 + signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.progress = ""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m diplotext", description="Analyse diplomatic news articles.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("analyze", help="analyse an article file or a folder of articles")
    run.add_argument("path", type=Path, help="an article .txt file, or a folder of them")
    run.add_argument("--published", help="the document date, YYYY-MM-DD (overrides NAME.yml)")
    run.add_argument("--out", default="diplotext_output", help="folder for the CSV tables")
    run.add_argument("--jobs", type=int, default=None,
                     help="processes (default and most: one per core); a folder uses at most one per article, a single long article parses its sections in them")
    run.add_argument("--dask", metavar="SCHEDULER", default=None,
                     help="run a folder on a Dask scheduler address, or 'local' (needs the dask extra)")
    return parser


def analyze_one(path: Path, published: str | None, out: Path, jobs: int | None = None) -> int:
    from .pipeline import analyze, describe_failure

    with lock_out(out):
        article = load_article(path, published=published)
        try:
            tables = analyze(article, jobs=jobs)
        except Exception as exc:  # a stage failed on this article: say so on one line
            raise InputError(describe_failure(path, exc)) from None
        write_tables(tables, out)
    print(f"wrote {path.name}'s tables to {out}")
    return 0


def analyze_folder(paths: list[Path], published: str | None, out: Path, jobs: int | None, dask: str | None) -> int:
    """Analyse every article, report each bad one on one line, write the rest; exit 2 if any failed."""
    from tqdm import tqdm

    from .pipeline import available_cores

    limit = min(len(paths), available_cores())
    if jobs is not None and jobs > limit and not dask:
        print(f"note: --jobs {jobs} lowered to {limit} ({len(paths)} articles, {available_cores()} cores)",
              file=sys.stderr)
    jobs = min(jobs or limit, limit)
    failed = done = 0
    with lock_out(out):
        if dask:
            from .dask_backend import analyze_many_dask as mapper

            results = mapper(paths, published=published, scheduler=dask)
        else:
            from .pipeline import analyze_many

            results = analyze_many(paths, published=published, jobs=jobs)
        progress = tqdm(total=len(paths), unit="article", disable=not sys.stderr.isatty(), file=sys.stderr)
        try:
            with progress, TableWriter(out) as writer:
                for _path, rendered, error in results:
                    if error:
                        failed += 1
                        progress.write(f"error: {error}", file=sys.stderr)
                    else:
                        writer.write(rendered)
                    done += 1
                    progress.update()
        except Stopped as stop:
            stop.progress = f" after {done} of {len(paths)} articles"
            raise
        finally:
            results.close()  # stops the worker processes at once if the loop ended early
    print(f"analysed {len(paths) - failed} of {len(paths)} articles; tables in {out}")
    return 2 if failed else 0


@contextlib.contextmanager
def _stop_on_signals():
    """Turn SIGINT and SIGTERM into ``Stopped`` while the block runs (a second signal is ignored
    while the run cleans up)."""
    def stop(signum, frame):
        for name in (signal.SIGINT, signal.SIGTERM):
            signal.signal(name, signal.SIG_IGN)
        raise Stopped(signum)

    try:
        previous = {name: signal.signal(name, stop) for name in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: signals cannot be caught here
        yield
        return
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(name, handler)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with _stop_on_signals():
            if args.published is not None:
                parse_date(args.published)
            if args.jobs is not None and args.jobs < 1:
                raise InputError(f"--jobs must be at least 1, not {args.jobs}")
            if not args.out.strip():
                raise InputError("--out must name a folder (it is empty)")
            out = Path(args.out)
            if args.path.is_dir():
                return analyze_folder(article_paths(args.path), args.published, out, args.jobs, args.dask)
            return analyze_one(article_paths(args.path)[0], args.published, out, args.jobs)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except Stopped as stop:
        name = "interrupted" if stop.signum == signal.SIGINT else "terminated"
        print(f"error: {name}{stop.progress}; no tables were written", file=sys.stderr)
        return 128 + stop.signum
