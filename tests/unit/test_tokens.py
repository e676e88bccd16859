"""Tokeniser options: defaults unchanged, phrases, stemming, lemmatising, spans and runs."""

from __future__ import annotations

import pytest

from corpuslab import tokens
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


def test_tokenizer_from_params_reads_new_keys():
    from corpuslab import params

    cfg = params.defaults()
    cfg.update({"tokens.phrases": ["Xi Jinping"], "tokens.stem": "snowball", "tokens.lemmatize": False})
    options = tokens.tokenizer_from_params(cfg)
    assert tokens.tokenize("Xi Jinping relations", **options) == ["xi_jinping", "relat"]


def test_token_spans_index_original_text_and_runs_break_at_punctuation():
    text = "Moscow’s view, Beijing's"
    assert [text[a:b] for a, b in tokens.token_spans(text)] == ["Moscow’s", "view", "Beijing's"]
    assert tokens.token_runs(text) == [["moscow's", "view"], ["beijing's"]]


# ------------------------------------------------------------------ the fast DTM equals the token-by-token one

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from corpuslab import engine as _engine  # noqa: E402

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


def test_partitioned_dtm_equals_in_process(monkeypatch):
    from corpuslab.resources import BUNDLED_CORPUS
    from corpuslab import corpus

    texts = corpus.load(BUNDLED_CORPUS)["text"].tolist() * 3
    monkeypatch.setattr(_engine, "PARALLEL_MIN_CHARS", 0)
    X1, t1 = tokens.dtm(texts, n_jobs=1)
    X2, t2 = tokens.dtm(texts, n_jobs=2)
    assert list(t1) == list(t2) and (X1 != X2).nnz == 0


# ------------------------------------------------------------------ the compiled token stream equals the Python tokeniser

def _runs_of(stream: tokens.TokenStream) -> list[list[list[str]]]:
    """Per text, its runs of tokens, read back from a stream."""
    out, at = [], 0
    for n in stream.lengths:
        runs: list[list[str]] = [[]]
        for i in stream.ids[at:at + n]:
            if i == tokens.BREAK:
                runs.append([])
            else:
                runs[-1].append(stream.types[i])
        out.append([r for r in runs if r])
        at += n
    return out


_ASSIGNED = st.characters(blacklist_categories=("Cs", "Cn"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_ASSIGNED, max_size=40) | _TEXTS.map(" .,".join), min_size=1, max_size=5))
def test_token_stream_equals_token_runs_on_any_text(texts):
    for lowercase in (True, False):
        stream = tokens.token_stream(texts).folded(lowercase)
        assert _runs_of(stream) == [tokens.token_runs(t, lowercase=lowercase) for t in texts]
    with_spans = tokens.token_stream(texts, spans=True)
    words = with_spans.ids >= 0
    assert list(map(tuple, with_spans.spans[words].tolist())) == [s for t in texts for s in tokens.token_spans(t)]
    assert _runs_of(with_spans) == _runs_of(tokens.token_stream(texts))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(_ASSIGNED, max_size=40) | _TEXTS.map(" .,".join), min_size=1, max_size=5))
def test_cached_token_stream_is_the_stream(tmp_path, monkeypatch, texts):
    monkeypatch.setenv("CORPUSLAB_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("CORPUSLAB_CACHE", "off")
    fresh = tokens.token_stream(texts, spans=True)
    monkeypatch.setenv("CORPUSLAB_CACHE", "on")
    monkeypatch.setattr(tokens, "STREAM_CACHE_MIN_CHARS", 0)
    for spans in (False, True, True):  # built (with offsets) and stored, then read twice
        cached = tokens.token_stream(texts, spans=spans)
        assert cached.ids.tolist() == fresh.ids.tolist() and cached.lengths.tolist() == fresh.lengths.tolist()
        assert list(cached.types) == list(fresh.types)
        assert (cached.spans is None) if not spans else cached.spans.tolist() == fresh.spans.tolist()


def test_token_stream_of_a_large_corpus_is_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CORPUSLAB_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(tokens, "STREAM_CACHE_MIN_CHARS", 10)
    texts = ["Xi met Putin in Moscow.", "Sino-Russian ties, 2024."]
    first = tokens.token_stream(texts)
    monkeypatch.setattr(tokens, "_find_stream", lambda *a, **k: pytest.fail("tokenised again"))
    assert tokens.token_stream(texts, spans=True).ids.tolist() == first.ids.tolist()
    assert len(list(tmp_path.glob("token_stream-*.npz"))) == 1
    with pytest.raises(BaseException, match="tokenised again"):  # small inputs are tokenised, not cached
        tokens.token_stream(["short"])


def test_stream_pattern_equals_python_pattern_on_every_code_point():
    import re

    import polars as pl

    python = re.compile(tokens.TOKEN_PATTERN.pattern + r"|\S")  # a token, or one non-space character (a break)
    chars = [chr(i) for i in range(0x110000) if not 0xD800 <= i <= 0xDFFF]
    for prefix in ("a", "1", " "):  # after a letter, a digit, a space: is it a letter, a digit, a space?
        texts = [prefix + c for c in chars]
        found = pl.Series(texts).str.extract_all(tokens.stream_pattern()).to_list()
        assert found == [python.findall(t) for t in texts], prefix


def test_token_stream_in_chunks_is_the_same_stream(monkeypatch):
    from corpuslab.resources import BUNDLED_CORPUS
    from corpuslab import corpus

    texts = corpus.load(BUNDLED_CORPUS)["text"].tolist() * 2
    whole = tokens.token_stream(texts)
    monkeypatch.setattr(tokens, "CHUNK_CHARS", 5_000)
    chunked = tokens.token_stream(texts)
    assert _runs_of(chunked) == _runs_of(whole) and len(whole.types) == len(chunked.types)


def test_stopword_lists_are_nltks_with_straight_apostrophes():
    from nltk.corpus import stopwords

    from corpuslab.resources import use_vendored_nltk_data

    use_vendored_nltk_data()
    names = [n for n in stopwords.fileids() if n != "README"]
    assert {"english", "french", "russian"} <= set(names)
    for name in names:  # read from the zip, or (lists NLTK builds in code) from NLTK
        assert tokens.stopword_list(name) == {w.replace("\u2019", "'") for w in stopwords.words(name)}, name
    assert {"the", "don't", "itself"} <= tokens.stopword_list("english")
    assert tokens.stopword_list("english", ("Said",)) == tokens.stopword_list("english") | {"said"}


def test_unknown_stopword_list_names_the_lists_there_are():
    with pytest.raises(CorpuslabError, match="tokens.stopwords: got 'klingon'; allowed: none, or one of .*english"):
        tokens.stopword_list("klingon")
