"""Term frequency, grouped counts, tf-idf, dispersion and the corpus summary against direct computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from corpuslab import counts
from corpuslab.errors import CorpuslabError
from corpuslab.tokens import dtm


def test_frequency_by_group_per_10000():
    X, terms = dtm(["a b", "a a", "b"])
    t = counts.frequency_by_group(X, terms, ["x", "x", "y"])
    assert t.set_index(["group", "term"])["rel_freq"].to_dict() == {
        ("x", "a"): 7500.0, ("x", "b"): 2500.0, ("y", "a"): 0.0, ("y", "b"): 10000.0}
    assert t["n_tokens"].tolist() == [4, 4, 1, 1]


def test_grouped_tables_label_missing_groups_unknown():
    X, terms = dtm(["a b", "a a", "b"])
    groups = pd.Series(["x", None, ""], index=[10, 11, 12])  # aligned with the rows, whatever its index
    assert counts.frequency_by_group(X, terms, groups, select=["a"])["group"].tolist() == ["unknown", "x"]
    assert counts.top_terms_by_group(X, terms, groups, top_n=1)[["group", "term", "count"]].values.tolist() == [
        ["unknown", "a", 2], ["x", "a", 1]]
    with pytest.raises(CorpuslabError, match="one label per row"):
        counts.frequency_by_group(X, terms, ["x", "y"])


def test_top_terms_by_group_equal_term_frequency_of_each_group():
    X, terms = dtm(["war war peace", "war", "trade trade peace", "peace"])
    table = counts.top_terms_by_group(X, terms, ["old", "old", "new", "new"], top_n=2)
    for group, rows in [("old", [0, 1]), ("new", [2, 3])]:
        expected = counts.term_frequency(X[rows], terms, top_n=2).drop(columns="doc_freq")
        got = table[table["group"] == group].drop(columns=["group", "rank"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected)


def test_dispersion_dp_against_direct_formula():
    rng = np.random.default_rng(0)
    matrix = rng.integers(0, 5, size=(6, 8))
    matrix[:, 0] += 1
    table = counts.dispersion(sparse.csr_matrix(matrix), np.array([f"t{i}" for i in range(8)])).set_index("term")
    s = matrix.sum(axis=1) / matrix.sum()
    for j in range(8):
        if matrix[:, j].sum():
            expected = 0.5 * np.abs(matrix[:, j] / matrix[:, j].sum() - s).sum()
            assert table.loc[f"t{j}", "dp"] == pytest.approx(expected)
            assert table.loc[f"t{j}", "dp_norm"] == pytest.approx(expected / (1 - s.min()))


def test_dp_norm_leaves_out_parts_without_tokens():
    """Gries (2008) by hand: parts (rows) of 10, 10 and 0 tokens; s = (1/2, 1/2) over the parts with tokens.

    Term a (5, 0, 0): v = (1, 0), DP = (|1 - 1/2| + |0 - 1/2|) / 2 = 1/2, the largest possible
    (all in the smallest part), so DP_norm = DP / (1 - 1/2) = 1. Term b (5, 10, 0): v = (1/3, 2/3),
    DP = (1/6 + 1/6) / 2 = 1/6, DP_norm = 1/3. The empty part took min(s) = 0 and left DP_norm = DP.
    """
    table = counts.dispersion(sparse.csr_matrix([[5, 5], [0, 10], [0, 0]]), np.array(["a", "b"])).set_index("term")
    assert table.loc["a", "dp"] == pytest.approx(0.5) and table.loc["a", "dp_norm"] == pytest.approx(1.0)
    assert table.loc["b", "dp"] == pytest.approx(1 / 6) and table.loc["b", "dp_norm"] == pytest.approx(1 / 3)
    assert table["n_parts"].tolist() == [2, 1]  # b, a (by count)


def test_dp_norm_is_undefined_with_one_part_with_tokens():
    table = counts.dispersion(sparse.csr_matrix([[2, 1], [0, 0]]), np.array(["a", "b"]))
    assert table["dp"].tolist() == [0.0, 0.0] and table["dp_norm"].isna().all()


def test_tfidf_leaves_out_terms_in_every_document():
    X, terms = dtm(["a a b", "b c"])
    t = counts.tfidf(X, terms, ["d1", "d2"])
    assert "b" not in set(t["term"])


def test_tfidf_by_group_from_summed_rows():
    X, terms = dtm(["war war peace", "war", "trade trade"])
    table = counts.tfidf_by_group(X, terms, ["old", "old", "new"], top_n=1)
    assert list(table.columns) == ["group", "rank", "term", "count", "tfidf"]
    assert table[["group", "term", "count"]].values.tolist() == [["new", "trade", 2], ["old", "war", 3]]
    summed, labels = counts.sum_rows(X, ["old", "old", "new"])
    assert labels.tolist() == ["new", "old"] and summed.toarray()[1].sum() == 4


def test_corpus_summary_counts_tokens_types_and_sentences():
    from corpuslab import segment
    from corpuslab.tokens import tokenize

    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["War and peace. War again!", "Trade."]})
    X, _ = dtm(docs["text"], lowercase=True)
    table = counts.corpus_summary(docs, X, segment.sentences(docs))
    assert table["n_tokens"].tolist() == [len(tokenize(t, lowercase=True)) for t in docs["text"]] == [5, 1]
    assert table["n_types"].tolist() == [4, 1] and table["n_sentences"].tolist() == [2, 1]
    assert table["n_paragraphs"].tolist() == [1, 1]


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 6), st.integers(1, 8), st.integers(1, 4), st.data())
def test_tfidf_top_terms_equal_a_full_sort_of_every_entry(n_docs, n_terms, top_n, data):
    """The candidates kept per document (float32-rounded weights) never change the answer: equal to ranking every
    entry by weight, then term (small counts give many ties; a term in every document weighs 0)."""
    counts_ = data.draw(st.lists(st.integers(0, 3), min_size=n_docs * n_terms, max_size=n_docs * n_terms))
    X = sparse.csr_matrix(np.array(counts_).reshape(n_docs, n_terms))
    terms = np.array([f"t{j}" for j in range(n_terms)])
    got = counts.tfidf(X, terms, [f"d{i}" for i in range(n_docs)], top_n=top_n)
    idf = np.log10(n_docs / np.maximum(np.bincount(X.indices, minlength=n_terms), 1))
    rows = [(f"d{i}", terms[j], int(X[i, j]), X[i, j] * idf[j]) for i in range(n_docs) for j in range(n_terms)
            if X[i, j] and X[i, j] * idf[j] > 0]
    expected = [r for i in range(n_docs)
                for r in sorted((r for r in rows if r[0] == f"d{i}"), key=lambda r: (-r[3], r[1]))[:top_n]]
    assert list(zip(got["doc_id"], got["term"], got["count"], got["tfidf"])) == expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet=st.sampled_from(list("aAbé l'L . ,1-中国")), max_size=20),
                          st.sampled_from(["en", "fr", "it", "zh", "xx"])), max_size=8))
def test_stream_summary_equals_corpus_summary_of_the_matrix(docs):
    """The counts read from the token stream are the row sums and non-zeros of dtm(lowercase=True)."""
    from pandas.testing import assert_frame_equal

    from corpuslab.tokens import token_stream

    texts, languages = [t for t, _ in docs], [lang for _, lang in docs]
    table = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(docs))], "text": texts})
    sentences = pd.DataFrame({"doc_id": table["doc_id"][:1], "paragraph_id": [0] * min(1, len(docs))})
    stream = token_stream(texts, languages=languages)
    X, _ = dtm(texts, lowercase=True, languages=languages, stream=stream)
    assert_frame_equal(counts.stream_summary(table, stream, sentences, languages),
                       counts.corpus_summary(table, X, sentences), check_exact=True)
