"""Keywords in context: offsets into the original text, matching kinds, sorting, and a shared index."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corpuslab import kwic, tokens
from corpuslab.errors import CorpuslabError


@pytest.fixture
def docs():
    return pd.DataFrame({"doc_id": ["a", "b"],
                         "text": ["Sanctions on Russia. China’s sanctions policy differs.",
                                  "The Belt and Road\nInitiative; sanctioned banks."]})


def test_kwic_offsets_and_original_text(docs):
    hits = kwic.kwic(docs, "sanction*", kind="glob", window=2)
    assert hits[["doc_id", "keyword"]].values.tolist() == [["a", "Sanctions"], ["a", "sanctions"], ["b", "sanctioned"]]
    for doc_id, start, end, keyword in zip(hits["doc_id"], hits["start"], hits["end"], hits["keyword"]):
        assert docs.set_index("doc_id").loc[doc_id, "text"][start:end] == keyword
    assert hits.loc[1, "left"] == "Russia. China’s"


def test_kwic_phrase_regex_and_sort(docs):
    phrase = kwic.kwic(docs, "belt and road initiative", window=1)
    assert phrase.loc[0, "keyword"] == "Belt and Road\nInitiative"
    rx = kwic.kwic(docs, r"sanction(s|ed)", kind="regex", window=1, sort="right")
    assert rx["right"].tolist() == ["banks", "on", "policy"]
    by_left = kwic.kwic(docs, "sanction*", kind="glob", window=1, sort="left")
    assert by_left["left"].tolist() == ["", "China’s", "Initiative;"]


def test_kwic_errors(docs):
    with pytest.raises(CorpuslabError, match="kwic kind"):
        kwic.kwic(docs, "x", kind="fuzzy")
    with pytest.raises(CorpuslabError, match="regular expression"):
        kwic.kwic(docs, "(", kind="regex")
    with pytest.raises(CorpuslabError, match="spans=True"):
        kwic.kwic_index(docs, stream=tokens.token_stream(docs["text"]))


def _bundled():
    from corpuslab import corpus
    from corpuslab.resources import BUNDLED_CORPUS

    return corpus.load(BUNDLED_CORPUS)


def test_kwic_with_a_prebuilt_index_equals_kwic_alone():
    docs = _bundled()
    index = kwic.kwic_index(docs, stream=tokens.token_stream(docs["text"], spans=True))
    for query, kind in [("sanction*", "glob"), ("xi jinping", "phrase"), ("russia.*", "regex")]:
        pd.testing.assert_frame_equal(kwic.kwic(docs, query, kind=kind, window=4, index=index),
                                      kwic.kwic(docs, query, kind=kind, window=4))


def test_lexdiv_leaves_a_shared_index_unchanged():
    """01 builds one index for KWIC, its explorer and lexdiv: after Run All, the explorer's search for
    "freedom" showed "the" and "Russian" as keywords, because lexdiv sorted the index's token ids in place."""
    from corpuslab import lexdiv

    docs = _bundled()
    index = kwic.kwic_index(docs)
    lexdiv.lexdiv(docs, lowercase=True, index=index)
    lexdiv.lexdiv(docs, lowercase=False, stopwords=frozenset({"the"}), index=index)
    for query in ["freedom", "sanction*", "xi jinping"]:
        pd.testing.assert_frame_equal(kwic.kwic(docs, query, kind="glob", index=index),
                                      kwic.kwic(docs, query, kind="glob", index=kwic.kwic_index(docs)))


def test_kwic_index_is_read_only():
    index = kwic.kwic_index(pd.DataFrame({"doc_id": ["a"], "text": ["Xi met Putin."]}))
    for array in (index.doc, index.ids, index.spans, index.types):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = array[0]
    assert np.sort(index.ids).tolist() == [0, 1, 2]  # a sorted copy is fine


def test_no_hits_sorted_by_right_context_is_an_empty_table():
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["Hello world."]})
    assert kwic.kwic(docs, ["china"], sort="right").empty
