"""Topics over metadata: each unit's topic weights, and mean weights per group with confidence intervals.

Owns: the ``doc_topics`` and ``topic_prevalence`` tables (groups and periods: :mod:`corpuslab.groups`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corpuslab.stats import group_labels, mean_interval

PREVALENCE_COLUMNS = ["group", "topic", "n_units", "weight", "ci_low", "ci_high"]


def doc_topics(unit_topic: np.ndarray, units: pd.DataFrame) -> pd.DataFrame:
    """Long table of unit-topic weights (``doc_topics``): doc_id, unit_id, topic, weight.

    >>> u = pd.DataFrame({"doc_id": ["a"], "unit_id": [0]})
    >>> doc_topics(np.array([[0.25, 0.75]]), u)
      doc_id  unit_id  topic  weight
    0      a        0      1    0.25
    1      a        0      2    0.75
    """
    k = unit_topic.shape[1]
    rows = np.repeat(np.arange(len(units)), k)
    doc_ids = pd.Series(units["doc_id"].to_numpy()).array  # the dtype a table of them takes, found once per unit
    return pd.DataFrame({
        "doc_id": doc_ids.take(rows),  # not a string object per row: 0.05 s instead of 0.7 s for 1.5 M rows
        "unit_id": units["unit_id"].to_numpy()[rows],
        "topic": np.tile(np.arange(1, k + 1), len(units)),
        "weight": unit_topic.ravel(),
    })


def prevalence_by_group(unit_topic: np.ndarray, groups, *, level: float = 0.95, intervals: bool = True) -> pd.DataFrame:
    """Mean topic weight per group with Student's t intervals over its units (:func:`corpuslab.stats.mean_interval`,
    cut to 0..1; the interval whose coverage was measured for small groups, ``bench/results_intervals.md``).

    Columns: group, topic, n_units, weight, ci_low, ci_high (table ``topic_prevalence``, less its
    ``by`` column). ``groups`` holds one label per row of ``unit_topic``; units with no group
    (missing or empty) form the group "unknown", as in the sentiment tables. A group of fewer than
    2 units has no interval (NaN), nor does any group with ``intervals=False`` (means only).

    >>> t = prevalence_by_group(np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]), pd.Series(["a", "a", "b"]))
    >>> t[["group", "topic", "n_units", "weight", "ci_high"]]
      group  topic  n_units  weight  ci_high
    0     a      1        2     0.5      1.0
    1     a      2        2     0.5      1.0
    2     b      1        1     0.5      NaN
    3     b      2        1     0.5      NaN
    """
    labels = group_labels(pd.Series(groups)).to_numpy()
    names, codes = np.unique(labels, return_inverse=True)  # groups in sorted order; a group's rows in their order
    order = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[order], np.arange(len(names) + 1))
    rows = []
    for g, name in enumerate(names):
        part = unit_topic[order[starts[g]:starts[g + 1]]]
        low, high = np.full((2, unit_topic.shape[1]), np.nan)
        if intervals:
            low, high = mean_interval(part, level=level, bounds=(0.0, 1.0))
        for t in range(unit_topic.shape[1]):
            rows.append({"group": name, "topic": t + 1, "n_units": len(part), "weight": float(part[:, t].mean()),
                         "ci_low": float(low[t]), "ci_high": float(high[t])})
    return pd.DataFrame(rows, columns=PREVALENCE_COLUMNS)


def prevalence_by_groupings(unit_topic: np.ndarray, groupings: dict) -> pd.DataFrame:
    """:func:`prevalence_by_group` for several groupings of the same units (``groupings`` maps a name such as
    "party" or "period" to one label per unit, :func:`corpuslab.groups.per_unit`), stacked with a ``by``
    column naming the grouping: table ``topic_prevalence``.

    >>> by = {"party": ["A", "B"], "period": ["2020", "2021"]}
    >>> prevalence_by_groupings(np.array([[1.0, 0.0], [0.0, 1.0]]), by)[["by", "group", "topic", "weight"]]
           by group  topic  weight
    0   party     A      1     1.0
    1   party     A      2     0.0
    2   party     B      1     0.0
    3   party     B      2     1.0
    4  period  2020      1     1.0
    5  period  2020      2     0.0
    6  period  2021      1     0.0
    7  period  2021      2     1.0
    """
    parts = [prevalence_by_group(unit_topic, pd.Series(list(labels))).assign(by=name)
             for name, labels in groupings.items()]
    if not parts:
        return pd.DataFrame(columns=["by", *PREVALENCE_COLUMNS])
    return pd.concat(parts, ignore_index=True)[["by", *PREVALENCE_COLUMNS]]
