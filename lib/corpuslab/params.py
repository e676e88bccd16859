"""Params shared by every notebook: defaults, validation, cross-field checks, YAML files and overrides.

One YAML file drives a run. Keys are grouped by topic (``corpus.path``,
``topics.k``, ...). Each notebook's ``parameters`` cell holds the same keys with
dots replaced by underscores (``topics_k``). Unknown keys and bad values raise
:class:`~corpuslab.errors.CorpuslabError` naming the key, the value and what is
allowed, before any notebook starts. The keys themselves (type, default, limits, help) are
:data:`corpuslab.param_schema.SCHEMA`.
"""

from __future__ import annotations

import codecs
import difflib
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from corpuslab.errors import CorpuslabError, invalid
from corpuslab.param_schema import BY_KEY, BY_VARIABLE, SCHEMA, Param
from corpuslab.resources import resolve_path


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
    for key in ("corpus.path", "corpus.metadata"):
        if "\x00" in str(out[key]):
            raise CorpuslabError(f"{key}: got {out[key]!r}, which holds a NUL character; allowed: a file or folder "
                                 "path")
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
