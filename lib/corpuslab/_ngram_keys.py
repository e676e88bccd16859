"""Speed code behind :func:`corpuslab.collocations.collocations`: n-grams packed into one integer each.

An n-gram of token ids is the integer ``id_1 * base^(n-1) + ... + id_n`` (``base``: the size of
the vocabulary), built from array slices, never a Python tuple per n-gram; keys are sorted on
polars' threads and counted as runs. Tests hold the counts equal to counting token runs by hand
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
        self.inside = self.column(0) >= 0
        for i in range(1, n):
            self.inside &= self.column(i) >= 0

    def __len__(self) -> int:
        return int(self.inside.sum())

    def column(self, i: int) -> np.ndarray:
        """The token id at position ``i`` of every window (a view, not a copy)."""
        return self.ids[i:i + self.width]

    def keys(self, positions: tuple[int, ...], base: int, where: np.ndarray) -> np.ndarray:
        """:func:`encode` of the tokens at ``positions`` of the windows ``where`` holds (a mask inside
        :attr:`inside`): each column masked once, the key built in place."""
        key = self.column(positions[0])[where].astype(np.int64)
        for i in positions[1:]:
            key *= base
            key += self.column(i)[where]
        return key


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


def _sorted(keys: np.ndarray) -> np.ndarray:
    """``keys`` in ascending order, sorted on polars' threads (faster than a hash table of millions of keys)."""
    import polars as pl

    return pl.Series("key", keys, dtype=pl.Int64).sort(multithreaded=True).to_numpy()


def frequent_keys(keys: np.ndarray, min_count: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys seen at least ``min_count`` times, ascending, and their counts (runs of the sorted keys).

    >>> [a.tolist() for a in frequent_keys(np.array([5, 3, 5, 7, 5, 3]), 2)]
    [[3, 5], [2, 3]]
    """
    ordered = _sorted(keys)
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(ordered) else np.zeros(0, dtype=np.int64)
    counts = np.diff(np.r_[starts, len(ordered)]).astype(np.int64)
    keep = counts >= min_count
    return ordered[starts[keep]], counts[keep]


def count_keys(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """How often each of ``wanted`` occurs in ``keys`` (two binary searches per wanted key in the sorted keys,
    the wanted keys searched in ascending order: each search starts where the last ended).

    >>> count_keys(np.array([5, 3, 5, 7, 5]), np.array([5, 9, 3])).tolist()
    [3, 0, 1]
    """
    ordered, by_key = _sorted(keys), np.argsort(wanted, kind="stable")
    found = np.empty(len(wanted), dtype=np.int64)
    ascending = wanted[by_key]
    found[by_key] = np.searchsorted(ordered, ascending, side="right") - np.searchsorted(ordered, ascending, side="left")
    return found


def agreement_counts(ids: np.ndarray, n: int, base: int, *, min_count: int, excluded: np.ndarray
                     ) -> tuple[np.ndarray, dict[tuple[int, ...], np.ndarray], int]:
    """The n-grams of ``ids`` seen at least ``min_count`` times that neither start nor end with an
    ``excluded`` token id, and for each subset of positions how many n-grams agree with each of them there.

    Returns the candidates' token ids (one row per candidate, in key order), the counts by position
    subset (``()``: every n-gram; ``(0, ..., n-1)``: the candidate itself) and the number of n-grams.
    Only windows that could agree with a candidate are counted: none with an excluded token at a
    compared first or last position (the same counts, from fewer keys).
    """
    grams = Grams(ids, n)
    everything = tuple(range(n))
    allowed = np.append(~excluded, False)  # a BREAK (-1) picks the appended False
    first, last = (grams.inside & allowed[grams.column(i)] for i in (0, n - 1))
    masks = {(True, True): first & last, (True, False): first, (False, True): last, (False, False): grams.inside}

    def where(subset: tuple[int, ...]) -> np.ndarray:  # the windows that may agree with a candidate at subset
        return masks[(0 in subset, n - 1 in subset)]

    distinct, counts = frequent_keys(grams.keys(everything, base, where(everything)), min_count)
    chosen = digits(distinct, n, base)  # in n-gram order, as the keys sort
    at_least = {(): np.full(len(chosen), len(grams), dtype=float)}
    for k in range(1, n + 1):
        for subset in combinations(everything, k):  # n-grams agreeing with each candidate at these positions
            if subset == everything:
                at_least[subset] = counts.astype(float)
            elif len(subset) == 1:
                per_word = np.bincount(grams.column(subset[0])[where(subset)], minlength=base)
                at_least[subset] = per_word[chosen[:, subset[0]]].astype(float)
            else:
                keys = grams.keys(subset, base, where(subset))
                at_least[subset] = count_keys(keys, encode([chosen[:, i] for i in subset], base)).astype(float)
    return chosen, at_least, len(grams)
