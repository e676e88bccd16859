"""Word embeddings (06_word_embeddings): word2vec vectors of the corpus, one model per seed, cached."""

from __future__ import annotations

from corpuslab.errors import CorpuslabError
from corpuslab.workflow.corpus import _languages, flat_tokenizer


def word_vectors(cfg: dict, sentences) -> tuple[list, int]:
    """word2vec vectors (:func:`corpuslab.embeddings.train`) of ``embeddings.n_seeds`` seeds from ``seed``, trained
    on a seeded sample of at most ``embeddings.max_tokens`` tokens of the ``sentences`` table, tokenised with the
    ``tokens.*`` params; and the number of tokens trained on. Cached by the sentences, the settings and the code.
    Raises :class:`~corpuslab.errors.CorpuslabError` when no word is frequent enough to train on."""
    import numpy as np

    from corpuslab import cache, embeddings

    options = flat_tokenizer(cfg, _languages(sentences))
    seeds = [cfg["seed"] + i for i in range(cfg["embeddings.n_seeds"])]

    def build() -> dict:
        chosen = embeddings.training_sentences(sentences["text"].tolist(), max_tokens=cfg["embeddings.max_tokens"],
                                               seed=cfg["seed"], **options)
        stored = {"n_tokens": np.array([sum(map(len, chosen))])}
        for i, seed in enumerate(seeds):
            vectors = embeddings.train(chosen, seed=seed)
            stored[f"words_{i}"], stored[f"vectors_{i}"] = np.array(vectors.index_to_key, dtype=str), vectors.vectors
        return stored

    parts = (cache.frame_digest(sentences, ["doc_id", "text"]), {**options, "stopwords": sorted(options["stopwords"])},
             cfg["embeddings.max_tokens"], seeds, embeddings.TRAINING)
    stored = cache.arrays("word_vectors", parts, build, code=("corpuslab.embeddings",))
    models = [embeddings.keyed_vectors(stored[f"words_{i}"].tolist(), stored[f"vectors_{i}"])
              for i in range(len(seeds))]
    return models, int(stored["n_tokens"][0])


def embedding_models(cfg: dict, sentences) -> tuple[list, int, str]:
    """:func:`word_vectors`, or no models, 0 tokens and the reason when the corpus is too small to train on."""
    try:
        models, n_tokens = word_vectors(cfg, sentences)
    except CorpuslabError as exc:
        return [], 0, str(exc)
    return models, n_tokens, ""
