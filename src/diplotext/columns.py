"""Column names of every table the pipeline produces, defined once.

The first columns of each table are the contract in ``shared/DESIGN.md``: the command line
writes them and users rely on them. Stages may add columns after them.
"""

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
