"""workflow's reference keyness (Brown, none, a second corpus, a non-English corpus) and cached word vectors."""

import numpy as np
import pandas as pd
import pytest

from corpuslab import embeddings, keyness, params, tokens, workflow
from corpuslab.errors import CorpuslabError

ENGLISH = ["The sanctions on Russia and the war in Ukraine were discussed by the nations of the world.",
           "China and Russia signed a treaty of friendship and cooperation; the world watched."]


def test_reference_none_brown_and_a_non_english_corpus():
    X, terms = tokens.dtm(ENGLISH, **workflow.tokenizer(params.validate({})))
    table, why = workflow.keyness_reference(params.validate({"frequency.reference_corpus": "none"}), X, terms)
    assert table is None and "off" in why
    table, name = workflow.keyness_reference(params.validate({"frequency.min_count": 1}), X, terms)
    assert name == "the Brown corpus (1961)" and table["term"].iloc[0] in {"russia", "sanctions", "ukraine", "china"}
    assert table.set_index("term").loc["world", "count_reference"] > 0
    german = ["Die Sanktionen gegen Russland wurden von den Vereinten Nationen besprochen und abgelehnt."]
    X, terms = tokens.dtm(german, **workflow.tokenizer(params.validate({})))
    table, why = workflow.keyness_reference(params.validate({}), X, terms)
    assert table is None and "probably not in English" in why


def test_a_second_corpus_is_counted_with_the_same_tokeniser(tmp_path):
    folder = tmp_path / "second"
    folder.mkdir()
    texts = ["Peace and trade between the nations.", "The harvest was good, and trade grew."]
    for i, text in enumerate(texts):
        (folder / f"d{i}.txt").write_text(text, encoding="utf-8")
    cfg = params.validate({"frequency.reference_corpus": str(folder), "frequency.min_count": 1})
    options = workflow.tokenizer(cfg)
    X, terms = tokens.dtm(ENGLISH, **options)
    table, name = workflow.keyness_reference(cfg, X, terms)
    R, rterms = tokens.dtm(texts, **options)
    expected = keyness.keyness_against(pd.Series(X.sum(axis=0).A1, index=terms), pd.Series(R.sum(axis=0).A1,
                                       index=rterms), min_count=1)
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)
    assert name == "second (2 documents)"
    with pytest.raises(CorpuslabError, match="reference_corpus"):
        workflow.keyness_reference(params.validate({"frequency.reference_corpus": str(tmp_path / "nowhere")}), X, terms)


def test_word_vectors_are_cached_and_equal_to_a_fresh_training():
    rng = np.random.default_rng(0)
    words = [a + b for a in "bcdfg" for b in ("ar", "el", "is", "on", "ut", "ex", "ym", "oq")]  # 40 words
    sentences = pd.DataFrame({"doc_id": "a", "text": [" ".join(rng.choice(words, 8)) + "." for _ in range(400)]})
    cfg = params.validate({"embeddings.max_tokens": 2000, "embeddings.n_seeds": 2, "tokens.stopwords": "none"})
    models, n_tokens, why = workflow.embedding_models(cfg, sentences)
    again, _, _ = workflow.embedding_models(cfg, sentences)  # read from the cache
    chosen = embeddings.training_sentences(sentences["text"].tolist(), max_tokens=2000, seed=cfg["seed"],
                                           **workflow.tokenizer(cfg))
    fresh = embeddings.train(chosen, seed=cfg["seed"] + 1)
    assert why == "" and n_tokens == sum(map(len, chosen)) >= 2000 and len(models) == 2
    assert np.array_equal(again[1].vectors, fresh.vectors) and again[1].index_to_key == fresh.index_to_key
    empty, n_tokens, why = workflow.embedding_models(cfg, sentences.head(2))
    assert empty == [] and n_tokens == 0 and "too small" in why
