"""Loading a corpus from any supported source, its metadata, facts and fingerprint.

A corpus becomes a *documents table*: ``doc_id`` (unique string), ``text``, then
metadata columns. Sources: a folder of ``.txt``, ``.pdf``, ``.docx``, ``.html``/``.htm`` and ``.md`` files
(read by :mod:`corpuslab.formats`; + an optional metadata CSV), or a ``.csv`` / ``.jsonl`` / ``.parquet`` table
with a text column.
Cleaning is :mod:`corpuslab.cleaning`; display groups are :mod:`corpuslab.groups`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import stat
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from corpuslab.encodings import AUTO, _decode
from corpuslab.errors import CorpuslabError
from corpuslab.folder import (  # noqa: F401  (folder_files ... are read as corpus.* too)
    _file_kind,
    _load_folder,
    _read_bytes,
    encoding_report,
    folder_files,
    hidden_files,
    read_folder,
    unreadable_report,
)

TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
DATE_PRECISIONS = ("day", "month", "year")
_DATE_FORMS = {4: "year", 7: "month", 10: "day"}
_DATE_PATTERN = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")  # YYYY, YYYY-MM, YYYY-MM-DD and nothing else
_DATE_FORMATS = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d"}


def load(
    path: str | Path,
    *,
    metadata: str | Path | None = None,
    text_column: str = "text",
    id_column: str = "doc_id",
    encoding: str = "auto",
    follow_symlinks: bool = False,
    filename_fields: Sequence[str] = (),
    filename_separator: str = "-",
) -> pd.DataFrame:
    """Load a corpus into a documents table.

    Parameters
    ----------
    path
        A folder of documents (``.txt``, ``.pdf``, ``.docx``, ``.html``/``.htm``, ``.md``; mixed freely), or a
        ``.csv``, ``.jsonl`` or ``.parquet`` file. A folder that holds other files than ``.txt`` gains a
        ``format`` column, and the documents' own properties (title, author, date, pages) fill metadata
        columns; files that cannot be read are skipped (:func:`unreadable_report`).
    metadata
        For a folder: a CSV with a ``doc_id`` (or ``source_file``) column, one row
        per file. ``None`` uses the folder's ``metadata.csv`` if there is one.
    text_column, id_column
        Column names in a table source. Without an id column, ids are made from
        the row order (``doc00001`` ...).
    encoding
        Encoding of the text files (a UTF-8 byte-order mark is always removed). ``"auto"``: each file
        is read as UTF-8 if it is valid UTF-8, else in the encoding :func:`detect_encodings` finds;
        bytes that fit no encoding become U+FFFD (never part of a token) and are counted.
    filename_fields, filename_separator
        For a folder: metadata columns read from each file name (without ``.txt``) split at the
        separator, e.g. ``("year", "president")`` for ``1961-Kennedy.txt``. A file name with another
        number of fields is an error naming the file. Columns of a metadata CSV win over them, and they over a
        document's own properties; a metadata CSV's empty cell keeps the property.
    follow_symlinks
        Read ``.txt`` symlinks that point outside the folder (refused by default).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``text``, then metadata columns, sorted by ``doc_id``.

    Raises
    ------
    CorpuslabError
        If the path, an encoding, a column or the metadata does not fit.

    Examples
    --------
    >>> from corpuslab.resources import BUNDLED_CORPUS
    >>> load(BUNDLED_CORPUS).shape[0]
    5
    """
    source = Path(path)
    if not source.exists():
        raise CorpuslabError(f"corpus.path {str(source)!r} does not exist; "
                             "give a folder of documents (.txt, .pdf, .docx, .html, .md) "
                             "or a .csv/.jsonl/.parquet file")
    if source.is_dir():
        documents = _load_folder(source, encoding, follow_symlinks)
        if filename_fields:
            documents = _with_filename_fields(documents, tuple(filename_fields), filename_separator)
        meta_path = Path(metadata) if metadata else source / "metadata.csv"
        if metadata or meta_path.exists():
            meta = _read_metadata(meta_path, "utf-8" if encoding == AUTO else encoding)
            documents = _join_metadata(documents.drop(columns=[c for c in filename_fields if c in meta.columns]), meta)
    elif not stat.S_ISREG(source.stat().st_mode):
        raise CorpuslabError(f"corpus.path {str(source)!r} is {_file_kind(source.stat().st_mode)}, not a file; "
                             "give a folder of documents (.txt, .pdf, .docx, .html, .md) "
                             "or a .csv/.jsonl/.parquet file")
    elif source.suffix.lower() in TABLE_SUFFIXES:
        documents = _load_table(source, text_column, id_column, encoding)
    else:
        raise CorpuslabError(
            f"corpus.path {str(source)!r} is a {source.suffix or 'suffix-less'} file; "
            f"give a folder of documents (.txt, .pdf, .docx, .html, .md) or a {'/'.join(TABLE_SUFFIXES)} file"
        )
    return _finish(documents, str(source))


def _with_filename_fields(documents: pd.DataFrame, fields: tuple[str, ...], separator: str) -> pd.DataFrame:
    """Metadata columns ``fields`` read from each doc_id (the file name) split at ``separator``."""
    values = []
    for name in documents["doc_id"]:
        parts = name.split(separator)
        if len(parts) != len(fields):
            raise CorpuslabError(
                f"corpus.filename_fields: file {name + '.txt'!r} splits at {separator!r} into {len(parts)} fields, "
                f"not the {len(fields)} named ({', '.join(fields)}); rename the file or change corpus.filename_fields"
            )
        values.append(parts)
    return documents.assign(**{field: [v[i] for v in values] for i, field in enumerate(fields)})


def _read_metadata(path: Path, encoding: str) -> pd.DataFrame:
    if not path.exists():
        raise CorpuslabError(f"corpus.metadata {str(path)!r} does not exist; "
                             "give a CSV with a doc_id column or leave it empty")
    if not stat.S_ISREG(path.stat().st_mode):
        raise CorpuslabError(f"corpus.metadata {str(path)!r} is {_file_kind(path.stat().st_mode)}, not a file; "
                             "give a CSV file")
    check_csv_shape(path, encoding, "corpus.metadata")
    try:
        meta = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, index_col=False)
    except (UnicodeDecodeError, pd.errors.ParserError, OSError) as exc:
        raise CorpuslabError(f"corpus.metadata {str(path)!r} cannot be read as CSV ({exc}); "
                             f"save it as {encoding} CSV with a header row") from None
    if "doc_id" not in meta.columns and "source_file" not in meta.columns:
        raise CorpuslabError(f"corpus.metadata {str(path)!r} has no doc_id or source_file column; "
                             "add one naming each file")
    return meta


def check_csv_shape(path: Path, encoding: str, what: str) -> None:
    """Refuse a CSV without a header row, with a column name twice, or with a row of more or fewer
    fields than the header (pandas would rename the column, shift the row into the index, or pad it)."""
    try:
        with open(path, newline="", encoding="utf-8" if encoding == AUTO else encoding, errors="replace") as handle:
            rows = csv.reader(handle)
            header = next(rows, None)
            if not header or not any(name.strip() for name in header):
                raise CorpuslabError(f"{what} {str(path)!r} is empty (no header row); "
                                     "give a CSV whose first line names the columns")
            seen = {name for name in header if header.count(name) > 1}
            if seen:
                raise CorpuslabError(f"{what} {str(path)!r}: column {sorted(seen)[0]!r} appears twice in the header; "
                                     "rename or remove one")
            for row in rows:
                if row and len(row) != len(header):
                    raise CorpuslabError(f"{what} {str(path)!r}: line {rows.line_num} has {len(row)} fields, "
                                         f"the header {len(header)}; fix that row "
                                         "(a comma inside a value needs quotes)")
    except (OSError, csv.Error) as exc:
        raise CorpuslabError(f"{what} {str(path)!r} cannot be read as CSV ({exc}); save it as {encoding} CSV") from None


def _join_metadata(documents: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """``documents`` with the columns of ``meta``; a column both have (a document property) keeps the
    document's value where ``meta``'s cell is empty."""
    key = "doc_id" if "doc_id" in meta.columns else "source_file"
    if key == "source_file":
        ids = dict(zip(documents["source_file"], documents["doc_id"]))
        meta = meta.assign(doc_id=meta["source_file"].map(lambda name: ids.get(name, Path(name).stem)))
    dupes = sorted(meta["doc_id"][meta["doc_id"].duplicated()].unique())
    if dupes:
        raise CorpuslabError(f"corpus.metadata: duplicate doc_id {dupes[0]!r}; give each document one row")
    missing_files = sorted(set(meta["doc_id"]) - set(documents["doc_id"]))
    if missing_files:
        raise CorpuslabError(
            f"corpus.metadata: row {missing_files[0]!r} has no matching .txt file or other document "
            f"({len(missing_files)} such rows); "
            "remove the row or add the file"
        )
    missing_rows = sorted(set(documents["doc_id"]) - set(meta["doc_id"]))
    if missing_rows:
        raise CorpuslabError(
            f"corpus.metadata: file {missing_rows[0]!r}{_suffix_of(documents, missing_rows[0])} has no metadata row "
            f"({len(missing_rows)} such files); "
            "add a row for it"
        )
    meta = meta.drop(columns=[c for c in ("text", "source_file") if c in meta.columns])
    shared = [c for c in meta.columns if c in documents.columns and c != "doc_id"]
    merged = documents.drop(columns=shared).merge(meta, on="doc_id", how="left", validate="one_to_one")
    for column in shared:  # a document property (title, author, date) where the metadata CSV is silent
        own = documents.set_index("doc_id")[column].reindex(merged["doc_id"]).to_numpy()
        given = merged[column].fillna("").astype(str).str.strip() != ""
        merged[column] = merged[column].where(given, own)
    return merged


def _suffix_of(documents: pd.DataFrame, doc_id: str) -> str:
    """The suffix of the file of document ``doc_id`` of a folder corpus (``.txt``, ``.pdf`` ...)."""
    return Path(documents.loc[documents["doc_id"] == doc_id, "source_file"].iat[0]).suffix


def _load_table(path: Path, text_column: str, id_column: str, encoding: str) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            check_csv_shape(path, encoding, "corpus.path")
            table = pd.read_csv(io.StringIO(_decode(_read_bytes(path), encoding, str(path))), dtype=str,
                                keep_default_na=False, na_values=[], index_col=False)
        elif suffix == ".jsonl":
            table = pd.read_json(io.StringIO(_decode(_read_bytes(path), encoding, str(path))), lines=True, dtype=False)
        else:
            table = pd.read_parquet(path)
    except (ValueError, UnicodeDecodeError, OSError, pd.errors.ParserError) as exc:
        raise CorpuslabError(f"corpus.path {str(path)!r} cannot be read as {suffix[1:]} "
                             f"({str(exc).splitlines()[0]}); check the file") from None
    if text_column not in table.columns:
        raise CorpuslabError(
            f"corpus.text_column {text_column!r} is not a column of {str(path)!r}; "
            f"columns are {', '.join(map(str, table.columns))}"
        )
    if table[text_column].isna().any():
        first = int(table[text_column].isna().to_numpy().nonzero()[0][0])
        raise CorpuslabError(f"{str(path)!r}: column {text_column!r} is empty in row {first + 1}; "
                             "fill it or drop the row")
    not_text = table[text_column].map(lambda value: not isinstance(value, str)).to_numpy().nonzero()[0]
    if len(not_text):
        value = table[text_column].iat[int(not_text[0])]
        raise CorpuslabError(f"{str(path)!r}: column {text_column!r} holds {type(value).__name__} "
                             f"{str(value)[:40]!r} in row {int(not_text[0]) + 1}, not text; write the text as a string")
    table = table.rename(columns={text_column: "text"})
    if id_column in table.columns:
        missing = (table[id_column].isna() | (table[id_column].astype(str).str.strip() == "")).to_numpy().nonzero()[0]
        if len(missing):
            raise CorpuslabError(f"{str(path)!r}: column {id_column!r} is empty in row {int(missing[0]) + 1}; "
                                 "give every row an id, or set corpus.id_column to a column the table lacks "
                                 "to number the rows")
        table = table.rename(columns={id_column: "doc_id"})
    else:
        table.insert(0, "doc_id", [f"doc{i:05d}" for i in range(1, len(table) + 1)])
    table["doc_id"] = table["doc_id"].astype(str)
    table["text"] = table["text"].astype(str)
    if table["text"].str.contains("\r", regex=False).any():  # a scan is cheaper than two replaces of every text
        table["text"] = table["text"].str.replace("\r\n", "\n").str.replace("\r", "\n")
    dupes = table["doc_id"][table["doc_id"].duplicated()]
    if len(dupes):
        raise CorpuslabError(f"{str(path)!r}: duplicate doc_id {dupes.iloc[0]!r}; ids in {id_column!r} must be unique")
    return table


def _finish(documents: pd.DataFrame, where: str) -> pd.DataFrame:
    if documents.empty:
        raise CorpuslabError(f"corpus.path {where!r} holds no documents; add at least one")
    blank = documents["text"].str.strip() == ""
    if blank.all():
        raise CorpuslabError(f"corpus.path {where!r}: every document is empty; check the files or corpus.text_column")
    if blank.any():
        empty = documents.loc[blank, "doc_id"].tolist()
        raise CorpuslabError(
            f"corpus.path {where!r}: document {empty[0]!r} is empty or only whitespace ({len(empty)} such); "
            "remove it or add its text"
        )
    if "date" not in documents.columns and _is_year_column(documents.get("year")):
        documents = documents.assign(date=documents["year"].map(lambda y: "" if pd.isna(y) else str(int(y))))
    if "date" in documents.columns:
        documents = _with_date_precision(documents)
    columns = ["doc_id", "text"] + [c for c in documents.columns if c not in ("doc_id", "text")]
    return documents[columns].sort_values("doc_id", kind="stable").reset_index(drop=True)


def _is_year_column(values: pd.Series | None) -> bool:
    """Whether a ``year`` column holds only four-digit years (then it dates documents to the year)."""
    if values is None or values.isna().all():
        return False
    years = pd.to_numeric(values.dropna(), errors="coerce")
    return bool(years.notna().all() and (years == years.round()).all() and years.between(1000, 9999).all())


def _with_date_precision(documents: pd.DataFrame) -> pd.DataFrame:
    dates = documents["date"].fillna("").astype(str).str.strip()
    inferred = dates.map(lambda d: _DATE_FORMS.get(len(d), "") if d else "")
    valid = {date: is_date(date) for date in dates.unique() if date}  # each distinct date read once
    for doc_id, date in zip(documents["doc_id"], dates):
        if date and not valid[date]:
            raise CorpuslabError(
                f"metadata date {date!r} of document {doc_id!r} cannot be read; write YYYY, YYYY-MM or YYYY-MM-DD"
            )
    documents = documents.assign(date=dates)
    if "date_precision" not in documents.columns:
        return documents.assign(date_precision=inferred)
    given = documents["date_precision"].fillna("").astype(str)
    bad = given[(given != "") & ~given.isin(DATE_PRECISIONS)]
    if len(bad):
        raise CorpuslabError(f"metadata date_precision {bad.iloc[0]!r}: allowed are {', '.join(DATE_PRECISIONS)}")
    return documents.assign(date_precision=given.where(given != "", inferred))


def is_date(text: str) -> bool:
    """Whether ``text`` is a date in one of the accepted forms, YYYY, YYYY-MM or YYYY-MM-DD, and exists.

    >>> [is_date(d) for d in ("2020", "2020-02", "2020-02-29", "2021-02-29", "2020/01/02", "02/01/2021")]
    [True, True, True, False, False, False]
    """
    if not _DATE_PATTERN.fullmatch(text):
        return False
    form = _DATE_FORMATS[_DATE_FORMS[len(text)]]
    return pd.to_datetime(text, errors="coerce", format=form) is not pd.NaT


def check_sizes(known: dict, max_document_mb: float) -> None:
    """Refuse a document larger than ``max_document_mb`` (usually a whole corpus pasted into one file);
    ``known`` is a :func:`facts` dict.

    >>> check_sizes({"largest_doc_id": "a", "largest_chars": 5}, 1)
    """
    if known["largest_chars"] > max_document_mb * 1_000_000:
        raise CorpuslabError(
            f"document {known['largest_doc_id']!r} has {known['largest_chars'] / 1_000_000:.0f} million characters, "
            f"over corpus.max_document_mb={max_document_mb:g}; "
            "split it into one file per document, or raise corpus.max_document_mb"
        )


def fingerprint(documents: pd.DataFrame) -> str:
    """sha256 over the NFC-normalised text and metadata of every document, in doc_id order.

    >>> df = pd.DataFrame({"doc_id": ["a"], "text": ["Hello"]})
    >>> fingerprint(df) == fingerprint(df.assign(text=["Hello"]))
    True
    """
    digest = hashlib.sha256()
    columns = sorted(c for c in documents.columns if c not in ("text", "raw_text", "n_lines_removed"))
    metadata = {c: [str(v) for v in documents[c]] for c in columns}
    bodies = documents["raw_text" if "raw_text" in documents.columns else "text"]
    for i in np.argsort(documents["doc_id"].to_numpy(dtype=object), kind="stable"):  # one text at a time
        digest.update(unicodedata.normalize("NFC", str(bodies.iat[i])).encode("utf-8"))
        row = {c: metadata[c][i] for c in columns}
        digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def source_stamp(path: str | Path, metadata: str | Path | None = None, follow_symlinks: bool = False) -> list:
    """Name, size and modification time (ns) of every file a corpus is read from."""
    source = Path(path)
    files = folder_files(source, follow_symlinks) if source.is_dir() else [source]
    meta = Path(metadata) if metadata else source / "metadata.csv" if source.is_dir() else None
    files += [meta] if meta is not None and meta.exists() else []
    return [(str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns) for f in files]


def facts(documents: pd.DataFrame) -> dict:
    """fingerprint, n_documents, n_chars and the largest document (largest_doc_id, largest_chars) of a loaded corpus.

    >>> known = facts(pd.DataFrame({"doc_id": ["a", "b"], "text": ["Hi.", "Hello."]}))
    >>> known["n_documents"], known["n_chars"], known["largest_doc_id"], known["largest_chars"]
    (2, 9, 'b', 6)
    """
    sizes = documents["text"].str.len().to_numpy()
    return {"fingerprint": fingerprint(documents), "n_documents": len(documents), "n_chars": int(sizes.sum()),
            "largest_doc_id": str(documents["doc_id"].iat[int(sizes.argmax())]), "largest_chars": int(sizes.max())}
