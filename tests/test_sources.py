"""The seed article against its stored primary sources: alignment, stored data, curated readings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

import diplotext
from diplotext.alignment import THRESHOLD, align, similarity, threshold_sweep, tfidf_matrix, tokens, word_changes
from diplotext.corpus import SEED_ARTICLE
from diplotext.report import sources as report
from diplotext.sourcetexts import SOURCES_DIR, candidates, source_texts, sources_for, topics_of

ROOT = Path(__file__).resolve().parents[1]
YANG = "xinhua_2022-09-12_yang_jiechi_meets_denisov"


@pytest.fixture(scope="module")
def seed():
    article = diplotext.load_article(SEED_ARTICLE)
    sentences = diplotext.segment(article.raw)
    sources = sources_for(article.name)
    texts = source_texts(article.name)
    alignment = align(sentences, candidates(sources, texts, article.published))
    return article, sentences, sources, texts, alignment


def row_for(alignment: pd.DataFrame, words: str) -> pd.Series:
    """The alignment row of the one article sentence that contains ``words``."""
    rows = alignment[alignment.text.str.contains(words, regex=False)]
    assert len(rows) == 1, words
    return rows.iloc[0]


# The Yang-Denisov paragraph, each article sentence with the Xinhua words it renders.
YANG_PAIRS = [
    ("along the correct track", "relations between the two countries have always progressed along the right track"),
    ("firmly support each other on the issues of the core interests",
     "firmly support each other on issues concerning their respective core interests"),
    ("towards a more fair and reasonable direction", "make the international order more just and equitable"),
]


@pytest.mark.parametrize("article_words, xinhua_words", YANG_PAIRS)
def test_yang_denisov_paragraph_aligns_to_the_xinhua_sentence_it_renders(seed, article_words, xinhua_words):
    row = row_for(seed[4], article_words)
    assert row.aligned
    assert row.source_id == YANG
    # The best pair, or another that passes the threshold: the article merges Xinhua's headline
    # (the meeting) with Yang's first remark (the track) into one sentence.
    passing = {text: score for source_id, _, text, score in row.also if source_id == YANG}
    passing[row.source_text] = row.score
    matches = [score for text, score in passing.items() if xinhua_words in text]
    assert matches and matches[0] >= THRESHOLD
    # The choice of source is clear: no other outlet's sentence comes near.
    assert row.runner_up < row.score / 2


def test_headline_quotation_aligns_to_yangs_last_sentence(seed):
    row = row_for(seed[4], '"Promote international order in a more fair and reasonable direction."')
    assert row.aligned and row.source_id == YANG and "more just and equitable" in row.source_text


def test_trip_announcement_aligns_to_the_xinhua_report_of_it(seed):
    row = row_for(seed[4], "from September 14th to 16th")
    assert row.aligned and row.source_id == "xinhua_2022-09-12_xi_to_attend_sco_summit_announcement"


@pytest.mark.parametrize("words", [
    "since Russia invaded Ukraine in late February",      # the Ukraine sentence
    'According to Bloomberg, the upcoming "Xi Pu"',       # the Bloomberg paragraph
    "Li Zhanshu, Chairman of the National People's Congress",
    '"Oriental-20122" joint annual military exercise',
    "broke out of the crown disease",
])
def test_sentences_without_a_stored_source_are_marked_added(seed, words):
    article, sentences, sources, _, alignment = seed
    assert not row_for(alignment, words).aligned
    table = report.alignment_table(alignment, sources, report.credits(sentences))
    assert table.loc[table.article.str.contains(words, regex=False), "status"].item() == report.ADDED


def test_bloomberg_paragraph_is_credited_to_bloomberg_though_not_aligned(seed):
    _, sentences, sources, _, alignment = seed
    table = report.alignment_table(alignment, sources, report.credits(sentences))
    paragraph = table[table.article.str.contains("Bloomberg|Li Zhanshu|Oriental-20122")]
    assert len(paragraph) == 3
    assert set(paragraph.article_credits) == {"Bloomberg"}
    chain = report.relay_chain(table).set_index("outlet")
    assert chain.loc["Bloomberg", "sentences"] == 0 and chain.loc["Bloomberg", "credited"] == 3
    assert chain.loc["Xinhua", "sentences"] == int((table.status == "aligned").sum())


def test_sources_published_after_the_article_are_not_candidates(seed):
    article, _, sources, texts, _ = seed
    pool = candidates(sources, texts, article.published)
    dates = sources.set_index("source_id").loc[pool.source_id.unique(), "published"]
    assert all(dt.date.fromisoformat(d) <= article.published for d in dates)
    assert "kremlin_2022-09-15_meeting_xi_samarkand_EXCERPT" not in set(pool.source_id)


def test_threshold_sweep_counts_sentences_that_change_side():
    alignment = pd.DataFrame({"score": [0.05, 0.15, 0.25, 0.6], "shared": [3, 3, 3, 3]})
    sweep = threshold_sweep(alignment, [0.1, 0.2, 0.3], threshold=0.2).set_index("threshold")
    assert sweep.loc[0.2].tolist() == [2, 2, 0]
    assert sweep.loc[0.1].tolist() == [3, 1, 1]   # 0.15 joins
    assert sweep.loc[0.3].tolist() == [1, 3, 1]   # 0.25 leaves


def test_tfidf_weighs_rare_words_above_common_ones():
    docs = [tokens("China and Russia met"), tokens("China and Russia talked"), tokens("China hosted the ambassador")]
    matrix, vocabulary = tfidf_matrix(docs)
    third = dict(zip(vocabulary, matrix[2]))
    assert third["ambassador"] > third["china"] > 0


def test_cosine_is_one_for_the_same_words_and_zero_for_none_shared():
    scores = similarity(["Yang met the outgoing ambassador."], ["The outgoing ambassador met Yang.", "Trade grew."])
    assert scores[0, 0] == pytest.approx(1.0)
    assert scores[0, 1] == 0.0


def test_a_pair_sharing_one_word_is_not_aligned_however_high_its_score():
    sentences = diplotext.segment("The meeting was long.")
    pool = pd.DataFrame({"source_id": ["s"], "source_sentence": [1], "text": ["A meeting."]})
    row = align(sentences, pool).iloc[0]
    assert row.score > THRESHOLD and row.shared == 1 and not row.aligned


def test_word_changes_finds_upcoming_for_outgoing():
    assert ("upcoming", "outgoing") in word_changes("met the upcoming Russian ambassador",
                                                    "met the outgoing Russian ambassador")


def test_word_swaps_show_the_renderings_of_the_yang_paragraph(seed):
    swaps = report.word_swaps(seed[4])
    pairs = set(zip(swaps.article_says, swaps.source_says))
    assert {("fair", "just"), ("willing", "ready"), ("collaboration", "coordination")} <= pairs
    # Long runs of different content are not swaps.
    assert (swaps.article_says.str.split().str.len() <= 3).all()


def test_topics_of_sentences():
    assert topics_of("This will also be the first time since Russia invaded Ukraine in late February.") == ["Ukraine"]
    assert topics_of("support each other on issues concerning their respective core interests") == [
        "Taiwan and core interests"]
    assert topics_of("The Heads of State held talks.") == []


def test_curated_changes_occur_in_the_article_and_in_the_stored_source(seed):
    article, sentences, sources, texts, _ = seed
    changes = yaml.safe_load((SOURCES_DIR / "changes.yml").read_text(encoding="utf-8"))["changes"]
    table = report.changes_table(changes, article.raw, sentences, sources, texts)
    assert len(table) == len(changes)
    assert (table.source_says != "").all()
    reversed_ = table[table.kind == "meaning changed"].iloc[0]
    assert (reversed_.article_says, reversed_.source_says) == ("upcoming Russian ambassador", "outgoing Russian ambassador")


def test_other_articles_get_no_sources():
    assert sources_for("some-other-article").empty
    assert source_texts("some-other-article") == {}


def test_non_open_sources_keep_only_some_sentences_with_outlet_date_and_url():
    index = yaml.safe_load((SOURCES_DIR / "sources.yml").read_text(encoding="utf-8"))
    for entry in index["sources"]:
        assert entry["url"].startswith("http") and entry["outlet"] and entry["published"]
        if entry["stored"] == "whole":
            assert entry["licence"].startswith(("CC BY", "Original: CC BY"))
            assert (SOURCES_DIR / entry["file"]).is_file()
        else:
            assert "file" not in entry
            # Never the whole text. A quotations-only file of one quotation may keep it: those
            # are the speaker's words, not the outlet's prose.
            assert len(entry["sentences"]) < entry["sentence_count"] or entry["sentence_count"] == 1


def test_every_source_is_in_the_bibliography_with_its_url():
    bib = (ROOT / "book" / "sources.bib").read_text(encoding="utf-8")
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    assert "book/sources.bib" in config
    for entry in yaml.safe_load((SOURCES_DIR / "sources.yml").read_text(encoding="utf-8"))["sources"]:
        match = re.search(r"@misc\{" + re.escape(entry["id"]) + r",(.*?)\n\}", bib, re.S)
        assert match, entry["id"]
        assert "url = {" + entry["url"] + "}" in match.group(1)
