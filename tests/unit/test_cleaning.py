"""cleaning: page furniture removed line by line, every removal reported with its rule."""

import pandas as pd
import pytest

from corpuslab import cleaning, corpus
from corpuslab.engine import Engine
from corpuslab.errors import CorpuslabError
from corpuslab.resources import BUNDLED_CORPUS


def test_cleaning_removes_furniture_and_keeps_original():
    docs = cleaning.clean(corpus.load(BUNDLED_CORPUS))
    removed = cleaning.removed_lines(docs)
    assert {"advertisement", "copyright", "photo_caption", "share_and_comments", "byline"} <= set(removed["rule"])
    joined = "\n".join(docs["text"])
    for furniture in ("Advertisement", "All rights reserved", "Photo Credit: Reuters", "Leave a comment",
                      "Website Powered by WordPress.com", "CommentsJump to comments section"):
        assert furniture not in joined
    assert "Advertisement" in docs.loc[docs["doc_id"] == "002_8c61eab635a33c70", "raw_text"].iloc[0]
    assert "stealthily scaling up their co-operation" in joined  # article text survives
    assert docs["n_lines_removed"].sum() == len(removed)


def test_clean_text_is_original_minus_removed_lines(tiny_corpus):
    docs = cleaning.clean(corpus.load(tiny_corpus))
    removed = cleaning.removed_lines(docs)
    for row in docs.itertuples():
        gone = set(removed.loc[removed["doc_id"] == row.doc_id, "text"])
        kept = [line.strip() for line in row.raw_text.split("\n") if line.strip() and line.strip() not in gone]
        assert [line.strip() for line in row.text.split("\n") if line.strip()] == kept


def test_cleaning_with_the_combined_screen_equals_rule_by_rule():
    rules = cleaning.read_rules()
    docs = corpus.load(BUNDLED_CORPUS)
    screen = cleaning._any_pattern(rules)
    assert screen is not None
    texts = list(docs["text"]) + ["Advertisement\nSame line\nSame line\nBy Jane Doe\nReal text.\n\n\nEnd"]
    for text in texts:
        for author in ("", "Jane Doe"):
            assert cleaning._clean_text(text, author, rules, screen) == cleaning._clean_text(text, author, rules)


def test_removed_lines_of_a_cleaned_table_without_raw_text_is_refused():
    cleaned = cleaning.clean(corpus.load(BUNDLED_CORPUS)).drop(columns="raw_text")
    with pytest.raises(CorpuslabError, match=r"workflow\.documents\(cfg, raw_text=True\)"):
        cleaning.removed_lines(cleaned)


def test_partitioned_cleaning_equals_in_process(monkeypatch):
    from corpuslab import engine

    docs = corpus.load(BUNDLED_CORPUS)
    monkeypatch.setattr(engine, "PARALLEL_MIN_CHARS", 0)
    pd.testing.assert_frame_equal(cleaning.clean(docs, engine=Engine("local", 2)), cleaning.clean(docs))
