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


def test_opinion_words_equal_nltks_reader():
    """The lexicon read straight from the vendored zip equals what ``nltk.corpus.opinion_lexicon`` reads."""
    from nltk.corpus import opinion_lexicon

    from corpuslab.resources import use_vendored_nltk_data

    use_vendored_nltk_data()
    positive, negative = huliu.opinion_words()
    assert positive == frozenset(opinion_lexicon.positive()) and negative == frozenset(opinion_lexicon.negative())
    assert len(positive) == 2006 and len(negative) == 4783


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.sampled_from(["not", "never", "isn't", "doesnt", "nor", "without", "good", "n't", "despite"]),
                 st.text(max_size=8)))
def test_negators_are_vaders_negation_list(word):
    from vaderSentiment.vaderSentiment import NEGATE

    assert huliu.is_negator(word) == (word in list(NEGATE) or word.endswith("n't"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("aZé\u0301'’-.,2 \t\n\x1c\u2003\u00a0—İ")), max_size=30),
                max_size=6))
def test_words_are_the_pattern_tokens_of_the_normalised_texts(texts):
    """Pieces between whitespace, read once each, give every text's tokens as the pattern finds them in it."""
    from corpuslab.tokens import TOKEN_PATTERN, normalise

    doc, ids, types = huliu.words(texts)
    for i, text in enumerate(texts):
        assert [types[k] for k in ids[doc == i]] == [t.lower() for t in TOKEN_PATTERN.findall(normalise(text))]


def test_no_texts_score_an_empty_table():
    assert huliu.huliu_scores([]).columns.tolist() == ["compound", "n_pos", "n_neg"] and not len(huliu.huliu_scores([]))
