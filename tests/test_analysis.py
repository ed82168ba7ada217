"""``diplotext.analyze`` returns one Analysis: the article, its date, its parse and every table."""

from __future__ import annotations

import datetime as dt

import diplotext
from diplotext.tables import TABLES

DATELINED = ("MOSCOW, September 15, 2022 /TASS/. Chinese President Xi Jinping met Russian President "
             "Vladimir Putin in Samarkand on Thursday.\n\n\"The talks were constructive,\" Putin said.\n")


def test_an_analysis_holds_the_article_its_parse_and_every_table(tmp_path):
    path = tmp_path / "samarkand.txt"
    path.write_text(DATELINED, encoding="utf-8")
    analysis = diplotext.analyze(path)

    assert isinstance(analysis, diplotext.Analysis)
    assert analysis.article.raw == DATELINED
    assert analysis.doc.text == DATELINED  # the one parse, offsets into the raw text
    # No metadata date: the dateline's is the document date, and the tables were built with it.
    assert (analysis.document_date, analysis.date_source) == (dt.date(2022, 9, 15), "dateline")
    thursday = analysis.times[analysis.times.text.str.contains("Thursday")]
    assert list(thursday.start_date) == ["2022-09-15"]

    assert list(analysis.tables) == list(TABLES)  # pipeline order: what the command line writes
    assert all(analysis.tables[name] is getattr(analysis, name) for name in TABLES)
    assert analysis["entities"] is analysis.entities and len(analysis) == len(TABLES)
    assert {"xi_jinping", "vladimir_putin"} <= set(analysis.entities.entity_id)
    assert list(analysis.sentences.text.str.slice(0, 7)) == ["MOSCOW,", "Chinese", "\"The ta"]
    quote = analysis.quotes.iloc[0]
    assert (quote.sentence_id, quote.speaker_entity_id) == (3, "vladimir_putin")


def test_the_published_date_given_wins_over_the_dateline(tmp_path):
    path = tmp_path / "samarkand.txt"
    path.write_text(DATELINED, encoding="utf-8")
    analysis = diplotext.analyze(path, published="2022-09-16")
    assert (analysis.document_date, analysis.date_source) == (dt.date(2022, 9, 16), "metadata")
