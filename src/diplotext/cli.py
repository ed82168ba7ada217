"""Command line: ``python -m diplotext analyze PATH [--published DATE] [--out DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .corpus import article_paths, load_article, parse_date
from .errors import InputError
from .export import TableWriter, write_tables


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, exit 2: no usage block
        self.exit(2, f"error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m diplotext", description="Analyse diplomatic news articles.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("analyze", help="analyse an article file or a folder of articles")
    run.add_argument("path", type=Path, help="an article .txt file, or a folder of them")
    run.add_argument("--published", help="the document date, YYYY-MM-DD (overrides NAME.yml)")
    run.add_argument("--out", type=Path, default=Path("diplotext_output"), help="folder for the CSV tables")
    run.add_argument("--jobs", type=int, default=None, help="processes for a folder (default: every core)")
    run.add_argument("--dask", metavar="SCHEDULER", default=None,
                     help="run a folder on a Dask scheduler address, or 'local' (needs the dask extra)")
    return parser


def analyze_one(path: Path, published: str | None, out: Path) -> int:
    from .pipeline import analyze

    write_tables(analyze(load_article(path, published=published)), out)
    print(f"wrote {path.name}'s tables to {out}")
    return 0


def analyze_folder(paths: list[Path], published: str | None, out: Path, jobs: int | None, dask: str | None) -> int:
    """Analyse every article, report each bad one on one line, write the rest; exit 2 if any failed."""
    from tqdm import tqdm

    if dask:
        from .dask_backend import analyze_many_dask as mapper

        results = mapper(paths, published=published, scheduler=dask)
    else:
        from .pipeline import analyze_many

        results = analyze_many(paths, published=published, jobs=jobs)
    failed = 0
    progress = tqdm(total=len(paths), unit="article", disable=not sys.stderr.isatty(), file=sys.stderr)
    with progress, TableWriter(out) as writer:
        for path, rendered, error in results:
            if error:
                failed += 1
                progress.write(f"error: {error}", file=sys.stderr)
            else:
                writer.write(rendered)
            progress.update()
    print(f"analysed {len(paths) - failed} of {len(paths)} articles; tables in {out}")
    return 2 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.published is not None:
            parse_date(args.published)
        if args.jobs is not None and args.jobs < 1:
            raise InputError(f"--jobs must be at least 1, not {args.jobs}")
        if args.path.is_dir():
            return analyze_folder(article_paths(args.path), args.published, args.out, args.jobs, args.dask)
        return analyze_one(article_paths(args.path)[0], args.published, args.out)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
