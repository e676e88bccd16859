"""The parameter schema shared by every notebook: defaults, validation, overrides.

One YAML file drives a run. Keys are grouped by topic (``corpus.path``,
``topics.k``, ...). Each notebook's ``parameters`` cell holds the same keys with
dots replaced by underscores (``topics_k``). Unknown keys and bad values raise
:class:`~corpuslab.errors.CorpuslabError` naming the key, the value and what is
allowed, before any notebook starts.
"""

from __future__ import annotations

import codecs
import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from corpuslab.errors import CorpuslabError, invalid
from corpuslab.languages import LANGUAGES, stopword_names
from corpuslab.resources import resolve_path


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


def defaults() -> dict[str, Any]:
    """Return a fresh flat ``{dotted key: default}`` dict."""
    return {p.key: _copy(p.default) for p in SCHEMA}


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten nested mappings to dotted keys.

    >>> flatten({"topics": {"k": 5}, "seed": 1})
    {'topics.k': 5, 'seed': 1}
    """
    flat: dict[str, Any] = {}
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Inverse of :func:`flatten`.

    >>> nest({"topics.k": 5, "seed": 1})
    {'topics': {'k': 5}, 'seed': 1}
    """
    tree: dict[str, Any] = {}
    for key, value in flat.items():
        node = tree
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return tree


def check_value(param: Param, value: Any) -> Any:
    """Return ``value`` converted to the param's type, or raise naming the key."""
    kind = param.kind
    bad = invalid(param.key, value, param.allowed())
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise bad
    if kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad
        if not math.isfinite(value) or (kind == "int" and not float(value).is_integer()):
            raise bad  # NaN passes every bound check and infinity no bound, so both are refused first
        number = int(value) if kind == "int" else float(value)
        if (param.low is not None and number < param.low) or (param.high is not None and number > param.high):
            raise bad
        return number
    if kind == "choice":
        if value not in param.choices:
            raise bad
        return value
    if kind == "str_list":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad
        return list(value)
    if kind == "encoding":
        if value == "auto":
            return value
        if not is_text_encoding(value):
            raise bad
        return str(value)
    # str and path
    if not isinstance(value, (str, Path)) or (kind == "path" and not str(value).strip()):
        raise bad
    return str(value)


def is_text_encoding(name: Any) -> bool:
    """Whether ``name`` is a codec that turns bytes into text (``rot13`` and ``base64`` are codecs, but not that).

    >>> is_text_encoding("latin-1"), is_text_encoding("rot13"), is_text_encoding("klingon-8")
    (True, False, False)
    """
    try:
        return codecs.lookup(str(name))._is_text_encoding
    except (LookupError, TypeError):
        return False


def unknown_key_error(key: str) -> CorpuslabError:
    """The error for a key that is not in the schema, with the closest key suggested."""
    close = difflib.get_close_matches(key, BY_KEY, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return CorpuslabError(
        f"unknown param {key!r}{hint} Known keys: {', '.join(BY_KEY)}"
    )


def validate(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Merge flat ``overrides`` into the defaults, checking every key and value.

    >>> validate({"topics.k": 6})["topics.k"]
    6
    """
    resolved = defaults()
    for key, value in overrides.items():
        if key not in BY_KEY:
            raise unknown_key_error(key)
        resolved[key] = check_value(BY_KEY[key], value)
    check_combinations(resolved)
    return resolved


def check_combinations(resolved: Mapping[str, Any]) -> None:
    """Refuse values that are each allowed but impossible together, naming both keys, the values and the fix.

    >>> check_combinations(validate({"topics.k_min": 3}))
    >>> check_combinations({**defaults(), "topics.k_min": 6, "topics.k_max": 3})  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    corpuslab.errors.CorpuslabError: topics.k_min: got 6 with topics.k_max 3; allowed: topics.k_min at most
    topics.k_max; lower topics.k_min or raise topics.k_max
    """
    for problem in COMBINATIONS:
        message = problem(resolved)
        if message:
            raise CorpuslabError(message)


def _k_range(cfg: Mapping[str, Any]) -> str | None:
    if cfg["topics.k_min"] > cfg["topics.k_max"]:
        return (f"topics.k_min: got {cfg['topics.k_min']} with topics.k_max {cfg['topics.k_max']}; allowed: "
                "topics.k_min at most topics.k_max; lower topics.k_min or raise topics.k_max")
    return None


def _window_holds_min_tokens(cfg: Mapping[str, Any]) -> str | None:
    if cfg["topics.unit"] == "window" and cfg["topics.min_unit_tokens"] > cfg["topics.window"]:
        return (f"topics.min_unit_tokens: got {cfg['topics.min_unit_tokens']} with topics.window "
                f"{cfg['topics.window']} (topics.unit window); allowed: at most topics.window, since a window "
                "never holds more tokens; lower topics.min_unit_tokens or raise topics.window")
    return None


def _keyness_groups_differ(cfg: Mapping[str, Any]) -> str | None:
    target = cfg["frequency.keyness_target"] or "latest"  # an empty target means the latest documents
    reference = cfg["frequency.keyness_reference"]  # an empty reference means every other document
    if reference and reference.strip() == target.strip() and target != "auto":
        return (f"frequency.keyness_reference: got {reference!r}, the same as frequency.keyness_target "
                f"{cfg['frequency.keyness_target']!r}; allowed: another value of frequency.keyness_column, or "
                "empty (every other document); change one of them")
    return None


def _id_is_not_text(cfg: Mapping[str, Any]) -> str | None:
    if cfg["corpus.id_column"] == cfg["corpus.text_column"]:
        return (f"corpus.id_column: got {cfg['corpus.id_column']!r}, the same as corpus.text_column; allowed: "
                "another column (or one the table lacks, to number the rows); change one of them")
    return None


def _reference_scores_are_numbers(cfg: Mapping[str, Any]) -> str | None:
    for item in cfg["scaling.reference_scores"]:
        value, sep, score = item.rpartition("=")
        try:
            number = float(score)
        except ValueError:
            number = math.nan
        if not sep or not value.strip() or not math.isfinite(number):
            return (f"scaling.reference_scores: got {item!r}; allowed: value=score items such as R1=-1.5 (a value "
                    "of scaling.reference_column, then a number); fix that item")
    return None


COMBINATIONS = (_k_range, _window_holds_min_tokens, _keyness_groups_differ, _id_is_not_text,
                _reference_scores_are_numbers)


MAX_YAML_CHARS = 100_000  # a params file is a few dozen lines
MAX_YAML_NODES = 10_000  # values once aliases (*name) are expanded; the default file has about 80


class BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses a document of more than :data:`MAX_YAML_NODES` values once
    its aliases are expanded: a few hundred bytes of nested aliases otherwise expand into billions of
    keys (a "billion laughs" bomb)."""

    def construct_document(self, node):
        if expanded_size(node) > MAX_YAML_NODES:
            raise yaml.YAMLError(f"more than {MAX_YAML_NODES:,} values once its aliases (*name) are expanded; "
                                 "write the values out instead")
        return super().construct_document(node)


def expanded_size(node, known: dict | None = None) -> int:
    """How many values a YAML node stands for with every alias expanded, counted without expanding
    (an alias is the same node object, so each node's count is computed once).

    >>> expanded_size(yaml.compose("a: &x [1, 2]\\nb: *x"))
    9
    """
    known = {} if known is None else known
    if id(node) not in known:
        known[id(node)] = 0  # a recursive alias counts once rather than forever
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        known[id(node)] = 1 + sum(expanded_size(child, known) for child in children)
    return known[id(node)]


def read_yaml(path: str | Path) -> dict[str, Any]:
    """Read a params YAML file into flat dotted keys (no validation)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CorpuslabError(f"params file {str(path)!r} does not exist; give an existing YAML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpuslabError(f"params file {str(path)!r} cannot be read ({exc}); save it as UTF-8 text") from None
    if len(text) > MAX_YAML_CHARS:
        raise CorpuslabError(f"params file {str(path)!r} has {len(text):,} characters, over {MAX_YAML_CHARS:,}; "
                             "a params file is a few dozen lines: give the right file")
    try:
        tree = yaml.load(text, Loader=BoundedLoader)  # noqa: S506 (a SafeLoader with an alias budget)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc) or "invalid YAML"
        raise CorpuslabError(f"params file {str(path)!r}: YAML syntax error{where} ({problem}); fix the file") from None
    if tree is None:
        return {}
    if not isinstance(tree, Mapping):
        raise CorpuslabError(f"params file {str(path)!r}: expected a mapping of keys to values at the top level")
    return flatten(tree)


def parse_assignment(text: str) -> tuple[str, Any]:
    """Parse one ``--set key=value`` (the value is read as YAML: 5, true, [a, b]).

    >>> parse_assignment("topics.k=5")
    ('topics.k', 5)
    """
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise CorpuslabError(f"--set {text!r}: expected key=value, e.g. --set topics.k=5")
    try:
        value = yaml.load(raw, Loader=BoundedLoader) if raw.strip() else ""  # noqa: S506 (safe, alias budget)
    except yaml.YAMLError:
        value = raw
    return key.strip(), value


def resolve_paths(resolved: dict[str, Any], base: Path) -> dict[str, Any]:
    """Make the path-valued params absolute against ``base``."""
    out = dict(resolved)
    out["corpus.path"] = str(resolve_path(out["corpus.path"], base))
    if out["corpus.metadata"]:
        out["corpus.metadata"] = str(resolve_path(out["corpus.metadata"], base))
    return out


def load(path: str | Path | None = None, assignments: Iterable[str] = (), *,
         base: Path | None = None) -> dict[str, Any]:
    """Resolve params: defaults, then the YAML file, then ``key=value`` assignments.

    Relative paths are resolved against ``base`` (the caller's working folder
    for the CLI; the project folder when omitted).
    """
    flat = read_yaml(path) if path is not None else {}
    for assignment in assignments:
        key, value = parse_assignment(assignment)
        flat[key] = value
    resolved = validate(flat)
    return resolve_paths(resolved, base) if base is not None else resolve_paths(resolved, resolve_path("."))


def from_notebook(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a notebook's parameter variables (``topics_k`` ...) into resolved params.

    Variables not in the schema are ignored; relative paths resolve against the
    project folder, so a notebook runs from any working directory.
    """
    flat = {BY_VARIABLE[name].key: value for name, value in namespace.items() if name in BY_VARIABLE}
    from corpuslab.resources import PROJECT_ROOT

    return resolve_paths(validate(flat), PROJECT_ROOT)


def to_notebook(resolved: Mapping[str, Any], wanted: Iterable[str]) -> dict[str, Any]:
    """Map resolved params to the notebook variable names in ``wanted``."""
    wanted = set(wanted)
    return {BY_KEY[k].variable: v for k, v in resolved.items() if BY_KEY[k].variable in wanted}


def describe() -> str:
    """A plain-text table of every key, its default and help (for ``corpuslab params``)."""
    rows = [f"{p.key:<26} {p.default!r:<24} {p.help} [{p.allowed()}]" for p in SCHEMA]
    return "\n".join(rows)
