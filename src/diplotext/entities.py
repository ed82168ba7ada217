"""Entities stage: find who and what an article names, and link each mention to the knowledge base.

Candidates come from the text (the knowledge base's names, capitalised sequences) and from
coreference rules (descriptions such as "Chinese official" that stand for a named entity when
the text gives evidence). Each mention keeps its character offsets into the raw text and says
how it was linked: ``exact``, ``alias``, ``variant`` (a listed translation variant or a fuzzy
match), ``coreference`` (with its evidence), or ``unlinked``.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import difflib
import functools
import itertools
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from ._lazy import pd
from .columns import ENTITY_COLUMNS, MENTION_COLUMNS, column_lists, plain_values, require_columns
from .corpus import REPO_ROOT
from .errors import InputError

KB_PATH = REPO_ROOT / "data" / "knowledge_base" / "entities.yml"
ANNOTATION_PATH = REPO_ROOT / "data" / "annotations" / "entities_seed.csv"

COLUMNS = [*MENTION_COLUMNS, "score", "evidence", "meant"]
SUMMARY_COLUMNS = [*ENTITY_COLUMNS, "first_sentence", "cameo", "how", "surfaces"]
ARTEFACT_COLUMNS = ["surface", "canonical", "how", "sentences", "meant", "evidence"]
ANNOTATION_COLUMNS = ["sentence_id", "start", "end", "surface", "entity_id", "type"]

TYPES = frozenset({"PERSON", "ORG", "GPE", "EVENT", "DISEASE", "OTHER"})
UNKNOWN_TYPE = "UNKNOWN"
WINDOWS = frozenset({"sentence", "previous", "article"})

# The fuzzy fallback: a candidate links to a known name only if both have the same number of
# tokens, each token pair starts with the same letter, the lengths differ by at most a quarter,
# and difflib's similarity ratio reaches the threshold. "Yang Jiezheng" -> "Yang Jiechi" scores
# 0.75; "Yang Liwei" scores 0.76 too, and the initials rule is what refuses it.
FUZZY_THRESHOLD = 0.72
FUZZY_MAX_LENGTH_GAP = 0.25

# Words that precede or follow names without being part of them.
TITLES = frozenset(
    """
    President Premier Chairman Chairwoman Minister Ambassador Secretary Secretary-General Director
    Spokesman Spokeswoman Spokesperson King Queen Prince Princess Mr Mrs Ms Dr Prof Senator
    Governor Mayor Chancellor Commander Envoy Councillor Counselor
    """.split()
)
# Words that belong to a title only when a title follows: "Prime Minister", "Foreign Minister".
TITLE_MODIFIERS = frozenset("Vice Deputy Prime Foreign Defence Defense General State First Acting".split())
CALENDAR = frozenset(
    """
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    """.split()
)
_PROPER_TAGS = frozenset({"NNP", "NNPS"})

_TOKEN = r"[A-Z][A-Za-z0-9]*(?:['\u2019\-][A-Za-z0-9]+)*"
_CONNECTOR = r"(?:of the|of|for|de|da|del|van|von|bin|al)"
_CAPITALISED = re.compile(rf"(?<![\w\x00]){_TOKEN}(?:[ \t]+(?:{_CONNECTOR}[ \t]+)?{_TOKEN})*")
_TOKEN_RE = re.compile(_TOKEN)
_OPENING = set("\"'\u201c\u2018([{\u00ab \t\r\n")
_MASK = "\x00"


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


CURATION_LEVELS = ("text alone", "names only", "full knowledge base")


def reduce_knowledge_base(kb: KnowledgeBase, level: str) -> KnowledgeBase:
    """A copy of ``kb`` with less curation, to show what each part contributes.

    ``text alone``: no names at all (every candidate is unlinked); ``names only``: canonical
    names, aliases and the fuzzy fallback, without listed variants, coreference rules or
    non-entities; ``full knowledge base``: ``kb`` itself.
    """
    if level == "full knowledge base":
        return kb
    if level == "text alone":
        return dataclasses.replace(kb, names={}, name_pattern=None, fuzzy_index={}, coreference=[],
                                   non_entities=frozenset(), role_titles=[])
    if level == "names only":
        names = {surface: value for surface, value in kb.names.items() if value[1] != "variant"}
        return dataclasses.replace(kb, names=names, name_pattern=_name_pattern(names), coreference=[],
                                   non_entities=frozenset())
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
            if role.get("title") == title and (on is None or _in_term(on, role.get("start"), role.get("end"))):
                found.append(entity_id)
    return found


def _in_term(day: dt.date, start, end) -> bool:
    def bound(value, last):
        if value in (None, ""):
            return None
        text = str(value)
        if re.fullmatch(r"\d{4}", text):  # a year only: the whole year counts
            return dt.date(int(text), 12, 31) if last else dt.date(int(text), 1, 1)
        return dt.date.fromisoformat(text)

    first, final = bound(start, False), bound(end, True)
    return (first is None or first <= day) and (final is None or day <= final)


# ---------------------------------------------------------------- mentions


def find_mentions(raw: str, sentences: pd.DataFrame, kb: KnowledgeBase | None = None, published=None) -> pd.DataFrame:
    """Find and link every mention in ``raw``; one row per mention (per entity), sorted by start.

    ``published`` (a date) picks the holder of a role named by description ("the Russian
    ambassador to China"); without it the role must have a single holder in the knowledge base.
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
    return mentions_frame(mention_columns(raw, column_lists(sentences, _SENTENCE_SPANS), kb, published))


_SENTENCE_SPANS = ("sentence_id", "paragraph_id", "start", "end")


def mention_columns(raw: str, sentences: dict[str, list], kb: KnowledgeBase | None = None,
                    published: dt.date | None = None) -> dict[str, list]:
    """``find_mentions`` on checked inputs, as plain lists column by column (missing values None):
    ``sentences`` holds the sentences table's columns as lists."""
    kb = kb or load_knowledge_base()
    locate = _SentenceIndex(sentences)
    rows: list[dict] = []
    taken = bytearray(len(raw))
    claimed: list[tuple[int, int]] = []

    def claim(start, end):
        if any(taken[start:end]):
            return False
        taken[start:end] = b"\x01" * (end - start)
        claimed.append((start, end))
        return True

    # 1. Descriptions that stand for an entity, only with evidence.
    article_cues: dict = {}  # rule -> evidence over the whole article, found once
    for rule in kb.coreference:
        for match in rule["compiled"].finditer(raw):
            resolved = _resolve_rule(rule, match, raw, locate, kb, published, article_cues)
            if resolved and claim(match.start(), match.end()):
                entity_ids, evidence = resolved
                for entity_id in entity_ids:
                    rows.append(_row(kb, match.start(), match.end(), raw, entity_id, "coreference",
                                     None, evidence, rule.get("meant", "").strip()))
    # 2. Names the knowledge base knows, longest first.
    if kb.name_pattern is not None:
        for match in kb.name_pattern.finditer(raw):
            if claim(match.start(), match.end()):
                surface = match.group(0)
                entity_id, how, meant = kb.names.get(surface) or kb.names[surface[0].lower() + surface[1:]]
                evidence = "listed translation variant" if how == "variant" else ""
                rows.append(_row(kb, match.start(), match.end(), raw, entity_id, how, 1.0, evidence, meant.strip()))
    # 3. Other capitalised sequences: fuzzy-linked to a known name, or kept as unlinked.
    # Claimed spans masked out; same length as raw, so offsets still hold. The spans never
    # overlap (``claim`` refuses that), so one pass over them in order builds the string.
    pieces, position = [], 0
    for start, end in sorted(span for span in claimed if span[1] > span[0]):
        pieces += [raw[position:start], _MASK * (end - start)]
        position = end
    pieces.append(raw[position:])
    masked = "".join(pieces)
    for match in _CAPITALISED.finditer(masked):
        for start, end in _clean_candidate(raw, match.start(), match.end(), locate, kb):
            surface = raw[start:end]
            linked = match_variant(surface, kb)
            if linked:
                entity_id, name, score = linked
                rows.append(_row(kb, start, end, raw, entity_id, "variant", score,
                                 f"fuzzy match to {name!r} (ratio {score:.2f})", ""))
            else:
                rows.append(_unlinked_row(start, end, raw))
    rows.sort(key=lambda row: (row["start"], row["end"], row["entity_id"]))
    columns = {name: [row.get(name) for row in rows] for name in COLUMNS}
    columns["sentence_id"] = [locate.sentence_of(row["start"]) for row in rows]
    return columns


def mentions_frame(columns: dict[str, list]) -> pd.DataFrame:
    """The mentions table from ``mention_columns``."""
    columns = dict(columns)
    columns["sentence_id"] = pd.array(columns["sentence_id"], dtype="Int64")
    columns["start"] = pd.array(columns["start"], dtype="int64")
    columns["end"] = pd.array(columns["end"], dtype="int64")
    columns["score"] = pd.array([float("nan") if v is None else v for v in columns["score"]], dtype="float64")
    return pd.DataFrame(columns, columns=COLUMNS)


class _SentenceIndex:
    """Which sentence holds an offset, where sentences start, and their neighbours."""

    def __init__(self, sentences: dict[str, list]):
        ordered = sorted(zip(*(sentences[c] for c in ("start", "end", "sentence_id", "paragraph_id"))))
        self.starts, self.ends, self.ids, self.paragraphs = (
            [int(row[i]) for row in ordered] for i in range(4)
        )

    def position(self, offset: int) -> int | None:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i if i >= 0 and offset < self.ends[i] else None

    def sentence_of(self, offset: int):
        i = self.position(offset)
        return self.ids[i] if i is not None else None

    def is_sentence_initial(self, raw: str, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[i] if i >= 0 else 0
        return all(ch in _OPENING for ch in raw[start:offset])

    def window(self, offset: int, kind: str, raw_length: int) -> list[tuple[int, int, int]]:
        """(start, end, sentence_id) spans in which a rule's cues are looked for."""
        i = self.position(offset)
        if kind == "article" or i is None:
            return list(zip(self.starts, self.ends, self.ids)) or [(0, raw_length, None)]
        spans = [(self.starts[i], self.ends[i], self.ids[i])]
        if kind == "previous" and i > 0 and self.paragraphs[i - 1] == self.paragraphs[i]:
            spans.insert(0, (self.starts[i - 1], self.ends[i - 1], self.ids[i - 1]))
        return spans


def _resolve_rule(rule, match, raw, locate, kb, published, cache=None):
    """The entity ids a description stands for and the evidence, or None without evidence."""
    if rule.get("role"):
        people = holders(kb, rule["role"], published)
        if len(people) != 1:
            return None
        term = next(r for r in kb.entities[people[0]]["roles"] if r["title"] == rule["role"])
        evidence = f"held the role {rule['role']!r} ({term.get('start')}-{term.get('end') or 'now'}) per the knowledge base"
        return people, evidence
    whole = rule["window"] == "article" or locate.position(match.start()) is None
    if whole and cache is not None and id(rule) in cache:
        evidence = cache[id(rule)]  # the whole article's cues: the same for every match of the rule
    else:
        found = []
        for start, end, sentence_id in locate.window(match.start(), rule["window"], len(raw)):
            for label, cue in rule["compiled_cues"]:
                for hit in cue.finditer(raw, start, end):
                    found.append(f"{label}: \u201c{hit.group(0)}\u201d [s{sentence_id}]")
        evidence = "; ".join(dict.fromkeys(found)) if found else None
        if whole and cache is not None:
            cache[id(rule)] = evidence
    if evidence is None:
        return None
    return list(rule["entities"]), evidence


def _clean_candidate(raw, start, end, locate, kb):
    """Trim a capitalised sequence to the name it may hold; yield nothing if it holds none."""
    tokens = [(m.start() + start, m.end() + start) for m in _TOKEN_RE.finditer(raw[start:end])]
    # Drop leading words that are not names: sentence-initial common words, titles, dates.
    while tokens:
        words = [raw[s:e] for s, e in tokens]
        run = next((i for i, w in enumerate(words) if w not in TITLES | TITLE_MODIFIERS), len(words))
        if any(w in TITLES for w in words[:run]):
            del tokens[:run]
        elif words[0] in CALENDAR or _is_function_word(words[0]) or (
            locate.is_sentence_initial(raw, tokens[0][0]) and _is_common_word(words[0])
        ):
            tokens.pop(0)
        else:
            break
    while tokens and raw[tokens[-1][0] : tokens[-1][1]] in TITLES | CALENDAR:
        tokens.pop()
    if not tokens:
        return
    start, end = tokens[0][0], tokens[-1][1]
    if raw[end - 2 : end] in ("'s", "\u2019s"):
        end -= 2
    surface = raw[start:end]
    if surface in kb.non_entities:
        return
    yield start, end


@functools.lru_cache(maxsize=1)
def _lexicon():
    # Pattern's English lexicon, bundled with TextBlob (no download); loading it takes ~1 s once.
    from textblob.en import lexicon

    lexicon.get("the")
    return lexicon


def _is_common_word(word: str) -> bool:
    """A capitalised word that is an ordinary English word, not a name ("According", "Prior")."""
    lexicon = _lexicon()
    return lexicon.get(word.lower()) is not None and lexicon.get(word) not in _PROPER_TAGS


def _is_function_word(word: str) -> bool:
    return _lexicon().get(word.lower()) in {"DT", "IN", "CC", "PRP", "PRP$", "WDT", "WP", "WRB", "MD", "TO", "EX"}


def _row(kb, start, end, raw, entity_id, how, score, evidence, meant) -> dict:
    record = kb.entities[entity_id]
    return {
        "start": start,
        "end": end,
        "surface": raw[start:end],
        "entity_id": entity_id,
        "canonical": record["canonical"],
        "type": record["type"],
        "how": how,
        "score": score,
        "evidence": evidence,
        "meant": meant,
    }


def _unlinked_row(start, end, raw) -> dict:
    surface = raw[start:end]
    return {
        "start": start,
        "end": end,
        "surface": surface,
        "entity_id": unlinked_id(surface),
        "canonical": surface,
        "type": UNKNOWN_TYPE,
        "how": "unlinked",
        "score": None,
        "evidence": "capitalised sequence not in the knowledge base",
        "meant": "",
    }


def unlinked_id(surface: str) -> str:
    """The id of a name the knowledge base does not know: ``unlinked:<normalised surface>``."""
    return "unlinked:" + normalise(surface).replace(" ", "_")


# ---------------------------------------------------------------- tables for the chapter


def summarise_entities(mentions: pd.DataFrame, kb: KnowledgeBase | None = None) -> pd.DataFrame:
    """One row per entity: how often and where first it is mentioned, and how it was linked."""
    require_columns(mentions, MENTION_COLUMNS, "summarise_entities")
    names = ("entity_id", "canonical", "type", "sentence_id", "how", "surface")
    return entities_frame(entity_columns({name: plain_values(mentions[name]) for name in names}, kb))


def entity_columns(mentions: dict[str, list], kb: KnowledgeBase | None = None) -> dict[str, list]:
    """``summarise_entities`` on the mentions' columns as plain lists (missing values None);
    plain lists out."""
    kb = kb or load_knowledge_base()
    # One pass over plain lists, groups in order of first mention (pandas' groupby costs more here).
    groups: dict = {}
    for entity_id, canonical, kind, sentence_id, how, surface in zip(
        mentions["entity_id"], mentions["canonical"], mentions["type"],
        mentions["sentence_id"], mentions["how"], mentions["surface"],
    ):
        if entity_id is None:
            continue  # groupby leaves out missing keys
        group = groups.get(entity_id)
        if group is None:
            group = groups[entity_id] = [canonical, kind, 0, [], set(), {}]
        group[2] += 1
        if sentence_id is not None:
            group[3].append(sentence_id)
        group[4].add(how)
        group[5][surface] = None
    rows = []
    for entity_id, (canonical, kind, count, sentence_ids, hows, surfaces) in groups.items():
        record = kb.entities.get(entity_id, {})
        rows.append((entity_id, record.get("canonical", canonical), record.get("type", kind), count,
                     record.get("wikidata"), min(sentence_ids) if sentence_ids else None, record.get("cameo"),
                     ", ".join(sorted(hows)), "; ".join(surfaces)))
    # Most mentioned first, then by first sentence (missing last), then by id; stable.
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


def translation_artefacts(mentions: pd.DataFrame, raw: str, kb: KnowledgeBase | None = None,
                          sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Garbled names, descriptions and titles: one row per surface form and entity, with what was meant."""
    kb = kb or load_knowledge_base()
    require_columns(mentions, COLUMNS, "translation_artefacts")
    rows = []
    picked = mentions[mentions.how.isin(["variant", "coreference"])]
    for (surface, entity_id), group in picked.groupby(["surface", "entity_id"], sort=False):
        evidence = list(dict.fromkeys(group.evidence))
        rows.append({"start": group.start.min(), "surface": surface, "canonical": group.canonical.iloc[0],
                     "how": group.how.iloc[0], "sentences": _id_list(group.sentence_id),
                     "meant": group.meant.iloc[0],
                     "evidence": evidence[0] if len(evidence) == 1 else f"a cue for each mention ({len(group)}), see the coreference table"})
    # Role titles garbled by the translation are not mentions, but a reader needs them too.
    locate = _SentenceIndex(column_lists(sentences, _SENTENCE_SPANS)) if sentences is not None else None
    for surface, entity_id, meant in kb.role_titles:
        found = [m.start() for m in re.finditer(re.escape(surface), raw)]
        if found:
            ids = [locate.sentence_of(i) for i in found] if locate else []
            rows.append({"start": found[0], "surface": surface, "canonical": kb.canonical(entity_id),
                         "how": "role title", "sentences": _id_list(ids), "meant": meant,
                         "evidence": "listed role title"})
    table = pd.DataFrame(rows, columns=["start", *ARTEFACT_COLUMNS])
    table["meant"] = table.meant.fillna("").map(lambda text: " ".join(str(text).split()))
    return table.sort_values("start", kind="stable").drop(columns="start").reset_index(drop=True)


def _id_list(ids) -> str:
    return ", ".join(str(i) for i in dict.fromkeys(ids) if not pd.isna(i))


def mention_spans(mentions: pd.DataFrame) -> list[tuple[int, int, str, str]]:
    """Spans for ``display.numbered_text_html``: one per distinct span, titled with the entity."""
    spans = []
    for (start, end), group in mentions.groupby(["start", "end"], sort=True):
        how = group.how.iloc[0]
        title = " + ".join(group.canonical) + f" ({how})"
        spans.append((int(start), int(end), f"entity entity-{how}", title))
    return spans


def cooccurrence_graph(mentions: pd.DataFrame, kb: KnowledgeBase | None = None):
    """Entities as nodes; an edge joins two entities named in the same sentence (weight: sentences)."""
    import networkx as nx

    kb = kb or load_knowledge_base()
    graph = nx.Graph()
    for entity_id, group in mentions.groupby("entity_id"):
        record = kb.entities.get(entity_id, {})
        graph.add_node(entity_id, label=record.get("label", group.canonical.iloc[0]),
                       type=group.type.iloc[0], mentions=len(group))
    for _, group in mentions.groupby("sentence_id"):
        for a, b in itertools.combinations(sorted(set(group.entity_id)), 2):
            weight = graph.edges[a, b]["weight"] + 1 if graph.has_edge(a, b) else 1
            graph.add_edge(a, b, weight=weight)
    return graph


TYPE_COLOURS = {"PERSON": "#4c72b0", "GPE": "#55a868", "ORG": "#c44e52", "EVENT": "#dd8452",
                "DISEASE": "#8172b3", UNKNOWN_TYPE: "#999999"}


def plot_cooccurrence(graph, ax=None):
    """Draw the co-occurrence graph: node size by mentions, colour by type, edge width by weight."""
    import matplotlib.pyplot as plt
    import networkx as nx

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 6))
    ax.set_axis_off()
    if graph.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "No entities found", ha="center", va="center", fontsize=12)
        return ax
    # A circle grouped by type keeps every label clear of the others, however dense the links.
    types = nx.get_node_attributes(graph, "type")
    order = sorted(graph.nodes, key=lambda n: (types[n], -graph.nodes[n]["mentions"], n))
    angles = {node: 2 * math.pi * i / len(order) for i, node in enumerate(order)}
    layout = {node: (math.cos(a), math.sin(a)) for node, a in angles.items()}
    widths = [0.5 + 1.0 * graph.edges[e]["weight"] for e in graph.edges]
    nx.draw_networkx_edges(graph, layout, ax=ax, width=widths, edge_color="#9a9a9a", alpha=0.55)
    nx.draw_networkx_nodes(
        graph, layout, ax=ax, nodelist=order,
        node_size=[60 + 60 * graph.nodes[n]["mentions"] for n in order],
        node_color=[TYPE_COLOURS.get(types[n], "#999999") for n in order],
        edgecolors="white",
    )
    for node, angle in angles.items():
        x, y = math.cos(angle), math.sin(angle)
        left = x < -1e-9
        ax.text(1.1 * x, 1.1 * y, graph.nodes[node]["label"], fontsize=8, va="center",
                ha="right" if left else "left", rotation=math.degrees(angle) + (180 if left else 0),
                rotation_mode="anchor")
    present = sorted(set(types.values()))
    handles = [plt.Line2D([], [], marker="o", ls="", color=TYPE_COLOURS.get(t, "#999999"), label=t) for t in present]
    ax.legend(handles=handles, loc="lower left", frameon=False, fontsize=8)
    ax.set_xlim(-1.75, 1.75)
    ax.set_ylim(-1.6, 1.6)
    ax.set_aspect("equal")
    return ax


# ---------------------------------------------------------------- evaluation


def load_annotation(path: Path | str | None = None, raw: str | None = None) -> pd.DataFrame:
    """Read a hand annotation of mentions; with ``raw``, check every surface against the text."""
    path = Path(path) if path is not None else ANNOTATION_PATH
    if not path.is_file():
        raise InputError(f"{path}: annotation file not found")
    table = pd.read_csv(path, dtype={"surface": str, "entity_id": str, "type": str}, keep_default_na=False)
    require_columns(table, ANNOTATION_COLUMNS, str(path))
    if raw is not None:
        for row in table.itertuples():
            if raw[row.start : row.end] != row.surface:
                raise InputError(f"{path}: row {row.Index + 2}: {row.surface!r} is not the text at {row.start}-{row.end}")
    return table


def evaluate_mentions(predicted: pd.DataFrame, gold: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Precision, recall and F1 against a hand annotation, and the list of disagreements.

    ``linked`` counts a mention right when span and entity both match; ``span`` only the span.
    """
    require_columns(predicted, ["start", "end", "entity_id"], "evaluate_mentions (predicted)")
    require_columns(gold, ["start", "end", "entity_id"], "evaluate_mentions (gold)")
    scores = []
    for level, key in (("linked", ["start", "end", "entity_id"]), ("span", ["start", "end"])):
        got = set(map(tuple, predicted[key].itertuples(index=False)))
        want = set(map(tuple, gold[key].itertuples(index=False)))
        hits = len(got & want)
        precision = hits / len(got) if got else float("nan")
        recall = hits / len(want) if want else float("nan")
        f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
        scores.append({"level": level, "predicted": len(got), "gold": len(want), "correct": hits,
                       "precision": precision, "recall": recall, "f1": f1})
    key = ["start", "end", "entity_id"]
    merged = predicted.merge(gold, on=key, how="outer", suffixes=("", "_gold"), indicator=True)
    errors = merged[merged["_merge"] != "both"].copy()
    errors["error"] = errors["_merge"].map({"left_only": "false positive", "right_only": "missed"})
    errors["surface"] = errors["surface"].where(errors["surface"].notna(), errors.get("surface_gold"))
    errors["sentence_id"] = errors["sentence_id"].where(errors["sentence_id"].notna(), errors.get("sentence_id_gold"))
    columns = ["error", "sentence_id", "start", "end", "surface", "entity_id"]
    if "how" in errors:
        columns.append("how")
    errors = errors[columns].sort_values(["start", "error"], kind="stable").reset_index(drop=True)
    return pd.DataFrame(scores), errors


