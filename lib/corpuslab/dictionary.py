"""Dictionary analysis: actor and theme dictionaries (YAML) -> matches and counts per unit.

A dictionary maps *entries* ("China", "Economy and trade") to the *terms* that
name them ("China", "Chinese", "Beijing", "Sino-*", "People's Republic of China").
The format is documented in ``data/dictionaries/README.md``; the project ships
:data:`ACTORS` and :data:`THEMES`.

Matching rules (the same for every dictionary):

- Text is normalised first (:func:`corpuslab.tokens.normalise`): curly
  apostrophes and dashes are straightened, so "China’s" matches like "China's".
- A term matches whole words only: "China" matches "China", "China's",
  "China-Russia", "(China)", not "Chinatown" nor "Chinese".
- Spaces in a term match any run of whitespace ("Xi  Jinping" across a line break).
- ``*`` at the end of a term matches any word characters, apostrophes or
  hyphens: "Sino-*" matches "Sino-Russian", "Sino-US".
- Case is ignored, except for terms written entirely in capitals (two or more
  capital letters, dots allowed): "US", "EU", "U.S.", "UN" are matched case
  sensitively, so the pronoun "us" is never the United States.
- ``regex:`` items are Python regular expressions, used as written (compiled by the
  ``regex`` package, which reads ``re`` syntax the same way and matches faster).
- Within one entry the longest term wins where terms overlap ("Xi Jinping" counts
  once, not also as "Xi"); different entries may match the same words
  ("Sino-Russian" names both China and Russia).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import combinations
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import regex as regex_engine
import yaml

from corpuslab.errors import CorpuslabError
from corpuslab.resources import DATA_DIR, sha256_of
from corpuslab.tokens import normalise

DICTIONARIES_DIR = DATA_DIR / "dictionaries"
ACTORS = DICTIONARIES_DIR / "actors.yaml"
THEMES = DICTIONARIES_DIR / "themes.yaml"

_ALL_CAPS = re.compile(r"^(?:[A-Z]\.?){2,}$")
_LEFT = r"(?<![\w])"
_RIGHT = r"(?![\w])"


@dataclass(frozen=True)
class Entry:
    """One dictionary entry: its name, category, terms and extra regular expressions."""

    name: str
    terms: tuple[str, ...]
    category: str = ""
    regex: tuple[str, ...] = ()
    pattern: regex_engine.Pattern = field(repr=False, compare=False, default=None)


def _term_regex(term: str) -> str:
    """The regular expression (as text, with inline flags) for one dictionary term, after its left word boundary."""
    term = normalise(term.strip())
    wildcard = term.endswith("*")
    core = term.rstrip("*")
    body = r"\s+".join(re.escape(part) for part in core.split())
    if wildcard:
        body += r"[\w'-]*"
    # a term ending in "." or "-" (U.S., Sino-) must not demand a word boundary after it
    right = "" if core.endswith((".", "-")) and not wildcard else _RIGHT
    flags = "" if _ALL_CAPS.match(core.replace(" ", "")) else "i"
    regex = f"{body}{right}"
    return f"(?{flags}:{regex})" if flags else f"(?:{regex})"


def _compile(name: str, terms: tuple[str, ...], regex: tuple[str, ...], where: str) -> regex_engine.Pattern:
    ordered = sorted(terms, key=lambda t: (-len(t), t))  # longest first: "Xi Jinping" before "Xi"
    # one left-boundary check for all terms, not one per term: the same matches, 1.5-3x faster
    parts = ([f"{_LEFT}(?:{'|'.join(_term_regex(t) for t in ordered)})"] if ordered else []) + [f"(?:{r})" for r in regex]
    if not parts:
        raise CorpuslabError(f"{where}: entry {name!r} has no terms; give it a list of terms, e.g. [China, Chinese]")
    try:  # the regex package: the same syntax and matches as re, about 2-3x faster on these alternations
        return regex_engine.compile("|".join(parts))
    except regex_engine.error as err:
        raise CorpuslabError(f"{where}: entry {name!r} has a bad regex ({err}); fix or remove it") from None


class Dictionary(Mapping):
    """A loaded dictionary: a read-only mapping ``entry name -> Entry``.

    Attributes ``name``, ``description``, ``source`` (path or ``None``) and
    ``sha256`` (of the file, for the run manifest) describe where it came from.
    """

    def __init__(self, entries: dict[str, Entry], *, name: str = "", description: str = "",
                 source: Path | None = None, sha256: str = ""):
        self._entries = dict(entries)
        self.name, self.description, self.source, self.sha256 = name, description, source, sha256

    def __getitem__(self, key: str) -> Entry:
        return self._entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Dictionary({self.name!r}, {len(self)} entries)"

    def categories(self) -> pd.DataFrame:
        """Table of entry, category, n_terms, terms (joined with ' | ') for display."""
        return pd.DataFrame([
            {"entry": e.name, "category": e.category, "n_terms": len(e.terms) + len(e.regex),
             "terms": " | ".join(e.terms + tuple(f"regex:{r}" for r in e.regex))}
            for e in self._entries.values()
        ], columns=["entry", "category", "n_terms", "terms"])


def from_mapping(tree: Mapping, *, name: str = "", where: str = "dictionary", source: Path | None = None,
                 sha256: str = "") -> Dictionary:
    """Build a :class:`Dictionary` from the parsed YAML structure (or a plain dict).

    ``tree`` is ``{"entries": {name: {"terms": [...], "category": ..., "regex": [...]}}}``;
    the short form ``{name: [terms]}`` is accepted too.

    >>> d = from_mapping({"China": ["China", "Chinese"], "Russia": {"terms": ["Russia"], "category": "state"}})
    >>> list(d), d["Russia"].category
    (['China', 'Russia'], 'state')
    """
    if not isinstance(tree, Mapping):
        raise CorpuslabError(f"{where}: expected a mapping of entries; see data/dictionaries/README.md")
    body = tree["entries"] if "entries" in tree else tree
    if not isinstance(body, Mapping) or not body:
        raise CorpuslabError(f"{where}: no entries found; add an 'entries:' mapping (see data/dictionaries/README.md)")
    entries = {}
    for entry_name, spec in body.items():
        if isinstance(spec, (list, tuple)):
            spec = {"terms": list(spec)}
        if not isinstance(spec, Mapping):
            raise CorpuslabError(f"{where}: entry {entry_name!r} must be a list of terms or a mapping with 'terms'")
        unknown = set(spec) - {"terms", "category", "regex", "note"}
        if unknown:
            raise CorpuslabError(f"{where}: entry {entry_name!r} has unknown keys {sorted(unknown)}; "
                                 "allowed: terms, category, regex, note")
        terms = tuple(str(t) for t in spec.get("terms") or ())
        regex = tuple(str(r) for r in spec.get("regex") or ())
        label = str(entry_name)
        entries[label] = Entry(label, terms, str(spec.get("category") or ""), regex,
                               _compile(label, terms, regex, where))
    return Dictionary(entries, name=name or str(tree.get("name", "")), description=str(tree.get("description", "")),
                      source=source, sha256=sha256)


def load(path: str | Path) -> Dictionary:
    """Load a dictionary YAML file (format: ``data/dictionaries/README.md``).

    Raises
    ------
    CorpuslabError
        If the file is missing, is not valid YAML, or an entry is malformed.

    >>> actors = load(ACTORS)
    >>> "China" in actors and "Russia" in actors
    True
    """
    path = Path(path)
    if not path.is_file():
        raise CorpuslabError(f"dictionary file {str(path)!r} not found; give the path of a YAML dictionary, "
                             f"e.g. {ACTORS}")
    try:
        tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise CorpuslabError(f"dictionary file {str(path)!r} is not valid YAML: {err}") from None
    return from_mapping(tree or {}, name=path.stem, where=f"dictionary {path.name}", source=path,
                        sha256=sha256_of(path))


def from_params(cfg: Mapping, which: str = "actors") -> Dictionary:
    """Load the dictionary that ``dictionary.<which>`` names (empty: the bundled file).

    Relative paths resolve against the project folder.
    """
    from corpuslab.resources import resolve_path

    value = cfg.get(f"dictionary.{which}", "") if hasattr(cfg, "get") else ""
    bundled = {"actors": ACTORS, "themes": THEMES}[which]
    return load(resolve_path(value) if value else bundled)


def _units(units: pd.DataFrame) -> pd.DataFrame:
    if "text" not in units.columns or "doc_id" not in units.columns:
        raise CorpuslabError("units: need a table with doc_id and text columns (a documents or unit table); "
                             f"got columns {list(units.columns)}")
    if "unit_id" not in units.columns:  # a documents table: the whole document is the unit
        units = units.assign(unit_id=0)
    return units


def mentions(units: pd.DataFrame, dictionary: Mapping[str, Entry], *, engine: str = "local", n_jobs: int = 1,
             scheduler: str = "") -> pd.DataFrame:
    """Every match of every entry: doc_id, unit_id, entry, category, match, start, end.

    ``start``/``end`` are character offsets into the unit's ``text`` (normalising
    keeps lengths, so they index the original text too); if the units carry their
    own ``start`` (offsets into the document, as from :mod:`corpuslab.segment`),
    ``doc_start``/``doc_end`` index the document text. A documents table (no
    ``unit_id``) is treated as one unit per document (``unit_id`` 0). Large tables
    are scanned in chunks over ``n_jobs`` processes or a Dask cluster, and the
    table is cached (:mod:`corpuslab.cache`) by the units and the dictionary's entries.

    >>> d = from_mapping({"United States": ["United States", "US", "U.S.", "Washington"]})
    >>> units = pd.DataFrame({"doc_id": ["a"], "unit_id": [0], "text": ["Let us see: the US and the U.S. agree."]})
    >>> mentions(units, d)[["match", "start", "end"]].values.tolist()
    [['US', 16, 18], ['U.S.', 27, 31]]
    """
    from corpuslab import cache

    units = _units(units).reset_index(drop=True)
    entries = [(e.name, e.category, e.terms, e.regex) for e in dictionary.values()]
    return cache.table("mentions", (_digest(units), entries),
                       lambda: _mentions(units, dictionary, engine=engine, n_jobs=n_jobs, scheduler=scheduler))


def _digest(units: pd.DataFrame) -> str:
    """A digest of the units a dictionary reads (ids, offsets, text), for the cache key."""
    from corpuslab import cache

    return cache.frame_digest(units, [c for c in ("doc_id", "unit_id", "start", "text") if c in units.columns])


def _mentions(units: pd.DataFrame, dictionary: Mapping[str, Entry], *, engine: str, n_jobs: int,
              scheduler: str) -> pd.DataFrame:
    columns = ["doc_id", "unit_id", "entry", "category", "match", "start", "end"]
    from corpuslab import engine as engines

    chunks = [(units["text"].iloc[i:i + _CHUNK].tolist(), i) for i in range(0, len(units), _CHUNK)]
    jobs = n_jobs if engine == "dask" or len(chunks) > 1 else 1
    found = engines.run(partial(_chunk_mentions, dictionary=dict(dictionary)), chunks, engine=engine, n_jobs=jobs,
                        scheduler=scheduler)
    found = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=["unit", "order", *columns[2:]])
    found = found.sort_values(["unit", "order", "start"], kind="stable")
    rows = found["unit"].to_numpy(dtype=int)
    table = pd.DataFrame({"doc_id": units["doc_id"].to_numpy()[rows], "unit_id": units["unit_id"].to_numpy()[rows]})
    for column in columns[2:]:
        table[column] = found[column].to_numpy()
    table = table.astype({"start": "int64", "end": "int64"})
    if "start" in units.columns:
        offsets = units["start"].to_numpy(dtype="int64")[rows]
        table["doc_start"], table["doc_end"] = offsets + table["start"], offsets + table["end"]
    return table


_CHUNK = 20_000  # units scanned at once: one regex pass per entry over their joined text
_SEPARATOR = "\x00"  # joins units; no term matches it, so no match crosses two units


def _chunk_mentions(chunk: tuple[list[str], int], dictionary: Mapping[str, Entry]) -> pd.DataFrame:
    """Matches in a run of units (their texts, first row position): unit (row position), order (entry
    position), entry, category, match, start, end.

    Each entry's regular expression scans only the units that contain one of its
    terms' first words (found at once for all units by polars' compiled engine):
    the same matches, without a Python regex pass over text that cannot match.
    """
    import polars as pl

    texts = [normalise(t if isinstance(t, str) else "") for t in chunk[0]]
    series = pl.Series(texts, dtype=pl.String)
    frames = []
    for order, entry in enumerate(dictionary.values()):
        screens = _screens(entry)
        picked = np.arange(len(texts))
        if screens:
            picked = np.flatnonzero(series.str.contains(screens[0]).to_numpy())
            picked = picked[series.gather(picked).str.contains(screens[1]).to_numpy()] if len(picked) else picked
        if not len(picked):
            continue
        starts = np.cumsum([0] + [len(texts[i]) + 1 for i in picked[:-1]])
        matches = [(m.group(0), m.start(), m.end()) for m in entry.pattern.finditer(_SEPARATOR.join(texts[i] for i in picked))
                   if _SEPARATOR not in m.group(0)]
        table = pd.DataFrame(matches, columns=["match", "start", "end"]).astype({"start": "int64", "end": "int64"})
        which = np.searchsorted(starts, table["start"].to_numpy(), side="right") - 1
        table["start"] -= starts[which]
        table["end"] -= starts[which]
        frames.append(table.assign(unit=picked[which] + chunk[1], order=order, entry=entry.name, category=entry.category))
    columns = ["unit", "order", "entry", "category", "match", "start", "end"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


@lru_cache(maxsize=256)
def _screens(entry: Entry) -> tuple[str, str] | None:
    """Two regexes (polars' syntax) found in every unit that ``entry`` matches: a term's first word
    anywhere, ignoring case (fast: a literal search), then that word whole at its start (and end, for a
    one-word term) in the term's case rule.

    Their word characters are a subset of Python's ``\\w``, so they never reject a unit the entry's own
    pattern would match. None when the entry has ``regex:`` items (they can match anything).
    """
    if entry.regex or not entry.terms:
        return None
    from corpuslab.tokens import unassigned_class

    not_word = rf"(?:^|$|[^[\p{{L}}\p{{Nd}}_]--{unassigned_class()}])"
    anywhere, whole = [], []
    for term in entry.terms:
        core = normalise(term.strip())
        wildcard, core = core.endswith("*"), core.rstrip("*")
        if not core.split():
            return None  # a bare "*" matches any word
        first = "".join(c if c.isascii() and c.isalnum() else f"\\x{{{ord(c):X}}}" for c in core.split()[0])
        one_word = len(core.split()) == 1 and not wildcard and not core.endswith((".", "-"))
        flags = "" if _ALL_CAPS.match(core.replace(" ", "")) else "i"
        anywhere.append(first)
        body = first + (not_word if one_word else "")
        whole.append(f"(?{flags}:{body})" if flags else f"(?:{body})")
    return "(?i)(?:" + "|".join(anywhere) + ")", not_word + "(?:" + "|".join(whole) + ")"


def count(units: pd.DataFrame, dictionary: Mapping[str, Entry], *, zeros: bool = False, engine: str = "local",
          n_jobs: int = 1, scheduler: str = "") -> pd.DataFrame:
    """Matches per unit and entry: doc_id, unit_id, entry, category, n_matches.

    Only units that mention an entry are listed, unless ``zeros=True`` (then every
    unit x entry pair, with 0 where there is no match). Rows follow the unit order,
    then the dictionary's entry order.

    >>> d = from_mapping({"China": ["China", "Chinese", "Beijing", "Sino-*"], "Russia": ["Russia", "Russian"]})
    >>> units = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": [0, 1],
    ...                       "text": ["China’s and Beijing's Sino-Russian pact.", "Nothing here."]})
    >>> count(units, d)[["unit_id", "entry", "n_matches"]].values.tolist()
    [[0, 'China', 3], [0, 'Russia', 1]]
    """
    units = _units(units)
    found = mentions(units, dictionary, engine=engine, n_jobs=n_jobs, scheduler=scheduler)
    n = found.groupby(["doc_id", "unit_id", "entry", "category"], sort=False).size().rename("n_matches").reset_index()
    if zeros:
        keys = units[["doc_id", "unit_id"]].drop_duplicates()
        grid = keys.merge(pd.DataFrame({"entry": list(dictionary),
                                        "category": [dictionary[e].category for e in dictionary]}), how="cross")
        n = grid.merge(n, on=["doc_id", "unit_id", "entry", "category"], how="left").fillna({"n_matches": 0})
    return n.reset_index(drop=True).astype({"n_matches": "int64"})


def totals(counts: pd.DataFrame, *, by: str | None = "doc_id") -> pd.DataFrame:
    """Sum a :func:`count` table per entry (and per ``by``, e.g. doc_id): n_matches, n_units.

    >>> c = pd.DataFrame({"doc_id": ["a", "a", "b"], "unit_id": [0, 1, 0], "entry": ["X", "X", "X"],
    ...                   "category": ["", "", ""], "n_matches": [2, 1, 0]})
    >>> totals(c, by=None).values.tolist()
    [['X', '', 3, 2]]
    """
    keys = ([by] if by else []) + ["entry", "category"]
    table = counts.assign(named=counts["n_matches"] > 0).groupby(keys, sort=False).agg(
        n_matches=("n_matches", "sum"), n_units=("named", "sum"))
    table["n_units"] = table["n_units"].astype("int64")
    table = table.reset_index()
    return table.sort_values(([by] if by else []) + ["n_matches"], ascending=([True] if by else []) + [False],
                             kind="stable").reset_index(drop=True)


def cooccurrence(counts: pd.DataFrame) -> pd.DataFrame:
    """Pairs of entries named in the same unit: entry_a, entry_b, n_units, n_units_a, n_units_b, jaccard.

    ``counts`` is a :func:`count` table (of sentence units, typically). Pairs are
    listed once (entry_a < entry_b alphabetically), most frequent first.

    >>> c = pd.DataFrame({"doc_id": ["a"] * 3, "unit_id": [0, 0, 1], "entry": ["X", "Y", "X"], "n_matches": [1, 2, 1]})
    >>> cooccurrence(c).values.tolist()
    [['X', 'Y', 1, 2, 1, 0.5]]
    """
    present = counts[counts["n_matches"] > 0]
    per_unit = present.groupby(["doc_id", "unit_id"], sort=False)["entry"].apply(lambda s: sorted(set(s)))
    n_single = present.drop_duplicates(["doc_id", "unit_id", "entry"]).groupby("entry").size()
    pairs: dict[tuple[str, str], int] = {}
    for names in per_unit:
        for a, b in combinations(names, 2):
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    table = pd.DataFrame([(a, b, n) for (a, b), n in pairs.items()], columns=["entry_a", "entry_b", "n_units"])
    table["n_units_a"] = table["entry_a"].map(n_single).astype("int64")
    table["n_units_b"] = table["entry_b"].map(n_single).astype("int64")
    table["jaccard"] = table["n_units"] / (table["n_units_a"] + table["n_units_b"] - table["n_units"])
    return table.sort_values(["n_units", "entry_a", "entry_b"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)
