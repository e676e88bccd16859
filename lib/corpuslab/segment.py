"""Splitting documents into paragraphs and sentences, offline, with character offsets.

Sentences come from an NLTK Punkt model trained on public-domain American
political prose (inaugural addresses, State of the Union addresses) and shipped
in ``data/nltk_data/tokenizers/punkt_tab/english``, with common abbreviations
("U.S.", "Mr.", "Dr.", "Jan.", "No.") added. Each unit keeps ``start``/``end``
offsets into the cleaned document text, so ``text[start:end] == unit text``.
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from pathlib import Path
from types import SimpleNamespace
from typing import Iterable

import pandas as pd

from corpuslab.resources import NLTK_DATA_DIR, use_vendored_nltk_data

PUNKT_DIR = NLTK_DATA_DIR / "tokenizers" / "punkt_tab" / "english"
EXTRA_ABBREVIATIONS = (
    "u.s", "u.k", "u.n", "e.u", "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov",
    "st", "jr", "sr", "no", "nos", "vol", "fig", "etc", "vs", "e.g", "i.e", "inc", "ltd", "co",
    "corp", "dept", "est", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "col", "lt", "capt", "sgt", "adm", "amb", "pres",
)
_PARAGRAPH_BREAK = {"line": re.compile(r"\n"), "blank": re.compile(r"\n[ \t\u00a0]*\n")}
# Punkt knows only straight quotes; same-length replacement keeps offsets valid.
_STRAIGHT_QUOTES = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'))
_SENT_END_CHARS = (".", "?", "!")  # Punkt's PunktLanguageVars.sent_end_chars
_MEMO_SIZE = 2**17  # entries per Punkt memo: a few tens of MB at most
# Characters that can start a match of Punkt's re_boundary_realignment (NLTK 3.9, 3.10).
_CLOSERS = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")
META_EXCLUDE = ("text", "raw_text", "n_lines_removed")


def train_punkt(texts: Iterable[str], abbreviations: Iterable[str] = EXTRA_ABBREVIATIONS):
    """Train Punkt parameters on ``texts`` and add known ``abbreviations``."""
    from nltk.tokenize.punkt import PunktTrainer

    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    for text in texts:
        trainer.train(text, finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    params.abbrev_types.update(abbreviations)
    return params


@lru_cache(maxsize=1)
def _tokenizer():
    """NLTK's English Punkt tokenizer minus repeated work.

    Each memo below maps a string to what NLTK computes from that string and the
    fixed model alone, so the spans are NLTK's (tests compare with NLTK's own).
    """
    use_vendored_nltk_data()
    from nltk.tokenize.punkt import PunktTokenizer

    tokenizer = PunktTokenizer("english")
    tokenizer._Token = _memo_token_class()
    tokenizer._lang_vars = _quick_language_vars()
    # Reads only its context string and the fixed model; contexts such as "nations. We" recur.
    tokenizer.text_contains_sentbreak = lru_cache(maxsize=_MEMO_SIZE)(tokenizer.text_contains_sentbreak)
    return tokenizer


def _memo_token_class():
    """``PunktToken`` whose regex-derived fields are memoized by token text, which is all they read.

    NLTK runs each of these tiny regexes under a wall-clock timeout that costs
    more than the match; the bodies are NLTK's own (``nltk/tokenize/punkt.py``).
    """
    from nltk.tokenize.punkt import PunktToken

    token_type = lru_cache(maxsize=_MEMO_SIZE)(lambda tok: PunktToken._RE_NUMERIC.sub("##number##", tok.lower()))
    ellipsis = lru_cache(maxsize=_MEMO_SIZE)(PunktToken._RE_ELLIPSIS.match)
    initial = lru_cache(maxsize=_MEMO_SIZE)(PunktToken._RE_INITIAL.match)

    class MemoToken(PunktToken):
        __slots__ = ()

        def _get_type(self, tok):
            return token_type(tok)

        is_ellipsis = property(lambda self: ellipsis(self.tok))
        is_initial = property(lambda self: initial(self.tok))

    return MemoToken


def _quick_language_vars():
    """Punkt's language variables, trying the realignment regex only where it can match.

    Punkt tries it on every sentence after the first; a match starts with one of
    ``_CLOSERS`` (tests check that no other character can start one).
    """
    from nltk.tokenize.punkt import PunktLanguageVars

    realign = PunktLanguageVars.re_boundary_realignment

    class QuickLanguageVars(PunktLanguageVars):
        __slots__ = ()
        re_boundary_realignment = SimpleNamespace(
            match=lambda text: realign.match(text) if text[:1] in _CLOSERS else None)

    return QuickLanguageVars()


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (one paragraph).

    >>> text = "Mr. Xi met the U.S. envoy on Jan. 5. Talks went well."
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['Mr. Xi met the U.S. envoy on Jan. 5.', 'Talks went well.']
    """
    return _punkt_spans(_straight_quotes(text))


def _straight_quotes(text: str) -> str:
    """``text`` with curly quotes made straight, same length."""
    for curly, straight in _STRAIGHT_QUOTES:  # str.replace: many times faster than str.translate
        text = text.replace(curly, straight)
    return text


def _punkt_spans(text: str) -> list[tuple[int, int]]:
    """Punkt's sentence spans of ``text``, skipping Punkt where it cannot split.

    Punkt's candidates are a ``.``, ``?`` or ``!`` followed by another character;
    with none, ``span_tokenize`` yields ``(0, len(text.rstrip()))`` unless empty.
    """
    if not any(text.find(char, 0, len(text) - 1) >= 0 for char in _SENT_END_CHARS):
        end = len(text.rstrip())
        return [(0, end)] if end else []
    return list(_tokenizer().span_tokenize(text))


def paragraph_spans(text: str, mode: str = "line") -> list[tuple[int, int]]:
    """Character spans of the non-empty paragraphs of ``text``, whitespace trimmed.

    >>> paragraph_spans("One.\\n\\n Two.\\n", mode="blank")
    [(0, 4), (7, 11)]
    """
    spans, start = [], 0
    for match in [*_PARAGRAPH_BREAK[mode].finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + len(chunk.rstrip())))
        if match:
            start = match.end()
    return spans


def _metadata(documents: pd.DataFrame) -> pd.DataFrame:
    return documents.drop(columns=[c for c in META_EXCLUDE if c in documents.columns])


def paragraphs(documents: pd.DataFrame, *, mode: str = "line") -> pd.DataFrame:
    """Unit table of paragraphs: doc_id, unit_id, start, end, text, + metadata.

    ``mode`` is ``"line"`` (every line break ends a paragraph, as in web copy)
    or ``"blank"`` (only blank lines do).
    """
    rows = [
        {"doc_id": doc_id, "unit_id": i, "start": a, "end": b, "text": text[a:b]}
        for doc_id, text in zip(documents["doc_id"], documents["text"])
        for i, (a, b) in enumerate(paragraph_spans(text, mode))
    ]
    units = pd.DataFrame(rows, columns=["doc_id", "unit_id", "start", "end", "text"])
    return units.merge(_metadata(documents), on="doc_id", how="left")


def sentences(documents: pd.DataFrame, *, mode: str = "line", engine: str = "local", n_jobs: int = 1,
              scheduler: str = "") -> pd.DataFrame:
    """Unit table of sentences: doc_id, unit_id, paragraph_id, start, end, text, + metadata.

    Sentences never cross a paragraph break; offsets index the document text.
    Large corpora are split over ``n_jobs`` processes (or a Dask cluster,
    ``engine="dask"``); the table is the same whichever engine runs it.
    """
    from corpuslab import engine as engines

    work = documents[["doc_id", "text"]]
    if engines.worth_parallel(work, n_jobs, engine):
        spans = engines.map_tables(partial(_sentence_rows, mode=mode), work, engine=engine, n_jobs=n_jobs,
                                   scheduler=scheduler)
    else:
        spans = _sentence_rows(work, mode=mode)
    return spans.merge(_metadata(documents), on="doc_id", how="left")


def sentences_from_params(documents: pd.DataFrame, cfg: dict) -> pd.DataFrame:
    """:func:`sentences` with the params' paragraph mode and engine, cached by input and model."""
    from corpuslab import cache, corpus
    from corpuslab.resources import sha256_of

    model = [sha256_of(p) for p in sorted(PUNKT_DIR.iterdir())]
    segmented = documents.drop(columns="raw_text", errors="ignore")  # keyed by the text it splits, with or without raw_text
    parts = (corpus.fingerprint(segmented), cfg["segment.paragraphs"], model,
             corpus.CLEANING_PATTERNS.exists() and sha256_of(corpus.CLEANING_PATTERNS), cfg["corpus.clean"])
    return cache.table("sentences", parts, lambda: sentences(
        segmented, mode=cfg["segment.paragraphs"], engine=cfg["engine"], n_jobs=cfg["n_jobs"],
        scheduler=cfg["dask.scheduler"]))


def _sentence_rows(documents: pd.DataFrame, mode: str = "line") -> pd.DataFrame:
    columns = ["doc_id", "unit_id", "paragraph_id", "start", "end", "text"]
    rows = []  # tuples, not dicts: the table of a large corpus builds several times faster
    for doc_id, text in zip(documents["doc_id"], documents["text"]):
        plain, n = _straight_quotes(text), 0  # same length as text: paragraph offsets hold
        for p, (pa, pb) in enumerate(paragraph_spans(text, mode)):
            for a, b in _punkt_spans(plain[pa:pb]):
                rows.append((doc_id, n, p, pa + a, pa + b, text[pa + a:pa + b]))
                n += 1
    return pd.DataFrame.from_records(rows, columns=columns).astype(
        {"unit_id": "int64", "paragraph_id": "int64", "start": "int64", "end": "int64"})


def save_punkt(params, folder: Path = PUNKT_DIR) -> Path:
    """Write Punkt parameters in NLTK's ``punkt_tab`` format to ``folder``.

    NLTK writes only into a private staging folder of its own; the files are
    copied from there.
    """
    import shutil

    from nltk.tokenize.punkt import save_punkt_params

    staged = Path(save_punkt_params(params))
    folder.mkdir(parents=True, exist_ok=True)
    for item in sorted(staged.iterdir()):
        shutil.copyfile(item, folder / item.name)
    shutil.rmtree(staged, ignore_errors=True)
    return folder
