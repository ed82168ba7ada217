"""Write data/sources/ and book/sources.bib from the collected primary sources.

    python tools/make_sources.py COLLECTED_DIR

COLLECTED_DIR holds each source as ``ID.txt`` with ``ID.yml`` (title, issuer, url, published,
licence, completeness). Texts under CC BY 4.0 are copied whole into data/sources/texts/. Of
every other text only the sentences the book quotes are written into data/sources/sources.yml:
the sentence each article sentence aligns to, the sentences that touch one of the chapter's
topics, and the sentences named in data/sources/changes.yml. The outlets' own prose around
quotations (bracketed collector notes in ``_QUOTES`` files) is never stored.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from diplotext import load_article, segment  # noqa: E402
from diplotext.alignment import align, text_sentences  # noqa: E402
from diplotext.sourcetexts import SOURCES_DIR, candidates, sources_for, topics_of  # noqa: E402

ARTICLE = ROOT / "data" / "articles" / "2022-09_xi-putin-sco-samarkand.txt"
BIB = ROOT / "book" / "sources.bib"
OUTLETS = {"xinhua": "Xinhua", "kremlin": "Kremlin", "mfa": "PRC Ministry of Foreign Affairs",
           "shine-cn": "Shanghai Daily", "tass": "TASS", "ap": "Associated Press", "reuters": "Reuters",
           "bloomberg": "Bloomberg"}
# Whose voice each outlet carries, for the chapter's comparison of sides.
SIDES = {"Xinhua": "Chinese official", "PRC Ministry of Foreign Affairs": "Chinese official",
         "Shanghai Daily": "Chinese official", "Kremlin": "Russian official", "TASS": "Russian official",
         "Associated Press": "Western agency", "Reuters": "Western agency", "Bloomberg": "Western agency"}
# Works on method the chapter cites besides the sources.
METHOD_ENTRIES = """@article{salton1988termweighting,
  author = {Salton, Gerard and Buckley, Christopher},
  title = {Term-weighting approaches in automatic text retrieval},
  journal = {Information Processing \\& Management},
  volume = {24},
  number = {5},
  pages = {513--523},
  year = {1988},
  doi = {10.1016/0306-4573(88)90021-0}
}
"""
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


def completeness(source_id: str, note: str) -> str:
    if source_id.endswith("_QUOTES"):
        return "direct quotations only"
    if source_id.endswith("_EXCERPT") or note.startswith("EXCERPT"):
        return "excerpt"
    return "complete"


def open_licence(licence: str) -> bool:
    """CC BY texts whose words are the Kremlin's may be stored whole (with attribution)."""
    return licence.startswith(("CC BY", "Original: CC BY"))


def first_url(value: str) -> str:
    return re.search(r"https?://\S+", value).group(0).rstrip(";,)")


def read_collected(folder: Path) -> list[dict]:
    entries = []
    for meta_path in sorted(folder.glob("*.yml")):
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
        source_id = meta_path.stem
        raw = meta_path.with_suffix(".txt").read_text(encoding="utf-8")
        # Collector notes are whole lines in brackets: blank them, keep every offset.
        raw_quotes = re.sub(r"(?m)^\[.*\]$", lambda m: " " * len(m.group(0)), raw)
        entries.append({
            "id": source_id,
            "outlet": OUTLETS[source_id.split("_", 1)[0]],
            "side": SIDES[OUTLETS[source_id.split("_", 1)[0]]],
            "title": str(meta["title"]).strip(),
            "issuer": str(meta["issuer"]).strip(),
            "url": first_url(str(meta["url"])),
            "published": str(meta["published"])[:10],
            "licence": str(meta["licence"]).strip(),
            "completeness": completeness(source_id, str(meta.get("completeness", ""))),
            "stored": "whole" if open_licence(str(meta["licence"])) else "quoted",
            "raw": raw,
            "sentences": list(enumerate(text_sentences(raw_quotes), start=1)),
        })
    return entries


def quoted_numbers(entries: list[dict]) -> dict[str, set[int]]:
    """Per source, the numbers of the sentences the chapter quotes."""
    article = load_article(ARTICLE)
    index = {"article": article.name, "sources": [{k: v for k, v in e.items() if k not in ("raw",)} for e in entries]}
    for entry in index["sources"]:
        entry["sentence_count"] = len(entry["sentences"])
    table = sources_for(article.name, index)
    texts = {e["id"]: e["sentences"] for e in entries}
    alignment = align(segment(article.raw), candidates(table, texts, article.published))
    chosen = {e["id"]: set() for e in entries}
    for row in alignment[alignment.aligned].itertuples():
        chosen[row.source_id].add(row.source_sentence)
    changes = yaml.safe_load((SOURCES_DIR / "changes.yml").read_text(encoding="utf-8"))["changes"]
    for entry in entries:
        chosen[entry["id"]] |= {n for n, text in entry["sentences"] if topics_of(text)}
    # A changed phrase needs one stored sentence that holds it: one already chosen, else the first.
    for change in changes:
        entry = next(e for e in entries if e["id"] == change["source_id"])
        holding = [n for n, text in entry["sentences"] if change["source"].lower() in text.lower()]
        if holding and not chosen[entry["id"]] & set(holding):
            chosen[entry["id"]].add(holding[0])
    return chosen


def bibtex(entry: dict) -> str:
    year, month, day = entry["published"].split("-")
    title = entry["title"]
    title = title[1:-1] if title.startswith("(") and title.endswith(")") else title
    fields = {
        "author": "{" + entry["outlet"] + "}",
        "title": "{" + title + "}",
        "howpublished": entry["issuer"].split(";")[0].split(" (")[0],
        "year": year,
        "month": MONTHS[int(month) - 1],
        "day": str(int(day)),
        "url": entry["url"],
        "note": f"{entry['completeness'].capitalize()}; licence: {entry['licence']}",
    }
    body = ",\n".join(f"  {k} = {v}" if k == "month" else f"  {k} = {{{v}}}" for k, v in fields.items())
    return f"@misc{{{entry['id']},\n{body}\n}}\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("error: usage: python tools/make_sources.py COLLECTED_DIR (a folder of ID.txt + ID.yml)", file=sys.stderr)
        return 2
    try:
        entries = read_collected(Path(argv[0]))
    except (OSError, KeyError, AttributeError, yaml.YAMLError) as exc:
        # A missing .txt, a metadata field, or an address: say which, write nothing.
        print(f"error: {argv[0]}: cannot read the collected sources ({exc.__class__.__name__}: {exc})", file=sys.stderr)
        return 2
    chosen = quoted_numbers(entries)
    texts_dir = SOURCES_DIR / "texts"
    shutil.rmtree(texts_dir, ignore_errors=True)
    texts_dir.mkdir(parents=True)
    out = []
    for entry in entries:
        record = {k: entry[k] for k in ("id", "outlet", "side", "title", "url", "published", "licence", "completeness",
                                        "stored")}
        record["sentence_count"] = len(entry["sentences"])
        if entry["stored"] == "whole":
            record["file"] = f"texts/{entry['id']}.txt"
            (SOURCES_DIR / record["file"]).write_text(entry["raw"], encoding="utf-8")
        else:
            record["sentences"] = [{"n": n, "text": text} for n, text in entry["sentences"] if n in chosen[entry["id"]]]
        out.append(record)
    header = ("# Primary sources of the seed article, written by tools/make_sources.py (see README.md).\n"
              "# stored: whole = the text is in `file`; quoted = only the sentences the book quotes, each\n"
              "# with its number `n` among the original's `sentence_count` sentences.\n")
    body = yaml.safe_dump({"article": ARTICLE.stem, "sources": out}, sort_keys=False, allow_unicode=True, width=100)
    (SOURCES_DIR / "sources.yml").write_text(header + body, encoding="utf-8")
    BIB.write_text("% The seed article's primary sources and the method they are aligned with;\n"
                   "% written by tools/make_sources.py (edit the script, not this file).\n\n"
                   + "\n".join([METHOD_ENTRIES, *(bibtex(e) for e in entries)]), encoding="utf-8")
    print(f"{len(out)} sources, {sum(len(c) for c in chosen.values())} quoted sentences")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
