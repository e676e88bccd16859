"""Document similarity (04_similarity): tf-idf weights, the documents compared pairwise, and the two groups
followed over time."""

from __future__ import annotations

from corpuslab.errors import CorpuslabError
from corpuslab.workflow.corpus import _languages, dtm
from corpuslab.workflow.frequency import groupings


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
