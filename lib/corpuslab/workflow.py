"""The orchestration layer: the only module that reads params, consults the cache and picks the engine.

Notebooks call these functions with the resolved params (``cfg``); each one reads the
settings it needs, builds an :class:`~corpuslab.engine.Engine`, looks the result up in
the cache (keyed by its inputs, its settings and the source of the code that makes it)
and otherwise calls the pure analysis functions, which take data and return tables.
"""

from __future__ import annotations

from corpuslab.engine import Engine


def engine(cfg: dict) -> Engine:
    """The compute engine the params choose (``engine``, ``n_jobs``, ``dask.scheduler``)."""
    return Engine(cfg["engine"], cfg["n_jobs"], cfg["dask.scheduler"])


# ---------------------------------------------------------------------------------------------------------------
# Corpus, cleaning, segments, tokens and dictionaries
# ---------------------------------------------------------------------------------------------------------------




# ---------------------------------------------------------------------------------------------------------------
# Term frequency, keyness, collocations, KWIC, lexical diversity
# ---------------------------------------------------------------------------------------------------------------

def corpus_summary(documents, sentences, cfg: dict):
    """:func:`corpuslab.counts.corpus_summary` of the documents, every word counted (no stopwords), on the
    params' engine."""
    from corpuslab import counts, tokens

    run_on = engine(cfg)  # TRANSITIONAL: tokens.dtm takes the Engine itself once the text slice lands
    X, _ = tokens.dtm(documents["text"], lowercase=True, engine=run_on.kind, n_jobs=run_on.workers,
                      scheduler=run_on.scheduler)
    return counts.corpus_summary(documents, X, sentences)


def keyness(documents, X, terms, cfg: dict):
    """The keyness table the ``frequency.keyness_*`` and ``frequency.min_count`` params ask for, and the
    documents it compares (:class:`corpuslab.keyness.Comparison`: masks and display names)."""
    from corpuslab import keyness as keyness_

    compared = keyness_.target_and_reference(documents, column=cfg["frequency.keyness_column"],
                                             target=cfg["frequency.keyness_target"],
                                             reference=cfg["frequency.keyness_reference"])
    table = keyness_.keyness(X, terms, compared.target, reference=compared.reference,
                             measure=cfg["frequency.keyness_measure"], correction=cfg["frequency.keyness_correction"],
                             min_count=cfg["frequency.min_count"])
    return table, compared


def collocations(documents, cfg: dict, *, stream=None):
    """Pairs and triples (:func:`corpuslab.collocations.collocations`) seen at least ``frequency.min_count``
    times, not starting or ending with a stopword of the params' list; ``stream``: the texts' token stream."""
    from corpuslab import collocations as collocations_, tokens

    stopwords = tokens.stopword_list(cfg["tokens.stopwords"], tuple(cfg["tokens.extra_stopwords"]))
    return collocations_.collocations(documents["text"], sizes=(2, 3), min_count=cfg["frequency.min_count"],
                                      exclude=stopwords, stream=stream)


def kwic(documents, cfg: dict, *, index=None, sort: str = "right"):
    """Keywords in context (:func:`corpuslab.kwic.kwic`) of the ``frequency.kwic_*`` params' queries."""
    from corpuslab import kwic as kwic_

    return kwic_.kwic(documents, cfg["frequency.kwic_queries"], kind=cfg["frequency.kwic_kind"],
                      window=cfg["frequency.kwic_window"], sort=sort, index=index)





# ---------------------------------------------------------------------------------------------------------------
# Topics
# ---------------------------------------------------------------------------------------------------------------

from corpuslab import topic_selection  # noqa: E402  (the topics section's imports)
from corpuslab.errors import CorpuslabError  # noqa: E402
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
        return segment.sentences_from_params(documents, cfg)
    if unit == "window":
        return topics.window_units(documents, size=cfg["topics.window"])
    return documents.assign(unit_id=0)


def topic_matrix(documents, cfg: dict):
    """The units a topic model is fitted on and their unit-term counts: (units, left_out, X, terms).

    Units of ``topics.unit`` with fewer than ``topics.min_unit_tokens`` tokens (as the ``tokens.*``
    params count them) are left out and returned, never silently lost; X and terms are those of
    the kept units alone.
    """
    from corpuslab import tokens, topics

    all_units = topic_units(documents, cfg)
    runs_on = engine(cfg)
    X_all, terms_all = tokens.dtm(all_units["text"], engine=runs_on.kind, n_jobs=runs_on.workers,
                                  scheduler=runs_on.scheduler, **tokens.tokenizer_from_params(cfg))
    return topics.drop_short(all_units, X_all, terms_all, min_tokens=cfg["topics.min_unit_tokens"])


def select_k(X, cfg: dict):
    """Model selection over k = ``topics.k_min`` .. ``topics.k_max`` (at most the number of units):
    (table ``topic_selection``, the all-units model of each k), with ``topics.n_seeds`` seeds from ``seed``.
    """
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
    (``fitted``, from :func:`select_k`) when it made one with these params, else a new fit."""
    model = (fitted or {}).get(cfg["topics.k"])
    if model is not None and (model.method, model.seed) == (cfg["topics.method"], cfg["seed"]):
        return model
    return TopicModel(cfg["topics.k"], method=cfg["topics.method"], seed=cfg["seed"]).fit(X)




# ---------------------------------------------------------------------------------------------------------------
# Sentiment
# ---------------------------------------------------------------------------------------------------------------
