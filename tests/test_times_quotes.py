"""Times and quotes stages on small texts written for the tests."""

import datetime as dt

from diplotext.parse import parse
from diplotext.pipeline import analyze_columns
from diplotext.quotes import quote_columns
from diplotext.segment import sentence_columns
from diplotext.times import dateline_date, find_times, time_columns

FRIDAY = dt.date(2024, 3, 15)  # a Friday


def times(text, date=FRIDAY):
    sentences = sentence_columns(text)
    columns = time_columns(text, sentences, find_times(text, date, parse(text)), date)
    return {t: (v, s, e) for t, v, s, e in zip(columns["text"], columns["timex_value"], columns["start_date"],
                                               columns["end_date"])}


def test_weekday_follows_the_tense_of_its_verb():
    found = times("The minister arrived on Tuesday. She will leave for Rome on Wednesday.")
    assert found["Tuesday"][1] == "2024-03-12"  # past: the Tuesday before
    assert found["Wednesday"][1] == "2024-03-20"  # future: the next Wednesday
    assert times("The envoy said Friday that talks failed.")["Friday"][1] == "2024-03-15"  # the day itself


def test_weeks_decades_durations_and_vague_references():
    found = times("Officials met earlier this week and will meet again next week. Ties have been tense since "
                  "the late 1960s. The two-day visit follows more than two years of silence. He recently spoke.")
    assert found["earlier this week"][1:] == ("2024-03-11", "2024-03-14")
    assert found["next week"] == ("2024-W12", "2024-03-18", "2024-03-24")
    assert found["the late 1960s"][1:] == ("1967-01-01", "1969-12-31")
    assert found["two-day"] == ("P2D", "", "")
    assert found["more than two years"] == ("P2Y", "", "")
    assert found["recently"] == ("PAST_REF", "", "")


def test_that_day_takes_the_date_before_it():
    found = times("The ministers met on March 3. On that day, a deal was signed.")
    assert found["On that day"][1] == "2024-03-03"


def test_dateline_sets_a_missing_document_date(tmp_path):
    text = "HANOI, Dec. 6, 2023 (Wire) -- The talks ended on Tuesday, officials said."
    assert dateline_date(text) == dt.date(2023, 12, 6)
    path = tmp_path / "wire.txt"
    path.write_text(text, encoding="utf-8")
    tables = analyze_columns(path)
    row = tables["times"]["text"].index("Tuesday")
    assert tables["times"]["start_date"][row] == "2023-12-05"
    assert "dateline" in tables["times"]["anchor"][row]


def quotes(text, mentions=None):
    columns = quote_columns(sentence_columns(text), mentions, parse(text))
    return list(zip(columns["sentence_id"], columns["speaker"], columns["kind"]))


def test_a_quotation_over_three_sentences_then_narration():
    text = ('Foreign Minister Maria Lindqvist spoke in Oslo on Monday. She said: "We want peace. '
            'We want trade. We want our neighbours safe." The weather was cold. Lindqvist later left the city.')
    found = quotes(text)
    assert [(s, who) for s, who, _ in found] == [(2, "Maria Lindqvist"), (3, "Maria Lindqvist"), (4, "Maria Lindqvist")]
    assert [kind for *_, kind in found] == ["direct", "continued", "continued"]


def test_according_to_and_anonymous_sources():
    text = ("According to Ambassador Peter Holm, the deal is close. Officials said the talks would resume. "
            "Holm added that both sides agreed.")
    found = quotes(text)
    assert found == [(1, "Peter Holm", "according_to"), (3, "Peter Holm", "indirect")]


def test_a_new_speaker_is_not_carried_over():
    text = ('"We will not yield," Prime Minister Anna Berg said. Trade Minister Jonas Falk said the talks were useful.')
    assert [who for _, who, _ in quotes(text)] == ["Anna Berg", "Jonas Falk"]


def test_events_from_the_parse_with_cameo_class_goldstein_and_mood():
    from diplotext.chronology import build_chronology
    from diplotext.entities import find_mentions
    from diplotext.segment import segment

    text = ("On 3 May 2021, Russian President Vladimir Putin met Xi Jinping in Moscow. "
            "On 4 May 2021, Russia did not sign the treaty. On 6 May 2021, Russia invaded Ukraine.")
    sentences = segment(text)
    mentions = find_mentions(text, sentences, published=FRIDAY)
    events = build_chronology(text, sentences, FRIDAY, mentions, doc=parse(text), facts=[]).set_index("action")
    assert events.loc["meet", ["actor", "target", "cameo", "quad_class", "goldstein", "mood"]].tolist() == [
        "vladimir_putin", "xi_jinping", "040", "verbal cooperation", 1.0, "reported"]
    assert events.loc["sign", "mood"] == "denied"
    assert events.loc["invade", ["actor", "target", "quad_class", "goldstein"]].tolist() == [
        "russia", "ukraine", "material conflict", -10.0]


def test_repeated_events_are_merged_and_say_where_from():
    from diplotext.chronology import build_chronology
    from diplotext.segment import segment

    text = "Xi Jinping met Vladimir Putin on 15 September 2022. On 15 September 2022, Xi Jinping met Vladimir Putin."
    events = build_chronology(text, segment(text), FRIDAY, doc=parse(text), facts=[])
    assert len(events) == 1 and events.also_in.iloc[0] == "2: On 15 September 2022"


def test_parts_of_days_are_times():
    found = times("The talks ended on Tuesday evening. Shelling went on overnight.")
    assert found["Tuesday evening"] == ("2024-03-12TEV", "2024-03-12", "2024-03-12")
    assert found["overnight"][0] == "2024-03-15TNI"


def test_seed_speakers(seed):
    from diplotext.pipeline import analyze_columns

    quotes = analyze_columns(seed)["quotes"]
    rows = set(zip(quotes["sentence_id"], quotes["speaker_entity_id"], quotes["kind"]))
    assert {(3, "xinhua", "according_to"), (5, "yang_jiechi", "indirect"), (8, "mfa_china", "indirect"),
            (12, "bloomberg", "according_to")} <= rows
    assert not {sentence for sentence, *_ in rows} & {4, 7, 9, 10, 11, 13, 14}  # narration: no speaker


def test_a_surname_is_the_person_this_article_named():
    text = "Chinese diplomat Yang Tao met reporters on Monday. Yang said the talks went well."
    assert quotes(text) == [(2, "Yang Tao", "indirect")]


def test_cameo_verbs_regenerate_from_the_dictionary():
    """src/diplotext/data/cameo/cameo_verbs.tsv is what tools/build_cameo.py makes of PETRARCH2's CAMEO.2.0.txt."""
    import importlib.util
    import os
    from pathlib import Path

    import pytest

    from diplotext.cameo import CAMEO_DIR, goldstein, quad_class, verb_code

    assert (verb_code("meet"), verb_code("visit"), verb_code("host")) == ("040", "042", "043")
    assert (goldstein("190"), quad_class("190"), goldstein("057"), quad_class("057")) == (
        -10.0, "material conflict", 8.0, "verbal cooperation")
    # The original dictionary is not part of the project: PETRARCH2_DICTIONARIES names its folder.
    repo = Path(__file__).resolve().parents[1]
    folder = os.environ.get("PETRARCH2_DICTIONARIES")
    source = Path(folder) / "CAMEO.2.0.txt" if folder else None
    if source is None or not source.exists():
        pytest.skip("set PETRARCH2_DICTIONARIES to the original dictionaries' folder")
    spec = importlib.util.spec_from_file_location("build_cameo", repo / "tools" / "build_cameo.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    verbs = build.build(source)
    committed = (CAMEO_DIR / "cameo_verbs.tsv").read_text(encoding="utf-8").splitlines()[1:]
    assert committed == [f"{v}\t{c}" for v, c in sorted(verbs.items())]


def test_a_president_named_after_his_country_is_the_president_who_speaks():
    # "President of Ukraine Olena Marchenko": the model may tag "Ukraine Olena Marchenko" as one
    # place; the name after the country is the person, so "The President" is she, not the other
    # leader named last, and "the parties" are both leaders.
    from pathlib import Path

    from diplotext.corpus import Article

    text = ("President of Ukraine Olena Marchenko had a phone conversation with Prime Minister of Japan Taro Sato. "
            "The President thanked Taro Sato for Japan's support. "
            "The parties noted the growth of trade between the two countries.")
    tables = analyze_columns(Article("call", Path("call.txt"), text, {"published": "2024-03-15"}))
    mentions = set(zip(tables["mentions"]["surface"], tables["mentions"]["type"]))
    assert {("Ukraine", "GPE"), ("Olena Marchenko", "PERSON")} <= mentions
    quotes = tables["quotes"]
    rows = sorted(zip(quotes["sentence_id"], quotes["speaker"]))
    assert rows == [(2, "Olena Marchenko"), (3, "Olena Marchenko"), (3, "Taro Sato")]


def test_the_president_is_not_the_prime_minister():
    # No president is named: "The President" is left unnamed rather than given to the Prime
    # Minister; a title that is not an office ("the diplomat") goes to the person named before.
    assert quotes("Prime Minister Taro Sato met reporters in Tokyo. The President said the talks went well.") == []
    assert quotes("Foreign Ministry spokeswoman Lin Wen spoke on Monday. The diplomat stressed that talks went "
                  "well.") == [(2, "Lin Wen", "indirect")]


def test_a_headline_quotation_is_the_words_of_the_speaker_who_repeats_them():
    text = ('"Keep the northern border open to trade."\n\nForeign Minister Maria Lindqvist said on Monday that '
            'both countries should keep the northern border open to trade. "We will talk again soon." '
            'The weather was cold.')
    assert quotes(text) == [(1, "Maria Lindqvist", "direct"), (2, "Maria Lindqvist", "indirect")]


def test_words_cited_with_a_that_clause_name_their_speaker_without_taking_over():
    text = ('"We oppose these sanctions," spokeswoman Lin Wen said, commenting on the words of the national '
            "security adviser Jake Sullivan that new sanctions are coming. The diplomat stressed that trade "
            "would go on. The words of the anthem were sung.")
    assert quotes(text) == [(1, "Lin Wen", "direct"), (1, "Jake Sullivan", "indirect"), (2, "Lin Wen", "indirect")]


def test_a_name_right_before_said_is_the_speaker_when_the_parse_gives_no_subject():
    # The parser hangs "Viktor Koronelli" on "Ambassador to Havana" and leaves "said" without a
    # subject; the person named right before the verb still says it.
    from pathlib import Path

    from diplotext.corpus import Article

    text = ("The invitation to join the bloc as a partner country highlights its prestigious role in the Global "
            "South, Russian Ambassador to Havana Viktor Koronelli said.")
    quotes = analyze_columns(Article("envoy", Path("envoy.txt"), text, {"published": "2024-12-26"}))["quotes"]
    assert list(zip(quotes["sentence_id"], quotes["speaker"], quotes["cue"])) == [(1, "Viktor Koronelli", "said")]
