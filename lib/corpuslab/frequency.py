"""Counts and frequency statistics over a document-term matrix, as tidy tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from corpuslab.tokens import tokenize


def term_frequency(X: sparse.spmatrix, terms: np.ndarray, *, top_n: int | None = None) -> pd.DataFrame:
    """Corpus-wide term counts: term, count, rel_freq (per 10,000 tokens), doc_freq.

    Sorted by count (descending), then term, so ties are reproducible.

    >>> from corpuslab.tokens import dtm
    >>> X, terms = dtm(["a b b", "b c"])
    >>> term_frequency(X, terms).values.tolist()
    [['b', 3, 6000.0, 2], ['a', 1, 2000.0, 1], ['c', 1, 2000.0, 1]]
    """
    X = sparse.csr_matrix(X)
    counts = np.asarray(X.sum(axis=0)).ravel()
    doc_freq = np.asarray((X > 0).sum(axis=0)).ravel()
    total = counts.sum()
    table = pd.DataFrame({
        "term": terms,
        "count": counts.astype("int64"),
        "rel_freq": counts / total * 10_000 if total else counts * 0.0,
        "doc_freq": doc_freq.astype("int64"),
    })
    table = table.sort_values(["count", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return table.head(top_n) if top_n else table


def top_terms_by_group(X: sparse.spmatrix, terms: np.ndarray, groups: pd.Series, *, top_n: int = 10) -> pd.DataFrame:
    """The ``top_n`` terms of each group of rows: group, rank, term, count, rel_freq.

    ``groups`` labels each row of ``X`` (e.g. the doc_id of each document).
    """
    X = sparse.csr_matrix(X)
    labels = pd.Series(groups).reset_index(drop=True)
    frames = []
    for label in sorted(labels.unique(), key=str):
        rows = np.flatnonzero((labels == label).to_numpy())
        table = term_frequency(X[rows], terms, top_n=top_n)
        table.insert(0, "rank", np.arange(1, len(table) + 1))
        table.insert(0, "group", label)
        frames.append(table.drop(columns="doc_freq"))
    return pd.concat(frames, ignore_index=True)


def corpus_summary(documents: pd.DataFrame, sentences: pd.DataFrame, **tokenize_options) -> pd.DataFrame:
    """Per document: doc_id, n_tokens, n_types, n_sentences, n_paragraphs if known.

    Tokens are counted with ``tokenize_options`` (pass no stopwords to count every word).
    """
    tokens = [tokenize(text, **tokenize_options) for text in documents["text"]]
    n_sentences = sentences.groupby("doc_id").size()
    table = pd.DataFrame({
        "doc_id": documents["doc_id"].to_numpy(),
        "n_tokens": [len(t) for t in tokens],
        "n_types": [len(set(t)) for t in tokens],
        "n_sentences": documents["doc_id"].map(n_sentences).fillna(0).astype("int64").to_numpy(),
    })
    if "paragraph_id" in sentences.columns:
        n_paragraphs = sentences.groupby("doc_id")["paragraph_id"].nunique()
        table["n_paragraphs"] = table["doc_id"].map(n_paragraphs).fillna(0).astype("int64")
    return table
