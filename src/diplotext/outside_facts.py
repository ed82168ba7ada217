"""Outside facts: dated facts a text implies but does not date, each with a cited source
(``src/diplotext/data/chronology/outside_facts.yml``), and the text's words set against that record."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import os
import re
from pathlib import Path

import yaml

from ._lazy import pd
from .corpus import parse_date
from .errors import InputError
from .resources import data_path
from .sentence_spans import as_date, check_inputs, sentence_of, spans_of

FACTS_PATH = data_path("chronology", "outside_facts.yml")
# libyaml's parser when PyYAML was built with it: the same documents, parsed many times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
RECORD_COLUMNS = ["sentence_id", "text_says", "verdict", "record", "fact_id", "source_key"]
VERDICTS = ("agrees", "imprecise", "garbled", "translation changed")



def load_outside_facts(path: Path | str | None = None) -> list[dict]:
    """Read ``outside_facts.yml``: dated facts with a cited source, as a list of dicts."""
    return copy.deepcopy(outside_facts(path))


def outside_facts(path: Path | str | None = None) -> list[dict]:
    """The parsed facts, shared (read once per process and absolute path, as every curated
    file is): callers must not mutate them."""
    return _read_outside_facts(os.path.abspath(path or FACTS_PATH))


@functools.lru_cache(maxsize=8)
def _read_outside_facts(name: str) -> list[dict]:
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
        try:
            data = yaml.load(text, Loader=_YAML_LOADER)
        except yaml.YAMLError:
            data = yaml.safe_load(text)  # the pure-Python parser's own words for the error
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read outside facts ({str(exc).splitlines()[0]})") from None
    facts = (data or {}).get("facts") if isinstance(data, dict) else None
    if not isinstance(facts, list):
        raise InputError(f"{path}: expected a mapping with a 'facts' list")
    required = ("id", "summary", "start_date", "end_date", "actor", "action", "source_key", "applies")
    for fact in facts:
        missing = [key for key in required if not fact.get(key)]
        if missing:
            raise InputError(f"{path}: fact {fact.get('id', '?')!r} lacks {', '.join(missing)}")
        for key in ("start_date", "end_date"):
            fact[key] = parse_date(str(fact[key])).isoformat()
        fact["applies"] = [parse_date(str(day)) for day in fact["applies"]]
        for check in fact.get("checks", []):
            if check.get("verdict") not in VERDICTS:
                raise InputError(f"{path}: fact {fact['id']!r}: verdict must be one of {', '.join(VERDICTS)}")
    return facts


def _applies(fact: dict, document_date: dt.date | None) -> bool:
    # Without a document date nothing says the article belongs to the fact's time.
    return document_date is not None and fact["applies"][0] <= document_date <= fact["applies"][1]


def implied_facts(raw, spans, document_date, facts) -> list[dict]:
    events = []
    for fact in facts:
        if not _applies(fact, document_date):
            continue
        match = next((m for p in fact.get("implied_by", []) if (m := re.search(p, raw, re.IGNORECASE))), None)
        if not match:
            continue
        start, end = fact["start_date"], fact["end_date"]
        events.append({
            "sentence_id": sentence_of(spans, match.start()),
            "time_text": "",
            "timex_value": start if start == end else f"{start}/{end}",
            "timex_mod": "",
            "start_date": start,
            "end_date": end,
            "basis": "outside",
            "actor": fact["actor"],
            "action": fact["action"],
            "target": fact.get("target") or "",
            "cameo": str(fact.get("cameo") or ""),
            "summary": fact["summary"],
            "place": fact.get("place") or "",
            "mood": "reported",
            "trigger": "",
            "evidence": match.group(0),
            "source_key": fact["source_key"],
            "flag": "",
            "also_in": "",
        })
    return events


def _checks(raw, spans, document_date, facts):
    for fact in facts:
        if not _applies(fact, document_date):
            continue
        for check in fact.get("checks", []):
            for match in re.finditer(check["text"], raw):
                yield fact, check, match, sentence_of(spans, match.start())


def compare_with_record(raw: str, sentences: pd.DataFrame, document_date: dt.date | None,
                        facts: list[dict] | None = None) -> pd.DataFrame:
    """What the text says next to what happened, with a verdict and the source for each."""
    check_inputs(raw, sentences)
    document_date = as_date(document_date)
    facts = outside_facts() if facts is None else facts
    rows = [
        (match.start(), {"sentence_id": sentence_id, "text_says": match.group(0), "verdict": check["verdict"],
                         "record": " ".join(check["record"].split()), "fact_id": fact["id"],
                         "source_key": fact["source_key"]})
        for fact, check, match, sentence_id in _checks(raw, spans_of(sentences), document_date, facts)
    ]
    rows.sort(key=lambda row: row[0])
    return pd.DataFrame([row for _, row in rows], columns=RECORD_COLUMNS).astype({"sentence_id": "int64"})


# Every verdict other than "agrees" puts its note in the flag of the events it concerns.
FLAGGED_VERDICTS = ("imprecise", "garbled", "translation changed")


def flag_translation_changes(events, raw, spans, document_date, facts) -> None:
    """Flag events the text misreports or states loosely: the fact's own record, and text events that name it."""
    for fact, check, match, sentence_id in _checks(raw, spans, document_date, facts):
        if check["verdict"] not in FLAGGED_VERDICTS:
            continue
        note = f'{check["verdict"]}, "{match.group(0)}": ' + " ".join(check["record"].split()).split(". ")[0].rstrip(".")
        fact_ids = {fact["actor"], *str(fact.get("target") or "").split(";"), fact.get("place") or ""} - {""}
        for event in events:
            if event["basis"] == "outside":
                concerned = event["summary"] == fact["summary"]
            elif event["sentence_id"] != sentence_id:
                concerned = False
            else:
                span = event.get("_span", (0, 0))
                concerned = span[0] <= match.start() < span[1] or bool(
                    fact_ids & set(f"{event['actor']};{event['target']};{event['place']}".split(";")))
            if concerned and note not in event["flag"]:
                event["flag"] = "; ".join(x for x in (event["flag"], note) if x)
