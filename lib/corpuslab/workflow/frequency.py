"""Term frequency (01_term_frequency): the groupings every grouped view compares, keyness between groups and
against a reference corpus (Brown or a second corpus), collocations and KWIC."""

from __future__ import annotations

from corpuslab.errors import CorpuslabError
from corpuslab.workflow.compute import engine
from corpuslab.workflow.corpus import _languages, flat_tokenizer, stopwords_of


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
