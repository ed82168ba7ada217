"""Entities on texts the knowledge base was not written for: the model, the actor dictionary
and the linking rules (longest match, acronyms, titles, role phrases, short names, datelines)."""

import pandas as pd
import pytest

from diplotext import segment
from diplotext.actors import load_actors
from diplotext.entities import find_mentions, summarise_entities


def mentions_of(text, published="2022-09-15"):
    return find_mentions(text, segment(text), published=published)


def rows(found, surface):
    return found[found.surface == surface]


def test_the_longest_name_wins():
    found = mentions_of("Ships crossed the South China Sea while the Chinese Communist Party met.")
    assert "South China Sea" in set(found.surface) and "China" not in set(found.surface)
    party = rows(found, "Chinese Communist Party").iloc[0]
    assert (party.canonical, party.type, party.cameo) == ("Communist Party of China", "ORG", "CHNGOV")


def test_acronyms_keep_their_case():
    found = mentions_of("Let us hope the US and the U.S. Navy agree, said the UN.")
    assert "us" not in set(found.surface)
    assert set(rows(found, "US").canonical) == {"United States"}
    assert "U.S." in set(found.surface) or "U.S. Navy" in set(found.surface)
    assert rows(found, "UN").canonical.tolist() == ["United Nations"]


def test_demonyms_and_capitals_stand_for_their_countries():
    found = mentions_of("Japanese and American officials met in Washington; Moscow objected.")
    assert rows(found, "Japanese").canonical.tolist() == ["Japan"]
    assert rows(found, "American").cameo.tolist() == ["USA"]
    washington = rows(found, "Washington").iloc[0]
    assert (washington.canonical, washington.type, washington.cameo) == ("Washington", "GPE", "USA")
    assert rows(found, "Moscow").cameo.tolist() == ["RUS"]


def test_title_is_a_role_and_surname_is_the_same_person():
    found = mentions_of("Russian Foreign Minister Sergei Lavrov arrived on Monday. Lavrov said talks went well.")
    full = rows(found, "Sergei Lavrov").iloc[0]
    assert (full.canonical, full.role, full.cameo) == ("Sergey Lavrov", "foreign minister", "RUSGOV")
    short = rows(found, "Lavrov").iloc[0]
    assert short.entity_id == full.entity_id and short.how == "alias"
    assert rows(found, "Russian").canonical.tolist() == ["Russia"]
    assert summarise_entities(found).set_index("canonical").mention_count["Sergey Lavrov"] == 2


def test_a_surname_goes_to_the_person_of_this_article():
    found = mentions_of("Defence Minister Yang Yujun spoke first. Yang said the drills were routine.")
    assert rows(found, "Yang").canonical.tolist() == ["Yang Yujun"]


def test_role_phrase_resolves_through_the_article_first():
    found = mentions_of("Cuban President Miguel Diaz-Canel was absent. The Cuban president sent a letter.",
                        published="2024-12-26")
    phrase = rows(found, "The Cuban president").iloc[0]
    assert phrase.canonical == "Miguel Diaz-Canel" and phrase.how == "coreference"
    assert "s1" in phrase.evidence


def test_role_phrase_resolves_through_dated_roles():
    found = mentions_of("The Chinese president will travel next week.", published="2022-09-10")
    phrase = rows(found, "The Chinese president").iloc[0]
    assert phrase.entity_id == "xi_jinping" and "2013" in phrase.evidence
    # Before he took office the phrase names someone else: no link to Xi.
    earlier = mentions_of("The Chinese president will travel next week.", published="2005-06-01")
    assert "xi_jinping" not in set(earlier.entity_id)


def test_open_ended_dictionary_terms_are_not_trusted_past_its_date():
    actors = load_actors()
    import datetime as dt

    assert [a.canonical for a, _ in actors.role_holders("foreign minister", "RUS", dt.date(2014, 1, 1))] == ["Sergey Lavrov"]
    assert actors.role_holders("foreign minister", "RUS", dt.date(2024, 1, 1)) == []


def test_datelines_give_a_place_and_an_outlet():
    found = mentions_of("HAVANA, December 26. /TASS/. The talks ended.\n\nMANILA, Dec. 6 (Xinhua) -- More talks.")
    havana = rows(found, "HAVANA").iloc[0]
    assert (havana.canonical, havana.type, havana.cameo) == ("Havana", "GPE", "CUB")
    assert rows(found, "TASS").entity_id.tolist() == ["tass"]
    assert rows(found, "MANILA").canonical.tolist() == ["Manila"]
    assert rows(found, "Xinhua").entity_id.tolist() == ["xinhua"]


def test_dates_and_common_words_are_not_names():
    found = mentions_of("On Nov. 3 and Dec. 6 the Facts were plain. May we go? Us, never.")
    assert found.empty or not set(found.surface) & {"Nov", "Dec", "Facts", "May", "Us"}


def test_nested_country_in_an_organisation_name():
    found = mentions_of("The Russian Foreign Ministry issued a statement.")
    assert set(found.surface) >= {"Russian Foreign Ministry", "Russian"}
    assert rows(found, "Russian").canonical.tolist() == ["Russia"]


def test_evidence_is_short_and_per_mention():
    text = " ".join(["Putin met Xi Jinping in Samarkand."] * 40)
    found = mentions_of(text)
    assert found.evidence.str.len().max() < 120


@pytest.mark.parametrize("text", ["", "   \n", "no names here at all."])
def test_texts_without_names(text):
    found = mentions_of(text)
    assert found.empty and summarise_entities(found).empty
    assert isinstance(found, pd.DataFrame)


def test_an_adjective_goes_to_the_country_the_article_names():
    found = mentions_of("South Korea hosted the talks. Korean firms signed contracts.")
    assert rows(found, "Korean").canonical.tolist() == ["South Korea"]
    alone = mentions_of("Korean firms signed contracts.")  # no country named: the adjective stays unlinked
    assert set(rows(alone, "Korean").how) <= {"unlinked"}


def test_documents_are_not_actors_but_the_body_inside_is():
    found = mentions_of("Both sides cited the UN Charter.")
    assert "UN Charter" not in set(found.surface)
    assert rows(found, "UN").canonical.tolist() == ["United Nations"]


def test_regional_adjectives_name_their_region():
    found = mentions_of("Latin American and Middle Eastern diplomats met.")
    assert rows(found, "Latin American").canonical.tolist() == ["Latin America"]
    assert set(found.type) == {"LOC"}


def test_titles_with_of_and_hyphens_are_roles():
    found = mentions_of("U.S. Secretary of State Antony Blinken met NATO Secretary-General Jens Stoltenberg.")
    assert rows(found, "Antony Blinken").role.tolist() == ["secretary of state"]
    assert rows(found, "Jens Stoltenberg").role.tolist() == ["secretary-general"]


def test_a_summit_is_an_event_and_its_body_is_named_inside():
    found = mentions_of("Leaders will attend the G20 summit in Rio de Janeiro.")
    assert rows(found, "G20 summit").type.tolist() == ["EVENT"]
    assert rows(found, "G20").entity_id.tolist() == ["g20"]
    assert rows(found, "Rio de Janeiro").cameo.tolist() == ["BRA"]
