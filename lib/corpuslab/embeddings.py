"""Word embeddings trained on the corpus: which words are used alike, and how stable that answer is.

word2vec (Mikolov et al. 2013, gensim's implementation) on the corpus's own sentences, one worker
and a fixed seed so that a training is reproducible; several seeds, and the overlap of each term's
nearest neighbours between them (Antoniak & Mimno 2018: on small corpora the neighbours change
with the seed). Pure functions: sentences in, vectors and tidy tables out.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from corpuslab import tokens
from corpuslab.errors import CorpuslabError

TRAINING = {"vector_size": 100, "window": 5, "min_count": 5, "sg": 1, "negative": 5, "epochs": 5}
"""word2vec settings: skip-gram (better than CBOW for rare words on small corpora), gensim's other defaults."""


def stable_hash(text: str) -> int:
    """A hash of ``text`` that does not change between Python processes (``hash`` does, by PYTHONHASHSEED).

    gensim calls its ``hashfxn`` to seed word vectors in some code paths; with this one a training
    never depends on the interpreter's hash seed.

    >>> stable_hash("china")
    1626325540
    """
    return zlib.crc32(text.encode("utf-8"))


def training_sentences(texts: Sequence[str], *, max_tokens: int, seed: int, **tokenize_options) -> list[list[str]]:
    """The tokenised sentences word2vec trains on: a seeded random sample of ``texts`` (sentences), drawn until it
    holds ``max_tokens`` tokens (the last sentence may pass the cap; a smaller corpus: all of it), kept in their
    corpus order; sentences with fewer than two tokens left out.

    ``tokenize_options``: those of :func:`corpuslab.tokens.tokenize` (the corpus's lower-casing, stopwords, ...).
    Only the sampled sentences are tokenised, so the cost is set by ``max_tokens``, not by the corpus.

    >>> training_sentences(["A b c.", "D e.", "F"], max_tokens=100, seed=1)
    [['a', 'b', 'c'], ['d', 'e']]
    """
    if max_tokens < 1:
        raise CorpuslabError(f"embeddings.max_tokens: got {max_tokens}; allowed: an integer of at least 1")
    order = np.random.default_rng(seed).permutation(len(texts))
    chosen: list[tuple[int, list[str]]] = []
    total = 0
    for i in order:
        words = tokens.tokenize(texts[i] if isinstance(texts[i], str) else "", **tokenize_options)
        if len(words) < 2:
            continue
        chosen.append((int(i), words))
        total += len(words)
        if total >= max_tokens:
            break
    return [words for _, words in sorted(chosen, key=lambda pair: pair[0])]


def train(sentences: list[list[str]], *, seed: int, **settings):
    """A word2vec model's word vectors (gensim ``KeyedVectors``) trained on ``sentences`` with one worker and
    ``seed``: the same sentences and seed give the same vectors. ``settings`` override :data:`TRAINING`.

    Raises :class:`~corpuslab.errors.CorpuslabError` when no word occurs ``min_count`` times.
    """
    from gensim.models import Word2Vec

    options = {**TRAINING, **settings}
    counts = pd.Series([w for s in sentences for w in s], dtype=object).value_counts()
    if not (counts >= options["min_count"]).any():
        raise CorpuslabError(f"embeddings: no word occurs {options['min_count']} times in {len(sentences)} sentences; "
                             "the corpus is too small for word embeddings")
    model = Word2Vec(sentences, workers=1, seed=seed, hashfxn=stable_hash, **options)
    return model.wv


def keyed_vectors(words: Sequence[str], vectors: np.ndarray):
    """gensim ``KeyedVectors`` holding ``vectors`` (one row per word), e.g. read back from the cache."""
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(list(words), np.asarray(vectors, dtype=np.float32))
    return kv


def nearest(vectors, term: str, *, top_n: int = 10) -> pd.DataFrame:
    """The ``top_n`` words of highest cosine similarity to ``term`` (itself left out): rank, neighbour, cosine.

    The same words and values as gensim's ``most_similar`` (ties: the word first in the vocabulary).
    """
    unit = vectors.get_normed_vectors()
    cosine = unit @ unit[vectors.key_to_index[term]]
    cosine[vectors.key_to_index[term]] = -np.inf
    best = np.argsort(-cosine, kind="stable")[:top_n]
    return pd.DataFrame({"rank": np.arange(1, len(best) + 1), "neighbour": [vectors.index_to_key[i] for i in best],
                         "cosine": cosine[best].astype(float)})


def jaccard(a: set, b: set) -> float:
    """|a ∩ b| / |a ∪ b| (1.0 for two empty sets).

    >>> jaccard({"x", "y"}, {"y", "z"})
    0.3333333333333333
    """
    return len(a & b) / len(a | b) if a | b else 1.0


def similar_words(models: Sequence, terms: Sequence[str], *, top_n: int = 10) -> pd.DataFrame:
    """Each term's nearest neighbours in the first model, with their stability across all ``models`` (seeds).

    Returns term, rank, neighbour, cosine (in the first model), seed_share (share of models in whose
    top ``top_n`` the neighbour appears) and jaccard_mean (the term's mean Jaccard overlap of the top
    ``top_n`` sets over all pairs of models; NaN with one model). Terms missing from any model's
    vocabulary are left out.
    """
    if not models and len(terms):
        raise CorpuslabError("embeddings: no trained model; train at least one seed")
    rows = []
    for term in dict.fromkeys(terms):
        if not all(term in m.key_to_index for m in models):
            continue
        tables = [nearest(m, term, top_n=top_n) for m in models]
        sets = [set(t["neighbour"]) for t in tables]
        pairs = [jaccard(a, b) for a, b in combinations(sets, 2)]
        first = tables[0].assign(term=term)
        first["seed_share"] = [sum(w in s for s in sets) / len(sets) for w in first["neighbour"]]
        first["jaccard_mean"] = float(np.mean(pairs)) if pairs else np.nan
        rows.append(first)
    columns = ["term", "rank", "neighbour", "cosine", "seed_share", "jaccard_mean"]
    return pd.concat(rows, ignore_index=True)[columns] if rows else pd.DataFrame(columns=columns)


def stability(models: Sequence, *, top_n: int = 10, n_terms: int = 100) -> dict:
    """How stable the neighbours of the ``n_terms`` most frequent words are across ``models`` (seeds): the
    mean and the quartiles of the terms' mean pairwise Jaccard overlap of their top ``top_n`` neighbours.

    Returns a dict: n_terms, jaccard_mean, jaccard_q25, jaccard_q75 (NaN with fewer than two models).
    """
    common = [w for w in models[0].index_to_key[:n_terms] if all(w in m.key_to_index for m in models)]
    per_term = similar_words(models, common, top_n=top_n).groupby("term")["jaccard_mean"].first()
    values = per_term.to_numpy(dtype=float)
    if len(values) == 0 or np.isnan(values).all():
        return {"n_terms": len(values), "jaccard_mean": np.nan, "jaccard_q25": np.nan, "jaccard_q75": np.nan}
    return {"n_terms": len(values), "jaccard_mean": float(values.mean()),
            "jaccard_q25": float(np.quantile(values, 0.25)), "jaccard_q75": float(np.quantile(values, 0.75))}


def stability_summary(models: Sequence, *, n_tokens: int, min_tokens: int, top_n: int = 10) -> pd.DataFrame:
    """One row about a training: n_tokens (trained on), n_words (vocabulary), n_seeds, the :func:`stability` of
    the 100 most frequent words (n_terms, jaccard_mean, jaccard_q25, jaccard_q75), and reportable (at least
    ``min_tokens`` tokens and two or more seeds: the neighbour tables are shown)."""
    measured = stability(models, top_n=top_n) if models else \
        {"n_terms": 0, "jaccard_mean": np.nan, "jaccard_q25": np.nan, "jaccard_q75": np.nan}
    return pd.DataFrame([{"n_tokens": int(n_tokens), "n_words": len(models[0]) if models else 0,
                          "n_seeds": len(models), **measured,
                          "reportable": bool(models) and n_tokens >= min_tokens}])


def verdict(summary: pd.DataFrame, *, min_tokens: int, reason: str = "") -> str:
    """The sentence a reader sees about a training's :func:`stability_summary` (why the section skips, or how
    far its neighbours can be trusted)."""
    row = summary.iloc[0]
    if row["n_seeds"] == 0:
        return f"**Word embeddings are skipped.** {reason}"
    measured = (f"across {row['n_seeds']} seeds the 100 most frequent words share on average "
                f"{row['jaccard_mean']:.0%} of their top-10 neighbours (Jaccard; quartiles "
                f"{row['jaccard_q25']:.2f}–{row['jaccard_q75']:.2f})") if row["n_seeds"] > 1 else "one seed only"
    if not row["reportable"]:
        return (f"**Word embeddings are skipped: {row['n_tokens']:,} tokens is far too little text** (this section "
                f"needs {min_tokens:,}; `embeddings.min_tokens`). Trained anyway, {measured}: the neighbours "
                "would change with the random seed.")
    return f"Trained on {row['n_tokens']:,} tokens ({row['n_words']:,} words seen 5 times or more); {measured}."


def terms_to_show(models: Sequence, wanted: Sequence[str], *, n: int = 12) -> tuple[list[str], list[str]]:
    """The terms whose neighbours are listed, and the ``wanted`` ones missing from the vocabulary: ``wanted``
    (as given, else lower-cased) or, if empty, the ``n`` most frequent words of the training text."""
    if not models:
        return [], list(wanted)
    vocabulary = models[0].key_to_index
    if not wanted:
        return list(models[0].index_to_key[:n]), []
    found = [w if w in vocabulary else w.lower() for w in wanted]
    return [w for w in found if w in vocabulary], [w for w, f in zip(wanted, found, strict=True) if f not in vocabulary]
