"""A mixed-language corpus through the CLI, as a new user runs it: the UDHR in English, German, French, Russian
and Chinese (tests/fixtures/udhr) with corpus.language auto. The report completes, detects every document's
language, lists the languages in 00, and shows top terms and keyness per language, in each language's words."""

from __future__ import annotations

import pandas as pd

from corpuslab.resources import PROJECT_ROOT

from .test_own_corpus import page_text, read, run_report

UDHR = PROJECT_ROOT / "tests" / "fixtures" / "udhr"


def test_a_five_language_corpus_gets_a_language_column_and_per_language_views(tmp_path):
    run = run_report(tmp_path / "reports", "--set", f"corpus.path={UDHR}", "--set", "groups=[language]")
    languages = read(run, "corpus_languages")
    assert sorted(languages["language"]) == ["de", "en", "fr", "ru", "zh"]
    assert (languages["n_documents"] == 31).all() and (languages["n_tokens"] > 0).all()
    assert "5 languages" in page_text(run, "00_corpus")
    by_group = read(run, "top_terms_by_group")
    top = by_group[by_group["rank"] == 1].set_index("group")["term"].to_dict()
    assert top == {"de": "recht", "en": "right", "fr": "droit", "ru": "право", "zh": "人人"}, top
    assert not set(by_group.loc[by_group["group"] == "zh", "term"]) & {"的", "和", "了"}  # Chinese stopwords
    assert all(len(t) <= 6 for t in by_group.loc[by_group["group"] == "zh", "term"])  # words, not sentences
    lexdiv = read(run, "lexdiv").merge(pd.read_csv(UDHR / "metadata.csv"), on="doc_id")
    assert (lexdiv.loc[lexdiv["true_language"] != "en", "flesch"] == "").all()  # English only
