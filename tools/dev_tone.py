"""Run diplotext on a hand-annotated development set and write its per-sentence tone labels.

    .venv/bin/python tools/dev_tone.py ../shared/dev [--out data/evaluation/dev_tone.csv]

The set is a folder with ``articles/NAME.txt`` and ``gold/NAME.gold.yml`` (``published``, the
first five words of each sentence as ``sentences``, and ``tone`` as ``[number, label]``
pairs). Each article is analysed with its published date; each hand-labelled sentence is
matched to the system's sentence with the same first five words (case, accents, possessive
's and punctuation ignored), as the set's own scorer matches them. The CSV holds labels only,
never text: ``article, sentence, gold, tone, textblob_label, vader_label``; a sentence the
segmenter splits differently has empty system labels and counts as a disagreement.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from pathlib import Path

import yaml

import diplotext
from diplotext.errors import InputError
from diplotext.evaluation import DEV_COLUMNS, DEV_RESULTS_PATH


def first_words(text: str, count: int = 5) -> str:
    """The first ``count`` words of ``text``, folded for matching."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"['\u2019]s\b", "", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split()[:count])


def article_rows(name: str, article: Path, gold: dict) -> list[dict]:
    """One row per hand-labelled sentence of one article."""
    tables = diplotext.analyze(article, published=str(gold["published"]))
    sentiment = tables["sentiment"].set_index("sentence_id")
    by_start = {}
    for sentence_id, text in zip(tables["sentences"].sentence_id, tables["sentences"].text):
        by_start.setdefault(first_words(text), sentence_id)  # the first sentence with those words
    starts = [first_words(s) for s in gold.get("sentences") or []]
    rows = []
    for number, label in gold.get("tone") or []:
        sentence_id = by_start.get(starts[int(number) - 1]) if int(number) <= len(starts) else None
        row = {"article": name, "sentence": int(number), "gold": label}
        for column in DEV_COLUMNS[3:]:
            row[column] = sentiment.at[sentence_id, column] if sentence_id is not None else ""
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", type=Path, help="folder with articles/ and gold/")
    parser.add_argument("--out", type=Path, default=DEV_RESULTS_PATH)
    args = parser.parse_args(argv)
    golds = sorted((args.set / "gold").glob("*.gold.yml"))
    if not golds:
        print(f"error: {args.set}: no gold/*.gold.yml files", file=sys.stderr)
        return 2
    rows = []
    try:
        for path in golds:
            name = path.name[: -len(".gold.yml")]
            rows += article_rows(name, args.set / "articles" / f"{name}.txt", yaml.safe_load(path.read_text(encoding="utf-8")))
    except (InputError, OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        print(f"error: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=DEV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    agree = sum(row["tone"] == row["gold"] for row in rows)
    print(f"{args.out}: {len(rows)} sentences of {len(golds)} articles; tone agrees on {agree}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
