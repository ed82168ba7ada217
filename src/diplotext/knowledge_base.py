"""The curated knowledge base: the project's own entities, translation variants and coreference rules.

It sits on top of the actor dictionary (``diplotext.actors``): a name it lists wins over the
dictionary, its Wikidata ids are the only ones the project gives, and its rules link descriptions
("Chinese official") to entities when the text gives evidence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import InputError
from .resources import data_path

KB_PATH = data_path("knowledge_base", "entities.yml")

TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "EVENT", "DISEASE", "OTHER"})
WINDOWS = frozenset({"sentence", "previous", "article"})

# The fuzzy fallback: a candidate links to a known name only if both have the same number of
# tokens, each token pair starts with the same letter, the lengths differ by at most a quarter,
# and difflib's similarity ratio reaches the threshold. "Yang Jiezheng" -> "Yang Jiechi" scores
# 0.75; "Yang Liwei" scores 0.76 too, and the initials rule is what refuses it.
FUZZY_THRESHOLD = 0.72
FUZZY_MAX_LENGTH_GAP = 0.25


@dataclass(frozen=True)
class KnowledgeBase:
    """The curated entities, their names indexed for matching, and the coreference rules."""

    path: Path
    entities: dict
    names: dict  # surface -> (entity_id, how, meant)
    name_pattern: re.Pattern | None
    fuzzy_index: dict  # (token count, first letter) -> [(normalised, name, entity_id)]
    coreference: list
    non_entities: frozenset
    role_titles: list = field(default_factory=list)  # (surface, entity_id, meant)
    use_actors: bool = True  # whether the actor dictionary is consulted below these entries

    def canonical(self, entity_id: str) -> str:
        return self.entities[entity_id]["canonical"]


# ---------------------------------------------------------------- knowledge base


def load_knowledge_base(path: Path | str | None = None) -> KnowledgeBase:
    """Load and validate the curated knowledge base (cached: built once per path)."""
    # os.path.abspath, not Path.resolve: the cache key needs no file-system calls on every use.
    return _load_knowledge_base(os.path.abspath(path if path is not None else KB_PATH))


@functools.lru_cache(maxsize=8)
def _load_knowledge_base(path: str) -> KnowledgeBase:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: knowledge base not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: malformed knowledge base YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict) or not isinstance(data.get("entities"), list):
        raise InputError(f"{path}: the knowledge base needs a list under 'entities'")
    entities = {}
    for record in data["entities"]:
        _check_entity(record, path)
        if record["id"] in entities:
            raise InputError(f"{path}: duplicate entity id {record['id']!r}")
        entities[record["id"]] = record
    names: dict[str, tuple[str, str, str]] = {}
    role_titles = []
    for entity_id, record in entities.items():
        listed = [(record["canonical"], "exact", "")]
        listed += [(alias, "alias", "") for alias in record.get("aliases") or []]
        listed += [(demonym, "alias", "") for demonym in record.get("demonyms") or []]
        listed += [(v["surface"], "variant", v.get("meant", "")) for v in record.get("variants") or []]
        for surface, how, meant in listed:
            known = names.get(surface)
            if known and known[0] != entity_id:
                raise InputError(f"{path}: the name {surface!r} belongs to both {known[0]!r} and {entity_id!r}")
            if not known or known[1] != "exact":
                names[surface] = (entity_id, how, meant)
        for role in record.get("roles") or []:
            for seen in role.get("titles_seen") or []:
                role_titles.append((seen["surface"], entity_id, seen.get("meant", "")))
    coreference = [_compile_rule(rule, entities, path) for rule in data.get("coreference") or []]
    non_entities = frozenset(item["surface"] for item in data.get("non_entities") or [])
    return KnowledgeBase(
        path=path,
        entities=entities,
        names=names,
        name_pattern=_name_pattern(names),
        fuzzy_index=_fuzzy_index(entities),
        coreference=coreference,
        non_entities=non_entities,
        role_titles=role_titles,
    )


def _check_entity(record, path: Path) -> None:
    if not isinstance(record, dict) or not record.get("id") or not record.get("canonical"):
        raise InputError(f"{path}: every entity needs an 'id' and a 'canonical' name, found {record!r}")
    if record.get("type") not in TYPES:
        raise InputError(f"{path}: entity {record['id']!r} has type {record.get('type')!r}, expected one of {sorted(TYPES)}")
    wikidata = record.get("wikidata")
    if wikidata is not None and not re.fullmatch(r"Q[1-9][0-9]*", str(wikidata)):
        raise InputError(f"{path}: entity {record['id']!r} has a malformed Wikidata id {wikidata!r}")


def _compile_rule(rule: dict, entities: dict, path: Path) -> dict:
    rule_id = rule.get("id", "?")
    if rule.get("window", "sentence") not in WINDOWS:
        raise InputError(f"{path}: coreference rule {rule_id!r} has window {rule.get('window')!r}, expected one of {sorted(WINDOWS)}")
    for entity_id in rule.get("entities") or []:
        if entity_id not in entities:
            raise InputError(f"{path}: coreference rule {rule_id!r} names unknown entity {entity_id!r}")
    if not rule.get("entities") and not rule.get("role"):
        raise InputError(f"{path}: coreference rule {rule_id!r} needs 'entities' or a 'role'")
    try:
        pattern = re.compile(rule["pattern"])
        cues = [(cue["label"], re.compile(cue["pattern"])) for cue in rule.get("cues") or []]
    except (KeyError, re.error) as exc:
        raise InputError(f"{path}: coreference rule {rule_id!r} has a bad pattern ({exc})") from None
    return {**rule, "window": rule.get("window", "sentence"), "compiled": pattern, "compiled_cues": cues}


def _name_pattern(names: dict) -> re.Pattern | None:
    if not names:
        return None
    # Longest first, so that at any position the longest known name wins.
    parts = []
    for surface in sorted(names, key=lambda s: (-len(s), s)):
        escaped = re.escape(surface)
        if surface[0].islower():  # "crown disease" may open a sentence
            escaped = f"[{surface[0]}{surface[0].upper()}]" + re.escape(surface[1:])
        parts.append(escaped)
    return re.compile(r"(?<![\w\x00])(?:" + "|".join(parts) + r")(?![\w\x00])")


CURATION_LEVELS = ("model alone", "model and dictionary", "full knowledge base")


def reduce_knowledge_base(kb: KnowledgeBase, level: str) -> KnowledgeBase:
    """A copy of ``kb`` with less curation, to show what each part contributes.

    ``model alone``: the NER model's names only, none linked; ``model and dictionary``: the
    model and the actor dictionary, without the curated entries, variants and rules;
    ``full knowledge base``: ``kb`` itself, on top of both.
    """
    if level == "full knowledge base":
        return kb
    if level in ("model alone", "model and dictionary"):
        return dataclasses.replace(kb, names={}, name_pattern=None, fuzzy_index={}, coreference=[],
                                   non_entities=frozenset(), role_titles=[], use_actors=level != "model alone")
    raise InputError(f"unknown curation level {level!r}: expected one of {list(CURATION_LEVELS)}")


def normalise(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces: the form names are compared in."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['\u2019]s\b", "", text.lower())
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _fuzzy_index(entities: dict) -> dict:
    index: dict[tuple[int, str], list] = {}
    for entity_id, record in entities.items():
        # Correct spellings only: translation variants are matched exactly, never as targets.
        for name in [record["canonical"], *(record.get("aliases") or [])]:
            norm = normalise(name)
            if norm:
                index.setdefault((len(norm.split()), norm[0]), []).append((norm, name, entity_id))
    return index


def match_variant(surface: str, kb: KnowledgeBase | None = None, names=None):
    """Fuzzy-match a surface form to a known name; ``(entity_id, name, score)`` or None.

    ``names`` (an iterable of names, or of ``(name, entity_id)``) replaces the knowledge base.
    """
    if names is not None:
        pairs = [(n, n) if isinstance(n, str) else tuple(n) for n in names]
        index: dict = {}
        for name, entity_id in pairs:
            norm = normalise(name)
            if norm:
                index.setdefault((len(norm.split()), norm[0]), []).append((norm, name, entity_id))
    else:
        index = (kb or load_knowledge_base()).fuzzy_index
    norm = normalise(surface)
    if not norm:
        return None
    tokens = norm.split()
    best = None
    for target, name, entity_id in index.get((len(tokens), norm[0]), []):
        if any(a[0] != b[0] for a, b in zip(tokens, target.split())):
            continue
        if abs(len(norm) - len(target)) > FUZZY_MAX_LENGTH_GAP * max(len(norm), len(target)):
            continue
        score = difflib.SequenceMatcher(None, norm, target).ratio()
        if score >= FUZZY_THRESHOLD and (best is None or score > best[2]):
            best = (entity_id, name, round(score, 3))
    return best


def holders(kb: KnowledgeBase, title: str, on: dt.date | None = None) -> list[str]:
    """Ids of the people who held the role ``title`` (on the date ``on``, if given)."""
    found = []
    for entity_id, record in kb.entities.items():
        for role in record.get("roles") or []:
            if role.get("title") == title and (on is None or in_term(on, role.get("start"), role.get("end"))):
                found.append(entity_id)
    return found


def in_term(day: dt.date, start, end) -> bool:
    def bound(value, last):
        if value in (None, ""):
            return None
        text = str(value)
        if re.fullmatch(r"\d{4}", text):  # a year only: the whole year counts
            return dt.date(int(text), 12, 31) if last else dt.date(int(text), 1, 1)
        return dt.date.fromisoformat(text)

    first, final = bound(start, False), bound(end, True)
    return (first is None or first <= day) and (final is None or day <= final)


def unlinked_id(surface: str) -> str:
    """The id of a name no dictionary knows: ``unlinked:<normalised surface>``."""
    return "unlinked:" + normalise(surface).replace(" ", "_")
