"""Display groups: which documents a figure or a side-by-side table shows together, and their short names.

A figure with one panel per document stops being readable after about a dozen documents:
a small corpus is shown document by document, a larger dated one by round periods of
years, else as one group. The CSV tables keep every document.
"""

from __future__ import annotations

import pandas as pd

MAX_VIEW_GROUPS = 12  # figures and wide tables show at most this many panels or columns


def view_groups(documents: pd.DataFrame, *, max_groups: int = MAX_VIEW_GROUPS) -> tuple[pd.Series, str]:
    """One display group per document, for figures and side-by-side tables, and the grouping's name.

    A small corpus is shown document by document (its ``label``); a larger one by
    round spans of years (1, 2, 5, 10, 20 … years; at most ``max_groups``) when it is dated,
    else as one group. Tables keep every document: this only decides what is drawn.

    >>> docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(30)], "date": [str(1992 + i) for i in range(30)]})
    >>> groups, name = view_groups(docs, max_groups=4)
    >>> name, groups.unique().tolist()
    ('period', ['1990–1999', '2000–2009', '2010–2019', '2020–2029'])
    """
    if len(documents) <= max_groups:
        names = labels(documents)
        return documents["doc_id"].map(names).rename("group"), "document"
    years = pd.to_numeric(documents.get("date", pd.Series("", index=documents.index)).fillna("").astype(str).str[:4],
                          errors="coerce")
    if years.isna().all():
        return pd.Series("all documents", index=documents.index, name="group"), "corpus"
    first, last = int(years.min()), int(years.max())
    span = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 10_000) if last // s - first // s < max_groups)
    start = (years // span) * span  # round spans: decades, quarter-centuries …
    spans = ["undated" if pd.isna(a) else f"{int(a)}–{int(a) + span - 1}" if span > 1 else str(int(a)) for a in start]
    return pd.Series(spans, index=documents.index, name="group"), "period"


def labels(documents: pd.DataFrame) -> dict[str, str]:
    """A short display name per doc_id: the ``label`` column if present, else the doc_id.

    >>> labels(pd.DataFrame({"doc_id": ["a", "b"], "label": ["FT 2017", None]}))
    {'a': 'FT 2017', 'b': 'b'}
    """
    if "label" in documents.columns:
        named = documents["label"].fillna("").astype(str)
        return {d: (n or d) for d, n in zip(documents["doc_id"], named)}
    return {d: d for d in documents["doc_id"]}
