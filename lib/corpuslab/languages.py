"""Document languages: what each language gets, and which language each document is in.

A language is an ISO 639-1 code (``en``, ``ru``, ``zh``). :data:`LANGUAGES` lists every language the
project gives at least word tokens and stopwords (NLTK's vendored lists), with its Snowball stemmer and
simplemma lemmas where those exist. :func:`detect` finds a document's language offline with py3langid
(BSD-3-Clause; its model ships inside the package) from a bounded prefix of its text, so a corpus of
thousands of speeches is cheap; :func:`document_languages` gives the ``language`` column the report
groups by. A language the project does not know gets the Unicode-word tokens and no stopwords
(:func:`is_supported`).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from corpuslab.errors import CorpuslabError
from corpuslab.resources import NLTK_DATA_DIR

if TYPE_CHECKING:  # pandas is imported when used: params reads this module's names
    import pandas as pd

AUTO = "auto"
UNDETERMINED = "und"  # ISO 639-2 for "undetermined": a text with too few letters to tell
DETECT_PREFIX = 500  # characters of each text that detection reads (accuracy measured in docs/languages.md)
MIN_LETTERS = 3  # a text with fewer letters in its prefix is undetermined
SIMPLEMMA = frozenset(("ar", "bg", "ca", "cs", "da", "de", "el", "en", "es", "et", "fa", "fi", "fr", "hi", "hu",
                       "id", "it", "lt", "lv", "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sv", "tr", "uk"))


@dataclass(frozen=True)
class Language:
    """What the project gives one language: its name, NLTK stopword list, Snowball stemmer and sentence rule."""

    code: str
    name: str  # NLTK's name of its stopword list (and Snowball stemmer, where there is one)
    snowball: bool = False
    segmented: bool = False  # words are not separated by spaces: a dictionary segmenter (jieba, janome) finds them
    stopwords: bool = True  # NLTK has a stopword list of this name

    @property
    def lemmas(self) -> bool:
        """Whether simplemma has a dictionary for it."""
        return self.code in SIMPLEMMA

    @property
    def sentences(self) -> str:
        """How sentences are split: Punkt (a vendored model) or sentence-final punctuation."""
        return "Punkt (NLTK English model)" if self.code == "en" else "sentence-final punctuation"


LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language("en", "english", snowball=True), Language("ar", "arabic", snowball=True),
    Language("az", "azerbaijani"), Language("ca", "catalan"),
    Language("da", "danish", snowball=True), Language("de", "german", snowball=True),
    Language("el", "greek"), Language("es", "spanish", snowball=True), Language("eu", "basque"),
    Language("fi", "finnish", snowball=True), Language("fr", "french", snowball=True),
    Language("he", "hebrew"), Language("hu", "hungarian", snowball=True), Language("id", "indonesian"),
    Language("it", "italian", snowball=True), Language("kk", "kazakh"),
    Language("nl", "dutch", snowball=True), Language("no", "norwegian", snowball=True),
    Language("pt", "portuguese", snowball=True), Language("ro", "romanian", snowball=True),
    Language("ru", "russian", snowball=True), Language("sl", "slovene"), Language("sv", "swedish", snowball=True),
    Language("tg", "tajik"), Language("tr", "turkish"), Language("zh", "chinese", segmented=True),
    Language("ja", "japanese", segmented=True, stopwords=False),  # particles stay unless in extra_stopwords
)}
ALIASES = {"nb": "no", "nn": "no"}  # py3langid's Norwegian codes; NLTK has one Norwegian list
# NLTK's Bengali and Nepali lists are left out: the word rules split words at vowel signs (combining marks).


@lru_cache(maxsize=1)
def stopword_names() -> tuple[str, ...]:
    """The names ``tokens.stopwords`` accepts: auto (each document's own language), english-extended, none and
    every list of NLTK's vendored stopword zip.

    >>> {"auto", "english-extended", "none", "russian", "chinese"} <= set(stopword_names())
    True
    """
    with zipfile.ZipFile(NLTK_DATA_DIR / "corpora" / "stopwords.zip") as lists:
        names = sorted(n.split("/", 1)[1] for n in lists.namelist()
                       if n.count("/") == 1 and n.split("/", 1)[1] not in ("", "README"))
    return (AUTO, "english-extended", "none", *names)


def is_supported(code: str) -> bool:
    """Whether ``code`` is a language of :data:`LANGUAGES` (tokens + stopwords at least).

    >>> is_supported("ru"), is_supported("bn"), is_supported("und")
    (True, False, False)
    """
    return code in LANGUAGES


def check(code: str) -> str:
    """``code`` if it is ``auto`` or a language of :data:`LANGUAGES`, else a :class:`CorpuslabError`."""
    if code != AUTO and code not in LANGUAGES:
        raise CorpuslabError(f"corpus.language: got {code!r}; allowed: auto, or one of {', '.join(LANGUAGES)}")
    return code


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


def _model_arrays():
    """py3langid's model as numpy arrays: its byte automaton (the rows of next states, each state's row, each
    state's feature or -1) and its feature-by-language log probabilities as float32, exactly the values its
    float16 table is cast to when it scores a text (gathering float32 rows is the cheaper half of that). Made for
    each :func:`detect` call and dropped after it: the float32 table takes 57 MB."""
    import numpy as np

    model = _identifier()
    return (np.frombuffer(model.tk_nextmove, dtype=f"u{model.tk_nextmove.itemsize}").astype(np.int32),
            np.asarray(model._rowbase, dtype=np.int32), np.asarray(model.tk_output, dtype=np.int32),
            model.nb_ptc.astype(np.float32))


_LETTER = re.compile(r"[^\W\d_]")
_ENOUGH_LETTERS = re.compile(f"(?:.*?{_LETTER.pattern}){{{MIN_LETTERS}}}", re.DOTALL)  # stops at the last one needed
DETECT_BATCH = 2048  # texts whose automaton walks are stepped together (bounds the state matrix to a few MB)


def detect_one(text: str, *, prefix: int = DETECT_PREFIX) -> str:
    """The ISO 639-1 code of the language of ``text``'s first ``prefix`` characters (py3langid), or
    :data:`UNDETERMINED` when they hold fewer than :data:`MIN_LETTERS` letters.

    >>> detect_one("Всеобщая декларация прав человека"), detect_one("人人有权享有生命。"), detect_one("2024")
    ('ru', 'zh', 'und')
    """
    return detect([text], prefix=prefix)[0]


def detect(texts: Sequence[str], *, prefix: int = DETECT_PREFIX) -> list[str]:
    """The ISO 639-1 code of the language of each text's first ``prefix`` characters (py3langid's
    ``classify``), or :data:`UNDETERMINED` when they hold fewer than :data:`MIN_LETTERS` letters; in order.

    py3langid walks a byte automaton over each text in a Python loop; here the walks of a batch of texts
    step together in numpy (:func:`_feature_counts`) and each text is then scored as py3langid scores it,
    with the same arrays, so the codes are py3langid's (test_languages compares them). One process: a pool
    costs more than it saves, each of its workers loading the model again.

    >>> detect(["The committee met on Tuesday.", "Der Ausschuss tagte am Dienstag."])
    ['en', 'de']
    """
    samples = [(t if isinstance(t, str) else "").strip()[:prefix] for t in texts]
    found = [UNDETERMINED] * len(samples)
    todo = [i for i, sample in enumerate(samples) if _ENOUGH_LETTERS.match(sample)]  # MIN_LETTERS letters or more
    model = _model_arrays() if todo else None
    for start in range(0, len(todo), DETECT_BATCH):
        batch = todo[start:start + DETECT_BATCH]
        encoded = [_identifier()._encode(samples[i]) for i in batch]  # upper-case text lowered, NFC, UTF-8
        for i, counts in zip(batch, _feature_counts(encoded, model)):
            found[i] = _classify(counts, model[3])
    return found


def _feature_counts(encoded: list[bytes], model: tuple) -> list[dict[int, int]]:
    """py3langid's ``visit_counts`` of each byte string: how often each feature's state is reached as its
    automaton walks the bytes, features in the order first reached. The walks step together, one byte
    position at a time over all strings (a shorter string's walk goes on over padding, then ignored)."""
    from collections import Counter

    import numpy as np

    nextmove, rowbase, output, _ = model  # of _model_arrays()
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    inside = np.arange(lengths.max(initial=0)) < lengths[:, None]
    data = np.zeros(inside.shape, dtype=np.int32)
    data[inside] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    states = np.empty_like(data)
    state = np.zeros(len(encoded), dtype=np.int32)
    for position in range(data.shape[1]):
        state = nextmove[rowbase[state] + data[:, position]]
        states[:, position] = state
    features = output[states]
    reached = inside & (features >= 0)
    return [Counter(row[keep].tolist()) for row, keep in zip(features, reached)]


def _classify(counts: dict[int, int], table) -> str:
    """The language py3langid's ``classify`` (raw scores) gives a text whose :func:`_feature_counts` are ``counts``:
    the same naive-Bayes score (``table``: the float32 one of :func:`_model_arrays`), a label given by several
    columns taking their best, the best label."""
    import numpy as np

    model = _identifier()
    if counts:
        scores = model._sparse_score(counts, table)
    else:
        scores = np.full(len(model.nb_classes), np.finfo(np.float32).min, dtype=np.float32)
    for first, dupe in model._alias_pairs:
        scores[first] = max(scores[first], scores[dupe])
        scores[dupe] = np.finfo(np.float32).min
    code = model.nb_classes[int(scores.argmax())]
    return ALIASES.get(code, code)


def document_languages(documents: pd.DataFrame, language: str = AUTO) -> pd.Series:
    """The ``language`` column of ``documents``: ``language`` for every document, or with ``auto`` the
    metadata's own ``language`` column where it holds a code of :data:`LANGUAGES`, else :func:`detect`.

    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["The vote was held today.", "Голосование прошло сегодня."]})
    >>> document_languages(docs).tolist(), document_languages(docs, "en").tolist()
    (['en', 'ru'], ['en', 'en'])
    """
    import pandas as pd

    check(language)
    if language != AUTO:
        return pd.Series(language, index=documents.index, name="language", dtype=object)
    given = (documents["language"].astype(str).str.strip().str.lower() if "language" in documents.columns
             else pd.Series("", index=documents.index))
    known = given.isin(list(LANGUAGES))
    found = given.where(known, "").astype(object)
    if (~known).any():
        found[~known] = detect(documents.loc[~known, "text"].tolist())
    return found.rename("language")


def language_table(documents: pd.DataFrame, n_tokens: Sequence[int]) -> pd.DataFrame:
    """One row per language of ``documents``: language, name, n_documents, n_tokens, supported, treatment.

    ``n_tokens``: each document's token count (in the order of ``documents``).

    >>> import pandas as pd
    >>> docs = pd.DataFrame({"language": ["en", "en", "bn"]})
    >>> language_table(docs, [10, 5, 7])[["language", "n_documents", "n_tokens", "supported"]].values.tolist()
    [['en', 2, 15, True], ['bn', 1, 7, False]]
    """
    import pandas as pd

    counts = pd.DataFrame({"language": documents["language"].to_numpy(), "n_tokens": list(n_tokens)})
    table = counts.groupby("language", sort=False).agg(n_documents=("n_tokens", "size"), n_tokens=("n_tokens", "sum"))
    table = table.reset_index().sort_values(["n_documents", "language"], ascending=[False, True], ignore_index=True)
    table.insert(1, "name", table["language"].map(lambda c: LANGUAGES[c].name if c in LANGUAGES else ""))
    table["supported"] = table["language"].map(is_supported)
    table["treatment"] = table["language"].map(treatment)
    return table


def treatment(code: str) -> str:
    """One line on what documents in ``code`` get.

    >>> treatment("bn")
    'not supported: Unicode-word tokens, no stopwords, stemming or lemmas'
    >>> treatment("ja")
    'words segmented by janome, no stopword list, sentences by sentence-final punctuation'
    """
    if code not in LANGUAGES:
        return "not supported: Unicode-word tokens, no stopwords, stemming or lemmas"
    lang = LANGUAGES[code]
    stoplist = "english-extended" if code == "en" else lang.name
    parts = [f"words segmented by {'janome' if lang.code == 'ja' else 'jieba'}" if lang.segmented
             else "Unicode-word tokens", f"{stoplist} stopwords (auto)" if lang.stopwords else "no stopword list"]
    parts += ["Snowball stems"] if lang.snowball else []
    parts += ["simplemma lemmas"] if lang.lemmas else []
    parts += [f"sentences by {lang.sentences}"]
    return ", ".join(parts)


def language_note(table: pd.DataFrame) -> str:
    """One or two sentences on a :func:`language_table`: the languages found and those not supported.

    >>> import pandas as pd
    >>> language_note(language_table(pd.DataFrame({"language": ["en", "bn"]}), [3, 4]))[:75]
    '2 languages: bn (1 documents), en (1 documents). Not supported: bn: its doc'
    """
    if len(table) == 1:
        return f"All {int(table['n_documents'].iloc[0])} documents are in {table['language'].iloc[0]}."
    found = ", ".join(f"{c} ({n} documents)" for c, n in zip(table["language"], table["n_documents"]))
    note = f"{len(table)} languages: {found}."
    unsupported = table.loc[~table["supported"], "language"].tolist()
    if unsupported:
        note += (f" Not supported: {', '.join(unsupported)}: its documents get Unicode-word tokens and no stopwords, "
                 "stemming or lemmas.")
    return note


# ---- the per-token rules of a language (read by corpuslab.tokens) ----

ELISIONS = {  # elided articles and pronouns written onto the next word: "l'homme" counts as "homme"
    "fr": re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=[^\W\d_])", re.IGNORECASE),
    "it": re.compile(r"^(?:[cdlmnst]|un|dell|all|dall|nell|sull|coll|quell|quest|sant)'(?=[^\W\d_])", re.IGNORECASE),
    "ca": re.compile(r"^(?:[dlmnst])'(?=[^\W\d_])", re.IGNORECASE),
}


def elide(token: str, language: str) -> str:
    """``token`` without an elided article or pronoun of ``language`` (French, Italian, Catalan).

    >>> elide("l'homme", "fr"), elide("dell'uomo", "it"), elide("don't", "en")
    ('homme', 'uomo', "don't")
    """
    return ELISIONS[language].sub("", token) if language in ELISIONS else token


@lru_cache(maxsize=200_000)
def stem(token: str, language: str = "en") -> str:
    """Snowball's stem of ``token`` in ``language``; the token itself in a language Snowball does not cover.

    >>> stem("freiheiten", "de"), stem("running"), stem("伙伴关系", "zh")
    ('freiheit', 'run', '伙伴关系')
    """
    if language not in LANGUAGES or not LANGUAGES[language].snowball:
        return token
    return _stemmer(LANGUAGES[language].name).stem(token)


@lru_cache(maxsize=16)
def _stemmer(name: str):
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer(name)


@lru_cache(maxsize=200_000)
def lemma(token: str, language: str = "en") -> str:
    """simplemma's lemma of ``token`` in ``language``; the token itself in a language it has no dictionary for."""
    if language not in SIMPLEMMA:
        return token
    import simplemma

    return simplemma.lemmatize(token, lang=language)
