"""workflow, corpus to dictionaries: params read, cache consulted, and the same tables as the analyses alone."""

import shutil

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpuslab import cleaning, corpus, dictionary, params, segment, tokens, workflow
from corpuslab.errors import CorpuslabError
from corpuslab.resources import BUNDLED_CORPUS


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CORPUSLAB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CORPUSLAB_CACHE", "on")
    return tmp_path / "cache"


def test_documents_keep_the_text_before_cleaning_only_if_asked(cache_dir):
    cfg = params.validate({})
    assert "raw_text" not in workflow.documents(cfg).columns
    with_raw = workflow.documents(cfg, raw_text=True)
    assert "raw_text" in with_raw.columns and len(cleaning.removed_lines(with_raw)) > 0
    assert with_raw.equals(cleaning.clean(corpus.load(BUNDLED_CORPUS)).assign(language="en"))  # + detected language
    with pytest.raises(CorpuslabError, match="raw_text=True"):
        cleaning.removed_lines(workflow.documents(cfg))


def test_documents_uncleaned_are_the_corpus_as_loaded(cache_dir):
    cfg = params.validate({"corpus.clean": False})
    assert workflow.documents(cfg).equals(corpus.load(BUNDLED_CORPUS).assign(language="en"))


def test_facts_are_remembered_until_a_file_changes(tmp_path, cache_dir, monkeypatch):
    folder = tmp_path / "corpus"
    shutil.copytree(BUNDLED_CORPUS, folder)
    cfg = params.validate({"corpus.path": str(folder)})
    first = workflow.corpus_facts(cfg)
    assert first == corpus.facts(corpus.load(folder)) and first["n_documents"] == 5
    real_load = corpus.load
    monkeypatch.setattr(corpus, "load", lambda *a, **k: pytest.fail("an unchanged corpus was read again"))
    assert workflow.corpus_facts(cfg) == first
    monkeypatch.setattr(corpus, "load", real_load)
    cleaned = workflow.documents(cfg)
    monkeypatch.setattr(corpus, "load", lambda *a, **k: pytest.fail("a cached corpus was read again"))
    assert workflow.documents(cfg).equals(cleaned) and "raw_text" not in cleaned.columns
    monkeypatch.setattr(corpus, "load", real_load)
    changed = sorted(folder.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more sentence.", encoding="utf-8")
    assert workflow.corpus_facts(cfg)["fingerprint"] != first["fingerprint"]


def test_facts_of_a_missing_corpus_name_the_path(tmp_path, cache_dir):
    with pytest.raises(CorpuslabError, match="does not exist"):
        workflow.corpus_facts(params.validate({"corpus.path": str(tmp_path / "nowhere")}))


def test_sentences_are_cached_and_equal_segmenting(cache_dir):
    cfg = params.validate({"segment.paragraphs": "blank"})
    documents = workflow.documents(cfg, raw_text=True)
    first = workflow.sentences(cfg, documents)
    assert first.equals(segment.sentences(documents.drop(columns="raw_text"), mode="blank"))
    assert workflow.sentences(cfg, documents.drop(columns="raw_text")).equals(first)
    assert len(list(cache_dir.glob("sentences-*.parquet"))) == 1


def test_tokenizer_reads_every_tokens_key():
    cfg = params.defaults()
    cfg.update({"tokens.phrases": ["Xi Jinping"], "tokens.stem": "snowball", "tokens.lemmatize": False})
    options = workflow.tokenizer(cfg)
    assert tokens.tokenize("Xi Jinping relations", **options) == ["xi_jinping", "relat"]


def test_dictionary_is_the_bundled_file_when_empty_and_resolves_relative_paths():
    a = workflow.dictionary({"dictionary.actors": ""}, "actors")
    assert a.source == dictionary.ACTORS and len(a.sha256) == 64
    t = workflow.dictionary({"dictionary.themes": "data/dictionaries/themes.yaml"}, "themes")
    assert "energy" in t


def test_dictionary_counts_come_from_cached_mentions(cache_dir, monkeypatch):
    cfg = params.validate({})
    actors = workflow.dictionary(cfg, "actors")
    units = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": [0, 1], "start": [0, 20],
                          "text": ["Xi Jinping met Putin.", "The U.S. and us."]})
    counts = workflow.dictionary_counts(cfg, units, actors, zeros=True)
    pd.testing.assert_frame_equal(counts, dictionary.count(units, actors, zeros=True))
    monkeypatch.setattr(dictionary, "mentions", lambda *a, **k: pytest.fail("matched again"))
    pd.testing.assert_frame_equal(workflow.dictionary_counts(cfg, units, actors, zeros=True), counts)
    assert len(list(cache_dir.glob("mentions-*.parquet"))) == 1


# ------------------------------------------------------------------ the cached token stream

_WORDS = st.sampled_from(["The", "U.S.", "China’s", "co-operation", "2024", "Σίσυφος", "naïve", "Cafe\u0301", "--"])
_ASSIGNED = st.characters(blacklist_categories=("Cs", "Cn"))
_TEXTS = st.lists(st.text(_ASSIGNED, max_size=40) | st.lists(_WORDS, max_size=20).map(" ".join), min_size=1, max_size=5)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_TEXTS)
def test_cached_token_stream_is_the_stream(cache_dir, monkeypatch, texts):
    cfg = params.validate({})
    fresh = tokens.token_stream(texts, spans=True)
    monkeypatch.setattr(workflow.corpus, "STREAM_CACHE_MIN_CHARS", 0)  # where token_stream reads it
    for spans in (False, True, True):  # built (with offsets) and stored, then read twice
        cached = workflow.token_stream(cfg, texts, spans=spans)
        assert cached.ids.tolist() == fresh.ids.tolist() and cached.lengths.tolist() == fresh.lengths.tolist()
        assert list(cached.types) == list(fresh.types)
        assert (cached.spans is None) if not spans else cached.spans.tolist() == fresh.spans.tolist()


def test_token_stream_of_a_large_corpus_is_read_from_the_cache(cache_dir, monkeypatch):
    cfg = params.validate({})
    monkeypatch.setattr(workflow.corpus, "STREAM_CACHE_MIN_CHARS", 10)  # where token_stream reads it
    texts = ["Xi met Putin in Moscow.", "Sino-Russian ties, 2024."]
    first = workflow.token_stream(cfg, texts)
    monkeypatch.setattr(tokens, "token_stream", lambda *a, **k: pytest.fail("tokenised again"))
    assert workflow.token_stream(cfg, texts, spans=True).ids.tolist() == first.ids.tolist()
    X, terms = workflow.dtm(cfg, texts)  # the DTM counts the cached stream
    expected_X, expected_terms = tokens._dtm_by_tokens(texts, **workflow.tokenizer(cfg))
    assert list(terms) == list(expected_terms) and (X != expected_X).nnz == 0
    assert len(list(cache_dir.glob("token_stream-*.npz"))) == 1
    with pytest.raises(BaseException, match="tokenised again"):  # small inputs are tokenised, not cached
        workflow.token_stream(cfg, ["short"])


def test_dtm_with_phrases_tokenises_text_by_text(cache_dir):
    cfg = params.validate({"tokens.phrases": ["Xi Jinping"]})
    X, terms = workflow.dtm(cfg, ["Xi Jinping met Putin.", "Xi spoke."])
    assert "xi_jinping" in list(terms) and X.shape == (2, len(terms))


@pytest.mark.parametrize("overrides", [{}, {"topics.unit": "sentence"}, {"segment.paragraphs": "blank"},
                                       {"tokens.stopwords": "none", "tokens.keep_numbers": True}])
def test_topic_units_of_a_large_corpus_are_cut_from_the_documents_stream(cache_dir, monkeypatch, overrides):
    """On a large corpus the units' counts come from the documents' cached stream, and equal the units' own."""
    from corpuslab.workflow import topics as workflow_topics

    cfg = params.validate({"corpus.path": "data/raw/ungdc-chn-rus-usa/speeches.parquet", **overrides})
    documents = workflow.documents(cfg).iloc[::3].reset_index(drop=True)
    plain = workflow.topic_matrix(documents, cfg)  # a small corpus: the units' texts tokenised
    monkeypatch.setattr(workflow.corpus, "STREAM_CACHE_MIN_CHARS", 0)  # now a large one
    units = workflow_topics.topic_units(documents, cfg)
    assert workflow_topics.cut_units(documents, units, workflow_topics.documents_stream(cfg, documents)) is not None
    cut = workflow.topic_matrix(documents, cfg)
    assert cut[0].equals(plain[0]) and cut[1].equals(plain[1])
    assert list(cut[3]) == list(plain[3]) and (cut[2] != plain[2]).nnz == 0


def test_dtm_of_a_large_corpus_is_counted_once_and_read_from_the_cache(cache_dir, monkeypatch):
    texts = ["Xi met Putin in Moscow.", "Sino-Russian ties, 2024.", "Der Krieg und die Welt."]
    languages = ["en", "en", "de"]
    cfg = params.validate({})
    expected_X, expected_terms = workflow.dtm(cfg, texts, languages=languages)  # small: counted, not cached
    assert not list(cache_dir.glob("dtm-*.npz"))
    monkeypatch.setattr(workflow.corpus, "STREAM_CACHE_MIN_CHARS", 10)
    for _ in range(2):  # counted and stored, then read
        X, terms = workflow.dtm(cfg, texts, languages=languages)
        assert list(terms) == list(expected_terms) and X.dtype == expected_X.dtype and (X != expected_X).nnz == 0
        monkeypatch.setattr(tokens, "dtm", lambda *a, **k: pytest.fail("counted again"))
    assert len(list(cache_dir.glob("dtm-*.npz"))) == 1
    with pytest.raises(BaseException, match="counted again"):  # other stopwords, other languages: another key
        workflow.dtm(params.validate({"tokens.stopwords": "none"}), texts, languages=languages)
    with pytest.raises(BaseException, match="counted again"):
        workflow.dtm(cfg, texts, languages=["en", "en", "en"])
