"""Tests of corpuslab.topic_prevalence: topic weights per unit, per group (with t intervals), periods."""

from __future__ import annotations

import numpy as np
import pandas as pd

from corpuslab import topic_prevalence


def test_prevalence_intervals_are_student_t_within_0_and_1_and_bracket_the_mean():
    from scipy import stats

    rng = np.random.default_rng(1)
    unit_topic = rng.dirichlet([1, 1, 1], size=40)
    groups = pd.Series(["x"] * 20 + ["y"] * 20)
    table = topic_prevalence.prevalence_by_group(unit_topic, groups)
    assert ((table["ci_low"] <= table["weight"]) & (table["weight"] <= table["ci_high"])).all()
    assert table["ci_low"].min() >= 0 and table["ci_high"].max() <= 1
    part = unit_topic[:20, 0]
    low, high = stats.t.interval(0.95, len(part) - 1, loc=part.mean(), scale=stats.sem(part))
    first = table.iloc[0]
    assert np.isclose(first["ci_low"], max(low, 0)) and np.isclose(first["ci_high"], min(high, 1))


def test_a_group_of_one_unit_has_no_interval_and_leaves_the_others_unchanged():
    rng = np.random.default_rng(2)
    unit_topic = rng.dirichlet([1, 1], size=21)
    groups = pd.Series(["a"] * 10 + ["b"] + ["c"] * 10)
    table = topic_prevalence.prevalence_by_group(unit_topic, groups)
    alone = table[table["group"] == "b"]
    assert alone["n_units"].tolist() == [1, 1] and alone[["ci_low", "ci_high"]].isna().all().all()
    assert alone["weight"].tolist() == unit_topic[10].tolist()
    without = topic_prevalence.prevalence_by_group(np.delete(unit_topic, 10, axis=0), groups.drop(10))
    pd.testing.assert_frame_equal(table[table["group"] != "b"].reset_index(drop=True), without)


def test_a_group_of_two_gets_an_interval_that_is_not_zero_width():
    table = topic_prevalence.prevalence_by_group(np.array([[0.9, 0.1], [0.5, 0.5]]), ["a", "a"])
    assert (table["ci_high"] - table["ci_low"] > 0.1).all()


def test_means_only_without_intervals():
    table = topic_prevalence.prevalence_by_group(np.array([[1.0, 0.0], [0.0, 1.0]]), ["d1", "d1"], intervals=False)
    assert table["weight"].tolist() == [0.5, 0.5] and table[["ci_low", "ci_high"]].isna().all().all()


def test_groups_come_sorted_with_their_units_in_order_as_a_mask_per_group_gives_them():
    from corpuslab.stats import mean_interval

    rng = np.random.default_rng(4)
    unit_topic = rng.dirichlet([1, 1, 1], size=30)
    groups = rng.choice(["z", "b", "m"], size=30)
    table = topic_prevalence.prevalence_by_group(unit_topic, groups)
    assert table["group"].drop_duplicates().tolist() == ["b", "m", "z"]
    for g in ["b", "m", "z"]:
        part = unit_topic[groups == g]
        low, high = mean_interval(part, bounds=(0.0, 1.0))
        rows = table[table["group"] == g]
        assert rows["weight"].tolist() == [part[:, t].mean() for t in range(3)]
        assert rows["ci_low"].tolist() == low.tolist() and rows["ci_high"].tolist() == high.tolist()


def test_prevalence_groups_units_without_a_group_as_unknown():
    weights = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.2, 0.8]])
    table = topic_prevalence.prevalence_by_group(weights, pd.Series(["FT", None, "", "FT"]))
    assert sorted(table["group"].unique()) == ["FT", "unknown"]
    assert table.loc[table["group"] == "unknown", "n_units"].tolist() == [2, 2]


def test_prevalence_by_groupings_stacks_every_grouping():
    by = {"party": ["A", "A", "B"], "period": ["2020", "2020", "2021"]}
    table = topic_prevalence.prevalence_by_groupings(np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]), by)
    assert list(table.columns) == ["by", "group", "topic", "n_units", "weight", "ci_low", "ci_high"]
    assert table[["by", "group"]].drop_duplicates().values.tolist() == [["party", "A"], ["party", "B"],
                                                                        ["period", "2020"], ["period", "2021"]]
    assert table.loc[(table["group"] == "A") & (table["topic"] == 1), "weight"].item() == 0.75
    none = topic_prevalence.prevalence_by_groupings(np.ones((1, 2)) / 2, {})
    assert none.empty and list(none.columns) == list(table.columns)
