"""Removing page furniture (ads, captions, copyright lines, comment debris) line by line, and saying what went.

Cleaning rules are whole-line rules read from YAML (``data/cleaning/furniture.yaml``), plus
two built-ins: a line repeating the one before, and a byline equal to the author metadata.
:func:`clean` keeps the text before cleaning in ``raw_text``; :func:`removed_lines` lists
every removed line with the rule that removed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from corpuslab.engine import SERIAL, Engine
from corpuslab.errors import CorpuslabError
from corpuslab.resources import CLEANING_PATTERNS


@dataclass(frozen=True)
class Rule:
    """One cleaning rule: a full-line pattern, or a builtin check."""

    name: str
    pattern: re.Pattern | None
    builtin: str | None
    why: str


def read_rules(path: str | Path = CLEANING_PATTERNS) -> list[Rule]:
    """Read cleaning rules from a YAML file (see ``data/cleaning/furniture.yaml``)."""
    spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    rules = []
    for item in spec["rules"]:
        pattern = re.compile(item["pattern"], re.IGNORECASE) if "pattern" in item else None
        rules.append(Rule(item["name"], pattern, item.get("builtin"), item.get("why", "")))
    return rules


def _any_pattern(rules: list[Rule]) -> re.Pattern | None:
    """One regex matching a line that any pattern rule matches: most lines are then ruled out in one call."""
    patterns = [f"(?:{r.pattern.pattern})" for r in rules if r.pattern is not None]
    try:
        return re.compile("|".join(patterns), re.IGNORECASE) if patterns else None
    except re.error:  # e.g. a rule with its own global flags: check rule by rule
        return None


def _line_rule(line: str, previous: str, index: int, author: str, rules: list[Rule],
               any_pattern: re.Pattern | None = None) -> str | None:
    stripped = line.strip()
    if not stripped:
        return None
    if any_pattern is not None and stripped != previous and not (author and index < 10) \
            and not any_pattern.fullmatch(stripped):
        return None  # no pattern matches, and neither built-in rule can apply
    for rule in rules:
        if rule.pattern is not None and rule.pattern.fullmatch(stripped):
            return rule.name
        if rule.builtin == "repeated_line" and stripped == previous:
            return rule.name
        if rule.builtin == "byline" and author and index < 10 and stripped == author:
            return rule.name
    return None


def _clean_text(text: str, author: str, rules: list[Rule], any_pattern: re.Pattern | None = None
                ) -> tuple[str, list[dict]]:
    kept, removed, previous = [], [], ""
    for index, line in enumerate(text.split("\n")):
        rule = _line_rule(line, previous, index, author, rules, any_pattern)
        if rule is None:
            kept.append(line)
        else:
            removed.append({"line_no": index + 1, "rule": rule, "text": line.strip()})
        if line.strip():
            previous = line.strip()
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
    return cleaned, removed


def clean(documents: pd.DataFrame, rules: list[Rule] | None = None, *, engine: Engine = SERIAL) -> pd.DataFrame:
    """Remove page-furniture lines; keep the original text in ``raw_text``.

    Adds ``n_lines_removed``. See :func:`removed_lines` for what was removed.
    A large corpus is cleaned in partitions on the ``engine`` (the same table).

    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Advertisement\\nReal text."]})
    >>> clean(docs).loc[0, "text"]
    'Real text.'
    """
    rules = read_rules() if rules is None else rules
    work = documents[["text"]].assign(author=documents["author"] if "author" in documents.columns else "")
    if engine.worth_parallel(work):
        cleaned = engine.map_tables(partial(_clean_table, rules=rules), work)
    else:
        cleaned = _clean_table(work, rules)
    out = documents.copy()
    out.insert(2, "raw_text", documents["text"])
    out["text"] = cleaned["text"].set_axis(out.index)
    out["n_lines_removed"] = cleaned["n_lines_removed"].set_axis(out.index)
    return out


def _clean_table(documents: pd.DataFrame, rules: list[Rule]) -> pd.DataFrame:
    """text (cleaned) and n_lines_removed of each row of a (text, author) table."""
    screen = _any_pattern(rules)
    authors = documents["author"].fillna("").astype(str)
    results = [_clean_text(t, a, rules, screen) for t, a in zip(documents["text"], authors)]
    return pd.DataFrame({"text": [cleaned for cleaned, _ in results],
                         "n_lines_removed": np.array([len(removed) for _, removed in results], dtype=np.int64)})


def removed_lines(documents: pd.DataFrame, rules: list[Rule] | None = None) -> pd.DataFrame:
    """One row per line that :func:`clean` removes: doc_id, line_no, rule, text.

    On a table :func:`clean` returned (default rules), only documents that lost lines are read again.
    """
    if "n_lines_removed" in documents.columns and "raw_text" not in documents.columns:
        raise CorpuslabError("removed_lines: this table is cleaned and lacks the text before cleaning; "
                             "load it with workflow.documents(cfg, raw_text=True)")
    if rules is None and "n_lines_removed" in documents.columns:  # cleaned with these same rules
        documents = documents[documents["n_lines_removed"].fillna(1).to_numpy() > 0]
    rules = read_rules() if rules is None else rules
    screen = _any_pattern(rules)
    source = documents["raw_text"] if "raw_text" in documents.columns else documents["text"]
    authors = documents["author"].fillna("").astype(str) if "author" in documents.columns else [""] * len(documents)
    rows = [
        {"doc_id": doc_id, **item}
        for doc_id, text, author in zip(documents["doc_id"], source, authors)
        for item in _clean_text(text, author, rules, screen)[1]
    ]
    return pd.DataFrame(rows, columns=["doc_id", "line_no", "rule", "text"])
