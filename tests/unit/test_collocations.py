"""Collocations against quanteda's published lambda and z, scipy's G2 and counting token runs by hand."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from corpuslab import _ngram_keys, collocations, tokens


def test_collocations_match_quanteda_lambda_and_z():
    texts = ["I like good ice cream.", "Me too!  I like good ice cream.", ""]
    table = collocations.collocations(texts, sizes=(2,), min_count=2)
    assert sorted(table["ngram"]) == ["good ice", "i like", "ice cream", "like good"]
    assert table["lambda"].round(6).tolist() == [4.317488] * 4
    assert table["z"].round(6).tolist() == [2.027787] * 4


def test_collocation_g2_and_pmi_against_independent_computation():
    texts = ["a b c a b d a b", "c d a b"]
    t = collocations.collocations(texts, sizes=(2,), min_count=1).set_index("ngram")
    # 10 bigrams: "a b" 4 times; "a" starts only those, "b" ends only those
    table = np.array([[4, 0], [0, 6]])
    g2 = chi2_contingency(table, correction=False, lambda_="log-likelihood").statistic
    assert t.loc["a b", "g2"] == pytest.approx(g2, rel=1e-12)
    assert t.loc["a b", "pmi_bits"] == pytest.approx(np.log2(4 / (4 * 4 / 10)))
    assert t.loc["a b", "t"] == pytest.approx((4 - 16 / 10) / 2)


def test_collocations_from_a_stream_equal_from_texts():
    texts = ["The belt and road initiative. The Belt and Road!", "Road and belt, belt and road."]
    stream = tokens.token_stream(texts, spans=True)
    assert collocations.collocations(texts, min_count=1, stream=stream).equals(
        collocations.collocations(texts, min_count=1))


def test_collocations_exclude_edges_and_trigrams():
    texts = ["the belt and road initiative. The belt and road initiative!"]
    t = collocations.collocations(texts, sizes=(2, 3), min_count=2, exclude=frozenset({"the", "and"}))
    assert "belt and road" in set(t["ngram"]) and "road initiative" in set(t["ngram"])
    assert not any(g.startswith(("the ", "and ")) or g.endswith((" the", " and")) for g in t["ngram"])
    assert "initiative the" not in set(t["ngram"])  # never across a full stop


WORDS = st.lists(st.sampled_from(["the", "belt", "road", "and", "Road", "x", ".", ",", "!"]), max_size=40).map(" ".join)


def _grams_by_hand(texts):
    return {n: Counter(tuple(run[i:i + n]) for text in texts for run in tokens.token_runs(text)
                       for i in range(len(run) - n + 1)) for n in (2, 3)}


@settings(max_examples=80, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=5), st.integers(1, 3))
def test_collocation_counts_equal_counting_runs_by_hand(texts, min_count):
    grams = _grams_by_hand(texts)
    table = collocations.collocations(texts, sizes=(2, 3), min_count=min_count, exclude=frozenset({"the"}))
    expected = {(" ".join(g), n, c) for n, counts in grams.items() for g, c in counts.items()
                if c >= min_count and "the" not in (g[0], g[-1])}
    assert set(zip(table["ngram"], table["size"], table["count"])) == expected
    for row in table.itertuples():  # pmi from the marginals: P(word at position i) over all n-grams of that size
        counts = grams[row.size]
        total, words = sum(counts.values()), row.ngram.split()
        marginals = [sum(c for g, c in counts.items() if g[i] == w) / total for i, w in enumerate(words)]
        assert row.pmi_bits == pytest.approx(np.log2(row.count / (total * np.prod(marginals))))


@settings(max_examples=80, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=5))
def test_bigram_g2_equals_scipy_on_its_2x2_table(texts):
    """A bigram's G2 is that of its 2x2 table (first word or not x second word or not) against
    independence: exact, zero cells included."""
    bigrams = _grams_by_hand(texts)[2]
    total = sum(bigrams.values())
    for row in collocations.collocations(texts, sizes=(2,), min_count=1).itertuples():
        w1, w2 = row.ngram.split()
        a = bigrams[(w1, w2)]
        first = sum(c for g, c in bigrams.items() if g[0] == w1)
        second = sum(c for g, c in bigrams.items() if g[1] == w2)
        table = np.array([[a, first - a], [second - a, total - first - second + a]])
        if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
            assert row.g2 == pytest.approx(0.0, abs=1e-12)  # independent by construction
            continue
        g2 = chi2_contingency(table, correction=False, lambda_="log-likelihood").statistic
        assert row.g2 == pytest.approx(g2, rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=60), st.integers(1, 4))
def test_packed_key_counts_equal_a_counter(keys, min_count):
    keys = np.array(keys, dtype=np.int64)
    found, counts = _ngram_keys.frequent_keys(keys, min_count)
    expected = sorted((k, c) for k, c in Counter(keys.tolist()).items() if c >= min_count)
    assert list(zip(found.tolist(), counts.tolist())) == expected
    wanted = np.array([0, 3, 9], dtype=np.int64)
    assert _ngram_keys.count_keys(keys, wanted).tolist() == [keys.tolist().count(w) for w in wanted]


def _agreement_by_hand(ids, n, min_count, excluded):
    """Every window of n ids without a break, the frequent ones not starting or ending with an excluded id
    (sorted), and for each subset of positions how many windows agree with each of those there."""
    windows = [w for w in zip(*(ids[i:] for i in range(n))) if min(w) >= 0]
    counts = Counter(windows)
    chosen = sorted(g for g, c in counts.items() if c >= min_count and not excluded[g[0]] and not excluded[g[-1]])
    subsets = [s for k in range(n + 1) for s in combinations(range(n), k)]
    return chosen, {s: [sum(all(w[i] == g[i] for i in s) for w in windows) for g in chosen] for s in subsets}


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(-1, 5), max_size=60), st.integers(2, 3), st.integers(1, 3),
       st.lists(st.booleans(), min_size=6, max_size=6))
def test_agreement_counts_equal_counting_windows_by_hand(ids, n, min_count, excluded):
    ids, excluded = np.array(ids, dtype=np.int32), np.array(excluded)
    chosen, at_least, total = _ngram_keys.agreement_counts(ids, n, 6, min_count=min_count, excluded=excluded)
    expected_chosen, expected = _agreement_by_hand(ids.tolist(), n, min_count, excluded)
    assert [tuple(g) for g in chosen.tolist()] == expected_chosen
    assert {s: v.tolist() for s, v in at_least.items()} == expected
    assert total == sum(min(w) >= 0 for w in zip(*(ids[i:].tolist() for i in range(n))))
