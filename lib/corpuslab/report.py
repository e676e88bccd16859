"""Writing a run's outputs: tables (CSV), figures (PNG + SVG) and the landing page.

Notebooks save through :class:`Outputs`; the runner checks the declared tables
against :data:`CONTRACTS` and renders ``index.html`` with :func:`render_index`.
Corpus text is data: every value is HTML-escaped, and CSV cells that a
spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from corpuslab import _csv
from corpuslab.errors import CorpuslabError

CONTRACTS: dict[str, tuple[str, ...]] = {
    "corpus_summary": ("doc_id", "n_tokens", "n_types", "n_sentences"),
    "corpus_languages": ("language", "name", "n_documents", "n_tokens", "supported", "treatment"),
    "cleaning_removed": ("doc_id", "line_no", "rule", "text"),
    "unreadable_files": ("file", "format", "reason"),
    "corpus_formats": ("format", "n_documents", "n_unreadable"),
    "term_frequency": ("term", "count", "rel_freq", "doc_freq"),
    "top_terms_by_group": ("by", "group", "rank", "term", "count", "rel_freq"),
    "keyness": ("term", "count_target", "count_reference", "g2", "p_value", "log_ratio"),
    "collocations": ("ngram", "count", "pmi_bits", "g2"),
    "keyness_reference": ("term", "count_target", "count_reference", "g2", "p_value", "log_ratio"),
    "embedding_stability": ("n_tokens", "n_words", "n_seeds", "jaccard_mean", "jaccard_q25", "jaccard_q75",
                            "reportable"),
    "similar_words": ("term", "rank", "neighbour", "cosine", "seed_share", "jaccard_mean"),
    "kwic": ("query", "doc_id", "left", "keyword", "right"),
    "tfidf": ("doc_id", "rank", "term", "count", "tfidf"),
    "frequency_by_period": ("group", "term", "count", "n_tokens", "rel_freq"),
    "dispersion": ("term", "count", "n_parts", "dp", "dp_norm"),
    "lexdiv": ("doc_id", "n_tokens", "n_types", "ttr", "herdan_c", "yule_k", "mattr", "flesch"),
    "dictionary_counts": ("doc_id", "entry", "category", "n_matches", "n_units"),
    "theme_counts": ("doc_id", "entry", "category", "n_matches", "n_units"),
    "cooccurrence": ("entry_a", "entry_b", "n_units", "n_units_a", "n_units_b", "jaccard"),
    "topic_terms": ("topic", "rank", "term", "weight"),
    "doc_topics": ("doc_id", "unit_id", "topic", "weight"),
    "topic_selection": ("k",),
    "topic_passages": ("topic", "rank", "doc_id", "unit_id", "weight", "text"),
    "topic_prevalence": ("by", "group", "topic", "n_units", "weight", "ci_low", "ci_high"),
    "topic_labels": ("topic", "rank", "prob", "frex", "relevance"),
    "topic_model": ("key", "value"),
    "topic_effects": ("topic", "term", "estimate", "std_error", "ci_low", "ci_high", "reference"),
    "topic_effect_curve": ("topic", "group", "time", "estimate", "ci_low", "ci_high"),
    "topic_effect_groups": ("topic", "group", "n_documents", "estimate", "ci_low", "ci_high"),
    "topic_effect_difference": ("topic", "contrast", "over", "time", "estimate", "ci_low", "ci_high"),
    "sentiment_units": ("doc_id", "unit_id", "compound", "pos", "neu", "neg"),
    "sentiment_documents": ("doc_id", "n_units", "mean_compound"),
    "sentiment_targets": ("target", "n_units", "mean_compound", "ci_low", "ci_high"),
    "sentiment_targets_by_group": ("target", "by", "group", "n_units", "mean_compound", "ci_low", "ci_high"),
    "sentiment_validation": ("dataset", "method", "n", "pearson_r", "macro_f1"),
    "sentiment_evidence": ("side", "doc_id", "unit_id", "compound", "text", "evidence"),
    "sentiment_words": ("group", "word", "valence"),
    "sentiment_groups": ("by", "group", "n_units", "mean_compound", "ci_low", "ci_high"),
    "sentiment_disagreement": ("doc_id", "unit_id", "compound_vader", "compound_huliu", "text"),
    "sentiment_languages": ("language", "n_documents", "scored", "reason"),
    "similar_documents": ("doc_id", "neighbour", "similarity", "rank"),
    "document_clusters": ("doc_id", "cluster", "clustered"),
    "group_similarity_over_time": ("time", "group_a", "group_b", "n_a", "n_b", "similarity", "ci_low", "ci_high",
                                   "others_median"),
    "wordscores_words": ("term", "score", "count_reference"),
    "wordscores_texts": ("unit", "reference_score", "n_scored", "raw", "se", "ci_low", "ci_high", "rescaled_mv",
                         "rescaled_lbg"),
    "wordfish_positions": ("unit", "theta", "se", "ci_low", "ci_high", "alpha", "n_tokens"),
    "wordfish_words": ("term", "beta", "psi", "count"),
    "key_findings": ("section", "finding"),
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that start like a spreadsheet formula with an apostrophe.

    >>> neutralise_formulas(pd.DataFrame({"a": ["=SUM(A1)", "ok"], "b": [-1, 2]}))["a"].tolist()
    ["'=SUM(A1)", 'ok']
    """
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return out


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` as UTF-8 CSV with a header row and no index: byte for byte
    ``table.to_csv(path, index=False, float_format="%.10g", lineterminator="\\n")``, about twice as fast on large
    tables (:mod:`corpuslab._csv`)."""
    _csv.write(table, path)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|$~>:@])")  # ":" "@" "." : no URL, www. or e-mail autolinks


def as_markdown_text(value) -> str:
    """Corpus-derived text made safe to put inside Markdown: HTML escaped, Markdown/LaTeX characters backslashed.

    >>> print(as_markdown_text("<script>x</script> *bold* $x$"))
    &lt;script&gt;x&lt;/script&gt; \\*bold\\* \\$x\\$
    >>> print(as_markdown_text("https://x.org a@b.org"))
    https\\://x\\.org a\\@b\\.org
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False))


class Outputs:
    """Where a notebook writes: ``tables/NAME.csv`` and ``figures/NAME.png|svg`` under ``run_dir``."""

    def __init__(self, run_dir: str | Path):
        self.run_dir = Path(run_dir)
        self.tables = self.run_dir / "tables"
        self.figures = self.run_dir / "figures"
        self.tables.mkdir(parents=True, exist_ok=True)
        self.figures.mkdir(parents=True, exist_ok=True)

    def table(self, table: pd.DataFrame, name: str) -> Path:
        """Save ``table`` as UTF-8 CSV with a header row; return its path."""
        path = self.tables / f"{name}.csv"
        write_csv(neutralise_formulas(table), path)
        return path

    def figure(self, fig, name: str) -> None:
        """Save ``fig`` as PNG and SVG (without timestamps, so reruns give the same files), show it in the cell
        that made it (in a Jupyter kernel: the report page and JupyterLab alike) and close it.

        Returns nothing, so a cell that ends with this call echoes no paths.
        """
        import matplotlib.pyplot as plt

        png, svg = self.figure_paths(name)
        # stable element ids in the SVG; labels drawn now stay literal text, never mathtext
        with plt.rc_context({"svg.hashsalt": "corpuslab", "text.parse_math": False}):
            fig.savefig(png, dpi=150, metadata={"Software": None})
            fig.savefig(svg, metadata={"Date": None, "Creator": None})
        if in_kernel():
            from IPython.display import Image, display

            display(Image(data=png.read_bytes(), format="png", width=round(fig.get_figwidth() * 100)))
        plt.close(fig)  # shown once, here; the inline backend must not show it again at the end of the cell

    def note(self, name: str, text: str) -> None:
        """Keep a short fact about this run (e.g. what keyness compared) for the key findings: ``notes.json``."""
        import json

        path = self.run_dir / "notes.json"
        notes = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        notes[name] = str(text)
        path.write_text(json.dumps(notes, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")

    def figure_paths(self, name: str) -> tuple[Path, Path]:
        """Where :meth:`figure` writes the figure ``name``: its PNG and its SVG."""
        return self.figures / f"{name}.png", self.figures / f"{name}.svg"


def in_kernel() -> bool:
    """Whether this code runs in a Jupyter kernel (papermill, JupyterLab), where ``display`` reaches a page."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the notebook stack
        return False
    return getattr(get_ipython(), "kernel", None) is not None


def shown_caption(n_shown: int, n_total: int, *, noun: str, saved: str = "") -> str:
    """The line under a table cut for display; empty when nothing was cut.

    >>> shown_caption(25, 65, noun="documents", saved="lexdiv")
    'Showing 25 of 65 documents; all in `tables/lexdiv.csv`.'
    >>> shown_caption(5, 5, noun="documents")
    ''
    """
    if n_shown >= n_total:
        return ""
    where = f"; all in `tables/{saved}.csv`" if saved else ""
    return f"Showing {n_shown:,} of {n_total:,} {noun}{where}."


def show_table(table: pd.DataFrame, *, limit: int, noun: str = "rows", saved: str = "") -> None:
    """Display the first ``limit`` rows of ``table`` in a notebook and, when rows were cut, say how many and
    where the whole table is (the CSV ``saved`` names)."""
    from IPython.display import Markdown, display

    caption = shown_caption(min(limit, len(table)), len(table), noun=noun, saved=saved)
    if caption:
        display(Markdown(caption))
    display(table.head(limit))


def show_note(text: str) -> None:
    """Display ``text`` as Markdown in a notebook, unless it is empty (a note that does not apply is not shown)."""
    if text:
        from IPython.display import Markdown, display

        display(Markdown(text))


def dictionary_note(dictionary, which: str = "actors") -> str:
    """Which dictionary a notebook uses for ``which``, in one Markdown sentence (names are escaped).

    >>> from corpuslab.dictionary import Dictionary
    >>> dictionary_note(None, "themes")[:82]
    'No theme dictionary: themes are counted only with a dictionary made for the corpus'
    """
    param = f"`dictionary.{which}`"
    if dictionary is None:
        return (f"No {which[:-1]} dictionary: {which} are counted only with a dictionary made for the corpus "
                f"(set {param} to a YAML file; format in `data/dictionaries/README.md`).")
    if getattr(dictionary, "name", "") == "automatic":
        listed = ", ".join(as_markdown_text(n) for n in list(dictionary)[:8])
        listed += f" and {len(dictionary) - 8} more" if len(dictionary) > 8 else ""
        return (f"**Actors found automatically** (no actor dictionary was given): the {len(dictionary)} names this "
                f"corpus uses most — capitalised words and phrases not starting a sentence — such as {listed}. "
                f"They are names, not resolved actors (aliases are separate entries); set {param} to a YAML "
                "file to use your own list." if len(dictionary) else
                f"**No actors found automatically**: no capitalised name occurs three times or more outside sentence "
                f"starts. Set {param} to a YAML file to count your own list.")
    source = getattr(dictionary, "source", None)
    where = f"`{as_markdown_text(Path(source).name)}`" if source else "the given dictionary"
    return f"{which.capitalize()}: {len(dictionary)} entries from {where}."


SMALL_CORPUS_DOCUMENTS = 20
SMALL_CORPUS_UNITS = 200


def small_corpus_note(n_documents: int, *, n_units: int | None = None, unit: str = "paragraphs",
                      about: str = "topics") -> str:
    """A caution for a corpus too small for the method ``about`` ("topics", "dispersion", "scaling"); empty otherwise.

    The text is built from the corpus's own counts, so it only appears where it is true.

    >>> small_corpus_note(5, n_units=80)[:60]
    '**A small corpus.** 5 documents and 80 paragraphs are few fo'
    >>> small_corpus_note(500, n_units=20_000)
    ''
    """
    few_units = n_units is not None and n_units < SMALL_CORPUS_UNITS
    if n_documents >= SMALL_CORPUS_DOCUMENTS and not few_units:
        return ""
    counted = f"{n_documents:,} document{'s' * (n_documents != 1)}"
    if n_units is not None:
        counted += f" and {n_units:,} {unit}"
    if about == "scaling":
        return (f"**A small corpus.** With {n_documents:,} texts scaled, Wordfish fits each position on few words "
                "and the whole scale (mean 0, sd 1) on these texts alone: one text's topic can decide the ends. "
                "Read the positions as a description of these texts, not as estimates of a wider population.")
    if about == "dispersion":
        return (f"**A small corpus.** With {counted}, DP can take only a few values and one document's length "
                "moves it a lot: read it as a rough ordering.")
    return (f"**A small corpus.** {counted} are few for topics to be *discovered themes*: topics often track single "
            "documents or authors, coherence measured on the same few units is optimistic, and prevalence by "
            "outlet or year may compare single documents (an interval over the paragraphs of one document says "
            "nothing about its outlet). Use the topics as a structured summary of *this* corpus.")


def check_tables(run_dir: str | Path, names: Iterable[str]) -> list[str]:
    """Problems with the tables ``names`` in a run folder: missing files or contract columns."""
    problems = []
    for name in names:
        path = Path(run_dir) / "tables" / f"{name}.csv"
        if not path.exists():
            problems.append(f"table {name!r} was not written")
            continue
        columns = pd.read_csv(path, nrows=0).columns
        missing = [c for c in CONTRACTS.get(name, ()) if c not in columns]
        if missing:
            problems.append(f"table {name!r} lacks columns {', '.join(missing)}")
    return problems


def require_tables(run_dir: str | Path, names: Iterable[str], notebook: str) -> None:
    """Raise naming the notebook if its declared tables are missing or off-contract."""
    problems = check_tables(run_dir, names)
    if problems:
        raise CorpuslabError(f"notebook {notebook}: " + "; ".join(problems))


METHODS: dict[str, tuple[str, tuple[str, ...]]] = {
    "00_corpus": ("Documents were cleaned of page furniture by line patterns and split into sentences with a Punkt "
                  "model (Kiss & Strunk 2006) trained on public-domain US political prose.", ("kiss2006punkt",)),
    "01_term_frequency": ("Term frequencies, keyness (log-likelihood G², Dunning 1993; Rayson & Garside 2000; "
                          "log-ratio, Hardie 2014), collocations and dispersion (Gries 2008) follow quanteda's "
                          "definitions (Benoit et al. 2018); the general-English reference for keyness is the Brown "
                          "corpus (Francis & Kučera 1979).",
                          ("manning2008ir", "dunning1993", "rayson2000", "hardie2014", "gries2008",
                           "benoit2018quanteda", "francis1979brown")),
    "02_topics": ("Topics were modelled with NMF (Lee & Seung 1999) or LDA (Blei et al. 2003), chosen by coherence "
                  "(Mimno et al. 2011) and stability on random halves of the units (Greene et al. 2014), and read "
                  "with FREX and relevance (Roberts et al. 2014; Sievert & Shirley 2014).",
                  ("lee1999nmf", "blei2003lda", "mimno2011coherence", "greene2014stability", "roberts2014stm",
                   "sievert2014ldavis")),
    "03_sentiment": ("Sentence sentiment was scored with VADER (Hutto & Gilbert 2014) and the Hu & Liu (2004) opinion "
                     "lexicon, validated against human ratings before use (cf. Young & Soroka 2012).",
                     ("hutto2014vader", "hu2004opinion", "young2012lexicoder")),
    "04_similarity": ("Documents were compared by the cosine (or Pearson correlation) of their tf-idf weights, as "
                      "quanteda's textstat_simil (Benoit et al. 2018; Manning et al. 2008), and clustered by average "
                      "linkage.", ("manning2008ir", "benoit2018quanteda")),
    "05_scaling": ("Texts were placed on one dimension with Wordfish (Slapin & Proksch 2008), fitted as "
                   "quanteda.textmodels does, and, given reference texts, Wordscores (Laver, Benoit & Garry 2003; "
                   "rescaled as Martin & Vanberg 2008).", ("slapin2008wordfish", "laver2003wordscores",
                                                           "martin2008mv")),
    "06_word_embeddings": ("Words used alike were found with word2vec (Mikolov et al. 2013; gensim, Řehůřek & Sojka "
                           "2010) trained on the corpus with several seeds, the stability of each word's neighbours "
                           "measured across seeds (Antoniak & Mimno 2018).",
                           ("mikolov2013word2vec", "rehurek2010gensim", "antoniak2018stability")),
}


def methods_paragraph(notebooks: Iterable[str]) -> tuple[str, list[str]]:
    """The methods text for the notebooks that ran, and the BibTeX keys it cites."""
    parts, keys = [], []
    for name in notebooks:
        if name in METHODS:
            text, cited = METHODS[name]
            parts.append(text)
            keys += [k for k in cited if k not in keys]
    return " ".join(parts), keys


def bibtex(keys: Iterable[str], source: Path) -> str:
    """The entries of ``source`` (a .bib file) whose keys are in ``keys``, in that order."""
    entries = {}
    for chunk in Path(source).read_text(encoding="utf-8").split("\n@")[0:]:
        chunk = chunk if chunk.startswith("@") else "@" + chunk
        key = chunk.split("{", 1)[1].split(",", 1)[0].strip()
        entries[key] = chunk.strip()
    return "\n\n".join(entries[k] for k in keys if k in entries) + "\n"


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src * data:; style-src 'unsafe-inline'">
<title>{title}</title>
<style>
body{{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
  color:#1a1a1a;line-height:1.5}}
h1{{margin-bottom:.2rem}} .sub{{color:#555;margin-top:0}}
table{{border-collapse:collapse;margin:.5rem 0 1.5rem}}
td,th{{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:top}}
th{{background:#f4f4f4}} .failed{{color:#b00020;font-weight:bold}} .succeeded{{color:#1b7a1b}}
figure{{display:inline-block;vertical-align:top;margin:0 1rem 1rem 0;width:18rem}}
figure img{{width:100%;height:12rem;object-fit:contain;border:1px solid #eee}}
figcaption{{font-size:.85rem}} code{{background:#f4f4f4;padding:0 .2rem}}
</style></head><body>
<h1>{title}</h1>
<p class="sub">Run <code>{run_id}</code> · status <span class="{status}">{status}</span> · {n_documents} documents
· corpus <code>{corpus}</code></p>
<h2>Key findings</h2>
{findings}
<h2>Notebooks</h2>
<table><tr><th>notebook</th><th>status</th><th>seconds</th><th>peak memory (MB)</th><th>report</th>
<th>executed notebook</th></tr>
{notebook_rows}
</table>
<h2>Figures</h2>
{figures}
<h2>Tables</h2>
<ul>{tables}</ul>
<h2>Methods</h2>
<p>{methods} References: <a href="references.bib">references.bib</a> (BibTeX). Software: corpuslab
(see <code>CITATION.cff</code>), with the package versions in the manifest.</p>
<h2>Provenance</h2>
<p>Input fingerprint <code>{fingerprint}</code> (sha256 of text and metadata) · git commit <code>{commit}</code> ·
started {started} · finished {finished}. Every parameter, package version and resource hash is in
<a href="manifest.json">manifest.json</a>.</p>
</body></html>
"""


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def render_index(manifest: dict, run_dir: str | Path) -> str:
    """The HTML landing page of a run folder, from its manifest and the files present."""
    run_dir = Path(run_dir)
    e = html.escape
    rows = []
    for nb in manifest["notebooks"]:
        name = nb["name"]
        page = f"html/{name}.html"
        executed = f"notebooks/{name}.ipynb"
        rows.append(
            f"<tr><td>{e(name)}</td><td class=\"{e(nb['status'])}\">{e(nb['status'])}</td>"
            f"<td>{nb.get('seconds', '')}</td><td>{nb.get('peak_mb', '')}</td>"
            f"<td>{_link(page, 'HTML') if (run_dir / page).exists() else ''}</td>"
            f"<td>{_link(executed, '.ipynb') if (run_dir / executed).exists() else ''}</td></tr>"
            + (f"<tr><td colspan=\"5\" class=\"failed\">{e(nb['error'])}</td></tr>" if nb.get("error") else "")
        )
    findings_path = run_dir / "tables" / "key_findings.csv"
    if findings_path.exists():
        findings = pd.read_csv(findings_path, keep_default_na=False)
        findings_table = findings_html(findings if "link" in findings.columns else findings.assign(link=""))
    else:
        findings_table = "<p>No findings: the summary notebook did not run.</p>"
    pngs = sorted((run_dir / "figures").glob("*.png"))
    figures = "".join(
        f'<figure><a href="figures/{e(p.name)}"><img src="figures/{e(p.name)}" alt="{e(p.stem)}"></a>'
        f'<figcaption>{e(p.stem.replace("_", " "))} · {_link("figures/" + p.name, "PNG")} · '
        f'{_link("figures/" + p.stem + ".svg", "SVG")}</figcaption></figure>'
        for p in pngs
    ) or "<p>None.</p>"
    tables = "".join(f"<li>{_link('tables/' + p.name, p.name)}</li>"
                     for p in sorted((run_dir / "tables").glob("*.csv")))
    methods, _ = methods_paragraph(nb["name"] for nb in manifest["notebooks"] if nb["status"] == "succeeded")
    return _PAGE.format(
        title=e(manifest.get("title", "corpuslab report")), run_id=e(manifest["run_id"]), status=e(manifest["status"]),
        n_documents=e(str(manifest.get("n_documents", "?"))), corpus=e(str(manifest["params"]["corpus"]["path"])),
        findings=findings_table, methods=e(methods), notebook_rows="\n".join(rows), figures=figures,
        tables=tables or "<li>None.</li>",
        fingerprint=e(manifest.get("fingerprint", "")), commit=e(manifest.get("git_commit", "unknown")),
        started=e(manifest.get("started", "")), finished=e(manifest.get("finished", "") or "not finished"),
    )


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
        from corpuslab.topic_effects import finding

        rows.append(("Topic prevalence by covariates", finding(curve, difference), "html/02_topics.html"))
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
