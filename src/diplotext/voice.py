"""Voice: whose words each sentence carries (the Chinese side, the Russian side, Western media,
another source, or the narrator).

Two ways, one result shape. ``voices_from_quotes`` reads the quotes table (one row per sentence
that reports speech: ``sentence_id, speaker_entity_id, speaker, cue, kind``) and gives each
speaker a side from the register's sources or from the entity's CAMEO actor code. Where no
quotes table exists, ``attribute_voice`` finds the register's own attribution cues ("According
to X", "X said", "X proposed to").
"""

from __future__ import annotations

import re
from pathlib import Path

from ._lazy import pd
from .tables import QUOTES_COLUMNS, SENTENCE_COLUMNS, column_lists, require_columns

VOICES = ["chinese_side", "russian_side", "western_media", "other_source", "narrator"]
VOICE_COLUMNS = ["sentence_id", "voice", "voice_source", "voice_cue", "voice_how", "voice_from", "cue_start", "cue_end"]
_SENTENCE_INPUT = ("sentence_id", "paragraph_id", "start", "text")
_QUOTES = "\"'\u201c\u201d\u2018\u2019"

# CAMEO country codes whose media count as Western media (Schrodt 2012, country codes).
_WESTERN = frozenset("USA GBR FRA DEU CAN AUS NZL ITA ESP NLD BEL CHE SWE NOR DNK FIN AUT IRL PRT".split())
# A sentence that opens by pointing back ("This is the first time ...", "This will also be ...")
# is the outlet's own gloss on what came before, not a continuation of the source's words.
_GLOSS = re.compile(r"\s*[\"'\u201c]?(?:This|That|It)\s+(?:is|was|will|would|has|had|marks|comes)\b")



def attribute_voice(sentences: pd.DataFrame, lexicon: Path | str | None = None) -> pd.DataFrame:
    """Whose words each sentence carries, from attribution cues ("According to X", "X said").

    ``voice_how`` is ``cue`` (the sentence names its source), ``carried`` (no cue: it continues
    the attributed sentence before it in its paragraph), ``echo`` (an unattributed quotation
    whose words an attributed sentence repeats) or ``none`` (the narrator). A sentence that
    opens with a gloss ("This is the first time ...") is not carried: it is the outlet's.
    """
    from .sentiment import LEXICON_PATH, load_register

    require_columns(sentences, SENTENCE_COLUMNS, "attribute_voice")
    rows = sentence_voices(column_lists(sentences, _SENTENCE_INPUT), load_register(lexicon or LEXICON_PATH))
    if not rows:
        return pd.DataFrame([], columns=VOICE_COLUMNS).astype(
            {"voice_from": "Int64", "cue_start": "Int64", "cue_end": "Int64"})
    columns = {"sentence_id": list(rows)}
    for name in VOICE_COLUMNS[1:]:
        columns[name] = [row[name] for row in rows.values()]
    for name in ("voice_from", "cue_start", "cue_end"):
        columns[name] = pd.array(columns[name], dtype="Int64")
    return pd.DataFrame(columns, columns=VOICE_COLUMNS)


def sentence_voices(sentences: dict[str, list], register) -> dict:
    """``attribute_voice`` as plain dicts: sentence id -> its voice columns (missing: None)."""
    ids, starts, paragraphs = (sentences[c] for c in ("sentence_id", "start", "paragraph_id"))
    raw_texts = [str(text) for text in sentences["text"]]
    texts = dict(zip(ids, raw_texts))
    rows = {}
    for sentence_id, text, start in zip(ids, raw_texts, starts):
        rows[sentence_id] = _voice_from_cues(text, start, register) or {
            "voice": "narrator", "voice_source": "", "voice_cue": "", "voice_how": "none",
            "voice_from": None, "cue_start": None, "cue_end": None}
    cued = [i for i, r in rows.items() if r["voice_how"] == "cue"]
    for sentence_id, text in texts.items():
        if rows[sentence_id]["voice_how"] == "none" and _is_quotation(text):
            source = next((i for i in cued if _shares_words(text, texts[i])), None)
            if source is not None:
                rows[sentence_id] = {**rows[source], "voice_how": "echo", "voice_from": source,
                                     "cue_start": None, "cue_end": None}
    previous = {}
    for sentence_id, paragraph_id in zip(ids, paragraphs):
        before = previous.get(paragraph_id)
        if (rows[sentence_id]["voice_how"] == "none" and before is not None and rows[before]["voice"] != "narrator"
                and not _GLOSS.match(texts[sentence_id])):
            origin = rows[before]["voice_from"] if rows[before]["voice_how"] == "carried" else before
            rows[sentence_id] = {**rows[before], "voice_how": "carried", "voice_from": origin,
                                 "cue_start": None, "cue_end": None}
        previous[paragraph_id] = sentence_id
    return rows


def _voice_from_cues(text: str, offset: int, register) -> dict | None:
    from .sentiment import normalize_alias

    cues = sorted([match for pattern in (register.according, register.speech) for match in pattern.finditer(text)],
                  key=lambda m: m.start())
    if not cues:
        return None
    chain = [register.aliases[normalize_alias(m.group("source"))] for m in cues]
    # The last speaker in a chain ("TASS reported that Denisov proposed ...") is the one whose
    # words the sentence carries; the chain keeps who relayed them.
    side = register.sides[chain[-1]]
    return {
        "voice": side,
        "voice_source": ";".join(dict.fromkeys(chain)),
        "voice_cue": " | ".join(m.group(0) for m in cues),
        "voice_how": "cue",
        "voice_from": None,
        "cue_start": offset + cues[0].start(),
        "cue_end": offset + cues[-1].end(),
    }


def _is_quotation(text: str) -> bool:
    stripped = text.strip().rstrip(".!?")
    return len(stripped) > 2 and stripped[0] in _QUOTES and stripped[-1] in _QUOTES


def _shares_words(quote: str, other: str, run: int = 4) -> bool:
    """True when the two texts share ``run`` consecutive words (case and punctuation ignored)."""
    def grams(text):
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[i : i + run]) for i in range(len(words) - run + 1)}

    return bool(grams(quote) & grams(other))




# --- from the quotes table -------------------------------------------------------------------


def side_of(entity_id: str | None, cameo: str | None, sides: dict) -> str:
    """The voice of a speaker: the register's side for a known source, else from its CAMEO code
    (CHN... Chinese side, RUS... Russian side, a Western country's media Western media)."""
    if entity_id and entity_id in sides:
        return sides[entity_id]
    code = (cameo or "").upper()
    if code.startswith("CHN"):
        return "chinese_side"
    if code.startswith("RUS"):
        return "russian_side"
    if code[:3] in _WESTERN and "MED" in code[3:]:
        return "western_media"
    return "other_source"


def voices_from_quotes(sentence_ids, quotes: pd.DataFrame, entities: pd.DataFrame,
                       mentions: pd.DataFrame | None = None, lexicon: Path | str | None = None) -> pd.DataFrame:
    """Voice of each sentence from the quotes table: ``sentence_id, voice, voice_source, voice_cue, voice_how``.

    A quoted sentence takes its speaker's side; a speaker without an entity id is looked up
    by name among the sentence's mentions; a sentence no quote covers is the narrator's.
    """
    from .sentiment import LEXICON_PATH, load_register

    require_columns(quotes, QUOTES_COLUMNS, "voices_from_quotes (quotes)")
    require_columns(entities, ["entity_id"], "voices_from_quotes (entities)")
    sides = load_register(lexicon or LEXICON_PATH).sides
    cameo = dict(zip(entities.entity_id, entities["cameo"])) if "cameo" in entities.columns else {}
    named = {}
    if mentions is not None and len(mentions):
        require_columns(mentions, ["sentence_id", "entity_id", "canonical"], "voices_from_quotes (mentions)")
        named = {(s, str(c).lower()): e for s, c, e in zip(mentions.sentence_id, mentions.canonical, mentions.entity_id)}
    by_sentence = {}
    for row in quotes.itertuples(index=False):
        entity_id = row.speaker_entity_id if isinstance(row.speaker_entity_id, str) and row.speaker_entity_id else None
        if entity_id is None and isinstance(row.speaker, str):
            entity_id = named.get((row.sentence_id, row.speaker.lower()))
        voice = side_of(entity_id, cameo.get(entity_id) if isinstance(cameo.get(entity_id), str) else None, sides)
        if row.sentence_id not in by_sentence:  # the first speaker of a sentence is the one it reports
            by_sentence[row.sentence_id] = (voice, entity_id or (row.speaker if isinstance(row.speaker, str) else ""),
                                            row.cue if isinstance(row.cue, str) else "", row.kind)
    rows = [(i, *by_sentence.get(i, ("narrator", "", "", "none"))) for i in sentence_ids]
    return pd.DataFrame(rows, columns=["sentence_id", "voice", "voice_source", "voice_cue", "voice_how"])
