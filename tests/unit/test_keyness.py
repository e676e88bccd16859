"""Keyness against quanteda's published values, scipy's exact G2 and chi2, and the target/reference choice."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2 as chi2_dist
from scipy.stats import chi2_contingency

from corpuslab import keyness
from corpuslab.errors import CorpuslabError
from corpuslab.tokens import dtm


@pytest.fixture
def two_docs():
    return dtm(["b b b b b b b a a a", "a a a a a a a b b"])


@pytest.mark.parametrize("correction, column, expected", [
    ("default", "chi2", 2.6324), ("none", "chi2", 4.3372), ("none", "g2", 4.5349),
    ("williams", "g2", 4.2008), ("williams", "chi2", 4.0176),
])
def test_keyness_matches_quanteda(two_docs, correction, column, expected):
    X, terms = two_docs
    table = keyness.keyness(X, terms, [True, False], correction=correction)
    row = table.set_index("term").loc["b"]
    assert row[column] == pytest.approx(expected, abs=1e-4)
    assert table.set_index("term").loc["a", column] == pytest.approx(-expected, abs=1e-4)


def test_keyness_default_p_value(two_docs):
    X, terms = two_docs
    assert keyness.keyness(X, terms, [True, False]).loc[0, "p_value"] == pytest.approx(0.1047, abs=1e-4)


def test_keyness_ordering_matches_quanteda():
    X, terms = dtm(["a a a b b c c c c c c d e f g h h", "a a b c c d d d d e f h"])
    assert keyness.keyness(X, terms, [True, False])["term"].tolist() == list("gcbhaefd")
    by_g2 = keyness.keyness(X, terms, [True, False], measure="g2", correction="none")
    assert by_g2["term"].tolist() == list("cgbhaefd")


def test_log_ratio_is_hardie_with_half_count_for_zero():
    X, terms = dtm(["x x y", "y y y z"])
    t = keyness.keyness(X, terms, np.array([True, False])).set_index("term")
    assert t.loc["x", "log_ratio"] == pytest.approx(np.log2((2 / 3) / (0.5 / 4)))
    assert t.loc["z", "log_ratio"] == pytest.approx(np.log2((0.5 / 3) / (1 / 4)))


def test_pmi_is_in_nats_and_exact():
    X, terms = dtm(["x x y", "y y y z"])
    t = keyness.keyness(X, terms, np.array([True, False]), measure="pmi_nats").set_index("term")
    assert t.loc["x", "pmi_nats"] == np.log(2 / (2 * 3 / 7))  # observed / expected target count, natural log
    assert t.loc["y", "pmi_nats"] == pytest.approx(np.log(1 / (4 * 3 / 7)), rel=1e-15)
    assert t.loc["z", "pmi_nats"] == -np.inf  # absent from the target (quanteda: log(1e-9) = -20.7)


def test_keyness_explicit_reference_and_min_count():
    X, terms = dtm(["a a b", "a c c", "b b b b"])
    t = keyness.keyness(X, terms, [True, False, False], reference=[False, True, False], min_count=2)
    assert set(t["term"]) == {"a", "c"}  # b: 1 in target + 0 in the chosen reference
    assert t.set_index("term").loc["a", ["count_target", "count_reference"]].tolist() == [2, 1]


def test_keyness_errors(two_docs):
    X, terms = two_docs
    with pytest.raises(CorpuslabError, match="measure"):
        keyness.keyness(X, terms, [True, False], measure="tfidf")
    with pytest.raises(CorpuslabError, match="at least one"):
        keyness.keyness(X, terms, [True, True])
    with pytest.raises(CorpuslabError, match="correction"):
        keyness.keyness(X, terms, [True, False], correction="yes")


def test_adjust_p_values():
    p = np.array([0.01, 0.04, 0.03, 0.5])
    assert keyness.adjust_p(p, "bonferroni").tolist() == pytest.approx([0.04, 0.16, 0.12, 1.0])
    assert keyness.adjust_p(p, "holm").tolist() == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert keyness.adjust_p(p, "bh").tolist() == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5])
    with pytest.raises(CorpuslabError, match="p_adjust"):
        keyness.adjust_p(p, "fdr")


cell = st.integers(min_value=0, max_value=400)


@settings(max_examples=200, deadline=None)
@given(a=cell, b=cell, c=cell, d=cell)
def test_keyness_2x2_agrees_with_scipy(a, b, c, d):
    table = np.array([[a, b], [c, d]])
    if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
        return
    ours = keyness.keyness_2x2([a], [b], [c], [d], correction="none").iloc[0]
    chi2 = chi2_contingency(table, correction=False).statistic
    g2 = chi2_contingency(table, correction=False, lambda_="log-likelihood").statistic
    assert abs(ours["chi2"]) == pytest.approx(chi2, rel=1e-6, abs=1e-6)
    assert abs(ours["g2"]) == pytest.approx(g2, rel=1e-12, abs=1e-12)
    assert ours["p_chi2"] == chi2_dist.sf(abs(ours["chi2"]), 1)  # the same p as scipy.stats, to the bit
    assert ours["p_g2"] == chi2_dist.sf(abs(ours["g2"]), 1)


big = st.integers(min_value=0, max_value=2_000_000)


@settings(max_examples=300, deadline=None)
@given(a=big, b=big, c=big, d=big)
def test_g2_is_exact_with_no_epsilon_in_the_log(a, b, c, d):
    """quanteda's log(O/E + 1e-9) added 2 N 1e-9 to every G2 (0.004 at N = 2e6); ours equals scipy's exact G2."""
    table = np.array([[a, b], [c, d]])
    if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
        return
    g2 = chi2_contingency(table, correction=False, lambda_="log-likelihood").statistic
    ours = keyness.keyness_2x2([a], [b], [c], [d], correction="none").loc[0, "g2"]
    rounding = 1e-14 * table.sum()  # a G2 near 0 is a difference of terms near N: scipy's may even be -8e-11
    assert abs(ours) == pytest.approx(abs(g2), rel=1e-12, abs=rounding)  # the epsilon's bias was 2 N 1e-9


@pytest.mark.parametrize("table", [[[1000, 1100], [999_000, 998_900]], [[3, 0], [1_000_000, 1_000_000]],
                                   [[0, 5], [40, 0]], [[1, 1], [1, 1]]])
def test_g2_equals_scipy_on_large_and_zero_cell_tables(table):
    (a, b), (c, d) = table
    g2 = chi2_contingency(np.array(table), correction=False, lambda_="log-likelihood").statistic
    assert abs(keyness.keyness_2x2([a], [b], [c], [d], correction="none").loc[0, "g2"]) == pytest.approx(
        g2, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("table", [[[3, 0], [200, 300]], [[1, 9], [400, 150]], [[0, 6], [300, 280]]])
def test_yates_corrected_g2_and_chi2_equal_scipy_where_the_rule_applies(table):
    """Where quanteda's rule applies Yates (an expected count below 5, |ad - bc| >= N/2), each cell moves
    0.5 towards its expected count, as scipy's chi2_contingency(correction=True) moves it."""
    (a, b), (c, d) = table
    ours = keyness.keyness_2x2([a], [b], [c], [d], correction="default").iloc[0]
    assert keyness._yates_delta(*(np.array([float(v)]) for v in (a, b, c, d)))[0] == 0.5
    g2 = chi2_contingency(np.array(table), correction=True, lambda_="log-likelihood").statistic
    chi2 = chi2_contingency(np.array(table), correction=True).statistic
    assert abs(ours["g2"]) == pytest.approx(g2, rel=1e-12)
    assert abs(ours["chi2"]) == pytest.approx(chi2, rel=1e-12)


# ----------------------------------------------------------------- choosing target and reference

def test_target_mask_by_group_document_and_dates():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["FT", "SCMP", "FT"],
                         "date": ["2017-07", "2021-12", "2024-05-22"]})
    assert keyness.target_mask(docs, column="outlet", value="FT").tolist() == [True, False, True]
    assert keyness.target_mask(docs, start="2021", end="2021").tolist() == [False, True, False]
    with pytest.raises(CorpuslabError, match="no document"):
        keyness.target_mask(docs, column="outlet", value="NYT")


def test_target_and_reference_auto_is_largest_group_or_latest_vs_earliest_period():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "party": ["D", "R", "R", None],
                         "date": ["2017-07", "2024-05-22", "2019", "2024"]})
    target, reference, name, ref_name = keyness.target_and_reference(docs, column="party")
    assert target.tolist() == [False, True, True, False] and reference is None
    assert (name, ref_name) == ("party R (2 documents)", "all other documents")
    target, reference, name, ref_name = keyness.target_and_reference(docs, column="period")
    assert target.tolist() == [False, True, False, True] and reference.tolist() == [True, False, False, False]
    assert (name, ref_name) == ("period 2024 (2 documents)", "period 2017 (1 document)")
    compared = keyness.target_and_reference(docs, column="party", target="D", reference="R")
    assert compared.target.tolist() == [True, False, False, False] and compared.reference.tolist()[1:3] == [True, True]
    with pytest.raises(CorpuslabError, match="allowed values of party: D, R"):
        keyness.target_and_reference(docs, column="party", target="NYT")
    with pytest.raises(CorpuslabError, match="frequency.keyness_column: got 'parti'"):
        keyness.target_and_reference(docs, column="parti")
    with pytest.raises(CorpuslabError, match="same as the target"):
        keyness.target_and_reference(docs.assign(date="2020"), column="period")
    with pytest.raises(CorpuslabError, match="at least two documents"):
        keyness.target_and_reference(docs.head(1), column="party")


def test_target_and_reference_by_date_range():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "date": ["2017-07", "2020", "2024-05-22"]})
    target, reference, _, _ = keyness.target_and_reference(docs, column="date", target="2024", reference="2017..2020")
    assert target.tolist() == [False, False, True] and reference.tolist() == [True, True, False]
    with pytest.raises(CorpuslabError, match="no document is dated"):
        keyness.target_and_reference(docs, column="date", target="1999")


def test_latest_and_earliest_take_every_document_of_that_period():
    docs = pd.DataFrame({"doc_id": list("abcde"), "date": ["1946", "1946", "2000", "2023", "2023"]})
    target, reference, name, ref_name = keyness.target_and_reference(docs, column="doc_id", target="latest",
                                                                     reference="earliest")
    assert target.tolist() == [False, False, False, True, True]
    assert reference.tolist() == [True, True, False, False, False]
    assert (name, ref_name) == ("period 2020–2023 (2 documents)", "period 1946–1949 (2 documents)")


# ---- keyness against a reference corpus given as counts ----

def test_keyness_against_counts_equals_keyness_between_groups_of_the_combined_corpus():

    target_texts = ["War and peace in the world. War again.", "Trade talks between nations; trade wins."]
    reference_texts = ["Peace talks, trade and the harvest.", "The harvest of the world", "nations meet"]
    X, terms = dtm(target_texts + reference_texts)
    mask = np.array([True, True, False, False, False])
    counts = lambda rows: pd.Series(np.asarray(X[rows].sum(axis=0)).ravel(), index=terms)  # noqa: E731
    for measure, correction in (("g2", "default"), ("chi2", "williams"), ("log_ratio", "none")):
        groups = keyness.keyness(X, terms, mask, measure=measure, correction=correction)
        against = keyness.keyness_against(counts(mask), counts(~mask), measure=measure, correction=correction)
        pd.testing.assert_frame_equal(groups, against, check_dtype=False)
    # a term absent from the reference is kept with count 0 there, as for groups
    assert against.set_index("term").loc["war", "count_reference"] == 0


def test_keyness_against_g2_equals_scipy_and_hand_computation():
    target = pd.Series({"sanctions": 40, "peace": 10, "the": 950})
    reference = pd.Series({"sanctions": 5, "peace": 30, "the": 1965})
    table = keyness.keyness_against(target, reference, correction="none").set_index("term")
    for term in target.index:
        a, b = target[term], reference[term]
        c, d = target.sum() - a, reference.sum() - b
        g2, _, _, _ = chi2_contingency([[a, b], [c, d]], correction=False, lambda_="log-likelihood")
        assert abs(table.loc[term, "g2"]) == pytest.approx(g2, rel=1e-12)
    # by hand: sanctions, N = 3000, E_target = 45 * 1000 / 3000 = 15
    n = 3000.0
    observed = [40, 5, 960, 1995]
    expected = [45 * 1000 / n, 45 * 2000 / n, 2955 * 1000 / n, 2955 * 2000 / n]
    by_hand = 2 * sum(o * np.log(o / e) for o, e in zip(observed, expected, strict=True))
    assert table.loc["sanctions", "g2"] == pytest.approx(by_hand, rel=1e-12) and by_hand > 0
    assert table.loc["peace", "g2"] < 0  # rarer in the target: negative, as in keyness()
    assert table.loc["sanctions", "log_ratio"] == pytest.approx(np.log2((40 / 1000) / (5 / 2000)))


def test_keyness_against_refuses_an_empty_side():
    with pytest.raises(CorpuslabError, match="reference_corpus"):
        keyness.keyness_against(pd.Series({"a": 0}), pd.Series({"a": 3}))


def test_retokenised_equals_tokenising_each_word_and_brown_is_the_shipped_list():
    from collections import Counter

    from corpuslab import tokens
    from corpuslab.resources import BROWN_REFERENCE

    brown = keyness.read_reference(BROWN_REFERENCE)
    assert int(brown.sum()) == 1_014_941 and brown["the"] == 69_971 and brown.index.is_unique
    sample = pd.concat([brown.head(300), brown.iloc[::97]])
    sample = sample[~sample.index.duplicated()]
    options = {"stopwords": tokens.stopword_list("english-extended"), "min_length": 2, "keep_numbers": False,
               "stem": "snowball"}
    expected = Counter()
    for word, count in sample.items():
        for token in tokens.tokenize(word, **options):
            expected[token] += count
    got = keyness.retokenised(sample, **options)
    assert got.to_dict() == dict(expected)


def test_shared_token_share():
    assert keyness.shared_token_share(pd.Series({"war": 3, "krieg": 1}), pd.Series({"war": 10})) == 0.75
    assert keyness.shared_token_share(pd.Series(dtype="int64"), pd.Series({"war": 1})) == 0.0
