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


def name_counts(units: pd.DataFrame) -> tuple[Counter, dict]:
    """The first two of :func:`corpuslab.names.name_counts` of ``units``: matches per name and the set of
    ``doc_id`` per name (the lower-case words are counted only where needed: :func:`lower_counts`)."""
    from corpuslab import names

    first = re.compile(rf"{_SEPARATOR}[{re.escape(names._LEAD)}]*({names._NAME.pattern})")
    cleaned: dict = {}
    counts, docs = Counter(), {}
    for doc_id, joined, n_units in _joined_by_document(units):
        if joined.count(_SEPARATOR) != n_units:  # a unit holds a NUL itself
            return names.name_counts(units)[:2]
        runs = Counter(names._NAME.findall(joined))  # every run, those that start a unit too (the same match)
        starting = Counter(first.findall(joined))
        runs.subtract(starting)
        for key, n in [*((run, n) for run, n in runs.items() if n), *(((run,), n) for run, n in starting.items())]:
            name = cleaned.get(key)
            if name is None:  # a run that starts a unit (a 1-tuple) loses its first word
                name = cleaned[key] = names._clean(key[0].partition(" ")[2] if isinstance(key, tuple) else key)
            if len(name) >= 2:
                counts[name] += n
                docs.setdefault(name, set()).add(doc_id)
    return counts, docs


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
    """(doc_id, NUL + its units' texts joined by NUL in table order, number of units) for each doc_id in order
    of first appearance, one document at a time."""
    codes, doc_ids = pd.factorize(units["doc_id"], use_na_sentinel=False)
    texts = [t if isinstance(t, str) else "" for t in units["text"].tolist()]
    if len(codes) and (np.diff(codes) < 0).any():  # a document's units apart: gather them
        order = np.argsort(codes, kind="stable").tolist()
        texts = [texts[i] for i in order]
    start = 0
    for doc_id, size in zip(doc_ids, np.bincount(codes, minlength=len(doc_ids)).tolist()):
        yield doc_id, _SEPARATOR + _SEPARATOR.join(texts[start:start + size]), size
        start += size
