"""Find and link the mentions of one article: the layers of the entities stage in order.

``ArticleMentions(...).run()`` gives the rows of the mentions table; ``diplotext.entities``
turns them into columns and tables. Spans claimed by one layer are not claimed by another, and
where candidates overlap the longest wins.
"""

from __future__ import annotations

import bisect

from . import linking
from .actors import Actor, load_actors, name_key
from .knowledge_base import holders, match_variant, normalise, unlinked_id


class ArticleMentions(linking.ArticleRules):
    """One article's mentions, layer by layer; spans already claimed are not claimed again."""

    def __init__(self, raw, sentences, kb, published, doc):
        self.raw, self.kb, self.published, self.doc = raw, kb, published, doc
        self.actors = load_actors() if kb.use_actors else None
        self.locate = SentenceIndex(sentences)
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
            if rule["window"] == "article" and not rule.get("role") and not any(
                    cue.search(raw) for _, cue in rule["compiled_cues"]):
                continue  # no cue anywhere: no match of the rule can find one
            for match in rule["compiled"].finditer(raw):
                resolved = resolve_rule(rule, match, raw, self.locate, kb, self.published)
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
        # People the model names in full; "Ukraine Volodymyr Zelenskyy" tagged ORG ends with one.
        people = {ent.text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}
        for ent in doc.ents:
            kind = linking.MODEL_TYPES.get(ent.label_)
            if kind is None:
                continue
            first, last, role = ent.start, ent.end, ""
            if kind != "PERSON" and last - first > 2:
                person = self.person_after_place(first, last, people)
                if person is not None:  # the place before the name is the title's, not the name's
                    first, kind = person, "PERSON"
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
            if head in linking.DOCUMENT_HEADS:
                continue
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

    def person_after_place(self, first: int, last: int, people: set[str]) -> int | None:
        """The first token of a person's name that a span tagged as a place or body ends with:
        a person the model names elsewhere ("Ukraine Volodymyr Zelenskyy"), or two or more proper
        nouns after a country that follows a title ("President of Ukraine Olena Marchenko")."""
        doc = self.doc
        person = next((k for k in range(first + 1, last - 1) if doc[k:last].text in people), None)
        if person is not None or self.actors is None:
            return person
        titled = first >= 2 and doc[first - 1].lower_ == "of" and linking.is_title_word(doc[first - 2].text)
        place = self.actors.lookup(doc[first].text) if titled else None
        if place is None or place.type != "GPE":
            return None
        rest = doc[first + 1 : last]
        if len(rest) >= 2 and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in rest):
            return first + 1
        return None

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
        if kind == "model" and surface in self.kb.names:  # a curated name inside an event's name
            kind = "curated"
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

    def is_curated_country(self, start, end) -> bool:
        surface = self.raw[start:end]
        entity_id = (self.kb.names.get(surface) or (None,))[0]
        return entity_id is not None and bool(self.kb.entities[entity_id].get("demonyms"))


class SentenceIndex:
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

    def window(self, offset: int, kind: str, raw_length: int):
        """(start, end, sentence_id) spans in which a rule's cues are looked for, nearest first
        (a generator: the search stops at the first sentence with a cue)."""
        i = self.position(offset)
        if i is None:
            yield 0, raw_length, None
            return
        yield self.starts[i], self.ends[i], self.ids[i]
        if kind == "previous" and i > 0 and self.paragraphs[i - 1] == self.paragraphs[i]:
            yield self.starts[i - 1], self.ends[i - 1], self.ids[i - 1]
        if kind == "article":  # outward from the mention: the sentence before, after, two before...
            for step in range(1, len(self.starts)):
                for k in (i - step, i + step):
                    if 0 <= k < len(self.starts):
                        yield self.starts[k], self.ends[k], self.ids[k]


def resolve_rule(rule, match, raw, locate, kb, published):
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
