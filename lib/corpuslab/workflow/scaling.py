"""Scaling (05_scaling): which texts Wordfish and Wordscores scale (documents, groups, a sample), the direction,
and the two models run with the params' settings."""

from __future__ import annotations

from corpuslab.errors import CorpuslabError
from corpuslab.workflow.frequency import groupings


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
