"""Keyness: which terms a target group of documents uses more (or less) than a reference group.

Signed chi2 and G2 of each term's 2x2 table as quanteda's ``textstat_keyness`` defines them (with
its Yates rule), except that G2 is computed exactly: quanteda adds 1e-9 inside the logarithm,
which adds 2 N 1e-9 to every G2. Also the choice of target and reference documents from
metadata (a group, a document, a date range, the latest / earliest documents).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import chdtrc, xlogy  # chdtrc(1, x): scipy.stats.chi2.sf(x, 1), without importing scipy.stats

from corpuslab import periods
from corpuslab.errors import CorpuslabError
from corpuslab.periods import in_date_range

MEASURES = ("chi2", "g2", "log_ratio", "pmi_nats")
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


def _log_likelihood_term(observed, expected):
    """``observed * log(observed / expected)``, exactly 0 where ``observed`` is 0 (no epsilon in the log)."""
    ratio = np.divide(observed, expected, out=np.ones_like(observed), where=observed > 0)
    return xlogy(observed, ratio)


def keyness_2x2(a, b, c, d, *, correction: str = "default") -> pd.DataFrame:
    """Signed chi2, G2, and their p-values for 2x2 tables, as quanteda computes them (G2 exactly).

    ``a``/``b``: the term's count in target/reference; ``c``/``d``: all other tokens
    in target/reference. ``correction``: "default" and "yates" apply Yates' 0.5 only
    where an expected cell is below 5 and ``|ad - bc| >= N/2`` (quanteda.textstats,
    following R's ``chisq.test``), to both statistics; "williams" divides both by
    Williams' q; "none" applies nothing. Signs are negative where the term is rarer
    in the target than expected. G2 is ``2 sum O log(O / E)`` with ``0 log 0 = 0``;
    quanteda adds 1e-9 inside the logarithm (2 N 1e-9 more on every G2).

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
        s = np.where(a * d - b * c > 0, 1.0, -1.0) * delta  # Yates: each cell 0.5 towards its expected count
        aa, bb, cc, dd = a - s, b + s, c + s, d - s
        g2 = 2 * (_log_likelihood_term(aa, (aa + bb) * (aa + cc) / n)
                  + _log_likelihood_term(bb, (aa + bb) * (bb + dd) / n)
                  + _log_likelihood_term(cc, (aa + cc) * (cc + dd) / n)
                  + _log_likelihood_term(dd, (bb + dd) * (cc + dd) / n)) / q
    chi2, g2 = np.nan_to_num(chi2) * sign, np.nan_to_num(g2) * sign
    return pd.DataFrame({"chi2": chi2, "g2": g2, "p_chi2": chdtrc(1, np.abs(chi2)), "p_g2": chdtrc(1, np.abs(g2))})


def adjust_p(p: np.ndarray, method: str = "bh") -> np.ndarray:
    """p-values adjusted for multiple comparisons: Benjamini-Hochberg "bh", "holm", "bonferroni" or "none".

    >>> adjust_p(np.array([0.01, 0.04, 0.03]), "holm").round(2).tolist()
    [0.03, 0.06, 0.06]
    """
    if method not in P_ADJUST:
        raise CorpuslabError(f"p_adjust: got {method!r}; allowed: one of {', '.join(P_ADJUST)}")
    if method == "none" or len(p) == 0:
        return p.copy()
    if method == "bh":
        from scipy import stats  # here: importing it takes ~2 s, and the check before a run imports this module

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
    ``measure``; of chi2 for log_ratio/pmi_nats), p_adjusted (:func:`adjust_p` with ``p_adjust``,
    over the listed terms) and log_ratio (Hardie 2014: log2 of the ratio of relative
    frequencies, a zero count taken as 0.5), sorted by ``measure`` (descending, then
    term), as quanteda's textstat_keyness. With ``measure="pmi_nats"`` also pmi_nats: the
    natural log of observed / expected target count (-inf for a term absent from the target;
    quanteda adds 1e-9 inside the log).

    Parameters
    ----------
    X, terms
        Document-term counts and vocabulary (:func:`corpuslab.tokens.dtm`).
    target
        Boolean mask (or row positions) of the target rows.
    reference
        Boolean mask of the reference rows; default: every row not in the target.
    measure
        "chi2", "g2", "log_ratio" or "pmi_nats" (sort order and p-value).
    correction
        "default" (quanteda's Yates rule), "yates", "williams" or "none".
    min_count
        Leave out terms seen fewer than this many times in target + reference.

    >>> from corpuslab.tokens import dtm
    >>> X, terms = dtm(["b b b b b b b a a a", "a a a a a a a b b"])
    >>> keyness(X, terms, [True, False])[["term", "count_target", "chi2"]].round(4).values.tolist()
    [['b', 7, 2.6324], ['a', 3, -2.6324]]
    """
    if measure not in MEASURES:
        raise CorpuslabError(f"measure: got {measure!r}; allowed: one of {', '.join(MEASURES)}")
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
    return _keyness_table(a, b, np.asarray(terms), measure=measure, correction=correction, min_count=min_count,
                          p_adjust=p_adjust)


def _keyness_table(a: np.ndarray, b: np.ndarray, terms: np.ndarray, *, measure: str, correction: str,
                   min_count: int, p_adjust: str) -> pd.DataFrame:
    """The keyness table of target counts ``a`` and reference counts ``b`` of ``terms`` (:func:`keyness`)."""
    keep = (a + b > 0) & (a + b >= min_count)
    a, b, words = a[keep], b[keep], terms[keep]
    n_t, n_r = a.sum(), b.sum()
    scores = keyness_2x2(a, b, n_t - a, n_r - b, correction=correction)
    log_ratio = np.log2((np.where(a == 0, 0.5, a) / n_t) / (np.where(b == 0, 0.5, b) / n_r))
    with np.errstate(divide="ignore"):
        pmi_nats = np.log(a / ((a + b) * n_t / (n_t + n_r)))
    table = pd.DataFrame({
        "term": words, "count_target": a.astype("int64"), "count_reference": b.astype("int64"),
        "rel_target": a / n_t * 10_000, "rel_reference": b / n_r * 10_000,
        "chi2": scores["chi2"].to_numpy(), "g2": scores["g2"].to_numpy(),
        "p_value": scores["p_g2" if measure == "g2" else "p_chi2"].to_numpy(),
        "log_ratio": log_ratio, "pmi_nats": pmi_nats,
    })
    table["p_adjusted"] = adjust_p(table["p_value"].to_numpy(), p_adjust)
    table = table.sort_values([measure, "term"], ascending=[False, True], kind="stable").reset_index(drop=True)
    columns = ["term", "count_target", "count_reference", "rel_target", "rel_reference", "chi2", "g2",
               "p_value", "p_adjusted", "log_ratio"] + (["pmi_nats"] if measure == "pmi_nats" else [])
    return table[columns]


def keyness_against(target: pd.Series, reference: pd.Series, *, measure: str = "g2", correction: str = "default",
                    min_count: int = 0, p_adjust: str = "bh") -> pd.DataFrame:
    """Keyness of a target against a reference given as term counts (``pd.Series``: term -> count), e.g. a
    corpus against a general-English word list: the table of :func:`keyness`, the same statistics.

    A term missing from one side counts 0 there, as a term absent from a group does in :func:`keyness`.

    >>> table = keyness_against(pd.Series({"b": 7, "a": 3}), pd.Series({"a": 7, "b": 2}))
    >>> table[["term", "g2"]].round(4).values.tolist()
    [['b', 2.7028], ['a', -2.7028]]
    """
    if measure not in MEASURES:
        raise CorpuslabError(f"measure: got {measure!r}; allowed: one of {', '.join(MEASURES)}")
    terms = target.index.union(reference.index)
    a = target.groupby(level=0).sum().reindex(terms, fill_value=0).to_numpy(dtype=float)
    b = reference.groupby(level=0).sum().reindex(terms, fill_value=0).to_numpy(dtype=float)
    if a.sum() == 0 or b.sum() == 0:
        raise CorpuslabError("frequency.reference_corpus: the corpus or the reference has no tokens after "
                             "preprocessing; choose a reference with text, or fewer stopwords")
    return _keyness_table(a, b, np.asarray(terms, dtype=object), measure=measure, correction=correction,
                          min_count=min_count, p_adjust=p_adjust)


def read_reference(path) -> pd.Series:
    """A reference word list (CSV with columns term, count, as ``data/reference/brown.csv``) as term -> count."""
    table = pd.read_csv(path, keep_default_na=False, dtype={"term": str, "count": "int64"})
    return pd.Series(table["count"].to_numpy(), index=table["term"].to_numpy(), name="count")


def retokenised(counts: pd.Series, **tokenize_options) -> pd.Series:
    """Reference counts of tokens (as :func:`corpuslab.tokens.tokenize` makes them) re-read with the corpus's
    tokeniser settings: :func:`corpuslab.tokens.term_ids` applies tokenize's per-token rules (stopwords, shortest
    length, numbers, stemming, lemmas) to each word, its count added to the term it becomes (a stopword's to
    none). Multiword phrases cannot be formed from single words.

    >>> retokenised(pd.Series({"the": 9, "wars": 2, "war": 3}), stopwords=frozenset({"the"}), stem="snowball").to_dict()
    {'war': 5}
    """
    from corpuslab import tokens

    options = {k: v for k, v in tokenize_options.items() if k != "phrases"}
    ids, terms = tokens.term_ids([str(w) for w in counts.index], **options)
    kept = ids >= 0
    summed = np.bincount(ids[kept], weights=counts.to_numpy(dtype=float)[kept], minlength=len(terms))
    return pd.Series(summed.astype("int64"), index=terms, name="count")


def shared_token_share(target: pd.Series, reference: pd.Series) -> float:
    """Share of the target's tokens whose term occurs in the reference (low: another language, or another kind
    of text than the reference).

    >>> shared_token_share(pd.Series({"war": 3, "krieg": 1}), pd.Series({"war": 10}))
    0.75
    """
    total = target.sum()
    return float(target[target.index.isin(reference.index)].sum() / total) if total else 0.0


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

    Either ``column == value`` (a metadata group: ``column="party", value="Democratic"``;
    a document: ``column="doc_id"``; ``value`` may be a list), or, with ``start``/``end``,
    documents dated within ``[start, end]`` (:func:`corpuslab.periods.in_date_range`).

    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": ["2017-07", "2021", "2024-05-22"]})
    >>> target_mask(docs, start="2020", end="2024").tolist()
    [False, True, True]
    >>> target_mask(docs, value=["a"]).tolist()
    [True, False, False]
    """
    if start is not None or end is not None:
        return in_date_range(documents, start, end)
    if column not in documents.columns:
        raise CorpuslabError(f"frequency.keyness_column: got {column!r}; allowed: one of "
                             f"{', '.join(c for c in documents.columns if c not in ('text', 'raw_text'))}")
    values = value if isinstance(value, (list, tuple, set)) else [value]
    mask = documents[column].astype(str).isin([str(v) for v in values]).to_numpy()
    if not mask.any():
        raise CorpuslabError(f"frequency.keyness_target: no document has {column} = {value!r}; allowed values of "
                             f"{column}: {', '.join(map(str, documents[column].dropna().unique()[:20]))}")
    return mask


class Comparison(NamedTuple):
    """The documents keyness compares: target and reference masks (reference ``None``: every other
    document) and their display names."""

    target: np.ndarray
    reference: np.ndarray | None
    target_name: str
    reference_name: str


TIME_COLUMNS = ("period", "date")  # columns whose "auto" comparison is the latest against the earliest period


def target_and_reference(documents: pd.DataFrame, *, column: str = "period", target: str = "auto",
                         reference: str = "auto") -> Comparison:
    """The target and reference documents (masks and display names) named by values of ``column``.

    ``column`` is a metadata column, or "period" (the periods of :func:`corpuslab.periods.period_labels`,
    which every figure shows), or "date" (values are dates or ranges: "2024", "2017..2020", prefixes
    compared). ``target``/``reference`` are values of ``column``; "latest" / "earliest" (the documents
    of the most recent / oldest period); or "auto": for period and date the latest period against the
    earliest, for any other column its largest group (most documents; ties: the first name) against
    every other document. An empty ``reference`` means every document not in the target (mask ``None``).

    >>> docs = pd.DataFrame({"doc_id": list("abcd"), "party": ["D", "R", "R", None],
    ...                      "date": ["2017-07", "2019", "2024-05", "2024"]})
    >>> t, r, tn, rn = target_and_reference(docs, column="party")
    >>> t.tolist(), r, tn, rn
    ([False, True, True, False], None, 'party R (2 documents)', 'all other documents')
    >>> t, r, tn, rn = target_and_reference(docs, column="period")
    >>> t.tolist(), r.tolist(), tn, rn
    ([False, False, True, True], [True, False, False, False], 'period 2024 (2 documents)', 'period 2017 (1 document)')
    """
    if len(documents) < 2:
        raise CorpuslabError(f"keyness: needs at least two documents; the corpus has {len(documents)}. "
                             "Add documents, or compare groups of paragraphs in your own analysis")
    by_period = column == "period" and "period" not in documents.columns
    if by_period and not periods.is_dated(documents):
        raise CorpuslabError("frequency.keyness_column: got 'period', but no document has a date; allowed: a "
                             "metadata column, or add dates to the metadata")
    labels = periods.period_labels(documents) if by_period else None
    if not by_period and column not in documents.columns:
        target_mask(documents, column=column, value=target)  # raises naming the column and the allowed ones

    def described(mask: np.ndarray, what: str) -> str:
        n = int(mask.sum())
        return f"{what} ({n} document{'s' if n != 1 else ''})"

    def select(value: str) -> tuple[np.ndarray, str]:
        if value in ("latest", "earliest"):
            mask = periods.latest_or_earliest(documents, value)
            return mask, described(mask, f"period {periods.period_labels(documents)[mask].iloc[0]}")
        if by_period:
            mask = (labels == value).to_numpy()
            if not mask.any():
                raise CorpuslabError(f"frequency.keyness_target: no period {value!r}; allowed: latest, earliest, "
                                     f"auto or one of {', '.join(sorted(set(labels)))}")
            return mask, described(mask, f"period {value}")
        if column == "date":  # "2024" or "2017..2020": a date range, prefixes compared
            start, _, end = value.partition("..")
            mask = target_mask(documents, start=start.strip() or None, end=(end or start).strip() or None)
            if not mask.any():
                raise CorpuslabError(f"frequency.keyness_target: no document is dated {value!r}; give a date or a "
                                     "range such as 2017..2020")
            return mask, described(mask, value)
        mask = target_mask(documents, column=column, value=value)
        return mask, described(mask, f"{column} {value}")

    time = column in TIME_COLUMNS
    if target == "auto":
        target = "latest" if time else _largest_group(documents[column])
    if reference == "auto":
        reference = "earliest" if time else ""
    mask, name = select(target or "latest")
    if not reference:
        if mask.all():
            raise CorpuslabError(f"frequency.keyness_target: every document is in the target {name}; "
                                 f"allowed: a value of {column} that leaves a reference")
        return Comparison(mask, None, name, "all other documents")
    ref_mask, ref_name = select(reference)
    if (mask == ref_mask).all():
        raise CorpuslabError(f"frequency.keyness_reference: {ref_name} is the same as the target; "
                             f"allowed: another value of {column}, or empty (every other document)")
    return Comparison(mask, ref_mask, name, ref_name)


def _largest_group(values: pd.Series) -> str:
    """The value shared by most documents (ties: the first in sorted order), missing values left out."""
    counts = values.dropna().astype(str).value_counts()
    if counts.empty:
        raise CorpuslabError(f"frequency.keyness_column: {values.name!r} has no values; choose a column with values")
    return sorted(counts[counts == counts.max()].index)[0]
