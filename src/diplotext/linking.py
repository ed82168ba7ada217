"""Linking rules of the entities stage: titles and roles, role phrases, datelines, short names.

Each function reads the parsed ``Doc`` and the mentions found so far; none loops over pairs of
mentions or re-reads the whole text per mention.
"""

from __future__ import annotations

import datetime as dt
import re

from .actors import HONORIFICS, TITLE_HEADS, TITLE_MODIFIERS, agent_words
from .knowledge_base import in_term

# Model labels kept as mentions, and the type they give. FAC (buildings, stations, bridges) is a
# place that is not a polity: LOC, as the annotation guidelines type named facilities.
MODEL_TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP",
               "EVENT": "EVENT", "FAC": "LOC"}
# Parts of speech a capitalised word has when it is not a name ("Us", "May" the verb).
NOT_NAME_POS = frozenset({"PRON", "DET", "ADP", "CCONJ", "SCONJ", "AUX", "VERB", "ADV", "PART", "NUM", "INTJ"})
NOT_NAME_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
CONNECTORS = frozenset("of the and for on de da del al bin van von".split())
# The last word of a name that makes it an organisation or an event, whatever the model said
# ("Asia-Pacific Economic Cooperation" is not a place; "BRICS summit" is an event).
ORG_HEADS = frozenset("""cooperation organization organisation council union association party ministry agency
committee commission assembly parliament congress court bank fund alliance forces army navy
command office bureau institute university group federation league""".split())
EVENT_HEADS = frozenset("summit summits olympics games war talks conference exercise exercises drills".split())
# Institutions named after their country: words after a country word, the canonical form, and
# the CAMEO agent code added to the country's ("UKR" + "GOV").
INSTITUTIONS = (
    (("government",), "Government of {}", "GOV"),
    (("foreign", "ministry"), "Ministry of Foreign Affairs of {}", "GOV"),
    (("ministry", "of", "foreign", "affairs"), "Ministry of Foreign Affairs of {}", "GOV"),
    (("defense", "ministry"), "Ministry of Defence of {}", "MIL"),
    (("defence", "ministry"), "Ministry of Defence of {}", "MIL"),
    (("embassy",), "Embassy of {}", "GOV"),
)

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "MANILA, Dec. 6 (Xinhua) --", "HAVANA, December 26. /TASS/.", "BEIJING, July 22 - RIA Novosti."
DATELINE = re.compile(
    rf"(?:^|(?<=[a-z] ))[ \t]*(?P<place>[A-Z][A-Z'.\- ]+[A-Z])(?:,[ \t]*[A-Z][A-Za-z ]+)?,[ \t]+(?:{_MONTH}[ \t]+\d{{1,2}}|\d{{1,2}}[ \t]+{_MONTH})"
    r"\.?[ \t]*(?:\((?P<paren>[A-Z][\w .]*?)\)|/(?P<slash>[A-Z][\w .-]*?)/|[-\u2013\u2014][ \t]*(?P<dash>[A-Z][\w]*(?: [A-Z][\w]*)*)\.)?",
    re.MULTILINE,
)


def is_title_word(word: str) -> bool:
    low = word.lower().rstrip(".")
    return low in TITLE_HEADS or low in TITLE_MODIFIERS or low in HONORIFICS or low in agent_words()


def strip_title(doc, start_token: int, end_token: int) -> tuple[int, str]:
    """Drop a leading title ("President", "Foreign Minister") from a name's tokens.

    Returns the first token of the name itself and the title in lower case ("" if none).
    The last token always stays: a name is never all title.
    """
    i = start_token
    while i < end_token - 1 and (is_title_word(doc[i].text) or doc[i].lower_ in ("the", "-")):
        i += 1
    if i == start_token:
        return start_token, ""
    words = [doc[k].lower_ for k in range(start_token, i) if doc[k].lower_ not in HONORIFICS and doc[k].lower_ != "the"]
    return i, " ".join(words)


def preceding_title(doc, token: int) -> tuple[str, int]:
    """The title written just before a name ("Russian Foreign Minister Sergei Lavrov"):
    ``(title in lower case, first token of the title)``; ``("", token)`` if none."""
    i = token
    while i > 0 and is_title_word(doc[i - 1].text) and doc[i - 1].text[:1].isupper() | (doc[i - 1].lower_ in TITLE_HEADS):
        i -= 1
    words = [doc[k].lower_ for k in range(i, token) if doc[k].lower_ not in HONORIFICS]
    if not any(w.rstrip(".") in TITLE_HEADS for w in words):
        return "", token
    return " ".join(words), i


def title_head(title: str) -> str:
    """The word naming the office: "foreign minister" -> "minister"; "" if none."""
    heads = [w for w in title.split() if w in TITLE_HEADS]
    return heads[-1] if heads else ""


def role_phrases(doc, is_country):
    """Descriptions that name an office without a name: "the Chinese president", "The President",
    "the Prime Minister of Japan". Yields ``(start_token, end_token, title, country_span)`` where
    ``country_span`` is the ``(start_token, end_token)`` of a country word in the phrase or None.

    ``is_country(start_token, end_token)`` says whether those tokens name a country."""
    n = len(doc)
    for i, token in enumerate(doc):
        if token.lower_ != "the":
            continue
        j, country = i + 1, None
        for width in (3, 2, 1):  # "the South Korean president", "the Chinese president"
            if j + width <= n and is_country(j, j + width):
                country, j = (j, j + width), j + width
                break
        k = j
        while k < n and doc[k].lower_ in TITLE_MODIFIERS | TITLE_HEADS:
            k += 1
        if k == j or doc[k - 1].lower_ not in TITLE_HEADS:
            continue
        if k < n and doc[k].pos_ == "PROPN":  # a title before a name, not a description
            continue
        end = k
        if country is None and k + 1 < n and doc[k].lower_ == "of":
            for width in (3, 2, 1):
                if k + 1 + width <= n and is_country(k + 1, k + 1 + width):
                    country, end = (k + 1, k + 1 + width), k + 1 + width
                    break
        title = " ".join(doc[t].lower_ for t in range(j, k))
        yield i, end, title, country


def datelines(raw: str):
    """``(place_start, place_end, outlet_start, outlet_end)`` of each dateline (outlet -1 if none)."""
    for match in DATELINE.finditer(raw):
        outlet = next((g for g in ("paren", "slash", "dash") if match.group(g)), None)
        span = match.span(outlet) if outlet else (-1, -1)
        yield match.start("place"), match.end("place"), span[0], span[1]


def short_name_index(people: dict[str, str]) -> dict[str, set]:
    """Given full names of people in an article (entity id -> canonical or surface), the entity
    ids each of their words could stand for ("Lavrov" -> {sergey_lavrov})."""
    index: dict[str, set] = {}
    for entity_id, name in people.items():
        words = name.replace("-", " ").split()
        if len(words) < 2:
            continue
        for word in {words[0], words[-1], name.split()[0], name.split()[-1]}:
            index.setdefault(word.upper(), set()).add(entity_id)
    return index


def in_office(roles: list, title: str, country_ids: set, day: dt.date | None, kb) -> list[tuple[str, dict]]:
    """Curated holders of a title: ``(entity_id, role)`` whose role title has the same head word,
    names one of ``country_ids`` (the title's country, by id or name) and covers ``day``."""
    head = title_head(title)
    found = []
    for entity_id, role in roles:
        words = role["title"].lower().split()
        if head not in words:
            continue
        if country_ids and not any(name in role["title"].lower() for name in country_ids):
            continue
        if day is not None and not in_term(day, role.get("start"), role.get("end")):
            continue
        found.append((entity_id, role))
    return found
