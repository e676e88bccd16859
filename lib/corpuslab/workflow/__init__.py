"""The orchestration layer: the only code that reads params, consults the cache and picks the engine.

Notebooks call these functions with the resolved params (``cfg``); each one reads the
settings it needs, builds an :class:`~corpuslab.engine.Engine`, looks the result up in
the cache (keyed by its inputs, its settings and the source of the code that makes it)
and otherwise calls the pure analysis functions, which take data and return tables.

One module per step of the data flow (``docs/architecture.md``); every public name is re-exported here, so
``workflow.documents(cfg)`` reads the same wherever it is called:

- :mod:`~corpuslab.workflow.compute`: the engine the params choose
- :mod:`~corpuslab.workflow.corpus`: documents, the corpus's facts and file reports, languages, sentences,
  stopwords, the tokeniser, the token stream, the document-term matrix
- :mod:`~corpuslab.workflow.dictionaries`: which actor and theme lists a corpus gets, their mentions
- :mod:`~corpuslab.workflow.frequency`: groupings, keyness (between groups, against a reference corpus),
  collocations, KWIC
- :mod:`~corpuslab.workflow.topics`: topic units, choosing k, the topic model, topic effects
- :mod:`~corpuslab.workflow.sentiment`: sentiment validation
- :mod:`~corpuslab.workflow.similarity`, :mod:`~corpuslab.workflow.scaling`, :mod:`~corpuslab.workflow.embeddings`
- :mod:`~corpuslab.workflow.checks`: the params checked against the corpus before a run
"""

from corpuslab.workflow.checks import check_before_run
from corpuslab.workflow.compute import engine
from corpuslab.workflow.corpus import (
    corpus_facts,
    corpus_summary,
    document_languages,
    documents,
    dtm,
    encodings,
    flat_tokenizer,
    loader,
    sentences,
    stopwords,
    stopwords_of,
    token_stream,
    tokenizer,
    unreadable_files,
    with_languages,
)
from corpuslab.workflow.dictionaries import (
    automatic_actors,
    dictionary,
    dictionary_counts,
    mentions,
    uses_bundled_corpus,
)
from corpuslab.workflow.embeddings import embedding_models, word_vectors
from corpuslab.workflow.frequency import (
    KEYNESS_NEEDS_GROUPS,
    REFERENCE_MIN_SHARED,
    check_reference,
    collocations,
    display_groupings,
    groupings,
    keyness,
    keyness_comparison,
    keyness_reference,
    kwic,
    reference_counts,
)
from corpuslab.workflow.scaling import (
    WORDSCORES_NEEDS_REFERENCES,
    check_scaling,
    scaling_direction,
    scaling_plan,
    scaling_units,
    wordfish,
    wordscores,
)
from corpuslab.workflow.sentiment import sentiment_validation
from corpuslab.workflow.similarity import (
    SIMILARITY_NO_DATES,
    similarity_pair,
    similarity_sample,
    similarity_weights,
)
from corpuslab.workflow.topics import (
    effects_covariates,
    select_k,
    topic_effects,
    topic_matrix,
    topic_model,
    topic_units,
)

__all__ = [
    "KEYNESS_NEEDS_GROUPS", "REFERENCE_MIN_SHARED", "SIMILARITY_NO_DATES", "WORDSCORES_NEEDS_REFERENCES",
    "automatic_actors", "check_before_run", "check_reference", "check_scaling", "collocations", "corpus_facts",
    "corpus_summary", "dictionary", "dictionary_counts", "display_groupings", "document_languages", "documents", "dtm",
    "effects_covariates", "embedding_models", "encodings", "engine", "flat_tokenizer", "groupings", "keyness",
    "keyness_comparison", "keyness_reference", "kwic", "loader", "mentions", "reference_counts", "scaling_direction",
    "scaling_plan", "scaling_units", "select_k", "sentences", "sentiment_validation", "similarity_pair",
    "similarity_sample", "similarity_weights", "stopwords", "stopwords_of", "token_stream", "tokenizer",
    "topic_effects", "topic_matrix", "topic_model", "topic_units", "unreadable_files", "uses_bundled_corpus",
    "with_languages", "word_vectors", "wordfish", "wordscores",
]
