"""What the corpus decides about the params, checked before any notebook starts (the runner calls it)."""

from __future__ import annotations

from corpuslab.errors import CorpuslabError
from corpuslab.workflow.corpus import documents
from corpuslab.workflow.dictionaries import dictionary
from corpuslab.workflow.frequency import check_reference, groupings, keyness_comparison
from corpuslab.workflow.scaling import check_scaling


def check_before_run(cfg: dict, *, load=None) -> None:
    """Everything about the params that the corpus decides, checked before any notebook starts: the ``groups``
    columns, the keyness column and its target and reference values, and the dictionary files. Raises
    :class:`~corpuslab.errors.CorpuslabError` (one line) naming the key, the value and what is allowed.
    ``load``: a :func:`~corpuslab.workflow.corpus.loader` the caller shares (the corpus is read once)."""
    docs = documents(cfg, load=load)
    groupings(cfg, docs)
    keyness_comparison(docs, cfg)
    check_scaling(cfg, docs)
    check_reference(cfg)
    for which in ("actors", "themes"):
        try:
            dictionary(cfg, which)
        except CorpuslabError as exc:
            raise CorpuslabError(f"dictionary.{which}: " + " ".join(str(exc).split())) from None
