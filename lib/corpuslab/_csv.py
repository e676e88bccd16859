"""The fast path behind :func:`corpuslab.report.write_csv`: pandas' CSV, restated column by column.

``write`` gives the bytes of ``table.to_csv(path, index=False, float_format="%.10g", lineterminator="\\n")``
(a property test holds the two equal), about twice as fast on million-row tables: cells are formatted
column by column and written by the ``csv`` writer pandas itself uses. Columns of other kinds
(nullable integers, dates, mixed objects) are left to pandas.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd


def write(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` to ``path`` as pandas' ``to_csv`` would (see the module docstring)."""
    columns = [cells(table[name]) for name in table.columns]
    if any(column is None for column in columns):
        table.to_csv(path, index=False, encoding="utf-8", float_format="%.10g", lineterminator="\n")
        return
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([str(c) for c in table.columns])
        writer.writerows(zip(*columns))


def cells(column: pd.Series) -> list[str] | None:
    """The CSV cells pandas writes for ``column`` (None where its rules are not restated here).

    >>> cells(pd.Series([0.1, float("nan"), 1e20])), cells(pd.Series([True, False])), cells(pd.Series([None, "a"]))
    (['0.1', '', '1e+20'], ['True', 'False'], ['', 'a'])
    """
    if column.dtype.kind == "f":
        return ["" if v != v else "%.10g" % v for v in column.to_numpy().tolist()]  # noqa: UP031 (pandas' float_format)
    if column.dtype.kind in "iub":
        return [str(v) for v in column.to_numpy().tolist()]
    if pd.api.types.is_string_dtype(column.dtype) or isinstance(column.dtype, pd.CategoricalDtype):
        values = column.astype(object).to_numpy().tolist()
        if all(isinstance(v, str) or v is None or (isinstance(v, float) and np.isnan(v)) for v in values):
            return [v if isinstance(v, str) else "" for v in values]
    return None
