"""embeddings: reproducible training, neighbours equal to gensim's, stability computed across seeds."""

import os
import subprocess
import sys

import numpy as np
import pytest

from corpuslab import embeddings
from corpuslab.errors import CorpuslabError

SMALL = {"vector_size": 16, "epochs": 10, "min_count": 1}


def random_corpus(n_sentences=300, n_words=200, length=10, seed=0):
    rng = np.random.default_rng(seed)
    return [[f"w{i}" for i in rng.integers(0, n_words, length)] for _ in range(n_sentences)]


def test_same_seed_gives_identical_vectors_and_another_seed_does_not():
    sentences = random_corpus()
    a, b = (embeddings.train(sentences, seed=7, **SMALL) for _ in range(2))
    c = embeddings.train(sentences, seed=8, **SMALL)
    assert a.index_to_key == b.index_to_key
    assert np.array_equal(a.vectors, b.vectors)
    assert not np.allclose(a.vectors, c.vectors)


def test_vectors_do_not_depend_on_the_python_hash_seed():
    code = ("import numpy as np, sys; from corpuslab import embeddings; "
            "s = [[f'w{i}' for i in np.random.default_rng(k).integers(0, 50, 8)] for k in range(100)]; "
            "kv = embeddings.train(s, seed=3, vector_size=8, epochs=2, min_count=1); "
            "sys.stdout.write(kv.vectors.tobytes().hex())")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert runs[0] == runs[1] and runs[0]


def test_words_in_identical_contexts_are_each_others_nearest_neighbours():
    rng = np.random.default_rng(1)
    contexts = [[f"c{i}" for i in rng.integers(0, 40, 4)] for _ in range(60)]
    sentences = [ctx[:2] + [slot] + ctx[2:] for ctx in contexts for slot in ("alpha", "beta")] * 20
    rng.shuffle(sentences)
    kv = embeddings.train(sentences, seed=3, vector_size=20, epochs=20, min_count=1, window=2)
    assert embeddings.nearest(kv, "alpha", top_n=1)["neighbour"].tolist() == ["beta"]
    assert embeddings.nearest(kv, "beta", top_n=1)["neighbour"].tolist() == ["alpha"]


def test_nearest_equals_gensims_most_similar():
    kv = embeddings.train(random_corpus(), seed=2, **SMALL)
    for term in ("w0", "w17", "w150"):
        ours = embeddings.nearest(kv, term, top_n=10)
        words, cosines = zip(*kv.most_similar(term, topn=10), strict=True)
        assert ours["neighbour"].tolist() == list(words)
        np.testing.assert_allclose(ours["cosine"], cosines, rtol=0, atol=1e-6)
        assert ours["rank"].tolist() == list(range(1, 11))


def test_stability_is_low_on_a_random_corpus_and_computed_from_the_neighbour_sets():
    models = [embeddings.train(random_corpus(), seed=s, **SMALL) for s in (1, 2, 3)]
    measured = embeddings.stability(models, top_n=10, n_terms=50)
    assert measured["n_terms"] == 50 and measured["jaccard_mean"] < 0.2
    table = embeddings.similar_words(models, ["w5"], top_n=10)
    sets = [set(embeddings.nearest(m, "w5")["neighbour"]) for m in models]
    expected = np.mean([embeddings.jaccard(sets[i], sets[j]) for i, j in ((0, 1), (0, 2), (1, 2))])
    assert table["jaccard_mean"].iloc[0] == pytest.approx(expected)
    for word, share in zip(table["neighbour"], table["seed_share"], strict=True):
        assert share == pytest.approx(sum(word in s for s in sets) / 3)
    assert (table["seed_share"] >= 1 / 3).all()


def test_identical_models_are_perfectly_stable_and_missing_terms_are_left_out():
    kv = embeddings.train(random_corpus(), seed=2, **SMALL)
    table = embeddings.similar_words([kv, kv], ["w3", "unknown"], top_n=5)
    assert table["term"].unique().tolist() == ["w3"]
    assert (table["seed_share"] == 1).all() and (table["jaccard_mean"] == 1).all()
    assert np.isnan(embeddings.similar_words([kv], ["w3"])["jaccard_mean"]).all()


def test_training_sentences_respects_the_cap_and_the_seed():
    texts = [f"word {i:03d} sentence." for i in range(100)]
    picked = embeddings.training_sentences(texts, max_tokens=30, seed=4, keep_numbers=True)
    assert sum(map(len, picked)) == 30
    assert picked == embeddings.training_sentences(texts, max_tokens=30, seed=4, keep_numbers=True)
    assert picked != embeddings.training_sentences(texts, max_tokens=30, seed=5, keep_numbers=True)
    numbers = [int(s[1]) for s in picked]
    assert numbers == sorted(numbers)  # corpus order kept
    with pytest.raises(CorpuslabError, match="max_tokens"):
        embeddings.training_sentences(texts, max_tokens=0, seed=1)


def test_too_small_corpus_raises_a_corpuslab_error():
    with pytest.raises(CorpuslabError, match="too small"):
        embeddings.train([["a", "b"], ["c", "d"]], seed=1)


def test_keyed_vectors_round_trip():
    kv = embeddings.train(random_corpus(), seed=2, **SMALL)
    back = embeddings.keyed_vectors(kv.index_to_key, kv.vectors)
    assert embeddings.nearest(back, "w1").equals(embeddings.nearest(kv, "w1"))
