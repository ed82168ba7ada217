"""Scoring labels against hand annotations: accuracy, macro-F1, Cohen's kappa, bootstrap
intervals, the majority baseline and confusion matrices.

The chapters report these figures; ``agreement_table`` is the one place they are computed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._lazy import pd
from .tables import require_columns
from .corpus import REPO_ROOT
from .errors import InputError
from .tone import LABELS

ANNOTATIONS_PATH = REPO_ROOT / "data" / "annotations" / "sentiment_seed.csv"
DEV_RESULTS_PATH = REPO_ROOT / "data" / "evaluation" / "dev_tone.csv"
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
    return float(_metrics(_counts(gold, predicted, _all_labels(gold, predicted, labels)), len(labels))[2])


def macro_f1(gold, predicted, labels=LABELS) -> float:
    """Mean over ``labels`` of each label's F1 (2 x hits / (hand count + predicted count)); a
    label that neither the hand nor the tool uses is left out."""
    gold, predicted = _paired(gold, predicted, "macro_f1")
    return float(_metrics(_counts(gold, predicted, _all_labels(gold, predicted, labels)), len(labels))[1])


def _metrics(matrices: np.ndarray, scored: int):
    """Accuracy, macro-F1 (over the first ``scored`` labels) and kappa of confusion matrices
    (one ``k x k`` matrix, or a stack of them)."""
    total = matrices.sum(axis=(-2, -1))
    diagonal = np.diagonal(matrices, axis1=-2, axis2=-1)
    rows, columns = matrices.sum(axis=-1), matrices.sum(axis=-2)
    observed = diagonal.sum(axis=-1) / total
    chance = (rows * columns).sum(axis=-1) / total**2
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa = np.where(chance == 1, np.nan, (observed - chance) / (1 - chance))
        sizes = (rows + columns)[..., :scored]
        f1 = np.where(sizes > 0, 2 * diagonal[..., :scored] / sizes, np.nan)
        macro = np.nanmean(np.where(np.isnan(f1).all(axis=-1, keepdims=True), 0, f1), axis=-1)
    return observed, macro, kappa


def majority_labels(gold, groups=None) -> tuple[str, list]:
    """The majority baseline: the most frequent hand label (ties: first in ``LABELS``) answered
    for every sentence, or with ``groups`` (e.g. the article of each sentence) the most frequent
    label of each group for its sentences. Returns a name for it and its labels."""
    gold = list(gold)
    if groups is None:
        label = max(LABELS, key=gold.count)
        return f"majority ({label})", [label] * len(gold)
    groups = list(groups)
    best = {}
    for group in dict.fromkeys(groups):
        labels = [g for g, k in zip(gold, groups) if k == group]
        best[group] = max(LABELS, key=labels.count)
    return "majority per article", [best[group] for group in groups]


def bootstrap_intervals(gold, predicted, samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED,
                        level: float = 0.95) -> dict:
    """Percentile bootstrap intervals of accuracy, macro-F1 and kappa: sentences resampled with
    replacement ``samples`` times from a fixed seed, so the book's figures are reproducible and
    every labeller is judged on the same resamples."""
    gold, predicted = _paired(gold, predicted, "bootstrap_intervals")
    labels = _all_labels(gold, predicted, LABELS)
    index = {label: i for i, label in enumerate(labels)}
    k, n = len(labels), len(gold)
    codes = np.array([index[g] * k + index[p] for g, p in zip(gold, predicted)])
    picks = np.random.default_rng(seed).integers(0, n, (samples, n))
    offsets = np.arange(samples)[:, None] * k * k
    matrices = np.bincount((codes[picks] + offsets).ravel(), minlength=samples * k * k).reshape(samples, k, k)
    tail = (1 - level) / 2 * 100
    out = {}
    for name, values in zip(("accuracy", "macro_f1", "kappa"), _metrics(matrices.astype(float), len(LABELS))):
        finite = values[~np.isnan(values)]
        out[name] = tuple(float(v) for v in np.percentile(finite, [tail, 100 - tail])) if len(finite) else (np.nan, np.nan)
    return out


def agreement_table(gold, predictions: dict, groups=None) -> pd.DataFrame:
    """One row per labeller (``predictions``: name -> labels) and the majority baseline (and,
    when ``groups`` is given, the majority of each group): agreements, accuracy, macro-F1 and kappa, each with its
    bootstrap 95 % interval. A label outside ``LABELS`` (a sentence not produced) counts as
    ``missing``: a disagreement."""
    gold = list(gold)
    rows = []
    baselines = [majority_labels(gold)] + ([majority_labels(gold, groups)] if groups is not None else [])
    for name, predicted in [*predictions.items(), *baselines]:
        predicted = [label if label in LABELS else MISSING for label in predicted]
        row = {"labeller": name, "sentences": len(gold), "agreements": sum(g == p for g, p in zip(gold, predicted)),
               "accuracy": accuracy(gold, predicted), "macro_f1": macro_f1(gold, predicted),
               "kappa": cohen_kappa(gold, predicted)}
        for metric, (low, high) in bootstrap_intervals(gold, predicted).items():
            row[f"{metric}_low"], row[f"{metric}_high"] = low, high
        rows.append(row)
    return pd.DataFrame(rows)


def load_dev_results(path: Path | str = DEV_RESULTS_PATH) -> pd.DataFrame:
    """The committed per-sentence results on the development set (labels only, no text)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such results file (tools/dev_tone.py writes it)")
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
