"""Long texts: parsed in sections and in several processes, with the same result as one parse.

The constants that decide when a text is cut and parsed in parallel are lowered here, so that a
short text written for the tests takes the paths a long article takes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from diplotext import parse, pipeline, timex
from diplotext.workers import available_cores

ATTRIBUTES = ["ORTH", "TAG", "POS", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "SENT_START"]

TEXT = "\n\n".join([
    "BEIJING, Sept. 14 (Wire) -- Chinese President Xi Jinping left Beijing on Wednesday for Kazakhstan "
    "and Uzbekistan, the Foreign Ministry said.",
    "Xi will attend the summit of the Shanghai Cooperation Organization in Samarkand on Sept. 15-16, "
    "where he is expected to meet Russian President Vladimir Putin.",
    "\"The two sides will deepen cooperation,\" spokeswoman Mao Ning said on Tuesday. She added that the "
    "visit was the first since the start of the pandemic in early 2020.",
    "Putin said last week that Moscow and Beijing shared a vision of a fairer world order, and that trade "
    "had grown by nearly a third in the past eight months.",
] * 6)


@pytest.fixture
def small_sections(monkeypatch):
    """Sections of about 400 characters, two to a batch, and workers for any length of text."""
    monkeypatch.setattr(parse, "SECTION_CHARS", 400)
    monkeypatch.setattr(parse, "BATCH_CHARS", 800)
    monkeypatch.setattr(parse, "PARALLEL_CHARS", 0)


@pytest.mark.skipif(available_cores() < 2, reason="needs two processors")
def test_a_text_parsed_in_two_processes_is_the_same_parse(small_sections):
    one, two = parse.parse(TEXT, processes=1), parse.parse(TEXT, processes=2)
    assert len(parse.sections(TEXT, parse.SECTION_CHARS)) > 10
    assert two.text == TEXT  # offsets into the raw text
    assert (one.to_array(ATTRIBUTES) == two.to_array(ATTRIBUTES)).all()
    assert [(e.start_char, e.end_char, e.label_) for e in one.ents] == [(e.start_char, e.end_char, e.label_) for e in two.ents]
    assert ("Vladimir Putin", "PERSON") in {(e.text, e.label_) for e in two.ents}
    assert one.tensor.size == two.tensor.size == 0  # the tok2vec output is not kept


@pytest.mark.skipif(available_cores() < 2, reason="needs two processors")
def test_an_article_analysed_with_two_processes_has_the_same_tables(small_sections, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text(TEXT, encoding="utf-8")
    one, two = pipeline.analyze(path, "2022-09-14", jobs=1), pipeline.analyze(path, "2022-09-14", jobs=2)
    for name, table in one.tables.items():
        pd.testing.assert_frame_equal(table, two.tables[name], check_exact=True, obj=name)
    assert "Samarkand" in set(two.entities["canonical"])


def test_rule_gates_never_change_what_is_found(monkeypatch):
    """Each gate is something every match of its rule contains: with or without them, the same
    expressions, spans and values."""
    texts = [TEXT, "On Monday, 3 March 2025, and again from 10 to 12 April, the envoys met. In May they "
             "signed; in the 1990s they had not. Talks on 12/03/2024, 2024-03-12 and the 5th went on "
             "through the summer of 2023, every week, for three years."]
    assert sum(rule.gate is not None for rule in timex.RULES) >= 20
    gated = [timex.find(text, dt.date(2024, 3, 15)) for text in texts]
    assert {"2025-03-03", "2024-03-12", "2023-SU", "P3Y"} <= {t.timex_value for t in gated[1]}
    monkeypatch.setattr(timex, "RULES", [dataclasses.replace(rule, gate=None) for rule in timex.RULES])
    assert [timex.find(text, dt.date(2024, 3, 15)) for text in texts] == gated


def test_a_date_does_not_run_across_a_blank_line():
    text = "The last round of talks ended in September\n\n2023 brought no new round."
    found = {text[t.start : t.end]: t.timex_value for t in timex.find(text, dt.date(2024, 3, 15))}
    assert found == {"in September": "2024-09", "2023": "2023"}  # not "September 2023"
