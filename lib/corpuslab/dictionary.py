"""Dictionary analysis: actor and theme dictionaries (YAML) -> matches and counts per unit.

A dictionary maps *entries* ("China", "Economy and trade") to the *terms* that
name them ("China", "Chinese", "Beijing", "Sino-*", "People's Republic of China").
The format is documented in ``data/dictionaries/README.md``; the project ships
:data:`ACTORS` and :data:`THEMES`.

Matching rules (the same for every dictionary):

- Text is normalised first (:func:`corpuslab.tokens.normalise`): NFC, curly
  apostrophes and dashes straightened, so "China’s" matches like "China's"; offsets
  still index the text as given.
- A term matches whole words only: "China" matches "China", "China's",
  "China-Russia", "(China)", not "Chinatown" nor "Chinese".
- Spaces in a term match any run of whitespace ("Xi  Jinping" across a line break).
- ``*`` at the end of a term matches any word characters, apostrophes or
  hyphens: "Sino-*" matches "Sino-Russian", "Sino-US".
- Case is ignored, except for terms written entirely in capitals (two or more
  capital letters, dots allowed): "US", "EU", "U.S.", "UN" are matched case
  sensitively, so the pronoun "us" is never the United States.
- Any script: Cyrillic, Greek and Latin terms are matched as whole words, ignoring case
  ("Китай" matches "КИТАЙ"; "США", written in capitals, only "США"); ``*`` may end any word of a
  term ("Соедин* Штат*" matches "Соединённых Штатов"). A term in a script written without
  spaces between words (Chinese, Japanese; Korean, whose particles attach to the word) matches
  anywhere in the text, not only as a whole word: "中国" in "中国和俄罗斯", and in text
  segmented into words with spaces ("中国 和 俄罗斯") alike; a ``*`` on such a term changes nothing.
  Its characters count as word boundaries for other terms: "NATO" matches in "与NATO会谈".
- ``regex:`` items are Python regular expressions, used as written (compiled by the
  ``regex`` package, which reads ``re`` syntax the same way and matches faster). One written
  with letters of another alphabet than Latin is tried only where the text has such letters.
- Within one entry the longest term wins where terms overlap ("Xi Jinping" counts
  once, not also as "Xi"); different entries may match the same words
  ("Sino-Russian" names both China and Russia).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import regex as regex_engine
import yaml
from scipy import sparse

from corpuslab.engine import SERIAL, Engine
from corpuslab.errors import CorpuslabError
from corpuslab.resources import DATA_DIR, sha256_of
from corpuslab.tokens import normalise

DICTIONARIES_DIR = DATA_DIR / "dictionaries"
ACTORS = DICTIONARIES_DIR / "actors.yaml"
THEMES = DICTIONARIES_DIR / "themes.yaml"

_ALL_CAPS = regex_engine.compile(r"^(?:\p{Lu}\.?){2,}$")  # US, U.S., США, НАТО
_UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}"  # scripts written without spaces between words
_IS_UNSPACED = regex_engine.compile(f"[{_UNSPACED}]")
_LEFT = rf"(?<![^\W{_UNSPACED}])"  # no word character before, unless one of those scripts
_RIGHT = rf"(?![^\W{_UNSPACED}])"
_PLAIN = (r"(?<![\w])", r"(?![\w])")  # the same boundaries in text without those scripts, and faster
_NON_LATIN = r"[^\p{Latin}\p{Common}\p{Inherited}]"  # a letter of another alphabet (Cyrillic, Greek, Han ...)
_IS_NON_LATIN = regex_engine.compile(_NON_LATIN)


@dataclass(frozen=True)
class Entry:
    """One dictionary entry: its name, category, terms and extra regular expressions."""

    name: str
    terms: tuple[str, ...]
    category: str = ""
    regex: tuple[str, ...] = ()
    pattern: regex_engine.Pattern = field(repr=False, compare=False, default=None)
    # how mentions() scans: per script, (script, the terms as an Entry to screen by, pattern, pattern for
    # text without Han/kana/Hangul); the same matches as ``pattern``, and an English text never meets the
    # Russian and Chinese terms' regexes
    parts: tuple = field(repr=False, compare=False, default=())


def is_unspaced(term: str) -> bool:
    """Whether a term is in a script written without spaces between words (Han, kana, Hangul): matched anywhere.

    >>> is_unspaced("习近平"), is_unspaced("Си Цзиньпин"), is_unspaced("Xi")
    (True, False, False)
    """
    return _IS_UNSPACED.search(term) is not None


def _term_regex(term: str, right_boundary: str = _RIGHT) -> str:
    """The regular expression (as text, with inline flags) for one dictionary term, after its left word boundary
    (none for an :func:`is_unspaced` term)."""
    term = normalise(term.strip())
    if is_unspaced(term):
        term = term.rstrip("*")  # such a term matches inside longer words anyway
    wildcard = term.endswith("*")
    core = term.rstrip("*")
    body = r"\s+".join(re.escape(part.rstrip("*")) + (r"[\w'-]*" if part.endswith("*") else "")
                       for part in core.split())
    if wildcard:
        body += r"[\w'-]*"
    # a term ending in "." or "-" (U.S., Sino-) must not demand a word boundary after it
    right = "" if (core.endswith((".", "-")) and not wildcard) or is_unspaced(core) else right_boundary
    flags = "" if is_case_sensitive(core) else "i"
    regex = f"{body}{right}"
    return f"(?{flags}:{regex})" if flags else f"(?:{regex})"


def is_case_sensitive(term: str) -> bool:
    """Whether a (normalised) term is matched case-sensitively: written in capitals, dots allowed.

    >>> is_case_sensitive("U.S."), is_case_sensitive("EU"), is_case_sensitive("Us")
    (True, True, False)
    """
    return _ALL_CAPS.match(term.replace(" ", "")) is not None


def _compile(name: str, terms: tuple[str, ...], regex: tuple[str, ...], where: str, *,
             boundaries: tuple[str, str] = (_LEFT, _RIGHT)) -> regex_engine.Pattern:
    ordered = sorted(terms, key=lambda t: (-len(t), t))  # longest first: "Xi Jinping" before "Xi"
    spaced = [t for t in ordered if not is_unspaced(t)]
    unspaced = [t for t in ordered if is_unspaced(t)]
    left, right = boundaries
    # one left-boundary check for all terms, not one per term: the same matches, 1.5-3x faster
    parts = [f"{left}(?:{'|'.join(_term_regex(t, right) for t in spaced)})"] if spaced else []
    parts += [_term_regex(t) for t in unspaced]
    parts += [f"(?:{r})" for r in regex]
    if not parts:
        raise CorpuslabError(f"{where}: entry {name!r} has no terms; give it a list of terms, e.g. [China, Chinese]")
    try:  # the regex package: the same syntax and matches as re, about 2-3x faster on these alternations
        return regex_engine.compile("|".join(parts))
    except regex_engine.error as err:
        raise CorpuslabError(f"{where}: entry {name!r} has a bad regex ({err}); fix or remove it") from None


def _script(item: str) -> str:
    """"unspaced" (Han, kana, Hangul), "other" (another alphabet than Latin: Cyrillic, Greek ...) or "latin"."""
    return "unspaced" if is_unspaced(item) else "other" if _IS_NON_LATIN.search(item) else "latin"


def _script_parts(name: str, terms: tuple[str, ...], regex: tuple[str, ...], where: str) -> tuple:
    """An entry's terms and ``regex:`` items split by :func:`_script`, each part
    ``(script, Entry to screen by, pattern, pattern with the plain word boundary)``."""
    parts = []
    for script in ("latin", "other", "unspaced"):
        part = tuple(t for t in terms if _script(t) == script)
        items = tuple(r for r in regex if _script(r) == script)
        if part or items:
            parts.append((script, Entry(name, part, "", items), _compile(name, part, items, where),
                          _compile(name, part, items, where, boundaries=_PLAIN)))
    return tuple(parts)


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
                               _compile(label, terms, regex, where), _script_parts(label, terms, regex, where))
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


def _units(units: pd.DataFrame) -> pd.DataFrame:
    if "text" not in units.columns or "doc_id" not in units.columns:
        raise CorpuslabError("units: need a table with doc_id and text columns (a documents or unit table); "
                             f"got columns {list(units.columns)}")
    if "unit_id" not in units.columns:  # a documents table: the whole document is the unit
        units = units.assign(unit_id=0)
    return units


def mentions(units: pd.DataFrame, dictionary: Mapping[str, Entry], *, engine: Engine = SERIAL) -> pd.DataFrame:
    """Every match of every entry: doc_id, unit_id, entry, category, match, start, end.

    ``match`` is the matched text as normalised; ``start``/``end`` are character offsets
    into the unit's ``text`` as given (also where NFC normalisation shortened it); if the
    units carry their own ``start`` (offsets into the document, as from :mod:`corpuslab.segment`),
    ``doc_start``/``doc_end`` index the document text. A documents table (no ``unit_id``) is
    treated as one unit per document (``unit_id`` 0). Large tables are scanned in chunks on
    the ``engine``'s processes or a Dask cluster.

    >>> d = from_mapping({"United States": ["United States", "US", "U.S.", "Washington"]})
    >>> units = pd.DataFrame({"doc_id": ["a"], "unit_id": [0], "text": ["Let us see: the US and the U.S. agree."]})
    >>> mentions(units, d)[["match", "start", "end"]].values.tolist()
    [['US', 16, 18], ['U.S.', 27, 31]]
    """
    from corpuslab import _screen

    columns = ["doc_id", "unit_id", "entry", "category", "match", "start", "end"]
    units = _units(units).reset_index(drop=True)
    chunks = [(units["text"].iloc[i:i + _CHUNK].tolist(), i) for i in range(0, len(units), _CHUNK)]
    runner = engine if engine.kind == "dask" or len(chunks) > 1 else SERIAL
    found = runner.map(partial(_screen.chunk_mentions, dictionary=dict(dictionary)), chunks)
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


def count(units: pd.DataFrame, dictionary: Mapping[str, Entry], *, zeros: bool = False,
          engine: Engine = SERIAL) -> pd.DataFrame:
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
    return count_mentions(mentions(units, dictionary, engine=engine), units, dictionary, zeros=zeros)


def count_mentions(found: pd.DataFrame, units: pd.DataFrame, dictionary: Mapping[str, Entry], *,
                   zeros: bool = False) -> pd.DataFrame:
    """:func:`count` from ``found``, the :func:`mentions` of these ``units`` found before (a cached table, say).

    >>> d = from_mapping({"China": ["China"]})
    >>> units = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": [0, 1], "text": ["China, China", "no"]})
    >>> count_mentions(mentions(units, d), units, d, zeros=True)["n_matches"].tolist()
    [2, 0]
    """
    units = _units(units)
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
    unit = present.groupby(["doc_id", "unit_id"], sort=False).ngroup().to_numpy()
    codes, found = pd.factorize(present["entry"])
    names = np.array(sorted(found), dtype=object)  # entry_a < entry_b: entries in alphabetical order
    entry = np.argsort(np.argsort(np.array(found, dtype=object), kind="stable"), kind="stable")[codes]
    # units x entries, 1 where a unit names an entry; its Gram matrix counts the units naming both of a pair
    named = sparse.csr_matrix((np.ones(len(unit), dtype=np.int64), (unit, entry)),
                              shape=(unit.max() + 1 if len(unit) else 0, len(names)))
    named.data[:] = 1
    both = sparse.triu(named.T @ named, k=1).tocoo()
    n_single = np.asarray(named.sum(axis=0)).ravel().astype("int64")
    table = pd.DataFrame(zip(names[both.row].tolist(), names[both.col].tolist(), both.data.tolist()),
                         columns=["entry_a", "entry_b", "n_units"])
    table["n_units_a"], table["n_units_b"] = n_single[both.row], n_single[both.col]
    table["jaccard"] = table["n_units"] / (table["n_units_a"] + table["n_units_b"] - table["n_units"])
    return table.sort_values(["n_units", "entry_a", "entry_b"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)
