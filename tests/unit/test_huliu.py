"""huliu: the Hu & Liu opinion lexicon with VADER's negation window and normalisation."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import huliu


def test_negation_flips_within_three_tokens():
    assert huliu.huliu("good")["compound"] > 0
    assert huliu.huliu("not good")["compound"] < 0
    assert huliu.huliu("not at all very good")["compound"] > 0  # negator four tokens back: no flip
    assert huliu.huliu("")["compound"] == 0.0


@pytest.mark.parametrize("straight, curly", [("This doesn't look good.", "This doesn’t look good."),
                                             ("It isn't a success.", "It isn’t a success.")])
def test_negation_with_straight_and_curly_apostrophes(straight, curly):
    assert huliu.huliu(straight) == huliu.huliu(curly) and huliu.huliu(curly)["compound"] < 0


_HULIU_WORDS = st.sampled_from(["good", "GOOD", "bad", "not", "never", "doesn't", "isn’t", "great", "terrible",
                                "the", "plan", ".", ",", "very", "wrong", "nor", "2024"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_HULIU_WORDS, max_size=25).map(" ".join), min_size=1, max_size=6))
def test_scores_on_the_token_stream_equal_the_sentence_by_sentence_score(texts):
    table = huliu.huliu_scores(texts)
    for text, row in zip(texts, table.itertuples()):
        expected = huliu.huliu(text)
        assert row.compound == pytest.approx(expected["compound"])
        assert (row.n_pos, row.n_neg) == (expected["n_pos"], expected["n_neg"])
