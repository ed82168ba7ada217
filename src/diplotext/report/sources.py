"""Tables, figures and prose helpers of the chapter on the article against its sources."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..alignment import word_changes
from ..sourcetexts import TOPICS, topics_of

ARTICLE_LABEL = "the article"
SIDE_COLOURS = {"the article": "#222222", "Chinese official": "#c0392b", "Russian official": "#2e5c8a",
                "Western agency": "#7f7f7f"}
ADDED = "added by the compiler"

# "According to Xinhua News Agency," / "The Russian official media Tus News reported that".
_CREDIT = re.compile(r"\bAccording to (?:the )?([A-Z][\w'-]*(?: [A-Z][\w'-]*)*)|"
                     r"\b([A-Z][\w'-]*(?: [A-Z][\w'-]*)*) (?:reported|said|says|reports)\b")


def credits(sentences: pd.DataFrame, mentions: pd.DataFrame | None = None) -> pd.Series:
    """The outlet the article credits for each sentence: named in it, or earlier in its paragraph.

    A name the entities stage linked is given as its canonical name ("Tus News" -> "TASS").
    """
    canonical = {}
    if mentions is not None:
        linked = mentions[mentions["entity_id"].fillna("") != ""]
        canonical = dict(zip(linked["surface"], linked["canonical"]))
    credited, paragraph, current = [], None, ""
    for row in sentences.itertuples(index=False):
        if row.paragraph_id != paragraph:
            paragraph, current = row.paragraph_id, ""
        match = _CREDIT.search(row.text)
        if match:
            name = match.group(1) or match.group(2)
            # "The Russian official media Tus News": the longest linked name inside the phrase.
            inside = [c for surface, c in canonical.items() if surface in name]
            current = canonical.get(name) or (max(inside, key=len) if inside else name)
        credited.append(current)
    return pd.Series(credited, index=sentences.index, name="credits")


def alignment_table(alignment: pd.DataFrame, sources: pd.DataFrame, credited: pd.Series) -> pd.DataFrame:
    """One row per article sentence: its source (outlet, date, sentence) or "added by the compiler"."""
    outlets = sources.set_index("source_id")
    rows = []
    for row, credit in zip(alignment.itertuples(index=False), credited):
        found = row.aligned and row.source_id in outlets.index
        rows.append({
            "sentence_id": row.sentence_id,
            "article": row.text,
            "status": "aligned" if found else ADDED,
            "article_credits": credit,
            "score": row.score,
            "runner_up": row.runner_up,
            "shared_words": row.shared,
            "outlet": outlets.at[row.source_id, "outlet"] if found else "",
            "published": outlets.at[row.source_id, "published"] if found else "",
            "source_sentence": row.source_text if found else "",
            "also_from": "; ".join(f"{outlets.at[sid, 'outlet']} {outlets.at[sid, 'published']} "
                                   f"sentence {n} ({score:.2f})" for sid, n, _, score in row.also),
        })
    return pd.DataFrame(rows)


def plot_alignment(alignment: pd.DataFrame, threshold: float):
    """Best score per article sentence, aligned and added in two colours, the threshold a line."""
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(alignment) + 1.2))
    colours = np.where(alignment["aligned"], "#2e5c8a", "#e69f00")
    y = np.arange(len(alignment))
    ax.barh(y, alignment["score"], color=colours)
    ax.scatter(alignment["runner_up"], y, marker="|", color="black", s=80, label="best from another source")
    ax.axvline(threshold, color="#c0392b", linestyle="--", label=f"threshold {threshold:g}")
    ax.set_yticks(y, [f"sentence {i}" for i in alignment["sentence_id"]])
    ax.invert_yaxis()
    ax.set_xlabel("TF-IDF cosine with the best source sentence")
    ax.set_xlim(0, 1)
    handles = [plt.Rectangle((0, 0), 1, 1, color="#2e5c8a"), plt.Rectangle((0, 0), 1, 1, color="#e69f00")]
    extra, labels = ax.get_legend_handles_labels()
    ax.legend(handles + extra, ["aligned", ADDED, *labels], loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def changes_table(changes: list[dict], raw: str, sentences: pd.DataFrame, sources: pd.DataFrame,
                  texts: dict) -> pd.DataFrame:
    """The curated changes whose article words occur in the article, each checked against the
    stored source sentence."""
    outlets = sources.set_index("source_id")
    rows = []
    for change in changes:
        start = raw.find(change["article"])
        if start < 0 or change["source_id"] not in outlets.index:
            continue
        sentence = sentences[(sentences.start <= start) & (sentences.end > start)].sentence_id
        found = any(change["source"].lower() in text.lower() for _, text in texts.get(change["source_id"], []))
        rows.append({"sentence_id": int(sentence.iloc[0]) if len(sentence) else 0, "kind": change["kind"],
                     "article_says": change["article"], "source_says": change["source"] if found else "",
                     "outlet": outlets.at[change["source_id"], "outlet"], "note": change["note"]})
    return pd.DataFrame(rows, columns=["sentence_id", "kind", "article_says", "source_says", "outlet", "note"])


def word_swaps(alignment: pd.DataFrame, max_words: int = 3) -> pd.DataFrame:
    """Short word runs the article puts where its best source sentence has others ("fair" for
    "just"): renderings. Longer runs are different content, not a swap, and are left out."""
    rows = []
    for row in alignment[alignment.aligned].itertuples(index=False):
        for article_words, source_words in word_changes(row.text, row.source_text):
            if article_words and source_words and max(len(article_words.split()), len(source_words.split())) <= max_words:
                rows.append({"sentence_id": row.sentence_id, "article_says": article_words, "source_says": source_words})
    return pd.DataFrame(rows, columns=["sentence_id", "article_says", "source_says"])


_NUMBER = re.compile(r"\b(\d+)(?:st|nd|rd|th)?\b")
_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?", re.IGNORECASE)


def numbers_of(text: str) -> set[str]:
    """The numbers and month names of a sentence, normalised ("14th" -> "14", "Sept." -> "sep")."""
    return {m.group(1) for m in _NUMBER.finditer(text)} | {m.group(1).lower() for m in _MONTH.finditer(text)}


def number_changes(alignment: pd.DataFrame) -> pd.DataFrame:
    """For aligned sentences that hold numbers or months: which both sides give, and which one
    side only."""
    rows = []
    for row in alignment[alignment.aligned].itertuples(index=False):
        # The source side is every sentence the article sentence aligns to (best and ``also``).
        a = numbers_of(row.text)
        s = set().union(numbers_of(row.source_text), *(numbers_of(text) for _, _, text, _ in row.also))
        if a or s:
            rows.append({"sentence_id": row.sentence_id, "in_both": ", ".join(sorted(a & s)),
                         "article_only": ", ".join(sorted(a - s)), "source_only": ", ".join(sorted(s - a))})
    return pd.DataFrame(rows, columns=["sentence_id", "in_both", "article_only", "source_only"])


def name_variants(mentions: pd.DataFrame) -> pd.DataFrame:
    """Names the entities stage linked only as spelling variants: the garbled names."""
    variants = mentions[mentions["how"] == "variant"]
    return (variants.groupby(["canonical", "surface"], sort=False)["sentence_id"]
            .agg(lambda ids: ", ".join(str(i) for i in sorted(set(ids)))).reset_index()
            .rename(columns={"sentence_id": "sentences"}))


def text_sentences_table(sentences_by_text: dict[str, list[str]], sources: pd.DataFrame) -> pd.DataFrame:
    """One row per text (the article first): side, outlet, date, sentence count and topic counts.

    A quoted source's count is that of its original, whose topic sentences are all stored, so
    the shares are those of the original text.
    """
    info = sources.set_index("source_id")
    rows = []
    for name, sentences in sentences_by_text.items():
        is_source = name in info.index
        row = {"text": name, "title": info.at[name, "title"] if is_source else "",
               "side": info.at[name, "side"] if is_source else ARTICLE_LABEL,
               "outlet": info.at[name, "outlet"] if is_source else ARTICLE_LABEL,
               "published": info.at[name, "published"] if is_source else "",
               "sentences": int(info.at[name, "sentence_count"]) if is_source else len(sentences)}
        found = [topics_of(text) for text in sentences]
        row.update({topic: sum(topic in f for f in found) for topic in TOPICS})
        rows.append(row)
    return pd.DataFrame(rows)


def plot_topics(table: pd.DataFrame):
    """Heat map: share of each text's sentences that touch each topic, texts grouped by side."""
    rank = {side: i for i, side in enumerate(SIDE_COLOURS)}
    table = table.assign(rank=table.side.map(rank)).sort_values(["rank", "published", "outlet"], kind="stable")
    shares = table[list(TOPICS)].div(table["sentences"].clip(lower=1), axis=0).to_numpy()
    fig, ax = plt.subplots(figsize=(9.5, 0.3 * len(table) + 1.8))
    image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for (i, j), value in np.ndenumerate(table[list(TOPICS)].to_numpy()):
        if value:
            ax.text(j, i, str(value), ha="center", va="center", fontsize=7,
                    color="white" if shares[i, j] > 0.5 else "black")
    labels = [f"{r.outlet}, {r.published}: {_short(r.title)} ({r.sentences})" if r.side != ARTICLE_LABEL
              else f"THE ARTICLE ({r.sentences})" for r in table.itertuples()]
    ax.set_yticks(range(len(table)), labels, fontsize=7)
    ax.set_xticks(range(len(TOPICS)), list(TOPICS), rotation=30, ha="right", fontsize=8)
    for tick, side in zip(ax.get_yticklabels(), table["side"]):
        tick.set_color(SIDE_COLOURS.get(side, "black"))
    fig.colorbar(image, ax=ax, label="share of the text's sentences", shrink=0.6)
    fig.tight_layout()
    return fig


def entity_sides(entities_by_text: dict[str, pd.DataFrame], sides: dict[str, str]) -> pd.DataFrame:
    """Mentions of each entity per side (the article is its own side), with what the article did."""
    frames = []
    for name, entities in entities_by_text.items():
        frame = entities[["entity_id", "canonical", "type", "mention_count"]].copy()
        frame["side"] = sides.get(name, ARTICLE_LABEL)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["entity_id", "canonical", "type", ARTICLE_LABEL, "in_article"])
    counts = (pd.concat(frames).pivot_table(index=["entity_id", "canonical", "type"], columns="side",
                                            values="mention_count", aggfunc="sum", fill_value=0).reset_index())
    for side in SIDE_COLOURS:
        if side not in counts:
            counts[side] = 0
    in_sources = counts[[s for s in SIDE_COLOURS if s != ARTICLE_LABEL]].sum(axis=1) > 0
    counts["in_article"] = np.select([(counts[ARTICLE_LABEL] > 0) & in_sources, counts[ARTICLE_LABEL] > 0],
                                     ["kept", "added"], "not in the article")
    counts.columns.name = None
    return counts.sort_values([ARTICLE_LABEL, "entity_id"], ascending=[False, True]).reset_index(drop=True)


def tone_by_text(sentiment_by_text: dict[str, pd.DataFrame], topics_table: pd.DataFrame) -> pd.DataFrame:
    """Mean sentence scores of each text (contract columns of the sentiment table)."""
    rows = []
    side = topics_table.set_index("text")["side"]
    outlet = topics_table.set_index("text")["outlet"]
    for name, sentiment in sentiment_by_text.items():
        rows.append({"text": name, "side": side.get(name, ARTICLE_LABEL), "outlet": outlet.get(name, ARTICLE_LABEL),
                     "sentences_analysed": len(sentiment),
                     "vader_compound": float(sentiment["vader_compound"].mean()) if len(sentiment) else 0.0,
                     "textblob_polarity": float(sentiment["textblob_polarity"].mean()) if len(sentiment) else 0.0})
    return pd.DataFrame(rows)


def provenance_clues(clues: list[dict], raw: str) -> pd.DataFrame:
    """The clues whose words occur in the article, with the sentence-free reading of each."""
    lowered = raw.lower()
    rows = [{"article_says": c["phrase"], "chinese": c["chinese"], "reading": c["reading"],
             "points_to": c["points_to"], "strength": c["strength"]} for c in clues if c["phrase"].lower() in lowered]
    return pd.DataFrame(rows, columns=["article_says", "chinese", "reading", "points_to", "strength"])


def plot_relay(chain: pd.DataFrame, translated: bool = False):
    """The relay chain: each outlet's sentences flow into the compiled report, then (if the
    article is a translation) through the translation into the article."""
    fig, ax = plt.subplots(figsize=(7.5, 0.55 * max(len(chain), 3) + 1))
    ax.set_axis_off()
    n = max(len(chain), 1)
    middle = (n - 1) / 2
    for i, row in enumerate(chain.itertuples(index=False)):
        ax.text(0.02, i, f"{row.outlet}\n{row.evidence}", va="center", ha="left", fontsize=8,
                bbox={"boxstyle": "round", "facecolor": "#eef2f7", "edgecolor": "#2e5c8a"})
        ax.annotate("", xy=(0.5, middle), xytext=(0.24, i),
                    arrowprops={"arrowstyle": "->", "linewidth": 0.8 + 0.6 * row.sentences, "color": "#2e5c8a"})
    ax.text(0.5, middle, "compiled\nreport", va="center", ha="left", fontsize=9,
            bbox={"boxstyle": "round", "facecolor": "#fdf2e3", "edgecolor": "#e69f00"})
    ax.annotate("", xy=(0.8, middle), xytext=(0.64, middle), arrowprops={"arrowstyle": "->", "linewidth": 1.5})
    ax.text(0.8, middle, "translation\n= the article" if translated else "the article", va="center", ha="left", fontsize=9,
            bbox={"boxstyle": "round", "facecolor": "#f4f4f4", "edgecolor": "#222222"})
    ax.set_xlim(0, 1)
    ax.set_ylim(n - 0.5, -0.5)
    fig.tight_layout()
    return fig


def relay_chain(table: pd.DataFrame) -> pd.DataFrame:
    """Per outlet the article credits or draws on: how many sentences align to its stored texts,
    and how many the article credits to it (a credit names the outlet, e.g. "Xinhua News Agency")."""
    aligned_outlets = sorted(set(table.loc[table.status == "aligned", "outlet"]))
    credits_named = sorted(set(table["article_credits"]) - {""})
    outlets = aligned_outlets + [c for c in credits_named if not any(o.lower() in c.lower() for o in aligned_outlets)]
    rows = []
    for outlet in outlets:
        aligned = int(((table.outlet == outlet) & (table.status == "aligned")).sum())
        credited = int(table.article_credits.str.lower().str.contains(outlet.lower(), regex=False).sum())
        rows.append({"outlet": outlet, "sentences": aligned, "credited": credited,
                     "evidence": f"{aligned} aligned, {credited} credited"})
    return pd.DataFrame(rows, columns=["outlet", "sentences", "credited", "evidence"])


def quoted_sentences(sources: pd.DataFrame, texts: dict) -> pd.DataFrame:
    """Every stored sentence of a source not stored whole, with outlet, date and address."""
    rows = [{"outlet": s.outlet, "published": s.published, "n": n, "sentence": text, "url": s.url}
            for s in sources[sources.stored == "quoted"].itertuples(index=False) for n, text in texts.get(s.source_id, [])]
    return pd.DataFrame(rows, columns=["outlet", "published", "n", "sentence", "url"])


def cite_sources(sources: pd.DataFrame) -> str:
    """Markdown listing every source with its citation (the bibliography gives the address)."""
    return "\n".join(f"- {s.outlet}, {s.published}: {_bare(s.title)} {{cite:p}}`{s.source_id}`"
                     for s in sources.sort_values(["published", "outlet"]).itertuples(index=False))


def _short(title: str, width: int = 32) -> str:
    title = _bare(title)
    return title if len(title) <= width else title[: width - 1].rstrip() + "\u2026"


def _bare(title: str) -> str:
    """A descriptive title in brackets, "(TASS, ...)", without them."""
    return title[1:-1] if title.startswith("(") and title.endswith(")") else title


def tone_pairs(alignment: pd.DataFrame, article_sentiment: pd.DataFrame, source_tone: dict[str, float]) -> pd.DataFrame:
    """VADER compound of each aligned article sentence beside that of its source sentence."""
    article = dict(zip(article_sentiment["sentence_id"], article_sentiment["vader_compound"]))
    rows = [{"sentence_id": r.sentence_id, "article": float(article.get(r.sentence_id, 0.0)),
             "source": float(source_tone.get(r.source_text, np.nan))} for r in alignment[alignment.aligned].itertuples()]
    frame = pd.DataFrame(rows, columns=["sentence_id", "article", "source"])
    frame["change"] = frame["article"] - frame["source"]
    return frame


def plot_tone_pairs(pairs: pd.DataFrame):
    """Dumbbells: each aligned sentence's VADER compound in the source (circle) and article (diamond)."""
    fig, ax = plt.subplots(figsize=(6.5, 0.35 * len(pairs) + 1.3))
    y = np.arange(len(pairs))
    ax.hlines(y, pairs["source"], pairs["article"], color="#bbbbbb")
    ax.scatter(pairs["source"], y, color=SIDE_COLOURS["Chinese official"], label="source sentence", zorder=3)
    ax.scatter(pairs["article"], y, color=SIDE_COLOURS[ARTICLE_LABEL], marker="D", label="article sentence", zorder=3)
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set_yticks(y, [f"sentence {i}" for i in pairs["sentence_id"]])
    ax.invert_yaxis()
    ax.set_xlim(-1, 1)
    ax.set_xlabel("VADER compound (-1 negative, +1 positive)")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig
