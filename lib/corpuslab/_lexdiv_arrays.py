"""Speed code behind :func:`corpuslab.lexdiv.lexdiv`: the measures of
:func:`corpuslab.lexdiv.lexical_diversity` for every document at once, from integer arrays.

Each token is its document number and term id, in reading order; no Python object per token.
Tests hold the results equal to :func:`~corpuslab.lexdiv.lexical_diversity` document by document.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

BLOCK_TOKENS = 2_000_000  # tokens measured at once (whole documents): memory stays bounded on any corpus


def diversity_in_blocks(doc: np.ndarray, term: np.ndarray, n_docs: int, window: int) -> pd.DataFrame:
    """:func:`diversity` over blocks of whole documents of about :data:`BLOCK_TOKENS` tokens each, on as many
    threads as polars uses (numpy's array work releases the GIL; two blocks in flight hold what one of twice
    the size did)."""
    import polars as pl

    ends = np.cumsum(np.bincount(doc, minlength=n_docs))  # token position after each document
    cuts = np.unique(np.r_[0, np.searchsorted(ends, np.arange(BLOCK_TOKENS, ends[-1] if n_docs else 0,
                                                                 BLOCK_TOKENS), side="right"), n_docs])
    starts = np.r_[0, ends]

    def block(a: int, b: int) -> pd.DataFrame:
        return diversity(doc[starts[a]:starts[b]] - a, term[starts[a]:starts[b]], b - a, window)

    if len(cuts) < 2:
        return diversity(doc, term, 0, window)
    with ThreadPoolExecutor(max_workers=min(pl.thread_pool_size(), len(cuts) - 1)) as pool:
        return pd.concat(list(pool.map(block, cuts[:-1], cuts[1:])), ignore_index=True)


def diversity(doc: np.ndarray, term: np.ndarray, n_docs: int, window: int) -> pd.DataFrame:
    """n_tokens, n_types, ttr, herdan_c, yule_k and mattr of every document, from each token's document
    and term id (in reading order, each document's tokens together)."""
    doc, term = doc.astype(np.int64), term.astype(np.int64)
    n = np.bincount(doc, minlength=n_docs).astype(np.int64)
    width = int(term.max(initial=0)) + 1
    key = doc * width + term
    order = np.argsort(key, kind="stable")  # each type's occurrences, in reading order
    key = key[order]
    same = key[1:] == key[:-1]
    earlier, later = order[:-1][same], order[1:][same]  # consecutive occurrences of a type in a document
    prev = np.full(len(key), -1, dtype=np.int64)
    nxt = np.full(len(key), len(key), dtype=np.int64)
    prev[later], nxt[earlier] = earlier, later
    del order, earlier, later
    run_starts = np.flatnonzero(np.r_[True, ~same]) if len(key) else np.zeros(0, dtype=np.int64)
    run_doc = key[run_starts] // width  # the document of each (document, type)
    frequency = np.diff(np.r_[run_starts, len(key)]).astype(float)  # of each (document, type)
    v = np.bincount(run_doc, minlength=n_docs).astype(float)
    squares = np.bincount(run_doc, weights=frequency ** 2, minlength=n_docs)
    with np.errstate(divide="ignore", invalid="ignore"):
        nf = n.astype(float)
        table = pd.DataFrame({"n_tokens": n, "n_types": v.astype(np.int64), "ttr": v / nf,
                              "herdan_c": np.where(n > 1, np.log(v) / np.log(nf), np.nan),
                              "yule_k": 1e4 * (squares - nf) / (nf * nf),
                              "mattr": mattr(doc, n, prev, nxt, prev < 0, window, v)})
    return table


def mattr(doc, n, prev, nxt, is_first, window: int, v) -> np.ndarray:
    """Moving-average TTR per document from each token's previous / next occurrence of its type.

    Sliding the window one token on changes its type count by +1 if the entering
    token's previous occurrence lies before the new window, and -1 if the leaving
    token's next occurrence is not before the entering one; summed over windows by weights.
    """
    rel = np.arange(len(doc), dtype=np.int64) - np.repeat(np.cumsum(n) - n, n)  # position in its document
    first_window = np.bincount(doc, weights=(rel < window) & is_first, minlength=len(n))
    e = np.flatnonzero(rel >= window)  # entering tokens
    delta = (prev[e] < e - window + 1).astype(np.int64) - (nxt[e - window] >= e).astype(np.int64)
    e_doc = doc[e]
    weighted = np.bincount(e_doc, weights=delta * (n[e_doc] - rel[e]), minlength=len(n))
    n_windows = n - window + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        long_docs = (n_windows * first_window + weighted) / (n_windows * window)
        return np.where(n > window, long_docs, v / n)
