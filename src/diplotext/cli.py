"""Command line: ``python -m diplotext analyze PATH [--published DATE] [--out DIR]``."""

from __future__ import annotations

import argparse
import sys

from .corpus import article_paths, load_article, parse_date
from .errors import InputError
from .export import combine, write_tables
from .pipeline import analyze


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, exit 2: no usage block
        self.exit(2, f"error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m diplotext", description="Analyse diplomatic news articles.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("analyze", help="analyse an article file or a folder of articles")
    run.add_argument("path", help="an article .txt file, or a folder of them")
    run.add_argument("--published", help="the document date, YYYY-MM-DD (overrides NAME.yml)")
    run.add_argument("--out", default="diplotext_output", help="folder for the CSV tables")
    return parser


def run_analyze(args) -> int:
    if args.published is not None:
        parse_date(args.published)
    paths = article_paths(args.path)
    if len(paths) == 1 and paths[0] == args.path_as_given:
        tables = analyze(load_article(paths[0], published=args.published))
    else:
        tables = combine({p.stem: analyze(load_article(p, published=args.published)) for p in paths})
    written = write_tables(tables, args.out)
    print(f"wrote {len(written)} tables to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        from pathlib import Path

        args.path_as_given = Path(args.path)
        return run_analyze(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return 2
