"""Shared by the grouped analyses: group labels, and seeded bootstrap means in bounded memory."""

from __future__ import annotations

import numpy as np
import pandas as pd

BOOT_CELLS = 1_000_000  # resampled values held at once (8 MB of indices: faster than larger blocks)


def resampled_means(values: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Means of ``n_boot`` resamples (with replacement) of the rows of ``values``: shape (n_boot, *values.shape[1:]).

    Drawn in blocks of about :data:`BOOT_CELLS` values, so memory stays bounded for any group size;
    the same draws as one ``rng.integers(0, n, size=(n_boot, n))`` call.

    >>> resampled_means(np.array([1.0, 1.0]), 3, np.random.default_rng(0)).tolist()
    [1.0, 1.0, 1.0]
    """
    rows = max(1, BOOT_CELLS // max(values.size, 1))
    return np.concatenate([values[rng.integers(0, len(values), size=(min(rows, n_boot - done), len(values)))].mean(axis=1)
                           for done in range(0, n_boot, rows)])


def group_labels(values: pd.Series) -> pd.Series:
    """Labels to group units by, as text: a missing or empty value becomes "unknown" (same index).

    >>> group_labels(pd.Series(["FT", None, ""])).tolist()
    ['FT', 'unknown', 'unknown']
    """
    return values.fillna("").astype(str).replace("", "unknown")
