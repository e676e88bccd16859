"""Shared by the grouped analyses: group labels, confidence intervals of means, seeded bootstrap means.

The interval of a group's mean is Student's t interval: by simulation
(``bench/interval_coverage.py``, ``bench/results_intervals.md``) it covers the true mean as
often as the percentile, expanded-percentile and BCa bootstraps or more often, on normal,
skewed and bounded data, and far more often for small groups (n = 2-5), where the
percentile bootstrap covers 45-83 %. A group of fewer than :data:`MIN_INTERVAL_N` units
has no interval (NaN).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BOOT_CELLS = 1_000_000  # resampled values held at once (8 MB of indices: faster than larger blocks)
MIN_INTERVAL_N = 2  # below this many values a mean has no interval (its spread is unknown)


def mean_interval(values, *, level: float = 0.95, bounds: tuple[float, float] | None = None):
    """Student's t confidence interval of the mean: ``mean ± t(n−1) · s / √n``.

    ``values`` holds one value per row; a 2-D array gives one interval per column.
    Fewer than :data:`MIN_INTERVAL_N` rows give NaN. ``bounds`` (the range the values
    can take, e.g. (−1, 1) for a compound score) cut the interval, since the mean cannot
    leave them; coverage is unchanged.

    >>> low, high = mean_interval([0.1, 0.2, 0.3, 0.4])
    >>> round(low, 4), round(high, 4)
    (0.0446, 0.4554)
    >>> mean_interval([0.5])
    (nan, nan)
    >>> mean_interval([-0.9, 0.9], bounds=(-1, 1))
    (-1.0, 1.0)
    """
    values = np.asarray(values, dtype=float)
    n = len(values)
    if n < MIN_INTERVAL_N:
        nan = np.full(values.shape[1:], np.nan)
        return (float("nan"), float("nan")) if values.ndim == 1 else (nan, nan.copy())
    low, high = t_interval(values.mean(axis=0), values.std(axis=0, ddof=1), n, level=level, bounds=bounds)
    return (float(low), float(high)) if values.ndim == 1 else (low, high)


def t_interval(mean, sd, n, *, level: float = 0.95, bounds: tuple[float, float] | None = None):
    """Student's t interval from each group's mean, standard deviation (ddof=1) and size (arrays or numbers).

    Groups of fewer than :data:`MIN_INTERVAL_N` get NaN.

    >>> low, high = t_interval(np.array([0.25, 0.5]), np.array([0.1291, 0.0]), np.array([4, 1]))
    >>> low.round(4).tolist(), high.round(4).tolist()
    ([0.0446, nan], [0.4554, nan])
    """
    from scipy import stats

    mean, sd, n = np.asarray(mean, dtype=float), np.asarray(sd, dtype=float), np.asarray(n, dtype=float)
    enough = n >= MIN_INTERVAL_N
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + level / 2, np.where(enough, n - 1, 1)) * sd / np.sqrt(n)
    low, high = np.where(enough, mean - half, np.nan), np.where(enough, mean + half, np.nan)
    if bounds is not None:
        low, high = np.clip(low, *bounds), np.clip(high, *bounds)
    return low, high


def mean_interval_by_group(values, groups, *, level: float = 0.95,
                           bounds: tuple[float, float] | None = None) -> pd.DataFrame:
    """Per group (sorted): group, n, mean, ci_low, ci_high (:func:`mean_interval` of its values).

    ``groups`` holds one label per value; :func:`group_labels` turns a missing one into "unknown".

    >>> table = mean_interval_by_group([0.1, 0.3, 0.5], ["b", "b", None])
    >>> table[["group", "n", "mean"]].values.tolist()
    [['b', 2, 0.2], ['unknown', 1, 0.5]]
    >>> table["ci_low"].isna().tolist()
    [False, True]
    """
    table = pd.DataFrame({"group": group_labels(pd.Series(list(groups), dtype=object)).to_numpy(),
                          "value": np.asarray(values, dtype=float)})
    summary = table.groupby("group", sort=True)["value"].agg(["size", "mean", "std"]).reset_index()
    low, high = t_interval(summary["mean"], summary["std"], summary["size"], level=level, bounds=bounds)
    return pd.DataFrame({"group": summary["group"], "n": summary["size"].astype("int64"), "mean": summary["mean"],
                         "ci_low": low, "ci_high": high})


def resampled_means(values: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Means of ``n_boot`` resamples (with replacement) of the rows of ``values``: shape (n_boot, *values.shape[1:]).

    Drawn in blocks of about :data:`BOOT_CELLS` values, so memory stays bounded for any group size;
    the same draws as one ``rng.integers(0, n, size=(n_boot, n))`` call.

    >>> resampled_means(np.array([1.0, 1.0]), 3, np.random.default_rng(0)).tolist()
    [1.0, 1.0, 1.0]
    """
    rows = max(1, BOOT_CELLS // max(values.size, 1))
    n = len(values)
    return np.concatenate([values[rng.integers(0, n, size=(min(rows, n_boot - done), n))].mean(axis=1)
                           for done in range(0, n_boot, rows)])


def group_labels(values) -> pd.Series:
    """Labels to group units by, as text: a missing or empty value becomes "unknown" (a Series keeps its index).

    >>> group_labels(pd.Series(["FT", None, ""])).tolist()
    ['FT', 'unknown', 'unknown']
    >>> group_labels(["FT", float("nan")]).tolist()
    ['FT', 'unknown']
    """
    if not isinstance(values, pd.Series):
        values = pd.Series(np.asarray(values, dtype=object))
    return values.fillna("").astype(str).replace("", "unknown")
