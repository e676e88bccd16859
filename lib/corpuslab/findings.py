"""The key findings of a run: plain-language sentences read from the tables it wrote, for the landing page and
99_summary (:func:`key_findings`), one helper per section (keyness, similarity, scaling), and their HTML table."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def key_findings(run_dir: str | Path) -> pd.DataFrame:
    """Plain-language findings from the tables a run wrote: section, finding, link."""
    tables = Path(run_dir) / "tables"

    def read(name: str) -> pd.DataFrame | None:
        path = tables / f"{name}.csv"
        return pd.read_csv(path, keep_default_na=False) if path.exists() else None

    notes_path = Path(run_dir) / "notes.json"
    notes = json.loads(notes_path.read_text(encoding="utf-8")) if notes_path.exists() else {}
    rows = []
    summary = read("corpus_summary")
    if summary is not None:
        rows.append(("Corpus", f"{len(summary)} documents, {int(summary['n_tokens'].sum()):,} word tokens, "
                     f"{int(summary['n_sentences'].sum()):,} sentences.", "html/00_corpus.html"))
    file_types = read("corpus_formats")
    if file_types is not None and len(file_types):
        rows.append(("File types", "Documents by file type: " + ", ".join(
            f"{f} {n}" for f, n in zip(file_types["format"], file_types["n_documents"])) + f"; "
            f"{int(file_types['n_unreadable'].sum())} files could not be read.", "html/00_corpus.html"))
    removed = read("cleaning_removed")
    if removed is not None:
        by_rule = ", ".join(f"{r} {n}" for r, n in removed["rule"].value_counts().sort_index().items())
        rows.append(("Cleaning", f"{len(removed)} lines of page furniture removed ({by_rule})." if len(removed)
                     else "No lines of page furniture found to remove.", "tables/cleaning_removed.csv"))
    tf = read("term_frequency")
    if tf is not None and len(tf):
        top = ", ".join(f"{t} ({c})" for t, c in zip(tf["term"].head(8), tf["count"].head(8)))
        rows.append(("Most frequent terms", top + ".", "html/01_term_frequency.html"))
    key = read("keyness")
    if key is not None and len(key):
        rows.append(("Keyness", keyness_finding(key, notes.get("keyness", "")), "tables/keyness.csv"))
    against = read("keyness_reference")
    if against is not None and len(against):
        rows.append(("Keyness against a reference corpus",
                     keyness_finding(against, notes.get("keyness_reference", "")), "tables/keyness_reference.csv"))
    colloc = read("collocations")
    if colloc is not None and len(colloc):
        strongest = colloc.sort_values(["g2", "ngram"], ascending=[False, True]).head(5)
        rows.append(("Strongest collocations (G²)",
                     ", ".join(f"{n} ({c}×)" for n, c in zip(strongest["ngram"], strongest["count"])) + ".",
                     "tables/collocations.csv"))
    topics = read("topic_terms")
    if topics is not None and len(topics):
        for topic, part in topics.groupby("topic"):
            rows.append((f"Topic {topic}", ", ".join(part.sort_values("rank")["term"].head(6)), "html/02_topics.html"))
    curve, difference = read("topic_effect_curve"), read("topic_effect_difference")
    if curve is not None and difference is not None and (len(curve) or len(difference)):
        rows.append(("Topic prevalence by covariates", topic_effects_finding(curve, difference), "html/02_topics.html"))
    sentiment = read("sentiment_documents")
    if sentiment is not None and len(sentiment):
        ordered = sentiment.sort_values("mean_compound")
        name = "label" if "label" in sentiment.columns else "doc_id"
        low, high = ordered.iloc[0], ordered.iloc[-1]
        rows.append(("Sentiment (VADER, sentence mean)",
                     f"lowest: {low[name]} ({low['mean_compound']:+.3f}); "
                     f"highest: {high[name]} ({high['mean_compound']:+.3f}).", "html/03_sentiment.html"))
    labelled = sentiment if sentiment is not None and "label" in sentiment.columns else None
    rows += similarity_findings(read("similar_documents"), read("group_similarity_over_time"),
                                labels=None if labelled is None else dict(zip(labelled["doc_id"], labelled["label"])))
    rows += scaling_findings(read("wordfish_positions"), read("wordfish_words"), read("wordscores_texts"))
    if notes.get("embeddings"):
        rows.append(("Word embeddings", notes["embeddings"].replace("**", "").replace("`", ""),
                     "html/06_word_embeddings.html"))
    return pd.DataFrame(rows, columns=["section", "finding", "link"])


def scaling_findings(positions, words, texts) -> list[tuple[str, str, str]]:
    """The key findings of 05_scaling: the ends of the Wordfish scale and its heaviest words; Wordscores' ends."""
    rows = []
    if positions is not None and len(positions):
        ends = positions.sort_values("theta")
        low, high = ends.iloc[0], ends.iloc[-1]
        text = f"lowest {low['unit']} ({low['theta']:+.2f}), highest {high['unit']} ({high['theta']:+.2f})"
        if words is not None and len(words):  # among the more frequent half, as the notebook's figure names them
            by_beta = words[words["psi"] >= words["psi"].median()].sort_values("beta", kind="stable")
            low, high = by_beta[by_beta["beta"] < 0]["term"].head(5), by_beta[by_beta["beta"] > 0]["term"].tail(5)
            text += f"; words pulling low: {', '.join(map(str, low))}; high: {', '.join(map(str, high[::-1]))}"
        rows.append(("Scaling (Wordfish θ)", text + ".", "html/05_scaling.html"))
    scored = texts.dropna(subset=["raw"]) if texts is not None and len(texts) else None
    if scored is not None and len(scored):  # the texts not used as references, when there are any
        given = pd.to_numeric(scored["reference_score"], errors="coerce")
        virgin = scored[given.isna()].sort_values("rescaled_mv") if given.isna().any() else scored
        low, high = (f"{row['unit']} ({row['rescaled_mv']:+.2f})" for row in (virgin.iloc[0], virgin.iloc[-1]))
        text = low if len(virgin) == 1 else f"lowest {low}, highest {high}"
        scale = f", on the scale of the reference texts ({given.min():+g} to {given.max():+g})" if given.notna().any() \
            else ""
        rows.append(("Scaling (Wordscores, MV-rescaled)", f"{text}{scale}.", "tables/wordscores_texts.csv"))
    return rows


def topic_effects_finding(curve: pd.DataFrame, difference: pd.DataFrame) -> str:
    """The regression's result in one sentence for the key findings: the topic whose predicted prevalence changed
    most from the first to the last date (per group), and the largest overall difference between the contrasted
    groups whose interval excludes 0.

    >>> import numpy as np
    >>> curve = pd.DataFrame({"topic": [1, 1, 2, 2], "group": "all", "time": [1990.0, 2020.0] * 2,
    ...                       "estimate": [0.2, 0.5, 0.4, 0.3], "ci_low": 0.0, "ci_high": 1.0})
    >>> diff = pd.DataFrame({"topic": [1, 2], "contrast": "B − A", "over": "overall", "time": np.nan,
    ...                      "estimate": [0.02, -0.1], "ci_low": [-0.01, -0.15], "ci_high": [0.05, -0.05]})
    >>> topic_effects_finding(curve, diff)
    'Topic 1 (all) rose most, 0.20 to 0.50 (1990-2020); B − A: topic 2 -0.10 (95% CI -0.15 to -0.05).'
    """
    parts = []
    if len(curve):
        ends = curve.sort_values("time").groupby(["topic", "group"], sort=False)["estimate"].agg(["first", "last"])
        change = (ends["last"] - ends["first"]).abs().sort_values(ascending=False, kind="stable")
        (topic, group), = change.index[:1]
        first, last = ends.loc[(topic, group)]
        span = f"{curve['time'].min():.0f}-{curve['time'].max():.0f}"
        parts.append(f"Topic {topic} ({group}) {'rose' if last > first else 'fell'} most, {first:.2f} to {last:.2f} "
                     f"({span})")
    overall = difference[difference["over"] == "overall"] if len(difference) else difference
    if len(overall):
        clear = overall[(overall["ci_low"] > 0) | (overall["ci_high"] < 0)]
        label = overall["contrast"].iloc[0]
        if len(clear):
            row = clear.loc[clear["estimate"].abs().idxmax()]
            parts.append(f"{label}: topic {row['topic']} {row['estimate']:+.2f} (95% CI {row['ci_low']:.2f} to "
                         f"{row['ci_high']:.2f})")
        else:
            parts.append(f"{label}: no topic's difference excludes 0")
    return "; ".join(parts) + "."


def keyness_finding(key: pd.DataFrame, compared: str = "", *, n: int = 5) -> str:
    """The keyness result in one sentence: the terms most over- and under-used in the target (by the table's order).

    >>> key = pd.DataFrame({"term": ["war", "peace", "trade"], "g2": [9.0, 4.0, -6.0], "p_adjusted": [0.01, 0.2, 0.03]})
    >>> keyness_finding(key, "2021 against 2017")
    '2021 against 2017: more war, peace; less trade (2 of 3 terms with FDR-adjusted p < 0.05).'
    """
    measure = "g2" if "g2" in key.columns else "log_ratio"
    more = key[key[measure] > 0].sort_values(measure, ascending=False, kind="stable")["term"].head(n)
    less = key[key[measure] < 0].sort_values(measure, kind="stable")["term"].head(n)
    parts = [f"more {', '.join(map(str, more))}" if len(more) else "",
             f"less {', '.join(map(str, less))}" if len(less) else ""]
    text = "; ".join(p for p in parts if p) or "no term differs"
    if "p_adjusted" in key.columns:
        text += f" ({int((key['p_adjusted'] < 0.05).sum()):,} of {len(key):,} terms with FDR-adjusted p < 0.05)"
    return f"{compared}: {text}." if compared else f"Target against reference: {text}."


def findings_html(findings: pd.DataFrame, *, page_dir: str = "") -> str:
    """The key findings as an HTML table, each row linking to its evidence. ``page_dir`` is the folder of the page
    the table goes in, relative to the run folder (``"html"`` for the notebook pages), so every link resolves.

    >>> page = findings_html(pd.DataFrame({"section": ["Corpus"], "finding": ["<3 docs"], "link": ["tables/x.csv"]}),
    ...                      page_dir="html")
    >>> "&lt;3 docs" in page, '<a href="../tables/x.csv">x.csv</a>' in page
    (True, True)
    """
    e = html.escape
    rows = []
    for section, finding, link in zip(findings["section"], findings["finding"], findings["link"]):
        href = relative_link(str(link), page_dir) if link else ""
        cell = _link(href, Path(str(link)).name) if link else ""
        rows.append(f"<tr><th{_LEFT}>{e(str(section))}</th><td{_LEFT}>{e(str(finding))}</td><td{_LEFT}>{cell}</td></tr>")
    return f"<table>{''.join(rows)}</table>"


_LEFT = ' style="text-align:left"'  # notebook pages right-align table cells; findings are prose


def relative_link(target: str, page_dir: str) -> str:
    """``target`` (a path inside the run folder) as seen from a page in ``page_dir`` (also inside it).

    >>> relative_link("html/01_term_frequency.html", "html"), relative_link("tables/a.csv", "html")
    ('01_term_frequency.html', '../tables/a.csv')
    >>> relative_link("tables/a.csv", "")
    'tables/a.csv'
    """
    import posixpath

    return posixpath.relpath(target, page_dir or ".")


def similarity_findings(neighbours: pd.DataFrame | None, over_time: pd.DataFrame | None, *,
                        labels: dict | None = None) -> list[tuple]:
    """Key findings of 04_similarity: the most similar pair of documents (by their ``labels`` where given), and the
    followed pair's similarity at its first and last time points and its lowest and highest.

    >>> t = pd.DataFrame({"time": [1991, 2000, 2024], "group_a": "CHN", "group_b": "RUS", "similarity": [.2, .1, .3]})
    >>> similarity_findings(None, t)[0][1][:40]
    'CHN and RUS: 0.200 in 1991, 0.300 in 202'
    """
    rows = []
    if neighbours is not None and len(neighbours):
        top = neighbours.sort_values(["similarity", "doc_id"], ascending=[False, True]).iloc[0]
        name = (labels or {}).get
        rows.append(("Most similar documents", f"{name(top['doc_id'], top['doc_id'])} and "
                     f"{name(top['neighbour'], top['neighbour'])} "
                     f"(similarity {float(top['similarity']):.3f}).", "tables/similar_documents.csv"))
    if over_time is not None and len(over_time):
        first, last = over_time.iloc[0], over_time.iloc[-1]
        low, high = over_time.loc[over_time["similarity"].idxmin()], over_time.loc[over_time["similarity"].idxmax()]
        rows.append((f"Similarity over time ({first['group_a']}–{first['group_b']})",
                     f"{first['group_a']} and {first['group_b']}: {first['similarity']:.3f} in {first['time']}, "
                     f"{last['similarity']:.3f} in {last['time']} (lowest {low['similarity']:.3f} in {low['time']}, "
                     f"highest {high['similarity']:.3f} in {high['time']}).", "html/04_similarity.html"))
    return rows
