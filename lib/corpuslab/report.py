"""Writing a run's outputs: tables (CSV), figures (PNG + SVG), and the captions and notes shown beside them.

Notebooks save through :class:`Outputs`; the runner checks the declared tables
against :data:`CONTRACTS` (the landing page is :mod:`corpuslab.landing`, its key
findings :mod:`corpuslab.findings`).
Corpus text is data: every value is HTML-escaped, and CSV cells that a
spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from corpuslab import _csv
from corpuslab.engine import SERIAL, Engine
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
        values = out[column]
        if values.dtype == object:  # cells of any type: only text is prefixed
            out[column] = values.map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
        elif pd.api.types.is_string_dtype(values):  # a text column: one vectorised test (a sentence table's millions)
            risky = values.str.startswith(_FORMULA_START).fillna(False).to_numpy(bool)
            if risky.any():
                out[column] = values.where(~risky, "'" + values)
    return out


def write_csv(table: pd.DataFrame, path: Path, engine: Engine = SERIAL) -> None:
    """Write ``table`` as UTF-8 CSV with a header row and no index: byte for byte
    ``table.to_csv(path, index=False, float_format="%.10g", lineterminator="\\n")``, about twice as fast on large
    tables (:mod:`corpuslab._csv`), whose rows are formatted in parts on ``engine``'s processes."""
    _csv.write(table, path, engine)


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

    def __init__(self, run_dir: str | Path, engine: Engine = SERIAL):
        self.run_dir, self.engine = Path(run_dir), engine  # engine: where a large table's rows are formatted
        self.tables = self.run_dir / "tables"
        self.figures = self.run_dir / "figures"
        self.tables.mkdir(parents=True, exist_ok=True)
        self.figures.mkdir(parents=True, exist_ok=True)

    def table(self, table: pd.DataFrame, name: str) -> Path:
        """Save ``table`` as UTF-8 CSV with a header row; return its path."""
        path = self.tables / f"{name}.csv"
        write_csv(neutralise_formulas(table), path, self.engine)
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
