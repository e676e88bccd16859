"""The corpus steps: documents (loaded, cleaned, their languages), the corpus's facts and file reports,
sentences, stopwords, the tokeniser, the token stream and the document-term matrix (00_corpus and every
notebook after it)."""

from __future__ import annotations

from corpuslab.workflow.compute import engine


def loader(cfg: dict):
    """A callable returning the params' corpus as :func:`corpuslab.corpus.load` reads it, read at most once
    and only when first called: steps given the same loader share one read."""
    from corpuslab import corpus

    loaded = []

    def load():
        if not loaded:
            loaded.append(corpus.load(cfg["corpus.path"], **_corpus_source(cfg)))
        return loaded[0]

    return load


def documents(cfg: dict, *, raw_text: bool = False, load=None):
    """The documents table the params describe: loaded and, if ``corpus.clean``, cleaned (cached by the
    corpus's fingerprint and the cleaning patterns).

    The text before cleaning (column ``raw_text``) is kept only if asked for: only the cleaning
    report needs it, and on a large corpus it doubles the memory a table takes. ``load``: a
    :func:`loader` to share with other steps (read only if the cache cannot answer).
    """
    from corpuslab import cache, cleaning
    from corpuslab.resources import CLEANING_PATTERNS, sha256_of

    load = load or loader(cfg)
    if not cfg["corpus.clean"]:
        return with_languages(cfg, load())
    parts = (corpus_facts(cfg, documents=load)["fingerprint"], sha256_of(CLEANING_PATTERNS), cfg["corpus.language"])
    return cache.table("documents", parts, lambda: with_languages(cfg, cleaning.clean(load(), engine=engine(cfg))),
                       drop=() if raw_text else ("raw_text",),
                       code=("corpuslab.corpus", "corpuslab.folder", "corpuslab.formats", "corpuslab.cleaning",
                             "corpuslab.languages"))


def corpus_facts(cfg: dict, *, documents=None) -> dict:
    """:func:`corpuslab.corpus.facts` of the params' corpus (fingerprint, sizes), remembered by its files'
    names, sizes and modification times, so an unchanged corpus is not read again just to be recognised.

    ``documents`` (a callable returning the loaded corpus) lets a caller that loads it anyway share
    the load. Raises like :func:`corpuslab.corpus.load`.
    """
    from pathlib import Path

    from corpuslab import cache, corpus

    source = _corpus_source(cfg)
    if not Path(cfg["corpus.path"]).exists():
        corpus.load(cfg["corpus.path"])  # raises the error naming the path
    stamp = corpus.source_stamp(cfg["corpus.path"], source["metadata"], source["follow_symlinks"])
    parts = (stamp, sorted(source.items()))
    return cache.value("corpus_facts", parts,
                       lambda: corpus.facts(documents() if documents else corpus.load(cfg["corpus.path"], **source)),
                       code=("corpuslab.corpus", "corpuslab.folder", "corpuslab.formats"))


def _corpus_source(cfg: dict) -> dict:
    """The keyword arguments of :func:`corpuslab.corpus.load` that the params ``corpus.*`` set."""
    return {"metadata": cfg["corpus.metadata"] or None, "text_column": cfg["corpus.text_column"],
            "id_column": cfg["corpus.id_column"], "encoding": cfg["corpus.encoding"],
            "follow_symlinks": cfg["corpus.follow_symlinks"], "filename_fields": tuple(cfg["corpus.filename_fields"]),
            "filename_separator": cfg["corpus.filename_separator"]}


def encodings(cfg: dict):
    """:func:`corpuslab.corpus.encoding_report` of the params' corpus: files not read as plain UTF-8 and hidden
    files skipped (cached by the files' names, sizes and modification times)."""
    from corpuslab import cache, corpus

    source = _corpus_source(cfg)
    stamp = corpus.source_stamp(cfg["corpus.path"], source["metadata"], source["follow_symlinks"])
    return cache.table("encodings", (stamp, source["encoding"], sorted(_hidden(cfg["corpus.path"]))),
                       lambda: corpus.encoding_report(cfg["corpus.path"], source["encoding"],
                                                      source["follow_symlinks"]),
                       code=("corpuslab.corpus", "corpuslab.folder"))


def _hidden(path) -> list[str]:
    from pathlib import Path

    folder = Path(path)
    return [p.name for p in folder.iterdir() if p.name.startswith(".")] if folder.is_dir() else []


def sentences(cfg: dict, documents):
    """:func:`corpuslab.segment.sentences` of ``documents`` with the params' paragraph mode and engine,
    cached by the text it splits and the sentence model."""
    from corpuslab import cache, corpus, segment
    from corpuslab.resources import CLEANING_PATTERNS, sha256_of

    model = [sha256_of(p) for p in sorted(segment.PUNKT_DIR.iterdir())]
    segmented = documents.drop(columns="raw_text", errors="ignore")  # the same key with or without raw_text
    parts = (corpus.fingerprint(segmented), cfg["segment.paragraphs"], model,
             CLEANING_PATTERNS.exists() and sha256_of(CLEANING_PATTERNS), cfg["corpus.clean"])
    return cache.table("sentences", parts,
                       lambda: segment.sentences(segmented, mode=cfg["segment.paragraphs"], engine=engine(cfg)),
                       code=("corpuslab.segment",))


def tokenizer(cfg: dict) -> dict:
    """The keyword arguments of :func:`corpuslab.tokens.tokenize` (and ``dtm``) that the params ``tokens.*`` set.

    ``stopwords`` is one set, or with ``tokens.stopwords: auto`` a set per language (:func:`stopwords`)."""
    return {
        "lowercase": cfg["tokens.lowercase"],
        "min_length": cfg["tokens.min_length"],
        "stopwords": stopwords(cfg),
        "keep_numbers": cfg["tokens.keep_numbers"],
        "phrases": tuple(cfg.get("tokens.phrases", ())),
        "stem": cfg.get("tokens.stem", "none"),
        "lemmatize": cfg.get("tokens.lemmatize", False),
    }


STREAM_CACHE_MIN_CHARS = 5_000_000  # below this, tokenising is about as fast as reading a cached stream


def caches_stream(texts: list[str]) -> bool:
    """Whether the token stream (and document-term matrix) of ``texts`` is cached: the cache is on and they hold
    :data:`STREAM_CACHE_MIN_CHARS` characters or more."""
    from corpuslab import cache

    return cache.enabled() and sum(map(len, texts)) >= STREAM_CACHE_MIN_CHARS


def token_stream(cfg: dict, texts, *, spans: bool = False, languages=None):
    """:func:`corpuslab.tokens.token_stream` of ``texts`` (in ``languages``, one per text; Chinese texts are
    segmented into words) on the params' engine. The stream of texts of
    :data:`STREAM_CACHE_MIN_CHARS` characters or more is cached by the texts and which of them are segmented
    (always with offsets, which KWIC needs), so the notebooks of a report tokenise a large corpus once."""
    from corpuslab import _stream, cache, tokens
    from corpuslab.languages import LANGUAGES

    texts = [t if isinstance(t, str) else "" for t in texts]
    languages = None if languages is None else [str(lang) for lang in languages]
    if not caches_stream(texts):
        return tokens.token_stream(texts, spans=spans, engine=engine(cfg), languages=languages)
    segmented = [(i, lang) for i, lang in enumerate(languages or ()) if lang in LANGUAGES and LANGUAGES[lang].segmented]
    parts = (cache.texts_digest(texts), _stream.stream_pattern(True)) \
        + ((segmented,) if segmented else ())  # an all-English corpus keeps its key
    names = ("ids", "lengths", "types", "type_lengths") + (("spans",) if spans else ())
    arrays = cache.arrays("token_stream", parts,
                          lambda: _stream.to_arrays(tokens.token_stream(texts, spans=True, engine=engine(cfg),
                                                                        languages=languages)),
                          names=names, code=("corpuslab.tokens", "corpuslab._stream"))
    return _stream.from_arrays(arrays)


def dtm(cfg: dict, texts, *, languages=None, stream=None):
    """:func:`corpuslab.tokens.dtm` of ``texts`` with the params' tokeniser, counted from :func:`token_stream`
    (the cached stream of a large corpus) or from ``stream``, these texts' stream found another way:
    document-term counts and the sorted vocabulary. ``languages``: each text's language (a ``language``
    column), which picks its words, stopwords, stems and lemmas. The counts of texts of
    :data:`STREAM_CACHE_MIN_CHARS` characters or more are cached by the texts, their languages and the tokeniser."""
    from corpuslab import cache, tokens

    options = tokenizer(cfg)
    texts = [t if isinstance(t, str) else "" for t in texts]
    languages = None if languages is None else [str(lang) for lang in languages]

    def count(stream=stream):
        if stream is None and not options["phrases"] and texts:
            stream = token_stream(cfg, texts, languages=languages)
        return tokens.dtm(texts, engine=engine(cfg), stream=stream, languages=languages, **options)

    if stream is not None or not caches_stream(texts):
        return count()
    stopwords = options["stopwords"]
    settings = {**options, "stopwords": {lang: sorted(words) for lang, words in stopwords.items()}
                if isinstance(stopwords, dict) else sorted(stopwords)}
    parts = (cache.texts_digest(texts), cache.texts_digest(languages or ()), settings)
    stored = cache.arrays("dtm", parts, lambda: _matrix_arrays(*count()),
                          code=("corpuslab.tokens", "corpuslab._stream", "corpuslab.languages"))
    return _matrix_from(stored)


def _matrix_arrays(X, terms) -> dict:
    """A document-term matrix and its terms as plain arrays, to store without pickles."""
    import numpy as np

    from corpuslab._stream import pack_strings

    packed, lengths = pack_strings(terms)
    return {"data": X.data, "indices": X.indices, "indptr": X.indptr, "shape": np.array(X.shape, dtype=np.int64),
            "terms": packed, "term_lengths": lengths}


def _matrix_from(arrays: dict):
    """The (X, terms) :func:`_matrix_arrays` stored."""
    from scipy import sparse

    from corpuslab._stream import unpack_strings

    X = sparse.csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]), shape=tuple(arrays["shape"]))
    return X, unpack_strings(arrays["terms"], arrays["term_lengths"])


def corpus_summary(documents, sentences, cfg: dict):
    """:func:`corpuslab.counts.corpus_summary` of the documents, every word counted (no stopwords), read from the
    documents' token stream (cached for a large corpus) by :func:`corpuslab.counts.stream_summary`, without
    building their document-term matrix."""
    from corpuslab import counts

    texts, languages = documents["text"].tolist(), _languages(documents)
    return counts.stream_summary(documents, token_stream(cfg, texts, languages=languages), sentences, languages)


def document_languages(cfg: dict, documents):
    """The language code of each document (a Series aligned with ``documents``): its ``language`` column when
    the documents have one (detected or from the metadata), else the ``corpus.language`` param when it names a
    language (not ``auto``), else "en" (the corpus is taken to be English, as before languages were read)."""
    import pandas as pd

    if "language" in documents.columns:
        return documents["language"].rename("language")
    value = str(cfg.get("corpus.language") or "en")
    return pd.Series("en" if value == "auto" else value, index=documents.index, name="language")


def unreadable_files(cfg: dict):
    """:func:`corpuslab.corpus.unreadable_report` of the params' corpus: files that could not be read and why
    (cached by the files' names, sizes and modification times)."""
    from corpuslab import cache, corpus

    source = _corpus_source(cfg)
    stamp = corpus.source_stamp(cfg["corpus.path"], source["metadata"], source["follow_symlinks"])
    return cache.table("unreadable_files", (stamp, source["encoding"]),
                       lambda: corpus.unreadable_report(cfg["corpus.path"], source["encoding"],
                                                        source["follow_symlinks"]),
                       code=("corpuslab.corpus", "corpuslab.folder", "corpuslab.formats"))


def with_languages(cfg: dict, documents):
    """``documents`` with their ``language`` column (ISO 639-1): ``corpus.language`` for every document, or with
    ``auto`` the metadata's own language column where it names a known language, else detected
    (:func:`corpuslab.languages.document_languages`)."""
    from corpuslab import languages

    found = languages.document_languages(documents, cfg["corpus.language"])
    return documents.assign(language=found.to_numpy())


def _languages(table) -> list[str] | None:
    """The ``language`` column of a documents or units table, or None (then every text is English)."""
    return table["language"].astype(str).tolist() if "language" in table.columns else None


def stopwords(cfg: dict):
    """The stopwords ``tokens.stopwords`` and ``tokens.extra_stopwords`` give: one set, or with ``auto`` a dict of
    sets by language of :data:`corpuslab.languages.LANGUAGES` (``english-extended`` for English)."""
    from corpuslab import tokens
    from corpuslab.languages import AUTO, LANGUAGES

    name, extra = cfg["tokens.stopwords"], tuple(cfg["tokens.extra_stopwords"])
    if name != AUTO:
        return tokens.stopword_list(name, extra)
    return {code: tokens.language_stopwords(code, AUTO, extra) for code in LANGUAGES}


def flat_tokenizer(cfg: dict, languages=None) -> dict:
    """:func:`tokenizer`'s options with one stopword set, :func:`stopwords_of` the ``languages`` (English if None):
    for steps that tokenise without a language per text (embeddings, a reference corpus); their cache keys then
    hold the words themselves."""
    return {**tokenizer(cfg), "stopwords": stopwords_of(cfg, languages)}


def stopwords_of(cfg: dict, languages=None) -> frozenset[str]:
    """The stopwords of the params for texts in ``languages`` (their union; English if None): what collocations
    must not start or end with."""
    chosen = stopwords(cfg)
    if not isinstance(chosen, dict):
        return chosen
    return frozenset().union(*(chosen.get(code, frozenset()) for code in set(languages or ["en"])))
