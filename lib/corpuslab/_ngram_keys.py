"""Speed code behind :func:`corpuslab.collocations.collocations`: n-grams packed into one integer each.

An n-gram of token ids is the integer ``id_1 * base^(n-1) + ... + id_n`` (``base``: the size of
the vocabulary), built from array slices, never a Python tuple per n-gram; keys are counted on
polars' threads. Tests hold the counts equal to counting token runs by hand
(:func:`corpuslab.tokens.token_runs`).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from corpuslab._stream import BREAK, TokenStream


def runs(stream: TokenStream, *, lowercase: bool) -> tuple[np.ndarray, np.ndarray]:
    """Every token of ``stream`` as an integer id, with :data:`~corpuslab._stream.BREAK` (-1) between runs
    and texts; and the vocabulary (id -> token), case-folded if ``lowercase``."""
    stream = stream.folded(lowercase)
    ends = np.cumsum(stream.lengths)
    return np.insert(stream.ids, ends, BREAK), stream.types


class Grams:
    """The n-grams inside runs of ``ids``: every window of n positions, and which hold no break."""

    def __init__(self, ids: np.ndarray, n: int):
        self.ids, self.width = ids, max(len(ids) - n + 1, 0)
        self.inside = np.ones(self.width, dtype=bool)
        for i in range(n):
            self.inside &= ids[i:i + self.width] >= 0

    def __len__(self) -> int:
        return int(self.inside.sum())

    def keys(self, positions: tuple[int, ...], base: int) -> np.ndarray:
        """:func:`encode` of each n-gram's tokens at ``positions`` (from slices, not gathers)."""
        return encode([self.ids[i:i + self.width] for i in positions], base)[self.inside]


def encode(columns: list[np.ndarray], base: int) -> np.ndarray:
    """One integer per row for its token ids in ``columns`` (base-``base`` digits, first column most significant).

    >>> encode([np.array([1, 2]), np.array([0, 3])], 10).tolist()
    [10, 23]
    """
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        key = key * base + column
    return key


def digits(keys: np.ndarray, n: int, base: int) -> np.ndarray:
    """The (len(keys), n) token ids that :func:`encode` encoded (first position most significant).

    >>> digits(np.array([10, 23]), 2, 10).tolist()
    [[1, 0], [2, 3]]
    """
    out = np.empty((len(keys), n), dtype=np.int64)
    rest = keys.copy()
    for i in reversed(range(n)):
        rest, out[:, i] = np.divmod(rest, base)
    return out


def frequent_keys(keys: np.ndarray, min_count: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys seen at least ``min_count`` times, ascending, and their counts (hashed on polars' threads).

    >>> [a.tolist() for a in frequent_keys(np.array([5, 3, 5, 7, 5, 3]), 2)]
    [[3, 5], [2, 3]]
    """
    import polars as pl

    counted = (pl.Series("key", keys).value_counts(name="count", parallel=True)
               .filter(pl.col("count") >= min_count).sort("key"))
    return counted["key"].to_numpy(), counted["count"].to_numpy().astype(np.int64)


def count_keys(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """How often each of ``wanted`` occurs in ``keys`` (a hash lookup per key among the few wanted).

    >>> count_keys(np.array([5, 3, 5, 7, 5]), np.array([5, 9, 3])).tolist()
    [3, 0, 1]
    """
    import polars as pl

    if not len(wanted) or not len(keys):
        return np.zeros(len(wanted), dtype=np.int64)
    column = pl.Series("key", keys)
    found, counts = frequent_keys(column.filter(column.is_in(pl.Series(np.unique(wanted)).implode())).to_numpy(), 1)
    where = np.minimum(np.searchsorted(found, wanted), max(len(found) - 1, 0))
    return np.where(found[where] == wanted, counts[where], 0) if len(found) else np.zeros(len(wanted), dtype=np.int64)


def agreement_counts(ids: np.ndarray, n: int, base: int, *, min_count: int, excluded: np.ndarray
                     ) -> tuple[np.ndarray, dict[tuple[int, ...], np.ndarray], int]:
    """The n-grams of ``ids`` seen at least ``min_count`` times that neither start nor end with an
    ``excluded`` token id, and for each subset of positions how many n-grams agree with each of them there.

    Returns the candidates' token ids (one row per candidate, in key order), the counts by position
    subset (``()``: every n-gram; ``(0, ..., n-1)``: the candidate itself) and the number of n-grams.
    """
    grams = Grams(ids, n)
    everything = tuple(range(n))
    distinct, counts = frequent_keys(grams.keys(everything, base), min_count)
    first = digits(distinct, n, base)  # in n-gram order, as the keys sort
    keep = ~excluded[first[:, 0]] & ~excluded[first[:, -1]] if len(first) else np.zeros(0, dtype=bool)
    chosen = first[keep]
    at_least = {(): np.full(len(chosen), len(grams), dtype=float)}
    for k in range(1, n + 1):
        for subset in combinations(everything, k):  # n-grams agreeing with each candidate at these positions
            if subset == everything:
                at_least[subset] = counts[keep].astype(float)
            elif len(subset) == 1:
                per_word = np.bincount(grams.keys(subset, base), minlength=base)
                at_least[subset] = per_word[chosen[:, subset[0]]].astype(float)
            else:
                at_least[subset] = count_keys(grams.keys(subset, base), encode([chosen[:, i] for i in subset], base)
                                              ).astype(float)
    return chosen, at_least, len(grams)
