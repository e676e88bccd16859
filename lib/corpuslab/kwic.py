"""Keywords in context: every match of a query with the original text around it and its character offsets."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from corpuslab._stream import TokenStream
from corpuslab.errors import CorpuslabError
from corpuslab.tokens import HAN, normalise, token_stream, word_pieces

KINDS = ("phrase", "word", "glob", "regex")
SORTS = ("position", "left", "right", "keyword")


@dataclass(frozen=True)
class KwicIndex:
    """Every word token of a corpus: its text number, lower-cased type id and character span.

    Its arrays are read-only, so one index can serve any number of searches (and
    :func:`corpuslab.lexdiv.lexdiv`) without one changing what another finds.
    """

    doc: np.ndarray
    ids: np.ndarray
    spans: np.ndarray
    types: np.ndarray

    def __post_init__(self):
        for field in fields(self):
            getattr(self, field.name).flags.writeable = False


def kwic_index(documents: pd.DataFrame, *, stream: TokenStream | None = None) -> KwicIndex:
    """The tokens :func:`kwic` searches, found once for any number of searches of the same documents.

    ``stream``: the token stream of the documents' texts with spans
    (:func:`corpuslab.tokens.token_stream` with ``spans=True``), if already found.
    """
    if stream is None:
        languages = documents["language"].astype(str).tolist() if "language" in documents.columns else None
        stream = token_stream([t if isinstance(t, str) else "" for t in documents["text"]], spans=True,
                              languages=languages)
    if stream.spans is None or len(stream.lengths) != len(documents):
        raise CorpuslabError("kwic index: the token stream must be of these documents' texts, with spans=True")
    folded = stream.folded(True)
    doc, ids = folded.words()
    return KwicIndex(doc, ids, stream.spans[stream.ids >= 0], folded.types)


def _matcher(part: str, kind: str):
    if kind == "regex":
        try:
            pattern = re.compile(part, re.IGNORECASE)
        except re.error as err:
            raise CorpuslabError(f"kwic query {part!r}: not a valid regular expression ({err})") from None
        return lambda tok: pattern.fullmatch(tok) is not None
    part = normalise(part).casefold()
    if kind == "glob":
        return lambda tok: fnmatch.fnmatchcase(tok.casefold(), part)
    return lambda tok: tok.casefold() == part


def _words_of(word: str, kind: str) -> list[str]:
    """A query word as the tokens it must match: a Chinese word (CJK ideographs) is segmented as the
    documents are (:func:`corpuslab.tokens.word_pieces`), so "战略伙伴关系" matches its words in sequence."""
    if kind == "regex" or not HAN.search(word) or any(c in word for c in "*?[]"):
        return [word]
    return [piece for _, piece in word_pieces(normalise(word))] or [word]


def _hits(index: KwicIndex, compiled: list) -> tuple[np.ndarray, np.ndarray]:
    """Token positions where each query's words start, and the query's number, in document, query, position order."""
    doc, ids, types = index.doc, index.ids, index.types
    positions, numbers = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for number, (_, matchers) in enumerate(compiled):
        hit = np.ones(len(ids), dtype=bool)
        for j, match in enumerate(matchers):  # each matcher asked once per distinct token
            matched = np.fromiter((match(t) for t in types), dtype=bool, count=len(types))
            later = np.zeros(len(ids), dtype=bool)  # the j-th word after each token matches, in the same text
            if j < len(ids) and len(types):
                later[:len(ids) - j] = matched[ids[j:]] & (doc[j:] == doc[:len(ids) - j])
            hit &= later
        positions.append(np.flatnonzero(hit))
        numbers.append(np.full(len(positions[-1]), number))
    p, number = np.concatenate(positions), np.concatenate(numbers)
    order = np.lexsort((p, number, doc[p]))
    return p[order], number[order]


def _character_offsets(spans: np.ndarray, p: np.ndarray, k: np.ndarray, first: np.ndarray, last: np.ndarray,
                       window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Character offsets in its text of each hit (``k`` tokens from token ``p``; its text's tokens are
    ``first..last``): where the left context starts, the keyword starts and ends, the right context ends."""
    start, end = spans[p, 0], spans[p + k - 1, 1]
    lo = np.where((p > first) & (window > 0), spans[np.maximum(first, p - window), 0], start)
    hi = spans[np.minimum(last, p + k - 1 + window), 1] if window else end
    return lo, start, end, hi


def kwic(documents: pd.DataFrame, queries, *, kind: str = "phrase", window: int = 5,
         sort: str = "position", index: KwicIndex | None = None) -> pd.DataFrame:
    """Keywords in context: query, doc_id, left, keyword, right, start, end, token.

    ``queries`` is one query or a list. A query is one or more words separated by
    spaces, each matched against one token: exactly (``kind="phrase"`` or
    ``"word"``, case-insensitive, curly quotes straightened), as a glob
    (``"glob"``: ``china*``, ``sanction?``) or as a regular expression (``"regex"``,
    matched against the whole token). ``left``/``right`` hold ``window`` tokens of
    the original text; ``start``/``end`` are character
    offsets of the keyword in the document's ``text``; ``token`` its token index.
    ``sort``: "position" (document order), "left" (by the nearest left word
    first), "right" or "keyword". ``index`` (:func:`kwic_index` of the same
    documents) spares finding the tokens again.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Xi met Putin.\\nThen China’s leader left."]})
    >>> kwic(docs, "china's", window=2)[["left", "keyword", "right", "start", "end"]].values.tolist()
    [['Putin.\\nThen', 'China’s', 'leader left', 19, 26]]
    """
    if kind not in KINDS:
        raise CorpuslabError(f"kwic kind: got {kind!r}; allowed: one of {', '.join(KINDS)}")
    if sort not in SORTS:
        raise CorpuslabError(f"kwic sort: got {sort!r}; allowed: one of {', '.join(SORTS)}")
    queries = [queries] if isinstance(queries, str) else list(queries)
    compiled = []
    for q in queries:
        parts = [p for word in q.split() for p in _words_of(word, kind)]
        if not parts:
            raise CorpuslabError("kwic query: got an empty query; give one or more words")
        compiled.append((q, [_matcher(p, kind) for p in parts]))
    index = index or kwic_index(documents)
    n_words = np.bincount(index.doc, minlength=len(documents))
    first = np.concatenate([[0], np.cumsum(n_words)[:-1]]).astype(np.int64)
    p, number = _hits(index, compiled)
    d = index.doc[p]
    k = np.array([len(m) for _, m in compiled], dtype=np.int64)[number] if len(compiled) else number
    lo, start, end, hi = _character_offsets(index.spans, p, k, first[d], first[d] + n_words[d] - 1, window)
    column = documents["text"]
    hit_docs = np.unique(d)
    # only texts with hits
    texts = {i: t if isinstance(t, str) else "" for i, t in zip(hit_docs, column.iloc[hit_docs])}
    rows = {"query": [compiled[n][0] for n in number], "doc_id": documents["doc_id"].to_numpy()[d],
            "left": [texts[i][a:b].strip() for i, a, b in zip(d, lo, start)],
            "keyword": [texts[i][a:b] for i, a, b in zip(d, start, end)],
            "right": [texts[i][a:b].strip() for i, a, b in zip(d, end, hi)],
            "start": start, "end": end, "token": p - first[d]}
    table = pd.DataFrame(rows, columns=["query", "doc_id", "left", "keyword", "right", "start", "end", "token"]) \
        .astype({"start": "int64", "end": "int64", "token": "int64"})
    if sort == "left":
        key = table["left"].map(lambda s: " ".join(reversed(s.lower().split())))
    elif sort in ("right", "keyword"):
        key = table[sort].astype(str).str.lower()  # astype: an empty table's columns are not strings
    else:
        return table
    return table.assign(_key=key).sort_values(["_key", "doc_id", "start"], kind="stable") \
        .drop(columns="_key").reset_index(drop=True)
