"""Voices from the quotes table: a speaker's side from the register or the entity's CAMEO code."""

import pandas as pd

from diplotext.report.sentiment import tone_by_voice
from diplotext.voice import side_of, voices_from_quotes


def test_voices_from_a_quotes_table_built_by_hand():
    quotes = pd.DataFrame({
        "sentence_id": [1, 2, 4, 5],
        "speaker_entity_id": ["mfa_china", "", "kremlin", "unlinked-bloomberg"],
        "speaker": ["Chinese Foreign Ministry", "Maria Zakharova", "the Kremlin", "Bloomberg"],
        "cue": ["said", "told reporters", "according to", "reported"],
        "kind": ["indirect", "direct", "according_to", "indirect"],
    })
    entities = pd.DataFrame({"entity_id": ["mfa_china", "maria_zakharova", "kremlin"],
                             "cameo": ["CHNGOV", "RUSGOV", "RUSGOV"]})
    # The quotes table names Zakharova without an id; the sentence's mentions link her.
    mentions = pd.DataFrame({"sentence_id": [2], "entity_id": ["maria_zakharova"], "canonical": ["Maria Zakharova"]})
    voices = voices_from_quotes([1, 2, 3, 4, 5], quotes, entities, mentions).set_index("sentence_id")
    assert voices.voice.tolist() == ["chinese_side", "russian_side", "narrator", "russian_side", "other_source"]
    assert voices.loc[2, ["voice_source", "voice_cue", "voice_how"]].tolist() == ["maria_zakharova", "told reporters", "direct"]
    assert voices.loc[3, "voice_how"] == "none"


def test_side_from_cameo_codes():
    assert side_of("bloomberg", None, {"bloomberg": "western_media"}) == "western_media"
    assert side_of("bbc", "GBRMED", {}) == "western_media"
    assert side_of("xinhua_x", "CHNMED", {}) == "chinese_side"
    assert side_of("japan", "JPNGOV", {}) == "other_source"
    assert side_of(None, None, {}) == "other_source"


def test_tone_by_voice_counts_every_label():
    scores = pd.DataFrame({"sentence_id": [1, 2, 3], "tone": ["positive", "negative", "positive"],
                           "tone_score": [2.0, -1.0, 1.0], "voice": ["narrator"] * 3})
    voices = pd.DataFrame({"sentence_id": [1, 2, 3], "voice": ["chinese_side", "chinese_side", "narrator"]})
    table = tone_by_voice(scores, voices).set_index("voice")
    assert table.loc["chinese_side", ["sentences", "positive", "neutral", "negative"]].tolist() == [2, 1, 0, 1]
    assert table.loc["chinese_side", "mean_tone_score"] == 0.5
    assert table.index.tolist() == ["chinese_side", "narrator"]
