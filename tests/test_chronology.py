"""Chronology: the seed's time expressions and events, non-dates, and small texts with absolute dates."""

import datetime as dt

import pandas as pd
import pytest

from diplotext import InputError, segment
from diplotext.chronology import (
    COLUMNS,
    build_chronology,
    compare_with_record,
    find_timexes,
    load_outside_facts,
)
from diplotext.report.chronology import plot_timeline
from diplotext.tables import CHRONOLOGY_COLUMNS, MENTION_COLUMNS

SEED_DATE = dt.date(2022, 9, 14)

# The seed's expressions: text, sentence, value, mod, start, end (with the document date 2022-09-14).
SEED_TIMEXES = [
    ("this week", 1, "2022-W37", "", "2022-09-12", "2022-09-18"),
    ("during the year", 1, "2022", "", "2022-01-01", "2022-12-31"),
    ("on the 12th", 3, "2022-09-12", "", "2022-09-12", "2022-09-12"),
    ("today", 7, "2022-09-14", "", "2022-09-14", "2022-09-14"),
    ("On the day of Yang Jieye's meeting with Jenisov", 8, "XXXX-XX-XX", "", "", ""),
    ("from September 14th to 16th", 8, "2022-09-14/2022-09-16", "", "2022-09-14", "2022-09-16"),
    ("in late February", 11, "2022-02", "END", "2022-02-21", "2022-02-28"),
    ("in recent weeks", 12, "PAST_REF", "", "", ""),
    ("on the 7th", 13, "2022-09-07", "", "2022-09-07", "2022-09-07"),
    ("annual", 14, "P1Y", "", "", ""),  # "joint annual military exercise": a SET, every year
    ("in early September", 14, "2022-09", "START", "2022-09-01", "2022-09-10"),
]

# Without a document date the same expressions stay underspecified.
SEED_UNANCHORED = {
    "this week": "XXXX-WXX",
    "during the year": "XXXX",
    "on the 12th": "XXXX-XX-12",
    "today": "XXXX-XX-XX",
    "from September 14th to 16th": "XXXX-09-14/XXXX-09-16",
    "in late February": "XXXX-02",
    "on the 7th": "XXXX-XX-07",
    "in early September": "XXXX-09",
    "in recent weeks": "PAST_REF",
}

# Texts written for the tests: expression, value, start, end with document date 2022-09-14,
# and the value without one.
SYNTHETIC = [
    ("On 15 September 2022, Xi met Putin.", "On 15 September 2022", "2022-09-15", "2022-09-15", "2022-09-15", "2022-09-15"),
    ("They met on September 15, 2022 in Samarkand.", "on September 15, 2022", "2022-09-15", "2022-09-15", "2022-09-15", "2022-09-15"),
    ("He arrived on Sept. 15 by air.", "on Sept. 15", "2022-09-15", "2022-09-15", "2022-09-15", "XXXX-09-15"),
    ("The file is dated 2022-09-15.", "2022-09-15", "2022-09-15", "2022-09-15", "2022-09-15", "2022-09-15"),
    ("The letter is dated 15/09/2022.", "15/09/2022", "2022-09-15", "2022-09-15", "2022-09-15", "2022-09-15"),
    ("The US copy is dated 09/15/2022.", "09/15/2022", "2022-09-15", "2022-09-15", "2022-09-15", "2022-09-15"),
    ("On Thursday, September 15, the leaders met.", "On Thursday, September 15", "2022-09-15", "2022-09-15", "2022-09-15", "XXXX-09-15"),
    ("The summit runs September 14-16 in Samarkand.", "September 14-16", "2022-09-14/2022-09-16", "2022-09-14", "2022-09-16", "XXXX-09-14/XXXX-09-16"),
    ("The trip lasts 14 to 16 September.", "14 to 16 September", "2022-09-14/2022-09-16", "2022-09-14", "2022-09-16", "XXXX-09-14/XXXX-09-16"),
    ("The drills ran from 1 to 7 September.", "from 1 to 7 September", "2022-09-01/2022-09-07", "2022-09-01", "2022-09-07", "XXXX-09-01/XXXX-09-07"),
    ("The forum ran from 30 August to 2 September.", "from 30 August to 2 September", "2022-08-30/2022-09-02", "2022-08-30", "2022-09-02", "XXXX-08-30/XXXX-09-02"),
    ("They spoke last week.", "last week", "2022-W36", "2022-09-05", "2022-09-11", "XXXX-WXX"),
    ("They spoke yesterday.", "yesterday", "2022-09-13", "2022-09-13", "2022-09-13", "XXXX-XX-XX"),
    ("They will speak tomorrow.", "tomorrow", "2022-09-15", "2022-09-15", "2022-09-15", "XXXX-XX-XX"),
    ("They will meet next month.", "next month", "2022-10", "2022-10-01", "2022-10-31", "XXXX-XX"),
    ("It was agreed in March 2020.", "in March 2020", "2020-03", "2020-03-01", "2020-03-31", "2020-03"),
    ("Talks resume in mid-September.", "in mid-September", "2022-09", "2022-09-11", "2022-09-20", "XXXX-09"),
    ("He was there on the 31st.", "on the 31st", "2022-08-31", "2022-08-31", "2022-08-31", "XXXX-XX-31"),
]


def sentences_of(text):
    return segment(text)


def seed_mentions(raw):
    """Mentions as the entities stage gives them for the seed: (surface, occurrence, id, type)."""
    wanted = [
        ("Chinese official", 0, "xi_jinping", "PERSON"), ("Putin", 0, "vladimir_putin", "PERSON"),
        ("Yang Jiechi", 0, "yang_jiechi", "PERSON"),
        ("Russian ambassador to the Russian ambassador to China", 0, "andrey_denisov", "PERSON"),
        ("Chinese official", 1, "xi_jinping", "PERSON"), ("Putin", 1, "vladimir_putin", "PERSON"),
        ("Chinese official", 2, "xi_jinping", "PERSON"), ("Shanghe Summit", 0, "sco_summit_2022", "EVENT"),
        ("Yang Jieye", 0, "yang_jiechi", "PERSON"), ("Jenisov", 1, "andrey_denisov", "PERSON"),
        ("Chinese Ministry of Foreign Affairs", 0, "mfa_china", "ORG"),
        ("Chinese officials", 0, "xi_jinping", "PERSON"),
        ("Shanghai Cooperation Organization Summit", 0, "sco_summit_2022", "EVENT"),
        ("Samarham", 0, "samarkand", "GPE"), ("Uzbekistan", 0, "uzbekistan", "GPE"),
        ("Kazakhstan", 0, "kazakhstan", "GPE"), ("UzbekiStan", 0, "uzbekistan", "GPE"),
        ("Russia invaded", 0, "russia", "GPE"), ("Ukraine in", 0, "ukraine", "GPE"),
        ("Li Zhanshu", 0, "li_zhanshu", "PERSON"), ("National People's Congress of China", 0, "npc", "ORG"),
        ("Putin at", 0, "vladimir_putin", "PERSON"),
        ("7th Oriental Economic Forum", 0, "eastern_economic_forum_2022", "EVENT"),
        ("Vladivostok", 0, "vladivostok", "GPE"), ("Chinese and", 0, "china", "GPE"),
        ("Indian", 0, "india", "GPE"), ("Oriental-20122", 0, "vostok_2022", "EVENT"),
        ("Russia in early", 0, "russia", "GPE"),
    ]
    sentences = segment(raw)
    rows = []
    for phrase, occurrence, entity_id, kind in wanted:
        position = -1
        for _ in range(occurrence + 1):
            position = raw.index(phrase, position + 1)
        surface = phrase.split(" ")[0] if phrase.endswith((" invaded", " in", " at", " and", " in early")) else phrase
        end = position + len(surface)
        sentence_id = int(sentences[(sentences.start <= position) & (sentences.end >= end)].sentence_id.iloc[0])
        rows.append((sentence_id, position, end, surface, entity_id, entity_id.replace("_", " ").title(), kind, "exact"))
    return pd.DataFrame(rows, columns=MENTION_COLUMNS).sort_values("start").reset_index(drop=True)


@pytest.fixture(scope="module")
def seed_events(seed, seed_sentences):
    return build_chronology(seed.raw, seed_sentences, seed.published, seed_mentions(seed.raw))


# ---------------------------------------------------------------- time expressions


def test_seed_document_date_is_the_inferred_one(seed):
    assert seed.published == SEED_DATE


def test_seed_time_expressions_and_values(seed, seed_sentences):
    timexes = find_timexes(seed.raw, seed_sentences, seed.published)
    found = list(timexes[["time_text", "sentence_id", "timex_value", "timex_mod", "start_date", "end_date"]]
                 .itertuples(index=False, name=None))
    assert found == SEED_TIMEXES
    for row in timexes.itertuples():
        assert seed.raw[row.start : row.end] == row.time_text


def test_seed_rules_that_fired(seed, seed_sentences):
    rules = find_timexes(seed.raw, seed_sentences, seed.published).set_index("time_text").rule
    assert rules["on the 12th"] == "ordinal_day"
    assert rules["from September 14th to 16th"] == "range_month_day_day"
    assert rules["in late February"] == "part_of_month"
    assert rules["in recent weeks"] == "past_ref"


def test_seed_non_dates_are_not_dates(seed, seed_sentences):
    timexes = find_timexes(seed.raw, seed_sentences, seed.published)
    for phrase in ("7th Oriental Economic Forum", "Oriental-20122", "second face -to -face meeting", "first time"):
        start = seed.raw.index(phrase)
        end = start + len(phrase)
        overlapping = timexes[(timexes.start < end) & (timexes.end > start)]
        assert overlapping.empty, f"{phrase!r} was tagged as {overlapping.time_text.tolist()}"
    assert not timexes.time_text.str.contains("2012", regex=True).any()


def test_seed_without_document_date_stays_underspecified(seed, seed_sentences):
    timexes = find_timexes(seed.raw, seed_sentences, None).set_index("time_text")
    for text, value in SEED_UNANCHORED.items():
        assert timexes.loc[text, "timex_value"] == value
        assert timexes.loc[text, "start_date"] == ""
    assert timexes.loc["in late February", "timex_mod"] == "END"


@pytest.mark.parametrize("text, expression, value, start, end, unanchored", SYNTHETIC)
def test_written_texts_with_and_without_document_date(text, expression, value, start, end, unanchored):
    sentences = sentences_of(text)
    anchored = find_timexes(text, sentences, SEED_DATE)
    assert anchored.time_text.tolist() == [expression]
    assert anchored[["timex_value", "start_date", "end_date"]].iloc[0].tolist() == [value, start, end]
    bare = find_timexes(text, sentences, None)
    assert bare.timex_value.tolist() == [unanchored]
    if unanchored.startswith("X"):
        assert bare.start_date.tolist() == [""]


def test_ordinal_after_the_document_day_is_last_month():
    text = "They met on the 16th."
    assert find_timexes(text, sentences_of(text), SEED_DATE).timex_value.tolist() == ["2022-08-16"]


def test_durations_sets_and_impossible_dates():
    text = "A three-day visit. They meet annually. Nothing happened on 31 June 2022. Theresa May said so."
    timexes = find_timexes(text, sentences_of(text), SEED_DATE)
    assert timexes[["time_text", "timex_type", "timex_value"]].values.tolist() == [
        ["three-day", "DURATION", "P3D"],
        ["annually", "SET", "P1Y"],
    ]


def test_bad_input_raises_one_clear_error(seed_sentences):
    with pytest.raises(InputError, match="raw text"):
        find_timexes(None, seed_sentences, SEED_DATE)
    with pytest.raises(InputError, match="lacks the columns"):
        find_timexes("text", pd.DataFrame({"start": [0]}), SEED_DATE)
    with pytest.raises(InputError, match="invalid date"):
        find_timexes("text", seed_sentences.iloc[:0], "14/09/2022")


# ---------------------------------------------------------------- events


def event(events, **where):
    rows = events
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, f"expected one event with {where}, found {len(rows)}"
    return rows.iloc[0]


def test_chronology_columns_start_with_the_contract(seed_events):
    assert list(seed_events.columns[: len(CHRONOLOGY_COLUMNS)]) == CHRONOLOGY_COLUMNS
    assert list(seed_events.columns) == COLUMNS
    assert seed_events.event_id.is_unique
    assert set(seed_events.basis) == {"stated", "resolved", "outside"}
    dated = seed_events[seed_events.start_date != ""]
    assert dated.start_date.tolist() == sorted(dated.start_date)


def test_seed_events_from_the_text(seed_events):
    yang = event(seed_events, actor="yang_jiechi", action="meet")
    assert (yang.target, yang.start_date, yang.basis, yang.cameo, yang.sentence_id) == (
        "andrey_denisov", "2022-09-12", "resolved", "040", 3)
    assert "outgoing" not in yang.summary and "leaving" in yang.flag

    intent = event(seed_events, actor="xi_jinping", action="meet", basis="resolved")
    assert (intent.target, intent.timex_value, intent.cameo, intent.mood) == ("vladimir_putin", "2022-W37", "036", "planned")

    announce = event(seed_events, actor="mfa_china", action="announce")
    assert (announce.start_date, announce.basis, announce.sentence_id) == ("2022-09-12", "resolved", 8)

    attend = event(seed_events, actor="xi_jinping", action="attend")
    assert (attend.target, attend.place, attend.start_date, attend.end_date, attend.basis) == (
        "sco_summit_2022", "samarkand", "2022-09-14", "2022-09-16", "stated")
    assert attend.also_in == "7: today"  # the sub-heading's "today" is the same trip

    visit = event(seed_events, actor="xi_jinping", action="visit", basis="stated")
    assert (visit.target, visit.cameo) == ("kazakhstan;uzbekistan", "036")

    invasion = event(seed_events, action="invade")
    assert (invasion.actor, invasion.target, invasion.cameo, invasion.timex_mod, invasion.start_date, invasion.end_date) == (
        "russia", "ukraine", "190", "END", "2022-02-21", "2022-02-28")

    li = event(seed_events, actor="li_zhanshu")
    assert (li.target, li.place, li.start_date, li.cameo) == ("vladimir_putin", "vladivostok", "2022-09-07", "040")
    assert "Standing Committee" in li.flag

    drill = event(seed_events, action="participate")
    assert (drill.actor, drill.target, drill.place, drill.cameo, drill.timex_mod) == (
        "china;india", "vostok_2022", "russia", "062", "START")


def test_seed_events_from_outside_facts_cite_their_sources(seed_events):
    outside = seed_events[seed_events.basis == "outside"].set_index("source_key")
    assert outside.loc["kremlin2022xibeijing", "start_date"] == "2022-02-04"
    assert outside.loc["kremlin2022xibeijing", "place"] == "beijing"
    assert "Beijing" in outside.loc["kremlin2022xibeijing", "flag"]
    assert outside.loc["xinhua2020ximyanmar", ["start_date", "end_date"]].tolist() == ["2020-01-17", "2020-01-18"]
    assert outside.loc["kremlin2022xisamarkand", ["start_date", "sentence_id"]].tolist() == ["2022-09-15", 10]
    assert outside.loc["sco2022samarkand", "timex_value"] == "2022-09-15/2022-09-16"
    bib = (pytest.importorskip("pathlib").Path(__file__).parents[1] / "book" / "references.bib").read_text()
    for key in outside.index:
        assert f"{{{key}," in bib


def test_seed_without_mentions_still_dates_the_events(seed, seed_sentences):
    events = build_chronology(seed.raw, seed_sentences, seed.published)
    text_events = events[events.basis != "outside"]
    assert sorted(text_events.start_date) == sorted(
        ["2022-02-21", "2022-09-01", "2022-09-07", "2022-09-12", "2022-09-12", "2022-09-12", "2022-09-14",
         "2022-09-14", "2022-09-14"])
    assert event(events, action="invade").actor == "russia"


def test_seed_without_document_date(seed, seed_sentences):
    events = build_chronology(seed.raw, seed_sentences, None, seed_mentions(seed.raw))
    assert set(events.basis) == {"stated", "resolved"}  # outside facts need a dated article
    yang = event(events, actor="yang_jiechi")
    assert (yang.timex_value, yang.start_date) == ("XXXX-XX-12", "")
    # Undated, the sub-heading's "today" can no longer be matched to the trip: two records.
    assert event(events, action="attend", sentence_id=8).timex_value == "XXXX-09-14/XXXX-09-16"
    assert event(events, action="attend", sentence_id=7).timex_value == "XXXX-XX-XX"


def test_simple_written_text_gives_a_sensible_record():
    text = "On 15 September 2022, Xi Jinping met Vladimir Putin in Samarkand."
    for date in (SEED_DATE, None):
        record = build_chronology(text, sentences_of(text), date, facts=[]).iloc[0]
        assert (record.actor, record.action, record.target, record.place) == (
            "xi_jinping", "meet", "vladimir_putin", "samarkand")
        assert (record.start_date, record.basis, record.cameo, record.summary) == (
            "2022-09-15", "stated", "040", "Xi Jinping met Vladimir Putin in Samarkand")


def test_written_text_with_weekday_range_and_relative_dates():
    text = ("Xi Jinping will visit Kazakhstan on Wednesday, 14 September. He attended a summit in Astana "
            "last week. Russia invaded Ukraine on 24 February 2022.")
    events = build_chronology(text, sentences_of(text), SEED_DATE, facts=[])
    assert events[["action", "start_date", "end_date", "basis", "cameo"]].values.tolist() == [
        ["invade", "2022-02-24", "2022-02-24", "stated", "190"],
        ["attend", "2022-09-05", "2022-09-11", "resolved", "042"],
        ["visit", "2022-09-14", "2022-09-14", "stated", "036"],
    ]
    assert event(events, action="visit").target == "kazakhstan"


def test_text_without_events_gives_an_empty_table():
    text = "The weather was fine on 3 May 2021."
    events = build_chronology(text, sentences_of(text), SEED_DATE, facts=[])
    assert events.empty and list(events.columns) == COLUMNS


# ---------------------------------------------------------------- text against record


def test_text_against_record_flags_translation_changes(seed, seed_sentences):
    record = compare_with_record(seed.raw, seed_sentences, seed.published)
    changed = record[record.verdict == "translation changed"].set_index("text_says")
    assert changed.loc["upcoming Russian ambassador", "sentence_id"] == 3
    assert "leave office" in changed.loc["upcoming Russian ambassador", "record"]
    assert "Beijing" in changed.loc["Shanghai Winter Olympics", "record"]
    assert "Standing Committee" in changed.loc["Chairman of the National People's Congress", "record"]
    garbled = record[record.verdict == "garbled"].set_index("text_says")
    assert "Vostok-2022" in garbled.loc["Oriental-20122", "record"]
    assert record.sentence_id.is_monotonic_increasing
    assert compare_with_record(seed.raw, seed_sentences, None).empty


def test_outside_facts_file_is_complete():
    facts = load_outside_facts()
    assert {"xi_putin_beijing_2022", "russian_invasion_of_ukraine", "xi_myanmar_2020", "yang_denisov_2022",
            "eastern_economic_forum_2022", "vostok_2022", "sco_summit_2022", "xi_putin_samarkand_2022"} <= {
        f["id"] for f in facts}
    for fact in facts:
        assert fact["start_date"] <= fact["end_date"]


def test_bad_facts_file_raises(tmp_path):
    path = tmp_path / "facts.yml"
    path.write_text("facts:\n  - id: x\n    summary: y\n")
    with pytest.raises(InputError, match="lacks"):
        load_outside_facts(path)


def test_timeline_draws_every_dated_event(seed_events):
    import matplotlib

    matplotlib.use("Agg")
    fig = plot_timeline(seed_events, SEED_DATE)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == (seed_events.start_date != "").sum()
    assert labels[0].startswith("ev01") and "Myanmar" in labels[0]
    assert any("document date 2022-09-14" in t.get_text() for t in fig.legends[0].get_texts())


