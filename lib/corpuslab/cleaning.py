"""Removing page furniture (ads, captions, copyright lines, comment debris) line by line, and saying what went.

Cleaning rules are whole-line rules read from YAML (``data/cleaning/furniture.yaml``), plus
four built-ins: a line repeating the one before, a byline equal to the author metadata, a
*common line*: a line found in at least :data:`COMMON_LINE_MIN_SHARE` of the documents and at least
:data:`COMMON_LINE_MIN_DOCS` of them (running headers, "(Applause.)"), see :func:`common_lines`, and
*page furniture* of a paged text (a PDF's running headers, footers and page numbers, :func:`page_furniture`).
:func:`clean` keeps the text before cleaning in ``raw_text``; :func:`removed_lines` lists
every removed line with the rule that removed it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from re import _constants, _parser

import numpy as np
import pandas as pd
import yaml

from corpuslab.engine import SERIAL, Engine
from corpuslab.errors import CorpuslabError
from corpuslab.resources import CLEANING_PATTERNS

COMMON_LINE_MIN_SHARE = 0.05  # a line in at least 5 % of the documents ...
COMMON_LINE_MIN_DOCS = 3      # ... and in at least 3 of them is page furniture (rule common_line)
COMMON_LINE_MAX_CHARS = 200   # longer lines (paragraphs of prose) are never counted
PAGE_EDGE_LINES = 2           # page furniture is among the first and last 2 lines of a page ...
PAGE_MIN_SHARE = 0.5          # ... and repeats (digits aside) on at least half of the pages, or is a page number
# "7", "- 7 -", "Page 7 of 9", "7/9", "vii" (lower-case roman only: a line "I" is more often the pronoun)
_PAGE_NUMBER = re.compile(r"(?:[Pp]age\s*|PAGE\s*)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?"
                          r"(?:\s*(?:of|/)\s*\d{1,4})?")


@dataclass(frozen=True)
class Rule:
    """One cleaning rule: a full-line pattern, an inline pattern (matches cut out of the line), or a builtin check."""

    name: str
    pattern: re.Pattern | None
    builtin: str | None
    why: str
    inline: bool = False


def read_rules(path: str | Path = CLEANING_PATTERNS) -> list[Rule]:
    """Read cleaning rules from a YAML file (see ``data/cleaning/furniture.yaml``)."""
    spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    rules = []
    for item in spec["rules"]:
        pattern = re.compile(item["pattern"], re.IGNORECASE) if "pattern" in item else None
        rules.append(Rule(item["name"], pattern, item.get("builtin"), item.get("why", ""), bool(item.get("inline"))))
    return rules


def _any_pattern(rules: list[Rule]) -> re.Pattern | _LineScreen | None:
    """One regex matching a line that any pattern rule matches: most lines are then ruled out in one call; for
    ASCII lines, a cheaper screen in front of it where every rule's branches allow one (:class:`_LineScreen`)."""
    patterns = [f"(?:{r.pattern.pattern})" for r in rules if r.pattern is not None and not r.inline]
    try:
        combined = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None
    except re.error:  # e.g. a rule with its own global flags: check rule by rule
        return None
    needs = [_ascii_need(branch) for r in rules if r.pattern is not None and not r.inline
             for branch in _branches(_parser.parse(r.pattern.pattern, r.pattern.flags))]
    if combined is None or None in needs:
        return combined
    kinds = {kind: tuple(sorted({text for k, texts in needs if k == kind for text in texts}))
             for kind in ("prefix", "suffix", "contains")}
    return _LineScreen(combined, max((n for k, n in needs if k == "width"), default=-1), **kinds)


@dataclass(frozen=True)
class _LineScreen:
    """In front of the combined rule regex: an ASCII line can match a rule only if, lower-cased, it starts with
    one of ``prefix``, ends with one of ``suffix``, contains one of ``contains`` or is at most ``max_chars``
    long (each rule branch needs one of these: :func:`_ascii_need`). Other lines go to the regex."""

    combined: re.Pattern
    max_chars: int
    prefix: tuple[str, ...]
    suffix: tuple[str, ...]
    contains: tuple[str, ...]

    def fullmatch(self, line: str) -> bool:
        if not line.isascii():
            return self.combined.fullmatch(line) is not None
        if len(line) <= self.max_chars:
            return True
        lowered = line.lower()
        return lowered.startswith(self.prefix) or lowered.endswith(self.suffix) or any(
            map(lowered.__contains__, self.contains))


def _branches(parsed) -> list:
    """The alternatives of a parsed pattern that is one group or alternation (else the pattern itself)."""
    if len(parsed.data) == 1 and parsed.data[0][0] is _constants.SUBPATTERN:
        return _branches(parsed.data[0][1][3])
    if len(parsed.data) == 1 and parsed.data[0][0] is _constants.BRANCH:
        return [b for branch in parsed.data[0][1][1] for b in _branches(branch)]
    return [parsed]


def _ascii_need(branch) -> tuple[str, object] | None:
    """What an ASCII line must have, lower-cased, to fullmatch ``branch`` (a parsed regex): ("prefix", its leading
    literals), ("suffix", its trailing ones), ("width", the longest match) or ("contains", required literal
    runs, one of which must be there); texts no ASCII line can hold are left out. None if no need is found."""
    items = list(branch.data)
    for kind, run in (("prefix", _literal_run(items)), ("suffix", _literal_run(items[::-1])[::-1])):
        if run:
            return _need(kind, [run])
    if branch.getwidth()[1] < _constants.MAXREPEAT - 1:
        return "width", branch.getwidth()[1]
    runs = _required_runs(items)
    return _need("contains", runs) if runs else None


def _need(kind: str, texts: list[str]) -> tuple[str, tuple[str, ...]] | None:
    lowered = [_ascii_lower(text) for text in texts]
    return None if None in lowered else (kind, tuple(text for text in lowered if text is not False))


def _required_runs(items: list) -> list[str] | None:
    """Literal runs of which every match of ``items`` (parsed regex items) contains one: a run of literals, or
    one run from each alternative of a group (the choice whose shortest run is longest); None if none."""
    choices = []
    for i, (op, av) in enumerate(items):
        if op is _constants.LITERAL and (i == 0 or items[i - 1][0] is not _constants.LITERAL):
            choices.append([_literal_run(items[i:])])
        elif op is _constants.SUBPATTERN:
            inner = [_required_runs(list(branch.data)) for branch in _branches(av[3])]
            if all(inner):
                choices.append([run for runs in inner for run in runs])
    return max(choices, key=lambda runs: min(map(len, runs))) if choices else None


def _literal_run(items: list) -> str:
    """The characters of the literals that ``items`` (parsed regex items) start with."""
    run = []
    for op, av in items:
        if op is not _constants.LITERAL:
            break
        run.append(chr(av))
    return "".join(run)


def _ascii_lower(text: str) -> str | bool | None:
    """The ASCII lower-case text an ASCII line holds where it matches ``text`` case-insensitively (as ``re`` folds
    case); False if no ASCII text matches it, None if several lower-case texts do."""
    lowered = []
    for char in text:
        matches = _ascii_matches(char)
        if len(matches) != 1:
            return None if matches else False
        lowered.append(*matches)
    return "".join(lowered)


@cache
def _ascii_matches(char: str) -> frozenset[str]:
    """The lower-cased ASCII characters that ``char`` matches in a case-insensitive ``re`` pattern."""
    return frozenset(c.lower() for c in re.compile(re.escape(char), re.IGNORECASE).findall(_ASCII))


_ASCII = "".join(map(chr, range(128)))


def common_lines(texts, *, min_share: float = COMMON_LINE_MIN_SHARE, min_docs: int = COMMON_LINE_MIN_DOCS
                 ) -> frozenset[str]:
    """The stripped lines (of at most :data:`COMMON_LINE_MAX_CHARS` characters) found in at least
    ``min_share`` of ``texts`` and at least ``min_docs`` of them.

    Lines are split, stripped (of what ``str.strip`` strips) and counted once per text on polars' threads
    (the UN corpus, 11,000 speeches: 1.7 s, against 2.5 s line by line in Python).

    >>> sorted(common_lines(["(Applause.)\\nA.", "B.\\n(Applause.)", "C.\\n (Applause.)", "D."]))
    ['(Applause.)']
    """
    import polars as pl  # here, not at the top: the cleaning workers fork from a server that must not hold its threads

    texts = list(texts)
    short = pl.col("line").str.len_chars() <= COMMON_LINE_MAX_CHARS
    lines = (pl.LazyFrame({"line": pl.Series(texts, dtype=pl.String)})
             .with_row_index("text")
             .select("text", pl.col("line").str.split("\n"))
             .explode("line")
             .filter(pl.col("line").str.len_chars() <= COMMON_LINE_MAX_CHARS + 20)
             .select("text", pl.col("line").str.strip_chars(_python_whitespace()))
             .filter(short & (pl.col("line") != ""))
             .unique()
             .group_by("line").len()
             .filter(pl.col("len") >= max(min_docs, min_share * len(texts)))
             .collect())
    return frozenset(lines["line"].to_list())


@cache
def _python_whitespace() -> str:
    """Every character ``str.strip()`` strips (``str.isspace``: more than Unicode's White_Space, e.g. U+001C)."""
    return "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


def page_furniture(text: str) -> frozenset[int]:
    """Indices of the lines of ``text`` that are page furniture, if it is paged (its pages end in a form-feed line,
    as :mod:`corpuslab.formats` writes a PDF's): among the first and last :data:`PAGE_EDGE_LINES` non-empty lines of
    a page, those that, with digits ignored, recur there on at least :data:`PAGE_MIN_SHARE` of the pages (and on
    two or more), and page numbers ("7", "- 7 -", "Page 7 of 9", "vii").

    >>> sorted(page_furniture("Head 1\\nBody one.\\n1\\n\\f\\nHead 2\\nBody two.\\n2\\n\\f"))
    [0, 2, 4, 6]
    """
    if "\f" not in text:
        return frozenset()
    lines = text.split("\n")
    pages: list[list[int]] = [[]]
    for index, line in enumerate(lines):
        if line.strip(" \t") == "\f":
            pages.append([])
        elif line.strip():
            pages[-1].append(index)
    pages = [page for page in pages if page]
    edges = [sorted(set(page[:PAGE_EDGE_LINES] + page[-PAGE_EDGE_LINES:])) for page in pages]
    shape = {i: re.sub(r"\d+", "#", lines[i].strip()).lower() for edge in edges for i in edge}
    seen: dict[str, int] = {}
    for edge in edges:
        for form in {shape[i] for i in edge}:
            seen[form] = seen.get(form, 0) + 1
    least = max(2, PAGE_MIN_SHARE * len(pages))
    return frozenset(i for edge in edges for i in edge
                     if seen[shape[i]] >= least or _PAGE_NUMBER.fullmatch(lines[i].strip()))


def _line_rule(stripped: str, previous: str, index: int, author: str, rules: list[Rule],
               any_pattern: re.Pattern | _LineScreen | None = None, common: frozenset[str] = frozenset()) -> str | None:
    """The name of the rule that removes a line (``stripped``: its text without surrounding whitespace), or None."""
    if not stripped:
        return None
    if any_pattern is not None and stripped != previous and not (author and index < 10) \
            and stripped not in common and not any_pattern.fullmatch(stripped):
        return None  # no pattern matches, and no built-in rule can apply
    for rule in rules:
        if rule.inline:
            continue
        if rule.pattern is not None and rule.pattern.fullmatch(stripped):
            return rule.name
        if rule.builtin == "repeated_line" and stripped == previous:
            return rule.name
        if rule.builtin == "byline" and author and index < 10 and stripped == author:
            return rule.name
        if rule.builtin == "common_line" and stripped in common:
            return rule.name
    return None


def _cut_inline(line: str, index: int, rules: list[Rule], removed: list[dict]) -> str:
    """``line`` without the matches of the inline rules (and the spaces before them); each match goes to ``removed``."""
    for rule in rules:
        if rule.inline and rule.pattern is not None and rule.pattern.search(line):
            removed.extend({"line_no": index + 1, "rule": rule.name, "text": m.group()}
                           for m in rule.pattern.finditer(line))
            line = re.sub(r"[ \t]*(?:" + rule.pattern.pattern + ")", "", line, flags=re.IGNORECASE)
    return line


def _clean_text(text: str, author: str, rules: list[Rule], any_pattern: re.Pattern | _LineScreen | None = None,
                common: frozenset[str] = frozenset()) -> tuple[str, list[dict]]:
    kept, removed, previous = [], [], ""
    paged = next((r.name for r in rules if r.builtin == "page_furniture"), None)
    inline = [r for r in rules if r.inline and r.pattern is not None]
    furniture = page_furniture(text) if paged else frozenset()
    for index, line in enumerate(text.split("\n")):
        stripped = line.strip()
        rule = paged if index in furniture else _line_rule(stripped, previous, index, author, rules, any_pattern,
                                                           common)
        if rule is None:
            kept.append(_cut_inline(line, index, inline, removed) if inline else line)
        else:
            removed.append({"line_no": index + 1, "rule": rule, "text": stripped})
        if stripped:
            previous = stripped
    cleaned = "\n".join(kept)
    cleaned = (re.sub(r"\n{3,}", "\n\n", cleaned) if "\n\n\n" in cleaned else cleaned).strip("\n")
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
    common = _common_for(documents["text"], rules)
    work = documents[["text"]].assign(author=documents["author"] if "author" in documents.columns else "")
    if engine.worth_parallel(work):
        cleaned = engine.map_tables(partial(_clean_table, rules=rules, common=common), work)
    else:
        cleaned = _clean_table(work, rules, common)
    out = documents.copy()
    out.insert(2, "raw_text", documents["text"])
    out["text"] = cleaned["text"].set_axis(out.index)
    out["n_lines_removed"] = cleaned["n_lines_removed"].set_axis(out.index)
    return out


def _common_for(texts, rules: list[Rule]) -> frozenset[str]:
    """:func:`common_lines` of ``texts`` if a rule asks for them."""
    return common_lines(texts) if any(r.builtin == "common_line" for r in rules) else frozenset()


def _clean_table(documents: pd.DataFrame, rules: list[Rule], common: frozenset[str] = frozenset()) -> pd.DataFrame:
    """text (cleaned) and n_lines_removed of each row of a (text, author) table."""
    screen = _any_pattern(rules)
    authors = documents["author"].fillna("").astype(str)
    results = [_clean_text(t, a, rules, screen, common) for t, a in zip(documents["text"], authors)]
    return pd.DataFrame({"text": [cleaned for cleaned, _ in results],
                         "n_lines_removed": np.array([len(removed) for _, removed in results], dtype=np.int64)})


def removed_lines(documents: pd.DataFrame, rules: list[Rule] | None = None) -> pd.DataFrame:
    """One row per line that :func:`clean` removes: doc_id, line_no, rule, text.

    On a table :func:`clean` returned (default rules), only documents that lost lines are read again.
    """
    if "n_lines_removed" in documents.columns and "raw_text" not in documents.columns:
        raise CorpuslabError("removed_lines: this table is cleaned and lacks the text before cleaning; "
                             "load it with workflow.documents(cfg, raw_text=True)")
    rules_given = rules is not None
    rules = read_rules() if rules is None else rules
    common = _common_for(documents["raw_text"] if "raw_text" in documents.columns else documents["text"], rules)
    if not rules_given and "n_lines_removed" in documents.columns:  # cleaned with these same rules
        documents = documents[documents["n_lines_removed"].fillna(1).to_numpy() > 0]
    screen = _any_pattern(rules)
    source = documents["raw_text"] if "raw_text" in documents.columns else documents["text"]
    authors = documents["author"].fillna("").astype(str) if "author" in documents.columns else [""] * len(documents)
    rows = [
        {"doc_id": doc_id, **item}
        for doc_id, text, author in zip(documents["doc_id"], source, authors)
        for item in _clean_text(text, author, rules, screen, common)[1]
    ]
    return pd.DataFrame(rows, columns=["doc_id", "line_no", "rule", "text"])
