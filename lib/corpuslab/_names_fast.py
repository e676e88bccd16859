"""The counts behind :func:`corpuslab.names.frequent_names`, a few regex passes per document instead of
Python per sentence. Private: :mod:`corpuslab.names` is the public face and :func:`corpuslab.names.name_counts`
the plain reference these counts are tested against (``tests/unit/test_names.py``).

A document's units are joined with NUL, which neither a name nor a word can cross (NUL is neither a word
character nor white space). One ``findall`` finds every capitalised run; a second finds the runs that start a
unit (NUL, then only characters the reference strips before a first word), whose first word is dropped; each
distinct run is cleaned once. Units that contain NUL themselves go through the reference. Lower-case words
are counted apart, and only the few that decide whether a one-word name is kept (:func:`lower_counts`).
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

_SEPARATOR = "\x00"


def name_counts(units: pd.DataFrame) -> tuple[Counter, dict[str, int]]:
    """:func:`corpuslab.names.name_counts` of ``units`` but the lower-case words (counted only where needed:
    :func:`lower_counts`): matches per name and the number of documents per name."""
    from corpuslab import names

    first = re.compile(rf"{_SEPARATOR}[{re.escape(names._LEAD)}]*({names._NAME.pattern})")
    keys, values, sizes = [], [], []  # per document: its distinct runs (those starting a unit as 1-tuples), counts
    for joined, n_units in _joined_by_document(units):
        if joined.count(_SEPARATOR) != n_units:  # a unit holds a NUL itself
            counts, docs, _ = names.name_counts(units)
            return counts, {name: len(found) for name, found in docs.items()}
        runs = Counter(names._NAME.findall(joined))  # every run, those that start a unit too (the same match)
        starting = Counter(first.findall(joined))
        runs.subtract(starting)
        keys += runs
        keys += ((run,) for run in starting)
        values += runs.values()
        values += starting.values()
        sizes.append(len(runs) + len(starting))
    return _by_name(keys, np.array(values, dtype="int64"), np.repeat(np.arange(len(sizes)), sizes))


def _by_name(keys: list, values: np.ndarray, docs: np.ndarray) -> tuple[Counter, dict[str, int]]:
    """Matches and documents per name from each document's runs (``keys``, a run that starts a unit a 1-tuple:
    it loses its first word), their counts ``values`` and document numbers ``docs``; each run cleaned once."""
    from corpuslab import names

    codes, runs = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=False)
    cleaned = [names._clean(run[0].partition(" ")[2] if isinstance(run, tuple) else run) for run in runs]
    named, labels = pd.factorize(pd.Series(cleaned, dtype=object), use_na_sentinel=False)
    name = named[codes]
    kept = (values > 0) & np.array([len(label) >= 2 for label in labels], dtype=bool)[name]
    name, values, docs = name[kept], values[kept], docs[kept]
    n_matches = np.bincount(name, weights=values, minlength=len(labels)).astype("int64")  # exact below 2**53
    width = docs.max(initial=0) + 1  # a (name, document) pair as one number
    n_docs = np.bincount(np.unique(name * width + docs) // width, minlength=len(labels))
    present = np.flatnonzero(n_docs)
    return (Counter({labels[i]: int(n_matches[i]) for i in present}),
            {labels[i]: int(n_docs[i]) for i in present})


def lower_counts(units: pd.DataFrame):
    """A function of a set of words that gives how often each is a lower-case word of ``units`` (a ``\\w+``
    token that is lower case), as :func:`corpuslab.names.name_counts` counts them: polars finds the units that
    contain the words (one Aho-Corasick pass for all), then one Python regex per word counts its whole-word
    matches in just those."""
    from corpuslab import _screen
    from corpuslab.names import _TOKEN

    texts = _strings(units["text"])

    def count(words: set[str]) -> dict[str, int]:
        counted = {word: 0 for word in words}
        wanted = [w for w in words if w.islower() and _TOKEN.fullmatch(w)]
        for word, rows in (_screen.containing(texts, wanted) if wanted else {}).items():
            whole = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
            counted[word] = len(whole.findall(_SEPARATOR.join(texts.gather(rows).to_list())))
        return counted

    return count


def _strings(column: pd.Series):
    """``column`` as a polars String Series, values that are not text as nulls (no copy of Arrow-backed text)."""
    import polars as pl

    if pd.api.types.is_string_dtype(column.dtype) and column.dtype != object:
        return pl.from_pandas(column)
    return pl.Series([t if isinstance(t, str) else None for t in column.tolist()], dtype=pl.String)


def _joined_by_document(units: pd.DataFrame):
    """(NUL + its units' texts joined by NUL in table order, number of units) for each doc_id in order of
    first appearance, one document at a time."""
    codes, doc_ids = pd.factorize(units["doc_id"], use_na_sentinel=False)
    texts = [t if isinstance(t, str) else "" for t in units["text"].tolist()]
    if len(codes) and (np.diff(codes) < 0).any():  # a document's units apart: gather them
        order = np.argsort(codes, kind="stable").tolist()
        texts = [texts[i] for i in order]
    start = 0
    for size in np.bincount(codes, minlength=len(doc_ids)).tolist():
        yield _SEPARATOR + _SEPARATOR.join(texts[start:start + size]), size
        start += size
