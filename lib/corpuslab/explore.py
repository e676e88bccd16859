"""Interactive explorers (ipywidgets) for JupyterLab; each computes through the library.

Each function returns a widget to display. In papermill reports the widget
output is dropped from the HTML page (it needs a live kernel); notebooks show
the static table and figure next to it. Corpus text is shown through pandas'
HTML (escaped) or ``html.escape``, never as markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pandas as pd

from corpuslab import counts, kwic

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _table_html(table: pd.DataFrame, max_rows: int = 30) -> str:
    return table.head(max_rows).to_html(index=False, escape=True, border=0)


def _live(controls: list, render: Callable[..., str]):
    """Wire ``controls`` to an HTML pane re-rendered by ``render(**values)`` on every change."""
    import ipywidgets as widgets

    pane = widgets.HTML()

    def update(_change=None):
        try:
            pane.value = render(**{c.description_key: c.value for c in controls})
        except Exception as exc:  # show a user's bad query in the pane instead of a traceback
            pane.value = f"<p style='color:#b00020'>{html.escape(str(exc))}</p>"

    for control in controls:
        control.observe(update, names="value")
    update()
    return widgets.VBox([widgets.HBox(controls), pane])


def _control(kind: str, key: str, label: str, **options):
    import ipywidgets as widgets

    control = getattr(widgets, kind)(description=label, style={"description_width": "initial"}, **options)
    control.description_key = key
    return control


def kwic_explorer(documents: pd.DataFrame, *, query: str = "sanction*", window: int = 6, index=None):
    """A concordance search box: query (word, phrase, glob or regex), window and sort order.

    The corpus is tokenised once (or ``index``, a :func:`corpuslab.kwic.kwic_index`, is used), so each
    new search only matches the distinct words and cuts out the lines.
    """
    index = index or kwic.kwic_index(documents)
    controls = [
        _control("Text", "query", "query", value=query, continuous_update=False),
        _control("Dropdown", "kind", "match", options=["glob", "phrase", "regex"], value="glob"),
        _control("IntSlider", "window", "window", min=1, max=20, value=window),
        _control("Dropdown", "sort", "sort by", options=["position", "left", "right", "keyword"], value="position"),
    ]

    def render(query, kind, window, sort):
        table = kwic.kwic(documents, query, kind=kind, window=window, sort=sort, index=index)
        head = f"<p><b>{len(table)}</b> matches of <code>{html.escape(query)}</code></p>"
        return head + _table_html(table[["doc_id", "left", "keyword", "right"]])

    return _live(controls, render)


def trend_explorer(X, terms, groups: pd.Series, *, term: str = "sanctions"):
    """Relative frequency of a chosen term per group (outlet, period...), as a table and bar chart."""
    import io

    from corpuslab import plots

    options = sorted(str(t) for t in terms)
    controls = [_control("Combobox", "term", "term", options=options, value=term if term in options else options[0],
                         ensure_option=True, continuous_update=False)]

    def render(term):
        table = counts.frequency_by_group(X, terms, groups, select=[term])
        fig = plots.bar(table, label="group", value="rel_freq", title=f"“{term}” per 10,000 tokens",
                        xlabel="per 10,000 tokens")
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
        import matplotlib.pyplot as plt

        plt.close(fig)
        return buffer.getvalue().split("<svg", 1)[1].join(["<svg", ""]) + _table_html(table)

    return _live(controls, render)


def table_browser(table: pd.DataFrame, *, filter_column: str, sort_column: str, columns: list[str] | None = None):
    """Browse a table: pick a value of ``filter_column``, sort by ``sort_column`` either way."""
    values = ["(all)"] + sorted(table[filter_column].dropna().astype(str).unique())
    controls = [
        _control("Dropdown", "value", filter_column, options=values, value="(all)"),
        _control("ToggleButtons", "order", "order", options=["highest first", "lowest first"], value="highest first"),
        _control("IntSlider", "rows", "rows", min=5, max=100, value=15),
    ]

    def render(value, order, rows):
        part = table if value == "(all)" else table[table[filter_column].astype(str) == value]
        part = part.sort_values(sort_column, ascending=order == "lowest first", kind="stable")
        return _table_html(part[columns] if columns else part, max_rows=rows)

    return _live(controls, render)


def topic_explorer(topic_term, terms, term_share, passages: pd.DataFrame, *, lam: float = 0.6, top_n: int = 12):
    """A topic browser: pick a topic, slide λ (Sievert & Shirley's relevance), read its passages."""
    import numpy as np

    from corpuslab import topic_labels

    controls = [
        _control("Dropdown", "topic", "topic", options=list(range(1, topic_term.shape[0] + 1)), value=1),
        _control("FloatSlider", "lam", "λ (1: probability, 0: lift)", min=0.0, max=1.0, step=0.1, value=lam),
    ]

    def render(topic, lam):
        scores = topic_labels.relevance(topic_term, term_share, lam=lam)[topic - 1]
        order = np.lexsort((np.asarray(terms), -scores))[:top_n]
        table = pd.DataFrame({"term": np.asarray(terms)[order], "relevance": scores[order].round(3),
                              "p(term | topic)": topic_term[topic - 1, order].round(4)})
        shown = passages[passages["topic"] == topic]
        return _table_html(table) + "<h4>Representative passages</h4>" + _table_html(shown, max_rows=5)

    return _live(controls, render)


_EVIDENCE_ITEM = re.compile(r"^(\S+) ([+-]\d+(?:\.\d+)?)")
_MARK_COLOURS = {True: "#cfe3f3", False: "#fbe0c0"}  # blue positive, orange negative (Okabe-Ito tints)


def highlight(text: str, evidence: str) -> str:
    """The sentence as escaped HTML, its evidence words marked (blue positive, orange negative).

    >>> highlight("A <b>good</b> plan, not bad.", "good +1.90; bad +1.85 (negation, booster or capitals)")
    ... # doctest: +NORMALIZE_WHITESPACE
    'A &lt;b&gt;<mark style="background:#cfe3f3" title="+1.90">good</mark>&lt;/b&gt; plan,
     not <mark style="background:#cfe3f3" title="+1.85">bad</mark>.'
    """
    text = str(text)
    marks: list[tuple[int, int, str]] = []
    for item in str(evidence or "").split("; "):
        found = _EVIDENCE_ITEM.match(item)
        if not found:
            continue
        word, valence = found.groups()
        for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text):
            if not any(a < m.end() and m.start() < b for a, b, _ in marks):  # the first occurrence not yet marked
                marks.append((m.start(), m.end(), valence))
                break
    pieces, last = [], 0
    for a, b, valence in sorted(marks):
        pieces += [html.escape(text[last:a], quote=False),
                   f'<mark style="background:{_MARK_COLOURS[float(valence) > 0]}" title="{valence}">'
                   f"{html.escape(text[a:b], quote=False)}</mark>"]
        last = b
    return "".join(pieces) + html.escape(text[last:], quote=False)


def sentence_explorer(evidence: pd.DataFrame):
    """Browse scored sentences with the words that drove each score (a ``sentiment_evidence`` table),
    those words highlighted in the sentence."""
    values = ["(all)"] + sorted(evidence["doc_id"].astype(str).unique())
    controls = [
        _control("Dropdown", "value", "doc_id", options=values, value="(all)"),
        _control("ToggleButtons", "order", "order", options=["highest first", "lowest first"], value="highest first"),
        _control("IntSlider", "rows", "rows", min=5, max=100, value=15),
    ]

    def render(value, order, rows):
        part = evidence if value == "(all)" else evidence[evidence["doc_id"].astype(str) == value]
        part = part.sort_values("compound", ascending=order == "lowest first", kind="stable").head(rows)
        body = "".join(f"<tr><td>{html.escape(str(r.doc_id))}</td><td>{r.compound:+.3f}</td>"
                       f"<td style='text-align:left'>{highlight(r.text, r.evidence)}</td>"
                       f"<td style='text-align:left'>{html.escape(str(r.evidence))}</td></tr>"
                       for r in part.itertuples())
        return ("<table><thead><tr><th>doc_id</th><th>compound</th><th>sentence</th><th>evidence</th></tr></thead>"
                f"<tbody>{body}</tbody></table>")

    return _live(controls, render)


def actor_explorer(targets: pd.DataFrame, *, group: str):
    """Pick an actor; see its mean sentence score and interval per ``group`` (outlet, period)."""
    return table_browser(targets, filter_column="target", sort_column="mean_compound",
                         columns=["target", group, "n_units", "mean_compound", "ci_low", "ci_high"])


def neighbour_explorer(models, *, term: str, top_n: int = 10):
    """A word box and its nearest neighbours in the corpus's word embeddings: cosine (first seed), the share of
    seeds that agree, and the word's mean Jaccard overlap between seeds (:func:`corpuslab.embeddings.similar_words`)."""
    from corpuslab import embeddings

    controls = [_control("Text", "term", "word", value=term, continuous_update=False),
                _control("IntSlider", "top_n", "neighbours", min=1, max=50, value=top_n)]

    def render(term, top_n):
        found, missing = embeddings.terms_to_show(models, [term.strip()])
        if missing:
            return (f"<p><code>{html.escape(term)}</code> is not in the vocabulary (words seen at least "
                    f"{embeddings.TRAINING['min_count']} times in the training text).</p>")
        table = embeddings.similar_words(models, found, top_n=top_n)
        return _table_html(table.round(3), max_rows=top_n)

    return _live(controls, render)
