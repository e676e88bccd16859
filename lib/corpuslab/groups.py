"""Groups of documents: the groupings every grouped view uses (keyness, top terms, topic prevalence,
sentiment), chosen by the ``groups`` param or from the metadata, and documents' short names.

A grouping is a name ("party", "period") and one label per document. No column name is special:
by default the groupings are the period (when documents are dated; :mod:`corpuslab.periods`) and
every metadata column with 2 to :data:`MAX_GROUPS` distinct values that does not name each document
on its own. Documents without a value form the group "unknown".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from corpuslab import periods
from corpuslab.errors import CorpuslabError

MAX_GROUPS = 12  # figures and wide tables show at most this many panels or columns
MAX_VIEW_GROUPS = MAX_GROUPS
PERIOD = "period"
UNKNOWN = "unknown"
NOT_GROUPS = ("doc_id", "text", "raw_text", "date", "date_precision", "source_file", "n_lines_removed")


def candidate_columns(documents: pd.DataFrame, *, max_groups: int = MAX_GROUPS) -> list[str]:
    """Metadata columns that group documents: 2 to ``max_groups`` distinct values, and fewer labels
    (a missing value counting as one) than documents, so a column naming each document is left out.

    >>> docs = pd.DataFrame({"doc_id": list("abcd"), "label": list("wxyz"), "party": ["D", "R", "D", None],
    ...                      "author": ["", "", "Ann", None]})
    >>> candidate_columns(docs)
    ['party']

    The detected ``language`` column groups only when two languages hold two documents or more each.
    """
    chosen = []
    for column in documents.columns:
        if column in NOT_GROUPS or column == "year" and "date" in documents.columns:
            continue
        values = documents[column]
        if values.map(lambda v: isinstance(v, (list, dict, set))).any():
            continue
        text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
        n_values = text[text != ""].nunique()  # an empty value is a missing one
        n_labels = n_values + int((text == "").any())
        if column == "language" and (text.value_counts() >= 2).sum() < 2:
            continue  # one language, give or take a misdetected document: no grouping
        if 2 <= n_values <= max_groups and n_labels < len(documents):
            chosen.append(column)
    return chosen


def default_groups(documents: pd.DataFrame, *, max_groups: int = MAX_GROUPS) -> list[str]:
    """The groupings used when the ``groups`` param is empty: the period when documents are dated,
    then :func:`candidate_columns`.

    >>> default_groups(pd.DataFrame({"doc_id": list("abc"), "date": ["2020", "2021", ""], "kind": list("xxy")}))
    ['period', 'kind']
    """
    return ([PERIOD] if periods.is_dated(documents) else []) + candidate_columns(documents, max_groups=max_groups)


def check_groups(documents: pd.DataFrame, names: Sequence[str]) -> None:
    """Raise naming the first of ``names`` that is neither a metadata column nor "period" of a dated corpus.

    >>> check_groups(pd.DataFrame({"doc_id": ["a"], "party": ["D"]}), ["parti"])
    Traceback (most recent call last):
    ...
    corpuslab.errors.CorpuslabError: groups: got 'parti'; allowed: party (columns of the corpus metadata)
    """
    columns = [c for c in documents.columns if c not in NOT_GROUPS]
    allowed = columns + ([PERIOD] if periods.is_dated(documents) else [])
    for name in names:
        if name == PERIOD and PERIOD not in documents.columns and not periods.is_dated(documents):
            raise CorpuslabError("groups: got 'period', but no document has a date; add a date or year column "
                                 "to the metadata, or choose a metadata column")
        if name not in allowed:
            raise CorpuslabError(f"groups: got {name!r}; allowed: {', '.join(allowed) or 'none'} "
                                 "(columns of the corpus metadata)")


def groupings(documents: pd.DataFrame, names: Sequence[str] = (), *,
              max_groups: int = MAX_GROUPS) -> dict[str, pd.Series]:
    """One label per document (indexed like ``documents``) for each grouping: ``names`` (the ``groups``
    param), or :func:`default_groups` when empty. "period" is :func:`corpuslab.periods.period_labels`.

    >>> docs = pd.DataFrame({"doc_id": list("abc"), "date": ["2019", "2020", "2020"], "party": ["D", None, "R"]})
    >>> {k: v.tolist() for k, v in groupings(docs, ["party", "period"]).items()}
    {'party': ['D', 'unknown', 'R'], 'period': ['2019', '2020', '2020']}
    """
    names = list(names) or default_groups(documents, max_groups=max_groups)
    check_groups(documents, names)
    out = {}
    for name in names:
        if name == PERIOD and PERIOD not in documents.columns:
            out[name] = periods.period_labels(documents, max_periods=max_groups)
        else:
            values = documents[name].astype(object).where(documents[name].notna(), None)
            out[name] = values.map(lambda v: UNKNOWN if v is None or str(v).strip() == "" else str(v)).rename(name)
    return out


def display_groupings(documents: pd.DataFrame, names: Sequence[str] = (), *,
                      max_groups: int = MAX_GROUPS) -> dict[str, pd.Series]:
    """:func:`groupings` for figures and side-by-side tables; without any grouping, the documents
    themselves (their :func:`labels`) for a corpus of up to ``max_groups``, else the whole corpus.

    >>> {k: v.tolist() for k, v in display_groupings(pd.DataFrame({"doc_id": ["a", "b"]})).items()}
    {'document': ['a', 'b']}
    """
    found = groupings(documents, names, max_groups=max_groups)
    if found:
        return found
    if len(documents) <= max_groups:
        return {"document": documents["doc_id"].map(labels(documents)).rename("document")}
    return {"corpus": pd.Series("all documents", index=documents.index, name="corpus")}


def per_unit(grouping: pd.Series, documents: pd.DataFrame, doc_ids) -> pd.Series:
    """A document grouping carried to units (sentences, paragraphs) by their ``doc_ids``.

    >>> per_unit(pd.Series(["D", "R"]), pd.DataFrame({"doc_id": ["a", "b"]}), ["b", "b", "a"]).tolist()
    ['R', 'R', 'D']
    """
    ids = pd.Index(documents["doc_id"])
    last = ~ids.duplicated(keep="last")  # a doc_id given twice: its last group, as a dict of them has it
    by_doc = pd.Series(grouping.array[last], index=ids[last])
    found = pd.Series(by_doc.reindex(pd.Index(doc_ids)).array, name=grouping.name)
    return found.fillna(UNKNOWN).infer_objects()


def slug(name: str) -> str:
    """A file-name-safe form of a grouping's name, for figure names.

    >>> slug("Party / faction")
    'party_faction'
    """
    return re.sub(r"[^0-9a-z]+", "_", str(name).lower()).strip("_") or "group"


def labels(documents: pd.DataFrame) -> dict[str, str]:
    """A short display name per doc_id: the ``label`` column if present, else the doc_id.

    >>> labels(pd.DataFrame({"doc_id": ["a", "b"], "label": ["FT 2017", None]}))
    {'a': 'FT 2017', 'b': 'b'}
    """
    if "label" in documents.columns:
        named = documents["label"].fillna("").astype(str)
        return {d: (n or d) for d, n in zip(documents["doc_id"], named)}
    return {d: d for d in documents["doc_id"]}


def by_grouping(table_of, groupings: dict) -> pd.DataFrame:
    """``table_of(labels)`` for each grouping, stacked with a ``by`` column (the grouping's name) first.

    >>> by_grouping(lambda g: pd.DataFrame({"group": sorted(set(g))}), {"party": ["D", "R", "D"]}).values.tolist()
    [['party', 'D'], ['party', 'R']]
    """
    parts = [table_of(labels).assign(by=name) for name, labels in groupings.items()]
    if not parts:
        return pd.DataFrame(columns=["by", "group"])
    table = pd.concat(parts, ignore_index=True)
    return table[["by", *[c for c in table.columns if c != "by"]]]
