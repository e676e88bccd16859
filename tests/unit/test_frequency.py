"""Frequency statistics against quanteda's published values and independent computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from corpuslab import frequency
from corpuslab.errors import CorpuslabError
from corpuslab.tokens import dtm

# ----------------------------------------------------------------- keyness


@pytest.fixture
def two_docs():
    return dtm(["b b b b b b b a a a", "a a a a a a a b b"])


@pytest.mark.parametrize("correction, column, expected", [
    ("default", "chi2", 2.6324), ("none", "chi2", 4.3372), ("none", "g2", 4.5349),
    ("williams", "g2", 4.2008), ("williams", "chi2", 4.0176),
])
def test_keyness_matches_quanteda(two_docs, correction, column, expected):
    X, terms = two_docs
    table = frequency.keyness(X, terms, [True, False], correction=correction)
    row = table.set_index("term").loc["b"]
    assert row[column] == pytest.approx(expected, abs=1e-4)
    assert table.set_index("term").loc["a", column] == pytest.approx(-expected, abs=1e-4)


def test_keyness_default_p_value(two_docs):
    X, terms = two_docs
    assert frequency.keyness(X, terms, [True, False]).loc[0, "p_value"] == pytest.approx(0.1047, abs=1e-4)


def test_keyness_ordering_matches_quanteda():
    X, terms = dtm(["a a a b b c c c c c c d e f g h h", "a a b c c d d d d e f h"])
    assert frequency.keyness(X, terms, [True, False])["term"].tolist() == list("gcbhaefd")
    by_g2 = frequency.keyness(X, terms, [True, False], measure="g2", correction="none")
    assert by_g2["term"].tolist() == list("cgbhaefd")


def test_log_ratio_is_hardie_with_half_count_for_zero():
    X, terms = dtm(["x x y", "y y y z"])
    t = frequency.keyness(X, terms, np.array([True, False])).set_index("term")
    assert t.loc["x", "log_ratio"] == pytest.approx(np.log2((2 / 3) / (0.5 / 4)))
    assert t.loc["z", "log_ratio"] == pytest.approx(np.log2((0.5 / 3) / (1 / 4)))


def test_keyness_explicit_reference_and_min_count():
    X, terms = dtm(["a a b", "a c c", "b b b b"])
    t = frequency.keyness(X, terms, [True, False, False], reference=[False, True, False], min_count=2)
    assert set(t["term"]) == {"a", "c"}  # b: 1 in target + 0 in the chosen reference
    assert t.set_index("term").loc["a", ["count_target", "count_reference"]].tolist() == [2, 1]


def test_keyness_errors(two_docs):
    X, terms = two_docs
    with pytest.raises(CorpuslabError, match="measure"):
        frequency.keyness(X, terms, [True, False], measure="tfidf")
    with pytest.raises(CorpuslabError, match="at least one"):
        frequency.keyness(X, terms, [True, True])
    with pytest.raises(CorpuslabError, match="correction"):
        frequency.keyness(X, terms, [True, False], correction="yes")


def test_target_mask_by_group_document_and_dates():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["FT", "SCMP", "FT"],
                         "date": ["2017-07", "2021-12", "2024-05-22"]})
    assert frequency.target_mask(docs, column="outlet", value="FT").tolist() == [True, False, True]
    assert frequency.target_mask(docs, start="2021", end="2021").tolist() == [False, True, False]
    with pytest.raises(CorpuslabError, match="no document"):
        frequency.target_mask(docs, column="outlet", value="NYT")


cell = st.integers(min_value=0, max_value=400)


@settings(max_examples=200, deadline=None)
@given(a=cell, b=cell, c=cell, d=cell)
def test_keyness_2x2_agrees_with_scipy(a, b, c, d):
    table = np.array([[a, b], [c, d]])
    if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
        return
    ours = frequency.keyness_2x2([a], [b], [c], [d], correction="none").iloc[0]
    chi2 = chi2_contingency(table, correction=False).statistic
    g2 = chi2_contingency(table, correction=False, lambda_="log-likelihood").statistic
    assert abs(ours["chi2"]) == pytest.approx(chi2, rel=1e-6, abs=1e-6)
    assert abs(ours["g2"]) == pytest.approx(g2, rel=1e-6, abs=1e-5)
