"""segment: paragraphs and abbreviation-safe sentences with offsets."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import cleaning, corpus, segment
from corpuslab.engine import Engine
from corpuslab.resources import BUNDLED_CORPUS


@pytest.mark.parametrize("text, expected", [
    ("The U.S. and China met. Talks ended.", ["The U.S. and China met.", "Talks ended."]),
    ("Mr. Putin spoke. Dr. Xi listened.", ["Mr. Putin spoke.", "Dr. Xi listened."]),
    ("On Jan. 5 they met. It rained.", ["On Jan. 5 they met.", "It rained."]),
    ("He ranked No. 1 in the poll. Then he fell.", ["He ranked No. 1 in the poll.", "Then he fell."]),
    ("Trade grew 3.5 per cent. Gas rose.", ["Trade grew 3.5 per cent.", "Gas rose."]),
    ("He said “We will win.” Nobody agreed.", ["He said “We will win.”", "Nobody agreed."]),
    ('He said "No. 1 is ours." Then left.', ['He said "No. 1 is ours."', "Then left."]),
    ("He said “No. 1 is ours.” Then left.", ["He said “No. 1 is ours.”", "Then left."]),
])
def test_sentences_survive_abbreviations_decimals_and_quotes(text, expected):
    assert [text[a:b] for a, b in segment.sentence_spans(text)] == expected


def test_paragraph_modes():
    text = "One\nTwo\n\nThree"
    assert [text[a:b] for a, b in segment.paragraph_spans(text, "line")] == ["One", "Two", "Three"]
    assert [text[a:b] for a, b in segment.paragraph_spans(text, "blank")] == ["One\nTwo", "Three"]


def test_unit_tables_keep_offsets_and_metadata():
    docs = cleaning.clean(corpus.load(BUNDLED_CORPUS))
    sents = segment.sentences(docs)
    paras = segment.paragraphs(docs)
    text = docs.set_index("doc_id")["text"]
    for table in (sents, paras):
        assert (table.apply(lambda r: text[r.doc_id][r.start:r.end] == r.text, axis=1)).all()
        assert "outlet" in table.columns and "raw_text" not in table.columns
        assert not table.duplicated(["doc_id", "unit_id"]).any()
    assert sents["paragraph_id"].max() < len(paras)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .\n\"“”?!U.S.Mr ")), max_size=200))
def test_sentences_map_back_and_cover_all_non_space_text(text):
    docs = pd.DataFrame({"doc_id": ["d"], "text": [text]})
    sents = segment.sentences(docs)
    for row in sents.itertuples():
        assert text[row.start:row.end] == row.text
    covered = "".join(sents["text"])
    assert "".join(text.split()) == "".join(covered.split())


def test_sentences_are_identical_on_every_engine(monkeypatch):
    from corpuslab import engine

    docs = cleaning.clean(corpus.load(BUNDLED_CORPUS))
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)
    assert segment.sentences(docs, engine=Engine("local", 2)).equals(segment.sentences(docs))
