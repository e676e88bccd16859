"""stats: group labels, the t interval of a mean (and its coverage), seeded bootstrap means."""

import numpy as np
import pandas as pd
import pytest

from corpuslab import stats


def test_mean_interval_is_student_t():
    from scipy import stats as sps

    values = np.array([0.3, -0.1, 0.8, 0.05, 0.4])
    expected = sps.t.interval(0.9, 4, loc=values.mean(), scale=sps.sem(values))
    assert stats.mean_interval(values, level=0.9) == pytest.approx(expected)


def test_fewer_than_two_values_have_no_interval():
    assert np.isnan(stats.mean_interval([])).all() and np.isnan(stats.mean_interval([0.7])).all()
    assert stats.MIN_INTERVAL_N == 2 and np.isfinite(stats.mean_interval([0.7, 0.1])).all()
    low, high = stats.t_interval([0.7, 0.4], [0.0, 0.1], [1, 3])
    assert np.isnan(low[0]) and np.isnan(high[0]) and low[1] < 0.4 < high[1]


def test_columns_get_their_own_intervals_and_bounds_cut_them():
    values = np.array([[0.9, 0.1], [-0.9, 0.2], [0.8, 0.3]])
    low, high = stats.mean_interval(values, bounds=(-1, 1))
    assert low[0] == -1 and high[0] == 1
    assert (low[1], high[1]) == pytest.approx(stats.mean_interval(values[:, 1]))
    assert np.isnan(stats.mean_interval(values[:1])[0]).all()


@pytest.mark.parametrize("n", [2, 3, 5, 10])
def test_the_95_interval_covers_the_mean_of_small_normal_samples_95_times_in_100(n):
    """By simulation (bench/interval_coverage.py has the full table): the percentile bootstrap covered
    51 %, 75 %, 83 % and 89 % here; Student's t is exact for normal data."""
    samples = np.random.default_rng(n).normal(size=(n, 20_000))  # one sample per column
    low, high = stats.mean_interval(samples)
    assert np.mean((low <= 0) & (0 <= high)) == pytest.approx(0.95, abs=0.006)


def test_mean_interval_matches_the_coverage_script():
    """The script measures the shipped function: its t candidate is the same interval."""
    import sys

    from corpuslab.resources import PROJECT_ROOT

    sys.path.insert(0, str(PROJECT_ROOT / "bench"))
    try:
        import interval_coverage
    finally:
        sys.path.remove(str(PROJECT_ROOT / "bench"))
    samples = np.random.default_rng(0).exponential(size=(50, 5))
    means = interval_coverage.boot_means(samples, 100, np.random.default_rng(1))
    low, high = interval_coverage.candidates(samples, means)["student-t"]
    shipped = np.array([stats.mean_interval(s) for s in samples])
    np.testing.assert_allclose(shipped, np.column_stack([low, high]))


def test_resampled_means_in_blocks_draw_the_same_resamples(monkeypatch):
    values = np.random.default_rng(0).normal(size=997)
    whole = stats.resampled_means(values, 300, np.random.default_rng(5))
    monkeypatch.setattr(stats, "BOOT_CELLS", 2_000)  # two resamples at a time
    np.testing.assert_array_equal(stats.resampled_means(values, 300, np.random.default_rng(5)), whole)
    one_call = values[np.random.default_rng(5).integers(0, 997, size=(300, 997))].mean(axis=1)
    np.testing.assert_array_equal(whole, one_call)


def test_group_labels_name_missing_groups_unknown():
    assert stats.group_labels(pd.Series(["FT", None, "", float("nan")])).tolist() == ["FT", "unknown", "unknown",
                                                                                      "unknown"]
