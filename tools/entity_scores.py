"""Record entity scores on an annotated set as counts, without any text, for the book.

    python tools/entity_scores.py SCORES.json METHOD [--out data/evaluation/entities_dev_scores.csv]

SCORES.json is what the scorer writes with ``--json`` (``score_articles.py SET --json OUT``).
The rows of METHOD in the CSV are replaced; rows of other methods stay.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

FIELDS = ["article", "method", "gold", "found", "merged", "linked", "mentions", "right"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scores", type=Path)
    parser.add_argument("method")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parents[1] / "data" / "evaluation" / "entities_dev_scores.csv")
    args = parser.parse_args()
    try:
        articles = json.loads(args.scores.read_text(encoding="utf-8"))["articles"]
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {args.scores}: not a scorer JSON file ({exc})", file=sys.stderr)
        return 2
    rows = []
    if args.out.is_file():
        with open(args.out, newline="", encoding="utf-8") as f:
            rows = [row for row in csv.DictReader(f) if row["method"] != args.method]
    for name, result in sorted(articles.items()):
        counts = result["entities"]
        rows.append({"article": name, "method": args.method, **{k: counts[k] for k in FIELDS[2:]}})
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
