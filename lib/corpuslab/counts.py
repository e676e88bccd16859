"""Counts over a document-term matrix, as tidy tables: term frequency, per group, tf-idf, dispersion.

Every function takes the sparse counts ``X`` (rows: documents or other units) and its vocabulary
``terms`` (:func:`corpuslab.tokens.dtm`). Grouped tables follow one rule: ``groups`` labels each
row, a missing label is "unknown" (:func:`corpuslab.stats.group_labels`), groups are sorted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from corpuslab.errors import CorpuslabError
from corpuslab.stats import group_labels


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


def sum_rows(X: sparse.spmatrix, groups) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Rows of ``X`` summed per group: a group-by-term matrix and its (sorted) group labels.

    >>> M, labels = sum_rows(sparse.csr_matrix([[1, 0], [2, 1], [0, 3]]), ["b", "a", "b"])
    >>> labels.tolist(), M.toarray().tolist()
    (['a', 'b'], [[2, 1], [1, 3]])
    """
    labels, codes = _group_codes(groups, X.shape[0])
    indicator = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))),
                                  shape=(len(labels), len(codes)))
    return sparse.csr_matrix(indicator @ sparse.csr_matrix(X, dtype=float)).astype(np.int64), labels


def _group_codes(groups, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """The sorted group labels (:func:`corpuslab.stats.group_labels`) and each row's index into them."""
    labels = group_labels(pd.Series(list(groups), dtype=object))
    if len(labels) != n_rows:
        raise CorpuslabError(f"groups: got {len(labels)} labels for {n_rows} rows; give one label per row")
    names, codes = np.unique(labels.to_numpy(dtype=str), return_inverse=True)
    return np.array(names.tolist(), dtype=object), codes


def top_terms_by_group(X: sparse.spmatrix, terms: np.ndarray, groups, *, top_n: int = 10) -> pd.DataFrame:
    """The ``top_n`` terms of each group of rows: group, rank, term, count, rel_freq.

    ``groups`` labels each row of ``X`` (e.g. the outlet or period of each document).

    >>> from corpuslab.tokens import dtm
    >>> X, terms = dtm(["a b b", "a", "c"])
    >>> top_terms_by_group(X, terms, ["x", "x", "y"], top_n=1).values.tolist()
    [['x', 1, 'a', 2, 5000.0], ['y', 1, 'c', 1, 10000.0]]
    """
    summed, labels = sum_rows(X, groups)
    frames = []
    for i, label in enumerate(labels):
        table = term_frequency(summed[i], terms, top_n=top_n).drop(columns="doc_freq")
        table.insert(0, "rank", np.arange(1, len(table) + 1))
        table.insert(0, "group", label)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


def frequency_by_group(X: sparse.spmatrix, terms: np.ndarray, groups, *, select=None) -> pd.DataFrame:
    """Counts per group of rows, normalised per 10,000 tokens: group, term, count, n_tokens, rel_freq.

    ``groups`` labels each row (a party, a period from :func:`corpuslab.periods.period_labels`);
    ``select`` limits the output to these terms (all terms otherwise; zero counts kept).

    >>> from corpuslab.tokens import dtm
    >>> X, terms = dtm(["a b", "a a", "b"])
    >>> frequency_by_group(X, terms, ["x", "x", "y"], select=["a"]).values.tolist()
    [['x', 'a', 3, 4, 7500.0], ['y', 'a', 0, 1, 0.0]]
    """
    summed, labels = sum_rows(X, groups)
    terms = np.asarray(terms)
    columns = np.arange(len(terms)) if select is None else np.flatnonzero(np.isin(terms, list(select)))
    counts = summed[:, columns].toarray()  # groups x selected terms
    n_tokens = np.asarray(summed.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        rel_freq = np.where(n_tokens[:, None] > 0, counts / n_tokens[:, None] * 10_000, 0.0)
    return pd.DataFrame({"group": np.repeat(labels, len(columns)), "term": np.tile(terms[columns], len(labels)),
                         "count": counts.ravel().astype("int64"),
                         "n_tokens": np.repeat(n_tokens, len(columns)).astype("int64"), "rel_freq": rel_freq.ravel()})


def tfidf(X: sparse.spmatrix, terms: np.ndarray, doc_ids, *, top_n: int = 10) -> pd.DataFrame:
    """Distinctive terms per document by tf-idf: doc_id, rank, term, count, tfidf.

    tf is the raw count, idf = log10(n_documents / doc_freq) (quanteda's
    ``dfm_tfidf`` defaults); a term in every document scores 0 and is left out.

    >>> from corpuslab.tokens import dtm
    >>> X, terms = dtm(["a a b", "b c"])
    >>> tfidf(X, terms, ["d1", "d2"], top_n=1).values.tolist()
    [['d1', 1, 'a', 2, 0.6020599913279624], ['d2', 1, 'c', 1, 0.3010299956639812]]
    """
    X = sparse.csr_matrix(X)
    X.sum_duplicates()
    terms = np.asarray(terms, dtype=str)
    idf = np.log10(X.shape[0] / np.maximum(np.bincount(X.indices, minlength=X.shape[1]), 1))
    alphabetical = np.empty(len(terms), dtype=np.int64)
    alphabetical[np.argsort(terms, kind="stable")] = np.arange(len(terms))
    rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
    weights = X.data * idf[X.indices]
    order = _top_by_row(rows, weights, alphabetical[X.indices], top_n)  # per document: weight down, then term
    order = order[weights[order] > 0]
    rank = np.arange(len(order)) - np.searchsorted(rows[order], rows[order]) + 1  # within its document
    order, rank = order[rank <= top_n], rank[rank <= top_n]
    return pd.DataFrame({"doc_id": np.asarray(doc_ids, dtype=object)[rows[order]], "rank": rank.astype("int64"),
                         "term": terms[X.indices[order]], "count": X.data[order].astype("int64"),
                         "tfidf": weights[order].astype(float)})




def _top_by_row(rows: np.ndarray, weights: np.ndarray, term_order: np.ndarray, top_n: int) -> np.ndarray:
    """The entries' order by row, then weight (largest first), then term (``term_order``), as
    ``np.lexsort((term_order, -weights, rows))`` gives it, but only of the entries that can be among the ``top_n``
    of their row: those whose weight, rounded to float32, reaches the row's ``top_n``-th largest so rounded (rounding
    keeps order, so the true top ``top_n`` and their ties are all there). Sorting a few candidates per row instead of
    a corpus's millions of entries is ten times faster.

    >>> _top_by_row(np.array([0, 0, 0, 1]), np.array([1.0, 2.0, 1.0, 5.0]), np.array([2, 0, 1, 0]), 2).tolist()
    [1, 2, 0, 3]
    """
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    rounded = weights.astype(np.float32).view(np.int32).astype(np.int64)  # weights >= 0: bits ordered as values
    by_rounded = np.argsort((rows.astype(np.int64) << 32) | (2**31 - 1 - rounded))  # row, then rounded weight down
    ordered_rows = rows[by_rounded]
    place = np.arange(len(rows)) - np.searchsorted(ordered_rows, ordered_rows)  # 0 = the row's largest
    threshold = np.full(int(rows.max()) + 1, -1, dtype=np.int64)  # rows of fewer than top_n entries: all
    nth = by_rounded[place == top_n - 1]
    threshold[rows[nth]] = rounded[nth]
    candidates = np.flatnonzero(rounded >= threshold[rows])
    return candidates[np.lexsort((term_order[candidates], -weights[candidates], rows[candidates]))]

def tfidf_by_group(X: sparse.spmatrix, terms: np.ndarray, groups, *, top_n: int = 10) -> pd.DataFrame:
    """Distinctive terms per group by tf-idf, each group's rows summed into one: group, rank, term, count, tfidf.

    >>> from corpuslab.tokens import dtm
    >>> X, terms = dtm(["war war peace", "war", "trade trade"])
    >>> tfidf_by_group(X, terms, ["old", "old", "new"], top_n=1)[["group", "term", "count"]].values.tolist()
    [['new', 'trade', 2], ['old', 'war', 3]]
    """
    summed, labels = sum_rows(X, groups)
    return tfidf(summed, terms, labels, top_n=top_n).rename(columns={"doc_id": "group"})


def dispersion(X: sparse.spmatrix, terms: np.ndarray) -> pd.DataFrame:
    """Gries' (2008) deviation of proportions per term: term, count, n_parts, dp, dp_norm.

    Parts are the rows of ``X`` (documents or units). ``dp`` = half the summed
    absolute differences between each part's share of the term and its share of the
    corpus: 0 is perfectly even, near 1 concentrated in one small part.
    ``dp_norm`` divides by 1 - the smallest share of a part that has tokens (Lijffijt &
    Gries 2012), so a term found only in the smallest part scores 1; parts without
    tokens take no share and are left out. ``n_parts`` counts the parts the term occurs in.
    Sorted by count (descending), then term.

    >>> from corpuslab.tokens import dtm
    >>> X, terms = dtm(["a b", "a b", "b b"])
    >>> dispersion(X, terms)[["term", "dp"]].round(3).values.tolist()
    [['b', 0.167], ['a', 0.333]]
    """
    X = sparse.csc_matrix(X, dtype=float)
    sizes = np.asarray(X.sum(axis=1)).ravel()
    s = sizes / sizes.sum()
    counts = np.asarray(X.sum(axis=0)).ravel()
    dp = np.empty(len(terms))
    n_parts = np.diff(X.indptr)
    for j in range(X.shape[1]):  # sum_i |v_i - s_i| over the sparse column: zeros contribute s_i
        rows, values = X.indices[X.indptr[j]:X.indptr[j + 1]], X.data[X.indptr[j]:X.indptr[j + 1]]
        v = values / counts[j]
        dp[j] = 0.5 * (np.abs(v - s[rows]).sum() + 1.0 - s[rows].sum())
    shares = s[sizes > 0]  # parts with tokens
    table = pd.DataFrame({"term": terms, "count": counts.astype("int64"), "n_parts": n_parts.astype("int64"),
                          "dp": dp, "dp_norm": dp / (1 - shares.min()) if len(shares) > 1 else dp * np.nan})
    return table.sort_values(["count", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def corpus_summary(documents: pd.DataFrame, X: sparse.spmatrix, sentences: pd.DataFrame) -> pd.DataFrame:
    """Per document: doc_id, n_tokens, n_types, n_sentences, and n_paragraphs if ``sentences`` knows them.

    ``X`` counts the tokens of each document (rows in the order of ``documents``; build it
    with no stopwords to count every word); ``sentences`` is a :func:`corpuslab.segment.sentences`
    table.

    >>> from corpuslab.tokens import dtm
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["War and peace. War!", "Trade."]})
    >>> X, _ = dtm(docs["text"])
    >>> corpus_summary(docs, X, pd.DataFrame({"doc_id": ["a", "a", "b"]})).values.tolist()
    [['a', 4, 3, 2], ['b', 1, 1, 1]]
    """
    X = sparse.csr_matrix(X)
    return _summary_table(documents, np.asarray(X.sum(axis=1)).ravel(), X.getnnz(axis=1), sentences)


def stream_summary(documents: pd.DataFrame, stream, sentences: pd.DataFrame, languages=None) -> pd.DataFrame:
    """:func:`corpus_summary` of the matrix ``corpuslab.tokens.dtm(texts, lowercase=True, languages=languages,
    stream=stream)`` would count (every word), read from the documents' token ``stream`` without building it
    (:func:`stream_token_types`).

    >>> from corpuslab.tokens import token_stream
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["War and peace. War!", "Trade."]})
    >>> stream_summary(docs, token_stream(docs["text"]), pd.DataFrame({"doc_id": ["a", "a", "b"]})).values.tolist()
    [['a', 4, 3, 2], ['b', 1, 1, 1]]
    """
    return _summary_table(documents, *stream_token_types(stream, languages), sentences)


def stream_token_types(stream, languages=None) -> tuple[np.ndarray, np.ndarray]:
    """Each text's tokens and distinct terms in a :class:`corpuslab._stream.TokenStream`, as
    ``corpuslab.tokens.dtm(lowercase=True, languages=languages)`` counts them (its row sums and row non-zeros).

    Types are case-folded and mapped to terms per language as ``dtm`` maps them (``languages``: one per text,
    else English). The distinct (text, term) pairs are counted in one sort of their keys (text * terms + term),
    not by building a sparse matrix and summing its duplicates, which sorts each text's terms apart.

    >>> from corpuslab.tokens import token_stream
    >>> n_tokens, n_types = stream_token_types(token_stream(["War and war.", "", "Peace"]))
    >>> n_tokens.tolist(), n_types.tolist()
    ([3, 0, 1], [2, 0, 1])
    """
    from corpuslab.tokens import term_ids

    n_texts = len(stream.lengths)
    if not n_texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    languages = ["en"] * n_texts if languages is None else [str(lang) for lang in languages]
    folded = stream.folded(True)
    distinct = sorted(set(languages))
    to_term = np.full((len(distinct), len(folded.types) + 1), -1, dtype=np.int32)  # last column: a BREAK (-1)
    n_terms = 0
    for row, language in enumerate(distinct):  # each type mapped once per language, as dtm maps it
        ids, terms = term_ids(folded.types, lowercase=True, language=language)
        to_term[row, :-1], n_terms = ids, max(n_terms, len(terms))
    rows = 0 if len(distinct) <= 1 else np.searchsorted(distinct, languages)[folded.doc_index()]
    term = to_term[rows, folded.ids]
    del folded, rows  # every large array is let go as soon as it is used: this runs beside the whole stream
    kept = term >= 0
    term = term[kept]
    text_starts = np.cumsum(stream.lengths, dtype=np.int64) - stream.lengths
    kept = np.append(kept, False)  # every start a valid index, an empty last text's too
    n_tokens = np.where(stream.lengths > 0, np.add.reduceat(kept, text_starts, dtype=np.int64), 0)
    del kept
    dtype = np.int32 if n_texts * max(n_terms, 1) < 2**31 else np.int64  # a smaller key sorts faster
    pairs = np.repeat(np.arange(n_texts, dtype=dtype), n_tokens)
    pairs *= n_terms
    pairs += term
    del term
    pairs.sort()
    first = pairs[np.concatenate([[True], pairs[1:] != pairs[:-1]])] if len(pairs) else pairs  # each pair once
    return n_tokens, np.bincount(first // max(n_terms, 1), minlength=n_texts).astype(np.int64)


def _summary_table(documents: pd.DataFrame, n_tokens, n_types, sentences: pd.DataFrame) -> pd.DataFrame:
    """The :func:`corpus_summary` table of each document's ``n_tokens`` and ``n_types``."""
    n_sentences = sentences.groupby("doc_id").size()
    table = pd.DataFrame({
        "doc_id": documents["doc_id"].to_numpy(),
        "n_tokens": np.asarray(n_tokens).astype("int64"),
        "n_types": np.asarray(n_types).astype("int64"),
        "n_sentences": documents["doc_id"].map(n_sentences).fillna(0).astype("int64").to_numpy(),
    })
    if "paragraph_id" in sentences.columns:
        n_paragraphs = sentences.groupby("doc_id")["paragraph_id"].nunique()
        table["n_paragraphs"] = table["doc_id"].map(n_paragraphs).fillna(0).astype("int64")
    return table
