"""Counts and frequency statistics over a document-term matrix, as tidy tables."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from collections import Counter
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import sparse, stats

from corpuslab.errors import CorpuslabError
from corpuslab._stream import BREAK, count_matrix
from corpuslab.engine import Engine
from corpuslab.tokens import NUMBER, dtm, normalise, term_ids, token_stream, tokenize


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


def corpus_summary(documents: pd.DataFrame, sentences: pd.DataFrame, *, engine: str = "local", n_jobs: int = 1,
                   scheduler: str = "", **tokenize_options) -> pd.DataFrame:
    """Per document: doc_id, n_tokens, n_types, n_sentences, n_paragraphs if known.

    Tokens are counted with ``tokenize_options`` (pass no stopwords to count every word),
    from the sparse document-term matrix, so no token list of the corpus is ever held.
    """
    X, _ = dtm(documents["text"], engine=Engine(engine, n_jobs, scheduler), **tokenize_options)
    n_sentences = sentences.groupby("doc_id").size()
    table = pd.DataFrame({
        "doc_id": documents["doc_id"].to_numpy(),
        "n_tokens": np.asarray(X.sum(axis=1)).ravel().astype("int64"),
        "n_types": X.getnnz(axis=1).astype("int64"),
        "n_sentences": documents["doc_id"].map(n_sentences).fillna(0).astype("int64").to_numpy(),
    })
    if "paragraph_id" in sentences.columns:
        n_paragraphs = sentences.groupby("doc_id")["paragraph_id"].nunique()
        table["n_paragraphs"] = table["doc_id"].map(n_paragraphs).fillna(0).astype("int64")
    return table


# --------------------------------------------------------------------------- keyness

_EPSILON = 1e-9  # quanteda's guard inside log(); keeps zero cells finite
KEYNESS_MEASURES = ("chi2", "g2", "log_ratio", "pmi")
CORRECTIONS = ("default", "yates", "williams", "none")
P_ADJUST = ("bh", "holm", "bonferroni", "none")


def _yates_delta(a, b, c, d):
    """quanteda's rule: 0.5 where |ad - bc| >= N/2 and any expected cell is below 5, else 0."""
    n = a + b + c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        small = ((a + b) * (a + c) / n < 5) | ((a + b) * (b + d) / n < 5) \
            | ((a + c) * (c + d) / n < 5) | ((c + d) * (b + d) / n < 5)
    return np.where((np.abs(a * d - b * c) >= n / 2) & small, 0.5, 0.0)


def _williams_q(a, b, c, d):
    n = a + b + c + d
    with np.errstate(divide="ignore", invalid="ignore"):
        q = 1.0 + (n / (a + b) + n / (c + d) - 1.0) * (n / (a + c) + n / (b + d) - 1.0) / (6.0 * n)
    return np.where(a * b * c * d == 0, 1.0, q)


def keyness_2x2(a, b, c, d, *, correction: str = "default") -> pd.DataFrame:
    """Signed chi2, G2, and their p-values for 2x2 tables, exactly as quanteda computes them.

    ``a``/``b``: the term's count in target/reference; ``c``/``d``: all other tokens
    in target/reference. ``correction``: "default" and "yates" apply Yates' 0.5 only
    where an expected cell is below 5 and ``|ad - bc| >= N/2`` (quanteda.textstats,
    following R's ``chisq.test``), to both statistics; "williams" divides both by
    Williams' q; "none" applies nothing. Signs are negative where the term is rarer
    in the target than expected.

    >>> keyness_2x2([7], [2], [3], [7]).round(4).values.tolist()
    [[2.6324, 2.7028, 0.1047, 0.1002]]
    """
    if correction not in CORRECTIONS:
        raise CorpuslabError(f"correction: got {correction!r}; allowed: one of {', '.join(CORRECTIONS)}")
    a, b, c, d = (np.asarray(v, dtype=float) for v in (a, b, c, d))
    n = a + b + c + d
    sign = np.where(a > (a + b) * (a + c) / n, 1.0, -1.0)
    delta = _yates_delta(a, b, c, d) if correction in ("default", "yates") else np.zeros_like(a)
    q = _williams_q(a, b, c, d) if correction == "williams" else np.ones_like(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = n * (np.abs(a * d - b * c) - n * delta) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d)) * q ** -1
        s = np.where(a * d - b * c > 0, 1.0, -1.0) * delta
        aa, bb, cc, dd = a - s, b + s, c + s, d - s
        g2 = 2 * (aa * np.log(aa / ((aa + bb) * (aa + cc) / n) + _EPSILON)
                  + bb * np.log(bb / ((aa + bb) * (bb + dd) / n) + _EPSILON)
                  + cc * np.log(cc / ((aa + cc) * (cc + dd) / n) + _EPSILON)
                  + dd * np.log(dd / ((bb + dd) * (cc + dd) / n) + _EPSILON)) / q
    chi2, g2 = np.nan_to_num(chi2) * sign, np.nan_to_num(g2) * sign
    return pd.DataFrame({"chi2": chi2, "g2": g2, "p_chi2": stats.chi2.sf(np.abs(chi2), 1),
                         "p_g2": stats.chi2.sf(np.abs(g2), 1)})


def _adjust(p: np.ndarray, method: str) -> np.ndarray:
    if method not in P_ADJUST:
        raise CorpuslabError(f"p_adjust: got {method!r}; allowed: one of {', '.join(P_ADJUST)}")
    if method == "none" or len(p) == 0:
        return p.copy()
    if method == "bh":
        return stats.false_discovery_control(p, method="bh")
    if method == "bonferroni":
        return np.minimum(p * len(p), 1.0)
    order = np.argsort(p, kind="stable")  # holm
    stepped = np.maximum.accumulate((len(p) - np.arange(len(p))) * p[order])
    out = np.empty_like(p)
    out[order] = np.minimum(stepped, 1.0)
    return out


def keyness(X: sparse.spmatrix, terms: np.ndarray, target, *, reference=None, measure: str = "chi2",
            correction: str = "default", min_count: int = 0, p_adjust: str = "bh") -> pd.DataFrame:
    """Which terms are over- (and under-) used in the target rows of ``X`` against a reference.

    Returns term, count_target, count_reference, rel_target, rel_reference (per
    10,000 tokens), chi2, g2 (both signed, see :func:`keyness_2x2`), p_value (of
    ``measure``; of chi2 for log_ratio/pmi), p_adjusted (``p_adjust``: Benjamini-Hochberg
    "bh", "holm", "bonferroni" or "none", over the listed terms) and log_ratio
    (Hardie 2014: log2 of the ratio of relative frequencies, a zero count taken as
    0.5), sorted by ``measure`` (descending, then term), as quanteda's textstat_keyness.

    Parameters
    ----------
    X, terms
        Document-term counts and vocabulary (:func:`corpuslab.tokens.dtm`).
    target
        Boolean mask (or row positions) of the target rows.
    reference
        Boolean mask of the reference rows; default: every row not in the target.
    measure
        "chi2", "g2", "log_ratio" or "pmi" (sort order and p-value).
    correction
        "default" (quanteda's Yates rule), "yates", "williams" or "none".
    min_count
        Leave out terms seen fewer than this many times in target + reference.

    >>> from corpuslab.tokens import dtm
    >>> X, terms = dtm(["b b b b b b b a a a", "a a a a a a a b b"])
    >>> keyness(X, terms, [True, False])[["term", "count_target", "chi2"]].round(4).values.tolist()
    [['b', 7, 2.6324], ['a', 3, -2.6324]]
    """
    if measure not in KEYNESS_MEASURES:
        raise CorpuslabError(f"measure: got {measure!r}; allowed: one of {', '.join(KEYNESS_MEASURES)}")
    X = sparse.csr_matrix(X)
    target = _mask(target, X.shape[0], "target")
    reference = ~target if reference is None else _mask(reference, X.shape[0], "reference")
    if not target.any() or not reference.any():
        raise CorpuslabError("keyness target: the target and the reference must each contain at least one "
                             "document; check the target group/document/date range")
    if (target & reference).any():
        raise CorpuslabError("keyness reference: overlaps the target; choose disjoint groups")
    a = np.asarray(X[np.flatnonzero(target)].sum(axis=0)).ravel().astype(float)
    b = np.asarray(X[np.flatnonzero(reference)].sum(axis=0)).ravel().astype(float)
    if a.sum() == 0 or b.sum() == 0:
        raise CorpuslabError("keyness target: the target or the reference has no tokens after preprocessing; "
                             "choose documents with text, or fewer stopwords")
    keep = (a + b > 0) & (a + b >= min_count)
    a, b, words = a[keep], b[keep], np.asarray(terms)[keep]
    n_t, n_r = a.sum(), b.sum()
    scores = keyness_2x2(a, b, n_t - a, n_r - b, correction=correction)
    log_ratio = np.log2((np.where(a == 0, 0.5, a) / n_t) / (np.where(b == 0, 0.5, b) / n_r))
    pmi = np.log((a / ((a + b) * n_t / (n_t + n_r))) + _EPSILON)
    table = pd.DataFrame({
        "term": words, "count_target": a.astype("int64"), "count_reference": b.astype("int64"),
        "rel_target": a / n_t * 10_000, "rel_reference": b / n_r * 10_000,
        "chi2": scores["chi2"].to_numpy(), "g2": scores["g2"].to_numpy(),
        "p_value": scores["p_g2" if measure == "g2" else "p_chi2"].to_numpy(),
        "log_ratio": log_ratio, "pmi": pmi,
    })
    table["p_adjusted"] = _adjust(table["p_value"].to_numpy(), p_adjust)
    table = table.sort_values([measure, "term"], ascending=[False, True], kind="stable").reset_index(drop=True)
    columns = ["term", "count_target", "count_reference", "rel_target", "rel_reference", "chi2", "g2",
               "p_value", "p_adjusted", "log_ratio"] + (["pmi"] if measure == "pmi" else [])
    return table[columns]


def _mask(selector, n: int, what: str) -> np.ndarray:
    values = np.asarray(selector)
    if values.dtype == bool:
        if len(values) != n:
            raise CorpuslabError(f"keyness {what}: mask has {len(values)} values for {n} documents; "
                                 "give one True/False per document")
        return values
    mask = np.zeros(n, dtype=bool)
    mask[values.astype(int)] = True
    return mask


def target_mask(documents: pd.DataFrame, *, column: str = "doc_id", value=None, start: str | None = None,
                end: str | None = None) -> np.ndarray:
    """Boolean mask of the documents forming a keyness target (or reference).

    Either ``column == value`` (a metadata group: ``column="outlet", value="The Japan Times"``;
    a document: ``column="doc_id"``; ``value`` may be a list), or, with ``start``/``end``,
    documents dated within ``[start, end]`` (ISO dates, prefixes compared, so
    "2021" covers "2021-12" and "2021-12-15").

    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": ["2017-07", "2021", "2024-05-22"]})
    >>> target_mask(docs, start="2020", end="2024").tolist()
    [False, True, True]
    >>> target_mask(docs, value=["a"]).tolist()
    [True, False, False]
    """
    if start is not None or end is not None:
        if "date" not in documents.columns:
            raise CorpuslabError("keyness date range: the corpus has no date column; add dates to the metadata "
                                 "or choose a target by group or document")
        dates = documents["date"].fillna("").astype(str)
        lo = (dates >= str(start)) if start else pd.Series(True, index=dates.index)
        hi = dates.map(lambda d: d[:len(str(end))] <= str(end)) if end else pd.Series(True, index=dates.index)
        return (lo & hi & (dates != "")).to_numpy()
    if column not in documents.columns:
        raise CorpuslabError(f"keyness target column: got {column!r}; allowed: one of {', '.join(documents.columns)}")
    values = value if isinstance(value, (list, tuple, set)) else [value]
    mask = documents[column].astype(str).isin([str(v) for v in values]).to_numpy()
    if not mask.any():
        raise CorpuslabError(f"keyness target: no document has {column} = {value!r}; allowed values of {column}: "
                             f"{', '.join(map(str, documents[column].dropna().unique()[:20]))}")
    return mask


# --------------------------------------------------------------------------- collocations

def _encode_runs(texts, *, lowercase: bool) -> tuple[np.ndarray, np.ndarray]:
    """Every token as an integer id, with -1 between runs and texts; and the vocabulary (id -> token)."""
    stream = token_stream(list(texts)).folded(lowercase)
    ends = np.cumsum(stream.lengths)
    return np.insert(stream.ids, ends, BREAK), stream.types


class _Grams:
    """The n-grams inside runs of ``ids``: every window of n positions, and which hold no break."""

    def __init__(self, ids: np.ndarray, n: int):
        self.ids, self.width = ids, max(len(ids) - n + 1, 0)
        self.inside = np.ones(self.width, dtype=bool)
        for i in range(n):
            self.inside &= ids[i:i + self.width] >= 0

    def __len__(self) -> int:
        return int(self.inside.sum())

    def keys(self, positions: tuple[int, ...], base: int) -> np.ndarray:
        """:func:`_encode` of each n-gram's tokens at ``positions`` (from slices, not gathers)."""
        return _encode([self.ids[i:i + self.width] for i in positions], base)[self.inside]


def _encode(columns: list[np.ndarray], base: int) -> np.ndarray:
    """One integer per row for its token ids in ``columns`` (base-``base`` digits, first column most significant)."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        key = key * base + column
    return key


def _frequent_keys(keys: np.ndarray, min_count: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys seen at least ``min_count`` times, ascending, and their counts (hashed on polars' threads)."""
    import polars as pl

    counted = (pl.Series("key", keys).value_counts(name="count", parallel=True)
               .filter(pl.col("count") >= min_count).sort("key"))
    return counted["key"].to_numpy(), counted["count"].to_numpy().astype(np.int64)


def _count_keys(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """How often each of ``wanted`` occurs in ``keys`` (a hash lookup per key among the few wanted)."""
    import polars as pl

    if not len(wanted) or not len(keys):
        return np.zeros(len(wanted), dtype=np.int64)
    column = pl.Series("key", keys)
    found, counts = _frequent_keys(column.filter(column.is_in(pl.Series(np.unique(wanted)).implode())).to_numpy(), 1)
    where = np.minimum(np.searchsorted(found, wanted), max(len(found) - 1, 0))
    return np.where(found[where] == wanted, counts[where], 0) if len(found) else np.zeros(len(wanted), dtype=np.int64)


def _digits(keys: np.ndarray, n: int, base: int) -> np.ndarray:
    """The (len(keys), n) token ids that :func:`_encode` encoded (first position most significant)."""
    digits = np.empty((len(keys), n), dtype=np.int64)
    rest = keys.copy()
    for i in reversed(range(n)):
        rest, digits[:, i] = np.divmod(rest, base)
    return digits


def collocations(texts, *, sizes: tuple[int, ...] = (2, 3), min_count: int = 2,
                 exclude: frozenset[str] = frozenset(), lowercase: bool = True) -> pd.DataFrame:
    """Word sequences that occur together more than chance: ngram, size, count, lambda, z, pmi, g2, t.

    N-grams are counted within runs of tokens that no punctuation interrupts
    (:func:`corpuslab.tokens.token_runs`), over every token (stopwords included,
    so no false adjacency is created); ``exclude`` then drops n-grams that start
    or end with one of its words (e.g. the stopword list).

    For each n-gram, the 2^n table counts the corpus n-grams that match it at each
    subset of positions. ``lambda`` is the highest-order interaction of the
    saturated log-linear model on that table with 0.5 added to each cell, and
    ``z = lambda / se`` (Blaheta & Johnson 2001, as quanteda's textstat_collocations);
    ``pmi`` is log2(observed / expected) under independence of positions;
    ``g2`` the log-likelihood ratio of the table against independence (Dunning
    1993); ``t`` = (observed - expected) / sqrt(observed). Sorted by z, then ngram.
    Tokens are counted as integer arrays, so memory grows with the corpus, not
    with the number of distinct n-grams times Python objects.

    >>> t = collocations(["I like good ice cream.", "Me too!  I like good ice cream.", ""], sizes=(2,))
    >>> t[["ngram", "count"]].head(2).values.tolist()
    [['good ice', 2], ['i like', 2]]
    """
    for n in sizes:
        if n < 2:
            raise CorpuslabError(f"collocation sizes: got {n!r}; allowed: integers of 2 or more")
    ids, vocabulary = _encode_runs(texts, lowercase=lowercase)
    base = max(len(vocabulary), 1)
    if base ** max(sizes, default=2) >= 2 ** 63:
        raise CorpuslabError(f"collocations: {base:,} distinct tokens are too many for n-grams of size {max(sizes)}; "
                             "allowed: sizes=(2,), or a sample of the corpus")
    excluded = np.isin(vocabulary, list(exclude)) if len(vocabulary) else np.zeros(0, dtype=bool)
    columns = ["ngram", "size", "count", "lambda", "z", "pmi", "g2", "t"]
    frames = []
    for n in sizes:
        grams = _Grams(ids, n)
        total = len(grams)
        everything = tuple(range(n))
        distinct, counts = _frequent_keys(grams.keys(everything, base), min_count)
        first = _digits(distinct, n, base)  # in n-gram order, as the keys sort
        keep = ~excluded[first[:, 0]] & ~excluded[first[:, -1]] if len(first) else np.zeros(0, dtype=bool)
        chosen = first[keep]
        subsets = [s for k in range(1, n + 1) for s in combinations(everything, k)]
        at_least = {(): np.full(len(chosen), total, dtype=float)}
        for subset in subsets:  # n-grams agreeing with each candidate at these positions
            if subset == everything:
                at_least[subset] = counts[keep].astype(float)
            elif len(subset) == 1:
                at_least[subset] = np.bincount(grams.keys(subset, base), minlength=base)[chosen[:, subset[0]]].astype(float)
            else:
                at_least[subset] = _count_keys(grams.keys(subset, base), _encode([chosen[:, i] for i in subset], base)).astype(float)
        exact = {s: sum((-1) ** (len(t) - len(s)) * at_least[t] for t in at_least if set(s) <= set(t)) for s in at_least}
        lam = sum((-1) ** (n - len(s)) * np.log(v + 0.5) for s, v in exact.items())
        se = np.sqrt(sum(1.0 / (v + 0.5) for v in exact.values()))
        p = [at_least[(i,)] / max(total, 1) for i in range(n)]
        g2 = np.zeros(len(chosen))
        for s, v in exact.items():
            e = total * np.prod([p[i] if i in s else 1 - p[i] for i in range(n)], axis=0)
            with np.errstate(divide="ignore", invalid="ignore"):
                g2 += np.where((v > 0) & (e > 0), v * np.log(np.where(v > 0, v, 1) / np.where(e > 0, e, 1)), 0.0)
        count = at_least[everything]
        expected = total * np.prod(p, axis=0)
        frames.append(pd.DataFrame({
            "ngram": [" ".join(vocabulary[g]) for g in chosen], "size": n, "count": count.astype("int64"),
            "lambda": lam, "z": lam / se, "pmi": np.log2(count / expected) if len(chosen) else count,
            "g2": 2 * g2, "t": (count - expected) / np.sqrt(count) if len(chosen) else count}, columns=columns))
    table = pd.concat(frames, ignore_index=True).astype({"size": "int64", "count": "int64"})
    return table.sort_values(["z", "ngram"], ascending=[False, True], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- kwic

KWIC_KINDS = ("phrase", "word", "glob", "regex")
KWIC_SORTS = ("position", "left", "right", "keyword")


def _matcher(part: str, kind: str):
    if kind == "regex":
        try:
            pattern = re.compile(part, re.IGNORECASE)
        except re.error as err:
            raise CorpuslabError(f"kwic query {part!r}: not a valid regular expression ({err})") from None
        return lambda tok: pattern.fullmatch(tok) is not None
    part = normalise(part).lower()
    if kind == "glob":
        return lambda tok: fnmatch.fnmatchcase(tok, part)
    return lambda tok: tok == part


@dataclass(frozen=True)
class KwicIndex:
    """Every word token of a corpus: its text number, lower-cased type id and character span."""

    doc: np.ndarray
    ids: np.ndarray
    spans: np.ndarray
    types: np.ndarray


def kwic_index(documents: pd.DataFrame) -> KwicIndex:
    """The tokens :func:`kwic` searches, found once for any number of searches of the same documents."""
    texts = [t if isinstance(t, str) else "" for t in documents["text"]]
    stream = token_stream(texts, spans=True)
    folded = stream.folded(True)
    doc, ids = folded.words()
    return KwicIndex(doc, ids, stream.spans[stream.ids >= 0], folded.types)


def kwic(documents: pd.DataFrame, queries, *, kind: str = "phrase", window: int = 5,
         sort: str = "position", index: KwicIndex | None = None) -> pd.DataFrame:
    """Keywords in context: query, doc_id, left, keyword, right, start, end, token.

    ``queries`` is one query or a list. A query is one or more words separated by
    spaces, each matched against one token: exactly (``kind="phrase"`` or
    ``"word"``, case-insensitive, curly quotes straightened), as a glob
    (``"glob"``: ``china*``, ``sanction?``) or as a regular expression (``"regex"``,
    matched against the whole token). ``left``/``right`` hold ``window`` tokens of
    the original text; ``start``/``end`` are character
    offsets of the keyword in the document's ``text``; ``token`` its token index.
    ``sort``: "position" (document order), "left" (by the nearest left word
    first), "right" or "keyword". ``index`` (:func:`kwic_index` of the same
    documents) spares finding the tokens again.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Xi met Putin.\\nThen China’s leader left."]})
    >>> kwic(docs, "china's", window=2)[["left", "keyword", "right", "start", "end"]].values.tolist()
    [['Putin.\\nThen', 'China’s', 'leader left', 19, 26]]
    """
    if kind not in KWIC_KINDS:
        raise CorpuslabError(f"kwic kind: got {kind!r}; allowed: one of {', '.join(KWIC_KINDS)}")
    if sort not in KWIC_SORTS:
        raise CorpuslabError(f"kwic sort: got {sort!r}; allowed: one of {', '.join(KWIC_SORTS)}")
    queries = [queries] if isinstance(queries, str) else list(queries)
    compiled = []
    for q in queries:
        parts = q.split()
        if not parts:
            raise CorpuslabError("kwic query: got an empty query; give one or more words")
        compiled.append((q, [_matcher(p, kind) for p in parts]))
    index = index or kwic_index(documents)
    doc, ids, spans, types = index.doc, index.ids, index.spans, index.types
    n_words = np.bincount(doc, minlength=len(documents))
    first = np.concatenate([[0], np.cumsum(n_words)[:-1]]).astype(np.int64)
    doc_ids = documents["doc_id"].to_numpy()
    positions, numbers = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for number, (_, matchers) in enumerate(compiled):  # where each query's words start
        hit = np.ones(len(ids), dtype=bool)
        for j, match in enumerate(matchers):  # each matcher asked once per distinct token
            matched = np.fromiter((match(t) for t in types), dtype=bool, count=len(types))
            later = np.zeros(len(ids), dtype=bool)  # the j-th word after each token matches, in the same text
            if j < len(ids) and len(types):
                later[:len(ids) - j] = matched[ids[j:]] & (doc[j:] == doc[:len(ids) - j])
            hit &= later
        positions.append(np.flatnonzero(hit))
        numbers.append(np.full(len(positions[-1]), number))
    p, number = np.concatenate(positions), np.concatenate(numbers)
    d = doc[p]
    order = np.lexsort((p, number, d))  # documents, then queries, then positions
    p, number, d = p[order], number[order], d[order]
    k = np.array([len(m) for _, m in compiled], dtype=np.int64)[number] if len(compiled) else number
    start, end = spans[p, 0], spans[p + k - 1, 1]
    last = first[d] + n_words[d] - 1
    lo = np.where((p > first[d]) & (window > 0), spans[np.maximum(first[d], p - window), 0], start)
    hi = spans[np.minimum(last, p + k - 1 + window), 1] if window else end
    column = documents["text"]
    hit_docs = np.unique(d)
    texts = {i: t if isinstance(t, str) else "" for i, t in zip(hit_docs, column.iloc[hit_docs])}  # only texts with hits
    rows = {"query": [compiled[n][0] for n in number], "doc_id": doc_ids[d],
            "left": [texts[i][a:b].strip() for i, a, b in zip(d, lo, start)],
            "keyword": [texts[i][a:b] for i, a, b in zip(d, start, end)],
            "right": [texts[i][a:b].strip() for i, a, b in zip(d, end, hi)],
            "start": start, "end": end, "token": p - first[d]}
    table = pd.DataFrame(rows, columns=["query", "doc_id", "left", "keyword", "right", "start", "end", "token"]) \
        .astype({"start": "int64", "end": "int64", "token": "int64"})
    if sort == "left":
        key = table["left"].map(lambda s: " ".join(reversed(s.lower().split())))
    elif sort in ("right", "keyword"):
        key = table[sort].str.lower()
    else:
        return table
    return table.assign(_key=key).sort_values(["_key", "doc_id", "start"], kind="stable") \
        .drop(columns="_key").reset_index(drop=True)



# --------------------------------------------------------------------------- by group, tf-idf, dispersion

def frequency_by_group(X: sparse.spmatrix, terms: np.ndarray, groups, *, select=None) -> pd.DataFrame:
    """Counts per group of rows, normalised per 10,000 tokens: group, term, count, n_tokens, rel_freq.

    ``groups`` labels each row (an outlet, a year from :func:`periods`); ``select``
    limits the output to these terms (all terms otherwise; zero counts kept).

    >>> from corpuslab.tokens import dtm
    >>> X, terms = dtm(["a b", "a a", "b"])
    >>> frequency_by_group(X, terms, ["x", "x", "y"], select=["a"]).values.tolist()
    [['x', 'a', 3, 4, 7500.0], ['y', 'a', 0, 1, 0.0]]
    """
    X = sparse.csr_matrix(X)
    labels = pd.Series(list(groups)).astype(str).reset_index(drop=True)
    terms = np.asarray(terms)
    columns = np.arange(len(terms)) if select is None else np.flatnonzero(np.isin(terms, list(select)))
    frames = []
    for label in sorted(labels.unique()):
        rows = np.flatnonzero((labels == label).to_numpy())
        part = X[rows]
        n_tokens = int(part.sum())
        counts = np.asarray(part[:, columns].sum(axis=0)).ravel()
        frames.append(pd.DataFrame({"group": label, "term": terms[columns], "count": counts.astype("int64"),
                                    "n_tokens": n_tokens,
                                    "rel_freq": counts / n_tokens * 10_000 if n_tokens else counts * 0.0}))
    return pd.concat(frames, ignore_index=True)


_PRECISION_LENGTH = {"year": 4, "month": 7, "day": 10}


def periods(documents: pd.DataFrame, *, unit: str = "auto") -> pd.Series:
    """Each document's period label ("2017", "2017-07"), honouring ``date_precision``.

    ``unit="auto"`` uses the finest unit every dated document supports (a corpus
    with one year-only date is compared by year). Asking for a finer unit than a
    document's precision raises, naming the document.

    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "date": ["2017-07", "2020"], "date_precision": ["month", "year"]})
    >>> periods(docs).tolist()
    ['2017', '2020']
    """
    if unit not in ("auto", *_PRECISION_LENGTH):
        raise CorpuslabError(f"period unit: got {unit!r}; allowed: auto, year, month, day")
    if "date" not in documents.columns:
        raise CorpuslabError("periods: the corpus has no date column; add dates to the metadata file")
    dates = documents["date"].fillna("").astype(str)
    precision = documents.get("date_precision", dates.str.len().map({4: "year", 7: "month", 10: "day"}))
    precision = pd.Series(precision, index=dates.index).fillna("")
    dated = dates != ""
    if unit == "auto":
        order = ["year", "month", "day"]
        known = [p for p in precision[dated] if p in order]
        unit = min(known, key=order.index) if known else "year"
    too_coarse = dated & precision.map(lambda p: _PRECISION_LENGTH.get(p, 0) < _PRECISION_LENGTH[unit])
    if too_coarse.any():
        doc = documents.loc[too_coarse, "doc_id"].iloc[0]
        raise CorpuslabError(f"period unit: got {unit!r}, but document {doc} is dated only to the "
                             f"{precision[too_coarse].iloc[0]}; allowed: a coarser unit, or 'auto'")
    return dates.str[:_PRECISION_LENGTH[unit]].where(dated, "undated")


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
    order = np.lexsort((alphabetical[X.indices], -weights, rows))  # per document: weight down, then term
    order = order[weights[order] > 0]
    rank = np.arange(len(order)) - np.searchsorted(rows[order], rows[order]) + 1  # within its document
    order, rank = order[rank <= top_n], rank[rank <= top_n]
    return pd.DataFrame({"doc_id": np.asarray(doc_ids, dtype=object)[rows[order]], "rank": rank.astype("int64"),
                         "term": terms[X.indices[order]], "count": X.data[order].astype("int64"),
                         "tfidf": weights[order].astype(float)})


def sum_rows(X: sparse.spmatrix, groups) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Rows of ``X`` summed per group (sorted labels): a group-by-term matrix and its labels.

    >>> M, labels = sum_rows(sparse.csr_matrix([[1, 0], [2, 1], [0, 3]]), ["b", "a", "b"])
    >>> labels.tolist(), M.toarray().tolist()
    (['a', 'b'], [[2, 1], [1, 3]])
    """
    labels, codes = np.unique(np.asarray(list(groups), dtype=str), return_inverse=True)
    indicator = sparse.csr_matrix((np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(labels), len(codes)))
    return sparse.csr_matrix(indicator @ sparse.csr_matrix(X, dtype=float)).astype(np.int64), labels


def dispersion(X: sparse.spmatrix, terms: np.ndarray) -> pd.DataFrame:
    """Gries' (2008) deviation of proportions per term: term, count, n_parts, dp, dp_norm.

    Parts are the rows of ``X`` (documents or units). ``dp`` = half the summed
    absolute differences between each part's share of the term and its share of the
    corpus: 0 is perfectly even, near 1 concentrated in one small part.
    ``dp_norm`` divides by 1 - the smallest part's share (Lijffijt & Gries 2012).
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
    table = pd.DataFrame({"term": terms, "count": counts.astype("int64"), "n_parts": n_parts.astype("int64"),
                          "dp": dp, "dp_norm": dp / (1 - s.min()) if len(s) > 1 else dp * np.nan})
    return table.sort_values(["count", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- lexical diversity, readability

def lexical_diversity(tokens: list[str], *, window: int = 100) -> dict[str, float]:
    """TTR, Herdan's C, Yule's K and MATTR of one token list (quanteda's textstat_lexdiv formulas).

    MATTR averages the TTR of every ``window``-token window (Covington & McFall
    2010); with fewer tokens than ``window`` it equals TTR.

    >>> {k: round(v, 3) for k, v in lexical_diversity("one one two one one two one".split()).items()}
    {'n_tokens': 7, 'n_types': 2, 'ttr': 0.286, 'herdan_c': 0.356, 'yule_k': 4489.796, 'mattr': 0.286}
    """
    n = len(tokens)
    freq = Counter(tokens)
    v = len(freq)
    if n == 0:
        return {"n_tokens": 0, "n_types": 0, "ttr": np.nan, "herdan_c": np.nan, "yule_k": np.nan, "mattr": np.nan}
    spectrum = Counter(freq.values())
    yule_k = 1e4 * (sum(m * m * vm for m, vm in spectrum.items()) - n) / (n * n)
    if n <= window:
        mattr = v / n
    else:
        window_counts = Counter(tokens[:window])
        ttrs = [len(window_counts)]
        for i in range(window, n):
            window_counts[tokens[i]] += 1
            old = tokens[i - window]
            window_counts[old] -= 1
            if not window_counts[old]:
                del window_counts[old]
            ttrs.append(len(window_counts))
        mattr = float(np.mean(ttrs)) / window
    return {"n_tokens": n, "n_types": v, "ttr": v / n,
            "herdan_c": float(np.log(v) / np.log(n)) if n > 1 else np.nan, "yule_k": yule_k, "mattr": mattr}


_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Estimated syllables of an English word (vowel groups, silent final e; at least 1).

    >>> [syllables(w) for w in ["the", "ate", "breakfast", "syllable", "rhythm", "table"]]
    [1, 1, 2, 3, 1, 2]
    """
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    n = len(_VOWEL_GROUP.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    return max(1, n)


_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")


def flesch(text: str, *, n_sentences: int | None = None) -> float:
    """Flesch (1948) reading ease: 206.835 - 1.015 words/sentence - 84.6 syllables/word.

    Higher is easier (60-70 plain English; 0-30 academic prose). Sentences are
    counted by terminal punctuation unless ``n_sentences`` (e.g. from
    :mod:`corpuslab.segment`) is given.

    >>> round(flesch("The cat in the hat ate breakfast."), 1)
    103.0
    """
    words = [t for t in tokenize(text, keep_numbers=False) if any(ch.isalpha() for ch in t)]
    if not words:
        return float("nan")
    if n_sentences is None:
        n_sentences = max(1, len(_SENTENCE_END.findall(normalise(text).strip() + " ")))
    n_syllables = sum(syllables(w) for w in words)
    return 206.835 - 1.015 * len(words) / n_sentences - 84.6 * n_syllables / len(words)


def lexdiv(documents: pd.DataFrame, *, sentences: pd.DataFrame | None = None, window: int = 100,
           engine: str = "local", n_jobs: int = 1, scheduler: str = "", index: KwicIndex | None = None,
           **tokenize_options) -> pd.DataFrame:
    """Per document: doc_id, n_tokens, n_types, ttr, herdan_c, yule_k, mattr, flesch.

    The measures of :func:`lexical_diversity` and :func:`flesch`, computed for the
    whole corpus at once from its token stream (integer arrays, no Python per token).
    Diversity is measured on tokens from ``tokenize_options`` (pass no stopwords to
    measure every word); Flesch always reads every word, with the sentence counts
    of ``sentences`` (a :func:`corpuslab.segment.sentences` table) when given.
    ``index`` (:func:`kwic_index` of the same documents) lends its lower-cased tokens instead of finding them again.
    """
    texts = [t if isinstance(t, str) else "" for t in documents["text"]]
    stream = None
    if index is not None:
        lowered = (index.doc, index.ids, index.types)
    else:
        stream = token_stream(texts, engine=Engine(engine, n_jobs, scheduler))
        folded = stream.folded(True)
        lowered = (*folded.words(), folded.types)
        del folded
    if tokenize_options.get("phrases"):  # phrases join tokens across types: tokenise text by text
        found = [tokenize(t, **tokenize_options) for t in texts]
        codes, _ = pd.factorize(pd.Series([t for tokens in found for t in tokens], dtype=object))
        doc = np.repeat(np.arange(len(texts)), [len(tokens) for tokens in found])
    else:
        if tokenize_options.get("lowercase", True):
            doc, words, types = lowered
        else:
            stream = stream or token_stream(texts, engine=Engine(engine, n_jobs, scheduler))
            (doc, words), types = stream.words(), stream.types
        ids, _ = term_ids(types, **tokenize_options)
        term = ids.astype(np.int32)[words] if len(ids) else np.zeros(0, dtype=np.int32)
        kept = term >= 0
        doc, codes = doc[kept], term[kept]
        del words, term, kept
    table = _diversity_in_blocks(doc, codes, len(texts), window)
    del doc, codes
    table.insert(0, "doc_id", documents["doc_id"].to_numpy())
    n_sent = sentences.groupby("doc_id").size() if sentences is not None else pd.Series(dtype="int64")
    table["flesch"] = _flesch(*lowered, documents["doc_id"].map(n_sent).to_numpy(), texts)
    return table


BLOCK_TOKENS = 4_000_000  # tokens measured at once (whole documents): memory stays bounded on any corpus


def _diversity_in_blocks(doc: np.ndarray, term: np.ndarray, n_docs: int, window: int) -> pd.DataFrame:
    """:func:`_diversity` over blocks of whole documents of about :data:`BLOCK_TOKENS` tokens each."""
    ends = np.cumsum(np.bincount(doc, minlength=n_docs))  # token position after each document
    cuts = np.unique(np.r_[0, np.searchsorted(ends, np.arange(BLOCK_TOKENS, ends[-1] if n_docs else 0,
                                                                 BLOCK_TOKENS), side="right"), n_docs])
    starts = np.r_[0, ends]
    return pd.concat([_diversity(doc[starts[a]:starts[b]] - a, term[starts[a]:starts[b]], b - a, window)
                      for a, b in zip(cuts[:-1], cuts[1:])] or [_diversity(doc, term, 0, window)], ignore_index=True)


def _diversity(doc: np.ndarray, term: np.ndarray, n_docs: int, window: int) -> pd.DataFrame:
    """:func:`lexical_diversity` of every document, from each token's document and term id (in reading order)."""
    doc, term = doc.astype(np.int64), term.astype(np.int64)
    n = np.bincount(doc, minlength=n_docs).astype(np.int64)
    key = doc * (int(term.max(initial=0)) + 1) + term
    order = np.argsort(key, kind="stable")  # each type's occurrences, in reading order
    same = key[order][1:] == key[order][:-1]
    prev = np.full(len(key), -1, dtype=np.int64)
    nxt = np.full(len(key), len(key), dtype=np.int64)
    prev[order[1:][same]] = order[:-1][same]
    nxt[order[:-1][same]] = order[1:][same]
    is_first = prev < 0
    v = np.bincount(doc, weights=is_first, minlength=n_docs)
    run_starts = np.flatnonzero(np.r_[True, ~same]) if len(key) else np.zeros(0, dtype=np.int64)
    frequency = np.diff(np.r_[run_starts, len(key)]).astype(float)  # of each (document, type)
    squares = np.bincount(doc[order][run_starts], weights=frequency ** 2, minlength=n_docs)
    with np.errstate(divide="ignore", invalid="ignore"):
        nf = n.astype(float)
        table = pd.DataFrame({"n_tokens": n, "n_types": v.astype(np.int64), "ttr": v / nf,
                              "herdan_c": np.where(n > 1, np.log(v) / np.log(nf), np.nan),
                              "yule_k": 1e4 * (squares - nf) / (nf * nf),
                              "mattr": _mattr(doc, n, prev, nxt, is_first, window, v)})
    return table


def _mattr(doc, n, prev, nxt, is_first, window: int, v) -> np.ndarray:
    """Moving-average TTR per document from each token's previous / next occurrence of its type.

    Sliding the window one token on changes its type count by +1 if the entering
    token's previous occurrence lies before the new window, and -1 if the leaving
    token's next occurrence is not before the entering one; summed over windows by weights.
    """
    position = np.arange(len(doc), dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(n)[:-1]]).astype(np.int64)
    rel = position - start[doc]
    first_window = np.bincount(doc, weights=(rel < window) & is_first, minlength=len(n))
    entering = rel >= window
    e = position[entering]
    delta = (prev[e] < e - window + 1).astype(np.int64) - (nxt[e - window] >= e).astype(np.int64)
    weighted = np.bincount(doc[entering], weights=delta * (n[doc[entering]] - rel[entering]), minlength=len(n))
    n_windows = n - window + 1
    with np.errstate(divide="ignore", invalid="ignore"):
        long_docs = (n_windows * first_window + weighted) / (n_windows * window)
        return np.where(n > window, long_docs, v / n)


def _flesch(doc: np.ndarray, words: np.ndarray, types: np.ndarray, n_sentences: np.ndarray, texts: list[str]
            ) -> np.ndarray:
    """:func:`flesch` of every text from its lower-cased word tokens (text number, type id) and the types
    (sentences counted by punctuation where unknown)."""
    is_word = np.fromiter((not NUMBER.match(t) and any(ch.isalpha() for ch in t) for t in types),
                          dtype=bool, count=len(types))
    n_syllables = np.fromiter((syllables(t) if w else 0 for t, w in zip(types, is_word)), dtype=np.int64,
                              count=len(types))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(doc, minlength=len(texts)))])  # doc is in text order
    counts = count_matrix(indptr, words, len(types))  # texts x types: sums per text by sparse products, not per token
    n_words = counts @ is_word.astype(np.int64) if len(types) else np.zeros(len(texts))
    n_syll = counts @ n_syllables if len(types) else np.zeros(len(texts))
    counted = np.array([max(1, len(_SENTENCE_END.findall(normalise(t).strip() + " "))) if pd.isna(s) else s
                        for t, s in zip(texts, n_sentences)], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = 206.835 - 1.015 * n_words / counted - 84.6 * n_syll / n_words
    return np.where(n_words > 0, score, np.nan)


def _dated_mask(documents: pd.DataFrame, which: str) -> np.ndarray:
    """Documents of the most recent ("latest") or oldest ("earliest") date; the last / first row if undated.

    Dates compare at the corpus's common precision (:func:`periods`), so in a corpus
    dated by year "latest" is every document of the last year.
    """
    mask = np.zeros(len(documents), dtype=bool)
    if "date" in documents.columns and (documents["date"].fillna("").astype(str) != "").any():
        labels = periods(documents).to_numpy()
        dated = labels[labels != "undated"]
        mask[labels == (dated.max() if which == "latest" else dated.min())] = True
    else:
        mask[-1 if which == "latest" else 0] = True
    return mask


def keyness_groups(documents: pd.DataFrame, *, column: str = "label", target: str = "latest",
                   reference: str = "earliest") -> tuple[np.ndarray, np.ndarray | None, str, str]:
    """Target and reference masks (and display names) from the ``frequency.keyness_*`` params.

    ``target``/``reference`` are values of ``column``, or the words "latest" / "earliest"
    (the documents of the most recent / oldest date, e.g. every speech of the last
    year in a corpus dated by year; the last / first row if undated).
    An empty ``reference`` means every document not in the target (mask ``None``).
    With ``column="date"``, values are dates or ranges ("2024", "2017..2020";
    prefixes compared, so "2021" covers "2021-12").

    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "label": ["FT 2017", "X", "JT 2024"],
    ...                      "date": ["2017-07", "2019", "2024-05"]})
    >>> t, r, tn, rn = keyness_groups(docs)
    >>> t.tolist(), r.tolist(), tn, rn
    ([False, False, True], [True, False, False], 'JT 2024', 'FT 2017')
    >>> keyness_groups(docs, target="X", reference="")[1:]
    (None, 'X', 'all other documents')
    """
    if len(documents) < 2:
        raise CorpuslabError(f"keyness: needs at least two documents; the corpus has {len(documents)}. "
                             "Add documents, or compare groups of paragraphs in your own analysis")

    def name_of(mask: np.ndarray) -> str:
        if mask.sum() > 1:
            return f"{periods(documents)[mask].iloc[0]} ({int(mask.sum())} documents)"
        row = documents[mask].iloc[0]
        has_label = "label" in documents.columns and pd.notna(row["label"]) and str(row["label"])
        return str(row["label"]) if has_label else str(row["doc_id"])

    def select(value: str) -> tuple[np.ndarray, str]:
        if value in ("latest", "earliest"):
            mask = _dated_mask(documents, value)
            return mask, name_of(mask)
        if column == "date":  # "2024" or "2017..2020": a date range, prefixes compared
            start, _, end = value.partition("..")
            mask = target_mask(documents, start=start.strip() or None, end=(end or start).strip() or None)
            if not mask.any():
                raise CorpuslabError(f"keyness target: no document is dated {value!r}; give a date or a range "
                                     "such as 2017..2020")
            return mask, value
        return target_mask(documents, column=column, value=value), value

    mask, name = select(target or "latest")
    if not reference:
        return mask, None, name, "all other documents"
    ref_mask, ref_name = select(reference)
    return mask, ref_mask, name, ref_name
