"""Lexical diversity (TTR, Herdan's C, Yule's K, MATTR) and readability (Flesch reading ease) of texts.

:func:`lexical_diversity` and :func:`flesch` are the readable definitions for one text;
:func:`lexdiv` computes both for a whole corpus from its token stream (integer arrays,
:mod:`corpuslab._lexdiv_arrays`), with the same results.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import cache

import numpy as np
import pandas as pd

from corpuslab import _lexdiv_arrays
from corpuslab.kwic import KwicIndex
from corpuslab.tokens import NUMBER, normalise, term_ids, token_stream, tokenize


def lexical_diversity(tokens: list[str], *, window: int = 100) -> dict[str, float]:
    """TTR, Herdan's C, Yule's K and MATTR of one token list (quanteda's textstat_lexdiv formulas).

    MATTR averages the TTR of every ``window``-token window (Covington & McFall
    2010); with fewer tokens than ``window`` it equals TTR.

    >>> {k: round(v, 3) for k, v in lexical_diversity("one one two one one two one".split()).items()}
    {'n_tokens': 7, 'n_types': 2, 'ttr': 0.286, 'herdan_c': 0.356, 'yule_k': 4489.796, 'mattr': 0.286}
    """
    n = len(tokens)
    freq = Counter(tokens)
    v = len(freq)
    if n == 0:
        return {"n_tokens": 0, "n_types": 0, "ttr": np.nan, "herdan_c": np.nan, "yule_k": np.nan, "mattr": np.nan}
    spectrum = Counter(freq.values())
    yule_k = 1e4 * (sum(m * m * vm for m, vm in spectrum.items()) - n) / (n * n)
    if n <= window:
        mattr = v / n
    else:
        window_counts = Counter(tokens[:window])
        ttrs = [len(window_counts)]
        for i in range(window, n):
            window_counts[tokens[i]] += 1
            old = tokens[i - window]
            window_counts[old] -= 1
            if not window_counts[old]:
                del window_counts[old]
            ttrs.append(len(window_counts))
        mattr = float(np.mean(ttrs)) / window
    return {"n_tokens": n, "n_types": v, "ttr": v / n,
            "herdan_c": float(np.log(v) / np.log(n)) if n > 1 else np.nan, "yule_k": yule_k, "mattr": mattr}


_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    """Estimated syllables of an English word (vowel groups, silent final e; at least 1).

    >>> [syllables(w) for w in ["the", "ate", "breakfast", "syllable", "rhythm", "table"]]
    [1, 1, 2, 3, 1, 2]
    """
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    n = len(_VOWEL_GROUP.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
        n -= 1
    return max(1, n)


_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")


def _punctuated_sentences(text: str) -> int:
    """Sentences of ``text`` counted by terminal punctuation (at least 1)."""
    return max(1, len(_SENTENCE_END.findall(normalise(text).strip() + " ")))


def flesch(text: str, *, n_sentences: int | None = None) -> float:
    """Flesch (1948) reading ease: 206.835 - 1.015 words/sentence - 84.6 syllables/word.

    Higher is easier (60-70 plain English; 0-30 academic prose). Sentences are
    counted by terminal punctuation unless ``n_sentences`` (e.g. from
    :mod:`corpuslab.segment`) is given.

    >>> round(flesch("The cat in the hat ate breakfast."), 1)
    103.0
    """
    words = [t for t in tokenize(text, keep_numbers=False) if any(ch.isalpha() for ch in t)]
    if not words:
        return float("nan")
    if n_sentences is None:
        n_sentences = _punctuated_sentences(text)
    n_syllables = sum(syllables(w) for w in words)
    return 206.835 - 1.015 * len(words) / n_sentences - 84.6 * n_syllables / len(words)


def lexdiv(documents: pd.DataFrame, *, sentences: pd.DataFrame | None = None, window: int = 100,
           index: KwicIndex | None = None, **tokenize_options) -> pd.DataFrame:
    """Per document: doc_id, n_tokens, n_types, ttr, herdan_c, yule_k, mattr, flesch.

    The measures of :func:`lexical_diversity` and :func:`flesch`, computed for the
    whole corpus at once from its token stream (integer arrays, no Python per token).
    Diversity is measured on tokens from ``tokenize_options`` (pass no stopwords to
    measure every word); Flesch always reads every word, with the sentence counts
    of ``sentences`` (a :func:`corpuslab.segment.sentences` table) when given.
    ``index`` (:func:`corpuslab.kwic.kwic_index` of the same documents) lends its lower-cased tokens
    instead of finding them again; it is only read. Flesch is an English formula: documents whose
    ``language`` column names another language get none (NaN).
    """
    texts = cache(lambda: [t if isinstance(t, str) else "" for t in documents["text"]])  # made only if read
    languages = documents["language"].astype(str).tolist() if "language" in documents.columns else None
    stream = None
    if index is not None:
        lowered = (index.doc, index.ids, index.types)
    else:
        stream = token_stream(texts(), languages=languages)
        folded = stream.folded(True)
        lowered = (*folded.words(), folded.types)
        del folded
    if tokenize_options.get("phrases"):  # phrases join tokens across types: tokenise text by text
        found = [tokenize(t, **tokenize_options) for t in texts()]
        codes, _ = pd.factorize(pd.Series([t for tokens in found for t in tokens], dtype=object))
        doc = np.repeat(np.arange(len(documents)), [len(tokens) for tokens in found])
    else:
        if tokenize_options.get("lowercase", True):
            doc, words, types = lowered
        else:
            stream = stream or token_stream(texts(), languages=languages)
            (doc, words), types = stream.words(), stream.types
        ids, _ = term_ids(types, **tokenize_options)
        term = ids.astype(np.int32)[words] if len(ids) else np.zeros(0, dtype=np.int32)
        kept = term >= 0
        doc, codes = doc[kept], term[kept]
        del words, term, kept
    table = _lexdiv_arrays.diversity_in_blocks(doc, codes, len(documents), window)
    del doc, codes
    table.insert(0, "doc_id", documents["doc_id"].to_numpy())
    n_sent = sentences.groupby("doc_id").size() if sentences is not None else pd.Series(dtype="int64")
    table["flesch"] = _flesch_of_texts(*lowered, documents["doc_id"].map(n_sent).to_numpy(), texts)
    if languages is not None:
        table.loc[np.array(languages) != "en", "flesch"] = np.nan  # an English formula
    return table


def _flesch_of_texts(doc: np.ndarray, words: np.ndarray, types: np.ndarray, n_sentences: np.ndarray,
                     texts: Callable[[], list[str]]) -> np.ndarray:
    """:func:`flesch` of every text from its lower-cased word tokens (text number, type id) and the types
    (sentences counted by punctuation where ``n_sentences`` is missing: only then are the ``texts()`` read).
    Only reads its arrays."""
    is_word = np.fromiter((not NUMBER.match(t) and any(ch.isalpha() for ch in t) for t in types),
                          dtype=bool, count=len(types))
    n_syllables = np.fromiter((syllables(t) if w else 0 for t, w in zip(types, is_word)), dtype=np.int64,
                              count=len(types))
    n_words = np.bincount(doc, weights=is_word[words], minlength=len(n_sentences))  # per text, exact in float64
    n_syll = np.bincount(doc, weights=n_syllables[words], minlength=len(n_sentences))
    missing = pd.isna(n_sentences)
    counted = np.where(missing, 0, n_sentences).astype(float)
    if missing.any():
        counted[missing] = [_punctuated_sentences(t) for t, m in zip(texts(), missing) if m]
    with np.errstate(divide="ignore", invalid="ignore"):
        score = 206.835 - 1.015 * n_words / counted - 84.6 * n_syll / n_words
    return np.where(n_words > 0, score, np.nan)
