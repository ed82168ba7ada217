"""Entities stage: find who and what an article names, and link each mention.

Three layers, each on top of the one before:

1. **model**: spaCy's named-entity spans (``doc.ents``) give candidates and their types;
2. **dictionary**: the Phoenix/PETRARCH2 actor dictionary (``diplotext.actors``) links
   countries, their demonyms and capitals, organisations and people, with CAMEO codes;
3. **curated**: the project's knowledge base (``diplotext.knowledge_base``) wins over both:
   its entries, translation variants and coreference rules (with their evidence).

The longest name wins over any name inside it; acronyms keep their case ("US", not "us").
Titles are taken off names and kept as the mention's ``role``; a role phrase alone ("the
Chinese president") is resolved from the article, else from dated roles at the publication
date; a surname after a full name is the same entity. ``how`` says how each mention was linked:
``exact``, ``alias``, ``variant``, ``coreference`` or ``unlinked``.
"""

from __future__ import annotations

import datetime as dt


from ._lazy import pd
from .tables import COLUMNS as TABLE_COLUMNS
from .tables import MENTION_COLUMNS, column_lists, frame, plain_values, require_columns
from .errors import InputError
from .knowledge_base import KnowledgeBase, load_knowledge_base
from .mentions import ArticleMentions

COLUMNS = TABLE_COLUMNS["mentions"]
SUMMARY_COLUMNS = TABLE_COLUMNS["entities"]
SENTENCE_SPANS = ("sentence_id", "paragraph_id", "start", "end")


def find_mentions(raw: str, sentences: pd.DataFrame, kb: KnowledgeBase | None = None, published=None,
                  doc=None) -> pd.DataFrame:
    """Find and link every mention in ``raw``; one row per mention (per entity), sorted by start.

    ``doc`` is the article's parse (``diplotext.parse``); without it the text is parsed here.
    ``published`` (a date) picks the holder of a role named by description.
    """
    if not isinstance(raw, str):
        raise InputError(f"find_mentions needs the article text as a string, got {type(raw).__name__}")
    missing = {"sentence_id", "paragraph_id", "start", "end"} - set(getattr(sentences, "columns", []))
    if not isinstance(sentences, pd.DataFrame) or missing:
        raise InputError(f"find_mentions needs the sentences table from segment(); missing columns {sorted(missing)}")
    if published is not None and not isinstance(published, dt.date):
        try:
            published = dt.date.fromisoformat(str(published))
        except ValueError:
            raise InputError(f"invalid published date {published!r}: expected YYYY-MM-DD") from None
    return frame("mentions", mention_columns(raw, column_lists(sentences, SENTENCE_SPANS), kb, published, doc))


def mention_columns(raw: str, sentences: dict[str, list], kb: KnowledgeBase | None = None,
                    published: dt.date | None = None, doc=None) -> dict[str, list]:
    """``find_mentions`` on checked inputs, as plain lists column by column (missing values None)."""
    if doc is None:
        from .parse import parse

        doc = parse(raw)
    finder = ArticleMentions(raw, sentences, kb or load_knowledge_base(), published, doc)
    rows = finder.run()
    rows.sort(key=lambda row: (row["start"], row["end"], row["entity_id"]))
    columns = {name: [row.get(name) for row in rows] for name in COLUMNS}
    columns["sentence_id"] = [finder.locate.sentence_of(row["start"]) for row in rows]
    return columns


# ---------------------------------------------------------------- the entities table


def summarise_entities(mentions: pd.DataFrame, kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """One row per entity: how often and where first it is mentioned, and how it was linked."""
    require_columns(mentions, MENTION_COLUMNS, "summarise_entities")
    names = ("entity_id", "canonical", "type", "sentence_id", "how", "surface")
    columns = {name: plain_values(mentions[name]) for name in names}
    columns["cameo"] = plain_values(mentions["cameo"]) if "cameo" in mentions else [None] * len(mentions)
    return frame("entities", entity_columns(columns, kb))


def entity_columns(mentions: dict[str, list], kb: KnowledgeBase | None = None) -> dict[str, list]:
    """``summarise_entities`` on the mentions' columns as plain lists; plain lists out."""
    kb = kb or load_knowledge_base()
    groups: dict = {}
    cameos = mentions.get("cameo") or [None] * len(mentions["entity_id"])
    for entity_id, canonical, kind, sentence_id, how, surface, cameo in zip(
        mentions["entity_id"], mentions["canonical"], mentions["type"],
        mentions["sentence_id"], mentions["how"], mentions["surface"], cameos,
    ):
        if entity_id is None:
            continue
        group = groups.get(entity_id)
        if group is None:
            group = groups[entity_id] = [canonical, kind, 0, [], set(), {}, cameo]
        group[2] += 1
        if sentence_id is not None:
            group[3].append(sentence_id)
        group[4].add(how)
        group[5][surface] = None
    rows = []
    for entity_id, (canonical, kind, count, sentence_ids, hows, surfaces, cameo) in groups.items():
        record = kb.entities.get(entity_id, {})
        rows.append((entity_id, record.get("canonical", canonical), record.get("type", kind), count,
                     record.get("wikidata"), min(sentence_ids) if sentence_ids else None, record.get("cameo", cameo),
                     ", ".join(sorted(hows)), "; ".join(surfaces)))
    rows.sort(key=lambda r: (-r[3], r[5] is None, 0 if r[5] is None else r[5], r[0]))
    return {name: list(values) for name, values in zip(SUMMARY_COLUMNS, zip(*rows))} if rows else {
        name: [] for name in SUMMARY_COLUMNS}
