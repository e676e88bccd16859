"""Every figure, drawn from a table in one style; returns a matplotlib Figure (never shows it).

The palette is Okabe & Ito's colour-blind-safe set; sizes suit a printed page.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg") if not matplotlib.get_backend().lower().startswith(("module://", "inline")) else None
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
STYLE = {
    "figure.dpi": 110, "savefig.dpi": 200, "font.size": 10, "axes.titlesize": 11,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE), "svg.hashsalt": "corpuslab",
}


def _figure(width: float = 6.5, height: float = 4.0) -> tuple[Figure, plt.Axes]:
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return fig, ax


def bar(table: pd.DataFrame, *, label: str, value: str, title: str, xlabel: str) -> Figure:
    """Horizontal bars of ``value`` per ``label``, largest on top."""
    fig, ax = _figure(6.5, max(2.5, 0.25 * len(table) + 1))
    with plt.rc_context(STYLE):
        ax.barh(table[label].astype(str)[::-1], table[value][::-1], color=PALETTE[0])
        ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left")
        ax.grid(axis="y", visible=False)
    return fig


def small_multiples(table: pd.DataFrame, *, panel: str, label: str, value: str, title: str, xlabel: str,
                    ncols: int = 3, panel_titles: dict | None = None) -> Figure:
    """One horizontal bar panel per value of ``panel`` (e.g. top terms per document)."""
    panels = list(dict.fromkeys(table[panel]))
    nrows = -(-len(panels) // ncols)
    per_panel = table.groupby(panel).size().max()
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, (0.22 * per_panel + 1) * nrows),
                                 layout="constrained", squeeze=False)
        for i, ax in enumerate(axes.ravel()):
            if i >= len(panels):
                ax.set_visible(False)
                continue
            part = table[table[panel] == panels[i]]
            ax.barh(part[label].astype(str)[::-1], part[value][::-1], color=PALETTE[i % len(PALETTE)])
            name = (panel_titles or {}).get(panels[i], panels[i])
            ax.set_title(str(name), loc="left", fontsize=9)
            ax.tick_params(axis="y", labelsize=8)
            ax.grid(axis="y", visible=False)
            ax.set_xlabel(xlabel, fontsize=8)
        fig.suptitle(title, x=0.01, ha="left")
    return fig


def dot_range(table: pd.DataFrame, *, label: str, value: str, title: str, xlabel: str,
              low: str | None = None, high: str | None = None) -> Figure:
    """A dot per row (with an interval if ``low``/``high`` are given), zero line marked."""
    fig, ax = _figure(6.5, max(2.5, 0.35 * len(table) + 1))
    with plt.rc_context(STYLE):
        y = range(len(table))
        if low and high:
            ax.hlines(y, table[low], table[high], color=PALETTE[5], linewidth=2)
        ax.plot(table[value], y, "o", color=PALETTE[0])
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.set_yticks(list(y), table[label].astype(str))
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left")
    return fig
