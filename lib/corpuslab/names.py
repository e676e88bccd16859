"""Automatic actor lists: the names a corpus uses most, for a corpus that has no actor dictionary of its own.

A *name* is a run of capitalised words ("Soviet Union", "Congress", "Department of State"), without the
first word of a sentence (there any word is capitalised), with a possessive merged into it ("America's" counts
as "America"). A single word is kept only if the corpus writes it capitalised more often than not, so
"Government" at the head of many sentences and lower-case elsewhere is not a name. The result is an
ordinary :class:`corpuslab.dictionary.Dictionary` of category ``automatic``, matched like any other.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from corpuslab.dictionary import Dictionary, from_mapping

CATEGORY = "automatic"
_CONNECTORS = ("of", "the", "de", "von", "van", "al", "bin")
_WORD = r"[A-Z][\w'.-]*\w|[A-Z]"
_FIRST_WORD = r"[A-Z](?<![\w'-].)(?:[\w'.-]*\w)?"  # a _WORD not preceded by [\w'-]; a capital first: 2x faster search
_NAME = re.compile(rf"{_FIRST_WORD}(?:\s(?:(?:of\sthe|of|de|von|van|al|bin)\s)?(?:{_WORD}))*")
_POSSESSIVE = re.compile(r"(?:'s|')$")
_TOKEN = re.compile(r"\w+")
_LEAD = " \t\n\"'(\u201c\u2018[-\u2014"  # what may precede a sentence's first word
_TITLES = {"mr", "mrs", "ms", "dr", "sir", "i", "ok"}  # never a name alone; nor are months and weekdays:
_TITLES |= {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _clean(name: str) -> str:
    """A candidate without its possessive ending, trailing dot or connectors at its edges."""
    name = _POSSESSIVE.sub("", name.replace("\u2019", "'")).rstrip(".")
    words = name.split()
    while words and (words[0].lower() in _CONNECTORS or words[0].rstrip(".").lower() in _TITLES):
        words = words[1:]
    while words and words[-1].lower() in _CONNECTORS:
        words = words[:-1]
    return " ".join(words)


def candidates(text: str) -> list[str]:
    """The capitalised word runs of one sentence; the sentence's first word is left out ("The Senate": "Senate").

    >>> candidates("Then Mr. Lincoln spoke of America's debt to the Soviet Union and the Bank of England.")
    ['Lincoln', 'America', 'Soviet Union', 'Bank of England']
    """
    found = []
    for match in _NAME.finditer(text):
        run = match.group()
        if not text[:match.start()].strip(_LEAD):  # its first word starts the sentence
            run = run.partition(" ")[2]
        name = _clean(run)
        if len(name) >= 2:
            found.append(name)
    return found


def frequent_names(units: pd.DataFrame, *, min_count: int = 3, top_n: int = 30,
                   stopwords: Iterable[str] = ()) -> pd.DataFrame:
    """The names of ``units`` (a table with ``doc_id`` and ``text``, e.g. sentences), most frequent first.

    Returns ``name, n_matches, n_docs`` for names seen at least ``min_count`` times, at most ``top_n`` of them
    (ties broken alphabetically). A one-word name must be capitalised in most of its occurrences and not be
    in ``stopwords`` (nor a title such as "Mr").

    >>> units = pd.DataFrame({"doc_id": ["a", "a", "b"], "text": [
    ...     "We thank Congress and the Soviet Union.", "Congress's vote helps.", "Later, Congress met the nation."]})
    >>> frequent_names(units, min_count=2).to_dict("records")
    [{'name': 'Congress', 'n_matches': 2, 'n_docs': 2}]
    """
    from corpuslab import _names_fast

    stop = {w.lower() for w in stopwords} | _TITLES
    counts, n_docs = _names_fast.name_counts(units)
    return most_frequent(counts, n_docs, _names_fast.lower_counts(units), stop=stop, min_count=min_count,
                         top_n=top_n)


def most_frequent(counts: Counter, n_docs: dict, lower_counts, *, stop: set, min_count: int,
                  top_n: int) -> pd.DataFrame:
    """:func:`frequent_names` from the matches and the number of documents per name; ``lower_counts(words)``
    gives how often each word is written in lower case, asked only for the one-word names that may make the
    ``top_n`` (the same table as counting every word first).

    >>> lower_counts = lambda words: {w: {"state": 9}.get(w, 0) for w in words}  # "state" 9 times, "congress" never
    >>> most_frequent(Counter({"Congress": 4, "State": 5}), {"Congress": 1, "State": 2}, lower_counts,
    ...               stop=set(), min_count=2, top_n=5).to_dict("records")
    [{'name': 'Congress', 'n_matches': 4, 'n_docs': 1}]
    """
    ordered = sorted(((name, n) for name, n in counts.items() if n >= min_count), key=lambda item: (-item[1], item[0]))
    rows, lower = [], {}
    for i, (name, n) in enumerate(ordered):
        if len(rows) == top_n > 0:  # (with top_n 0, the empty table still takes the types of the names found)
            break
        word = name.lower()
        if " " not in name and word not in stop and word not in lower:  # counted for the names that may be next
            ahead = ordered[i:i + top_n - len(rows)] if top_n > len(rows) else ordered[i:]
            lower.update(lower_counts({m.lower() for m, _ in ahead if " " not in m} - stop - set(lower)))
        if " " not in name and (word in stop or lower[word] >= n):
            continue
        rows.append((name, n, n_docs[name]))
    table = pd.DataFrame(rows, columns=["name", "n_matches", "n_docs"])
    table = table.sort_values(["n_matches", "name"], ascending=[False, True], kind="stable")
    return table.head(top_n).reset_index(drop=True)


def name_counts(units: pd.DataFrame) -> tuple[Counter, dict, Counter]:
    """The plain reference behind :func:`frequent_names` (the fast path: :mod:`corpuslab._names_fast`): matches
    per name (:func:`candidates`), the set of ``doc_id`` per name and the count of each lower-case word.

    >>> counts, docs, lower = name_counts(pd.DataFrame({"doc_id": ["a"], "text": ["We thank Congress, congress."]}))
    >>> counts["Congress"], docs["Congress"], lower["congress"]
    (1, {'a'}, 1)
    """
    counts, docs, lower = Counter(), {}, Counter()
    for doc_id, text in zip(units["doc_id"], units["text"]):
        text = text if isinstance(text, str) else ""
        lower.update(t for t in _TOKEN.findall(text) if t.islower())
        for name in candidates(text):
            counts[name] += 1
            docs.setdefault(name, set()).add(doc_id)
    return counts, docs, lower


def name_regex(name: str) -> str:
    """The pattern an automatic entry matches: the name as written (case and all), whole, and not inside a longer
    capitalised run ("States" does not match in "United States"; "America's" matches "America").

    >>> import regex
    >>> [m.group() for m in regex.finditer(name_regex("States"), "the States and the United States, States' rights")]
    ['States', 'States']
    >>> [m.start() for m in regex.finditer(name_regex("United States"), "The United States and Our United States")]
    [4, 26]
    """
    body = r"\s+".join(re.escape(word) for word in name.split())
    return rf"(?<!\b(?!{_OPENERS}\s)[A-Z][\w.'-]*\s+)(?<![\w'-]){body}(?![\w-])(?!\s+[A-Z])"


_OPENERS = "(?:" + "|".join(w.capitalize() for w in sorted(  # capitalised sentence openers are not part of a name
    ("the", "a", "an", "and", "but", "or", "in", "of", "for", "to", "by", "with", "from", "on", "at", "as", "if",
     "when", "we", "our", "this", "that", "these", "those", "let", "may", "all", "under", "since", "so"))) + ")"


def names_dictionary(names: pd.DataFrame) -> Dictionary:
    """An actor dictionary with one entry per name of :func:`frequent_names`, category ``automatic``, each matching
    the name as written (:func:`name_regex`): automatic names are not folded to lower case ("State" is not "state").

    >>> d = names_dictionary(pd.DataFrame({"name": ["Congress", "Soviet Union"]}))
    >>> list(d), d["Congress"].category, d.name
    (['Congress', 'Soviet Union'], 'automatic', 'automatic')
    """
    description = "names found in this corpus (frequent capitalised words not starting a sentence)"
    entries = {name: {"regex": [name_regex(name)], "category": CATEGORY} for name in names["name"]}
    if not entries:
        return Dictionary({}, name=CATEGORY, description=description)
    return from_mapping({"name": CATEGORY, "description": description, "entries": entries}, name=CATEGORY,
                        where="automatic actor list")
