"""Topics (02_topics): the units a topic model is fitted on, choosing k, the model the report reads, and topic
prevalence as a function of metadata (the effects regression)."""

from __future__ import annotations

from corpuslab import topic_selection
from corpuslab.errors import CorpuslabError
from corpuslab.topics import TopicModel
from corpuslab.workflow.compute import engine
from corpuslab.workflow.corpus import STREAM_CACHE_MIN_CHARS, _languages, caches_stream, dtm, sentences, token_stream


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

    if documents["text"].str.len().sum() >= STREAM_CACHE_MIN_CHARS:  # a large corpus: select_k will fit in a pool,
        engine(cfg).start()  # whose fork server imports its libraries on the other core while the units are counted
    all_units = topic_units(documents, cfg)
    # the documents' stream is read after the units, not beside them in a thread: both at once raise the peak 0.7 GB
    units_stream = cut_units(documents, all_units, documents_stream(cfg, documents))
    X_all, terms_all = dtm(cfg, all_units["text"].tolist(), languages=_languages(all_units), stream=units_stream)
    return topics.drop_short(all_units, X_all, terms_all, min_tokens=cfg["topics.min_unit_tokens"])


def documents_stream(cfg: dict, documents):
    """The documents' token stream with spans, which a report on a large corpus has found and cached already, to
    cut the ``topics.unit`` units out of (:func:`cut_units`). ``None`` for a small corpus (tokenising its units
    costs as little), and where only tokenising the units' own texts gives their tokens: phrases joined, words
    segmented (Chinese, Japanese), units that are not spans of a document (windows, whole documents)."""
    from corpuslab.languages import LANGUAGES

    languages = _languages(documents) or []
    texts = [t if isinstance(t, str) else "" for t in documents["text"]]
    if (cfg.get("tokens.phrases") or cfg["topics.unit"] not in ("paragraph", "sentence")  # offsets in a document
            or any(lang in LANGUAGES and LANGUAGES[lang].segmented for lang in set(languages))
            or not caches_stream(texts)):  # a small corpus: as fast
        return None
    return token_stream(cfg, texts, spans=True, languages=languages or None)


def cut_units(documents, units, stream):
    """The token stream of ``units`` (paragraphs, sentences: ``start``/``end`` offsets in their document) cut out
    of the documents' ``stream`` (:func:`documents_stream`; :func:`corpuslab._stream.cut`), or ``None``: no
    stream, or a token across a unit's edge."""
    import numpy as np

    from corpuslab import _stream

    if stream is None or not {"start", "end"} <= set(units.columns) or not len(units):
        return None
    position = {doc_id: i for i, doc_id in enumerate(documents["doc_id"])}
    unit_text = units["doc_id"].map(position)
    if unit_text.isna().any():
        return None
    lengths = np.fromiter((len(t) if isinstance(t, str) else 0 for t in documents["text"]), np.int64, len(documents))
    return _stream.cut(stream, lengths, unit_text.to_numpy(np.int64), units["start"].to_numpy(np.int64),
                       units["end"].to_numpy(np.int64), spans=False)


def select_k(X, cfg: dict):
    """Model selection over k = ``topics.k_min`` .. ``topics.k_max`` (at most the number of units):
    (table ``topic_selection``, the all-units model of each k), with ``topics.n_seeds`` seeds from ``seed``.
    With more than ``topics.selection_units`` units (if not 0), on a random sample of that many drawn with
    ``seed`` (:func:`corpuslab.topic_selection.sample_units`): the models are then those of the sample.
    The model of ``topics.k`` on all units that :func:`topic_model` then needs, the selection does not make,
    is fitted in a thread of this process while the selection's fits run in other processes (both cores busy):
    the models' dict holds it as its ``final`` (see :class:`SelectedModels`).
    """
    sample = X
    if 0 < cfg["topics.selection_units"] < X.shape[0]:  # a large corpus: k is chosen on a sample of its units
        sample = X[topic_selection.sample_units(X.shape[0], cfg["topics.selection_units"], cfg["seed"])]
    n_units = sample.shape[0]
    ks = list(range(cfg["topics.k_min"], min(cfg["topics.k_max"], n_units) + 1))
    if not ks:
        raise CorpuslabError(f"topics.k_min: got {cfg['topics.k_min']}; allowed: at most the number of units "
                             f"({n_units}); lower topics.k_min or use a smaller topics.unit")
    seeds = tuple(cfg["seed"] + i for i in range(cfg["topics.n_seeds"]))
    options = {"ks": ks, "method": cfg["topics.method"], "seeds": seeds}
    final = None
    if _fits_alongside(sample, X, cfg, ks, len(ks) * len(seeds)):
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1) as thread:  # NMF and LDA fits release the GIL
            fitting = thread.submit(_final_model(X, cfg).fit, X)
            fitted = topic_selection.fit_candidates(sample, **options, engine=engine(cfg))
            final = fitting.result()  # before any other BLAS work here: the fit holds BLAS to one thread
    else:
        fitted = topic_selection.fit_candidates(sample, **options, engine=engine(cfg))
    table, models = topic_selection.selection_table(sample, fitted, ks=ks, seeds=seeds, top_n=cfg["topics.top_n"])
    return table, SelectedModels(models, final=final)


class SelectedModels(dict):
    """The all-units model of each k that model selection fitted (k -> TopicModel), and as ``final`` the model of
    ``topics.k`` on all units when the selection's models are not that model (fitted alongside them), else None."""

    def __init__(self, models: dict, *, final: TopicModel | None = None):
        super().__init__(models)
        self.final = final


def _fits_alongside(sample, X, cfg: dict, ks: list, n_fits: int) -> bool:
    """Whether :func:`select_k` fits ``topics.k`` on all of ``X`` in a thread: the selection will not make that
    model, ``topics.k`` fits the units, and the selection's fits leave this process (a fit here sets BLAS
    threads for the whole process, so two at once could change each other's floats)."""
    candidates = topic_selection.candidate_engine(sample, engine(cfg))
    elsewhere = candidates.kind == "dask" or min(candidates.jobs, n_fits) > 1
    return elsewhere and not (sample is X and cfg["topics.k"] in ks) and cfg["topics.k"] <= X.shape[0]


def _final_model(X, cfg: dict) -> TopicModel:
    return TopicModel(cfg["topics.k"], method=cfg["topics.method"], seed=cfg["seed"])


def topic_model(X, cfg: dict, *, fitted: dict | None = None) -> TopicModel:
    """The model of ``topics.k`` topics the report reads: the all-units fit model selection made
    (``fitted``, from :func:`select_k`: its ``final``, or its model of ``topics.k``) when it made one with these
    params on all of ``X``, else a new fit."""
    for model in (getattr(fitted, "final", None), (fitted or {}).get(cfg["topics.k"])):
        if model is not None and (model.k, model.method, model.seed, len(model.unit_topic_)) == (
                cfg["topics.k"], cfg["topics.method"], cfg["seed"], X.shape[0]):
            return model  # fitted on these units, not on a sample of them
    return _final_model(X, cfg).fit(X)


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
