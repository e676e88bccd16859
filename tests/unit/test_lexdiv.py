"""Lexical diversity and readability: quanteda's values, and the corpus-wide arrays equal the definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import _lexdiv_arrays, kwic, lexdiv, tokens


@pytest.fixture
def docs():
    return pd.DataFrame({"doc_id": ["a", "b"],
                         "text": ["Sanctions on Russia. China’s sanctions policy differs.",
                                  "The Belt and Road\nInitiative; sanctioned banks."]})


def test_lexdiv_matches_quanteda():
    d = lexdiv.lexical_diversity("one one two one one two one".split())
    assert round(d["ttr"], 3) == 0.286
    assert round(d["herdan_c"], 3) == 0.356


def test_mattr_is_mean_window_ttr():
    words = list("aabcabcdde")
    d = lexdiv.lexical_diversity(words, window=4)
    expected = np.mean([len(set(words[i:i + 4])) / 4 for i in range(len(words) - 3)])
    assert d["mattr"] == pytest.approx(expected)


def test_flesch_matches_quanteda():
    assert lexdiv.flesch("The cat in the hat ate breakfast.") == pytest.approx(103, rel=0.01)


def test_lexdiv_table(docs):
    t = lexdiv.lexdiv(docs)
    assert list(t.columns) == ["doc_id", "n_tokens", "n_types", "ttr", "herdan_c", "yule_k", "mattr", "flesch"]


_LEXDIV_WORDS = st.sampled_from(["The", "the", "cat", "Cat", "sat", "2024", "U.S.", "china's", "beautiful", "a",
                                  "rhythm", "ΟΔΟΣ", "İstanbul", "²", ".", "!", "?", ",", "\n"])


@settings(max_examples=120, deadline=None)
@given(st.lists(st.lists(_LEXDIV_WORDS, max_size=40).map(" ".join), min_size=1, max_size=5),
       st.integers(1, 12), st.booleans(), st.sampled_from([frozenset(), frozenset({"the", "a"})]),
       st.sampled_from([(), ("the cat",)]), st.booleans())
def test_corpus_lexdiv_equals_the_per_document_measures(texts, window, lowercase, stopwords, phrases, with_sentences):
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    options = {"lowercase": lowercase, "stopwords": stopwords, "phrases": phrases}
    sentences = pd.DataFrame({"doc_id": ["d0", "d0", "d0"]}) if with_sentences else None
    table = lexdiv.lexdiv(docs, sentences=sentences, window=window, **options)
    pd.testing.assert_frame_equal(lexdiv.lexdiv(docs, sentences=sentences, window=window,
                                                index=kwic.kwic_index(docs), **options), table)
    for text, row in zip(texts, table.itertuples()):
        expected = lexdiv.lexical_diversity(tokens.tokenize(text, **options), window=window)
        for name, value in expected.items():
            assert getattr(row, name) == pytest.approx(value, nan_ok=True), name
        n_sentences = 3 if with_sentences and row.doc_id == "d0" else None
        assert row.flesch == pytest.approx(lexdiv.flesch(text, n_sentences=n_sentences), nan_ok=True)


def test_lexdiv_in_blocks_equals_in_one_go(monkeypatch):
    from corpuslab import corpus
    from corpuslab.resources import BUNDLED_CORPUS

    docs = corpus.load(BUNDLED_CORPUS)
    docs = pd.concat([docs, docs.assign(text="", doc_id=docs["doc_id"] + "-empty")], ignore_index=True)
    whole = lexdiv.lexdiv(docs, window=50)
    monkeypatch.setattr(_lexdiv_arrays, "BLOCK_TOKENS", 700)
    pd.testing.assert_frame_equal(lexdiv.lexdiv(docs, window=50), whole)
