"""Segmentation: the seed's sentences as a reader counts them, and nothing lost anywhere."""

import pytest

from diplotext import segment
from diplotext.segment import split_paragraphs, split_sentences, translation_debris


def assert_lossless(raw, sentences):
    """Every non-white-space character lies in exactly one sentence, and text == raw[start:end]."""
    covered = [0] * len(raw)
    for row in sentences.itertuples():
        assert row.text == raw[row.start : row.end]
        assert row.text == row.text.strip()
        for i in range(row.start, row.end):
            covered[i] += 1
    for i, ch in enumerate(raw):
        assert covered[i] <= 1, f"character {i} {ch!r} is in {covered[i]} sentences"
        if not ch.isspace():
            assert covered[i] == 1, f"character {i} {ch!r} is in no sentence"


def test_seed_has_14_sentences_in_8_paragraphs(seed_sentences):
    assert len(seed_sentences) == 14
    assert seed_sentences.paragraph_id.nunique() == 8
    assert seed_sentences.groupby("paragraph_id").size().tolist() == [2, 2, 1, 1, 1, 2, 2, 3]
    assert seed_sentences.sentence_id.tolist() == list(range(1, 15))


def test_seed_sentence_boundaries(seed_sentences):
    text = seed_sentences.set_index("sentence_id").text
    assert text[1] == (
        "(Beijing Comprehensive News) Chinese official expected to meet with Russian President Putin "
        "this week to meet the second face -to -face meeting during the year."
    )
    # The quotation glued to the sentence before it opens sentence 2, quote mark included.
    assert text[2] == '"Promote international order in a more fair and reasonable direction."'
    assert text[3].endswith("along the correct track.")
    assert text[4].startswith("The two sides firmly support each other")
    assert text[7] == "The first Chinese official to attend the Shanghe Summit today"
    assert text[8].endswith("conducted a state visit.")
    assert text[9] == "This is the first time that the official Chinese official has broke out of the crown disease."
    assert text[11] == "This will also be the first time since Russia invaded Ukraine in late February."
    assert text[13].startswith("Li Zhanshu, Chairman of the National People's Congress")
    assert text[13].endswith("held at Vladivostok on the 7th.")
    assert text[14].startswith("Prior to this, the Chinese and Indian troops")


def test_seed_is_lossless(seed, seed_sentences):
    assert_lossless(seed.raw, seed_sentences)


def test_seed_offsets_are_exact(seed, seed_sentences):
    first, last = seed_sentences.iloc[0], seed_sentences.iloc[-1]
    assert (first.start, first.end) == (0, 160)
    assert last.end == len(seed.raw)


def test_seed_translation_debris(seed, seed_sentences):
    debris = translation_debris(seed.raw, seed_sentences)
    glued = debris[debris.kind == "glued sentence boundary"]
    assert glued.sentence_id.tolist() == [2, 4, 9, 11, 13, 14]
    assert "face -to -face" in " ".join(debris[debris.kind == "spaced hyphen"].context)
    assert debris[debris.kind == "capital inside a word"].context.str.contains("UzbekiStan").all()


TRICKY = [
    # (text, expected sentences)
    ("Dr. Smith met Mr. Jones in Washington. They talked.", ["Dr. Smith met Mr. Jones in Washington.", "They talked."]),
    ("The U.S. and China met. The talks ended.", ["The U.S. and China met.", "The talks ended."]),
    ("He flew to the U.S. The talks began on Sept. 14 in Geneva.",
     ["He flew to the U.S.", "The talks began on Sept. 14 in Geneva."]),
    ("Growth was 3.5 per cent. Version 2.0 ships.", ["Growth was 3.5 per cent.", "Version 2.0 ships."]),
    ("J. R. Smith arrived. He left.", ["J. R. Smith arrived.", "He left."]),
    ("Wait... what happened? Nothing... The end.", ["Wait... what happened?", "Nothing...", "The end."]),
    ("Line one ends here.\r\nStill the same paragraph.\r\n\r\nA new paragraph.",
     ["Line one ends here.", "Still the same paragraph.", "A new paragraph."]),
    ("\u201cWe agree,\u201d he said. \u201cSo do we.\u201d They left.",
     ["\u201cWe agree,\u201d he said.", "\u201cSo do we.\u201d", "They left."]),
    ("It rose sharply!Then it fell?Yes.", ["It rose sharply!", "Then it fell?", "Yes."]),
    ("Talks at 10 a.m. were held. Officials met.", ["Talks at 10 a.m. were held.", "Officials met."]),
    ("A heading without a stop\n\nBody text follows here.", ["A heading without a stop", "Body text follows here."]),
    ("No final punctuation at all", ["No final punctuation at all"]),
]


@pytest.mark.parametrize("text, expected", TRICKY)
def test_tricky_texts(text, expected):
    sentences = segment(text)
    assert sentences.text.tolist() == expected
    assert_lossless(text, sentences)


def test_crlf_paragraphs_and_offsets():
    raw = "First para.\r\n\r\nSecond para. Still second.\r\n"
    sentences = segment(raw)
    assert sentences.paragraph_id.tolist() == [1, 2, 2]
    assert [raw[s:e] for s, e in zip(sentences.start, sentences.end)] == sentences.text.tolist()
    assert split_paragraphs(raw) == [(0, 11), (15, 41)]


def test_random_texts_are_lossless():
    import random

    rng = random.Random(7)
    pieces = ["Mr.", "U.S.", "3.5", "word", "Word", ".", "!", "?", "...", "\u201c", "\u201d", '"', "\n", "\n\n", " ",
              "\r\n", "7th.", "Then", "\u2026", "(", ")", "Sept.", "e.g."]
    for _ in range(300):
        raw = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 40)))
        sentences = segment(raw)
        assert_lossless(raw, sentences)
        assert (len(sentences) >= 1) == bool(raw.strip())


@pytest.mark.parametrize("dateline", ["HAVANA, December 26. /TASS/.", "MANILA, Dec. 6 (Xinhua) --",
                                      "BEIJING, July 22 - RIA Novosti."])
def test_a_dateline_stays_with_the_sentence_it_opens(dateline):
    raw = f"{dateline} The two ministers met in the capital. They signed a protocol."
    spans = split_sentences(raw)
    assert [raw[a:b] for a, b in spans] == [f"{dateline} The two ministers met in the capital.",
                                             "They signed a protocol."]


def test_a_capitalised_place_line_that_is_not_a_dateline_still_ends():
    raw = "Talks in PARIS, FRANCE ended. Both sides left."
    assert len(split_sentences(raw)) == 2
