"""The words that fired in VADER's scoring of many texts: packed per partition (:class:`Fired`) to cross
processes cheaply, and unpacked into one row per fired word of every unit (:func:`unpacked_valences`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Fired:
    """The words that fired in each of a run of texts, packed into a few arrays that cross processes cheaply:
    ``n_fired`` per text, then, text after text, each fired word's code into the sorted ``vocabulary`` (the
    lower-cased words) and its final valence."""

    n_fired: np.ndarray
    vocabulary: list[str]
    codes: np.ndarray
    valences: np.ndarray


def unpacked_valences(keys: pd.DataFrame, codes: np.ndarray, parts: list[Fired]) -> pd.DataFrame:
    """doc_id, unit_id, word, valence of every fired word of every unit (row of ``keys``), from the :class:`Fired`
    words of the distinct texts, part after part (``codes``: the distinct text of each unit)."""
    words = pd.Categorical(sorted(set().union(*(part.vocabulary for part in parts))))
    to_words = [words.categories.get_indexer(part.vocabulary).astype(np.int32) for part in parts]
    word = np.concatenate([to_word[part.codes] for to_word, part in zip(to_words, parts)])
    per_text = np.concatenate([part.n_fired for part in parts])
    values = np.concatenate([part.valences for part in parts])
    first = np.concatenate([[0], np.cumsum(per_text)[:-1]]).astype(np.int64)
    n = per_text[codes]  # fired words of each unit
    unit = np.repeat(np.arange(len(codes)), n)
    pair = np.repeat(first[codes] - np.concatenate([[0], np.cumsum(n)[:-1]]), n) + np.arange(int(n.sum()))
    return pd.DataFrame({"doc_id": keys["doc_id"].to_numpy()[unit], "unit_id": keys["unit_id"].to_numpy()[unit],
                         "word": pd.Categorical.from_codes(word[pair], words.categories),
                         "valence": values[pair]})
