"""Linking rules of the entities stage: titles and roles, role phrases, datelines, short names.

Each function reads the parsed ``Doc`` and the mentions found so far; none loops over pairs of
mentions or re-reads the whole text per mention.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

from .actors import HONORIFICS, TITLE_HEADS, TITLE_MODIFIERS, agent_words
from .knowledge_base import in_term, unlinked_id
from .dateline import DATELINE

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
# Documents are not actors: "UN Charter", "Minsk agreements" (a country or body inside is kept).
DOCUMENT_HEADS = frozenset("charter treaty declaration agreement agreements resolution convention accord accords protocol communique".split())
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
    def titled(k):
        return is_title_word(doc[k].text) and (doc[k].text[:1].isupper() or doc[k].lower_ in TITLE_HEADS)

    i = token
    while i > 0:
        if titled(i - 1):
            i -= 1
        elif i > 1 and doc[i - 1].text in ("of", "-") and titled(i - 2):  # "Secretary of State", "Secretary-General"
            i -= 2
        else:
            break
    words = [doc[k].lower_ for k in range(i, token) if doc[k].lower_ not in HONORIFICS]
    if not any(w.rstrip(".") in TITLE_HEADS for w in words):
        return "", token
    return " ".join(words).replace(" - ", "-"), i


def regional_name(adjective: str) -> str:
    """The region a two-word adjective names: "Latin American" -> "Latin America", "Central
    Asian" -> "Central Asia", "Middle Eastern" -> "Middle East"; "" if it does not look like one."""
    words = adjective.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return ""
    last = words[-1]
    if last.endswith("ern") and len(last) > 5:
        return " ".join([*words[:-1], last[:-3]])
    if last.endswith("an") and len(last) > 4:
        return " ".join([*words[:-1], last[:-1]])
    return ""


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


class ArticleRules:
    """The article-wide rules of ``mentions.ArticleMentions``: titles before names become roles,
    role phrases are resolved, and short names and acronyms join the full name they stand for."""

    def titles_and_roles(self):
        doc = self.doc
        countries = {}  # token span -> entity id of a country mention
        for row in self.rows:
            if row["type"] == "GPE" and row["start"] in self.token_at:
                i = self.token_at[row["start"]]
                j = i
                while j < len(doc) and doc[j].idx < row["end"]:
                    j += 1
                if self.actors is None or self.is_country_row(row):
                    countries[(i, j)] = row["entity_id"]
        country_ending = {b: cid for (a, b), cid in countries.items()}
        roles = []  # (entity_id, title, country id, row)
        for row in self.rows:
            if row["type"] != "PERSON" or row["start"] not in self.token_at:
                continue
            i = self.token_at[row["start"]]
            title, first = preceding_title(doc, i)
            if title and not row["role"]:
                row["role"] = title
            country = country_ending.get(first)
            if row["role"]:
                roles.append((row["entity_id"], row["role"], country, row))
        curated_roles = [(eid, role) for eid, rec in self.kb.entities.items() for role in rec.get("roles") or []]
        spans = {(row["start"], row["end"]) for row in self.rows}
        for start_token, end_token, title, country_span in role_phrases(doc, lambda a, b: (a, b) in countries):
            start, end = doc[start_token].idx, doc[end_token - 1].idx + len(doc[end_token - 1].text)
            if (start, end) in spans:  # already a mention (a curated description)
                continue
            country = countries.get(country_span) if country_span else None
            self.resolve_role_phrase(start, end, title, country, roles, curated_roles)

    def is_country_row(self, row) -> bool:
        actor = self.actors.lookup(row["canonical"])
        return actor is not None and actor.is_country

    def resolve_role_phrase(self, start, end, title, country, roles, curated_roles):
        words = set(title.split())
        same = {eid: row for eid, t, cid, row in roles
                if words <= set(t.split()) and (country is None or cid in (None, country))}
        if len(same) == 1:
            entity_id, row = next(iter(same.items()))
            sentence = self.locate.sentence_of(row["start"])
            self.rows.append({**row, "start": start, "end": end, "surface": self.raw[start:end], "how": "coreference",
                              "role": title, "score": None, "evidence": f"titled {row['role']!r} in s{sentence}"})
            return
        if country is None or self.published is None:
            return
        names = {name for name, eid in self.curated_ids.items() if eid == country} | {country.replace("_", " ")}
        held = in_office(curated_roles, title, names, self.published, self.kb)
        if len({eid for eid, _ in held}) == 1:
            entity_id, role = held[0]
            evidence = f"held {role['title']!r} ({role.get('start')}-{role.get('end') or 'now'}) per the knowledge base"
            self.add_curated(start, end, entity_id, "coreference", None, evidence, title)
            return
        if self.actors is None:
            return
        actor = self.actors.lookup(country.replace("_", " "))
        iso = actor.cameo if actor is not None and actor.is_country else None
        holders = self.actors.role_holders(title, iso, self.published) if iso else []
        if len(holders) == 1:
            person, (code, first, last) = holders[0]
            evidence = f"{code} {first or ''}-{last or ''} per the actor dictionary"
            self.add_actor(start, end, person, evidence=evidence, how="coreference", role=title)

    def adjectives(self):
        """An adjective no list settles ("Korean") is the country the article names whose name
        it extends ("South Korea"), when there is exactly one."""
        countries = {}
        for row in self.rows:
            if row["type"] == "GPE" and row["how"] != "unlinked" and self.actors is not None and self.is_country_row(row):
                countries[row["entity_id"]] = row
        for row in self.rows:
            if row["type"] == "NORP" and row["how"] == "unlinked" and " " in row["surface"]:
                region = regional_name(row["surface"])
                if region:  # "Latin American" -> the region Latin America
                    row.update(entity_id=unlinked_id(region), canonical=region, type="LOC",
                               evidence="adjective of a region")
                continue
            if row["type"] != "NORP" or row["how"] != "unlinked":
                continue
            word = row["surface"].lower()
            matches = [c for c in countries.values()
                       if any(len(w) >= 4 and word.startswith(w[:-1]) for w in c["canonical"].lower().split())]
            if len(matches) == 1:
                country = matches[0]
                row.update(entity_id=country["entity_id"], canonical=country["canonical"], type="GPE",
                           cameo=country["cameo"], how="alias",
                           evidence=f"adjective of {country['canonical']}, named in this article")

    def short_names(self):
        self.acronyms()
        self.adjectives()
        people, full_names = {}, {}
        for row in self.rows:
            if row["type"] == "PERSON" and len(row["surface"].split()) >= 2 and row["how"] != "coreference":
                people.setdefault(row["entity_id"], row["surface"])
                full_names.setdefault(row["surface"], row)
        for row in self.rows:  # "Wang Yi Holds" (a headline's verb) is Wang Yi of the article
            words = row["surface"].split()
            if row["type"] == "PERSON" and row["how"] == "unlinked" and len(words) >= 3:
                prefix = next((full_names[" ".join(words[:k])] for k in range(len(words) - 1, 1, -1)
                               if " ".join(words[:k]) in full_names), None)
                if prefix is not None:
                    people.pop(row["entity_id"], None)
                    row.update(entity_id=prefix["entity_id"], canonical=prefix["canonical"], cameo=prefix["cameo"],
                               how=prefix["how"], evidence=f"begins with {prefix['surface']}, named in this article")
        index = short_name_index(people)
        if not index:
            return
        rows_by_id = {row["entity_id"]: row for row in self.rows if row["entity_id"] in people}
        for row in self.rows:
            surface = row["surface"]
            if " " in surface or row["how"] not in ("unlinked",) and row["type"] != "PERSON":
                continue
            target = self.short_target(surface, index)
            if target and target != row["entity_id"]:
                full = rows_by_id[target]
                row.update(entity_id=target, canonical=full["canonical"], type="PERSON", cameo=full["cameo"],
                           how="alias" if surface.upper() in index else "variant",
                           evidence=f"short for {full['canonical']} in this article")
        for token in self.doc:  # short names the model did not mark
            if token.pos_ == "PROPN" and token.text[:1].isupper() and not self.taken[token.idx]:
                target = index.get(token.text.upper())
                if target and len(target) == 1:
                    full = rows_by_id[next(iter(target))]
                    start, end = token.idx, token.idx + len(token.text)
                    self.claim(start, end)
                    self.rows.append({**full, "start": start, "end": end, "surface": token.text, "how": "alias",
                                      "role": "", "score": 1.0, "evidence": f"short for {full['canonical']} in this article"})

    def acronyms(self):
        """An acronym after the name it abbreviates is that organisation ("LDP" after "Liberal
        Democratic Party"); a leading country word may be left out ("PLA")."""
        by_initials = {}
        for row in self.rows:
            words = [w for w in row["surface"].replace("-", " ").split() if w.lower() not in CONNECTORS]
            if row["type"] == "ORG" and len(words) >= 2:
                for skip in (0, 1):
                    key = "".join(w[0] for w in words[skip:]).upper()
                    if len(key) >= 2:
                        by_initials.setdefault(key, {})[row["entity_id"]] = row
        for row in self.rows:
            surface = row["surface"]
            if row["how"] == "unlinked" and surface.isupper() and 2 <= len(surface) <= 6 and surface in by_initials:
                targets = by_initials[surface]
                if len(targets) == 1:
                    full = next(iter(targets.values()))
                    row.update(entity_id=full["entity_id"], canonical=full["canonical"], type="ORG", cameo=full["cameo"],
                               how="alias", evidence=f"initials of {full['surface']} in this article")

    @staticmethod
    def short_target(surface, index):
        key = surface.upper()
        if key in index:
            return next(iter(index[key])) if len(index[key]) == 1 else None
        close = [k for k in index if k[:1] == key[:1] and len(index[k]) == 1 and abs(len(k) - len(key)) <= 2
                 and difflib.SequenceMatcher(None, k, key).ratio() >= 0.8]
        return next(iter(index[close[0]])) if len(close) == 1 else None
