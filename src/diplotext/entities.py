"""Entities stage: find who and what an article names, and link each mention.

Three layers, each on top of the one before:

1. **model**: spaCy's named-entity spans (``doc.ents``) give candidates and their types;
2. **dictionary**: the Phoenix/PETRARCH2 actor dictionary (``diplotext.actors``) links
   countries, their demonyms and capitals, organisations and people, with CAMEO codes;
3. **curated**: the project's knowledge base (``diplotext.knowledge_base``) wins over both:
   its entries, translation variants and coreference rules (with their evidence).

The longest name wins over any name inside it; acronyms keep their case ("US", not "us").
Titles are taken off names and kept as the mention's ``role``; a role phrase alone ("the
Chinese president") is resolved from the article, else from dated roles at the publication
date; a surname after a full name is the same entity. ``how`` says how each mention was linked:
``exact``, ``alias``, ``variant``, ``coreference`` or ``unlinked``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib

import numpy as np

from . import linking
from ._lazy import pd
from .actors import Actor, load_actors, name_key
from .columns import ENTITY_COLUMNS, MENTION_COLUMNS, column_lists, plain_values, require_columns
from .errors import InputError
from .knowledge_base import KnowledgeBase, holders, load_knowledge_base, match_variant, normalise, unlinked_id

COLUMNS = [*MENTION_COLUMNS, "role", "cameo", "score", "evidence"]
SUMMARY_COLUMNS = [*ENTITY_COLUMNS, "first_sentence", "cameo", "how", "surfaces"]
_SENTENCE_SPANS = ("sentence_id", "paragraph_id", "start", "end")


def find_mentions(raw: str, sentences: pd.DataFrame, kb: KnowledgeBase | None = None, published=None,
                  doc=None) -> pd.DataFrame:
    """Find and link every mention in ``raw``; one row per mention (per entity), sorted by start.

    ``doc`` is the article's parse (``diplotext.parse``); without it the text is parsed here.
    ``published`` (a date) picks the holder of a role named by description.
    """
    if not isinstance(raw, str):
        raise InputError(f"find_mentions needs the article text as a string, got {type(raw).__name__}")
    missing = {"sentence_id", "paragraph_id", "start", "end"} - set(getattr(sentences, "columns", []))
    if not isinstance(sentences, pd.DataFrame) or missing:
        raise InputError(f"find_mentions needs the sentences table from segment(); missing columns {sorted(missing)}")
    if published is not None and not isinstance(published, dt.date):
        try:
            published = dt.date.fromisoformat(str(published))
        except ValueError:
            raise InputError(f"invalid published date {published!r}: expected YYYY-MM-DD") from None
    return mentions_frame(mention_columns(raw, column_lists(sentences, _SENTENCE_SPANS), kb, published, doc))


def mention_columns(raw: str, sentences: dict[str, list], kb: KnowledgeBase | None = None,
                    published: dt.date | None = None, doc=None) -> dict[str, list]:
    """``find_mentions`` on checked inputs, as plain lists column by column (missing values None)."""
    if doc is None:
        from .parse import parse

        doc = parse(raw)
    finder = _Finder(raw, sentences, kb or load_knowledge_base(), published, doc)
    rows = finder.run()
    rows.sort(key=lambda row: (row["start"], row["end"], row["entity_id"]))
    columns = {name: [row.get(name) for row in rows] for name in COLUMNS}
    columns["sentence_id"] = [finder.locate.sentence_of(row["start"]) for row in rows]
    return columns


class _Finder:
    """One article's mentions, layer by layer; spans already claimed are not claimed again."""

    def __init__(self, raw, sentences, kb, published, doc):
        self.raw, self.kb, self.published, self.doc = raw, kb, published, doc
        self.actors = load_actors() if kb.use_actors else None
        self.locate = _SentenceIndex(sentences)
        self.taken = bytearray(len(raw))
        self.rows: list[dict] = []
        self.token_at = {token.idx: token.i for token in doc}
        self.curated_ids = {}
        for entity_id, record in kb.entities.items():
            for name in [record["canonical"], *(record.get("aliases") or []), *(record.get("demonyms") or [])]:
                self.curated_ids.setdefault(normalise(name), entity_id)

    def free(self, start, end):
        return not any(self.taken[start:end])

    def claim(self, start, end):
        self.taken[start:end] = b"\x01" * (end - start)

    def run(self) -> list[dict]:
        self.curated()
        self.candidates()
        self.titles_and_roles()
        self.short_names()
        return self.rows

    # ------------------------------------------------------------ layer 3 first: curated
    def curated(self):
        raw, kb = self.raw, self.kb
        for rule in kb.coreference:
            for match in rule["compiled"].finditer(raw):
                resolved = _resolve_rule(rule, match, raw, self.locate, kb, self.published)
                if resolved and self.free(match.start(), match.end()):
                    self.claim(match.start(), match.end())
                    entity_ids, evidence = resolved
                    for entity_id in entity_ids:
                        self.add_curated(match.start(), match.end(), entity_id, "coreference", None, evidence)

    def add_curated(self, start, end, entity_id, how, score, evidence, role=""):
        record = self.kb.entities[entity_id]
        self.rows.append({"start": start, "end": end, "surface": self.raw[start:end], "entity_id": entity_id,
                          "canonical": record["canonical"], "type": record["type"], "how": how, "role": role,
                          "cameo": record.get("cameo"), "score": score, "evidence": evidence})

    def add_actor(self, start, end, actor: Actor, evidence="actor dictionary", how=None, role=""):
        curated = self.curated_ids.get(normalise(actor.canonical))
        if curated is not None:
            record = self.kb.entities[curated]
            if record["type"] in (actor.type, "GPE" if actor.type == "LOC" else actor.type):
                self.add_curated(start, end, curated, how or "alias", 1.0, evidence, role)
                return
        surface = self.raw[start:end]
        self.rows.append({"start": start, "end": end, "surface": surface,
                          "entity_id": normalise(actor.canonical).replace(" ", "_"), "canonical": actor.canonical,
                          "type": actor.type, "how": how or ("exact" if name_key(surface) == name_key(actor.canonical) else "alias"),
                          "role": role, "cameo": actor.cameo, "score": 1.0, "evidence": evidence})

    def add_unlinked(self, start, end, kind, evidence="NER model", role=""):
        surface = self.raw[start:end]
        canonical = surface.title() if evidence == "dateline" and kind == "GPE" else surface  # HAVANA
        self.rows.append({"start": start, "end": end, "surface": surface, "entity_id": unlinked_id(canonical),
                          "canonical": canonical, "type": kind, "how": "unlinked", "role": role, "cameo": None,
                          "score": None, "evidence": evidence})

    # ------------------------------------------------------------ layers 1 and 2: model and dictionary
    def candidates(self):
        doc, raw = self.doc, self.raw
        found = []  # (start, end, priority, kind, payload, role)
        if self.kb.name_pattern is not None:
            for match in self.kb.name_pattern.finditer(raw):
                found.append((match.start(), match.end(), -1, "curated", None, ""))
        for place_start, place_end, outlet_start, outlet_end in linking.datelines(raw):
            found.append((place_start, place_end, 0, "dateline-place", None, ""))
            if outlet_start >= 0:
                found.append((outlet_start, outlet_end, 0, "dateline-outlet", None, ""))
        if self.actors is not None:
            found += self.dictionary_matches()
        found += self.model_candidates()
        # The longest name wins; at equal length the dictionary (priority 0) before the model.
        found.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
        accepted = []
        for start, end, priority, kind, payload, role in found:
            if self.free(start, end):
                self.claim(start, end)
                accepted.append((start, end, kind, payload, role))
                self.link(start, end, kind, payload, role)
            elif kind == "dictionary" and (payload.is_country or payload.cameo.startswith("IGO")) or (
                    kind == "curated" and self.is_curated_country(start, end)):
                accepted.append((start, end, "nested", payload, role))
        self.nested(accepted)

    def model_candidates(self):
        """The model's spans, cleaned: no leading article or title, no headline verb, no place
        glued before a name ("Havana Viktor Koronelli"); "BRICS summit" is an event."""
        doc, raw, out = self.doc, self.raw, []
        for ent in doc.ents:
            kind = linking.MODEL_TYPES.get(ent.label_)
            if kind is None:
                continue
            first, last, role = ent.start, ent.end, ""
            while first < last - 1 and doc[first].lower_ in ("the", "a", "an"):
                first += 1
            if all(linking.is_title_word(doc[k].text) for k in range(first, last)):
                continue  # "National Security" of a title, "Councilor" alone
            if last - first == 1 and not self.written_as_name(first, last, common_nouns=False):
                continue  # "Us" tagged GPE, "Facts" tagged ORG
            if kind == "PERSON":
                titled = [k for k in range(first, last - 1) if linking.is_title_word(doc[k].text)]
                if titled:
                    role = " ".join(doc[k].lower_ for k in titled if doc[k].lower_ not in linking.HONORIFICS)
                    first = titled[-1] + 1
                verb = next((k for k in range(first + 1, last) if doc[k].pos_ == "VERB"), None)
                last = verb if verb is not None else last  # "Wang Yi Holds Phone Talks" (a headline)
                while last - first > 2 and self.actors is not None and (
                        (place := self.actors.lookup(doc[first].text)) is not None and place.type == "GPE"):
                    first += 1
            head = doc[last - 1].lower_
            if head in linking.ORG_HEADS:
                kind = "ORG"
            elif head in linking.EVENT_HEADS:
                kind = "EVENT"
            if last < len(doc) and doc[last].lower_ in linking.EVENT_HEADS and kind in ("ORG", "GPE", "LOC", "NORP"):
                # "Venice summit": an event, and Venice inside it (linked with the event)
                inner = (doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text), kind)
                out.append((doc[first].idx, doc[last].idx + len(doc[last].text), 1, "event", inner, ""))
            start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
            if raw[end - 2 : end] in ("'s", "\u2019s"):
                end -= 2
            for phrase in self.kb.non_entities:  # "(Beijing Comprehensive News)": keep "Beijing" only
                cut = raw.find(phrase, start, end)
                if cut >= 0:
                    end = len(raw[start:cut].rstrip()) + start
            if end - start >= 2 and any(ch.isupper() for ch in raw[start:end]):
                out.append((start, end, 1, "model", kind, role))
        return out

    def institution(self, actor: Actor, j: int):
        """"Ukrainian government", "Russian Foreign Ministry" after a country word at token ``j``:
        ``(end token, the institution as an Actor)`` or None."""
        doc = self.doc
        for words, name, agent in linking.INSTITUTIONS:
            end = j + len(words)
            if end <= len(doc) and tuple(doc[k].lower_ for k in range(j, end)) == words:
                return end, Actor("ORG", actor.cameo + agent, actor.cameo, name.format(actor.canonical), (), frozenset())
        return None

    def dictionary_matches(self):
        doc, raw, actors = self.doc, self.raw, self.actors
        n, out, i = len(doc), [], 0
        while i < n:
            token = doc[i]
            if not token.text[:1].isupper() or self.taken[token.idx]:
                i += 1
                continue
            for j in range(min(n, i + actors.max_tokens), i, -1):
                last = doc[j - 1]
                if not last.text[:1].isupper() and not (last.text[:1].isdigit() and j - i > 1):
                    continue
                actor = actors.lookup(raw[token.idx : last.idx + len(last.text)])
                if actor is not None and self.written_as_name(i, j):
                    out.append((token.idx, last.idx + len(last.text), 0, "dictionary", actor, ""))
                    body = self.institution(actor, j) if actor.is_country else None
                    if body:
                        last = doc[body[0] - 1]
                        out.append((token.idx, last.idx + len(last.text), 0, "dictionary", body[1], ""))
                    i = j - 1
                    break
            else:
                if "-" in token.text[1:]:  # "U.S.-led", "China-brokered"
                    prefix = token.text.split("-", 1)[0]
                    actor = actors.lookup(prefix) if len(prefix) > 1 else None
                    if actor is not None and actor.is_country:
                        out.append((token.idx, token.idx + len(prefix), 0, "dictionary", actor, ""))
            i += 1
        return out

    def written_as_name(self, i, j, common_nouns=True) -> bool:
        """Case as a name is written: "US" and "U.S." but not "us"; "Chinese" but not the verb "May"."""
        doc = self.doc
        if doc[i].ent_type_ in linking.NOT_NAME_ENTS:
            return False
        for k in range(i, j):
            text = doc[k].text
            if text[:1].islower() and text not in linking.CONNECTORS:
                return False
        if j - i == 1:
            token = doc[i]
            if len(token.text) >= 2 and token.text.replace(".", "").isupper():
                return True
            return token.pos_ not in linking.NOT_NAME_POS and (common_nouns or token.pos_ != "NOUN")
        return True

    def link(self, start, end, kind, payload, role):
        surface = self.raw[start:end]
        if kind == "event":
            self.add_unlinked(start, end, "EVENT")
            self.link(payload[0], payload[1], "model", payload[2], "")
            return
        if kind == "curated":
            entity_id, how, _ = self.kb.names.get(surface) or self.kb.names[surface[0].lower() + surface[1:]]
            evidence = "listed translation variant" if how == "variant" else ""
            self.add_curated(start, end, entity_id, how, 1.0, evidence)
            return
        if kind == "dictionary":
            self.add_actor(start, end, payload, role=role)
            return
        actor = self.actors.lookup(surface) if self.actors is not None else None
        if kind.startswith("dateline"):
            if actor is not None:
                self.add_actor(start, end, actor, evidence="dateline")
            else:
                self.add_unlinked(start, end, "GPE" if kind == "dateline-place" else "ORG", evidence="dateline")
            return
        if actor is not None and (actor.type == payload or {actor.type, payload} <= {"GPE", "LOC", "NORP"}):
            self.add_actor(start, end, actor, role=role)
            return
        if actor is None and self.actors is not None and " " in surface:
            # "Chinese People's Liberation Army": the dictionary may know it without the country word
            rest = surface.split(" ", 1)[1]
            country = self.actors.lookup(surface.split(" ", 1)[0])
            actor = self.actors.lookup(rest) if country is not None and country.is_country else None
            if actor is not None and actor.type == payload:
                self.add_actor(start, end, actor, role=role)
                return
        fuzzy = match_variant(surface, self.kb) if self.kb.fuzzy_index else None
        if fuzzy:
            entity_id, name, score = fuzzy
            self.add_curated(start, end, entity_id, "variant", score, f"fuzzy match to {name!r} (ratio {score:.2f})", role)
            return
        self.add_unlinked(start, end, payload, role=role)

    def nested(self, accepted):
        """A country word opening an organisation's or an event's name is also a mention of the
        country ("Russian Foreign Ministry" names Russia too); places keep one name ("South China Sea")."""
        outer = [(s, e, kind, payload) for s, e, kind, payload, _ in accepted if kind != "nested"]
        starts = sorted((s, e) for s, e, _, _ in outer)
        types = {(row["start"], row["end"]): row["type"] for row in self.rows}
        done = set()
        for start, end, kind, actor, _ in accepted:
            if kind != "nested" or (start, end) in done:
                continue
            done.add((start, end))
            k = bisect.bisect_right(starts, (start, len(self.raw))) - 1
            if k >= 0 and starts[k][0] == start and starts[k][1] > end and types.get(starts[k]) in ("ORG", "EVENT"):
                if actor is None:
                    self.link(start, end, "curated", None, "")
                else:
                    self.add_actor(start, end, actor, evidence="inside a longer name")

    # ------------------------------------------------------------ roles and short names
    def titles_and_roles(self):
        doc, raw = self.doc, self.raw
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
            title, first = linking.preceding_title(doc, i)
            if title and not row["role"]:
                row["role"] = title
            country = country_ending.get(first)
            if row["role"]:
                roles.append((row["entity_id"], row["role"], country, row))
        curated_roles = [(eid, role) for eid, rec in self.kb.entities.items() for role in rec.get("roles") or []]
        for start_token, end_token, title, country_span in linking.role_phrases(doc, lambda a, b: (a, b) in countries):
            start, end = doc[start_token].idx, doc[end_token - 1].idx + len(doc[end_token - 1].text)
            if not self.free(start, end) and any(row["start"] == start and row["end"] == end for row in self.rows):
                continue
            country = countries.get(country_span) if country_span else None
            self.resolve_role_phrase(start, end, title, country, roles, curated_roles)

    def is_curated_country(self, start, end) -> bool:
        surface = self.raw[start:end]
        entity_id = (self.kb.names.get(surface) or (None,))[0]
        return entity_id is not None and bool(self.kb.entities[entity_id].get("demonyms"))

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
        held = linking.in_office(curated_roles, title, names, self.published, self.kb)
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

    def short_names(self):
        self.acronyms()
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
                    row.update(entity_id=prefix["entity_id"], canonical=prefix["canonical"], cameo=prefix["cameo"],
                               how=prefix["how"], evidence=f"begins with {prefix['surface']}, named in this article")
                    people.pop(row["entity_id"], None)
        index = linking.short_name_index(people)
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
            words = [w for w in row["surface"].replace("-", " ").split() if w.lower() not in linking.CONNECTORS]
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


def mentions_frame(columns: dict[str, list]) -> pd.DataFrame:
    """The mentions table from ``mention_columns``."""
    columns = dict(columns)
    columns["sentence_id"] = pd.array(columns["sentence_id"], dtype="Int64")
    columns["start"] = pd.array(columns["start"], dtype="int64")
    columns["end"] = pd.array(columns["end"], dtype="int64")
    columns["score"] = pd.array([float("nan") if v is None else v for v in columns["score"]], dtype="float64")
    return pd.DataFrame(columns, columns=COLUMNS)


class _SentenceIndex:
    """Which sentence holds an offset, and the sentences a rule looks at for its cues."""

    def __init__(self, sentences: dict[str, list]):
        ordered = sorted(zip(*(sentences[c] for c in ("start", "end", "sentence_id", "paragraph_id"))))
        self.starts, self.ends, self.ids, self.paragraphs = ([int(row[i]) for row in ordered] for i in range(4))

    def position(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i if i >= 0 and offset < self.ends[i] else None

    def sentence_of(self, offset: int):
        i = self.position(offset)
        return self.ids[i] if i is not None else None

    def window(self, offset: int, kind: str, raw_length: int) -> list[tuple[int, int, int]]:
        """(start, end, sentence_id) spans in which a rule's cues are looked for, nearest first."""
        i = self.position(offset)
        if i is None:
            return [(0, raw_length, None)]
        spans = [(self.starts[i], self.ends[i], self.ids[i])]
        if kind == "previous" and i > 0 and self.paragraphs[i - 1] == self.paragraphs[i]:
            spans.append((self.starts[i - 1], self.ends[i - 1], self.ids[i - 1]))
        if kind == "article":  # outward from the mention: this sentence, then the nearest others
            order = sorted(range(len(self.starts)), key=lambda k: (abs(k - i), k))
            spans = [(self.starts[k], self.ends[k], self.ids[k]) for k in order]
        return spans


def _resolve_rule(rule, match, raw, locate, kb, published):
    """The entity ids a description stands for and its evidence (the nearest cue), or None."""
    if rule.get("role"):
        people = holders(kb, rule["role"], published)
        if len(people) != 1:
            return None
        term = next(r for r in kb.entities[people[0]]["roles"] if r["title"] == rule["role"])
        return people, f"held the role {rule['role']!r} ({term.get('start')}-{term.get('end') or 'now'}) per the knowledge base"
    for start, end, sentence_id in locate.window(match.start(), rule["window"], len(raw)):
        found = [f"{label}: \u201c{hit.group(0)}\u201d" for label, cue in rule["compiled_cues"]
                 if (hit := cue.search(raw, start, end))]
        if found:  # the cues of the nearest sentence that has any: short, and this mention's own
            return list(rule["entities"]), f"{'; '.join(found)} [s{sentence_id}]"
    return None


# ---------------------------------------------------------------- the entities table


def summarise_entities(mentions: pd.DataFrame, kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """One row per entity: how often and where first it is mentioned, and how it was linked."""
    require_columns(mentions, MENTION_COLUMNS, "summarise_entities")
    names = ("entity_id", "canonical", "type", "sentence_id", "how", "surface")
    columns = {name: plain_values(mentions[name]) for name in names}
    columns["cameo"] = plain_values(mentions["cameo"]) if "cameo" in mentions else [None] * len(mentions)
    return entities_frame(entity_columns(columns, kb))


def entity_columns(mentions: dict[str, list], kb: KnowledgeBase | None = None) -> dict[str, list]:
    """``summarise_entities`` on the mentions' columns as plain lists; plain lists out."""
    kb = kb or load_knowledge_base()
    groups: dict = {}
    cameos = mentions.get("cameo") or [None] * len(mentions["entity_id"])
    for entity_id, canonical, kind, sentence_id, how, surface, cameo in zip(
        mentions["entity_id"], mentions["canonical"], mentions["type"],
        mentions["sentence_id"], mentions["how"], mentions["surface"], cameos,
    ):
        if entity_id is None:
            continue
        group = groups.get(entity_id)
        if group is None:
            group = groups[entity_id] = [canonical, kind, 0, [], set(), {}, cameo]
        group[2] += 1
        if sentence_id is not None:
            group[3].append(sentence_id)
        group[4].add(how)
        group[5][surface] = None
    rows = []
    for entity_id, (canonical, kind, count, sentence_ids, hows, surfaces, cameo) in groups.items():
        record = kb.entities.get(entity_id, {})
        rows.append((entity_id, record.get("canonical", canonical), record.get("type", kind), count,
                     record.get("wikidata"), min(sentence_ids) if sentence_ids else None, record.get("cameo", cameo),
                     ", ".join(sorted(hows)), "; ".join(surfaces)))
    rows.sort(key=lambda r: (-r[3], r[5] is None, 0 if r[5] is None else r[5], r[0]))
    return {name: list(values) for name, values in zip(SUMMARY_COLUMNS, zip(*rows))} if rows else {
        name: [] for name in SUMMARY_COLUMNS}


def entities_frame(columns: dict[str, list]) -> pd.DataFrame:
    """The entities table from ``entity_columns``."""
    if not columns["entity_id"]:
        return pd.DataFrame([], columns=SUMMARY_COLUMNS).astype({"mention_count": "int64", "first_sentence": "Int64"})
    columns = dict(columns)
    columns["mention_count"] = np.asarray(columns["mention_count"], dtype=np.int64)
    columns["first_sentence"] = pd.array(columns["first_sentence"], dtype="Int64")
    return pd.DataFrame(columns, columns=SUMMARY_COLUMNS)
