"""Actor and theme dictionaries: which list a corpus gets (a YAML file, the bundled lists, or automatic names),
and their matches in a table of units (cached)."""

from __future__ import annotations

from corpuslab.workflow.compute import engine


def uses_bundled_corpus(cfg: dict) -> bool:
    """Whether ``corpus.path`` is the bundled China–Russia corpus, for which the bundled dictionaries were made."""
    from corpuslab.resources import BUNDLED_CORPUS, resolve_path

    return resolve_path(cfg.get("corpus.path", BUNDLED_CORPUS)).resolve() == BUNDLED_CORPUS.resolve()  # the default


def dictionary(cfg: dict, which: str = "actors", *, units=None):
    """The dictionary for ``which`` ("actors" or "themes"): the YAML file ``dictionary.<which>`` names (relative
    paths resolve against the project folder); if empty, the bundled file on the bundled corpus; on any other
    corpus the names most frequent in ``units`` (:mod:`corpuslab.names`, category ``automatic``) for actors,
    and ``None`` for themes (no theme list fits every corpus)."""
    from corpuslab import dictionary as dictionaries
    from corpuslab.resources import resolve_path

    value = cfg.get(f"dictionary.{which}", "")
    if value:
        return dictionaries.load(resolve_path(value))
    if uses_bundled_corpus(cfg):
        return dictionaries.load({"actors": dictionaries.ACTORS, "themes": dictionaries.THEMES}[which])
    if which == "themes" or units is None:
        return None
    return automatic_actors(cfg, units)


def automatic_actors(cfg: dict, units):
    """:func:`corpuslab.names.names_dictionary` of the names most frequent in ``units`` (cached by their text).
    English stopwords are never names (the same list in every notebook, whatever ``tokens.stopwords`` says)."""
    from corpuslab import cache, names, tokens

    stopwords = tokens.stopword_list("english")
    found = cache.table("names", (cache.frame_digest(units, ["doc_id", "text"]), sorted(stopwords)),
                        lambda: names.frequent_names(units, stopwords=stopwords), code=("corpuslab.names",))
    return names.names_dictionary(found)


def mentions(cfg: dict, units, dictionary):
    """:func:`corpuslab.dictionary.mentions` on the params' engine, cached by the units (ids, offsets, text)
    and the dictionary's entries."""
    from corpuslab import cache
    from corpuslab import dictionary as dictionaries

    read = [c for c in ("doc_id", "unit_id", "start", "text") if c in units.columns]
    entries = [(e.name, e.category, e.terms, e.regex) for e in dictionary.values()]
    return cache.table("mentions", (cache.frame_digest(units, read), entries),
                       lambda: dictionaries.mentions(units, dictionary, engine=engine(cfg)),
                       code=("corpuslab.dictionary", "corpuslab._screen"))


def dictionary_counts(cfg: dict, units, dictionary, *, zeros: bool = False):
    """:func:`corpuslab.dictionary.count` of ``units`` from the cached :func:`mentions`: matches per unit and entry."""
    from corpuslab import dictionary as dictionaries

    return dictionaries.count_mentions(mentions(cfg, units, dictionary), units, dictionary, zeros=zeros)
