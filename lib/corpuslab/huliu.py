"""The Hu & Liu (2004) opinion lexicon as a sentence score on VADER's −1…+1 scale.

Each positive word counts +1, each negative −1, flipped when a negator ("not", "never",
"doesn’t" …, VADER's list) stands within the :data:`NEGATION_WINDOW` tokens before it; the
sum x becomes x / √(x² + 15), as VADER normalises its compound score. Tokens are
:data:`corpuslab.tokens.TOKEN_PATTERN`'s, on normalised text (curly apostrophes straightened).
"""

from __future__ import annotations

import math
import zipfile
from functools import lru_cache
from itertools import chain

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from corpuslab.resources import NLTK_DATA_DIR
from corpuslab.tokens import TOKEN_PATTERN, normalise

NEGATION_WINDOW = 3  # a negator up to three tokens before an opinion word flips it (as VADER)
ALPHA = 15  # VADER's normalisation constant: x / sqrt(x² + 15)


LEXICON_ZIP = NLTK_DATA_DIR / "corpora" / "opinion_lexicon.zip"  # NLTK's vendored copy of the lexicon


@lru_cache(maxsize=1)
def opinion_words() -> tuple[frozenset[str], frozenset[str]]:
    """The lexicon's positive and negative words, read from NLTK's vendored copy as
    ``nltk.corpus.opinion_lexicon`` reads it (without importing NLTK, which takes seconds)."""
    with zipfile.ZipFile(LEXICON_ZIP) as archive:
        return tuple(frozenset(_lexicon_words(archive.read(f"opinion_lexicon/{side}-words.txt").decode("iso-8859-2")))
                     for side in ("positive", "negative"))


def _lexicon_words(text: str) -> list[str]:
    """The words of one lexicon file: every line, stripped, after the first block of non-blank lines (the
    readme) and the blank line that ends it (NLTK's ``OpinionLexiconCorpusReader``)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the text's final newline
    k = 0
    while k < len(lines) and not lines[k].strip():
        k += 1
    while k < len(lines) and lines[k].strip():
        k += 1
    return [line.strip() for line in lines[k + 1:]]


@lru_cache(maxsize=1)
def negators() -> frozenset[str]:
    """VADER's negation list."""
    from vaderSentiment.vaderSentiment import NEGATE

    return frozenset(NEGATE)


def is_negator(token: str) -> bool:
    """A lower-cased token in VADER's negation list, or ending in "n't"."""
    return token in negators() or token.endswith("n't")


def huliu(text: str) -> dict[str, float]:
    """Hu & Liu score of one sentence: compound, n_pos, n_neg (opinion words after negation).

    >>> huliu("This is not good.")["compound"] < 0 < huliu("This is good.")["compound"]
    True
    """
    positive, negative = opinion_words()
    tokens = [t.lower() for t in TOKEN_PATTERN.findall(normalise(text))]
    total, n_pos, n_neg = 0, 0, 0
    for i, token in enumerate(tokens):
        polarity = 1 if token in positive else -1 if token in negative else 0
        if not polarity:
            continue
        if any(is_negator(t) for t in tokens[max(0, i - NEGATION_WINDOW):i]):
            polarity = -polarity
        n_pos, n_neg = n_pos + (polarity > 0), n_neg + (polarity < 0)
        total += polarity
    return {"compound": total / math.sqrt(total * total + ALPHA) if total else 0.0, "n_pos": n_pos, "n_neg": n_neg}


CHUNK_TEXTS = 65_536  # texts scored at a time by :func:`huliu_scores`: keeps its arrays per token small


def huliu_scores(texts) -> pd.DataFrame:
    """:func:`huliu` of every text (compound, n_pos, n_neg), computed on their tokens (:func:`words`) a chunk
    of texts at a time. ``texts``: strings, or a pyarrow or pandas array of them.

    >>> huliu_scores(["This is not good.", "Good."])[["n_pos", "n_neg"]].values.tolist()
    [[0, 1], [1, 0]]
    """
    from corpuslab.vader import prepared_texts

    texts = prepared_texts(texts)
    return pd.concat([_chunk_scores(texts.slice(a, CHUNK_TEXTS)) for a in range(0, max(len(texts), 1), CHUNK_TEXTS)],
                     ignore_index=True)


def _chunk_scores(texts) -> pd.DataFrame:
    """:func:`huliu_scores` of normalised texts, all at once."""
    positive, negative = opinion_words()
    doc, ids, types = words(texts, normalised=True)
    type_polarity = np.fromiter((1 if t in positive else -1 if t in negative else 0 for t in types), dtype=np.int64,
                                count=len(types))
    negating = negators()  # is_negator, without a call per type
    type_negator = np.fromiter((t in negating or t.endswith("n't") for t in types), dtype=bool, count=len(types))
    polar = np.flatnonzero(type_polarity[ids])  # only these tokens can count
    polarity = type_polarity[ids[polar]]
    negated = np.zeros(len(polar), dtype=bool)
    for j in range(1, NEGATION_WINDOW + 1):  # a negator j tokens before a polar token, in the same text
        before = np.maximum(polar - j, 0)
        negated |= (polar >= j) & type_negator[ids[before]] & (doc[before] == doc[polar])
    polarity = np.where(negated, -polarity, polarity)
    doc = doc[polar]
    total = np.bincount(doc, weights=polarity, minlength=len(texts))
    with np.errstate(invalid="ignore"):
        compound = np.where(total != 0, total / np.sqrt(total * total + ALPHA), 0.0)
    return pd.DataFrame({"compound": compound,
                         "n_pos": np.bincount(doc, weights=polarity > 0, minlength=len(texts)).astype(np.int64),
                         "n_neg": np.bincount(doc, weights=polarity < 0, minlength=len(texts)).astype(np.int64)})


def words(texts, *, normalised: bool = False) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The text number and lower-cased word (an id into the list of distinct words) of every token of the texts,
    in reading order, as :func:`huliu` finds them: :data:`TOKEN_PATTERN` on the normalised text (``normalised``:
    the texts are normalised already, a pyarrow array).

    No token spans whitespace, so a text's tokens are those of its pieces between whitespace, one after the
    other: the pattern reads each distinct piece once (pyarrow splits the texts and finds the distinct pieces).

    >>> doc, ids, types = words(["Not good, U.S.", "", "don’t-stop"])
    >>> doc.tolist(), [types[i] for i in ids]
    ([0, 0, 0, 2], ['not', 'good', 'u.s.', "don't-stop"])
    """
    from corpuslab.vader import prepared_texts, split_at_whitespace

    piece_doc, pieces = split_at_whitespace(texts if normalised else prepared_texts(texts))
    encoded = pc.dictionary_encode(pieces)
    pieces = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    vocabulary: dict[str, int] = {}
    found = [[vocabulary.setdefault(t.lower(), len(vocabulary)) for t in TOKEN_PATTERN.findall(piece)]
             for piece in encoded.dictionary.to_pylist()]
    n_found = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    found_ids = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=int(n_found.sum()))
    n = n_found[pieces]  # tokens of each piece, in reading order
    occurrence = np.repeat(np.arange(len(pieces)), n)
    within = np.arange(len(occurrence)) - np.repeat(np.cumsum(n) - n, n)
    ids = found_ids[(np.cumsum(n_found) - n_found)[pieces][occurrence] + within]
    return piece_doc[occurrence], ids, list(vocabulary)
