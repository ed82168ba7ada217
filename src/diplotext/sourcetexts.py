"""The stored primary sources of an article: their index, their sentences, their topics.

``data/sources/sources.yml`` lists every source with outlet, title, URL, date and licence.
Openly licensed texts are stored whole (``file``); of the others only the sentences the book
quotes are stored (``sentences``, each with its number in the original), with the original's
sentence count. ``tools/make_sources.py`` writes the index from the collected originals.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from ._lazy import pd
from .alignment import WINDOW_DAYS, text_sentences
from .corpus import REPO_ROOT
from .errors import InputError

SOURCES_DIR = REPO_ROOT / "data" / "sources"
INDEX = SOURCES_DIR / "sources.yml"

# The topics the chapter follows through every text. A sentence has a topic when one of its
# patterns occurs in it (case-insensitive). "invaded" counts for Ukraine: it is how the war is
# named in the article.
TOPICS = {
    "Ukraine": r"\bukrain\w*|special military operation|\binva(?:de|ded|des|sion)\b",
    "Taiwan and core interests": r"\btaiwan\w*|\bcore interests?\b|\bone[- ]china\b",
    "New era": r"\bnew era\b",
    "Multipolar order": r"\bmultipolar\w*|\bunipolar\w*|\b(?:international|world) order\b",
    "Trade and sanctions": r"\btrade\b|\bturnover\b|\bsanctions?\b|\beconomic cooperation\b",
    "Pandemic": r"\bpandemic\b|\bcovid\b|\bcoronavirus\b|\bcrown disease\b",
}
_TOPIC_PATTERNS = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in TOPICS.items()}

SOURCE_COLUMNS = ["source_id", "outlet", "side", "title", "url", "published", "licence", "completeness", "stored",
                  "sentence_count"]
CANDIDATE_COLUMNS = ["source_id", "source_sentence", "text"]


def topics_of(text: str) -> list[str]:
    """The topics a sentence touches, in the order of ``TOPICS``."""
    return [name for name, pattern in _TOPIC_PATTERNS.items() if pattern.search(text)]


def load_index(path: Path | str = INDEX) -> dict:
    """The index of stored sources: ``{"article": name, "sources": [entries]}``."""
    try:
        index = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(index, dict) or not isinstance(index.get("sources"), list):
        raise InputError(f"{path}: expected a mapping with a 'sources' list")
    return index


def sources_for(article_name: str, index: dict | None = None) -> pd.DataFrame:
    """One row per source stored for the article (none for an article without sources)."""
    index = load_index() if index is None else index
    entries = index["sources"] if index.get("article") == article_name else []
    rows = [{**{c: entry.get(c) for c in SOURCE_COLUMNS}, "source_id": entry["id"],
             "published": str(entry["published"])} for entry in entries]
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS)


def source_texts(article_name: str, index: dict | None = None, root: Path = SOURCES_DIR) -> dict[str, list[tuple[int, str]]]:
    """Each stored source's sentences as ``(number in the original, text)``."""
    index = load_index() if index is None else index
    if index.get("article") != article_name:
        return {}
    texts = {}
    for entry in index["sources"]:
        if entry.get("file"):
            raw = (root / entry["file"]).read_text(encoding="utf-8")
            texts[entry["id"]] = list(enumerate(text_sentences(raw), start=1))
        else:
            texts[entry["id"]] = [(int(s["n"]), s["text"]) for s in entry.get("sentences", [])]
    return texts


def candidates(sources: pd.DataFrame, texts: dict, published: dt.date | None,
               window_days: int = WINDOW_DAYS) -> pd.DataFrame:
    """The sentences that may be an article's source: those of sources published in the
    ``window_days`` up to the article's date (all sources if the date is unknown)."""
    rows = []
    for entry in sources.itertuples(index=False):
        if published is not None:
            age = (published - dt.date.fromisoformat(entry.published[:10])).days
            if not 0 <= age <= window_days:
                continue
        rows.extend((entry.source_id, n, text) for n, text in texts.get(entry.source_id, []))
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)


def write_folder(sources: pd.DataFrame, texts: dict, folder: Path | str) -> Path:
    """Write each stored source as ``ID.txt`` + ``ID.yml`` (one sentence a line) so the
    pipeline's folder mode can analyse them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for entry in sources.itertuples(index=False):
        sentences = [text for _, text in texts.get(entry.source_id, [])]
        if not sentences:
            continue
        (folder / f"{entry.source_id}.txt").write_text("\n\n".join(sentences), encoding="utf-8")
        meta = {"title": entry.title, "source": entry.outlet, "language": "en", "published": entry.published[:10],
                "published_basis": "stated", "url": entry.url,
                "notes": f"Stored {entry.stored}: {entry.completeness}"}
        (folder / f"{entry.source_id}.yml").write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    return folder
