"""Tests of corpuslab.topic_prevalence: topic weights per unit, per group (with bootstrap intervals), periods."""

from __future__ import annotations

import numpy as np
import pandas as pd

from corpuslab import topic_prevalence


def test_prevalence_intervals_are_seeded_and_bracket_the_mean():
    rng = np.random.default_rng(1)
    unit_topic = rng.dirichlet([1, 1, 1], size=40)
    groups = pd.Series(["x"] * 20 + ["y"] * 20)
    a = topic_prevalence.prevalence_by_group(unit_topic, groups, n_boot=200, seed=3)
    b = topic_prevalence.prevalence_by_group(unit_topic, groups, n_boot=200, seed=3)
    assert a.equals(b)
    assert ((a["ci_low"] <= a["weight"]) & (a["weight"] <= a["ci_high"])).all()


def test_a_group_of_one_unit_has_no_interval_and_leaves_the_others_unchanged():
    rng = np.random.default_rng(2)
    unit_topic = rng.dirichlet([1, 1], size=21)
    groups = pd.Series(["a"] * 10 + ["b"] + ["c"] * 10)
    table = topic_prevalence.prevalence_by_group(unit_topic, groups, n_boot=100, seed=3)
    alone = table[table["group"] == "b"]
    assert alone["n_units"].tolist() == [1, 1] and alone[["ci_low", "ci_high"]].isna().all().all()
    assert alone["weight"].tolist() == unit_topic[10].tolist()
    # a one-unit group draws no resamples, so the groups after it get the intervals they get without it
    without = topic_prevalence.prevalence_by_group(np.delete(unit_topic, 10, axis=0), groups.drop(10), n_boot=100, seed=3)
    pd.testing.assert_frame_equal(table[table["group"] != "b"].reset_index(drop=True), without)


def test_n_boot_zero_gives_means_only():
    table = topic_prevalence.prevalence_by_group(np.array([[1.0, 0.0], [0.0, 1.0]]), ["d1", "d1"], n_boot=0)
    assert table["weight"].tolist() == [0.5, 0.5] and table[["ci_low", "ci_high"]].isna().all().all()


def test_groups_come_sorted_with_their_units_in_order_as_a_mask_per_group_gives_them():
    rng = np.random.default_rng(4)
    unit_topic = rng.dirichlet([1, 1, 1], size=30)
    groups = rng.choice(["z", "b", "m"], size=30)
    table = topic_prevalence.prevalence_by_group(unit_topic, groups, n_boot=50, seed=1)
    boot_rng = np.random.default_rng(1)
    from corpuslab.stats import resampled_means

    for g in ["b", "m", "z"]:
        part = unit_topic[groups == g]
        alpha = (1 - 0.95) / 2  # as computed from level=0.95 (not quite 0.025)
        low, high = np.quantile(resampled_means(part, 50, boot_rng), [alpha, 1 - alpha], axis=0)
        rows = table[table["group"] == g]
        assert rows["weight"].tolist() == [part[:, t].mean() for t in range(3)]
        assert rows["ci_low"].tolist() == low.tolist() and rows["ci_high"].tolist() == high.tolist()


def test_period_honours_year_precision():
    units = pd.DataFrame({"date": ["2020", "2020-03"], "date_precision": ["year", "month"]})
    assert topic_prevalence.period(units, by="month").tolist() == ["2020", "2020-03"]
    assert topic_prevalence.period(units, by="year").tolist() == ["2020", "2020"]


def test_prevalence_bootstrap_in_blocks_draws_the_same_resamples(monkeypatch):
    from corpuslab import stats

    weights = np.random.default_rng(1).dirichlet(np.ones(3), size=200)
    groups = pd.Series(["a"] * 120 + ["b"] * 80)
    whole = topic_prevalence.prevalence_by_group(weights, groups, n_boot=60, seed=3)
    monkeypatch.setattr(stats, "BOOT_CELLS", 1_000)  # one or two resamples at a time
    pd.testing.assert_frame_equal(topic_prevalence.prevalence_by_group(weights, groups, n_boot=60, seed=3), whole,
                                  check_exact=True)


def test_prevalence_groups_units_without_a_group_as_unknown():
    weights = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.2, 0.8]])
    table = topic_prevalence.prevalence_by_group(weights, pd.Series(["FT", None, "", "FT"]), n_boot=50)
    assert sorted(table["group"].unique()) == ["FT", "unknown"]
    assert table.loc[table["group"] == "unknown", "n_units"].tolist() == [2, 2]


def test_prevalence_by_outlet_and_period_stacks_both_groupings():
    units = pd.DataFrame({"outlet": ["A", "A", "B"], "date": ["2020", "2020-05", "2021"],
                          "date_precision": ["year", "month", "year"]})
    table = topic_prevalence.prevalence_by_outlet_and_period(np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]), units,
                                                             n_boot=50)
    assert list(table.columns) == ["by", "group", "topic", "n_units", "weight", "ci_low", "ci_high"]
    assert table[["by", "group"]].drop_duplicates().values.tolist() == [["outlet", "A"], ["outlet", "B"],
                                                                        ["period", "2020"], ["period", "2021"]]
    none = topic_prevalence.prevalence_by_outlet_and_period(np.ones((1, 2)) / 2, pd.DataFrame({"x": [1]}))
    assert none.empty and list(none.columns) == list(table.columns)
