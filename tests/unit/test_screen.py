"""_screen: polars' screening of units before a dictionary entry's regex never drops a match."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import _screen, dictionary

_PIECES = st.sampled_from(["China", "CHINA", "china's", "Chinatown", "US", "us", "U.S.", "Sino-Russian", "Xi",
                           "Jinping", "Xi  Jinping", "\u0301", "\u212a", "\U00031350", "_", "-", "'", " ", "\n", ".",
                           "the West", "west", "Beijing", "é", "2024", "Russia"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=12).map("".join), min_size=1, max_size=5))
def test_screening_never_drops_a_match(texts):
    units = pd.DataFrame({"doc_id": ["a"] * len(texts), "unit_id": range(len(texts)), "text": texts})
    actors = dictionary.load(dictionary.ACTORS)
    screened = dictionary.mentions(units, actors)
    unscreened_screens = _screen.screens
    try:
        _screen.screens = lambda entry, unspaced=True: None  # every unit read by every entry's own pattern
        everything = dictionary.mentions(units, actors)
    finally:
        _screen.screens = unscreened_screens
    pd.testing.assert_frame_equal(screened, everything)


def test_screens_keep_the_units_an_entry_can_match():
    import polars as pl

    entry = dictionary.from_mapping({"US": ["US", "United States"]})["US"]
    texts = pl.Series(["the US said", "us and them", "the United Nations", "USA", "nothing"])
    assert _screen.candidates(texts, entry).tolist() == [0, 2]  # "US" whole and in capitals; "United" whole
    assert _screen.screens(dictionary.from_mapping({"X": {"terms": ["x"], "regex": ["y"]}})["X"]) is None
