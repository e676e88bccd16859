"""vader: VADER scores of a sentence, the documented input normalisation, and raw input exactly as the reference."""

import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import vader
from corpuslab.errors import CorpuslabError
from corpuslab.tokens import normalise


@pytest.mark.parametrize("straight, curly", [
    ("This doesn't look good.", "This doesn’t look good."),
    ("It isn't a success.", "It isn’t a success."),
    ("They won't help.", "They won’t help."),
])
def test_negation_with_straight_and_curly_apostrophes(straight, curly):
    assert vader.vader(straight)["compound"] == vader.vader(curly)["compound"]
    assert vader.vader(curly)["compound"] <= 0


def test_long_text_saturates_so_sentences_are_scored():
    """Why sentence level: a long mixed text's compound goes to ±1 while its sentences average near 0."""
    sentences = ["The talks were a great success.", "The sanctions were a terrible failure."] * 20
    whole = vader.vader(" ".join(sentences))["compound"]
    mean = np.mean([vader.vader(s)["compound"] for s in sentences])
    assert abs(whole) > 0.95 and abs(mean) < 0.2


def test_implementation_is_recorded():
    info = vader.implementation()
    assert info["name"] == "vaderSentiment" and info["version"] and len(info["lexicon_sha256"]) == 64


DECOMPOSED = unicodedata.normalize("NFD", "Café society is not a naïve success")
TRICKY_TEXTS = [
    "“great”", "It was “great”, they said", "‘good’ news", "This doesn’t look good.", "a “terrible” — failure",
    "—great", "great—", "a well‑known – and good – plan", "very\u00a0good\u202fnews\u2009indeed", "good\u00a0!",
    DECOMPOSED, "I love it 😀 “great” – isn’t it?", "Sad news 😢 but hope", "“😀”", "NOT\u00a0“GOOD”",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_raw_input_scores_exactly_as_vadersentiment(text):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    assert repr(vader.vader(text, vader_input="raw")) == repr(SentimentIntensityAnalyzer().polarity_scores(text))


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_normalised_input_scores_the_normalised_text_as_vadersentiment(text):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    assert repr(vader.vader(text)) == repr(SentimentIntensityAnalyzer().polarity_scores(normalise(text)))


def test_curly_quotes_change_the_score_as_documented():
    assert vader.vader("“great”")["compound"] == 0.6249
    assert vader.vader("“great”", vader_input="raw")["compound"] == 0.0
    assert vader.vader("—great", vader_input="raw")["compound"] == 0.0 < vader.vader("—great")["compound"]


def test_every_documented_substitution_is_the_one_applied():
    """The module docstring lists what normalisation changes: each listed character, and nothing else of them."""
    from corpuslab.tokens import _NORMALISE

    listed = {"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u2010": "-", "\u2011": "-",
              "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " "}
    assert {chr(k): v for k, v in _NORMALISE.items()} == listed
    for char, replacement in listed.items():
        assert vader.prepared(f"a{char}b") == f"a{replacement}b" and vader.prepared(f"a{char}b", "raw") == f"a{char}b"
        assert f"U+{ord(char):04X}" in vader.__doc__ or ord(char) in range(0x2010, 0x2013)  # a range is listed
    assert vader.prepared("e\u0301") == "é" and "NFC" in vader.__doc__


def test_unknown_input_setting_is_refused():
    with pytest.raises(CorpuslabError, match="sentiment.vader_input"):
        vader.vader("good", vader_input="cleaned")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("aé\u0301’“”–\u00a0 .😀")), max_size=12), max_size=6),
       st.sampled_from(vader.VADER_INPUTS))
def test_prepared_texts_equal_prepared_text_by_text(texts, vader_input):
    assert vader.prepared_texts(texts, vader_input).to_pylist() == [vader.prepared(t, vader_input) for t in texts]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab é😀 \t\n\x0b\x1c\x1f\x85\xa0\u2003\u2028\u3000\u200b")),
                        max_size=12), max_size=6))
def test_split_at_whitespace_equals_str_split(texts):
    import pyarrow as pa

    text, pieces = vader.split_at_whitespace(pa.array(texts, type=pa.large_string()))
    assert [p for _, p in sorted(zip(text.tolist(), pieces.to_pylist()), key=lambda tp: tp[0])] == \
        [p for t in texts for p in t.split()]
    assert text.tolist() == [i for i, t in enumerate(texts) for _ in t.split()]
