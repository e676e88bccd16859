"""sentiment_validation: gold standards, agreement with people, and the cached table in workflow."""

import numpy as np
import pytest

from corpuslab import params, sentiment_validation, vader, workflow


def test_vader_reproduces_the_published_nyt_agreement():
    """Hutto & Gilbert's NYT editorial gold standard: r = 0.503 with vaderSentiment 3.3.2 (paper: 0.492)."""
    gold = sentiment_validation.read_gold("nyt_editorials")
    assert len(gold) == 5190
    compound = np.array([vader.vader(t)["compound"] for t in gold["text"]])
    result = sentiment_validation.agreement(gold["rating"].to_numpy(), compound, n_boot=100)
    assert abs(result["pearson_r"] - 0.503) <= 0.005
    assert abs(result["macro_f1"] - 0.537) <= 0.005
    assert result["pearson_ci_low"] < result["pearson_r"] < result["pearson_ci_high"]


def test_intervals_equal_an_independent_percentile_bootstrap():
    """scipy's bootstrap draws the resamples the hand-written one drew (blocks of 100 from one seeded
    generator): the same intervals, to the last bits of the correlation's arithmetic."""
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(1)
    rating = rng.uniform(-4, 4, 300)
    compound = np.clip(rating / 4 + rng.normal(0, 0.4, 300), -1, 1)
    result = sentiment_validation.agreement(rating, compound, n_boot=250, seed=9)
    truth = sentiment_validation.three_class(rating / 4, 0.05)
    predicted = sentiment_validation.three_class(compound, 0.05)
    draws = np.random.default_rng(9)
    r_boot, f1_boot = [], []
    for start in range(0, 250, 100):
        samples = draws.integers(0, 300, size=(min(100, 250 - start), 300))
        r_boot += [np.corrcoef(rating[s], compound[s])[0, 1] for s in samples]
        f1_boot += [f1_score(truth[s], predicted[s], average="macro", zero_division=0) for s in samples]
    assert [result["pearson_ci_low"], result["pearson_ci_high"]] == pytest.approx(np.percentile(r_boot, [2.5, 97.5]),
                                                                                 abs=1e-12)
    assert [result["f1_ci_low"], result["f1_ci_high"]] == pytest.approx(np.percentile(f1_boot, [2.5, 97.5]), abs=1e-12)
    assert result["macro_f1"] == f1_score(truth, predicted, average="macro", zero_division=0)


def test_macro_f1_of_resamples_equals_scikit_learn_on_each():
    """The bootstrap scores its resamples at once: each equals f1_score, also where a class is missing."""
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    truth, predicted = rng.integers(-1, 2, (300, 12)), rng.integers(-1, 2, (300, 12))
    truth[:20] = np.where(truth[:20] == 0, 1, truth[:20])  # no neutral texts in some rows
    predicted[:10] = 1  # one class predicted
    rows = sentiment_validation._macro_f1_of_rows(truth, predicted)
    for t, p, f1 in zip(truth, predicted, rows):
        assert f1 == pytest.approx(f1_score(t, p, average="macro", zero_division=0), abs=1e-15)
        assert sentiment_validation.macro_f1(t, p) == f1_score(t, p, average="macro", zero_division=0)


def test_validation_table_has_every_method_and_dataset():
    table = sentiment_validation.validate(datasets=("nyt_editorials",), n_boot=50)
    assert set(table["method"]) == {"vader", "huliu"}
    assert list(table.columns) == sentiment_validation.COLUMNS
    assert list(sentiment_validation.validate(datasets=()).columns) == sentiment_validation.COLUMNS


def test_workflow_validation_follows_the_params(monkeypatch, tmp_path):
    monkeypatch.setenv("CORPUSLAB_CACHE_DIR", str(tmp_path))
    calls, validate = [], sentiment_validation.validate
    monkeypatch.setattr(sentiment_validation, "validate", lambda datasets, **settings: calls.append(
        (datasets, settings)) or validate((), **settings))
    cfg = params.validate({"sentiment.validation": "nyt", "sentiment.vader_input": "raw"})
    workflow.sentiment_validation(cfg)
    assert calls == [(("nyt_editorials",), {"threshold": 0.05, "n_boot": 1000, "seed": 42, "vader_input": "raw"})]
