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




# ---------------------------------------------------------------------------------------------------------------
# Sentiment
# ---------------------------------------------------------------------------------------------------------------
