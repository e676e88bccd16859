"""The parameter schema: every key a run reads, with its type, default, allowed values and one-line help.

:mod:`corpuslab.params` loads, validates and checks params against it; a notebook's ``parameters`` cell holds the
same keys with dots replaced by underscores (:attr:`Param.variable`). To add a setting, add a :class:`Param` here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corpuslab.languages import LANGUAGES, stopword_names


@dataclass(frozen=True)
class Param:
    """One key of the schema: its type, default, allowed values and a one-line help."""

    key: str
    kind: str  # "int", "float", "bool", "str", "path", "choice", "str_list"
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()

    @property
    def variable(self) -> str:
        """The name of this key in a notebook's ``parameters`` cell."""
        return self.key.replace(".", "_")

    def allowed(self) -> str:
        """Plain-language description of the allowed values."""
        if self.kind in ("int", "float"):
            noun = "an integer" if self.kind == "int" else "a number"
            if self.low is not None and self.high is not None:
                return f"{noun} from {_fmt(self.low)} to {_fmt(self.high)}"
            if self.low is not None:
                return f"{noun} of at least {_fmt(self.low)}"
            return noun
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        return {
            "bool": "true or false",
            "str": "a text value",
            "path": "a file or folder path (relative paths are resolved against the project folder)",
            "str_list": "a list of words, e.g. [said, says]",
            "encoding": "auto, or a Python codec name such as utf-8, latin-1, cp1252, utf-16",
        }[self.kind]


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


SCHEMA: tuple[Param, ...] = (
    Param("corpus.path", "path", "data/raw/china-russia",
          "folder of documents (.txt, .pdf, .docx, .html/.htm, .md; mixed freely, see docs/sources.md), "
          "or a .csv/.jsonl/.parquet table with a text column"),
    Param("corpus.metadata", "str", "",
          "metadata CSV for a folder corpus (one row per file, doc_id column); "
          "empty: the folder's metadata.csv if present"),
    Param("corpus.text_column", "str", "text", "name of the text column in a table corpus"),
    Param("corpus.id_column", "str", "doc_id",
          "name of the id column in a table corpus; if absent, ids doc00001... are made from row order"),
    Param("corpus.encoding", "encoding", "auto",
          "text encoding of the corpus files; auto: UTF-8, else detected per file (bad bytes replaced and counted)"),
    Param("corpus.filename_fields", "str_list", [],
          "metadata read from a folder corpus's file names, e.g. [year, president] for 1961-Kennedy.txt"),
    Param("corpus.filename_separator", "str", "-", "what separates the fields of a file name (e.g. - or _)"),
    Param("corpus.max_document_mb", "float", 25.0,
          "largest document accepted, in millions of characters (a bigger one is usually a whole corpus in one file)",
          low=0.001, high=10_000),
    Param("corpus.follow_symlinks", "bool", False,
          "read symlinked documents (.txt, .pdf ...) in a corpus folder that point outside it (refused by default: "
          "the run would read files you did not put there)"),
    Param("corpus.language", "choice", "auto",
          "language of the documents (ISO 639-1): auto (detected per document by py3langid, offline) or one of "
          + ", ".join(f"{c} ({lang.name})" for c, lang in LANGUAGES.items()) + "; docs/languages.md: what each gets",
          choices=("auto", *LANGUAGES)),
    Param("corpus.clean", "bool", True, "remove page furniture (ads, captions, copyright lines) before analysis"),
    Param("segment.paragraphs", "choice", "auto",
          "what separates paragraphs: auto (hard-wrapped text re-flowed, else every line break), "
          "every line break ('line') or blank lines only ('blank')",
          choices=("auto", "line", "blank")),
    Param("tokens.lowercase", "bool", True, "fold tokens to lower case"),
    Param("tokens.stopwords", "choice", "auto",
          "stopword list to remove: auto (each document's own language: english-extended for English, NLTK's "
          "list for the others), english-extended (NLTK's English list plus contractions and modal verbs), "
          "none, or one NLTK list for every document: " + ", ".join(stopword_names()[3:]),
          choices=stopword_names()),
    Param("tokens.extra_stopwords", "str_list", [], "more words to remove, e.g. [said, says]"),
    Param("tokens.min_length", "int", 2, "shortest token kept, in characters", low=1, high=50),
    Param("tokens.keep_numbers", "bool", False, "keep number tokens such as 2024"),
    Param("frequency.top_n", "int", 25, "how many terms to list and plot", low=1, high=1000),
    # --- more frequency.* / dictionary.* keys (term-frequency notebook) go here
    Param("tokens.phrases", "str_list", [],
          "multiword expressions kept as one token, e.g. [Xi Jinping, Belt and Road]"),
    Param("tokens.stem", "choice", "none", "stem tokens: none, or snowball (NLTK's Snowball stemmer of each "
          "document's language; languages without one are left unstemmed)",
          choices=("none", "snowball")),
    Param("tokens.lemmatize", "bool", False, "map tokens to dictionary forms with simplemma (offline), in each "
          "document's language where simplemma has a dictionary"),
    Param("frequency.keyness_column", "str", "",
          "grouping that picks the keyness target and reference: a metadata column (party, doc_id, ...), period, or "
          "date (values are dates or ranges such as 2017..2020); empty: the first of groups"),
    Param("frequency.keyness_target", "str", "auto",
          "value of frequency.keyness_column for the target documents, or latest / earliest (period); auto: the "
          "latest period, or the column's largest group"),
    Param("frequency.keyness_reference", "str", "auto",
          "value of frequency.keyness_column for the reference documents, or latest / earliest; auto: the earliest "
          "period, or every other document; empty: every other document"),
    Param("frequency.keyness_measure", "choice", "g2", "keyness statistic that orders the table",
          choices=("g2", "chi2", "log_ratio")),
    Param("frequency.keyness_correction", "choice", "default",
          "correction of chi2/G2: default (Yates where an expected count < 5, as quanteda), yates, williams, none",
          choices=("default", "yates", "williams", "none")),
    Param("frequency.min_count", "int", 3, "terms and collocations seen fewer times are left out of keyness "
          "and collocation tables", low=1, high=100000),
    Param("frequency.reference_corpus", "str", "brown",
          "general corpus the whole corpus is compared with (keyness): brown (1 M words of 1961 American English, "
          "bundled), none, or the path of a second corpus (folder or table; relative: to the project folder)"),
    Param("frequency.kwic_queries", "str_list", ["sanction*", "Xi Jinping", "partner*"],
          "KWIC queries (several words = a phrase)"),
    Param("frequency.kwic_kind", "choice", "glob", "how KWIC queries match tokens: phrase, glob (* and ?) or regex",
          choices=("phrase", "glob", "regex")),
    Param("frequency.kwic_window", "int", 6, "tokens of context either side in KWIC", low=0, high=100),
    Param("dictionary.actors", "str", "", "actor dictionary YAML file; empty: data/dictionaries/actors.yaml"),
    Param("dictionary.themes", "str", "", "theme dictionary YAML file; empty: data/dictionaries/themes.yaml"),
    Param("topics.k", "int", 4, "number of topics", low=2, high=200),
    Param("topics.method", "choice", "nmf", "topic model: nmf or lda", choices=("nmf", "lda")),
    Param("topics.unit", "choice", "paragraph", "text unit the model is fitted on",
          choices=("paragraph", "document", "sentence", "window")),
    Param("topics.min_unit_tokens", "int", 8, "units with fewer tokens are left out (and listed)", low=1, high=10000),
    Param("topics.top_n", "int", 10, "terms shown per topic", low=3, high=100),
    Param("topics.window", "int", 100, "tokens per unit when topics.unit is window", low=5, high=100000),
    Param("topics.k_min", "int", 2, "smallest k tried in model selection", low=2, high=200),
    Param("topics.k_max", "int", 5, "largest k tried in model selection", low=2, high=200),
    Param("topics.n_seeds", "int", 3,
          "fits per k in model selection: all units, then random halves (stability needs 2 or more)", low=1, high=50),
    Param("topics.selection_units", "int", 50_000,
          "model selection fits at most this many units (a seeded random sample; the final model uses all); 0: all",
          low=0, high=10**9),
    Param("topics.frex_weight", "float", 0.5, "FREX weight (stm's calcfrex w)", low=0.0, high=1.0),
    Param("topics.relevance_lambda", "float", 0.6, "lambda of term relevance (Sievert & Shirley 2014)",
          low=0.0, high=1.0),
    Param("topics.n_passages", "int", 3, "representative passages shown per topic", low=1, high=100),
    Param("effects.covariates", "str_list", [],
          "covariates of topic prevalence: time and/or one metadata column, e.g. [time, country]; empty: time when "
          "documents are dated, plus the first grouping of the groups param (period aside)"),
    Param("effects.interaction", "bool", True, "let the time curve differ by group (time x group interaction)"),
    Param("effects.time_df", "int", 4, "degrees of freedom of the time B-spline (1: a straight line)", low=1, high=10),
    Param("effects.contrast", "str_list", [],
          "two groups whose difference in prevalence is shown, first minus second, e.g. [RUS, CHN]; empty: the two "
          "largest groups"),
    Param("effects.n_draws", "int", 25,
          "draws of documents' topic proportions carrying the topic model's uncertainty (0: the regression's only)",
          low=0, high=500),
    # --- more topics.* keys (topics notebook) go here
    Param("sentiment.threshold", "float", 0.05,
          "compound score above +t is positive, below -t negative (VADER's convention)", low=0.0, high=1.0),
    Param("sentiment.validation", "choice", "all",
          "gold standards to validate against first: all four, nyt (news only) or none",
          choices=("all", "nyt", "none")),
    Param("sentiment.n_boot", "int", 1000, "bootstrap resamples for the validation intervals (Pearson r, macro F1)",
          low=100, high=100_000),
    Param("sentiment.top_n", "int", 10, "sentences and words shown as evidence per side or group", low=1, high=1000),
    Param("sentiment.vader_input", "choice", "normalised",
          "text VADER reads: normalised (NFC; curly quotes, dashes and special spaces straightened) "
          "or raw (exactly as vaderSentiment)", choices=("normalised", "raw")),
    # --- more sentiment.* keys (sentiment notebook) go here
    # ---- similarity: document similarity (04_similarity) ----
    Param("similarity.measure", "choice", "cosine",
          "similarity of two documents' tf-idf weights: cosine, or correlation (Pearson's r, quanteda's default)",
          choices=("cosine", "correlation")),
    Param("similarity.top_k", "int", 5, "most similar documents listed per document", low=1, high=100),
    Param("similarity.pair", "str_list", [],
          "two groups whose similarity is followed over time, e.g. [CHN, RUS] (values of one metadata column); "
          "empty: the two groups of the first grouping other than period that share the most years"),
    Param("similarity.since", "int", 0, "first year of the over-time figure; 0: from the first year", low=0,
          high=9999),
    Param("similarity.n_clusters", "int", 6, "clusters cut from the dendrogram", low=2, high=50),
    Param("similarity.max_documents", "int", 2000,
          "documents compared pairwise at most (neighbours, clusters); above it every k-th document (the cost "
          "grows with the square of this number)", low=10, high=100_000),
    Param("similarity.n_boot", "int", 200,
          "bootstrap resamples of a year's documents for the over-time interval; 0: none", low=0, high=10_000),
    # --- scaling.* keys (05_scaling: Wordscores and Wordfish)
    Param("scaling.unit", "choice", "auto",
          "what Wordscores and Wordfish place: document, group (the first of groups; a group's counts are its "
          "documents' summed) or auto (groups when groups is set or the corpus has more than scaling.max_documents "
          "documents, else documents)", choices=("auto", "document", "group")),
    Param("scaling.min_docfreq", "float", 0.05,
          "Wordfish reads the terms used in at least this share of the documents (and in two at least)",
          low=0.0, high=1.0),
    Param("scaling.max_terms", "int", 2000, "Wordfish reads at most this many terms (the most frequent of them)",
          low=10, high=100_000),
    Param("scaling.max_documents", "int", 1000,
          "most documents scaled one by one: above it auto scales groups, and document scaling a seeded sample "
          "of this many", low=3, high=100_000),
    Param("scaling.direction", "str_list", [],
          "two scaled texts [left, right] (doc_id, label or group): Wordfish places left below right; empty: the "
          "first two (quanteda's dir = c(1, 2)), an arbitrary sign"),
    Param("scaling.reference_column", "str", "doc_id",
          "metadata column whose values scaling.reference_scores names: doc_id, label, or a grouping column (a "
          "reference text is then all its documents)"),
    Param("scaling.reference_scores", "str_list", [],
          "Wordscores reference texts and their scores as value=score, e.g. [R1=-1.5, R5=1.5] (values of "
          "scaling.reference_column); empty: Wordscores is skipped"),
    # --- embeddings.* keys (06_word_embeddings)
    Param("embeddings.terms", "str_list", [],
          "words whose nearest neighbours are listed; empty: the corpus's most frequent terms"),
    Param("embeddings.max_tokens", "int", 100_000,
          "tokens word2vec trains on: a seeded sample of sentences up to this size (keeps the default report fast; "
          "raise it for a study)", low=1000, high=1_000_000_000),
    Param("embeddings.min_tokens", "int", 100_000,
          "fewer training tokens than this: neighbours are too unstable to report (measured on the UN speeches)",
          low=0, high=1_000_000_000),
    Param("embeddings.n_seeds", "int", 3, "trainings with different seeds, for the stability of the neighbours",
          low=1, high=20),
    Param("embeddings.top_n", "int", 10, "nearest neighbours listed per term", low=1, high=100),
    Param("groups", "str_list", [],
          "metadata columns (and period) that every grouped view compares, e.g. [party, period]; empty: period when "
          "documents are dated, and every metadata column with 2-12 values"),
    Param("seed", "int", 42, "seed for every random choice", low=0, high=2**32 - 1),
    Param("engine", "choice", "local", "where large steps run: local (process pool) or dask (a cluster)",
          choices=("local", "dask")),
    Param("n_jobs", "int", 0, "processes (local) or workers (dask LocalCluster); 0: one per core", low=0, high=1024),
    Param("dask.scheduler", "str", "",
          "address of a running Dask scheduler (tcp://host:8786); empty: start a LocalCluster on 127.0.0.1"),
)

BY_KEY: dict[str, Param] = {p.key: p for p in SCHEMA}
BY_VARIABLE: dict[str, Param] = {p.variable: p for p in SCHEMA}
