"""Tokeniser options: defaults unchanged, phrases, stemming, lemmatising, spans and runs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpuslab import engine as _engine
from corpuslab import params, tokens
from corpuslab.engine import Engine
from corpuslab.errors import CorpuslabError


def test_default_behaviour_unchanged():
    assert tokens.tokenize("The U.S. and China’s co-operation, in 2024!") == \
        ["the", "u.s.", "and", "china's", "co-operation", "in", "2024"]


def test_phrases_join_before_stopwords_and_longest_first():
    text = "Xi Jinping and the Belt and Road; the Shanghai Cooperation Organisation met. Xi spoke."
    got = tokens.tokenize(text, stopwords=frozenset({"and", "the"}),
                          phrases=("Xi", "Xi Jinping", "Belt and Road", "Shanghai Cooperation Organisation"))
    assert got == ["xi_jinping", "belt_and_road", "shanghai_cooperation_organisation", "met", "xi", "spoke"]


def test_phrases_across_line_breaks_and_case():
    assert tokens.tokenize("XI\njinping", phrases=("Xi Jinping",)) == ["xi_jinping"]


def test_snowball_stemming_needs_no_data():
    assert tokens.tokenize("relations countries sanctioned", stem="snowball") == ["relat", "countri", "sanction"]


def test_lemmatising_with_simplemma_keeps_case_folding():
    assert tokens.tokenize("China's relations were better", lemmatize=True) == ["china", "relation", "be", "good"]


def test_bad_stemmer_is_a_user_error():
    with pytest.raises(CorpuslabError, match="tokens.stem"):
        tokens.tokenize("a", stem="porter2")


def test_token_spans_index_original_text_and_runs_break_at_punctuation():
    text = "Moscow’s view, Beijing's"
    assert [text[a:b] for a, b in tokens.token_spans(text)] == ["Moscow’s", "view", "Beijing's"]
    assert tokens.token_runs(text) == [["moscow's", "view"], ["beijing's"]]


# ------------------------------------------------------------------ the fast DTM equals the token-by-token one

_WORDS = st.sampled_from(["The", "the", "U.S.", "China’s", "china's", "co-operation", "2024", "3.5", "Running",
                          "runs", "ran", "a", "Σίσυφος", "ΟΔΟΣ", "İstanbul", "naïve", "don't", "--", "é", "x"])
_TEXTS = st.lists(st.lists(_WORDS, max_size=30).map(" ".join), min_size=1, max_size=6)
_OPTIONS = st.fixed_dictionaries({
    "lowercase": st.booleans(), "min_length": st.integers(1, 4),
    "stopwords": st.sampled_from([frozenset(), frozenset({"the", "a"})]),
    "keep_numbers": st.booleans(), "stem": st.sampled_from(["none", "snowball"]), "lemmatize": st.booleans()})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXTS, _OPTIONS)
def test_fast_dtm_equals_counting_tokenize_output(texts, options):
    X, terms = tokens.dtm(texts, **options)
    slow_X, slow_terms = tokens._dtm_by_tokens(texts, **options)
    assert list(terms) == list(slow_terms)
    assert (X != slow_X).nnz == 0


def test_dtm_counts_a_stream_found_before():
    texts = ["Xi met Putin.", "", "U.S. ties, U.S. trade"]
    stream = tokens.token_stream(texts, spans=True)
    X, terms = tokens.dtm(texts, stream=stream, min_length=2)
    X_plain, terms_plain = tokens.dtm(texts, min_length=2)
    assert list(terms) == list(terms_plain) and (X != X_plain).nnz == 0
    with pytest.raises(ValueError, match="holds 3 texts, not the 2 given"):
        tokens.dtm(texts[:2], stream=stream)


def test_partitioned_dtm_equals_in_process(monkeypatch):
    from corpuslab import corpus
    from corpuslab.resources import BUNDLED_CORPUS

    texts = corpus.load(BUNDLED_CORPUS)["text"].tolist() * 3
    monkeypatch.setattr(_engine, "PARALLEL_MIN_CHARS", 0)
    X1, t1 = tokens.dtm(texts)
    X2, t2 = tokens.dtm(texts, engine=Engine("local", 2))
    assert list(t1) == list(t2) and (X1 != X2).nnz == 0


def test_stopword_lists_are_nltks_with_straight_apostrophes():
    from nltk.corpus import stopwords

    from corpuslab.resources import use_vendored_nltk_data

    use_vendored_nltk_data()
    names = [n for n in stopwords.fileids() if n != "README"]
    assert {"english", "french", "russian"} <= set(names)
    for name in names:  # read from the zip, or (lists NLTK builds in code) from NLTK
        nltks = {w.replace("\u2019", "'") for w in stopwords.words(name)}
        if name == "english-extended":  # NLTK's list plus corpuslab's additions
            assert tokens.stopword_list(name) == nltks | set(tokens.extended_additions())
        else:
            assert tokens.stopword_list(name) == nltks, name
    assert {"the", "don't", "itself"} <= tokens.stopword_list("english")
    assert tokens.stopword_list("english", ("Said",)) == tokens.stopword_list("english") | {"said"}


def test_unknown_stopword_list_names_the_lists_there_are():
    with pytest.raises(CorpuslabError, match="tokens.stopwords: got 'klingon'; allowed: none, or one of .*english"):
        tokens.stopword_list("klingon")


# ------------------------------------------------------------------ offsets after Unicode normalisation

# Pieces NFC changes (decomposed accents, stacked marks of one combining class, Hangul jamo) or leaves
# as they are (ligatures), and the one-for-one substitutions (curly quotes, NBSP).
NORMALISING_PIECES = st.sampled_from([
    "Putin", "China", "and", "co-operation", "U.S.", "2024", "Cafe\u0301", "e\u0301", "\u0301", "\u0308",
    "a\u0308\u0301", "e\u0302\u0301", "o\u0303\u0308", "u\u0308\u0304", "\ufb01", "of\ufb01ce", "\u1100\u1161",
    "\u1100\u1161\u11a8", "\u1161", "\u11a8", "\uac00", "China\u2019s", "\u201cquoted\u201d", "\u2018", "\xa0",
    " ", " ", "\n", ".", "-", "'"])
NORMALISING_TEXTS = st.lists(NORMALISING_PIECES, max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(NORMALISING_TEXTS)
def test_spans_slice_the_original_text_to_the_normalised_token(text):
    normal, offsets = tokens.normalise_with_offsets(text)
    assert normal == tokens.normalise(text) and len(offsets) == len(normal) + 1 and offsets[-1] == len(text)
    found = tokens.TOKEN_PATTERN.findall(normal)
    spans = tokens.token_spans(text)
    assert len(spans) == len(found)
    for (a, b), token in zip(spans, found):
        assert tokens.normalise(text[a:b]) == token


def test_offsets_of_text_already_nfc_are_the_positions_themselves():
    normal, offsets = tokens.normalise_with_offsets("China’s\xa0ties")
    assert normal == "China's ties" and offsets == range(13)


def test_token_spans_after_a_decomposed_accent_index_the_text_as_given():
    text = "Cafe\u0301 Putin and China"
    assert [text[a:b] for a, b in tokens.token_spans(text)] == ["Cafe\u0301", "Putin", "and", "China"]


def test_default_stopwords_cover_contractions_and_modal_verbs():
    """Brown's top terms were "one, would, said, new, could" with NLTK's English list."""
    default = tokens.language_stopwords("en", params.BY_KEY["tokens.stopwords"].default)  # auto: English's own
    assert {"we're", "i'm", "that's", "would", "could", "may", "must", "shall", "they've"} <= default
    assert tokens.stopword_list("english") < default
    assert not {"said", "one", "new", "people"} & default  # content words stay


def test_extended_stopwords_change_browns_top_terms():
    import zipfile

    from corpuslab.resources import PROJECT_ROOT

    brown = PROJECT_ROOT.parent / "shared" / "nltk_data" / "corpora" / "brown.zip"
    if not brown.exists():
        pytest.skip("../shared/nltk_data/corpora/brown.zip is not here")
    with zipfile.ZipFile(brown) as z:
        names = sorted(n for n in z.namelist() if n.startswith("brown/c") and len(n.split("/")[-1]) == 4)
        texts = [" ".join(w.rsplit("/", 1)[0] for w in z.read(n).decode("utf-8").split()) for n in names]
    top = {}
    for name in ("english", "english-extended"):
        X, terms = tokens.dtm(texts, stopwords=tokens.stopword_list(name))
        top[name] = [terms[i] for i in np.asarray(X.sum(axis=0)).ravel().argsort()[::-1][:10]]
    assert {"would", "could"} <= set(top["english"])
    assert not {"would", "could", "may", "must"} & set(top["english-extended"])


def test_the_default_stopwords_need_no_nltk_import():
    """Importing NLTK costs a kernel about 3 s: the default lists are read from the vendored zip alone."""
    import subprocess
    import sys

    code = ("import sys; from corpuslab import tokens; tokens.stopword_list('english-extended'); "
            "tokens.language_stopwords('de'); print('nltk' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() \
        == "False"
