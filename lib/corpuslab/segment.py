"""Splitting documents into paragraphs and sentences, offline, with character offsets.

Sentences come from an NLTK Punkt model trained on public-domain American
political prose (inaugural addresses, State of the Union addresses) and shipped
in ``data/nltk_data/tokenizers/punkt_tab/english``, with common abbreviations
("U.S.", "Mr.", "Dr.", "Jan.", "No.") added. Each unit keeps ``start``/``end``
offsets into the cleaned document text, so ``text[start:end] == unit text``.
Punkt runs through :mod:`corpuslab._punkt` (NLTK's tokenizer without its repeated work).
Only English has a Punkt model here: documents whose ``language`` column names another language
are split after sentence-final punctuation (:func:`punctuation_spans`: . ! ? … and CJK 。！？).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from corpuslab import _punkt
from corpuslab.engine import SERIAL, Engine
from corpuslab.resources import NLTK_DATA_DIR

PUNKT_DIR = NLTK_DATA_DIR / "tokenizers" / "punkt_tab" / "english"
EXTRA_ABBREVIATIONS = (
    "u.s", "u.k", "u.n", "e.u", "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov",
    "st", "jr", "sr", "no", "nos", "vol", "fig", "etc", "vs", "e.g", "i.e", "inc", "ltd", "co",
    "corp", "dept", "est", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "col", "lt", "capt", "sgt", "adm", "amb", "pres",
)
_PARAGRAPH_BREAK = {"blank": re.compile(r"\n[ \t\u00a0]*\n")}  # "line" and "auto" split lines instead
# Punkt knows only straight quotes; same-length replacement keeps offsets valid.
_STRAIGHT_QUOTES = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'))
META_EXCLUDE = ("text", "raw_text", "n_lines_removed")
SENTENCE_COLUMNS = ("doc_id", "unit_id", "paragraph_id", "start", "end", "text")


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


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (one paragraph).

    >>> text = "Mr. Xi met the U.S. envoy on Jan. 5. Talks went well."
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['Mr. Xi met the U.S. envoy on Jan. 5.', 'Talks went well.']
    """
    return _punkt.spans(_straight_quotes(text))


SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s)|[。！？!?]+[」』”’）)]*")


def punctuation_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a text in a language without a Punkt model: a sentence ends after . ! ? or … followed
    by a space (closing quotes and brackets kept with it), or after CJK 。！？ (no space needed). Abbreviations
    ("т.е.", "z. B.") end a sentence too: the rule does not know them.

    >>> text = "Россия и Китай. Они подписали «договор»! 中国和俄罗斯。加强合作？"
    >>> [text[a:b] for a, b in punctuation_spans(text)]
    ['Россия и Китай.', 'Они подписали «договор»!', '中国和俄罗斯。', '加强合作？']
    """
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        _add_span(spans, text, start, match.end())
        start = match.end()
    _add_span(spans, text, start, len(text))
    return spans


def _add_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        a = start + len(piece) - len(piece.lstrip())
        spans.append((a, a + len(stripped)))


def _straight_quotes(text: str) -> str:
    """``text`` with curly quotes made straight, same length."""
    for curly, straight in _STRAIGHT_QUOTES:  # str.replace: many times faster than str.translate
        text = text.replace(curly, straight)
    return text


def paragraph_spans(text: str, mode: str = "auto") -> list[tuple[int, int]]:
    """Character spans of the non-empty paragraphs of ``text``, whitespace trimmed.

    ``mode``: ``"line"`` (every line break ends a paragraph), ``"blank"`` (only blank lines do) or
    ``"auto"`` (:func:`is_hard_wrapped` text is re-flowed by :func:`wrapped_paragraph_spans`, other text
    is split at every line break).

    >>> paragraph_spans("One.\\n\\n Two.\\n", mode="blank")
    [(0, 4), (7, 11)]
    """
    if mode in ("auto", "line"):
        lines = text.split("\n")
        wrapped = mode == "auto" and _hard_wrapped(list(filter(str.strip, lines)))
        return _wrapped_spans(lines) if wrapped else _line_spans(lines)
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


def _line_spans(lines: list[str]) -> list[tuple[int, int]]:
    """:func:`paragraph_spans` with ``mode="line"`` of the text whose lines are ``lines``: each non-empty line,
    whitespace trimmed (the lines already split, no regex run over the text)."""
    spans, offset = [], 0
    for line in lines:
        kept = line.strip()
        if kept:
            start = offset + len(line) - len(line.lstrip())
            spans.append((start, start + len(kept)))
        offset += len(line) + 1
    return spans


# A line that ends a sentence (or a clause) ends with one of these; a wrapped line mostly does not.
_LINE_END = re.compile(r"[.!?:;\u2026][\"'\u201d\u2019)\]]*\s*$")
_CLAUSE_END, _CLOSING = tuple(".!?:;\u2026"), "\"'\u201d\u2019)]"  # _LINE_END's two character classes
_NEW_ITEM = re.compile(r"\s+\S|\d{1,3}[.)]\s")  # an indented line or a numbered paragraph ("12. ")
WRAPPED_MIN_LINES = 4        # fewer non-empty lines: never called hard-wrapped
WRAPPED_MIN_SHARE = 0.4      # share of lines (followed by another line) that stop mid-sentence
WRAPPED_MAX_WIDTH = 120      # and 90 % of lines at most this long (web copy has long one-line paragraphs)
SHORT_LINE_SHARE = 0.75      # a line shorter than this share of the wrap width may end a paragraph


def is_hard_wrapped(text: str) -> bool:
    """Whether ``text`` is hard-wrapped: at least :data:`WRAPPED_MIN_SHARE` of its lines that another line
    follows stop mid-sentence (no final punctuation), and 90 % of its lines are at most
    :data:`WRAPPED_MAX_WIDTH` characters long, as in text wrapped at a fixed width.

    >>> is_hard_wrapped("We met the\\nenvoy today and\\ntalked about the\\nweather. Fine.")
    True
    >>> is_hard_wrapped("First paragraph.\\nSecond paragraph.\\nThird one.\\nFourth.")
    False
    """
    return _hard_wrapped([line for line in text.split("\n") if line.strip()])


def _hard_wrapped(lines: list[str]) -> bool:
    """:func:`is_hard_wrapped` of a text's non-empty ``lines``."""
    if len(lines) < WRAPPED_MIN_LINES:
        return False
    open_ended = len(lines) - 1 - sum(map(_ends_clause, lines[:-1]))
    if open_ended < WRAPPED_MIN_SHARE * (len(lines) - 1):
        return False
    return _width(lines) <= WRAPPED_MAX_WIDTH


def _ends_clause(line: str) -> bool:
    """Whether ``line`` (no line break in it) matches :data:`_LINE_END`: the end character before any closing
    quotes and brackets before any trailing whitespace."""
    return line.rstrip().rstrip(_CLOSING).endswith(_CLAUSE_END)


def _width(lines: list[str]) -> int:
    """The wrap width of non-empty ``lines``: the 90th percentile of their lengths."""
    lengths = sorted(len(line.rstrip()) for line in lines)
    return lengths[int(0.9 * (len(lengths) - 1))]


def wrapped_paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraph spans of hard-wrapped ``text``: its lines re-flowed into paragraphs.

    A paragraph ends at a blank line, and at a line that ends a sentence while being shorter than
    :data:`SHORT_LINE_SHARE` of the wrap width (the 90th percentile of line lengths), or that the next
    line starts a new item (indented, or numbered ``12.``). Spans index ``text``; a paragraph keeps its
    inner line breaks.

    >>> text = ("We met the envoy of the\\nother side and we talked\\nfor hours.\\n"
    ...         "Then we went back\\nhome.\\n\\nNext day.")
    >>> [text[a:b] for a, b in wrapped_paragraph_spans(text)]
    ['We met the envoy of the\\nother side and we talked\\nfor hours.', 'Then we went back\\nhome.', 'Next day.']
    """
    return _wrapped_spans(text.split("\n"))


def _wrapped_spans(lines: list[str]) -> list[tuple[int, int]]:
    """:func:`wrapped_paragraph_spans` of the text whose lines are ``lines``."""
    kept = [line.rstrip() for line in lines]  # empty for a blank line
    lengths = sorted(len(line) for line in kept if line)
    short = SHORT_LINE_SHARE * (lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0)  # of the wrap width
    spans, first, end, offset = [], None, 0, 0
    for i, (line, trimmed) in enumerate(zip(lines, kept)):
        if not trimmed:
            if first is not None:
                spans.append((first, end))
                first = None
        else:
            if first is None:
                first = offset + len(line) - len(line.lstrip())
            end = offset + len(trimmed)
            if trimmed.rstrip(_CLOSING).endswith(_CLAUSE_END) and (  # as _ends_clause(line)
                    len(trimmed) < short or (i + 1 < len(lines) and kept[i + 1] and _NEW_ITEM.match(lines[i + 1]))):
                spans.append((first, end))
                first = None
        offset += len(line) + 1
    if first is not None:
        spans.append((first, end))
    return spans


NEAR_DUPLICATE_MIN_SIMILARITY = 0.8  # Jaccard similarity of the two paragraphs' word sets
NEAR_DUPLICATE_MIN_WORDS = 8         # shorter paragraphs ("Thank you.") are never flagged
NEAR_DUPLICATE_MAX_DOCUMENTS = 1000  # a larger corpus is checked in this many documents (~8 s per 1,000 UN speeches)
_WORD = re.compile(r"\w+")


def near_duplicates(units: pd.DataFrame, *, min_similarity: float = NEAR_DUPLICATE_MIN_SIMILARITY,
                    min_words: int = NEAR_DUPLICATE_MIN_WORDS) -> pd.DataFrame:
    """Paragraphs nearly identical to an earlier paragraph of the same document (a summary repeating
    the body): doc_id, unit_id, same_as (the earlier unit_id), similarity (Jaccard of lower-cased word
    sets), text. For the reader to judge: nothing is removed.

    >>> units = pd.DataFrame({"doc_id": ["a"] * 2, "unit_id": [0, 1],
    ...                       "text": ["We will build new schools in every rural county.",
    ...                                "- We will build new schools in every rural county!"]})
    >>> near_duplicates(units)[["unit_id", "same_as"]].values.tolist()
    [[1, 0]]
    """
    rows = []
    for doc_id, group in units.groupby("doc_id", sort=False):
        rows += _doc_near_duplicates(doc_id, group["unit_id"].tolist(), group["text"].tolist(),
                                     min_similarity, min_words)
    return pd.DataFrame(rows, columns=["doc_id", "unit_id", "same_as", "similarity", "text"])


def evenly_spaced(doc_ids, n: int = NEAR_DUPLICATE_MAX_DOCUMENTS) -> list:
    """At most ``n`` of ``doc_ids``, evenly spaced in sorted order (all of them if there are no more than ``n``).

    >>> evenly_spaced(["d", "a", "c", "b"], 2)
    ['a', 'c']
    """
    ids = sorted(doc_ids)
    step = -(-len(ids) // n) if ids else 1
    return ids[::step]


def _doc_near_duplicates(doc_id, unit_ids: list, texts: list[str], min_similarity: float, min_words: int) -> list:
    """Rows of :func:`near_duplicates` for one document: each paragraph is compared only with those of
    a size its similarity allows (sorted by size), and reported once, as a repeat of the earliest match."""
    word_sets = ((u, frozenset(_WORD.findall(t.lower()))) for u, t in zip(unit_ids, texts))
    sized = sorted((len(words), unit_id, words) for unit_id, words in word_sets if len(words) >= min_words)
    best: dict = {}  # later unit_id -> (earlier unit_id, similarity)
    for i, (size, unit_a, words_a) in enumerate(sized):
        for size_b, unit_b, words_b in sized[i + 1:]:
            if size < min_similarity * size_b:
                break  # every later one is larger still
            shared = len(words_a & words_b)
            similarity = shared / (size + size_b - shared)  # the union's size, without building it
            if similarity >= min_similarity:
                later, earlier = max(unit_a, unit_b), min(unit_a, unit_b)
                if later not in best or earlier < best[later][0]:
                    best[later] = (earlier, similarity)
    text_of = dict(zip(unit_ids, texts))
    return [(doc_id, later, earlier, round(similarity, 3), text_of[later])
            for later, (earlier, similarity) in sorted(best.items())]


def paragraph_texts(documents: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs rebuilt from a :func:`sentences` table of ``documents``: doc_id, unit_id (the paragraph_id),
    text (from its first sentence's start to its last one's end), without splitting the corpus again.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["One. Two.\\nThree."]})
    >>> paragraph_texts(docs, sentences(docs, mode="line")).values.tolist()
    [['a', 0, 'One. Two.'], ['a', 1, 'Three.']]
    """
    spans = sentences.groupby(["doc_id", "paragraph_id"], sort=False).agg(start=("start", "min"), end=("end", "max"))
    spans = spans.reset_index()
    text_of = dict(zip(documents["doc_id"], documents["text"]))
    texts = [text_of[d][a:b] for d, a, b in zip(spans["doc_id"], spans["start"], spans["end"])]
    return pd.DataFrame({"doc_id": spans["doc_id"], "unit_id": spans["paragraph_id"], "text": texts})


def paragraph_summary(documents: pd.DataFrame, sentences: pd.DataFrame, mode: str = "auto") -> pd.DataFrame:
    """How each document was split into paragraphs: doc_id, n_lines (non-empty), hard_wrapped (re-flowed
    by ``mode="auto"``), n_paragraphs, n_sentences.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["One. Two.\\nThree."]})
    >>> paragraph_summary(docs, sentences(docs)).values.tolist()
    [['a', 2, False, 2, 3]]
    """
    counts = sentences.groupby("doc_id").agg(n_paragraphs=("paragraph_id", "nunique"), n_sentences=("unit_id", "size"))
    n_lines, hard_wrapped = [], []
    for text in documents["text"]:  # each text's lines read once
        filled = [line for line in text.split("\n") if line.strip()]
        n_lines.append(len(filled))
        hard_wrapped.append(mode == "auto" and _hard_wrapped(filled))
    table = pd.DataFrame({"doc_id": documents["doc_id"].to_numpy(), "n_lines": n_lines, "hard_wrapped": hard_wrapped})
    table = table.merge(counts, left_on="doc_id", right_index=True, how="left")
    table = table.fillna({"n_paragraphs": 0, "n_sentences": 0})
    return table.astype({"n_paragraphs": "int64", "n_sentences": "int64"})


def _metadata(documents: pd.DataFrame) -> pd.DataFrame:
    return documents.drop(columns=[c for c in META_EXCLUDE if c in documents.columns])


def paragraphs(documents: pd.DataFrame, *, mode: str = "auto") -> pd.DataFrame:
    """Unit table of paragraphs: doc_id, unit_id, start, end, text, + metadata.

    ``mode`` is ``"auto"`` (hard-wrapped text re-flowed, other text split at line breaks),
    ``"line"`` (every line break ends a paragraph, as in web copy) or ``"blank"`` (only blank lines do):
    see :func:`paragraph_spans`. Gathered as columns, not rows (the UN corpus: 4.0 s against 5.1 s); not on a
    pool: sending the texts and their paragraphs between processes costs about what a second core saves.

    >>> paragraphs(pd.DataFrame({"doc_id": ["a"], "text": ["One.\\n\\nTwo."]})).values.tolist()
    [['a', 0, 0, 4, 'One.'], ['a', 1, 6, 10, 'Two.']]
    """
    doc_ids, unit_ids, starts, ends, texts = [], [], [], [], []
    for doc_id, text in zip(documents["doc_id"].tolist(), documents["text"].tolist()):
        for i, (a, b) in enumerate(paragraph_spans(text, mode)):
            doc_ids.append(doc_id)
            unit_ids.append(i)
            starts.append(a)
            ends.append(b)
            texts.append(text[a:b])
    units = pd.DataFrame({"doc_id": doc_ids, "unit_id": np.array(unit_ids, dtype=np.int64),
                          "start": np.array(starts, dtype=np.int64), "end": np.array(ends, dtype=np.int64),
                          "text": texts})
    if not len(units):  # typed as the documents
        units = units.astype({c: documents[c].dtype for c in ("doc_id", "text")})
    return units.merge(_metadata(documents), on="doc_id", how="left")


def sentences(documents: pd.DataFrame, *, mode: str = "auto", engine: Engine = SERIAL) -> pd.DataFrame:
    """Unit table of sentences: doc_id, unit_id, paragraph_id, start, end, text, + metadata.

    Sentences never cross a paragraph break; offsets index the document text.
    A large corpus is split in partitions over the ``engine``'s processes (or a Dask
    cluster); the table is the same whichever engine runs it.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Mr. Xi spoke. Talks went well.\\nNew line"]})
    >>> sentences(docs)[["paragraph_id", "start", "end", "text"]].values.tolist()
    [[0, 0, 13, 'Mr. Xi spoke.'], [0, 14, 30, 'Talks went well.'], [1, 31, 39, 'New line']]
    """
    work = documents[["doc_id", "text"] + (["language"] if "language" in documents.columns else [])]
    if engine.worth_parallel(work):
        spans = engine.map_tables(partial(_sentence_rows, mode=mode), work)
    else:
        spans = _sentence_rows(work, mode=mode)
    return spans.merge(_metadata(documents), on="doc_id", how="left")


def _sentence_rows(documents: pd.DataFrame, mode: str = "auto") -> pd.DataFrame:
    """doc_id, unit_id, paragraph_id, start, end, text of the sentences of ``documents`` (doc_id, text, language),
    gathered as columns: a large corpus's table builds and travels from a pool's workers faster than as rows."""
    languages = documents["language"].tolist() if "language" in documents.columns else ["en"] * len(documents)
    counts, paragraph_ids, starts, ends, texts = [], [], [], [], []
    for text, language in zip(documents["text"].tolist(), languages):  # lists: an Arrow column iterates slowly
        plain, before = _straight_quotes(text), len(starts)  # same length as text: paragraph offsets hold
        split = _punkt.spans if language == "en" else punctuation_spans
        for p, (pa, pb) in enumerate(paragraph_spans(text, mode)):
            found = split(plain[pa:pb])
            paragraph_ids += [p] * len(found)
            starts += [pa + a for a, _ in found]
            ends += [pa + b for _, b in found]
            texts += [text[pa + a:pa + b] for a, b in found]
        counts.append(len(starts) - before)
    if not starts:  # typed as an empty table of rows is
        empty = pd.DataFrame.from_records([], columns=SENTENCE_COLUMNS)
        return empty.astype(dict.fromkeys(SENTENCE_COLUMNS[1:5], "int64"))
    counts = np.array(counts, dtype=np.int64)
    return pd.DataFrame({
        "doc_id": np.repeat(documents["doc_id"].to_numpy(dtype=object), counts).tolist(),  # typed as rows were
        "unit_id": np.arange(len(starts), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts),
        "paragraph_id": np.array(paragraph_ids, dtype=np.int64),
        "start": np.array(starts, dtype=np.int64),
        "end": np.array(ends, dtype=np.int64),
        "text": texts,
    })


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
