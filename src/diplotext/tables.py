"""The tables the pipeline produces: each one's columns and their types, defined once.

The first columns of each table (``SENTENCE_COLUMNS``, ``MENTION_COLUMNS``, ...) are the
contract in ``shared/DESIGN.md``: the command line writes them and users rely on them. The
stages add the columns after them (``COLUMNS``). Stages build each table as plain lists, column
by column; ``frame`` turns those lists into the DataFrame of the Python API and the chapters,
with the types given here (``DTYPES``; a column not named there keeps what pandas infers).
"""

from __future__ import annotations

SENTENCE_COLUMNS = ["sentence_id", "paragraph_id", "start", "end", "text"]

MENTION_COLUMNS = ["sentence_id", "start", "end", "surface", "entity_id", "canonical", "type", "how"]

ENTITY_COLUMNS = ["entity_id", "canonical", "type", "mention_count", "wikidata"]

SENTIMENT_COLUMNS = [
    "sentence_id",
    "textblob_polarity",
    "textblob_subjectivity",
    "vader_compound",
    "textblob_label",
    "vader_label",
    "tone",
    "tone_score",
]

TIMES_COLUMNS = [
    "sentence_id",
    "start",
    "end",
    "text",
    "timex_type",
    "timex_value",
    "timex_mod",
    "start_date",
    "end_date",
    "anchor",
]

QUOTES_COLUMNS = ["sentence_id", "speaker_entity_id", "speaker", "cue", "kind"]

CHRONOLOGY_COLUMNS = [
    "event_id",
    "sentence_id",
    "time_text",
    "timex_value",
    "timex_mod",
    "start_date",
    "end_date",
    "basis",
    "actor",
    "action",
    "target",
    "cameo",
    "summary",
]

# The tables the command line writes, in pipeline order, with their contract columns.
TABLES = {
    "sentences": SENTENCE_COLUMNS,
    "mentions": MENTION_COLUMNS,
    "entities": ENTITY_COLUMNS,
    "sentiment": SENTIMENT_COLUMNS,
    "chronology": CHRONOLOGY_COLUMNS,
    "times": TIMES_COLUMNS,
    "quotes": QUOTES_COLUMNS,
}

# Every column of each table as the stages build it: the contract's, then the stage's own.
COLUMNS = {
    "sentences": SENTENCE_COLUMNS,
    "mentions": [*MENTION_COLUMNS, "role", "cameo", "score", "evidence"],
    "entities": [*ENTITY_COLUMNS, "first_sentence", "cameo", "how", "surfaces"],
    "sentiment": [*SENTIMENT_COLUMNS, "tone_evidence", "markers", "marker_phrases",
                  "voice", "voice_source", "voice_cue", "voice_how", "voice_from"],
    "chronology": [*CHRONOLOGY_COLUMNS, "quad_class", "goldstein", "actor_cameo", "target_cameo", "place", "mood",
                   "trigger", "evidence", "source_key", "flag", "also_in"],
    "times": [*TIMES_COLUMNS, "rule"],
    "quotes": [*QUOTES_COLUMNS, "start", "end"],
}

# The columns whose type is fixed: int64 for ids and offsets that are always there, Int64 (with
# missing values) for those that may be missing, float64 for scores (missing: NaN), object for
# text. Fixed types keep an empty table's columns the same type as a full one's; the other
# columns take the type pandas infers from their values, and object when the table is empty.
DTYPES = {
    "sentences": {"sentence_id": "int64", "paragraph_id": "int64", "start": "int64", "end": "int64", "text": "object"},
    "mentions": {"sentence_id": "Int64", "start": "int64", "end": "int64", "score": "float64"},
    "entities": {"mention_count": "int64", "first_sentence": "Int64"},
    "sentiment": {"sentence_id": "int64", "textblob_polarity": "float64", "textblob_subjectivity": "float64",
                  "vader_compound": "float64", "tone_score": "float64", "voice_from": "Int64"},
    "chronology": {"sentence_id": "int64"},
    "times": {"sentence_id": "int64", "start": "int64", "end": "int64"},
    "quotes": {"sentence_id": "int64", "start": "int64", "end": "int64"},
}


def frame(name: str, columns: dict[str, list]):
    """The DataFrame of table ``name`` from its plain lists, column by column (missing values None)."""
    import numpy as np
    import pandas as pd

    dtypes = DTYPES[name]
    data = {}
    for column in COLUMNS[name]:
        values, dtype = columns[column], dtypes.get(column)
        if dtype == "float64":
            data[column] = np.asarray([np.nan if v is None else v for v in values], dtype=np.float64)
        elif dtype in ("int64", "object"):
            data[column] = np.asarray(values, dtype=dtype)
        elif dtype is not None:
            data[column] = pd.array(values, dtype=dtype)
        else:  # what pandas infers; an empty column is text (object), not float
            data[column] = values if len(values) else np.asarray(values, dtype=object)
    return pd.DataFrame(data, columns=COLUMNS[name])


def require_columns(table, columns, where: str) -> None:
    """Raise InputError unless ``table`` is a DataFrame with every one of ``columns``."""
    import pandas as pd

    from .errors import InputError

    if not isinstance(table, pd.DataFrame):
        raise InputError(f"{where}: expected a table (pandas DataFrame), got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"{where}: the table lacks the columns {', '.join(missing)}")


def column_lists(table, names) -> dict[str, list]:
    """The named columns of a DataFrame as plain lists: how the stages' ``*_columns`` functions
    take a table (the DataFrame functions call them through this)."""
    return {name: table[name].tolist() for name in names}


def plain_values(column) -> list:
    """A pandas column's values as a list, missing ones (NaN, NA, NaT) as ``None``: how the
    stages' plain-list functions (``*_columns``) take a table's column."""
    return [None if missing else value for value, missing in zip(column.tolist(), column.isna().tolist())]
