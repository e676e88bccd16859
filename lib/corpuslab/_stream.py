"""The token stream of a corpus: :data:`~corpuslab.tokens.TOKEN_PATTERN`'s tokens found by polars' (Rust) regex engine.

Behind :func:`corpuslab.tokens.token_stream`. A corpus's tokens become integer ids in reading
order, with punctuation breaks and, when asked, character spans, never a Python string per
token. The pattern is ``TOKEN_PATTERN`` with its character classes spelled as Unicode
properties, minus the code points Python's Unicode database leaves unassigned, so both
engines give the same tokens on every code point (tests check all of them, and hold the
stream equal to :func:`corpuslab.tokens.token_runs` and :func:`~corpuslab.tokens.token_spans`).
"""

from __future__ import annotations

import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np
from scipy import sparse

from corpuslab._nfc import nfc_with_offsets
from corpuslab.engine import SERIAL, Engine
from corpuslab.tokens import SUBSTITUTIONS, TOKEN_PATTERN


# TOKEN_PATTERN for polars' Rust regex engine, with its classes written as Unicode properties:
# [\p{L}\p{Nl}\p{No}] is Python's [^\W\d_], \p{Nd} Python's \d and [\s\x1c-\x1f] Python's \s on every
# character that Python's Unicode database assigns; the code points it leaves unassigned (newer
# Unicode) are taken out of each class, so both engines agree on all text (a test checks every
# code point). The last alternative takes one non-space character that starts no token
# (punctuation): a break between runs.
@lru_cache(maxsize=2)
def stream_pattern(spaces: bool = False) -> str:
    """:data:`TOKEN_PATTERN` plus run breaks (and runs of spaces: then every character is matched),
    in the syntax of polars' (Rust) regex engine."""
    unassigned = unassigned_class()
    letter = rf"[[\p{{L}}\p{{Nl}}\p{{No}}]--{unassigned}]"
    digit = rf"[\p{{Nd}}--{unassigned}]"
    space = rf"[[\s\x1c-\x1f]--{unassigned}]"
    return (rf"(?:{letter}\.){{2,}}|{letter}+(?:['-]{letter}+)*|{digit}+(?:[.,]{digit}+)*"
            rf"|[^{space[1:-1]}]" + (rf"|{space}+" if spaces else ""))


@lru_cache(maxsize=1)
def unassigned_class() -> str:
    """A Rust regex class of the code points Python's ``unicodedata`` leaves unassigned (category Cn)."""
    ranges, start = [], None
    for i in range(0x110001):
        unassigned = i <= 0x10FFFF and unicodedata.category(chr(i)) == "Cn"
        if unassigned and start is None:
            start = i
        elif not unassigned and start is not None:
            ranges.append(rf"\x{{{start:X}}}-\x{{{i - 1:X}}}")
            start = None
    return "[" + "".join(ranges) + "]"


BREAK = -1  # the id of a punctuation break in TokenStream.ids
CHUNK_CHARS = 20_000_000  # text tokenised at once: its token strings exist only while its chunk is encoded


@dataclass(frozen=True)
class TokenStream:
    """Every token of a corpus in reading order, as integer ids into ``types`` (no Python string per token).

    ``ids`` holds :data:`BREAK` where punctuation interrupts a run of tokens
    (as :func:`corpuslab.tokens.token_runs` splits them); ``lengths`` counts the entries of ``ids``
    of each text; ``types`` are the distinct tokens as written (before case folding).
    """

    ids: np.ndarray
    lengths: np.ndarray
    types: np.ndarray
    spans: np.ndarray | None = None  # (start, end) character offsets of each entry in its text, if asked for

    def doc_index(self) -> np.ndarray:
        """The text number of every entry of ``ids``."""
        return np.repeat(np.arange(len(self.lengths), dtype=np.int32), self.lengths)

    def words(self) -> tuple[np.ndarray, np.ndarray]:
        """(text number, type id) of every token, breaks left out."""
        keep = self.ids >= 0
        return self.doc_index()[keep], self.ids[keep]

    def term_counts(self, to_term: np.ndarray, n_terms: int) -> sparse.csr_matrix:
        """Texts x terms counts, type ``t`` counted as term ``to_term[t]`` (-1: not counted).

        Tokens are mapped before they are counted: the dropped (stopwords) are never sorted.
        """
        term = np.append(to_term, -1).astype(np.int32)[self.ids]  # a BREAK (-1) picks the appended -1
        kept = term >= 0
        kept_before = np.concatenate([[0], np.cumsum(kept, dtype=np.int64)])
        return count_matrix(kept_before[np.concatenate([[0], np.cumsum(self.lengths)])], term[kept], n_terms)

    def folded(self, lowercase: bool = True) -> TokenStream:
        """The same stream with types case-folded as :func:`corpuslab.tokens.tokenize` folds them
        (one ``str.lower`` per type)."""
        if not lowercase:
            return self
        vocabulary: dict[str, int] = {}
        to_folded = np.fromiter((vocabulary.setdefault(t.lower(), len(vocabulary)) for t in self.types),
                                dtype=np.int32, count=len(self.types))
        ids = np.append(to_folded, np.int32(BREAK))[self.ids]  # a BREAK (-1) picks the appended BREAK
        return TokenStream(ids, self.lengths, np.asarray(list(vocabulary), dtype=object), self.spans)


def count_matrix(indptr: np.ndarray, ids: np.ndarray, n_types: int) -> sparse.csr_matrix:
    """Texts x types counts (int64) of token ids listed text by text; text i's ids are ``ids[indptr[i]:indptr[i+1]]``.

    >>> count_matrix(np.array([0, 3, 3]), np.array([1, 0, 1]), 2).toarray().tolist()
    [[1, 2], [0, 0]]
    """
    matrix = sparse.csr_matrix((np.ones(len(ids), dtype=np.int32), ids, indptr), shape=(len(indptr) - 1, n_types))
    matrix.sum_duplicates()
    return matrix.astype(np.int64)


def find(texts: list[str], *, spans: bool = False, engine: Engine = SERIAL) -> TokenStream:
    """The :class:`TokenStream` of ``texts``, tokenised in chunks of whole texts of about :data:`CHUNK_CHARS`
    characters (only one chunk's token strings exist at a time): on polars' threads, which overlap the
    chunks (``POLARS_MAX_THREADS``), or on a Dask ``engine``'s workers.

    >>> s = find(["Xi met Putin.", "", "U.S. ties"])
    >>> [s.types[i] if i >= 0 else "|" for i in s.ids], s.lengths.tolist()
    (['Xi', 'met', 'Putin', '|', 'U.S.', 'ties'], [4, 0, 2])
    """
    ends = np.cumsum([len(t) + 1 for t in texts], dtype=np.int64)  # chunks of whole texts, of similar size
    n_parts = int(ends[-1]) // CHUNK_CHARS + 1 if texts else 1
    if engine.kind == "dask":
        n_parts = max(n_parts, engine.jobs * 4)
    cuts = np.unique(np.r_[0, np.searchsorted(ends, np.linspace(0, ends[-1] if texts else 0, n_parts + 1)[1:-1]) + 1,
                           len(texts)])
    chunks = [texts[a:b] for a, b in zip(cuts[:-1], cuts[1:])] or [[]]
    find_part = partial(_stream_part, spans=spans)
    if engine.kind == "dask":
        parts = engine.map(find_part, chunks)
    else:  # polars and pyarrow release the GIL: chunks overlap on polars' threads
        import polars as pl

        with ThreadPoolExecutor(max_workers=min(pl.thread_pool_size(), len(chunks))) as pool:
            parts = list(pool.map(find_part, chunks))
    return _merge_parts(parts)


def to_arrays(stream: TokenStream) -> dict[str, np.ndarray]:
    """A stream as plain arrays (types packed by :func:`pack_strings`), to store without pickles."""
    types, type_lengths = pack_strings(stream.types)
    return {"ids": stream.ids, "lengths": stream.lengths, "spans": stream.spans, "types": types,
            "type_lengths": type_lengths}


def from_arrays(arrays: dict[str, np.ndarray]) -> TokenStream:
    """The stream :func:`to_arrays` stored (without spans if ``arrays`` has none)."""
    return TokenStream(arrays["ids"], arrays["lengths"], unpack_strings(arrays["types"], arrays["type_lengths"]),
                       arrays.get("spans"))


def pack_strings(strings) -> tuple[np.ndarray, np.ndarray]:
    """Strings as one UTF-8 buffer and their lengths in characters, to store without pickles.

    >>> unpack_strings(*pack_strings(["Xi", "", "Путин"])).tolist()
    ['Xi', '', 'Путин']
    """
    strings = [str(s) for s in strings]
    return (np.frombuffer("".join(strings).encode("utf-8"), dtype=np.uint8),
            np.fromiter(map(len, strings), dtype=np.int64, count=len(strings)))


def unpack_strings(buffer: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The strings :func:`pack_strings` packed, as an object array."""
    joined, ends = buffer.tobytes().decode("utf-8"), np.cumsum(lengths).tolist()
    return np.array([joined[a:b] for a, b in zip([0, *ends[:-1]], ends)], dtype=object)


def _stream_part(texts: list[str], spans: bool = False) -> tuple:
    """(ids, lengths, types, spans or None) of one chunk of texts; ids index this chunk's own types."""
    import polars as pl
    import pyarrow as pa
    import pyarrow.compute as pc

    texts, moved = _nfc_texts(texts, spans)
    pieces = max(1, min(len(texts), 4 * pl.thread_pool_size()))  # polars runs a string column's chunks in parallel
    bounds = np.linspace(0, len(texts), pieces + 1).astype(int)
    column = pl.concat([pl.Series("text", texts[a:b], dtype=pl.String) for a, b in zip(bounds, bounds[1:])],
                       rechunk=False) if texts else pl.Series("text", [], dtype=pl.String)
    found = (pl.DataFrame({"text": column}).lazy()
             .select(pl.col("text")
                     .str.replace_many([c for c, _ in SUBSTITUTIONS], [r for _, r in SUBSTITUTIONS])
                     .str.extract_all(stream_pattern(spans)).alias("token"))
             .with_row_index("doc").explode("token").drop_nulls("token").collect())
    doc = found["doc"].to_numpy()
    encoded = pc.dictionary_encode(found["token"].to_arrow().cast(pa.large_string()))
    found_types = encoded.dictionary.to_pylist()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    offsets = None
    if spans:  # every character is matched: a token's end is the running length of its text so far
        ends = np.cumsum(found["token"].str.len_chars().to_numpy().astype(np.int64))
        firsts = np.searchsorted(doc, np.arange(len(texts)))
        ends -= np.r_[0, ends][firsts][doc]
        kept = ~np.fromiter((t.isspace() for t in found_types), dtype=bool, count=len(found_types))[codes]
        lengths_chars = found["token"].str.len_chars().to_numpy()[kept]
        doc, codes, ends = doc[kept], codes[kept], ends[kept]
        offsets = np.column_stack([ends - lengths_chars, ends])
        for i, to_original in moved.items():  # offsets into the NFC text -> into the text as given
            a, b = np.searchsorted(doc, [i, i + 1])
            offsets[a:b] = to_original[offsets[a:b]]
        offsets = offsets.astype(np.int32) if not len(ends) or offsets.max() < 2 ** 31 else offsets  # half the memory
    lengths = np.bincount(doc, minlength=len(texts)).astype(np.int64)
    is_word = np.fromiter((TOKEN_PATTERN.fullmatch(t) is not None for t in found_types), dtype=bool,
                          count=len(found_types))
    word_id = np.where(is_word, np.cumsum(is_word) - 1, BREAK).astype(np.int32)
    ids = word_id[codes] if len(found_types) else np.zeros(0, np.int32)
    return ids, lengths, [t for t, word in zip(found_types, is_word) if word], offsets


def _nfc_texts(texts: list[str], spans: bool) -> tuple[list[str], dict[int, np.ndarray]]:
    """The texts in NFC and, if ``spans``, the offsets back to the original of each text NFC changed (by position)."""
    normal, moved = [], {}
    for i, text in enumerate(texts):
        composed = unicodedata.normalize("NFC", text)
        if spans and composed != text:
            composed, moved[i] = nfc_with_offsets(text)
        normal.append(composed)
    return normal, moved


def _merge_parts(parts: list[tuple]) -> TokenStream:
    """One stream over the union of the parts' types (ids renumbered in first-seen order)."""
    vocabulary: dict[str, int] = {}
    ids, lengths = [], []
    for part_ids, part_lengths, part_types, _ in parts:
        to_global = np.fromiter((vocabulary.setdefault(t, len(vocabulary)) for t in part_types), dtype=np.int32,
                                count=len(part_types))
        ids.append(np.append(to_global, np.int32(BREAK))[part_ids])  # BREAK (-1) picks the appended BREAK
        lengths.append(part_lengths)
    spans = np.concatenate([p[3] for p in parts]) if parts[0][3] is not None else None
    return TokenStream(np.concatenate(ids), np.concatenate(lengths), np.asarray(list(vocabulary), dtype=object), spans)




def cut(stream: TokenStream, text_lengths, unit_text, unit_starts, unit_ends, *,
        spans: bool = True) -> TokenStream | None:
    """The stream of units cut out of the texts of ``stream`` (which has spans): unit ``u`` is characters
    ``unit_starts[u]:unit_ends[u]`` of text ``unit_text[u]``, units in reading order and apart. Entries between
    units are left out and spans become offsets in the unit (kept if ``spans``). ``None`` if a token crosses a
    unit's edge (or units overlap or are out of order): then only tokenising the units' own texts gives their
    tokens.

    >>> s = cut(find(["Xi met. Putin spoke"], spans=True), [19], [0, 0], [0, 8], [7, 19])
    >>> [[s.types[i] if i >= 0 else "|" for i in s.ids]], s.lengths.tolist(), s.spans.tolist()
    ([['Xi', 'met', '|', 'Putin', 'spoke']], [3, 2], [[0, 2], [3, 6], [6, 7], [0, 5], [6, 11]])
    >>> cut(find(["Xi met"], spans=True), [6], [0, 0], [0, 4], [4, 6]) is None  # "met" crosses the edge
    True
    """
    base = np.concatenate([[0], np.cumsum(np.asarray(text_lengths, dtype=np.int64) + 1)])
    unit_text = np.asarray(unit_text, dtype=np.int64)
    starts = np.asarray(unit_starts, dtype=np.int64)
    first, last = base[unit_text] + starts, base[unit_text] + np.asarray(unit_ends, dtype=np.int64)
    if np.any(last < first) or np.any(first[1:] < last[:-1]):  # offsets in all texts laid end to end
        return None
    begin = np.repeat(base[:-1], stream.lengths) + stream.spans[:, 0]  # sorted: entries are in reading order
    low, high = np.searchsorted(begin, first), np.searchsorted(begin, last)  # unit u holds entries low..high-1
    inside = np.zeros(len(begin) + 1, dtype=np.int8)
    np.add.at(inside, low, 1)
    np.add.at(inside, high, -1)
    inside = np.cumsum(inside[:-1], dtype=np.int8).astype(bool)
    held = np.flatnonzero(high > low)
    after_gap = np.flatnonzero(low > 0)
    after_gap = after_gap[~inside[low[after_gap] - 1]]  # units whose preceding entry no unit holds
    if (np.any(_entry_ends(stream, base, begin, high[held] - 1) > last[held])
            or np.any(_entry_ends(stream, base, begin, low[after_gap] - 1) > first[after_gap])):
        return None  # a unit's last entry ends after it, or the entry before a unit ends inside it
    del begin
    lengths = (high - low).astype(np.int64)
    offsets = (stream.spans[inside] - np.repeat(starts, lengths)[:, None]).astype(stream.spans.dtype) if spans else None
    return TokenStream(stream.ids[inside], lengths, stream.types, offsets)


def _entry_ends(stream: TokenStream, base: np.ndarray, begin: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Where entries ``at`` end, in the texts laid end to end (``base``: each text's start there)."""
    return base[np.searchsorted(base, begin[at], side="right") - 1] + stream.spans[at, 1]


def split_types(stream: TokenStream, segmented: np.ndarray, pieces) -> TokenStream:
    """The stream with every token of the texts ``segmented`` marks replaced by its words: ``pieces(type)``
    gives a type's words and their offsets in it (:func:`corpuslab.tokens.word_pieces`). Other texts, and
    breaks, are left as they are; spans of a word are its token's start plus its offset (exact where NFC
    left the token's length alone).

    >>> s = split_types(find(["ab cd", "ab"]), np.array([True, False]), lambda t: ((0, t[0]), (1, t[1])))
    >>> [s.types[i] for i in s.ids], s.lengths.tolist()
    (['a', 'b', 'c', 'd', 'ab'], [4, 1])
    """
    vocabulary = {t: i for i, t in enumerate(stream.types)}
    split = [pieces(t) for t in stream.types]
    n_pieces = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
    flat_ids = np.fromiter((vocabulary.setdefault(p, len(vocabulary)) for ps in split for _, p in ps), dtype=np.int32)
    flat_at = np.fromiter((a for ps in split for a, _ in ps), dtype=np.int64)
    flat_len = np.fromiter((len(p) for ps in split for _, p in ps), dtype=np.int64)
    first_piece = np.concatenate([[0], np.cumsum(n_pieces)[:-1]]).astype(np.int64)
    doc = stream.doc_index()
    split_here = segmented[doc] & (stream.ids >= 0)
    safe = np.maximum(stream.ids, 0)
    count = np.where(split_here, n_pieces[safe] if len(split) else 1, 1)
    entry = np.repeat(np.arange(len(stream.ids)), count)
    k = np.arange(len(entry)) - np.repeat(np.cumsum(count) - count, count)
    is_piece = split_here[entry]
    piece = np.where(is_piece, first_piece[safe[entry]] + k, 0) if len(split) else np.zeros(len(entry), np.int64)
    ids = np.where(is_piece, flat_ids[piece] if len(flat_ids) else BREAK, stream.ids[entry]).astype(np.int32)
    spans = None
    if stream.spans is not None:
        start = stream.spans[entry, 0] + np.where(is_piece, flat_at[piece] if len(flat_at) else 0, 0)
        end = np.where(is_piece, start + (flat_len[piece] if len(flat_len) else 0), stream.spans[entry, 1])
        spans = np.column_stack([start, end]).astype(stream.spans.dtype)
    lengths = np.bincount(doc[entry], minlength=len(stream.lengths)).astype(np.int64)
    return TokenStream(ids, lengths, np.asarray(list(vocabulary), dtype=object), spans)
