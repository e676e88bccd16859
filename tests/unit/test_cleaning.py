"""cleaning: page furniture removed line by line, every removal reported with its rule."""

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpuslab import cleaning, corpus
from corpuslab.engine import Engine
from corpuslab.errors import CorpuslabError
from corpuslab.resources import BUNDLED_CORPUS, resolve_path


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


# Lines near the rules: their literals in either case, with characters re folds onto ASCII ones ("ſ", Kelvin "K",
# "ı", "İ"), non-ASCII text, digits, brackets and spaces around them.
SCREEN_PIECES = ["Advertisement", "advertisement ", "ADVERTISEMENT", "illustration:", "Opinion", "news", "NEWS.",
                 "EPA123 ", "epa", "Photo:", "photo credit:", "Getty Images", "/ pool", "/POOL", "©", "Copyright",
                 "all rights reserved", "All Rights Reserved.", "Reuse this content", "jump to comments section",
                 "Like", "Trending", "website powered by ", "12", "1234", "12345", "Sign up ", "newsletter",
                 "Subscribe ", "This article was first published ", "One response to ", "[…]", "3. […]",
                 "is ‘golden age’ of relations between berlin and beijing coming to an end?", "ſubscribe ", "li\u212ae",
                 "lıke", "İllustration:", "é", "’", " ", "  ", ".", "a", "The peace.", "(Applause.)", "x" * 30]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(SCREEN_PIECES), min_size=1, max_size=5).map("".join))
def test_line_screen_passes_every_line_a_rule_matches(line):
    rules = cleaning.read_rules()
    screen = cleaning._any_pattern(rules)
    assert isinstance(screen, cleaning._LineScreen)
    stripped = line.strip()
    if any(r.pattern.fullmatch(stripped) for r in rules if r.pattern is not None and not r.inline):
        assert screen.fullmatch(stripped), stripped


def test_line_screen_of_other_rules():
    """Anchors, a case-sensitive group, a literal no ASCII line holds: screened; a branch of unbounded length
    without a literal: the combined regex alone."""
    def rules(*patterns):
        return [cleaning.Rule(f"r{i}", re.compile(p, re.IGNORECASE), None, "") for i, p in enumerate(patterns)]

    other = rules(r"^menu$", r"(?-i:Top) stories.*", r"\d+ km", r".*«x»", r"ſign up .*")  # "ſ" matches "s", "S"
    screen = cleaning._any_pattern(other)
    assert isinstance(screen, cleaning._LineScreen)
    for line in ["menu", "MENU", "Top stories today", "top stories", "12 km", "say «x»", "Menu bar", "Sign up now"]:
        assert screen.fullmatch(line) or not any(r.pattern.fullmatch(line) for r in other)
    assert not screen.fullmatch("A long line of prose about nothing in particular.")
    assert isinstance(cleaning._any_pattern(rules(r"\w+\d+.*")), re.Pattern)


def test_cleaning_un_sample_with_the_screen_equals_rule_by_rule():
    speeches = pd.read_parquet(resolve_path("data/raw/ungdc-chn-rus-usa/speeches.parquet"), columns=["text"])
    rules = cleaning.read_rules()
    screen = cleaning._any_pattern(rules)
    for text in speeches["text"]:
        assert cleaning._clean_text(text, "", rules, screen) == cleaning._clean_text(text, "", rules)


def _common_lines_one_by_one(texts, min_share, min_docs):
    seen = {}
    for text in texts:
        for line in {line.strip() for line in text.split("\n")}:
            if line and len(line) <= cleaning.COMMON_LINE_MAX_CHARS:
                seen[line] = seen.get(line, 0) + 1
    return frozenset(line for line, n in seen.items() if n >= max(min_docs, min_share * len(texts)))


_line_parts = st.sampled_from(["(Applause.)", "Page", "A", "é", " ", "\t", "\r", "\x1c", "\u3000", "\xa0", "\u200b",
                               "x" * 190, "y" * 15])


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.lists(st.lists(_line_parts, max_size=4).map("".join), max_size=6).map("\n".join),
                      max_size=12),
       min_share=st.sampled_from([0.0, 0.05, 0.5]), min_docs=st.integers(1, 3))
def test_common_lines_equal_counting_stripped_lines_text_by_text(texts, min_share, min_docs):
    """Python's strip (U+001C and U+0085 are whitespace to it; U+200B is not), lines of 200 characters or fewer."""
    assert cleaning.common_lines(texts, min_share=min_share, min_docs=min_docs) \
        == _common_lines_one_by_one(texts, min_share, min_docs)
