"""The counts behind :func:`corpuslab.names.frequent_names`, two regex passes over all units on polars' threads
instead of Python per sentence. Private: :mod:`corpuslab.names` is the public face and
:func:`corpuslab.names.name_counts` the plain reference these counts are tested against (``tests/unit/test_names.py``).

The name pattern is written for polars' Rust regex engine with Python's ``\\w`` and ``\\s`` listed code point by
code point (:func:`_python_class`), so both engines read every character alike; its look-behind (no word
character, ``'`` or ``-`` before a name) becomes the character matched before it. One pass finds every capitalised
run of each unit; a second the run that starts it (after only characters the reference strips before a first
word), which loses its first word; each distinct run is cleaned once. Lower-case words are counted apart, and only
the few that decide whether a one-word name is kept (:func:`lower_counts`).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import pandas as pd

_SEPARATOR = "\x00"


def name_counts(units: pd.DataFrame) -> tuple[Counter, dict[str, int]]:
    """:func:`corpuslab.names.name_counts` of ``units`` but the lower-case words (counted only where needed:
    :func:`lower_counts`): matches per name and the number of documents per name."""
    import polars as pl

    from corpuslab import names

    texts = _strings(units["text"])
    every, starting = _name_patterns()
    frame = pl.DataFrame({"doc": pd.factorize(units["doc_id"], use_na_sentinel=False)[0], "text": texts})
    run = pl.col("run")
    found = (frame.select("doc", run=pl.col("text").str.extract_all(every)).explode("run").drop_nulls()
             .select("doc", run=pl.when(run.str.contains("^[A-Z]")).then(run).otherwise(run.str.slice(1))))
    first = frame.select("doc", run=pl.col("text").str.extract(starting, 1)).drop_nulls()
    net = (pl.concat([found.with_columns(n=pl.lit(1), starts=False), first.with_columns(n=pl.lit(-1), starts=False),
                      first.with_columns(n=pl.lit(1), starts=True)])  # a unit's first run loses its first word
           .group_by("doc", "run", "starts").agg(pl.col("n").sum()).filter(pl.col("n") > 0))
    keys = net.select("run", "starts").unique()
    cleaned = [names._clean(r.partition(" ")[2] if s else r) for r, s in zip(keys["run"], keys["starts"])]
    named = (net.join(keys.with_columns(name=pl.Series(cleaned, dtype=pl.String)), on=["run", "starts"])
             .filter(pl.col("name").str.len_chars() >= 2)
             .group_by("name").agg(pl.col("n").sum(), pl.col("doc").n_unique()))
    found_names, n, docs = named["name"].to_list(), named["n"].to_list(), named["doc"].to_list()
    return Counter(dict(zip(found_names, n))), dict(zip(found_names, docs))


@lru_cache(maxsize=1)
def _name_patterns() -> tuple[str, str]:
    """:data:`corpuslab.names._NAME` in polars' (Rust) regex syntax, its classes as Python's ``\\w`` and ``\\s``
    (every code point listed): a name run with the character before it (its look-behind, or the text's start),
    and a unit's first run (group 1) after nothing but :data:`corpuslab.names._LEAD` characters."""
    from corpuslab import names

    word, space = _python_class(r"\w"), _python_class(r"\s")
    inner = f"[{word[1:-1]}'.-]"
    core = (rf"[A-Z](?:{inner}*{word})?(?:{space}(?:(?:of{space}the|of|de|von|van|al|bin){space})?"
            rf"(?:[A-Z]{inner}*{word}|[A-Z]))*")
    lead = "".join(rf"\x{{{ord(c):X}}}" for c in names._LEAD)
    lead_last = "".join(rf"\x{{{ord(c):X}}}" for c in names._LEAD if c not in "'-")  # may precede a name
    return rf"(?:^|[^{word[1:-1]}'-]){core}", rf"^(?:[{lead}]*[{lead_last}])?({core})"


@lru_cache(maxsize=2)
def _python_class(pattern: str) -> str:
    """A Rust regex class of every code point (surrogates aside) that Python's ``re`` matches with ``pattern``."""
    everything = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    ranges = []
    for m in re.finditer(f"(?:{pattern})+", everything):
        first, last = ord(m.group()[0]), ord(m.group()[-1])
        ranges.append(rf"\x{{{first:X}}}" + (rf"-\x{{{last:X}}}" if last > first else ""))
    return "[" + "".join(ranges) + "]"


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
