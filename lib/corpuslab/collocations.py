"""Collocations: word sequences that occur together more often than chance (quanteda's textstat_collocations)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import xlogy

from corpuslab import _ngram_keys
from corpuslab._stream import TokenStream
from corpuslab.errors import CorpuslabError
from corpuslab.tokens import token_stream

COLUMNS = ["ngram", "size", "count", "lambda", "z", "pmi_bits", "g2", "t"]


def collocations(texts, *, sizes: tuple[int, ...] = (2, 3), min_count: int = 2,
                 exclude: frozenset[str] = frozenset(), lowercase: bool = True,
                 stream: TokenStream | None = None) -> pd.DataFrame:
    """Word sequences that occur together more than chance: ngram, size, count, lambda, z, pmi_bits, g2, t.

    N-grams are counted within runs of tokens that no punctuation interrupts
    (:func:`corpuslab.tokens.token_runs`), over every token (stopwords included,
    so no false adjacency is created); ``exclude`` then drops n-grams that start
    or end with one of its words (e.g. the stopword list).

    For each n-gram, the 2^n table counts the corpus n-grams that match it at each
    subset of positions. ``lambda`` is the highest-order interaction of the
    saturated log-linear model on that table with 0.5 added to each cell, and
    ``z = lambda / se`` (Blaheta & Johnson 2001, as quanteda's textstat_collocations);
    ``pmi_bits`` is log2(observed / expected) under independence of positions;
    ``g2`` the log-likelihood ratio of the table against independence (Dunning
    1993; exact, ``0 log 0 = 0``); ``t`` = (observed - expected) / sqrt(observed).
    Sorted by z, then ngram. Tokens are counted as integer arrays, so memory grows
    with the corpus, not with the number of distinct n-grams times Python objects.

    Parameters
    ----------
    texts
        The texts (a list or a column of documents).
    stream
        The token stream of ``texts`` (:func:`corpuslab.tokens.token_stream`), if already found.

    >>> t = collocations(["I like good ice cream.", "Me too!  I like good ice cream.", ""], sizes=(2,))
    >>> t[["ngram", "count"]].head(2).values.tolist()
    [['good ice', 2], ['i like', 2]]
    """
    for n in sizes:
        if n < 2:
            raise CorpuslabError(f"collocation sizes: got {n!r}; allowed: integers of 2 or more")
    ids, vocabulary = _ngram_keys.runs(stream if stream is not None else token_stream(list(texts)), lowercase=lowercase)
    base = max(len(vocabulary), 1)
    if base ** max(sizes, default=2) >= 2 ** 63:
        raise CorpuslabError(f"collocations: {base:,} distinct tokens are too many for n-grams of size {max(sizes)}; "
                             "allowed: sizes=(2,), or a sample of the corpus")
    excluded = np.isin(vocabulary, list(exclude)) if len(vocabulary) else np.zeros(0, dtype=bool)
    frames = []
    for n in sizes:
        chosen, at_least, total = _ngram_keys.agreement_counts(ids, n, base, min_count=min_count, excluded=excluded)
        table = association(at_least, total, n)
        table.insert(0, "size", n)
        table.insert(0, "ngram", _joined([vocabulary[chosen[:, i]] for i in range(n)]))
        frames.append(table)
    table = pd.concat(frames, ignore_index=True)[COLUMNS].astype({"size": "int64", "count": "int64"})
    return table.sort_values(["z", "ngram"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _joined(columns: list[np.ndarray]) -> list[str]:
    """Row i of the word ``columns`` as one string, words separated by a space (a column at a time)."""
    joined = columns[0]
    for column in columns[1:]:
        joined = joined + " " + column
    return joined.tolist()


def association(at_least: dict[tuple[int, ...], np.ndarray], total: int, n: int) -> pd.DataFrame:
    """count, lambda, z, pmi_bits, g2 and t of n-grams from how many n-grams agree with each at each subset
    of its positions (``at_least[()]``: all n-grams; ``at_least[(0, ..., n-1)]``: the n-gram's own count).

    >>> at_least = {(): np.array([10.0]), (0,): np.array([4.0]), (1,): np.array([4.0]), (0, 1): np.array([4.0])}
    >>> association(at_least, 10, 2).round(3).values.tolist()
    [[4.0, 4.762, 2.276, 1.322, 13.46, 1.2]]
    """
    everything = tuple(range(n))
    # the 2^n cells: n-grams agreeing at exactly the positions s (inclusion-exclusion over the subsets)
    exact = {s: sum((-1) ** (len(t) - len(s)) * at_least[t] for t in at_least if set(s) <= set(t)) for s in at_least}
    lam = sum((-1) ** (n - len(s)) * np.log(v + 0.5) for s, v in exact.items())
    se = np.sqrt(sum(1.0 / (v + 0.5) for v in exact.values()))
    p = [at_least[(i,)] / max(total, 1) for i in range(n)]
    g2 = np.zeros(len(at_least[()]))
    for s, v in exact.items():
        expected = total * np.prod([p[i] if i in s else 1 - p[i] for i in range(n)], axis=0)
        g2 += xlogy(v, np.divide(v, expected, out=np.ones_like(v), where=v > 0))  # 0 log 0 = 0
    count = at_least[everything]
    expected = total * np.prod(p, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.DataFrame({"count": count, "lambda": lam, "z": lam / se, "pmi_bits": np.log2(count / expected),
                             "g2": 2 * g2, "t": (count - expected) / np.sqrt(count)})
