"""Tests of corpuslab.topic_labels: FREX (against stm's definition), relevance, top terms, passages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpuslab import topic_labels


def test_frex_prefers_exclusive_frequent_terms():
    tt = np.array([[0.4, 0.4, 0.2], [0.05, 0.45, 0.5]])
    labels = topic_labels.topic_labels(tt, np.array(["a", "b", "c"]), np.array([0.3, 0.4, 0.3]), top_n=1)
    assert labels["prob"].tolist() == ["a", "c"]
    assert labels.loc[0, "frex"] == "a"  # as frequent as b in topic 1, and far more exclusive


def test_frex_ranks_ties_by_their_average_rank_as_stm():
    # stm's calcfrex ranks with data.table::frank (ties.method "average"); "max" gave [[0.667, 1], [1, 0.5]]
    assert topic_labels.frex(np.array([[0.5, 0.5], [0.9, 0.1]])).round(3).tolist() == [[0.6, 0.857], [1.0, 0.5]]


def _frex_by_stm(topic_term: np.ndarray, w: float) -> np.ndarray:
    """stm's calcfrex written out term by term: per topic,
    rank = number of terms below + half the ties (incl. itself) + 1/2."""
    excl = topic_term / topic_term.sum(axis=0, keepdims=True)

    def ecdf(row):
        return np.array([((row < x).sum() + ((row == x).sum() + 1) / 2) / len(row) for x in row])

    return np.array([1 / (w / ecdf(topic_term[t]) + (1 - w) / ecdf(excl[t])) for t in range(len(topic_term))])


@given(st.lists(st.lists(st.sampled_from([0.0, 0.1, 0.2, 0.5, 1.0]), min_size=4, max_size=4), min_size=2, max_size=4),
       st.sampled_from([0.0, 0.3, 0.5, 1.0]))
def test_frex_equals_stms_definition_on_tie_heavy_matrices(rows, w):
    tt = np.array(rows)
    tt[:, tt.sum(axis=0) == 0] = 0.1  # every term has some weight (stm's beta is never 0); zeros within a topic stay
    assert np.allclose(topic_labels.frex(tt, weight=w), _frex_by_stm(tt, w))


def test_relevance_lambda_one_is_probability_order():
    tt = np.array([[0.5, 0.3, 0.2]])
    r = topic_labels.relevance(tt, np.array([0.6, 0.1, 0.3]), lam=1.0)
    assert np.argsort(-r[0]).tolist() == [0, 1, 2]


def test_topic_terms_break_ties_by_term():
    table = topic_labels.topic_terms(np.array([[0.25, 0.25, 0.5]]), np.array(["b", "a", "c"]), top_n=3)
    assert table["term"].tolist() == ["c", "a", "b"]


def test_passages_are_the_units_most_devoted_to_each_topic():
    units = pd.DataFrame({"doc_id": ["a", "a", "b"], "unit_id": [0, 1, 0], "text": ["x", "y", "z"]})
    table = topic_labels.passages(np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]]), units, n=2)
    assert table[["topic", "rank", "text"]].values.tolist() == [[1, 1, "x"], [1, 2, "y"], [2, 1, "z"], [2, 2, "y"]]
    assert table.loc[0, "weight"] == pytest.approx(0.9)
