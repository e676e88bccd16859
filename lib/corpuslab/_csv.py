"""The fast path behind :func:`corpuslab.report.write_csv`: pandas' CSV, restated column by column.

``write`` gives the bytes of ``table.to_csv(path, index=False, float_format="%.10g", lineterminator="\\n")``
(a property test holds the two equal), about twice as fast on million-row tables: cells are formatted
column by column and written by the ``csv`` writer pandas itself uses. Columns of other kinds
(nullable integers, dates, mixed objects) are left to pandas.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from corpuslab.engine import SERIAL, Engine

PARALLEL_MIN_ROWS = 200_000  # from here a table's rows are formatted in parts on the engine's processes


def write(table: pd.DataFrame, path: Path, engine: Engine = SERIAL) -> None:
    """Write ``table`` to ``path`` as pandas' ``to_csv`` would (see the module docstring); a table of
    :data:`PARALLEL_MIN_ROWS` rows or more in contiguous parts on ``engine``'s processes, joined in order
    (the same bytes: a row's cells do not depend on the other rows)."""
    if len(table) >= PARALLEL_MIN_ROWS and engine.parallel:
        bounds = np.linspace(0, len(table), engine.jobs + 1).astype(int)
        parts = engine.map(rows_text, [table.iloc[a:b] for a, b in zip(bounds, bounds[1:])])
    else:
        parts = [rows_text(table)]
    if any(part is None for part in parts):
        table.to_csv(path, index=False, encoding="utf-8", float_format="%.10g", lineterminator="\n")
        return
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([str(c) for c in table.columns])
        handle.writelines(parts)


def rows_text(table: pd.DataFrame) -> str | None:
    """The CSV lines of ``table``'s rows, without the header (None if a column's rules are not restated here).

    >>> rows_text(pd.DataFrame({"a": [1, 2], "b": ["x,y", None]}))
    '1,"x,y"\\n2,\\n'
    """
    columns = [cells(table[name]) for name in table.columns]
    if any(column is None for column in columns):
        return None
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(zip(*columns))
    return buffer.getvalue()


def cells(column: pd.Series) -> list[str] | None:
    """The CSV cells pandas writes for ``column`` (None where its rules are not restated here).

    >>> cells(pd.Series([0.1, float("nan"), 1e20])), cells(pd.Series([True, False])), cells(pd.Series([None, "a"]))
    (['0.1', '', '1e+20'], ['True', 'False'], ['', 'a'])
    """
    numpy = isinstance(column.dtype, np.dtype)  # not pandas' nullable Int64, Float64, boolean: left to pandas
    if numpy and column.dtype.kind == "f":
        return ["" if v != v else "%.10g" % v for v in column.to_numpy().tolist()]  # noqa: UP031 (pandas' float_format)
    if numpy and column.dtype.kind in "iub":
        return [str(v) for v in column.to_numpy().tolist()]
    if pd.api.types.is_string_dtype(column.dtype) or isinstance(column.dtype, pd.CategoricalDtype):
        values = column.astype(object).to_numpy().tolist()
        if all(isinstance(v, str) or v is None or (isinstance(v, float) and np.isnan(v)) for v in values):
            return [v if isinstance(v, str) else "" for v in values]
    return None
