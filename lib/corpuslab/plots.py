"""Every figure, drawn from a table in one style; returns a matplotlib Figure (never shows it).

The palette is Okabe & Ito's colour-blind-safe set; sizes suit a printed page.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg") if not matplotlib.get_backend().lower().startswith(("module://", "inline")) else None
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
STYLE = {
    "figure.dpi": 110, "savefig.dpi": 150, "font.size": 10, "axes.titlesize": 11,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE), "svg.hashsalt": "corpuslab",
    "text.parse_math": False,  # corpus text is data: "$x$" in a label stays literal
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


def histogram(values, *, title: str, xlabel: str, bins: int = 40) -> Figure:
    """The distribution of one measure over many items (e.g. tokens per document)."""
    fig, ax = _figure()
    with plt.rc_context(STYLE):
        ax.hist(np.asarray(values, dtype=float), bins=bins, color=PALETTE[0], edgecolor="white")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("documents")
        ax.set_title(title, loc="left")
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


def keyness(table: pd.DataFrame, *, measure: str = "g2", n: int = 15, target: str = "target",
            reference: str = "reference", title: str | None = None) -> Figure:
    """Bars of the ``n`` most target-key and ``n`` most reference-key terms (quanteda's textplot_keyness).

    ``table`` is a :func:`corpuslab.keyness.keyness` table sorted by ``measure``;
    target terms are drawn in the first colour, reference terms in the second.
    """
    top = table.head(n)
    top = top[top[measure] > 0]
    bottom = table.tail(n).iloc[::-1]
    bottom = bottom[(bottom[measure] < 0) & ~bottom["term"].isin(top["term"])]
    rows = pd.concat([top, bottom.iloc[::-1]])
    fig, ax = _figure(6.5, max(3.0, 0.22 * len(rows) + 1.2))
    with plt.rc_context(STYLE):
        y = list(range(len(rows)))[::-1]
        colours = [PALETTE[0] if v > 0 else PALETTE[1] for v in rows[measure]]
        ax.barh(y, rows[measure], color=colours)
        for yi, (term, v) in zip(y, zip(rows["term"], rows[measure])):
            ax.text(v, yi, f" {term} " if v > 0 else f" {term} ", va="center", fontsize=8,
                    ha="left" if v > 0 else "right")
        ax.set_yticks([])
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel({"g2": "signed G²", "chi2": "signed χ²", "log_ratio": "log ratio (log2)"}.get(measure, measure))
        from matplotlib.patches import Patch
        ax.legend(handles=[Patch(color=PALETTE[0], label=target), Patch(color=PALETTE[1], label=reference)],
                  loc="lower right", frameon=False, fontsize=8)
        lo, hi = ax.get_xlim()
        pad = 0.25 * (hi - lo)
        ax.set_xlim(lo - (pad if (rows[measure] < 0).any() else 0), hi + pad)
        ax.set_title(title or f"Key terms: {target} vs {reference}", loc="left")
    return fig


def network(edges: pd.DataFrame, *, source: str = "entry_a", target: str = "entry_b", weight: str = "n_units",
            nodes: pd.DataFrame | None = None, node: str = "entry", size: str = "n_units",
            title: str = "", max_edges: int = 40) -> Figure:
    """A circular network: one node per name, edges as wide as ``weight`` (the ``max_edges`` strongest).

    ``nodes`` (optional) sizes each node by its ``size`` column (e.g. units naming it).
    """
    import numpy as np

    edges = edges.sort_values(weight, ascending=False).head(max_edges)
    names = list(dict.fromkeys(list(nodes[node]) if nodes is not None else []))
    names += [x for x in dict.fromkeys(list(edges[source]) + list(edges[target])) if x not in names]
    names = [x for x in names if x in set(edges[source]) | set(edges[target])] or names
    angle = {name: 2 * np.pi * i / max(len(names), 1) for i, name in enumerate(names)}
    pos = {name: (np.cos(a), np.sin(a)) for name, a in angle.items()}
    fig, ax = _figure(6.5, 6.0)
    with plt.rc_context(STYLE):
        top = edges[weight].max() if len(edges) else 1
        for a, b, w in zip(edges[source], edges[target], edges[weight]):
            (x1, y1), (x2, y2) = pos[a], pos[b]
            ax.plot([x1, x2], [y1, y2], color=PALETTE[5], linewidth=0.5 + 6 * w / top, alpha=0.7, zorder=1)
        sizes = dict(zip(nodes[node], nodes[size])) if nodes is not None else {}
        biggest = max(sizes.values()) if sizes else 1
        for name, (x, y) in pos.items():
            ax.scatter([x], [y], s=60 + 600 * sizes.get(name, 0) / biggest, color=PALETTE[0], zorder=2)
            ax.text(x * 1.13, y * 1.13, name, ha="left" if x > 0.01 else ("right" if x < -0.01 else "center"),
                    va="center", fontsize=8)
        ax.set_xlim(-1.7, 1.7)
        ax.set_ylim(-1.35, 1.35)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(title, loc="left")
    return fig


def topic_selection(table: pd.DataFrame, *, measures: tuple[str, ...] = ("npmi", "umass", "exclusivity", "stability"),
                    chosen: int | None = None, title: str = "Choosing the number of topics") -> Figure:
    """One small panel per measure against k (a ``topic_selection`` table); ``chosen`` k marked."""
    measures = [m for m in measures if m in table.columns and table[m].notna().any()]
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, len(measures), figsize=(2.4 * len(measures), 2.8), layout="constrained",
                                 squeeze=False)
        for i, (ax, m) in enumerate(zip(axes[0], measures)):
            ax.plot(table["k"], table[m], "o-", color=PALETTE[i % len(PALETTE)])
            if chosen is not None:
                ax.axvline(chosen, color="grey", linewidth=0.8, linestyle="--")
            ax.set_title(m, loc="left", fontsize=9)
            ax.set_xlabel("k (topics)", fontsize=8)
            ax.set_xticks(list(table["k"]))
        fig.suptitle(title, x=0.01, ha="left")
    return fig


def topic_prevalence(table: pd.DataFrame, *, group: str = "group", title: str = "Topic prevalence",
                     xlabel: str = "mean topic weight") -> Figure:
    """One panel per topic: mean weight per group with its interval (``ci_low``/``ci_high``)."""
    topics = list(dict.fromkeys(table["topic"]))
    groups = list(dict.fromkeys(table[group].astype(str)))
    ncols = min(len(topics), 4)
    nrows = -(-len(topics) // ncols)
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(nrows, ncols, figsize=(2.6 * ncols, (0.3 * len(groups) + 1.2) * nrows),
                                 layout="constrained", squeeze=False, sharex=True, sharey=True)
        for i, ax in enumerate(axes.ravel()):
            if i >= len(topics):
                ax.set_visible(False)
                continue
            part = table[table["topic"] == topics[i]]
            part = part.set_index(part[group].astype(str)).reindex(groups)
            y = range(len(groups))
            ax.hlines(y, part["ci_low"], part["ci_high"], color=PALETTE[5], linewidth=2)
            ax.plot(part["weight"], y, "o", color=PALETTE[i % len(PALETTE)])
            ax.set_yticks(list(y), groups, fontsize=8)
            ax.invert_yaxis() if i == 0 else None  # shared y: invert once
            ax.set_title(f"Topic {topics[i]}", loc="left", fontsize=9)
            ax.set_xlabel(xlabel, fontsize=8)
        fig.suptitle(title, x=0.01, ha="left")
    return fig


# ---- similarity: heat map, dendrogram, similarity over time (04_similarity) ----

def heatmap(matrix: pd.DataFrame, *, title: str, label: str = "similarity") -> Figure:
    """A square similarity table (rows × columns: documents or groups) as coloured cells with values; the diagonal
    (each with itself) is left blank, and the colours span the other cells."""
    n = len(matrix)
    values = matrix.to_numpy(dtype=float).copy()
    np.fill_diagonal(values, np.nan)
    fig, ax = _figure(max(5.0, 0.45 * n + 3.0), max(3.5, 0.4 * n + 1.8))
    with plt.rc_context(STYLE):
        top = np.nanmax(values) if np.isfinite(values).any() else 1.0
        image = ax.imshow(values, cmap="Blues", vmin=min(0.0, np.nanmin(values)) if n > 1 else 0.0, vmax=top or 1.0)
        ax.set_xticks(range(n), [str(c) for c in matrix.columns], rotation=60, ha="right")
        ax.set_yticks(range(n), [str(i) for i in matrix.index])
        ax.grid(False)
        if n <= 15:
            for (i, j), value in np.ndenumerate(values):
                if i != j:
                    ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=7,
                            color="white" if value > 0.6 * top else "black")
        fig.colorbar(image, ax=ax, label=label, shrink=0.8)
        ax.set_title(title, loc="left")
    return fig


def dendrogram(linkage: np.ndarray, *, labels, title: str, max_leaves: int = 40) -> Figure:
    """The clustering tree; with more than ``max_leaves`` leaves, only the last ``max_leaves`` merges are drawn
    (scipy's ``truncate_mode="lastp"``: a leaf "(n)" stands for n documents)."""
    from scipy.cluster import hierarchy

    labels = [str(x) for x in labels]
    shown = min(len(labels), max_leaves)
    fig, ax = _figure(6.5, max(3.0, 0.22 * shown + 1))
    with plt.rc_context(STYLE):
        hierarchy.dendrogram(linkage, ax=ax, orientation="right", labels=labels, color_threshold=0,
                             above_threshold_color=PALETTE[0], leaf_font_size=8,
                             **({"truncate_mode": "lastp", "p": max_leaves} if len(labels) > max_leaves else {}))
        lowest = float(np.min(linkage[:, 2])) if len(linkage) else 0.0
        ax.set_xlim(max(0.0, lowest - 0.1), None)  # the merges, not the empty space below the first
        ax.set_xlabel("distance (1 − similarity), average linkage")
        ax.grid(axis="y", visible=False)
        ax.set_title(title, loc="left")
    return fig


def scaled_positions(table: pd.DataFrame, *, label: str, value: str, low: str, high: str, title: str, xlabel: str,
                     marked: str | None = None, marked_name: str = "", max_rows: int = 40) -> Figure:
    """Positions on a scale with their intervals, in the table's order (lowest on top when sorted by ``value``);
    rows where ``marked`` is true drawn in the second colour (named ``marked_name`` in a legend). Beyond
    ``max_rows`` rows, the first and last ``max_rows // 2`` are drawn, the cut said in the title."""
    shown = table
    if len(table) > max_rows:
        shown = pd.concat([table.head(max_rows // 2), table.tail(max_rows // 2)])
        title += f"\n({max_rows // 2} lowest and {max_rows // 2} highest of {len(table)})"
    fig, ax = _figure(6.5, max(2.5, 0.28 * len(shown) + 1.2))
    with plt.rc_context(STYLE):
        y = np.arange(len(shown))
        ax.hlines(y, shown[low], shown[high], color=PALETTE[5], linewidth=2)
        flag = shown[marked].to_numpy(dtype=bool) if marked else np.zeros(len(shown), dtype=bool)
        ax.plot(shown[value].to_numpy()[~flag], y[~flag], "o", color=PALETTE[0])
        if flag.any():
            ax.plot(shown[value].to_numpy()[flag], y[flag], "s", color=PALETTE[1], label=marked_name)
            ax.legend(loc="best", frameon=False, fontsize=8)
        if len(shown) < len(table):
            ax.axhline(max_rows // 2 - 0.5, color="grey", linewidth=0.8, linestyle=":")
        ax.set_yticks(list(y), shown[label].astype(str), fontsize=8 if len(shown) > 20 else 10)
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left")
    return fig


def similarity_over_time(table: pd.DataFrame, *, title: str, ylabel: str = "cosine similarity") -> Figure:
    """A pair's similarity per time point (dots; an interval where the table has one) with its 5-point rolling
    mean, and the median of the other pairs of groups (grey)."""
    fig, ax = _figure(7.0, 3.8)
    x = pd.to_numeric(table["time"], errors="coerce")
    x = x if x.notna().all() else pd.Series(range(len(table)))
    pair = f"{table['group_a'].iloc[0]}–{table['group_b'].iloc[0]}"
    with plt.rc_context(STYLE):
        if table["ci_low"].notna().any():
            ax.fill_between(x, table["ci_low"], table["ci_high"], color=PALETTE[0], alpha=0.15, linewidth=0,
                            label="95 % bootstrap interval")
        ax.plot(x, table["similarity"], "o", color=PALETTE[0], markersize=3.5, label=f"{pair}, each year")
        if len(table) >= 5:
            ax.plot(x, table["similarity"].rolling(5, center=True, min_periods=3).mean(), color=PALETTE[0],
                    linewidth=2, label=f"{pair}, 5-year rolling mean")
        if table["others_median"].notna().any():
            ax.plot(x, table["others_median"].rolling(5, center=True, min_periods=1).mean() if len(table) >= 5
                    else table["others_median"], color="grey", linestyle="--", linewidth=1.2,
                    label="other pairs of groups (median" + (", 5-year rolling mean)" if len(table) >= 5 else ")"))
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=min(0.0, float(np.nanmin(table[["similarity", "ci_low"]].to_numpy(dtype=float)))))
        ax.legend(loc="upper left", fontsize=8, frameon=False)
        ax.set_title(title, loc="left")
    return fig


def word_weights(table: pd.DataFrame, *, x: str = "beta", y: str = "psi", label: str = "term",
                 notable: str = "notable", title: str = "", xlabel: str = "", ylabel: str = "") -> Figure:
    """Every word as a point, ``x`` (its weight on the scale) against ``y`` (its frequency effect), the rows where
    ``notable`` is true named: Wordfish's "Eiffel tower" (quanteda's textplot_scale1d, margin = "features")."""
    fig, ax = _figure(6.5, 5.0)
    with plt.rc_context(STYLE):
        ax.scatter(table[x], table[y], s=6, color=PALETTE[5], alpha=0.6, linewidths=0)
        named = table[table[notable].astype(bool)]
        ax.scatter(named[x], named[y], s=12, color=PALETTE[0])
        placed: list[tuple[float, float, float]] = []  # (x, y, width) of labels drawn, in data units
        x_span, y_span = np.ptp(table[x].astype(float)) or 1.0, np.ptp(table[y].astype(float)) or 1.0
        for xi, yi, text in sorted(zip(named[x], named[y], named[label].astype(str)), key=lambda r: -r[1]):
            width, height, at = 0.013 * x_span * len(text), 0.04 * y_span, yi
            while any(abs(at - py) < height and abs(xi - px) < (width + pw) / 2 for px, py, pw in placed):
                at -= height / 2  # move down past the labels already drawn near it
            placed.append((xi, at, width))
            ax.annotate(text, (xi, yi), xytext=(xi + (0.01 if xi >= 0 else -0.01) * x_span, at), fontsize=8,
                        ha="left" if xi >= 0 else "right", va="center",
                        arrowprops={"arrowstyle": "-", "color": "grey", "linewidth": 0.5} if at != yi else None)
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.set_xlabel(xlabel or x)
        ax.set_ylabel(ylabel or y)
        ax.set_title(title, loc="left")
    return fig
