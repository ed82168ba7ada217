"""Who did what to whom: the actor, target and place of an event verb.

``ParsedRoles`` reads them from the dependency parse (the verb's subject and object); the
``pick_*`` functions are the fallback on word order when the parse names no entity there.
"""

from __future__ import annotations

import bisect
import re

import numpy as np

from .sentence_spans import unique

# What follows "to", "in" or "at" is a destination or a place, not who acts.
OBJECT_CUE = re.compile(r"(?i)\b(?:to|in|at|into|from|for|with)\s+(?:the\s+)?$")
PLACE_CUE = re.compile(r"(?i)\b(?:in|at|hosted\s+by)\s+(?:the\s+)?$")
ACTOR_RANK = {"PERSON": 0, "ORG": 1, "GPE": 2}
TARGET_RANK = {"PERSON": 0, "ORG": 1, "EVENT": 2, "GPE": 3}


class ParsedRoles:
    """Who does what to whom, from the dependency parse: the subject and the object of a verb."""

    def __init__(self, doc):
        self.doc = doc
        self.starts = [token.idx for token in doc]

    def of(self, position: int, mentions) -> tuple[list[str], list[str]]:
        """(actor ids, target ids) of the verb at ``position``: the mentions inside its subject
        and its object ("with", "to" and "in" phrases count); empty where the parse says nothing."""
        i = bisect.bisect_right(self.starts, position) - 1
        if i < 0:
            return [], []
        verb = self.doc[i]
        clause = verb
        while not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children) and clause.dep_ in (
                "xcomp", "conj", "advcl", "pcomp", "acl") and clause.head.i != clause.i:
            clause = clause.head  # "expected to meet": the subject of "expected"
        subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
        objects = [c for c in verb.children if c.dep_ in ("dobj", "attr")]
        objects += [g for c in verb.children if c.dep_ == "prep" and c.lower_ in ("with", "to")
                    for g in c.children if g.dep_ == "pobj"]
        return self._inside(subject, mentions), self._inside(objects[0] if objects else None, mentions)

    @staticmethod
    def _inside(head, mentions) -> list[str]:
        if head is None or head.pos_ == "PRON":
            return []
        start = min(t.idx for t in head.subtree)
        end = head.idx + len(head)
        # The phrase up to its head and its conjuncts ("China and India"), not its clauses.
        for child in head.children:
            if child.dep_ == "conj":
                end = max(end, child.idx + len(child))
        found = [m for m in mentions if m.start < end and start < m.end and m.type in ("PERSON", "ORG", "GPE", "EVENT")]
        # "Russian President Putin" is Putin: the phrase's people before its bodies and places.
        best = min((TARGET_RANK.get(m.type, 4) for m in found), default=None)
        return unique(m.entity_id for m in found if TARGET_RANK.get(m.type, 4) == best)


def pick_actor(raw, mentions, trigger_start) -> list[str]:
    """The nearest entity before the trigger (people before organisations before places)."""
    # What follows "to", "in" or "at" is a destination or a place, not who acts.
    before = [m for m in mentions
              if m.end <= trigger_start and not OBJECT_CUE.search(raw[max(0, m.start - 20) : m.start])]
    if not before:
        return []
    ranks = [ACTOR_RANK.get(m.type, 3) for m in before]
    lowest = min(ranks)
    best = [m for m, rank in zip(before, ranks) if rank == lowest]
    ends = [m.end for m in best]
    if len(set(ends)) == len(ends):
        best.sort(key=lambda m: m.end)
    else:  # ties: the order pandas' default (unstable) sort by "end" gives them
        best = [best[i] for i in np.argsort(np.asarray(ends, dtype=np.int64), kind="quicksort")]
    chosen = [best[-1]]
    # "the Chinese and Indian troops": entities of the same kind joined by "and" act together.
    for row in reversed(best[:-1]):
        if re.fullmatch(r",?\s+and\s+", raw[row.end : chosen[0].start]):
            chosen.insert(0, row)
        else:
            break
    return unique(m.entity_id for m in chosen)


def pick_place(raw, mentions, trigger_start, limit) -> list[str]:
    """Places named after "in", "at" or "hosted by" between the trigger and the next one."""
    places = []
    for m in mentions:
        if (m.start >= trigger_start and m.end <= limit and m.type in ("GPE", "UNKNOWN")
                and PLACE_CUE.search(raw[max(0, m.start - 20) : m.start])):
            places.append(m.entity_id)
    return unique(places)


def pick_target(raw, mentions, action, start, end, window_start, window_end, place) -> list[str]:
    after = [m for m in mentions if m.start >= end and m.end <= window_end and m.entity_id not in place]
    if action == "visit":
        # Visits go to places: named after the verb ("visited Kazakhstan") or just before it
        # ("invited to Kazakhstan and Uzbekistan ... a state visit").
        before = [m for m in mentions if m.start >= window_start and m.end <= start]
        for group in (after, before):
            places = [m.entity_id for m in group if m.type in ("GPE", "UNKNOWN")]
            if places:
                return unique(places)
        return []
    if action == "announce":
        return []
    if not after:
        return []
    return [min(after, key=lambda m: (TARGET_RANK.get(m.type, 4), m.start)).entity_id]
