"""The orchestration layer: the only module that reads params, consults the cache and picks the engine.

Notebooks call these functions with the resolved params (``cfg``); each one reads the
settings it needs, builds an :class:`~corpuslab.engine.Engine`, looks the result up in
the cache (keyed by its inputs, its settings and the source of the code that makes it)
and otherwise calls the pure analysis functions, which take data and return tables.
"""

from __future__ import annotations

from corpuslab.engine import Engine
from corpuslab.errors import CorpuslabError


def engine(cfg: dict) -> Engine:
    """The compute engine the params choose (``engine``, ``n_jobs``, ``dask.scheduler``)."""
    return Engine(cfg["engine"], cfg["n_jobs"], cfg["dask.scheduler"])


# ---------------------------------------------------------------------------------------------------------------
# Corpus, cleaning, segments, tokens and dictionaries
# ---------------------------------------------------------------------------------------------------------------

def documents(cfg: dict, *, raw_text: bool = False):
    """The documents table the params describe: loaded and, if ``corpus.clean``, cleaned (cached by the
    corpus's fingerprint and the cleaning patterns).

    The text before cleaning (column ``raw_text``) is kept only if asked for: only the cleaning
    report needs it, and on a large corpus it doubles the memory a table takes.
    """
    from corpuslab import cache, cleaning, corpus
    from corpuslab.resources import CLEANING_PATTERNS, sha256_of

    source = _corpus_source(cfg)
    if not cfg["corpus.clean"]:
        return with_languages(cfg, corpus.load(cfg["corpus.path"], **source))
    loaded = []

    def load():  # read at most once, and only if the cache cannot answer
        if not loaded:
            loaded.append(corpus.load(cfg["corpus.path"], **source))
        return loaded[0]

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


def token_stream(cfg: dict, texts, *, spans: bool = False, languages=None):
    """:func:`corpuslab.tokens.token_stream` of ``texts`` (in ``languages``, one per text; Chinese texts are
    segmented into words) on the params' engine. The stream of texts of
    :data:`STREAM_CACHE_MIN_CHARS` characters or more is cached by the texts and which of them are segmented
    (always with offsets, which KWIC needs), so the notebooks of a report tokenise a large corpus once."""
    import pandas as pd

    from corpuslab import _stream, cache, tokens
    from corpuslab.languages import LANGUAGES

    texts = [t if isinstance(t, str) else "" for t in texts]
    languages = None if languages is None else [str(lang) for lang in languages]
    if not cache.enabled() or sum(map(len, texts)) < STREAM_CACHE_MIN_CHARS:
        return tokens.token_stream(texts, spans=spans, engine=engine(cfg), languages=languages)
    segmented = [(i, lang) for i, lang in enumerate(languages or ()) if lang in LANGUAGES and LANGUAGES[lang].segmented]
    parts = (cache.frame_digest(pd.DataFrame({"text": texts}), ["text"]), _stream.stream_pattern(True)) \
        + ((segmented,) if segmented else ())  # an all-English corpus keeps its key
    names = ("ids", "lengths", "types", "type_lengths") + (("spans",) if spans else ())
    arrays = cache.arrays("token_stream", parts,
                          lambda: _stream.to_arrays(tokens.token_stream(texts, spans=True, engine=engine(cfg),
                                                                        languages=languages)),
                          names=names, code=("corpuslab.tokens", "corpuslab._stream"))
    return _stream.from_arrays(arrays)


def dtm(cfg: dict, texts, *, languages=None):
    """:func:`corpuslab.tokens.dtm` of ``texts`` with the params' tokeniser, counted from :func:`token_stream`
    (the cached stream of a large corpus): document-term counts and the sorted vocabulary. ``languages``:
    each text's language (a ``language`` column), which picks its words, stopwords, stems and lemmas."""
    from corpuslab import tokens

    options = tokenizer(cfg)
    texts = [t if isinstance(t, str) else "" for t in texts]
    languages = None if languages is None else [str(lang) for lang in languages]
    stream = None if options["phrases"] or not texts else token_stream(cfg, texts, languages=languages)
    return tokens.dtm(texts, engine=engine(cfg), stream=stream, languages=languages, **options)


def uses_bundled_corpus(cfg: dict) -> bool:
    """Whether ``corpus.path`` is the bundled China–Russia corpus, for which the bundled dictionaries were made."""
    from corpuslab.resources import BUNDLED_CORPUS, resolve_path

    return resolve_path(cfg.get("corpus.path", BUNDLED_CORPUS)).resolve() == BUNDLED_CORPUS.resolve()  # the default


def dictionary(cfg: dict, which: str = "actors", *, units=None):
    """The dictionary for ``which`` ("actors" or "themes"): the YAML file ``dictionary.<which>`` names (relative
    paths resolve against the project folder); if empty, the bundled file on the bundled corpus; on any other
    corpus the names most frequent in ``units`` (:mod:`corpuslab.names`, category ``automatic``) for actors,
    and ``None`` for themes (no theme list fits every corpus)."""
    from corpuslab import dictionary as dictionaries
    from corpuslab.resources import resolve_path

    value = cfg.get(f"dictionary.{which}", "")
    if value:
        return dictionaries.load(resolve_path(value))
    if uses_bundled_corpus(cfg):
        return dictionaries.load({"actors": dictionaries.ACTORS, "themes": dictionaries.THEMES}[which])
    if which == "themes" or units is None:
        return None
    return automatic_actors(cfg, units)


def automatic_actors(cfg: dict, units):
    """:func:`corpuslab.names.names_dictionary` of the names most frequent in ``units`` (cached by their text).
    English stopwords are never names (the same list in every notebook, whatever ``tokens.stopwords`` says)."""
    from corpuslab import cache, names, tokens

    stopwords = tokens.stopword_list("english")
    found = cache.table("names", (cache.frame_digest(units, ["doc_id", "text"]), sorted(stopwords)),
                        lambda: names.frequent_names(units, stopwords=stopwords), code=("corpuslab.names",))
    return names.names_dictionary(found)


def mentions(cfg: dict, units, dictionary):
    """:func:`corpuslab.dictionary.mentions` on the params' engine, cached by the units (ids, offsets, text)
    and the dictionary's entries."""
    from corpuslab import cache
    from corpuslab import dictionary as dictionaries

    read = [c for c in ("doc_id", "unit_id", "start", "text") if c in units.columns]
    entries = [(e.name, e.category, e.terms, e.regex) for e in dictionary.values()]
    return cache.table("mentions", (cache.frame_digest(units, read), entries),
                       lambda: dictionaries.mentions(units, dictionary, engine=engine(cfg)),
                       code=("corpuslab.dictionary", "corpuslab._screen"))


def dictionary_counts(cfg: dict, units, dictionary, *, zeros: bool = False):
    """:func:`corpuslab.dictionary.count` of ``units`` from the cached :func:`mentions`: matches per unit and entry."""
    from corpuslab import dictionary as dictionaries

    return dictionaries.count_mentions(mentions(cfg, units, dictionary), units, dictionary, zeros=zeros)




# ---------------------------------------------------------------------------------------------------------------
# Term frequency, keyness, collocations, KWIC, lexical diversity
# ---------------------------------------------------------------------------------------------------------------

def corpus_summary(documents, sentences, cfg: dict):
    """:func:`corpuslab.counts.corpus_summary` of the documents, every word counted (no stopwords), from the
    documents' token stream (cached for a large corpus)."""
    from corpuslab import counts, tokens

    texts, languages = documents["text"].tolist(), _languages(documents)
    X, _ = tokens.dtm(texts, lowercase=True, engine=engine(cfg), languages=languages,
                      stream=token_stream(cfg, texts, languages=languages) if texts else None)
    return counts.corpus_summary(documents, X, sentences)


def groupings(cfg: dict, documents) -> dict:
    """The groupings every grouped view compares (:func:`corpuslab.groups.groupings` of the ``groups`` param):
    a name ("party", "period") and one label per document, indexed like ``documents``."""
    from corpuslab import groups

    return groups.groupings(documents, cfg["groups"])


def display_groupings(cfg: dict, documents) -> dict:
    """:func:`groupings` for figures and side-by-side tables (:func:`corpuslab.groups.display_groupings`: the
    documents themselves, or the whole corpus, when there is no grouping)."""
    from corpuslab import groups

    return groups.display_groupings(documents, cfg["groups"])


KEYNESS_NEEDS_GROUPS = ("Keyness compares groups of documents, and this corpus has neither dates nor a metadata "
                        "column with 2-12 values: add a date or a grouping column (such as party) to the metadata, "
                        "or set frequency.keyness_column (doc_id compares single documents).")


def keyness_comparison(documents, cfg: dict):
    """The documents keyness compares (:class:`corpuslab.keyness.Comparison`), and the column that picks them;
    ``(None, reason)`` when the corpus cannot support the default comparison (no grouping, or one group only).

    Explicit ``frequency.keyness_*`` values that name nothing in the corpus raise (the run checks them before
    any notebook starts)."""
    from corpuslab import keyness as keyness_

    column = cfg["frequency.keyness_column"] or next(iter(groupings(cfg, documents)), "")
    if not column:
        return None, KEYNESS_NEEDS_GROUPS
    explicit = bool(cfg["frequency.keyness_column"]) or cfg["frequency.keyness_target"] != "auto" \
        or cfg["frequency.keyness_reference"] != "auto"
    try:
        return keyness_.target_and_reference(documents, column=column, target=cfg["frequency.keyness_target"],
                                             reference=cfg["frequency.keyness_reference"]), column
    except CorpuslabError as exc:
        if explicit:
            raise
        return None, (f"Keyness by {column} is skipped: {exc}. Set groups, or frequency.keyness_column and "
                      "frequency.keyness_target, to compare other documents.")


def keyness(documents, X, terms, cfg: dict):
    """The keyness table the ``frequency.keyness_*`` and ``frequency.min_count`` params ask for, and the
    documents it compares (:class:`corpuslab.keyness.Comparison`: masks and display names); ``(None, reason)``
    when the corpus cannot support it (:func:`keyness_comparison`)."""
    from corpuslab import keyness as keyness_

    compared, why = keyness_comparison(documents, cfg)
    if compared is None:
        return None, why
    table = keyness_.keyness(X, terms, compared.target, reference=compared.reference,
                             measure=cfg["frequency.keyness_measure"], correction=cfg["frequency.keyness_correction"],
                             min_count=cfg["frequency.min_count"])
    return table, compared


def check_before_run(cfg: dict) -> None:
    """Everything about the params that the corpus decides, checked before any notebook starts: the ``groups``
    columns, the keyness column and its target and reference values, and the dictionary files. Raises
    :class:`~corpuslab.errors.CorpuslabError` (one line) naming the key, the value and what is allowed."""
    docs = documents(cfg)
    groupings(cfg, docs)
    keyness_comparison(docs, cfg)
    check_scaling(cfg, docs)
    check_reference(cfg)
    for which in ("actors", "themes"):
        try:
            dictionary(cfg, which)
        except CorpuslabError as exc:
            raise CorpuslabError(f"dictionary.{which}: " + " ".join(str(exc).split())) from None


def collocations(documents, cfg: dict, *, stream=None):
    """Pairs and triples (:func:`corpuslab.collocations.collocations`) seen at least ``frequency.min_count``
    times, not starting or ending with a stopword of the params' list; ``stream``: the texts' token stream."""
    from corpuslab import collocations as collocations_

    stopwords = stopwords_of(cfg, _languages(documents))
    return collocations_.collocations(documents["text"], sizes=(2, 3), min_count=cfg["frequency.min_count"],
                                      exclude=stopwords, stream=stream)


def kwic(documents, cfg: dict, *, index=None, sort: str = "right"):
    """Keywords in context (:func:`corpuslab.kwic.kwic`) of the ``frequency.kwic_*`` params' queries; with the
    ``page`` of each hit (:func:`corpuslab.formats.with_pages`) when the corpus holds PDFs."""
    from corpuslab import formats
    from corpuslab import kwic as kwic_

    hits = kwic_.kwic(documents, cfg["frequency.kwic_queries"], kind=cfg["frequency.kwic_kind"],
                      window=cfg["frequency.kwic_window"], sort=sort, index=index)
    return formats.with_pages(hits, documents) if "pages" in documents.columns else hits





# ---------------------------------------------------------------------------------------------------------------
# Topics
# ---------------------------------------------------------------------------------------------------------------

from corpuslab import topic_selection  # noqa: E402  (the topics section's imports)
from corpuslab.topics import TopicModel  # noqa: E402


def topic_units(documents, cfg: dict):
    """The unit table a topic model is fitted on, by ``topics.unit``: paragraph, document, sentence or window.

    unit_id is the position of the unit within its document (0, 1, ...), stable for the same input
    and params; a document is unit 0 of itself; windows hold ``topics.window`` tokens each.
    """
    from corpuslab import segment, topics

    unit = cfg["topics.unit"]
    if unit == "paragraph":
        return segment.paragraphs(documents, mode=cfg["segment.paragraphs"])
    if unit == "sentence":
        return sentences(cfg, documents)
    if unit == "window":
        return topics.window_units(documents, size=cfg["topics.window"])
    return documents.assign(unit_id=0)


def topic_matrix(documents, cfg: dict):
    """The units a topic model is fitted on and their unit-term counts: (units, left_out, X, terms).

    Units of ``topics.unit`` with fewer than ``topics.min_unit_tokens`` tokens (as the ``tokens.*``
    params count them) are left out and returned, never silently lost; X and terms are those of
    the kept units alone.
    """
    from corpuslab import topics

    all_units = topic_units(documents, cfg)
    X_all, terms_all = dtm(cfg, all_units["text"], languages=_languages(all_units))
    return topics.drop_short(all_units, X_all, terms_all, min_tokens=cfg["topics.min_unit_tokens"])


def select_k(X, cfg: dict):
    """Model selection over k = ``topics.k_min`` .. ``topics.k_max`` (at most the number of units):
    (table ``topic_selection``, the all-units model of each k), with ``topics.n_seeds`` seeds from ``seed``.
    With more than ``topics.selection_units`` units (if not 0), on a random sample of that many drawn with
    ``seed`` (:func:`corpuslab.topic_selection.sample_units`): the models are then those of the sample.
    """
    if 0 < cfg["topics.selection_units"] < X.shape[0]:  # a large corpus: k is chosen on a sample of its units
        X = X[topic_selection.sample_units(X.shape[0], cfg["topics.selection_units"], cfg["seed"])]
    n_units = X.shape[0]
    ks = list(range(cfg["topics.k_min"], min(cfg["topics.k_max"], n_units) + 1))
    if not ks:
        raise CorpuslabError(f"topics.k_min: got {cfg['topics.k_min']}; allowed: at most the number of units "
                             f"({n_units}); lower topics.k_min or use a smaller topics.unit")
    seeds = tuple(cfg["seed"] + i for i in range(cfg["topics.n_seeds"]))
    return topic_selection.select_k(X, ks=ks, method=cfg["topics.method"], seeds=seeds, top_n=cfg["topics.top_n"],
                                    engine=engine(cfg))


def topic_model(X, cfg: dict, *, fitted: dict | None = None) -> TopicModel:
    """The model of ``topics.k`` topics the report reads: the all-units fit model selection made
    (``fitted``, from :func:`select_k`) when it made one with these params on all of ``X``, else a new fit."""
    model = (fitted or {}).get(cfg["topics.k"])
    if model is not None and (model.method, model.seed, len(model.unit_topic_)) == (cfg["topics.method"], cfg["seed"],
                                                                                      X.shape[0]):
        return model  # fitted on these units, not on a sample of them
    return TopicModel(cfg["topics.k"], method=cfg["topics.method"], seed=cfg["seed"]).fit(X)




# ---------------------------------------------------------------------------------------------------------------
# Sentiment
# ---------------------------------------------------------------------------------------------------------------

def sentiment_validation(cfg: dict):
    """The ``sentiment_validation`` table (:func:`corpuslab.sentiment_validation.validate`) for the
    ``sentiment.validation`` param, cached by implementation, gold data and settings."""
    from corpuslab import cache, sentiment_validation
    from corpuslab.resources import sha256_of
    from corpuslab.vader import implementation

    datasets = sentiment_validation.DATASET_CHOICES[cfg["sentiment.validation"]]
    settings = {"threshold": cfg["sentiment.threshold"], "n_boot": cfg["sentiment.n_boot"], "seed": cfg["seed"],
                "vader_input": cfg["sentiment.vader_input"]}
    gold = sorted(sha256_of(sentiment_validation.GOLD_DIR / sentiment_validation.GOLD_FILES[d]) for d in datasets)
    return cache.table("sentiment_validation", (implementation(), gold, datasets, settings),
                       lambda: sentiment_validation.validate(datasets, **settings),
                       code=("corpuslab.sentiment_validation",))


# ---- multilingual: the language of each document ----

def document_languages(cfg: dict, documents):
    """The language code of each document (a Series aligned with ``documents``): its ``language`` column when
    the documents have one (detected or from the metadata), else the ``corpus.language`` param when it names a
    language (not ``auto``), else "en" (the corpus is taken to be English, as before languages were read)."""
    import pandas as pd

    if "language" in documents.columns:
        return documents["language"].rename("language")
    value = str(cfg.get("corpus.language") or "en")
    return pd.Series("en" if value == "auto" else value, index=documents.index, name="language")
# ---- formats: document files of a folder corpus (PDF, DOCX, HTML, Markdown) ----

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
# ---- similarity: document similarity, clusters and groups over time (04_similarity) ----

def similarity_weights(cfg: dict, documents):
    """The documents' tf-idf weights (:func:`corpuslab.similarity.tfidf_weights`) from :func:`dtm` (the
    params' tokeniser): (W, terms)."""
    from corpuslab import similarity

    X, terms = dtm(cfg, documents["text"], languages=_languages(documents))
    return similarity.tfidf_weights(X), terms


def similarity_sample(cfg: dict, n_documents: int):
    """The positions of the documents compared pairwise: all, or every k-th when there are more than
    ``similarity.max_documents``."""
    import numpy as np

    step = max(1, -(-n_documents // cfg["similarity.max_documents"]))
    return np.arange(0, n_documents, step)


SIMILARITY_NO_DATES = ("Similarity over time is skipped: no document has a date. Add a date (YYYY, YYYY-MM or "
                       "YYYY-MM-DD) or a year column to the metadata to follow two groups year by year.")


def similarity_pair(cfg: dict, documents):
    """The two groups followed over time and each document's group: ``((a, b), labels)``, or ``(None, reason)``
    when the corpus cannot support it. ``similarity.pair`` names two values of one metadata column (the
    groupings first, then any other column); empty, :func:`corpuslab.similarity.default_pair` of the first
    grouping other than period. Raises when ``similarity.pair`` names values no column holds."""
    from corpuslab import periods, similarity

    if not periods.is_dated(documents):
        return None, SIMILARITY_NO_DATES
    times = similarity.time_points(documents["date"])
    wanted = [str(v) for v in cfg["similarity.pair"]]
    found = {name: labels for name, labels in groupings(cfg, documents).items() if name != "period"}
    if not wanted:
        if not found:
            return None, ("Similarity over time is skipped: the corpus has no grouping other than period. Set "
                          "similarity.pair to two values of a metadata column, e.g. [CHN, RUS] for country.")
        labels = next(iter(found.values())).astype(str)
        pair = similarity.default_pair(labels, times)
        if pair is None:
            return None, ("Similarity over time is skipped: no two groups of the first grouping other than period "
                          "have documents in the same year. Set similarity.pair to two values of a metadata column.")
        return pair, labels
    if len(wanted) != 2 or wanted[0] == wanted[1]:
        raise CorpuslabError(f"similarity.pair: got {wanted}; allowed: two different group values, e.g. [CHN, RUS]")
    skipped = {"doc_id", "text", "raw_text", "date", "date_precision", "label"}
    columns = {**found, **{c: documents[c] for c in documents.columns if c not in skipped and c not in found}}
    for labels in columns.values():
        values = set(labels.astype(str))
        if all(v in values for v in wanted):
            return tuple(wanted), labels.astype(str)
    raise CorpuslabError(f"similarity.pair: no metadata column holds both {wanted[0]!r} and {wanted[1]!r}; "
                         "name two values of one column (such as country), or leave it empty")
# ---- scaling: Wordscores and Wordfish on documents or groups (05_scaling) ----

def scaling_plan(cfg: dict, documents) -> tuple[str, list[str], list[int], str]:
    """Which texts ``scaling.unit`` scales: (kind, labels, rows, note). ``kind`` is "document" or the grouping's
    name; ``rows`` the documents read (all, or a seeded sample of ``scaling.max_documents`` that keeps the documents
    ``scaling.direction`` names); ``labels`` each row's text (its name, or its group); ``note`` one sentence when
    the choice is not what was asked for or a sample was drawn. Documents are named by their label (doc_id when
    labels repeat)."""
    import numpy as np


    unit, cap, note = cfg["scaling.unit"], cfg["scaling.max_documents"], ""
    found = groupings(cfg, documents)
    wants_groups = unit == "group" or (unit == "auto" and (bool(cfg["groups"]) or len(documents) > cap))
    if wants_groups and found:
        name, labels = next(iter(found.items()))
        return name, labels.astype(str).tolist(), list(range(len(documents))), note
    if wants_groups:
        note = "The corpus has no grouping (set `groups` to a metadata column), so documents are scaled. "
    names = _document_names(documents)
    rows = np.arange(len(documents))
    if len(rows) > cap:
        named = set(cfg["scaling.direction"])
        kept = [i for i in rows if names[i] in named or documents["doc_id"].iloc[i] in named]
        others = np.setdiff1d(rows, kept)
        rows = np.sort(np.concatenate([kept, np.random.default_rng(cfg["seed"]).choice(
            others, size=max(cap - len(kept), 0), replace=False)])).astype(int)
        note += (f"Documents scaled: a random sample of {len(rows):,} of the {len(documents):,} (seed {cfg['seed']}; "
                 "raise `scaling.max_documents`, or scale groups).")
    return "document", [names[i] for i in rows], [int(i) for i in rows], note.strip()


def _document_names(documents) -> list[str]:
    from corpuslab import groups

    shown = documents["doc_id"].map(groups.labels(documents)).astype(str)
    return (shown if shown.is_unique else documents["doc_id"].astype(str)).tolist()


def scaling_units(cfg: dict, documents, X):
    """The texts :func:`scaling_plan` chooses and their counts (a group's: its documents' summed): (counts, names,
    kind, note)."""
    from corpuslab import scaling

    kind, labels, rows, note = scaling_plan(cfg, documents)
    counts, names = scaling.group_counts(X[rows], labels)
    return counts, [str(n) for n in names], kind, note


def scaling_direction(cfg: dict, documents) -> list[str]:
    """``scaling.direction`` in the names :func:`scaling_units` gives (a doc_id is read as its document's name)."""
    by_id = dict(zip(documents["doc_id"].astype(str), _document_names(documents)))
    return [by_id.get(d, d) for d in cfg["scaling.direction"]]


def check_scaling(cfg: dict, documents) -> None:
    """Raise naming the key if ``scaling.direction`` names no scaled text, or ``scaling.reference_column`` or
    ``scaling.reference_scores`` name nothing in the corpus (:func:`check_before_run` calls it)."""
    from corpuslab import scaling

    _, labels, _, _ = scaling_plan(cfg, documents)
    scaling.direction_indices(list(dict.fromkeys(labels)), scaling_direction(cfg, documents))
    if cfg["scaling.reference_scores"]:
        _reference_values(cfg, documents)


def wordfish(cfg: dict, documents, X, terms, counts, names):
    """Wordfish (:func:`corpuslab.scaling.wordfish`) of the scaled texts ``counts`` on the terms in at least
    ``scaling.min_docfreq`` of the documents (``X``), at most ``scaling.max_terms``: ((positions, words, fit), "")
    or ``(None, reason)`` when too few texts or terms remain."""
    from corpuslab import scaling

    keep = scaling.select_terms(X, min_docfreq=cfg["scaling.min_docfreq"], max_terms=cfg["scaling.max_terms"])
    try:
        return scaling.wordfish(counts[:, keep], names, terms[keep],
                                direction=scaling_direction(cfg, documents)), ""
    except CorpuslabError as exc:
        if "scaling.direction" in str(exc):
            raise
        return None, (f"**Wordfish is skipped:** {str(exc).rstrip('.')}. It needs at least 3 texts sharing "
                      "words: scale documents (`scaling.unit: document`), choose a grouping with more groups, "
                      "or lower `scaling.min_docfreq`.")


WORDSCORES_NEEDS_REFERENCES = ("**Wordscores is skipped:** it needs reference texts with known positions. Set "
                               "`scaling.reference_scores` to value=score items (e.g. `[R1=-1.5, R5=1.5]`) naming "
                               "values of `scaling.reference_column` (doc_id by default).")


def wordscores(cfg: dict, documents, X, terms, counts, names):
    """Wordscores (:func:`corpuslab.scaling.wordscores`) of the scaled texts from the reference texts
    ``scaling.reference_scores`` names (each: the documents with that value of ``scaling.reference_column``,
    summed), on every term: ((words, texts), ""), or ``(None, reason)`` without reference scores."""
    from corpuslab import scaling

    given = scaling.reference_scores(cfg["scaling.reference_scores"])
    if not given:
        return None, WORDSCORES_NEEDS_REFERENCES
    values = _reference_values(cfg, documents)
    chosen = [i for i, v in enumerate(values) if v in given]
    reference, labels = scaling.group_counts(X[chosen], values[chosen].tolist())
    words, texts = scaling.wordscores(reference, [given[v] for v in labels], counts, names, terms,
                                      reference_labels=labels)
    kind, _, rows, _ = scaling_plan(cfg, documents)
    if kind == "document":  # a document is a reference text, or part of one, by its value of the column
        texts["reference_score"] = [given.get(v, float("nan")) for v in values[rows]]
    return (words, texts), ""


def _reference_values(cfg: dict, documents):
    """Each document's value of ``scaling.reference_column`` (as text); raises if the column or a value that
    ``scaling.reference_scores`` names is not in the corpus."""
    from corpuslab import scaling

    column = cfg["scaling.reference_column"]
    found = groupings(cfg, documents) if column == "period" else {}
    if column not in documents.columns and column not in found:
        raise CorpuslabError(f"scaling.reference_column: got {column!r}; allowed: a metadata column of the corpus "
                             f"({', '.join(c for c in documents.columns if c not in ('text', 'raw_text'))})")
    values = (found[column] if column in found else documents[column]).astype(str).to_numpy()
    missing = [v for v in scaling.reference_scores(cfg["scaling.reference_scores"]) if v not in set(values)]
    if missing:
        raise CorpuslabError(f"scaling.reference_scores: got {', '.join(map(repr, missing))}, not a value of "
                             f"{column}; allowed: values such as {', '.join(sorted(set(values))[:6])}")
    return values
# ---- languages: the language column, stopwords by language ----

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

# ---- embeddings: word2vec vectors of the corpus, one model per seed, cached ----

def word_vectors(cfg: dict, sentences) -> tuple[list, int]:
    """word2vec vectors (:func:`corpuslab.embeddings.train`) of ``embeddings.n_seeds`` seeds from ``seed``, trained
    on a seeded sample of at most ``embeddings.max_tokens`` tokens of the ``sentences`` table, tokenised with the
    ``tokens.*`` params; and the number of tokens trained on. Cached by the sentences, the settings and the code.
    Raises :class:`~corpuslab.errors.CorpuslabError` when no word is frequent enough to train on."""
    import numpy as np

    from corpuslab import cache, embeddings

    options = flat_tokenizer(cfg, _languages(sentences))
    seeds = [cfg["seed"] + i for i in range(cfg["embeddings.n_seeds"])]

    def build() -> dict:
        chosen = embeddings.training_sentences(sentences["text"].tolist(), max_tokens=cfg["embeddings.max_tokens"],
                                               seed=cfg["seed"], **options)
        stored = {"n_tokens": np.array([sum(map(len, chosen))])}
        for i, seed in enumerate(seeds):
            vectors = embeddings.train(chosen, seed=seed)
            stored[f"words_{i}"], stored[f"vectors_{i}"] = np.array(vectors.index_to_key, dtype=str), vectors.vectors
        return stored

    parts = (cache.frame_digest(sentences, ["doc_id", "text"]), {**options, "stopwords": sorted(options["stopwords"])},
             cfg["embeddings.max_tokens"], seeds, embeddings.TRAINING)
    stored = cache.arrays("word_vectors", parts, build, code=("corpuslab.embeddings",))
    models = [embeddings.keyed_vectors(stored[f"words_{i}"].tolist(), stored[f"vectors_{i}"])
              for i in range(len(seeds))]
    return models, int(stored["n_tokens"][0])


def embedding_models(cfg: dict, sentences) -> tuple[list, int, str]:
    """:func:`word_vectors`, or no models, 0 tokens and the reason when the corpus is too small to train on."""
    try:
        models, n_tokens = word_vectors(cfg, sentences)
    except CorpuslabError as exc:
        return [], 0, str(exc)
    return models, n_tokens, ""


# ---- embeddings: keyness of the corpus against a reference corpus (Brown, or a second corpus) ----

REFERENCE_MIN_SHARED = 0.5  # below this share of the corpus's tokens found in Brown, the corpus is not (modern) English


def reference_counts(cfg: dict) -> tuple[object, str]:
    """The reference corpus ``frequency.reference_corpus`` names, as term counts under the params' ``tokens.*``
    settings, and its display name; ``(None, "")`` for none. Brown is read from ``data/reference/brown.csv``; a
    path is loaded with :func:`corpuslab.corpus.load` and counted like the corpus (cached by its fingerprint)."""
    import pandas as pd

    from corpuslab import cache, corpus, tokens
    from corpuslab import keyness as keyness_
    from corpuslab.resources import BROWN_REFERENCE, sha256_of

    name = cfg["frequency.reference_corpus"].strip()
    options = flat_tokenizer(cfg, ["en"])  # Brown is English; a second corpus is compared only if it is too
    if name.lower() in ("", "none"):
        return None, ""
    if name.lower() == "brown":
        parts = (sha256_of(BROWN_REFERENCE), {**options, "stopwords": sorted(options["stopwords"])})
        table = cache.table("reference_brown", parts, lambda: keyness_.retokenised(
            keyness_.read_reference(BROWN_REFERENCE), **options).rename_axis("term").reset_index(),
            code=("corpuslab.keyness",))
        return pd.Series(table["count"].to_numpy(), index=table["term"].to_numpy()), "the Brown corpus (1961)"
    path = check_reference(cfg)
    second = corpus.load(path)

    def count() -> pd.DataFrame:
        X, terms = tokens.dtm(second["text"].tolist(), engine=engine(cfg), **options)
        return pd.DataFrame({"term": terms, "count": X.sum(axis=0).A1})

    parts = (corpus.fingerprint(second), {**options, "stopwords": sorted(options["stopwords"])})
    table = cache.table("reference_counts", parts, count, code=("corpuslab.tokens",))
    counts = pd.Series(table["count"].to_numpy(), index=table["term"].to_numpy())
    return counts, f"{path.name} ({len(second)} documents)"


def check_reference(cfg: dict):
    """The path of the second corpus ``frequency.reference_corpus`` names (``None`` for brown or none); raises
    :class:`~corpuslab.errors.CorpuslabError` when it does not exist (checked before any notebook starts)."""
    from corpuslab.resources import resolve_path

    name = cfg["frequency.reference_corpus"].strip()
    if name.lower() in ("", "none", "brown"):
        return None
    path = resolve_path(name)
    if not path.exists():
        raise CorpuslabError(f"frequency.reference_corpus: got {name!r}; allowed: brown, none, or the path of a "
                             "corpus folder or table that exists")
    return path


def keyness_reference(cfg: dict, X, terms) -> tuple[object, str]:
    """Keyness of the whole corpus (counts ``X``, vocabulary ``terms``) against ``frequency.reference_corpus``
    (:func:`corpuslab.keyness.keyness_against`, the ``frequency.keyness_*`` statistics): the table and the
    reference's name, or ``(None, reason)`` when there is none or the corpus shares too few words with Brown."""
    import pandas as pd

    from corpuslab import keyness as keyness_

    reference, name = reference_counts(cfg)
    if reference is None:
        return None, "Keyness against a reference corpus is off (frequency.reference_corpus: none)."
    brown = cfg["frequency.reference_corpus"].strip().lower() == "brown"
    target = pd.Series(X.sum(axis=0).A1, index=terms)
    if brown and not cfg["tokens.lowercase"]:
        target = target.groupby(target.index.str.lower()).sum()  # Brown's counts are lower-cased
    shared = keyness_.shared_token_share(target, reference)
    if brown and shared < REFERENCE_MIN_SHARED:
        return None, (f"Keyness against Brown is skipped: only {shared:.0%} of this corpus's tokens occur in the "
                      "Brown corpus, so it is probably not in English; set frequency.reference_corpus to a "
                      "corpus in its language, or none.")
    table = keyness_.keyness_against(target, reference, measure=cfg["frequency.keyness_measure"],
                                     correction=cfg["frequency.keyness_correction"],
                                     min_count=cfg["frequency.min_count"])
    return table, name
# ---- effects: topic prevalence as a function of metadata (issue 22, item 1) ----

def effects_covariates(cfg: dict, documents) -> tuple[bool, str]:
    """Whether the prevalence regression has a time term, and the grouping it compares ("" for none), from
    ``effects.covariates`` (empty: time when the corpus is dated, plus the first grouping of ``groups`` other
    than the period)."""
    from corpuslab import groups, periods, topic_effects

    names = cfg["effects.covariates"]
    if not names:
        others = [n for n in groups.groupings(documents, cfg["groups"]) if n != groups.PERIOD]
        return periods.is_dated(documents), (others[0] if others else "")
    columns = [n for n in names if n != topic_effects.TIME]
    if len(columns) > 1:
        raise CorpuslabError(f"effects.covariates: got {names}; allowed: time and at most one metadata column, "
                             "e.g. [time, country]")
    if topic_effects.TIME in names and not periods.is_dated(documents):
        raise CorpuslabError("effects.covariates: got 'time', but no document has a date; add a date or year "
                             "column to the metadata, or name a metadata column only")
    groups.check_groups(documents, columns)
    return topic_effects.TIME in names, (columns[0] if columns else "")


def topic_effects(documents, units, X, model, cfg: dict):
    """The prevalence regression of the documents' topic proportions (:func:`corpuslab.topic_effects.fit`) on the
    covariates of :func:`effects_covariates`, with ``effects.n_draws`` draws (LDA: units' variational Dirichlet;
    NMF: units resampled within documents) and the contrast of ``effects.contrast``: (effects, (a, b)), or
    (None, the reason in one sentence) when this corpus cannot support it."""
    import numpy as np

    from corpuslab import groups
    from corpuslab import topic_effects as te

    use_time, group_name = effects_covariates(cfg, documents)
    if not use_time and not group_name:
        return None, ("Topic prevalence by covariates needs dates or a grouping column, and this corpus has neither; "
                      "the regression is skipped.")
    names, codes = te.document_codes(units["doc_id"].astype(str).to_numpy())
    n_tokens = np.asarray(X.sum(axis=1)).ravel()
    _, theta = te.document_topics(model.unit_topic_, codes, n_tokens)
    docs = documents.assign(doc_id=documents["doc_id"].astype(str)).set_index("doc_id").loc[names].reset_index()
    time = te.decimal_years(docs["date"]) if use_time else None
    group = groups.groupings(docs, [group_name])[group_name].to_numpy() if group_name else None
    draws, seed = cfg["effects.n_draws"], cfg["seed"]
    if model.method == "lda":
        samples = te.dirichlet_units(model.estimator_.transform(X, normalize=False), codes, n_tokens, n_draws=draws,
                                     seed=seed)
    else:
        samples = te.resampled_units(model.unit_topic_, codes, n_tokens, n_draws=draws, seed=seed)
    contrast = cfg["effects.contrast"]
    if contrast and len(contrast) != 2:
        raise CorpuslabError(f"effects.contrast: got {contrast}; allowed: two groups, e.g. [RUS, CHN], or empty")
    try:
        effects = te.fit(theta, time=time, group=group, group_name=group_name or "group",
                         time_df=cfg["effects.time_df"], interaction=cfg["effects.interaction"],
                         reference=contrast[1] if contrast else "", draws=samples)
    except CorpuslabError as problem:
        if contrast or cfg["effects.covariates"]:
            raise
        return None, f"Topic prevalence by covariates is skipped on this corpus: {problem}."
    return effects, (tuple(contrast) if contrast else te.default_contrast(effects))
