"""Regenerate src/diplotext/data/cameo/cameo_verbs.tsv from the PETRARCH2 CAMEO verb dictionary.

    python tools/build_cameo.py PATH/TO/CAMEO.2.0.txt

Each verb block of the dictionary (``---  MEET_PEOPLE   [040]  ---``) lists verbs and phrases
under one default CAMEO code; this keeps, for each verb or phrase in lower case, the first
default code it is listed under (patterns marked ``-`` refine codes by context and are left out).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

BLOCK = re.compile(r"^---\s+(\S+)\s+\[(?P<code>[^\]]*)\]\s+---")
OUT = Path(__file__).resolve().parents[1] / "src" / "diplotext" / "data" / "cameo" / "cameo_verbs.tsv"


def build(source: Path) -> dict[str, str]:
    verbs: dict[str, str] = {}
    code = None
    for line in source.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.split("#", 1)[0].rstrip()
        if match := BLOCK.match(line):
            found = match["code"].split(":")[0]
            code = found if re.fullmatch(r"\d{3,4}", found) else None
            continue
        if code is None or not line.strip() or line.startswith(("-", "&", "~")):
            continue
        word = line.strip().split("{")[0].strip().lstrip("+")
        if not re.fullmatch(r"[A-Z_]+", word):
            continue
        phrase = word.strip("_").replace("_", " ").lower()
        verbs.setdefault(phrase, code)
    return verbs


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: python tools/build_cameo.py CAMEO.2.0.txt", file=sys.stderr)
        return 2
    verbs = build(Path(sys.argv[1]))
    OUT.write_text("verb\tcameo\n" + "".join(f"{v}\t{c}\n" for v, c in sorted(verbs.items())), encoding="utf-8")
    print(f"wrote {len(verbs)} verbs to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
