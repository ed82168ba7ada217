"""The book's own tone: each verdict from the cues a reader can point to."""

import re

import pytest

from diplotext import InputError, segment
from diplotext.sentiment import score_sentences, vader_analyzer
from diplotext.tone import load_tone_lexicon


def tone(text):
    row = score_sentences(segment(text)).iloc[0]
    return row.tone, row.tone_score, row.tone_evidence


def counted(evidence):
    """The cue words that carried weight, from the evidence column."""
    return [item.rsplit(" (", 1)[0] for item in evidence.split("; ") if item and not item.endswith("+0.00)")]


@pytest.mark.parametrize("text, label, cues", [
    ("China firmly opposes the unilateral sanctions.", "negative", ["opposes", "unilateral", "sanctions"]),
    ("We demand that the U.S. side stop making irresponsible remarks.", "negative",
     ["We demand", "stop", "irresponsible"]),
    ("The two countries will deepen their strategic partnership and mutual trust.", "positive",
     ["deepen", "strategic partnership", "mutual trust"]),
    ("The ministers thanked each other for the win-win cooperation.", "positive", ["thanked", "win-win", "cooperation"]),
    ("The ambassador warned of provocations and interference in internal affairs.", "negative",
     ["warned", "provocations", "interference"]),
])
def test_cues_decide_the_tone(text, label, cues):
    got, score, evidence = tone(text)
    assert got == label
    assert all(cue in counted(evidence) for cue in cues), evidence


def test_what_a_demand_asks_for_is_not_cooperation():
    text = "We demand that the U.S. side respect the facts, honour its commitments and stop interfering."
    assert vader_analyzer().polarity_scores(text)["compound"] > 0.05  # VADER: positive
    label, _, evidence = tone(text)
    assert label == "negative"
    assert "respect (demanded cooperation +0.00)" in evidence and "honour" not in evidence


@pytest.mark.parametrize("text", [
    "Foreign Minister Wang Yi held telephone talks with his Russian counterpart on Tuesday.",
    "By Jane Doe, Reuters",
    "The United Nations military observers arrived late at the common border.",
    "Leaders will meet at the Shanghai Cooperation Organisation summit in June.",
    "The party's own firm said the figures were published on Friday.",
])
def test_facts_procedure_and_domain_words_are_neutral(text):
    label, score, evidence = tone(text)
    assert (label, score) == ("neutral", 0)
    # "firm", "late", "foreign", "military", "common", "own", "party", "united" never count.
    assert not re.search(r"\b(?:firm|late|Foreign|military|common|own|party|United)\b \(", evidence)


def test_negation_flips_cooperation_but_not_conflict():
    assert tone("Japan did not support the plan.")[:2] == ("negative", -1.0)
    label, _, evidence = tone("You cannot veto the truth.")
    assert label == "negative" and "veto (conflict -1.00)" in evidence
    assert "nothing" in load_tone_lexicon().negations


def test_conditions_concessions_and_resolutions():
    # The condition's "peace" does not count; the demand in the main clause does.
    label, _, evidence = tone("If the United States cares about peace, it should stop arming the island.")
    assert label == "negative" and "peace (conditional cooperation +0.00)" in evidence
    assert tone("Trade grew despite the sanctions.")[0] == "neutral"
    label, _, evidence = tone("He called for a political settlement of the conflict.")
    assert label == "positive" and "conflict (resolved conflict +0.00)" in evidence


def test_score_is_the_sum_of_the_evidence(seed_sentences):
    table = score_sentences(seed_sentences)
    for row in table.itertuples():
        weights = [float(w) for w in re.findall(r" ([+-]\d+\.\d\d)\)", row.tone_evidence)]
        assert row.tone_score == pytest.approx(sum(weights), abs=0.01)
    by_id = table.set_index("sentence_id")
    # The seed: the readouts of praise are positive, the invasion negative, the schedule neutral.
    assert by_id.tone[[2, 3, 4, 5, 6]].tolist() == ["positive"] * 5
    assert by_id.tone[11] == "negative" and "invaded (conflict -1.00)" in by_id.tone_evidence[11]
    assert by_id.tone[[1, 7, 9, 10, 12, 13, 14]].tolist() == ["neutral"] * 7
    # "the upcoming Russian ambassador" (the outgoing one) is no hedge.
    assert "upcoming" not in by_id.tone_evidence[3] and "upcoming (hedging" in by_id.tone_evidence[12]


def test_bad_tone_lexicon(tmp_path):
    path = tmp_path / "tone.yml"
    path.write_text("cues:\n  a: {weight: 1, phrases: [good]}\nnegations: [no]\n")
    with pytest.raises(InputError, match="quote yes, no, true"):
        load_tone_lexicon(path)
    path.write_text("threshold: 1\n")
    with pytest.raises(InputError, match="needs 'cues'"):
        load_tone_lexicon(path)
    with pytest.raises(InputError, match="cannot read"):
        load_tone_lexicon(tmp_path / "missing.yml")


def test_no_cue_inside_a_named_entity_of_the_parse():
    from diplotext.parse import parse

    raw = "Peace Corps volunteers arrived in Lima on Monday."
    assert score_sentences(segment(raw)).tone[0] == "positive"  # without the parse, "Peace" is a cue
    row = score_sentences(segment(raw), doc=parse(raw)).iloc[0]
    assert (row.tone, row.tone_score) == ("neutral", 0.0)
    assert "Peace (name cooperation +0.00)" in row.tone_evidence
