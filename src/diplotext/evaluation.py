"""Scoring labels against hand annotations: accuracy, macro-F1, Cohen's kappa, bootstrap
intervals, the majority baseline and confusion matrices.

The chapters report these figures; ``agreement_table`` is the one place they are computed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._lazy import pd
from .columns import require_columns
from .corpus import REPO_ROOT
from .errors import InputError

ANNOTATIONS_PATH = REPO_ROOT / "data" / "annotations" / "sentiment_seed.csv"
DEV_RESULTS_PATH = REPO_ROOT / "data" / "evaluation" / "dev_tone.csv"
LABELS = ["negative", "neutral", "positive"]
MISSING = "missing"  # a hand-labelled sentence the system did not produce (split differently)
TOOLS = {"tone": "tone", "textblob": "TextBlob", "vader": "VADER"}
BOOTSTRAP_SAMPLES = 2000
BOOTSTRAP_SEED = 20221215
DEV_COLUMNS = ["article", "sentence", "gold", "tone", "textblob_label", "vader_label"]



def load_annotations(path: Path | str = ANNOTATIONS_PATH) -> pd.DataFrame:
    """Read hand labels (``sentence_id, label, rationale``) and check them."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such annotation file")
    table = pd.read_csv(path, dtype={"label": str, "rationale": str})
    missing = [c for c in ("sentence_id", "label", "rationale") if c not in table.columns]
    if missing:
        raise InputError(f"{path}: the annotation file lacks the columns {missing}")
    bad = sorted(set(table.label) - set(LABELS))
    if bad:
        raise InputError(f"{path}: unknown labels {bad}; use {LABELS}")
    if table.sentence_id.duplicated().any():
        raise InputError(f"{path}: sentence {int(table.sentence_id[table.sentence_id.duplicated()].iloc[0])} is labelled twice")
    return table


def compare_labels(scores: pd.DataFrame, annotations: pd.DataFrame) -> pd.DataFrame:
    """Hand label beside each tool's label, per sentence; the sentence ids must match exactly."""
    require_columns(scores, ["sentence_id", "textblob_label", "vader_label"], "compare_labels (scores)")
    require_columns(annotations, ["sentence_id", "label"], "compare_labels (annotations)")
    if sorted(scores.sentence_id) != sorted(annotations.sentence_id):
        raise InputError(
            f"compare_labels: the annotations label sentences {sorted(annotations.sentence_id)[:3]}... "
            f"({len(annotations)}) but the article has {len(scores)} sentences; they are for another article"
        )
    table = scores.merge(annotations.rename(columns={"label": "hand_label"}), on="sentence_id")
    for tool in ("tone", "textblob", "vader"):
        column = "tone" if tool == "tone" else f"{tool}_label"
        if column in table.columns:
            table[f"{tool}_agrees"] = table[column] == table.hand_label
    return table


def accuracy(gold, predicted) -> float:
    """Share of items where the two label sequences agree."""
    gold, predicted = _paired(gold, predicted, "accuracy")
    return float(np.mean(gold == predicted))


def confusion_matrix(gold, predicted, labels=LABELS) -> pd.DataFrame:
    """Counts of hand label (rows) against predicted label (columns), over ``labels``."""
    gold, predicted = _paired(gold, predicted, "confusion_matrix")
    labels = _all_labels(gold, predicted, labels)
    matrix = pd.DataFrame(_counts(gold, predicted, labels), index=pd.Index(labels, name="hand label"),
                          columns=pd.Index(labels, name="predicted"))
    return matrix.astype("int64")


def _all_labels(gold, predicted, labels) -> list:
    """``labels`` and any other value present (such as ``missing``): counted, never dropped."""
    return [*labels, *sorted((set(gold) | set(predicted)) - set(labels))]


def _counts(gold, predicted, labels) -> np.ndarray:
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)))
    np.add.at(matrix, ([index[g] for g in gold], [index[p] for p in predicted]), 1)
    return matrix


def cohen_kappa(gold, predicted, labels=LABELS) -> float:
    """Cohen's kappa: agreement beyond chance; NaN when chance agreement is already total."""
    gold, predicted = _paired(gold, predicted, "cohen_kappa")
    matrix = _counts(gold, predicted, _all_labels(gold, predicted, labels))
    total = matrix.sum()
    observed = np.trace(matrix) / total
    chance = float((matrix.sum(axis=1) * matrix.sum(axis=0)).sum() / total**2)
    return float("nan") if chance == 1 else float((observed - chance) / (1 - chance))


def macro_f1(gold, predicted, labels=LABELS) -> float:
    """Mean over ``labels`` of each label's F1 (harmonic mean of precision and recall); a label
    that neither the hand nor the tool uses is left out, one only one of them uses scores 0."""
    gold, predicted = _paired(gold, predicted, "macro_f1")
    scores = []
    for label in labels:
        hits = int(np.sum((gold == label) & (predicted == label)))
        wanted, given = int(np.sum(gold == label)), int(np.sum(predicted == label))
        if wanted == 0 and given == 0:
            continue
        scores.append(2 * hits / (wanted + given))
    return float(np.mean(scores)) if scores else float("nan")


def majority_labels(gold) -> tuple[str, list]:
    """The most frequent hand label (ties: first in ``LABELS``) and the baseline that always answers it."""
    gold = list(gold)
    label = max(LABELS, key=gold.count)
    return label, [label] * len(gold)


def bootstrap_interval(gold, predicted, statistic, samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED,
                       level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic(gold, predicted)``, resampling sentences with
    replacement ``samples`` times from a fixed seed (so the book's figures are reproducible)."""
    gold, predicted = _paired(gold, predicted, "bootstrap_interval")
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(samples):
        pick = rng.integers(0, len(gold), len(gold))
        values.append(statistic(gold[pick], predicted[pick]))
    values = np.asarray(values, dtype=float)
    tail = (1 - level) / 2 * 100
    if np.isnan(values).all():
        return float("nan"), float("nan")
    low, high = np.nanpercentile(values, [tail, 100 - tail])
    return float(low), float(high)


def agreement_table(gold, predictions: dict) -> pd.DataFrame:
    """One row per labeller (``predictions``: name -> labels) and the majority baseline:
    agreements, accuracy, macro-F1 and kappa, each with its bootstrap 95 % interval."""
    gold = list(gold)
    majority, baseline = majority_labels(gold)
    rows = []
    for name, predicted in [*predictions.items(), (f"majority ({majority})", baseline)]:
        predicted = [label if label in LABELS else MISSING for label in predicted]
        row = {"labeller": name, "sentences": len(gold), "agreements": sum(g == p for g, p in zip(gold, predicted))}
        for metric, function in (("accuracy", accuracy), ("macro_f1", macro_f1), ("kappa", cohen_kappa)):
            row[metric] = function(gold, predicted)
            row[f"{metric}_low"], row[f"{metric}_high"] = bootstrap_interval(gold, predicted, function)
        rows.append(row)
    return pd.DataFrame(rows)


def load_dev_results(path: Path | str = DEV_RESULTS_PATH) -> pd.DataFrame:
    """The committed per-sentence results on the development set (labels only, no text)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such results file (scripts/dev_tone.py writes it)")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in DEV_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"{path}: the results file lacks the columns {missing}")
    table["sentence"] = table.sentence.astype(int)
    return table


def _paired(gold, predicted, where: str):
    gold, predicted = np.asarray(list(gold), dtype=object), np.asarray(list(predicted), dtype=object)
    if len(gold) != len(predicted):
        raise InputError(f"{where}: {len(gold)} hand labels but {len(predicted)} predicted labels")
    if not len(gold):
        raise InputError(f"{where}: no labels to compare")
    return gold, predicted
