"""Tokenising, case folding, stopwords, n-grams and the document-term matrix.

One fast regular-expression tokeniser: words (with inner apostrophes and
hyphens: "don't", "co-operation"), dotted abbreviations ("U.S."), and numbers.
Curly apostrophes, dashes and non-breaking spaces are normalised first, so
"China’s" and "China's" are the same token.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from corpuslab.errors import CorpuslabError
from corpuslab.resources import NLTK_DATA_DIR, use_vendored_nltk_data

_NORMALISE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ",
})
_NORMALISE_PAIRS = tuple((chr(k), v) for k, v in _NORMALISE.items())
TOKEN_PATTERN = re.compile(
    r"(?:[^\W\d_]\.){2,}"                        # dotted abbreviations: U.S., e.g.
    r"|[^\W\d_]+(?:['-][^\W\d_]+)*"              # words, with inner ' and -
    r"|\d+(?:[.,]\d+)*"                          # numbers: 2024, 3.5, 1,000
)
NUMBER = re.compile(r"\d")  # a number token starts with a digit


def normalise(text: str) -> str:
    """NFC-normalise and straighten quotes, dashes and special spaces (same length).

    >>> normalise("China’s – ‘bromance’")
    "China's - 'bromance'"
    """
    text = unicodedata.normalize("NFC", text)
    for char, replacement in _NORMALISE_PAIRS:  # a scan per character beats str.translate on long texts
        if char in text:
            text = text.replace(char, replacement)
    return text


@lru_cache(maxsize=8)
def stopword_list(name: str = "english", extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The stopwords to remove: NLTK's list for ``name`` ("none" for no list) plus ``extra``.

    >>> "the" in stopword_list("english")
    True
    >>> sorted(stopword_list("none", ("said",)))
    ['said']
    """
    words: set[str] = set()
    if name != "none":
        words.update(w.replace("\u2019", "'") for w in _nltk_stopwords(name))
    words.update(w.lower() for w in extra)
    return frozenset(words)


def _nltk_stopwords(name: str) -> list[str]:
    """NLTK's stopword list ``name``: read from the vendored zip when it is there (importing nltk
    costs ~1.4 s), else from NLTK, which builds some lists in code (``english-extended``)."""
    with zipfile.ZipFile(NLTK_DATA_DIR / "corpora" / "stopwords.zip") as lists:
        if name != "README" and f"stopwords/{name}" in lists.namelist():
            return [w for w in lists.read(f"stopwords/{name}").decode("utf-8").splitlines() if w.strip()]
    use_vendored_nltk_data()
    from nltk.corpus import stopwords

    names = [n for n in stopwords.fileids() if n != "README"]
    if name not in names:
        raise CorpuslabError(f"tokens.stopwords: got {name!r}; allowed: none, or one of {', '.join(names)}")
    return stopwords.words(name)


def tokenize(
    text: str,
    *,
    lowercase: bool = True,
    min_length: int = 1,
    stopwords: frozenset[str] = frozenset(),
    keep_numbers: bool = True,
    phrases: tuple[str, ...] = (),
    stem: str = "none",
    lemmatize: bool = False,
) -> list[str]:
    """Split ``text`` into tokens.

    ``phrases`` are multiword expressions kept as one token joined by "_"
    ("Xi Jinping" -> "xi_jinping"; matched case-insensitively before stopwords
    are removed, so "Belt and Road" survives). ``stem="snowball"`` applies NLTK's
    English Snowball stemmer; ``lemmatize=True`` maps words to dictionary forms
    with simplemma (offline, data inside the package). Phrases are neither
    stemmed nor lemmatised.

    >>> tokenize("The U.S. and China’s co-operation, in 2024!", stopwords=frozenset({"the", "and", "in"}))
    ['u.s.', "china's", 'co-operation', '2024']
    >>> tokenize("Xi Jinping backs the Belt and Road", phrases=("Xi Jinping", "Belt and Road"), stem="snowball")
    ['xi_jinping', 'back', 'the', 'belt_and_road']
    """
    tokens = TOKEN_PATTERN.findall(normalise(text))
    compounds: set[str] = set()
    if phrases:
        tokens, compounds = _compound(tokens, phrases)
    if lowercase:
        tokens = [t.lower() for t in tokens]
    tokens = [
        t for t in tokens
        if len(t) >= min_length
        and t.lower() not in stopwords
        and (keep_numbers or not NUMBER.match(t))
    ]
    if lemmatize:
        tokens = [t if t in compounds else _lemma(t) for t in tokens]
        tokens = [t.lower() for t in tokens] if lowercase else tokens
    if stem not in ("none", "snowball"):
        raise CorpuslabError(f"tokens.stem: got {stem!r}; allowed: one of none, snowball")
    if stem == "snowball":
        tokens = [t if t in compounds else _stem(t) for t in tokens]
    return tokens


def _compound(tokens: list[str], phrases: Sequence[str]) -> tuple[list[str], set[str]]:
    """Join runs of tokens that spell a phrase into one "_"-joined token (longest phrase first)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        parts = tuple(TOKEN_PATTERN.findall(normalise(phrase).lower()))
        if parts:
            by_first.setdefault(parts[0], []).append(parts)
    for options in by_first.values():
        options.sort(key=len, reverse=True)
    out, joined, i = [], set(), 0
    lower = [t.lower() for t in tokens]
    while i < len(tokens):
        for parts in by_first.get(lower[i], ()):
            if tuple(lower[i:i + len(parts)]) == parts:
                token = "_".join(tokens[i:i + len(parts)])
                out.append(token)
                joined.update({token, token.lower()})
                i += len(parts)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out, joined


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    return _stemmer().stem(token)


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def _lemma(token: str) -> str:
    import simplemma

    return simplemma.lemmatize(token, lang="en")


def tokenizer_from_params(cfg: dict) -> dict:
    """The keyword arguments of :func:`tokenize` that the params ``tokens.*`` set."""
    return {
        "lowercase": cfg["tokens.lowercase"],
        "min_length": cfg["tokens.min_length"],
        "stopwords": stopword_list(cfg["tokens.stopwords"], tuple(cfg["tokens.extra_stopwords"])),
        "keep_numbers": cfg["tokens.keep_numbers"],
        "phrases": tuple(cfg.get("tokens.phrases", ())),
        "stem": cfg.get("tokens.stem", "none"),
        "lemmatize": cfg.get("tokens.lemmatize", False),
    }


def ngrams(tokens: Sequence[str], n: int) -> list[str]:
    """Space-joined n-grams of a token list.

    >>> ngrams(["a", "b", "c"], 2)
    ['a b', 'b c']
    """
    return [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def dtm(texts: Iterable[str], *, engine: str = "local", n_jobs: int = 1, scheduler: str = "",
        **tokenize_options) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Sparse document-term counts and the sorted vocabulary, as :func:`tokenize` would count them.

    Tokens come from :func:`token_stream` (compiled code, no Python per token);
    stopwords, length, number, lemma and stem rules are then applied once per
    *type* rather than per token. The result equals scikit-learn's
    ``CountVectorizer(analyzer=tokenize)`` on every engine. With ``phrases``,
    tokens are joined per text first (the plain path).

    >>> X, terms = dtm(["a b b", "b c"])
    >>> list(terms), X.toarray().tolist()
    (['a', 'b', 'c'], [[1, 2, 0], [0, 1, 1]])
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    if not texts:
        return sparse.csr_matrix((0, 0), dtype=np.int64), np.array([], dtype=object)
    if tokenize_options.get("phrases"):
        return _dtm_by_tokens(texts, **tokenize_options)
    stream = token_stream(texts, engine=engine, n_jobs=n_jobs, scheduler=scheduler)
    stream = stream.folded(tokenize_options.get("lowercase", True))
    to_term, terms = term_ids(stream.types, **tokenize_options)
    return stream.term_counts(to_term, len(terms)), terms


def _dtm_by_tokens(texts: list[str], **tokenize_options) -> tuple[sparse.csr_matrix, np.ndarray]:
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(analyzer=lambda t: tokenize(t, **tokenize_options), dtype=np.int64)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # every text empty after tokenising
        return sparse.csr_matrix((len(texts), 0), dtype=np.int64), np.array([], dtype=object)
    return matrix.tocsr(), vectorizer.get_feature_names_out()


# --------------------------------------------------------------------------- the token stream of a corpus

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
    (as :func:`token_runs` splits them); ``lengths`` counts the entries of ``ids``
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

    def folded(self, lowercase: bool = True) -> "TokenStream":
        """The same stream with types case-folded as :func:`tokenize` folds them (one ``str.lower`` per type)."""
        if not lowercase:
            return self
        vocabulary: dict[str, int] = {}
        to_folded = np.fromiter((vocabulary.setdefault(t.lower(), len(vocabulary)) for t in self.types),
                                dtype=np.int32, count=len(self.types))
        ids = np.where(self.ids >= 0, to_folded[np.maximum(self.ids, 0)] if len(to_folded) else BREAK, BREAK)
        return TokenStream(ids.astype(np.int32), self.lengths, np.asarray(list(vocabulary), dtype=object), self.spans)


def count_matrix(indptr: np.ndarray, ids: np.ndarray, n_types: int) -> sparse.csr_matrix:
    """Texts x types counts (int64) of token ids listed text by text; text i's ids are ``ids[indptr[i]:indptr[i+1]]``.

    >>> count_matrix(np.array([0, 3, 3]), np.array([1, 0, 1]), 2).toarray().tolist()
    [[1, 2], [0, 0]]
    """
    matrix = sparse.csr_matrix((np.ones(len(ids), dtype=np.int32), ids, indptr), shape=(len(indptr) - 1, n_types))
    matrix.sum_duplicates()
    return matrix.astype(np.int64)


def token_stream(texts: Sequence[str], *, spans: bool = False, engine: str = "local", n_jobs: int = 1,
                 scheduler: str = "", cached: bool = True) -> TokenStream:
    """The :class:`TokenStream` of ``texts``: :data:`TOKEN_PATTERN`'s tokens, found by polars' compiled regex engine.

    Texts are tokenised in chunks of :data:`CHUNK_CHARS` characters, so only one
    chunk's token strings exist at a time; polars uses every core it is given
    (``POLARS_MAX_THREADS``), and ``engine="dask"`` tokenises the chunks on the cluster.
    ``spans=True`` adds each token's character offsets (as :func:`token_spans`).
    The stream of a large corpus (:data:`STREAM_CACHE_MIN_CHARS`) is cached by its texts, with
    offsets, so the notebooks of a report tokenise it once (:mod:`corpuslab.cache`); ``cached=False``
    for texts tokenised only once per report.

    >>> s = token_stream(["Xi met Putin.", "", "U.S. ties"])
    >>> [s.types[i] if i >= 0 else "|" for i in s.ids], s.lengths.tolist()
    (['Xi', 'met', 'Putin', '|', 'U.S.', 'ties'], [4, 0, 2])
    """
    from corpuslab import cache

    texts = [t if isinstance(t, str) else "" for t in texts]
    find = partial(_find_stream, texts, engine=engine, n_jobs=n_jobs, scheduler=scheduler)
    if not cached or not cache.enabled() or sum(map(len, texts)) < STREAM_CACHE_MIN_CHARS:
        return find(spans=spans)
    key = (cache.frame_digest(pd.DataFrame({"text": texts}), ["text"]), stream_pattern(True), _NORMALISE_PAIRS)
    names = ("ids", "lengths", "types", "type_lengths") + (("spans",) if spans else ())
    return _from_arrays(cache.arrays("token_stream", key, lambda: _to_arrays(find(spans=True)), names=names))


STREAM_CACHE_MIN_CHARS = 5_000_000  # below this, tokenising is about as fast as reading a cached stream


def _to_arrays(stream: TokenStream) -> dict[str, np.ndarray]:
    """A stream as plain arrays (types as one UTF-8 buffer and their lengths): what the cache stores."""
    types = [str(t) for t in stream.types]
    return {"ids": stream.ids, "lengths": stream.lengths, "spans": stream.spans,
            "types": np.frombuffer("".join(types).encode("utf-8"), dtype=np.uint8),
            "type_lengths": np.fromiter(map(len, types), dtype=np.int64, count=len(types))}


def _from_arrays(arrays: dict[str, np.ndarray]) -> TokenStream:
    joined, ends = arrays["types"].tobytes().decode("utf-8"), np.cumsum(arrays["type_lengths"]).tolist()
    types = np.array([joined[a:b] for a, b in zip([0, *ends[:-1]], ends)], dtype=object)
    return TokenStream(arrays["ids"], arrays["lengths"], types, arrays.get("spans"))


def _find_stream(texts: list[str], *, spans: bool, engine: str, n_jobs: int, scheduler: str) -> TokenStream:
    """Tokenise ``texts`` in chunks of whole texts, on polars' threads or the Dask cluster."""
    from corpuslab import engine as engines

    ends = np.cumsum([len(t) + 1 for t in texts], dtype=np.int64)  # chunks of whole texts, of similar size
    n_parts = int(ends[-1]) // CHUNK_CHARS + 1 if texts else 1
    if engine == "dask":
        n_parts = max(n_parts, engines.resolve_jobs(n_jobs) * 4)
    cuts = np.unique(np.r_[0, np.searchsorted(ends, np.linspace(0, ends[-1] if texts else 0, n_parts + 1)[1:-1]) + 1,
                           len(texts)])
    chunks = [texts[a:b] for a, b in zip(cuts[:-1], cuts[1:])] or [[]]
    find = partial(_stream_part, spans=spans)
    if engine == "dask":
        parts = engines.run(find, chunks, engine=engine, n_jobs=n_jobs, scheduler=scheduler)
    else:  # polars and pyarrow release the GIL: chunks overlap on polars' threads
        import polars as pl

        with ThreadPoolExecutor(max_workers=min(pl.thread_pool_size(), len(chunks))) as pool:
            parts = list(pool.map(find, chunks))
    return _merge_parts(parts)


def _stream_part(texts: list[str], spans: bool = False) -> tuple:
    """(ids, lengths, types, spans or None) of one chunk of texts; ids index this chunk's own types."""
    import polars as pl
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = [unicodedata.normalize("NFC", t) for t in texts]
    pieces = max(1, min(len(texts), 4 * pl.thread_pool_size()))  # polars runs a string column's chunks in parallel
    bounds = np.linspace(0, len(texts), pieces + 1).astype(int)
    column = pl.concat([pl.Series("text", texts[a:b], dtype=pl.String) for a, b in zip(bounds, bounds[1:])],
                       rechunk=False) if texts else pl.Series("text", [], dtype=pl.String)
    found = (pl.DataFrame({"text": column}).lazy()
             .select(pl.col("text")
                     .str.replace_many([c for c, _ in _NORMALISE_PAIRS], [r for _, r in _NORMALISE_PAIRS])
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
        offsets = offsets.astype(np.int32) if not len(ends) or ends.max() < 2 ** 31 else offsets  # half the memory
    lengths = np.bincount(doc, minlength=len(texts)).astype(np.int64)
    is_word = np.fromiter((TOKEN_PATTERN.fullmatch(t) is not None for t in found_types), dtype=bool,
                          count=len(found_types))
    word_id = np.where(is_word, np.cumsum(is_word) - 1, BREAK).astype(np.int32)
    ids = word_id[codes] if len(found_types) else np.zeros(0, np.int32)
    return ids, lengths, [t for t, word in zip(found_types, is_word) if word], offsets


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


def term_ids(types, *, lowercase: bool = True, min_length: int = 1, stopwords: frozenset[str] = frozenset(),
             keep_numbers: bool = True, phrases=(), stem: str = "none",
             lemmatize: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """:func:`tokenize`'s per-token rules applied once per (case-folded) type.

    Returns each type's index into the sorted terms (-1: the type is dropped) and the terms.

    >>> ids, terms = term_ids(["the", "runs", "ran"], stopwords=frozenset({"the"}), stem="snowball")
    >>> ids.tolist(), terms.tolist()
    ([-1, 1, 0], ['ran', 'run'])
    """
    if stem not in ("none", "snowball"):
        raise CorpuslabError(f"tokens.stem: got {stem!r}; allowed: one of none, snowball")
    mapped: list[str | None] = []
    for t in types:
        if len(t) < min_length or t.lower() in stopwords or (not keep_numbers and NUMBER.match(t)):
            mapped.append(None)
            continue
        if lemmatize:
            t = _lemma(t).lower() if lowercase else _lemma(t)
        if stem == "snowball":
            t = _stem(t)
        mapped.append(t)
    terms = np.array(sorted({t for t in mapped if t is not None}), dtype=object)
    position = {t: j for j, t in enumerate(terms)}
    ids = np.fromiter((-1 if t is None else position[t] for t in mapped), dtype=np.int64, count=len(mapped))
    return ids, terms


def token_counts(texts: Iterable[str], **tokenize_options) -> pd.Series:
    """Number of tokens in each text, with the same options as :func:`dtm` (its row sums)."""
    X, _ = dtm(texts, **tokenize_options)
    return pd.Series(np.asarray(X.sum(axis=1)).ravel(), dtype="int64")


def token_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the tokens of ``text`` (before case folding or stopword removal).

    Normalising keeps lengths, so spans index the original text.

    >>> text = "China’s U.S. ties."
    >>> [text[a:b] for a, b in token_spans(text)]
    ['China’s', 'U.S.', 'ties']
    """
    return [m.span() for m in TOKEN_PATTERN.finditer(normalise(text))]


def token_runs(text: str, *, lowercase: bool = True) -> list[list[str]]:
    """Tokens split into runs that no punctuation interrupts (n-grams never cross a comma or full stop).

    >>> token_runs("Me too!  I like ice cream.")
    [['me', 'too'], ['i', 'like', 'ice', 'cream']]
    """
    norm = normalise(text)
    runs: list[list[str]] = []
    last_end = None
    for m in TOKEN_PATTERN.finditer(norm):
        token = m.group(0).lower() if lowercase else m.group(0)
        if last_end is None or norm[last_end:m.start()].strip():
            runs.append([token])
        else:
            runs[-1].append(token)
        last_end = m.end()
    return runs
