"""Tests of corpuslab.topic_labels: FREX, relevance, top terms, passages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corpuslab import topic_labels


def test_frex_prefers_exclusive_frequent_terms():
    tt = np.array([[0.4, 0.4, 0.2], [0.05, 0.45, 0.5]])
    labels = topic_labels.topic_labels(tt, np.array(["a", "b", "c"]), np.array([0.3, 0.4, 0.3]), top_n=1)
    assert labels["prob"].tolist() == ["a", "c"]
    assert labels.loc[0, "frex"] == "a"  # as frequent as b in topic 1, and far more exclusive


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
