"""Agreement figures: what the chapter reports is what the code computes from the committed results."""

import math

import pandas as pd
import pytest

from diplotext import InputError
from diplotext.evaluation import (
    DEV_COLUMNS,
    accuracy,
    agreement_table,
    bootstrap_intervals,
    cohen_kappa,
    confusion_matrix,
    load_dev_results,
    macro_f1,
    majority_labels,
)
from diplotext.report.sentiment import agreements, confusion_matrices, validation_figures


def test_macro_f1_and_kappa_on_a_small_example():
    gold = ["positive", "positive", "negative", "neutral"]
    predicted = ["positive", "neutral", "negative", "neutral"]
    # F1: positive 2*1/(2+1), negative 1, neutral 2*1/(1+2): mean (2/3 + 1 + 2/3) / 3
    assert macro_f1(gold, predicted) == pytest.approx((2 / 3 + 1 + 2 / 3) / 3)
    assert accuracy(gold, predicted) == 0.75
    # A label nobody uses is left out of the mean.
    assert macro_f1(["positive", "negative"], ["positive", "negative"]) == 1.0
    # A sentence the system never produced counts as a disagreement, and shows in the matrix.
    assert accuracy(["neutral", "neutral"], ["neutral", "missing"]) == 0.5
    assert confusion_matrix(["neutral", "neutral"], ["neutral", "missing"]).loc["neutral", "missing"] == 1
    assert cohen_kappa(["positive", "negative"], ["positive", "negative"]) == 1.0


def test_bootstrap_intervals_are_reproducible_and_hold_the_estimate():
    gold = ["positive"] * 10 + ["negative"] * 10 + ["neutral"] * 10
    predicted = ["positive"] * 8 + ["neutral"] * 2 + ["negative"] * 7 + ["neutral"] * 3 + ["neutral"] * 10
    first, again = bootstrap_intervals(gold, predicted), bootstrap_intervals(gold, predicted)
    assert first == again
    low, high = first["accuracy"]
    assert low < accuracy(gold, predicted) == 25 / 30 < high
    assert first["kappa"][0] < cohen_kappa(gold, predicted) < first["kappa"][1]


def test_majority_baselines():
    gold = ["neutral", "neutral", "positive", "positive", "positive"]
    assert majority_labels(gold) == ("majority (positive)", ["positive"] * 5)
    name, labels = majority_labels(gold, groups=["a", "a", "b", "b", "b"])
    assert name == "majority per article" and labels == ["neutral", "neutral", "positive", "positive", "positive"]
    table = agreement_table(gold, {"x": gold}, groups=["a", "a", "b", "b", "b"]).set_index("labeller")
    assert table.agreements.tolist() == [5, 3, 5]


@pytest.fixture(scope="module")
def dev():
    return load_dev_results()


def test_dev_results_hold_labels_only(dev):
    assert list(dev.columns) == DEV_COLUMNS
    assert len(dev) == 131 and dev.article.nunique() == 10
    assert set(dev.gold) == {"positive", "neutral", "negative"}
    assert set(dev.tone) <= {"positive", "neutral", "negative", ""}
    assert not any(len(str(value)) > 60 for value in dev.to_numpy().ravel())  # no sentence text


def test_chapter_figures_equal_a_count_by_hand(dev):
    """The chapter glues ``validation_figures``; count the same figures directly from the CSV."""
    figures = validation_figures(agreements(dev.gold, dev, dev.article), "dev")
    rows = list(dev.itertuples())
    for name, column in (("tone", "tone"), ("textblob", "textblob_label"), ("vader", "vader_label")):
        hits = sum(getattr(r, column) == r.gold for r in rows)
        assert figures[f"dev_{name}_agreements"] == hits
        assert figures[f"dev_{name}_accuracy"] == hits / len(rows)
        assert figures[f"dev_{name}_accuracy_low"] <= hits / len(rows) <= figures[f"dev_{name}_accuracy_high"]
    counts = dev.gold.value_counts()
    assert figures["dev_majority_label"] == counts.idxmax()
    assert figures["dev_majority_agreements"] == counts.max()
    per_article = sum(group.gold.value_counts().max() for _, group in dev.groupby("article"))
    assert figures["dev_majority_per_article_agreements"] == per_article
    matrices = confusion_matrices(dev.gold, dev)
    assert matrices.to_numpy().sum() == 3 * len(rows)
    assert matrices[("tone (this book)", "negative")]["negative"] == sum(r.tone == r.gold == "negative" for r in rows)


def test_the_tone_beats_the_lexicons_and_the_baselines_on_the_dev_set(dev):
    figures = validation_figures(agreements(dev.gold, dev, dev.article), "dev")
    tone = figures["dev_tone_accuracy"]
    assert tone >= 0.75
    for other in ("vader", "textblob", "majority", "majority_per_article"):
        assert tone >= figures[f"dev_{other}_accuracy"] + 0.10, other
    assert math.isfinite(figures["dev_tone_kappa_low"]) and figures["dev_tone_kappa_low"] > figures["dev_vader_kappa"]


def test_chapter_glues_every_validation_figure(dev):
    """Every agreement figure the chapter's prose names is one of ``validation_figures``, which
    the chapter glues from the same tables (the other names are glued by name in its code)."""
    import json
    import re
    from pathlib import Path

    notebook = json.loads(Path(__file__).parents[1].joinpath("notebooks", "03_sentiment.ipynb").read_text())
    code = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    prose = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    assert 'report.validation_figures(dev_table, "sentiment_dev")' in code
    assert 'report.validation_figures(seed_table, "sentiment_seed")' in code
    computed = validation_figures(agreements(dev.gold, dev, dev.article), "sentiment_dev")
    computed |= validation_figures(agreements(dev.gold, dev), "sentiment_seed")  # the same names for the seed
    named = re.findall(r"\{glue:text\}`(sentiment_(?:seed|dev)_[a-z_]+?)(?::[^`]*)?`", prose)
    assert len(named) > 40
    for name in named:
        assert name in computed or f'glue("{name}"' in code, name
    # The headline figures are among them.
    assert {"sentiment_dev_tone_accuracy", "sentiment_dev_vader_accuracy", "sentiment_dev_majority_per_article_accuracy",
            "sentiment_seed_textblob_kappa_low", "sentiment_seed_majority_accuracy"} <= set(named)


def test_bad_results_file(tmp_path):
    with pytest.raises(InputError, match="no such results file"):
        load_dev_results(tmp_path / "none.csv")
    path = tmp_path / "bad.csv"
    pd.DataFrame({"article": ["a"], "sentence": [1]}).to_csv(path, index=False)
    with pytest.raises(InputError, match="lacks the columns"):
        load_dev_results(path)
