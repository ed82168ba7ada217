"""CAMEO codes: the verb dictionary, Goldstein values and quad classes (``src/diplotext/data/cameo/``)."""

from __future__ import annotations

import csv
import functools

from .resources import data_path

CAMEO_DIR = data_path("cameo")
QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


@functools.lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, float]]:
    with open(CAMEO_DIR / "cameo_verbs.tsv", encoding="utf-8", newline="") as f:
        verbs = {row["verb"]: row["cameo"] for row in csv.DictReader(f, delimiter="\t")}
    with open(CAMEO_DIR / "goldstein.tsv", encoding="utf-8", newline="") as f:
        scale = {row["cameo"]: float(row["goldstein"]) for row in csv.DictReader(f, delimiter="\t")}
    return verbs, scale


def verb_code(lemma: str) -> str:
    """The CAMEO code of a verb or phrase ("meet with" -> "040"), or ""."""
    return _tables()[0].get(lemma.lower(), "")


def goldstein(code: str) -> float | None:
    """The Goldstein (1992) value of a CAMEO code, read at three digits."""
    return _tables()[1].get(str(code)[:3]) if code else None


def quad_class(code: str) -> str:
    """Verbal or material cooperation or conflict, from the code's two-digit root."""
    if not code or not str(code)[:2].isdigit():
        return ""
    root = int(str(code)[:2])
    return QUAD_CLASSES[1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4]
