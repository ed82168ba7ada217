"""What the entities chapter shows: translation artefacts, highlighted spans, the entity x
sentence figure, and the evaluation against a hand annotation."""

from __future__ import annotations

import re
from pathlib import Path

from .._lazy import pd
from ..tables import column_lists, require_columns
from ..corpus import REPO_ROOT
from ..entities import COLUMNS, SENTENCE_SPANS
from ..mentions import SentenceIndex
from ..errors import InputError
from ..knowledge_base import KnowledgeBase, load_knowledge_base

ANNOTATION_PATH = REPO_ROOT / "data" / "annotations" / "entities_seed.csv"
ANNOTATION_COLUMNS = ["sentence_id", "start", "end", "surface", "entity_id", "type"]
ARTEFACT_COLUMNS = ["surface", "canonical", "how", "sentences", "meant", "evidence"]
TYPE_COLOURS = {"PERSON": "#4c72b0", "GPE": "#55a868", "LOC": "#8c8c3c", "ORG": "#c44e52", "EVENT": "#dd8452",
                "NORP": "#937860", "DISEASE": "#8172b3", "UNKNOWN": "#999999"}

# Notes on the seed article only, from its curated knowledge-base entries and the cited record
# (chapter 4); the chapter shows them only when it is built for that article.
SEED_ARTEFACT_NOTE = (
    "In the seed article the worst of these forms change the meaning, not just the spelling: the "
    "\"upcoming\" ambassador was the outgoing one (Xinhua calls him 即将离任, \"about to leave "
    "office\"), and the \"Shanghai Winter Olympics\" were the Beijing Winter Olympics, where the two "
    "presidents had met earlier that year."
)
SEED_COREFERENCE_NOTE = (
    "In the seed article the Chinese head of state is never named. Where a sentence says that a "
    "\"Chinese official\" will meet Putin or attend the summit, the record (chapter 4) shows it was "
    "Xi Jinping who did so, so the translation probably writes \"Chinese official\" where the source "
    "named or titled him; that is an inference from the record, not something the "
    "English text shows."
)


def _meaning(kb: KnowledgeBase, surface: str, how: str) -> str:
    """What a listed variant or a coreference rule says the surface meant."""
    if how == "variant":
        known = kb.names.get(surface)
        if known:
            return known[2]
    for rule in kb.coreference:
        if rule["compiled"].fullmatch(surface):
            return rule.get("meant", "")
    return ""


def translation_artefacts(mentions: pd.DataFrame, raw: str, kb: KnowledgeBase | None = None,
                          sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Garbled names, descriptions and titles: one row per surface form and entity, with what was meant."""
    kb = kb or load_knowledge_base()
    require_columns(mentions, COLUMNS, "translation_artefacts")
    rows = []
    picked = mentions[mentions.how.isin(["variant", "coreference"]) & mentions.entity_id.isin(list(kb.entities))]
    for (surface, entity_id), group in picked.groupby(["surface", "entity_id"], sort=False):
        evidence = list(dict.fromkeys(group.evidence))
        rows.append({"start": group.start.min(), "surface": surface, "canonical": group.canonical.iloc[0],
                     "how": group.how.iloc[0], "sentences": _id_list(group.sentence_id),
                     "meant": _meaning(kb, surface, group.how.iloc[0]),
                     "evidence": evidence[0] if len(evidence) == 1 else f"a cue for each mention ({len(group)}), see the coreference table"})
    # Role titles garbled by the translation are not mentions, but a reader needs them too.
    locate = SentenceIndex(column_lists(sentences, SENTENCE_SPANS)) if sentences is not None else None
    for surface, entity_id, meant in kb.role_titles:
        found = [m.start() for m in re.finditer(re.escape(surface), raw)]
        if found:
            ids = [locate.sentence_of(i) for i in found] if locate else []
            rows.append({"start": found[0], "surface": surface, "canonical": kb.canonical(entity_id),
                         "how": "role title", "sentences": _id_list(ids), "meant": meant,
                         "evidence": "listed role title"})
    table = pd.DataFrame(rows, columns=["start", *ARTEFACT_COLUMNS])
    table["meant"] = table.meant.fillna("").map(lambda text: " ".join(str(text).split()))
    return table.sort_values("start", kind="stable").drop(columns="start").reset_index(drop=True)


def _id_list(ids) -> str:
    return ", ".join(str(i) for i in dict.fromkeys(ids) if not pd.isna(i))


def mention_spans(mentions: pd.DataFrame) -> list[tuple[int, int, str, str]]:
    """Spans for ``display.numbered_text_html``: one per distinct span, titled with the entity.

    Where mentions nest ("Russian" inside "Russian Foreign Ministry") the outer one is shown."""
    spans = []
    last_end = -1
    for (start, end), group in mentions.sort_values(["start", "end"], ascending=[True, False]).groupby(
            ["start", "end"], sort=False):
        if start < last_end:
            continue
        how = group.how.iloc[0]
        title = " + ".join(group.canonical) + f" ({how})"
        spans.append((int(start), int(end), f"entity entity-{how}", title))
        last_end = int(end)
    return spans


def entity_sentence_matrix(mentions: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """Mentions per entity (rows, most mentioned first) and sentence (columns): who appears where."""
    require_columns(mentions, ["entity_id", "canonical", "sentence_id"], "entity_sentence_matrix")
    named = mentions.dropna(subset=["sentence_id"])
    if named.empty:
        return pd.DataFrame()
    counts = named.groupby("entity_id").size().sort_values(ascending=False, kind="stable")
    keep = list(counts.index[:top])
    labels = named.drop_duplicates("entity_id").set_index("entity_id").canonical
    table = pd.crosstab(named.entity_id, named.sentence_id.astype(int)).reindex(keep)
    table.index = [labels[e] for e in keep]
    return table


def plot_entity_sentences(matrix: pd.DataFrame, types: dict | None = None, ax=None):
    """Draw ``entity_sentence_matrix``: a dot where a sentence names an entity, sized by mentions."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.35 * max(len(matrix), 4) + 1))
    if matrix.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No entities found", ha="center", va="center", fontsize=12)
        return ax
    types = types or {}
    for row, (name, counts) in enumerate(matrix.iterrows()):
        present = counts[counts > 0]
        ax.scatter(present.index, [row] * len(present), s=30 + 30 * present.values,
                   color=TYPE_COLOURS.get(types.get(name), "#999999"), zorder=3)
    ax.set_yticks(range(len(matrix)), matrix.index, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("sentence")
    ax.grid(axis="x", color="#dddddd", zorder=0)
    present_types = sorted({types.get(name) for name in matrix.index} - {None})
    handles = [plt.Line2D([], [], marker="o", ls="", color=TYPE_COLOURS.get(t, "#999999"), label=t) for t in present_types]
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    return ax


# ---------------------------------------------------------------- evaluation


def load_annotation(path: Path | str | None = None, raw: str | None = None) -> pd.DataFrame:
    """Read a hand annotation of mentions; with ``raw``, check every surface against the text."""
    path = Path(path) if path is not None else ANNOTATION_PATH
    if not path.is_file():
        raise InputError(f"{path}: annotation file not found")
    table = pd.read_csv(path, dtype={"surface": str, "entity_id": str, "type": str}, keep_default_na=False)
    require_columns(table, ANNOTATION_COLUMNS, str(path))
    if raw is not None:
        for row in table.itertuples():
            if raw[row.start : row.end] != row.surface:
                raise InputError(f"{path}: row {row.Index + 2}: {row.surface!r} is not the text at {row.start}-{row.end}")
    return table


def evaluate_mentions(predicted: pd.DataFrame, gold: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Precision, recall and F1 against a hand annotation, and the list of disagreements.

    ``linked`` counts a mention right when span and entity both match; ``span`` only the span.
    """
    require_columns(predicted, ["start", "end", "entity_id"], "evaluate_mentions (predicted)")
    require_columns(gold, ["start", "end", "entity_id"], "evaluate_mentions (gold)")
    scores = []
    for level, key in (("linked", ["start", "end", "entity_id"]), ("span", ["start", "end"])):
        got = set(map(tuple, predicted[key].itertuples(index=False)))
        want = set(map(tuple, gold[key].itertuples(index=False)))
        hits = len(got & want)
        precision = hits / len(got) if got else float("nan")
        recall = hits / len(want) if want else float("nan")
        f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
        scores.append({"level": level, "predicted": len(got), "gold": len(want), "correct": hits,
                       "precision": precision, "recall": recall, "f1": f1})
    key = ["start", "end", "entity_id"]
    merged = predicted.merge(gold, on=key, how="outer", suffixes=("", "_gold"), indicator=True)
    errors = merged[merged["_merge"] != "both"].copy()
    errors["error"] = errors["_merge"].map({"left_only": "false positive", "right_only": "missed"})
    errors["surface"] = errors["surface"].where(errors["surface"].notna(), errors.get("surface_gold"))
    errors["sentence_id"] = errors["sentence_id"].where(errors["sentence_id"].notna(), errors.get("sentence_id_gold"))
    columns = ["error", "sentence_id", "start", "end", "surface", "entity_id"]
    if "how" in errors:
        columns.append("how")
    errors = errors[columns].sort_values(["start", "error"], kind="stable").reset_index(drop=True)
    return pd.DataFrame(scores), errors


# ---------------------------------------------------------------- where each link comes from

LAYERS = ("curated", "dictionary", "model")
DEV_SCORES_PATH = REPO_ROOT / "data" / "evaluation" / "entities_dev_scores.csv"


def mention_layers(mentions: pd.DataFrame, raw: str, sentences: pd.DataFrame, doc, kb: KnowledgeBase | None = None,
                   published=None) -> pd.Series:
    """Which layer linked each mention: ``model`` (a name no list knows, with the model's type),
    ``dictionary`` (linked the same way without the curated entries: the actor dictionary and
    the article-wide rules), or ``curated`` (only the curated knowledge base links it so)."""
    from ..entities import find_mentions
    from ..knowledge_base import reduce_knowledge_base

    kb = kb or load_knowledge_base()
    plain = find_mentions(raw, sentences, reduce_knowledge_base(kb, "model and dictionary"), published=published, doc=doc)
    same = set(zip(plain.start, plain.end, plain.entity_id))
    layers = ["model" if how == "unlinked" else "dictionary" if (start, end, entity) in same else "curated"
              for start, end, entity, how in zip(mentions.start, mentions.end, mentions.entity_id, mentions.how)]
    return pd.Series(layers, index=mentions.index, name="layer", dtype=object)


def curation_runs(raw: str, sentences: pd.DataFrame, doc, gold: pd.DataFrame, kb: KnowledgeBase | None = None,
                  published=None) -> tuple[pd.DataFrame, dict]:
    """Score the article at each curation level against a hand annotation: the scores table and
    each level's disagreements."""
    from ..entities import find_mentions
    from ..knowledge_base import CURATION_LEVELS, reduce_knowledge_base

    kb = kb or load_knowledge_base()
    tables, errors = [], {}
    for level in CURATION_LEVELS:
        found = find_mentions(raw, sentences, reduce_knowledge_base(kb, level), published=published, doc=doc)
        table, errors[level] = evaluate_mentions(found, gold)
        tables.append(table.assign(knowledge=level))
    scores = pd.concat(tables, ignore_index=True)
    return scores[["knowledge", "level", "predicted", "gold", "correct", "precision", "recall", "f1"]], errors


def load_dev_scores(path: Path | str | None = None) -> pd.DataFrame:
    """The committed scores on the development set (counts only, no text), one row per article
    and method, with the totals' shares."""
    path = Path(path) if path is not None else DEV_SCORES_PATH
    if not path.is_file():
        raise InputError(f"{path}: development-set scores not found")
    return pd.read_csv(path)


def dev_totals(scores: pd.DataFrame) -> pd.DataFrame:
    """Totals per method: entities found with the right type, merged, and mention precision."""
    totals = scores.groupby("method", sort=False)[["gold", "found", "merged", "mentions", "right"]].sum()
    totals["found_share"] = totals.found / totals.gold
    totals["merged_share"] = totals.merged / totals.found
    totals["precision"] = totals.right / totals.mentions
    return totals.reset_index()
