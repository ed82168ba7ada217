"""The actor dictionary: countries, places, people and organisations from Phoenix/PETRARCH2.

``src/diplotext/data/actors/actors.tsv`` is made by ``tools/build_actors.py`` from the Phoenix dictionaries
(MIT, Open Event Data Alliance): one row per actor with its type, CAMEO code, ISO 3166 alpha-3
country, canonical name, date-ranged codes, the spellings that name it and the roles its
spellings carry ("president"). ``agents.tsv`` lists the role words of people and institutions.
Both are read once per process; names are compared in ``name_key`` form.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .resources import data_path

ACTORS_DIR = data_path("actors")

# The dictionaries were last updated about 2016: an open-ended term is trusted up to then only,
# so that "the Cuban president" in 2024 is not read as the president the dictionary last knew.
DICTIONARY_DATE = dt.date(2016, 12, 31)

# Head words of a title: the word that names the office ("foreign minister" -> minister).
TITLE_HEADS = frozenset("""
president premier minister ambassador secretary secretary-general spokesman spokeswoman
spokesperson chancellor king queen prince princess chairman chairwoman chair envoy diplomat
governor mayor senator commander general director aide adviser advisor counselor councillor
councilor
consul representative leader emperor monarch sultan emir
""".split())
# Words that may stand before a head word inside a title.
TITLE_MODIFIERS = frozenset("""
vice deputy prime foreign defence defense state first acting former interior finance trade
chief special permanent presidential national security top senior assistant executive
general
""".split())
# Honorifics: dropped from a name, kept as nothing.
HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. dr dr. prof prof. sir dame lord lady".split())

_SPACES = re.compile(r"\s+")


def name_key(text: str) -> str:
    """The form names are looked up in: upper case, straight apostrophes, one space, -ization."""
    text = _SPACES.sub(" ", text.replace("\u2019", "'").replace("\u2018", "'")).strip().upper()
    return text.replace("ISATION", "IZATION")


@dataclass(frozen=True)
class Actor:
    """One dictionary entry."""

    type: str
    cameo: str
    country: str  # ISO 3166 alpha-3 of the country it belongs to ("" for a country itself, an IGO)
    canonical: str
    periods: tuple  # (code, start date or None, end date or None)
    roles: frozenset

    @property
    def is_country(self) -> bool:
        return self.type == "GPE" and not self.country and len(self.cameo) == 3

    def held_on(self, day: dt.date) -> tuple | None:
        """The period whose dates include ``day`` (open ends trusted up to DICTIONARY_DATE)."""
        for code, start, end in self.periods:
            if start is None and end is None:
                continue
            if (start is None or start <= day) and day <= (end or DICTIONARY_DATE):
                return code, start, end
        return None


@dataclass(frozen=True)
class Actors:
    """The dictionary: actors, the index of their spellings, and role holders."""

    rows: list  # the file's lines, parsed into an Actor when first needed
    names: dict  # name_key -> index into rows
    by_role: dict  # (country, role) -> [index]
    max_tokens: int

    def actor(self, index: int) -> Actor:
        row = self.rows[index]
        if isinstance(row, str):
            row = self.rows[index] = _parse(row)
        return row

    def lookup(self, text: str) -> Actor | None:
        index = self.names.get(name_key(text))
        return None if index is None else self.actor(index)

    def role_holders(self, role: str, country: str, day: dt.date) -> list[tuple[Actor, tuple]]:
        """Actors whose spellings carry ``role`` for ``country``, in office on ``day``."""
        found = []
        for index in self.by_role.get((country, role), []):
            period = self.actor(index).held_on(day)
            if period:
                found.append((self.actor(index), period))
        return found


def _date(text: str):
    return dt.date.fromisoformat(text) if text else None


def _parse(line: str) -> Actor:
    kind, cameo, country, canonical, periods, _, roles = line.rstrip("\n").split("\t")
    spans = []
    for item in periods.split():
        code, start, end = item.split(":")
        spans.append((code, _date(start), _date(end)))
    return Actor(kind, cameo, country, canonical, tuple(spans), frozenset(filter(None, roles.split("|"))))


@functools.lru_cache(maxsize=2)
def load_actors(folder: str | None = None) -> Actors:
    """Read ``actors.tsv`` from ``folder`` (default ``src/diplotext/data/actors``); cached: once per process."""
    path = (ACTORS_DIR if folder is None else Path(folder)) / "actors.tsv"
    if not path.is_file():
        raise InputError(f"{path}: actor dictionary not found (run tools/build_actors.py)")
    rows, names, by_role, longest = [], {}, {}, 1
    with open(path, encoding="utf-8") as f:
        next(f)
        for index, line in enumerate(f):
            rows.append(line)
            _, _, country, canonical, _, spellings, roles = line.rstrip("\n").split("\t")
            for spelling in [canonical, *spellings.split("|")]:
                key = name_key(spelling)
                # The first entry keeps a name: countries come first in the file (sorted by type
                # GPE < ORG < PERSON), so "Georgia" is the country before any person of that name.
                if key and key not in names:
                    names[key] = index
                    longest = max(longest, key.count(" ") + 1)
            for role in filter(None, roles.split("|")):
                by_role.setdefault((country, role), []).append(index)
    return Actors(rows, names, by_role, longest)


@functools.lru_cache(maxsize=1)
def agent_words() -> frozenset:
    """Single words of the dictionary's role phrases for people and institutions (lower case)."""
    path = ACTORS_DIR / "agents.tsv"
    words = set(TITLE_HEADS | TITLE_MODIFIERS)
    if path.is_file():
        with open(path, encoding="utf-8") as f:
            next(f)
            for line in f:
                phrase = line.split("\t", 1)[0]
                if " " not in phrase and len(phrase) > 3:
                    words.add(phrase)
    return frozenset(words)
