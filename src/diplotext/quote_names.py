"""Who is named where in an article, for the quotes stage: people, bodies and places, with the
entities stage's ids where it has them, and the titles they were named with."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

PERSON_TITLES = frozenset(
    "president minister diplomat ambassador spokesperson spokesman spokeswoman envoy leader chairman secretary "
    "premier chancellor king queen prince official aide adviser advisor counselor professor director "
    "representative senator governor mayor general commander chief head".split())
# Offices one person does not hold together: "the President" is not the person the text called
# Prime Minister. Synonyms share a group.
OFFICES = {"president": "president", "minister": "minister", "premier": "minister", "chancellor": "chancellor",
           "king": "monarch", "queen": "monarch", "ambassador": "ambassador", "envoy": "ambassador",
           "senator": "senator", "governor": "governor", "mayor": "mayor"}
# The title words right before a name: "President of Ukraine", "spokesperson", "Foreign Minister".
TITLE_RUN = re.compile(r"(?:(?:[A-Z][\w.'-]*|of|the|for|foreign|" + "|".join(sorted(PERSON_TITLES)) + r")\s+)+$")
# How many names back a pronoun or a title is looked up: far enough for any paragraph.
LOOKBACK = 200


@dataclass
class Speaker:
    entity_id: str
    name: str
    start: int  # where the text names them
    end: int
    type: str


class Names:
    """Who is named where: mentions of the entities stage, else the model's PERSON/ORG/GPE spans."""

    def __init__(self, doc, mentions: dict[str, list] | None):
        linked, unlinked = [], []
        if mentions:
            for start, end, entity_id, canonical, kind, surface, how in zip(
                    mentions["start"], mentions["end"], mentions["entity_id"], mentions["canonical"],
                    mentions["type"], mentions["surface"], mentions["how"]):
                row = Speaker(entity_id or "", canonical or surface or "", int(start), int(end), kind or "")
                (unlinked if how == "unlinked" or not entity_id else linked).append(row)
        rows = list(linked)
        self.raw = doc.text if doc is not None else ""  # Doc.text joins every token: read it once
        text_length = max(len(self.raw), max((r.end for r in linked + unlinked), default=0))
        taken = bytearray(text_length + 1)  # characters a kept name covers: overlap checks in O(length)
        for row in linked:
            taken[row.start : row.end] = b"\x01" * (row.end - row.start)
        # The model's spans where no linked mention is; an unlinked mention only where neither is.
        ents = list(doc.ents) if doc is not None else []
        unlinked_ids = {(row.start, row.end): row for row in unlinked}
        people = {ent.text for ent in ents if ent.label_ == "PERSON" and " " in ent.text}
        for ent in ents:
            if ent.label_ in ("PERSON", "ORG", "GPE", "NORP"):
                label = "GPE" if ent.label_ == "NORP" else ent.label_
                name = ent.text[4:] if ent.text.startswith("the ") else ent.text
                # "Ukraine Volodymyr Zelenskyy" tagged ORG ends with a person named elsewhere; the
                # place before the name may be a linked mention of its own, the person is still here.
                person = next((p for p in people if label != "PERSON" and name.endswith(" " + p)), None)
                if person:
                    name, label = person, "PERSON"
                start = ent.end_char - len(name) if person else ent.start_char
                if any(taken[start : ent.end_char]):
                    continue
                # The entities stage's id for the same words, even an unlinked one.
                same = unlinked_ids.get((start, ent.end_char)) or unlinked_ids.get((ent.start_char, ent.end_char))
                bare = re.sub(r"\s*['\u2019]s$", "", name.strip())  # "Jake Sullivan's" names Jake Sullivan
                rows.append(Speaker(same.entity_id if same else "", same.name if same else bare, start,
                                    ent.end_char, label))
                taken[start : ent.end_char] = b"\x01" * (ent.end_char - start)
        labels = {ent.text: ent.label_ for ent in ents}
        for row in unlinked:
            if not any(taken[row.start : row.end]):
                if row.type not in ("PERSON", "ORG", "GPE", "LOC"):  # the model's type for the same words
                    row.type = labels.get(row.name, row.type)
                rows.append(row)
        rows.sort(key=lambda s: s.start)
        self.rows = rows
        self.starts = [s.start for s in rows]
        self._surnames_expanded()

    def _surnames_expanded(self) -> None:
        """A person named once in full and later by one name alone ("Yang") is the full name."""
        full: dict[str, Speaker] = {}
        for row in self.rows:
            if row.type != "PERSON":
                continue
            words = row.name.split()
            if len(words) > 1:
                for word in words:
                    full.setdefault(word, row)
            elif words and words[0] in full and not row.entity_id:
                whole = full[words[0]]
                row.name, row.entity_id = whole.name, whole.entity_id

    def named(self, word: str) -> Speaker | None:
        """The person named in full whose name holds ``word`` ("Wi" -> "Wi Sung-lac")."""
        if not hasattr(self, "_by_word"):
            self._by_word: dict[str, Speaker] = {}
            for row in self.rows:
                if row.type == "PERSON":
                    for part in set(re.split(r"[\s-]+", row.name)) | set(row.name.split()):
                        self._by_word.setdefault(part, row)
        return self._by_word.get(word)

    def within(self, start: int, end: int) -> list[Speaker]:
        """Names that overlap ``[start, end)``, in text order."""
        i = max(0, bisect.bisect_left(self.starts, start) - 1)
        found = []
        while i < len(self.rows) and self.rows[i].start < end:
            if self.rows[i].end > start:
                found.append(self.rows[i])
            i += 1
        return found

    def full_name(self, person: Speaker) -> Speaker:
        """"Yang said": the Yang this article named in full before, not another Yang the
        knowledge base knows."""
        surface = self.raw[person.start : person.end]
        if " " in surface.strip():
            return person
        first = self.named(surface)
        if first is not None and first.start < person.start and first.name != person.name:
            return first
        return person

    def named_before(self, name: str, position: int) -> list[Speaker]:
        """Every place ``name`` is named before ``position`` (within the look-back)."""
        i = bisect.bisect_left(self.starts, position)
        return [row for row in self.rows[max(0, i - LOOKBACK) : i] if row.name == name]

    def after(self, position: int, types: tuple[str, ...], count: int = 1) -> list[Speaker]:
        """The next ``count`` entities of ``types`` named after ``position``."""
        i = bisect.bisect_left(self.starts, position)
        found = [row for row in self.rows[i : i + LOOKBACK] if row.type in types]
        return found[:count]

    def before(self, position: int, types: tuple[str, ...], count: int = 1) -> list[Speaker]:
        """The last ``count`` distinct entities of ``types`` named before ``position``."""
        i = bisect.bisect_left(self.starts, position) - 1
        found: list[Speaker] = []
        stop = max(-1, i - LOOKBACK)
        while i > stop and len(found) < count:
            row = self.rows[i]
            if row.type in types and row.name not in {f.name for f in found}:
                found.append(row)
            i -= 1
        return found


def has_title(raw: str, person: Speaker, title: str) -> bool:
    """Is ``person`` named with ``title``, in the mention or in the words right before it
    ("President of Ukraine Volodymyr Zelenskyy", "spokesperson Mao Ning")?"""
    before = TITLE_RUN.search(raw, max(0, person.start - 60), person.start)
    return title in raw[person.start : person.end].lower() or bool(before and title in before.group(0).lower())


def other_office(raw: str, person: Speaker, title: str) -> bool:
    """Is ``person`` named with an office other than ``title``'s ("Prime Minister Taro Sato" for
    "the President")? Titles that are not offices (diplomat, official) conflict with none."""
    office = OFFICES.get(title)
    if office is None:
        return False
    before = TITLE_RUN.search(raw, max(0, person.start - 60), person.start)
    words = re.findall(r"[a-z]+", ((before.group(0) if before else "") + " " + raw[person.start : person.end]).lower())
    held = {OFFICES[w] for w in words if w in OFFICES}
    return bool(held) and office not in held

