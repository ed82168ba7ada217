"""Sentiment stage: the seed's scores are the lexicons' own, its markers and voices as a reader finds them."""

import math

import pytest
from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from diplotext import InputError, segment
from diplotext.tables import SENTIMENT_COLUMNS
from diplotext.evaluation import (
    LABELS,
    accuracy,
    agreement_table,
    cohen_kappa,
    compare_labels,
    confusion_matrix,
    load_annotations,
)
from diplotext.explain import explain_sentence, explain_vader, scored_words, vader_valences
from diplotext.report.sentiment import (
    describe_disagreements,
    highlight_spans,
    judge_markers,
    lucky_agreements,
    verdict_counts,
)
from diplotext.sentiment import (
    COLUMNS,
    TEXTBLOB_CUTOFF,
    VADER_CUTOFF,
    find_markers,
    label_score,
    load_register,
    score_paragraphs,
    score_sentences,
    vader_analyzer,
)
from diplotext.voice import attribute_voice


@pytest.fixture(scope="module")
def scores(seed_sentences):
    return score_sentences(seed_sentences).set_index("sentence_id", drop=False)


@pytest.fixture(scope="module")
def markers(seed, seed_sentences):
    return find_markers(seed.raw, seed_sentences)


def test_scores_are_exactly_what_textblob_and_vader_return(seed_sentences, scores):
    assert list(scores.columns[: len(SENTIMENT_COLUMNS)]) == SENTIMENT_COLUMNS
    assert list(scores.columns) == COLUMNS
    assert scores.sentence_id.tolist() == list(range(1, 15))
    vader = SentimentIntensityAnalyzer()
    for row in seed_sentences.itertuples():
        blob = TextBlob(row.text).sentiment
        assert scores.textblob_polarity[row.sentence_id] == blob.polarity
        assert scores.textblob_subjectivity[row.sentence_id] == blob.subjectivity
        assert scores.vader_compound[row.sentence_id] == vader.polarity_scores(row.text)["compound"]


def test_signs_a_reader_can_check(scores):
    # The aspiration quote and the two readouts of praise are positive for both lexicons.
    for sentence_id in (2, 5, 6):
        assert scores.textblob_polarity[sentence_id] > 0 and scores.vader_compound[sentence_id] > 0
    # "firmly support each other": TextBlob reads "firmly" and "other" as negative, VADER "support" as positive.
    assert scores.textblob_polarity[4] < 0 < scores.vader_compound[4]
    # "broke out of the crown disease" is a mistranslation VADER reads as negative.
    assert scores.vader_compound[9] < 0
    # The invasion of Ukraine is named without a single word either lexicon scores.
    assert scores.vader_compound[11] == 0
    assert scores.vader_label[11] == "neutral" and scores.textblob_label[11] == "neutral"


def test_labels_follow_the_fixed_cutoffs(scores):
    assert (TEXTBLOB_CUTOFF, VADER_CUTOFF) == (0.1, 0.05)
    assert label_score(0.05, VADER_CUTOFF) == "positive"
    assert label_score(0.0499, VADER_CUTOFF) == "neutral"
    assert label_score(-0.1, TEXTBLOB_CUTOFF) == "negative"
    for row in scores.itertuples():
        assert row.textblob_label == label_score(row.textblob_polarity, TEXTBLOB_CUTOFF)
        assert row.vader_label == label_score(row.vader_compound, VADER_CUTOFF)
    # Sentence 4's -0.07 lies inside TextBlob's neutral band.
    assert scores.textblob_label[4] == "neutral"


def test_markers_of_the_seed(seed, markers, scores):
    for row in markers.itertuples():
        assert seed.raw[row.start : row.end] == row.phrase
    found = {(r.sentence_id, r.phrase): r.category for r in markers.itertuples()}
    assert found[(4, "firmly support each other")] == "solidarity"
    assert found[(4, "work closely")] == "solidarity"
    assert found[(4, "core interests")] == "commitment"
    assert found[(6, "unprecedented high level")] == "positive_evaluation"
    assert found[(3, "correct track")] == "positive_evaluation"
    assert found[(2, "more fair and reasonable")] == "aspiration"
    assert found[(5, "high -level")] == "positive_evaluation"  # the translation's spaced hyphen
    assert found[(11, "invaded")] == "conflict"
    # "high level" inside "unprecedented high level" is not counted twice.
    assert markers[markers.sentence_id == 6].phrase.tolist() == ["significant results", "unprecedented high level", "new era"]
    assert "solidarity" in scores.markers[4].split(";")
    assert "firmly support each other" in scores.marker_phrases[4].split(";")
    assert scores.markers[8] == "" and scores.marker_phrases[8] == ""


def test_general_lexicons_miss_or_invert_the_register(markers):
    judged = judge_markers(markers).set_index("phrase")
    firmly = judged.loc["firmly support each other"]
    assert firmly.textblob_polarity < 0 and firmly.textblob_verdict == "inverts"
    assert firmly.vader_verdict == "agrees"
    closely = judged.loc["work closely"]
    assert (closely.textblob_verdict, closely.vader_verdict) == ("misses", "misses")
    assert judged.loc["unprecedented high level"].vader_verdict == "misses"
    assert judged.loc["invaded"].textblob_verdict == "misses"
    # Every marker has exactly one verdict per lexicon: the counts the chapter quotes add up.
    counts = verdict_counts(judged)
    assert (counts.sum() == len(judged)).all()
    assert counts.loc["inverts", "textblob"] == (judged.textblob_verdict == "inverts").sum() >= 1


def test_voices_of_the_seed(scores):
    voice = scores.set_index("sentence_id")
    assert voice.loc[12, ["voice", "voice_source", "voice_how"]].tolist() == ["western_media", "bloomberg", "cue"]
    assert voice.voice_cue[12] == "According to Bloomberg"
    # TASS ("Tus News") relays the ambassador ("Jenisov"): Russian side, both in the chain.
    assert voice.voice[6] == "russian_side"
    assert voice.voice_source[6] == "tass;andrey_denisov"
    assert voice.loc[3, ["voice", "voice_source"]].tolist() == ["chinese_side", "xinhua"]
    assert voice.loc[5, ["voice", "voice_source"]].tolist() == ["chinese_side", "yang_jiechi"]  # "Yang Jiezheng also said"
    assert voice.loc[8, ["voice", "voice_source"]].tolist() == ["chinese_side", "mfa_china"]
    # Sentence 4 continues Xinhua's readout; the lead quote repeats Yang's words in sentence 5.
    assert voice.loc[4, ["voice_how", "voice_from"]].tolist() == ["carried", 3]
    assert voice.loc[2, ["voice", "voice_how", "voice_from"]].tolist() == ["chinese_side", "echo", 5]
    assert voice.loc[[13, 14], "voice"].tolist() == ["western_media"] * 2
    assert voice.loc[[1, 7, 10, 11], "voice"].tolist() == ["narrator"] * 4
    # "This is the first time ..." after the ministry's announcement is the outlet's gloss.
    assert voice.loc[9, ["voice", "voice_how"]].tolist() == ["narrator", "none"]


def test_voice_chain_keeps_the_speaker_and_the_relay():
    sentences = segment("Xinhua reported that Putin said the talks were useful.\n\nNo cue here.")
    voices = attribute_voice(sentences).set_index("sentence_id")
    assert voices.loc[1, ["voice", "voice_source"]].tolist() == ["russian_side", "xinhua;vladimir_putin"]
    assert voices.loc[2, "voice"] == "narrator"  # another paragraph: nothing is carried over


def test_explain_sentence_shows_the_words_negation_and_intensifiers(seed_sentences):
    text = seed_sentences.set_index("sentence_id").text[4]
    words = explain_sentence(text)
    firmly = words[words.words == "firmly"].iloc[0]
    assert (firmly.polarity, text[firmly.start : firmly.end]) == (-0.2, "firmly")
    # TextBlob's polarity is the mean over the words it assessed.
    assert math.isclose(words.polarity.mean(), TextBlob(text).sentiment.polarity)
    negated = explain_sentence("The talks were not very good.").iloc[0]
    assert negated.words == "not very good" and negated.modifiers == "negation;intensifier"
    assert negated.polarity < 0 < TextBlob("good").sentiment.polarity


def test_vader_explanation_reproduces_the_compound(seed_sentences):
    analyzer = vader_analyzer()
    for text in seed_sentences.text:
        assert analyzer.score_valence(vader_valences(text), text.strip())["compound"] == analyzer.polarity_scores(text)["compound"]
    first = explain_vader(seed_sentences.text[0])
    assert first.words.tolist() == ["Comprehensive"]  # the dateline's "Comprehensive News" is the only scored word
    negated = explain_vader("The talks were not good.").set_index("words")
    assert negated.role["not"] == "negation" and negated.valence["good"] < 0 < negated.lexicon_valence["good"]


def test_scored_words_and_highlight_spans_point_into_the_raw_text(seed, seed_sentences, markers):
    words = scored_words(seed_sentences)
    for row in words.dropna(subset=["start"]).itertuples():
        assert seed.raw[row.start : row.end].lower().startswith(row.words.split()[0].lower())
    assert set(words.tool) == {"textblob", "vader"}
    spans = highlight_spans(words, markers)
    fair = [s for s in spans if seed.raw[s[0] : s[1]] == "fair" and s[0] < 230]
    assert fair and "TextBlob +0.700" in fair[0][3] and "VADER" in fair[0][3]
    assert any(seed.raw[s[0] : s[1]] == "work closely" and s[2] == "marker" for s in spans)


def test_paragraph_scores(seed, seed_sentences):
    paragraphs = score_paragraphs(seed_sentences, seed.raw).set_index("paragraph_id")
    assert len(paragraphs) == 8
    text = seed.raw[seed_sentences.start[seed_sentences.paragraph_id == 2].min() : seed_sentences.end[seed_sentences.paragraph_id == 2].max()]
    assert paragraphs.textblob_polarity[2] == TextBlob(text).sentiment.polarity
    assert paragraphs.sentences[8] == "12,13,14"


def test_agreement_with_the_hand_labels(scores):
    annotations = load_annotations()
    assert annotations.sentence_id.tolist() == list(range(1, 15))
    assert set(annotations.label) <= set(LABELS)
    comparison = compare_labels(scores.reset_index(drop=True), annotations)
    table = agreement_table(comparison.hand_label, {tool: comparison[column] for tool, column in
                                                    (("tone", "tone"), ("textblob", "textblob_label"), ("vader", "vader_label"))})
    table = table.set_index("labeller")
    for tool, column in (("tone", "tone"), ("textblob", "textblob_label"), ("vader", "vader_label")):
        matrix = confusion_matrix(comparison.hand_label, comparison[column])
        assert matrix.to_numpy().sum() == 14
        assert table.accuracy[tool] == pytest.approx(comparison[f"{tool}_agrees"].mean())
        assert table.accuracy[tool] == pytest.approx(sum(matrix.loc[label, label] for label in LABELS) / 14)
        assert table.accuracy_low[tool] <= table.accuracy[tool] <= table.accuracy_high[tool]
    # Five sentences are labelled positive, one negative, eight neutral: always "neutral" gets 8.
    assert table.loc["majority (neutral)", "agreements"] == 8
    # The tone reads the invasion of sentence 11 as negative, which neither lexicon does.
    assert comparison.set_index("sentence_id").tone[11] == "negative"
    # Every sentence a reader labels positive carries a word VADER scores positive.
    positive = comparison[comparison.hand_label == "positive"]
    assert (positive.vader_label == "positive").all()


def test_disagreements_are_explained_from_the_data(seed, seed_sentences, scores, markers):
    comparison = compare_labels(scores.reset_index(drop=True), load_annotations())
    words = scored_words(seed_sentences)
    text = describe_disagreements(comparison, words, markers)
    items = {int(line.split("**Sentence ")[1].split("**")[0]): line for line in text.splitlines()}
    agree = comparison.textblob_agrees & comparison.vader_agrees & comparison.tone_agrees
    assert set(items) == set(comparison.sentence_id[~agree])
    # The tone's own cues are listed: sentence 11 is negative through "invaded".
    assert "Tone -1.00 → negative (*invaded* -1.00): agrees" in items[11]
    assert "*firmly* -0.20" in items[4] and "solidarity “firmly support each other”" in items[4]
    assert "conflict “invaded”" in items[11]
    # VADER gets sentence 3 right only through "determined", a word outside every marker.
    lucky = lucky_agreements(comparison, words, markers)
    assert lucky[["sentence_id", "tool"]].values.tolist() == [[3, "vader"]]
    assert lucky.words[0].startswith("determined")


def test_kappa_accuracy_and_confusion_on_a_small_example():
    gold = ["positive", "positive", "negative", "negative"]
    predicted = ["positive", "negative", "negative", "negative"]
    assert accuracy(gold, predicted) == 0.75
    # observed 0.75, chance (2*1 + 2*3) / 16 = 0.5, so kappa = 0.5
    assert cohen_kappa(gold, predicted) == pytest.approx(0.5)
    matrix = confusion_matrix(gold, predicted)
    assert matrix.loc["positive", "negative"] == 1 and matrix.loc["neutral"].sum() == 0
    assert math.isnan(cohen_kappa(["neutral"] * 3, ["neutral"] * 3))
    with pytest.raises(InputError, match="2 hand labels but 1"):
        accuracy(["neutral", "neutral"], ["neutral"])
    with pytest.raises(InputError, match="no labels"):
        cohen_kappa([], [])


def test_an_article_where_nothing_scores():
    raw = "The delegation arrives on Tuesday.\n\nThe meeting is in room 4."
    sentences = segment(raw)
    table = score_sentences(sentences)
    assert (table[["textblob_polarity", "vader_compound"]] == 0).all().all()
    assert (table.markers == "").all() and (table.voice == "narrator").all()
    assert (table.textblob_label == "neutral").all()
    words, markers = scored_words(sentences), find_markers(raw, sentences)
    assert len(words) == 0 and len(markers) == 0
    assert highlight_spans(words, markers) == []
    assert judge_markers(markers).empty
    assert len(score_paragraphs(sentences)) == 2
    assert score_sentences(sentences.iloc[0:0]).columns.tolist() == COLUMNS


def test_bad_input_raises_input_error(tmp_path, seed_sentences):
    with pytest.raises(InputError, match="expected a table"):
        score_sentences("The two sides firmly support each other.")
    with pytest.raises(InputError, match="lacks the columns"):
        score_sentences(seed_sentences.drop(columns=["text"]))
    with pytest.raises(InputError, match="sentence 1 occurs more than once"):
        score_sentences(seed_sentences.assign(sentence_id=1))
    bad = tmp_path / "lexicon.yml"
    bad.write_text("markers:\n  - {phrase: x, category: nonsense}\nsources: {}\ncategories: {}\n")
    with pytest.raises(InputError, match="needs a phrase"):
        load_register(bad)
    labels = tmp_path / "labels.csv"
    labels.write_text("sentence_id,label,rationale\n1,happy,x\n")
    with pytest.raises(InputError, match="unknown labels"):
        load_annotations(labels)
    with pytest.raises(InputError, match="another article"):
        compare_labels(score_sentences(seed_sentences.head(3)), load_annotations())


def test_resources_are_built_once():
    assert vader_analyzer() is vader_analyzer()
    assert load_register() is load_register()


def test_letters_that_fold_apart_from_lower_case_are_all_listed():
    """The word pre-checks use ``str.lower``; these are the only letters where IGNORECASE disagrees."""
    import re
    import string
    import sys

    from diplotext.sentiment import FOLDS_APART

    letter = re.compile("[a-z]", re.IGNORECASE)
    apart = {chr(c) for c in range(128, sys.maxunicode + 1)
             if letter.fullmatch(chr(c)) and chr(c).lower() not in string.ascii_lowercase}
    assert apart == set(FOLDS_APART)


@pytest.mark.parametrize("text", [
    "China and Russia firmly support each other and are willing to safeguard common interests.",
    "FIRMLY SUPPORT EACH OTHER; Mutually-Support; high -level; multipolarity; the Two Sides",
    "Cold war mentality, hegemonism and bloc confrontation; invasion; sanctions.",
    "Sanctıons and ſanctions; frıendly; \u0130nvasion; expected to; fair and reasonable",
    "They cooperated closely on a shared interest at highest-level talks on the right track; Multi-polarity, "
    "a just and equitable order, remarkable results, strategic mutual trust, mutually support; cold war mentality.",
    "Nothing of the register here at all.",
])
def test_marker_word_checks_change_no_match(seed_sentences, text):
    """Markers are looked for only in sentences where the joint pattern matches: the matches are
    those of every pattern run on every sentence."""
    from diplotext.sentiment import _match_markers, load_register

    register = load_register()

    def every_pattern(sentence):
        found = sorted(((m.start(), m.end(), i) for i, p in enumerate(register.patterns) for m in p.finditer(sentence)),
                       key=lambda f: (f[0], -f[1], f[2]))
        kept, reach = [], -1
        for start, end, i in found:
            if start >= reach:
                kept.append((start, end, i))
                reach = end
        return kept

    for sentence in [text, *seed_sentences.text]:
        assert _match_markers(sentence, register) == every_pattern(sentence), sentence
    assert bool(every_pattern(text)) == (not text.startswith("Nothing"))
