"""Entities: the seed's people, places and garbled names, linked as a reader would link them."""

import pandas as pd
import pytest
import yaml

from diplotext import InputError, segment
from diplotext.tables import ENTITY_COLUMNS, MENTION_COLUMNS
from diplotext.entities import find_mentions, summarise_entities
from diplotext.knowledge_base import (
    CURATION_LEVELS,
    holders,
    load_knowledge_base,
    match_variant,
    reduce_knowledge_base,
)
from diplotext.report.entities import (
    entity_sentence_matrix,
    evaluate_mentions,
    load_annotation,
    plot_entity_sentences,
    translation_artefacts,
)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


@pytest.fixture(scope="module")
def mentions(seed, seed_sentences, kb):
    return find_mentions(seed.raw, seed_sentences, kb, published=seed.published)


def mentions_of(text, kb=None):
    return find_mentions(text, segment(text), kb)


def links(mentions, surface):
    """The (entity_id, how) pairs of every mention with this surface form."""
    rows = mentions[mentions.surface == surface]
    return sorted(set(zip(rows.entity_id, rows.how)))


# ---------------------------------------------------------------- knowledge base


def test_knowledge_base_has_the_shared_ids(kb):
    shared = """xi_jinping vladimir_putin yang_jiechi andrey_denisov li_zhanshu china russia india ukraine
    kazakhstan uzbekistan beijing moscow samarkand vladivostok mfa_china npc xinhua tass bloomberg sco
    sco_summit_2022 eastern_economic_forum_2022 vostok_2022 beijing_winter_olympics_2022 covid_19
    russian_invasion_of_ukraine""".split()
    assert set(shared) <= set(kb.entities)
    assert kb.entities["xi_jinping"]["wikidata"] == "Q15031"
    assert kb.entities["tass"]["wikidata"] is None  # the earlier tentative id was not TASS
    assert kb.entities["tass"]["cameo"] == "RUSMED"


def test_roles_are_dated(kb):
    import datetime as dt

    assert holders(kb, "Ambassador of Russia to China", dt.date(2022, 9, 14)) == ["andrey_denisov"]
    assert holders(kb, "Ambassador of Russia to China", dt.date(2012, 6, 1)) == []
    chair = "Chairman of the Standing Committee of the National People's Congress"
    assert holders(kb, chair, dt.date(2022, 9, 14)) == ["li_zhanshu"]
    assert holders(kb, chair, dt.date(2023, 6, 1)) == []


def test_every_fact_names_a_known_source(kb):
    data = yaml.safe_load(kb.path.read_text(encoding="utf-8"))
    known = set(data["source_keys"])
    for record in data["entities"]:
        for keys in record["sources"].values():
            assert set(keys) <= known, record["id"]
        for variant in record.get("variants") or []:
            assert variant["meant"] and set(variant["sources"]) <= known, variant


def test_knowledge_base_errors_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_knowledge_base(tmp_path / "missing.yml")
    bad = tmp_path / "dup.yml"
    bad.write_text("entities:\n  - {id: a, canonical: A, type: GPE}\n  - {id: a, canonical: B, type: GPE}\n")
    with pytest.raises(InputError, match="duplicate entity id 'a'"):
        load_knowledge_base(bad)
    clash = tmp_path / "clash.yml"
    clash.write_text("entities:\n  - {id: a, canonical: A, type: GPE, aliases: [X]}\n  - {id: b, canonical: B, type: GPE, aliases: [X]}\n")
    with pytest.raises(InputError, match="belongs to both"):
        load_knowledge_base(clash)


# ---------------------------------------------------------------- seed mentions


def test_mentions_table_contract(seed, mentions):
    assert list(mentions.columns[: len(MENTION_COLUMNS)]) == MENTION_COLUMNS
    assert mentions.start.is_monotonic_increasing
    assert all(seed.raw[r.start : r.end] == r.surface for r in mentions.itertuples())
    assert set(mentions.how) <= {"exact", "alias", "variant", "coreference", "unlinked"}


def test_every_spelling_of_yang_jiechi_is_one_entity(mentions):
    assert links(mentions, "Yang Jiechi") == [("yang_jiechi", "exact")]
    assert links(mentions, "Yang Jiezheng") == [("yang_jiechi", "variant")]
    assert links(mentions, "Yang Jieye") == [("yang_jiechi", "variant")]
    assert mentions[mentions.entity_id == "yang_jiechi"].sentence_id.tolist() == [3, 5, 6, 8]


def test_garbled_names_link_to_the_entity_meant(mentions):
    expected = {
        "Tus News": "tass",
        "Jenisov": "andrey_denisov",
        "Shanghe Summit": "sco_summit_2022",
        "Samarham": "samarkand",
        "UzbekiStan": "uzbekistan",
        "Shanghai Winter Olympics": "beijing_winter_olympics_2022",
        "crown disease": "covid_19",
        "7th Oriental Economic Forum": "eastern_economic_forum_2022",
        "Oriental-20122": "vostok_2022",
    }
    for surface, entity_id in expected.items():
        assert links(mentions, surface) == [(entity_id, "variant")], surface
    assert links(mentions, "Xinhua News Agency") == [("xinhua", "exact")]
    assert links(mentions, "Shanghai Cooperation Organization Summit") == [("sco_summit_2022", "alias")]


def test_chinese_official_is_xi_by_coreference_with_evidence(mentions):
    official = mentions[mentions.surface.str.startswith("Chinese official")]
    assert official.sentence_id.tolist() == [1, 3, 7, 8, 9, 10]
    assert set(official.entity_id) == {"xi_jinping"} and set(official.how) == {"coreference"}
    evidence = official.set_index("sentence_id").evidence
    assert "meet with Russian President Putin" in evidence[1]
    assert "attend the Shanghe Summit" in evidence[7]
    assert "state visit" in evidence[8]
    assert "[s8]" in evidence[9]  # "This is the first time ..." leans on the state visit before it


def test_two_heads_of_state_and_xi_pu(mentions):
    assert links(mentions, "two heads of state") == [("vladimir_putin", "coreference"), ("xi_jinping", "coreference")]
    xi_pu = mentions[mentions.surface == "Xi Pu"]
    assert xi_pu.entity_id.tolist() == ["xi_putin_meeting_2022_09"]
    assert xi_pu.how.tolist() == ["coreference"]
    assert "[s10]" in xi_pu.evidence.iloc[0]
    # The shorthand is not read as a mention of Xi alone.
    assert "xi_jinping" not in set(mentions[mentions.sentence_id == 12].entity_id)


def test_ambassador_description_is_denisov_by_role(mentions):
    row = mentions[mentions.surface == "Russian ambassador to the Russian ambassador to China"].iloc[0]
    assert (row.sentence_id, row.entity_id, row.how) == (3, "andrey_denisov", "coreference")
    assert "2013-2022" in row.evidence


def test_no_sentence_initial_common_word_in_seed(mentions):
    for word in ["The", "This", "According", "Prior", "In", "On", "Promote", "Chairman", "September", "President"]:
        assert word not in set(mentions.surface), word
    assert (mentions.how == "unlinked").sum() == 0


def test_seed_entities_summary(mentions, kb):
    entities = summarise_entities(mentions, kb).set_index("entity_id")
    assert list(entities.reset_index().columns[: len(ENTITY_COLUMNS)]) == ENTITY_COLUMNS
    assert entities.mention_count["xi_jinping"] == 7  # six "Chinese official(s)" + the two heads of state
    assert entities.mention_count["vladimir_putin"] == 5
    assert entities.mention_count["russia"] == 6  # "Russian" (s1, s6 twice) and "Russia" (s5, s11, s14)
    assert entities.first_sentence["tass"] == 6
    assert entities.wikidata["samarkand"] == "Q5753"
    assert entities.cameo["xinhua"] == "CHNMED"


def test_artefact_table_explains_the_translation(seed, seed_sentences, mentions, kb):
    artefacts = translation_artefacts(mentions, seed.raw, kb, seed_sentences).set_index("surface")
    assert artefacts.sentences["Jenisov"] == "6, 8"
    assert artefacts.sentences["Chinese official"] == "1, 3, 7, 9"
    assert artefacts.sentences["Chairman of the National People's Congress"] == "13"
    assert "Yang Jiechi" not in artefacts.index  # spelled right: not an artefact
    assert "outgoing" in artefacts.meant["upcoming Russian ambassador"]
    assert "Standing Committee" in artefacts.meant["Chairman of the National People's Congress"]
    assert "塔斯社" in artefacts.meant["Tus News"]
    assert "Beijing Winter Olympics" in artefacts.meant["Shanghai Winter Olympics"]


def test_entity_sentence_matrix(mentions):
    matrix = entity_sentence_matrix(mentions)
    assert matrix.index[0] == "Xi Jinping"  # the most mentioned entity comes first
    assert matrix.loc["Xi Jinping", 1] == 1 and matrix.loc["Vladimir Putin", 1] == 1
    named_together = matrix.columns[(matrix.loc["Xi Jinping"] > 0) & (matrix.loc["Vladimir Putin"] > 0)]
    assert list(named_together) == [1, 3, 6, 10]
    assert matrix.loc["Yang Jiechi"].sum() == 4


# ---------------------------------------------------------------- fuzzy threshold, both ways


@pytest.mark.parametrize("surface", ["Yang Jiezheng", "Yang Jieye", "Yang Jiechy"])
def test_fuzzy_links_spellings_of_yang_jiechi(surface):
    assert match_variant(surface, names=["Yang Jiechi"])[0] == "Yang Jiechi"


@pytest.mark.parametrize(
    "surface, name",
    [("Yang Liwei", "Yang Jiechi"), ("Yang Jie", "Yang Jiechi"), ("Jenkins", "Andrey Denisov"),
     ("Jenkins", "Denisov"), ("Moscow", "Macau"), ("Putin", "Pushkin"), ("Pushkin", "Putin"),
     ("Indonesia", "India"), ("Li Keqiang", "Li Zhanshu")],
)
def test_fuzzy_refuses_unrelated_names(surface, name):
    assert match_variant(surface, names=[name]) is None


def test_fuzzy_fallback_inside_find_mentions():
    found = mentions_of("Yang Jiechy met Denis Jenkins in Moscow.")
    assert links(found, "Yang Jiechy") == [("yang_jiechi", "variant")]
    assert "fuzzy match to 'Yang Jiechi'" in found.evidence.iloc[0]
    assert links(found, "Denis Jenkins") == [("unlinked:denis_jenkins", "unlinked")]
    assert links(found, "Moscow") == [("moscow", "exact")]


# ---------------------------------------------------------------- unknown texts


def test_names_no_dictionary_knows_keep_the_model_type():
    # Ardern took office in 2017, after the dictionary's last update; Scholz and Wellington it knows.
    found = mentions_of("Jacinda Ardern met Olaf Scholz in Wellington.")
    assert found.surface.tolist() == ["Jacinda Ardern", "Olaf Scholz", "Wellington"]
    assert found.how.tolist() == ["unlinked", "exact", "exact"]
    assert found.entity_id.tolist()[0] == "unlinked:jacinda_ardern"
    entities = summarise_entities(found).set_index("canonical")
    assert entities.type.to_dict() == {"Jacinda Ardern": "PERSON", "Olaf Scholz": "PERSON", "Wellington": "GPE"}
    assert entities.cameo["Wellington"] == "NZL"  # a city stands for its country in CAMEO
    assert pd.isna(entities.wikidata).all()  # never an invented Wikidata id


def test_sentence_initial_words_and_titles_are_not_entities():
    text = (
        "According to Reuters, Prime Minister Narendra Modi will visit Tokyo. In addition, NATO said "
        "nothing on Monday. Prior to this, Foreign Minister Wang Yi spoke. The talks ended. "
        '"Promote peace," they said.'
    )
    found = mentions_of(text).set_index("surface")
    assert found.index.tolist() == ["Reuters", "Narendra Modi", "Tokyo", "NATO", "Wang Yi"]
    assert found.role["Narendra Modi"] == "prime minister" and found.role["Wang Yi"] == "foreign minister"
    assert found.canonical["NATO"] == "North Atlantic Treaty Organization"
    assert found.cameo["NATO"] == "IGOWSTNAT"


def test_a_chinese_official_without_evidence_is_not_xi():
    found = mentions_of("A Chinese official said the harvest was good.")
    assert "xi_jinping" not in set(found.entity_id)
    assert links(found, "Chinese") == [("china", "alias")]


def test_text_without_entities():
    found = mentions_of("the weather was fine and nobody came.")
    assert found.empty and list(found.columns[: len(MENTION_COLUMNS)]) == MENTION_COLUMNS
    assert summarise_entities(found).empty
    assert entity_sentence_matrix(found).empty


def test_bad_input_is_an_input_error(seed_sentences):
    with pytest.raises(InputError, match="as a string"):
        find_mentions(b"bytes", seed_sentences)
    with pytest.raises(InputError, match="sentences table"):
        find_mentions("Putin spoke.", pd.DataFrame({"start": [0]}))
    with pytest.raises(InputError, match="published date"):
        find_mentions("Putin spoke.", segment("Putin spoke."), published="14 Sept")


# ---------------------------------------------------------------- evaluation


def test_annotation_matches_the_text(seed):
    gold = load_annotation(raw=seed.raw)
    assert len(gold) == 52
    assert gold[gold.surface == "Jenisov"].entity_id.tolist() == ["andrey_denisov", "andrey_denisov"]


def test_evaluation_against_the_hand_annotation(seed, seed_sentences, kb):
    gold = load_annotation(raw=seed.raw)
    scores = {}
    for level in CURATION_LEVELS:
        found = find_mentions(seed.raw, seed_sentences, reduce_knowledge_base(kb, level), published=seed.published)
        table, errors = evaluate_mentions(found, gold)
        scores[level] = table.set_index("level").f1["linked"]
        if level == "model and dictionary":
            assert {"Tus News", "Jenisov", "Shanghe Summit"} <= set(errors[errors.error == "missed"].surface)
    assert scores["model alone"] == 0.0  # the model finds names but links none
    assert scores["model alone"] < scores["model and dictionary"] < scores["full knowledge base"]


def test_evaluation_lists_each_error():
    gold = pd.DataFrame({"sentence_id": [1, 1], "start": [0, 10], "end": [5, 15], "surface": ["Putin", "Xi Pu"],
                         "entity_id": ["vladimir_putin", "xi_putin_meeting_2022_09"]})
    predicted = pd.DataFrame({"sentence_id": [1, 1], "start": [0, 10], "end": [5, 12], "surface": ["Putin", "Xi"],
                              "entity_id": ["vladimir_putin", "xi_jinping"], "how": ["alias", "alias"]})
    table, errors = evaluate_mentions(predicted, gold)
    linked = table.set_index("level").loc["linked"]
    assert (linked.precision, linked.recall) == (0.5, 0.5)
    assert errors[["error", "surface"]].values.tolist() == [["false positive", "Xi"], ["missed", "Xi Pu"]]


def test_entity_sentence_plot_labels_every_row(mentions):
    import matplotlib

    matplotlib.use("Agg")
    matrix = entity_sentence_matrix(mentions, top=8)
    types = dict(zip(mentions.canonical, mentions.type))
    ax = plot_entity_sentences(matrix, types)
    labels = [label.get_text() for label in ax.get_yticklabels()]
    assert labels == list(matrix.index) and len(labels) == 8 and "Xi Jinping" in labels
    empty = plot_entity_sentences(entity_sentence_matrix(mentions.iloc[0:0]))
    assert [text.get_text() for text in empty.texts] == ["No entities found"]


def test_each_mention_says_which_layer_linked_it(seed, seed_sentences, mentions, kb):
    from diplotext.parse import parse
    from diplotext.report.entities import mention_layers

    layers = mention_layers(mentions, seed.raw, seed_sentences, parse(seed.raw), kb, seed.published)
    by_surface = dict(zip(mentions.surface, layers))
    assert by_surface["Jenisov"] == "curated"  # a translation variant only the curated entries know
    assert by_surface["Chinese official"] == "curated"  # a coreference rule
    assert by_surface["Putin"] == "curated"  # a surname alone: the dictionary keeps full names only
    assert by_surface["Russia"] == by_surface["Xinhua News Agency"] == "dictionary"
    assert set(layers) <= {"curated", "dictionary", "model"}
