"""Chronology stage: temporal expressions, dated event records, and the text checked against the record.

``find_timexes`` tags and normalises time expressions (rules in :mod:`diplotext.timex`; the
times stage, :mod:`diplotext.times`, adds the parse's tenses and writes ``times.csv``).
``build_chronology`` turns them into event records: a trigger verb (met, attend, visit,
invaded, ...) takes the nearest time expression in its sentence, its actor is the nearest
named entity before it, its target the first one after it. Facts the text implies but does not
date come from ``src/diplotext/data/chronology/outside_facts.yml``, each with a cited source
(:mod:`diplotext.outside_facts`). Each event carries its CAMEO code, the code's quad class
and its Goldstein value (:mod:`diplotext.cameo`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from dataclasses import dataclass
from typing import NamedTuple

from ._lazy import pd
from .cameo import goldstein, quad_class, verb_code
from .tables import COLUMNS as TABLE_COLUMNS
from .tables import MENTION_COLUMNS, column_lists, frame, require_columns
from .event_roles import ParsedRoles, pick_actor, pick_place, pick_target
from .outside_facts import (  # noqa: F401  (re-exported: the chapter and tests read them here)
    RECORD_COLUMNS, VERDICTS, compare_with_record, flag_translation_changes, implied_facts, load_outside_facts,
    outside_facts)
from .sentence_spans import SentenceSpans, as_date, check_inputs, iso, sentence_of, spans_of
from .times import find_times
from .timex import STATED_RULES, Timex, find

TIMEX_COLUMNS = ["sentence_id", "start", "end", "time_text", "timex_type", "timex_value", "timex_mod",
                 "start_date", "end_date", "rule"]
COLUMNS = TABLE_COLUMNS["chronology"]
BASES = ("stated", "resolved", "outside")

# Values that place nothing on a calendar: no event is dated by them.
_VAGUE = frozenset({"PAST_REF", "FUTURE_REF", "PRESENT_REF"})


@dataclass(frozen=True)
class Trigger:
    action: str
    pattern: re.Pattern
    cameo: str  # reported event
    cameo_planned: str  # announced, expected or intended: CAMEO 036 where a meeting is meant


# CAMEO (Schrodt 2012): 010 make statement, 036 express intent to meet, 040 consult, 042 make a
# visit (attending a summit abroad is a visit to its host), 043 host a visit, 057 sign formal
# agreement, 062 cooperate militarily (joint exercises), 190 use conventional military force.
TRIGGERS = [
    Trigger("meet", re.compile(
        r"\b(?:meets?|met|meeting)\s+with\b|\b(?:meets|met)\s+(?=[A-Z])|\bmet\s+and\s+(?:[a-z]+\s+){1,4}?with\b"
        r"|\b(?:hold|holds|held|holding)\s+(?:[\w-]+\s+){0,4}?(?:meeting|talks)\s+with\b|\btalks\s+with\b"), "040", "036"),
    Trigger("attend", re.compile(r"\battend(?:s|ed|ing)?\b"), "042", "036"),
    Trigger("visit", re.compile(r"\b(?:(?:state|official|working)\s+)?visit(?:s|ed|ing)?\b(?!\s+(?:by|from)\b)"), "042", "036"),
    Trigger("host", re.compile(r"\bhost(?:s|ed|ing)?\b(?!\s+by\b)"), "043", "036"),
    Trigger("announce", re.compile(r"\bannounce[sd]?\b"), "010", "010"),
    Trigger("invade", re.compile(r"\b(?:invade[sd]?|invading|invasion\s+of)\b"), "190", ""),
    Trigger("participate", re.compile(r"\b(?:participate[sd]?|participating|took\s+part|takes?\s+part|taking\s+part)\s+in\b"), "040", "036"),
    Trigger("sign", re.compile(r"\bsign(?:s|ed|ing)?\b"), "057", ""),
]
_VERBS = {
    "meet": ("met", "to meet"), "attend": ("attended", "to attend"), "visit": ("visited", "to visit"),
    "host": ("hosted", "to host"), "announce": ("made an announcement", "to make an announcement"),
    "invade": ("invaded", "to invade"), "participate": ("took part in", "to take part in"),
    "sign": ("signed", "to sign"),
}
_DENIED = re.compile(r"(?i)\b(?:not|never|n't|no\s+longer|denied|denies|deny|refused\s+to|declined\s+to)\b[^,;]*$")
_MILITARY = re.compile(r"(?i)\b(?:exercises?|drills?|manoeuvres?|maneuvers?|war\s*games?)\b")
_PLANNED = re.compile(r"(?i)\b(?:will|would|shall|expected|expects?|plans?|planned|scheduled|invited|intends?|going)\b|\bto\s*$")
# A clause opens at a comma or a subordinator; tense and actors are read inside the clause.
_CLAUSE_OPENER = re.compile(r"(?i)[,;:(]|\b(?:since|when|after|before|that|which|who|because|while|as|if)\b")
_STOP_CAPITALS = frozenset(
    "The A An On In At According This That These Those It He She They We Prior After Before When While If "
    "Since As But And Or However Meanwhile Moreover Also In addition".split()
)
_CAPITALISED = re.compile(r"(?<![\w'])[A-Z][\w'’-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]*)*")


# ---------------------------------------------------------------- temporal expressions


def find_timexes(raw: str, sentences: pd.DataFrame, document_date: dt.date | None) -> pd.DataFrame:
    """One row per temporal expression, with its sentence, offsets and TIMEX3 value."""
    check_inputs(raw, sentences)
    document_date = as_date(document_date)
    spans = spans_of(sentences)
    rows = []
    for timex in find(raw, document_date):
        rows.append({
            "sentence_id": sentence_of(spans, timex.start),
            "start": timex.start,
            "end": timex.end,
            "time_text": raw[timex.start : timex.end],
            "timex_type": timex.timex_type,
            "timex_value": timex.timex_value,
            "timex_mod": timex.timex_mod,
            "start_date": iso(timex.start_date),
            "end_date": iso(timex.end_date),
            "rule": timex.rule,
        })
    return pd.DataFrame(rows, columns=TIMEX_COLUMNS).astype({"sentence_id": "int64", "start": "int64", "end": "int64"})


# ---------------------------------------------------------------- events


def build_chronology(raw: str, sentences: pd.DataFrame, document_date: dt.date | None,
                     mentions: pd.DataFrame | None = None, facts: list[dict] | None = None, doc=None) -> pd.DataFrame:
    """Dated event records, from the text (stated, resolved) and from cited outside facts.

    With the article's parse (``doc``), weekdays and yearless dates follow their verbs' tenses.
    """
    check_inputs(raw, sentences)
    document_date = as_date(document_date)
    timexes = find_times(raw, document_date, doc)
    if mentions is None:
        mentions = _capitalised_mentions(raw, sentences, timexes)
    else:
        require_columns(mentions, MENTION_COLUMNS, "mentions")
    return frame("chronology", chronology_columns(
        raw, column_lists(sentences, ("sentence_id", "start", "end")), document_date,
        column_lists(mentions, [c for c in ("start", "end", "entity_id", "canonical", "type", "cameo") if c in mentions]),
        facts, timexes, doc))


def chronology_columns(raw: str, sentences: dict[str, list], document_date: dt.date | None,
                       mentions: dict[str, list], facts: list[dict] | None = None,
                       timexes: list[Timex] | None = None, doc=None) -> dict[str, list]:
    """``build_chronology`` on checked inputs, the tables' columns as plain lists; plain lists out."""
    timexes = find(raw, document_date) if timexes is None else timexes
    facts = outside_facts() if facts is None else facts
    # Plain lists from here on: pandas indexing per sentence would cost more than the rules.
    spans = SentenceSpans(zip(sentences["sentence_id"], sentences["start"], sentences["end"]))
    entity_ids = mentions["entity_id"]
    names = dict(zip(entity_ids, mentions["canonical"]))
    for fact in facts:
        names.setdefault(fact["id"], fact["summary"])
    mention_list = _MentionList(zip(mentions["start"], mentions["end"], entity_ids, mentions["type"]))

    # Per sentence, only the time expressions and mentions that start inside it are looked at:
    # found by bisection (``find`` sorts by start; the mentions table usually is too).
    timex_starts = [t.start for t in timexes]
    roles = ParsedRoles(doc) if doc is not None else None
    events = []
    for sentence in spans:
        inside = timexes[bisect.bisect_left(timex_starts, sentence.start) : bisect.bisect_left(timex_starts, sentence.end)]
        nearby = mention_list.starting_in(sentence.start, sentence.end)
        events.extend(_sentence_events(raw, sentence, timexes, mention_list, names, events, inside, nearby, roles))
    events = _merge_repeats(events)
    events.extend(implied_facts(raw, spans, document_date, facts))
    flag_translation_changes(events, raw, spans, document_date, facts)

    events.sort(key=lambda e: (e["start_date"] == "", e["start_date"], e["sentence_id"]))  # stable
    # Actors' CAMEO codes, when the entities stage gives them (a ``cameo`` column on mentions).
    actor_codes = {i: c for i, c in zip(entity_ids, mentions.get("cameo") or []) if isinstance(c, str) and c}
    for event in events:
        event["quad_class"] = quad_class(event["cameo"])
        event["goldstein"] = goldstein(event["cameo"])
        for role in ("actor", "target"):
            event[f"{role}_cameo"] = ";".join(actor_codes.get(i, "") for i in event[role].split(";") if i) \
                if any(actor_codes.get(i) for i in event[role].split(";")) else ""
    columns = {name: [event.get(name) for event in events] for name in COLUMNS}  # drops the private "_span"
    columns["event_id"] = [f"ev{n:02d}" for n in range(1, len(events) + 1)]
    return columns


class _Mention(NamedTuple):
    start: int
    end: int
    entity_id: str
    type: str


class _MentionList(list):
    """Mentions in the table's order; knows whether they are sorted by start."""

    def __init__(self, rows):
        super().__init__(_Mention(*row) for row in rows)
        self.starts = [m.start for m in self]
        self.by_start = all(a <= b for a, b in zip(self.starts, self.starts[1:]))

    def starting_in(self, start: int, end: int) -> list[_Mention]:
        """A part of the list, in order, holding every mention that starts in ``[start, end]``."""
        if not self.by_start:
            return self
        return self[bisect.bisect_left(self.starts, start) : bisect.bisect_right(self.starts, end)]


def _sentence_events(raw, sentence, timexes, mentions, names, earlier, inside=None, nearby=None, roles=None):
    """Events of one sentence: each trigger with the time expression nearest to it.

    ``inside`` (the time expressions starting in the sentence) and ``nearby`` (a part of
    ``mentions``, in order, holding every mention that starts in it) only save the scans.
    """
    s_start, s_end = sentence.start, sentence.end
    if inside is None:
        inside = [t for t in timexes if s_start <= t.start < s_end]
    dating = [t for t in inside if t.timex_type == "DATE" and t.timex_value not in _VAGUE]
    if not dating:
        return []
    triggers = []
    for trigger in TRIGGERS:
        for match in trigger.pattern.finditer(raw, s_start, s_end):
            if not any(t.start <= match.start() < t.end for t in inside):
                triggers.append((match.start(), match.end(), trigger))
    triggers.sort(key=lambda item: item[0])
    if not triggers:
        return []

    assigned: dict[int, list[Timex]] = {}
    for timex in dating:
        assigned.setdefault(_nearest_trigger(raw, s_start, timex, triggers), []).append(timex)

    sentence_mentions = [
        m for m in (mentions if nearby is None else nearby)
        if m.start >= s_start and m.end <= s_end and not any(t.start <= m.start < t.end for t in inside)
    ]
    events = []
    previous = None  # (trigger end, timex) of the trigger before, for coordinated verbs
    for index, (start, end, trigger) in enumerate(triggers):
        own = assigned.get(index)
        if own:
            timex = min(own, key=_specificity)
        elif previous and re.search(r"(?:,\s*|\s)and\s", raw[previous[0] : start]):
            timex = previous[1]  # "will attend ... from 14 to 16 September, and ... a state visit"
        else:
            previous = None
            continue
        clause_start = _clause_start(raw, max(s_start, previous[0] if previous else s_start, start - 80), start)
        mood = "planned" if _PLANNED.search(raw[clause_start:start]) else "reported"
        if _DENIED.search(raw[clause_start:start]):
            mood = "denied"  # "did not meet", "denied visiting"
        next_start = triggers[index + 1][0] if index + 1 < len(triggers) else s_end
        window_end = min(next_start, timex.end if timex.start >= end else s_end)
        window_start = max(previous[0] if previous else s_start, timex.end if timex.end <= start else s_start)
        parsed_actor, parsed_target = roles.of(start, sentence_mentions) if roles else ([], [])
        actor = parsed_actor or pick_actor(raw, sentence_mentions, start)
        place = pick_place(raw, sentence_mentions, start, next_start)
        target = parsed_target or pick_target(raw, sentence_mentions, trigger.action, start, end, window_start,
                                               window_end, place)
        cameo = trigger.cameo_planned if mood == "planned" else trigger.cameo
        if trigger.action == "participate" and _MILITARY.search(raw[end:window_end if window_end > end else s_end]):
            cameo = "062" if mood == "reported" else ""
        if not cameo and mood == "reported":
            cameo = verb_code(trigger.action)  # the CAMEO verb dictionary's default code
        record = {
            "sentence_id": sentence.sentence_id,
            "time_text": raw[timex.start : timex.end],
            "timex_value": timex.timex_value,
            "timex_mod": timex.timex_mod,
            "start_date": iso(timex.start_date),
            "end_date": iso(timex.end_date),
            "basis": "stated" if timex.rule in STATED_RULES else "resolved",
            "actor": ";".join(actor),
            "action": trigger.action,
            "target": ";".join(target),
            "cameo": cameo,
            "place": ";".join(place[:1]),
            "mood": mood,
            "trigger": raw[start:end],
            "evidence": "",
            "source_key": "",
            "flag": "",
            "also_in": "",
            "_span": (min(start, timex.start), max(window_end, end)),
        }
        if timex.rule == "event_anchored_day":
            _anchor_to_event(record, raw, timex, mentions, earlier, events)
        record["summary"] = _summarise(record, names)
        events.append(record)
        previous = (end, timex)
    return events


def _nearest_trigger(raw, s_start, timex, triggers) -> int:
    """The verb a time expression dates: the nearest one before it, unless it opens a clause."""
    before = [i for i, (start, end, _) in enumerate(triggers) if end <= timex.start]
    after = [i for i, (start, end, _) in enumerate(triggers) if start >= timex.end]
    fronted = re.search(r"(?:^|[,;:]\s*(?:and|but|then)?\s*)$", raw[s_start : timex.start])
    if before and not (fronted and after):
        return before[-1]
    return after[0] if after else before[-1]


def _specificity(timex: Timex) -> int:
    if timex.start_date and timex.end_date:
        return (timex.end_date - timex.start_date).days
    return 10_000 - timex.timex_value.count("X")


def _clause_start(raw: str, start: int, end: int) -> int:
    last = None
    for last in _CLAUSE_OPENER.finditer(raw, start, end):
        pass
    return last.end() if last else start


def _anchor_to_event(record, raw, timex, mentions, earlier, current=()) -> None:
    """Date "on the day of X's meeting with Y" from the event it names: the latest dated event
    before it (``earlier``, then ``current``, the sentence's own) that shares an actor or target
    with the phrase, else the latest of the same kind ("meeting", "visit")."""
    nearby = mentions.starting_in(timex.start, timex.end) if isinstance(mentions, _MentionList) else mentions
    named = {m.entity_id for m in nearby if m.start >= timex.start and m.end <= timex.end}
    words = raw[timex.start : timex.end].lower()
    event = same_kind = None
    for candidate in itertools.chain(reversed(current), reversed(earlier)):  # latest first
        if not (candidate["start_date"] and candidate["start_date"] == candidate["end_date"]
                and candidate["mood"] == "reported"):
            continue
        if named & set((candidate["actor"] + ";" + candidate["target"]).split(";")):
            event = candidate
            break
        if same_kind is None and (candidate["action"] in words or (candidate["action"] == "meet" and "meeting" in words)):
            same_kind = candidate
            if not named:  # nothing can share an entity with the phrase: the latest of its kind
                break
    event = event or same_kind
    if event is None:
        return
    record.update(timex_value=event["timex_value"], start_date=event["start_date"], end_date=event["end_date"],
                  basis="resolved", evidence=f"dated by the event in sentence {event['sentence_id']}")


def _merge_repeats(events: list[dict]) -> list[dict]:
    """One record per event: the same actor, action and target on overlapping dates are merged.

    Records are grouped by (actor, action, target) first, so each is compared only with the
    few of its own group, never with every other record.
    """
    kept: list[dict] = []
    groups: dict[tuple, list[int]] = {}
    for event in events:
        key = (event["actor"], event["action"], event["target"])
        group = groups.setdefault(key, [])
        index = next((i for i in group if _same_event(kept[i], event)), None)
        if index is None:
            group.append(len(kept))
            kept.append(event)
            continue
        twin = kept[index]
        keep, drop = (twin, event) if BASES.index(twin["basis"]) <= BASES.index(event["basis"]) else (event, twin)
        keep["also_in"] = "; ".join(x for x in (keep["also_in"], f"{drop['sentence_id']}: {drop['time_text']}") if x)
        kept[index] = keep
    return kept


def _same_event(a: dict, b: dict) -> bool:
    if not a["actor"] or (a["actor"], a["action"], a["target"]) != (b["actor"], b["action"], b["target"]):
        return False
    if not (a["start_date"] and b["start_date"]):
        return False
    return a["start_date"] <= b["end_date"] and b["start_date"] <= a["end_date"]


def _summarise(record: dict, names: dict) -> str:
    def name(ids):
        labels = [names.get(i, i.replace("_", " ")) for i in ids.split(";") if i]
        return " and ".join(labels)

    verb = _VERBS[record["action"]][record["mood"] == "planned"]
    parts = [name(record["actor"]) or "someone", verb]
    if record["target"]:
        parts.append(name(record["target"]))
    if record["place"] and name(record["place"]) not in " ".join(parts):
        parts.append("in " + name(record["place"]))
    return " ".join(parts)


def _capitalised_mentions(raw, sentences, timexes) -> pd.DataFrame:
    """Stand-in mentions when no entity table is given: capitalised word runs, ids made from them."""
    rows = []
    for sentence in sentences.itertuples():
        for match in _CAPITALISED.finditer(raw, sentence.start, sentence.end):
            start, text = match.start(), match.group(0)
            words = text.split()
            while words and words[0] in _STOP_CAPITALS:
                start = raw.index(words[1], start + len(words[0])) if len(words) > 1 else match.end()
                words = words[1:]
            if not words or any(t.start <= start < t.end for t in timexes):
                continue
            surface = raw[start : match.end()]
            slug = re.sub(r"[^a-z0-9]+", "_", surface.lower()).strip("_")
            rows.append((sentence.sentence_id, start, match.end(), surface, slug, surface, "UNKNOWN", "unlinked"))
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)
