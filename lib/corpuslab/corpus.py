"""Loading a corpus from any supported source, metadata, cleaning and fingerprint.

A corpus becomes a *documents table*: ``doc_id`` (unique string), ``text``, then
metadata columns. Sources: a folder of ``.txt`` files (+ an optional metadata
CSV), or a ``.csv`` / ``.jsonl`` / ``.parquet`` table with a text column.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from corpuslab.errors import CorpuslabError
from corpuslab.resources import CLEANING_PATTERNS

TABLE_SUFFIXES = (".csv", ".jsonl", ".parquet")
DATE_PRECISIONS = ("day", "month", "year")
_DATE_FORMS = {4: "year", 7: "month", 10: "day"}


def load(
    path: str | Path,
    *,
    metadata: str | Path | None = None,
    text_column: str = "text",
    id_column: str = "doc_id",
    encoding: str = "utf-8",
) -> pd.DataFrame:
    """Load a corpus into a documents table.

    Parameters
    ----------
    path
        A folder of ``.txt`` files, or a ``.csv``, ``.jsonl`` or ``.parquet`` file.
    metadata
        For a folder: a CSV with a ``doc_id`` (or ``source_file``) column, one row
        per file. ``None`` uses the folder's ``metadata.csv`` if there is one.
    text_column, id_column
        Column names in a table source. Without an id column, ids are made from
        the row order (``doc00001`` ...).
    encoding
        Encoding of the text files (a UTF-8 byte-order mark is always removed).

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
        raise CorpuslabError(f"corpus.path {str(source)!r} does not exist; give a folder of .txt files or a .csv/.jsonl/.parquet file")
    if source.is_dir():
        documents = _load_folder(source, encoding)
        meta_path = Path(metadata) if metadata else source / "metadata.csv"
        if metadata or meta_path.exists():
            documents = _join_metadata(documents, _read_metadata(meta_path, encoding))
    elif source.suffix.lower() in TABLE_SUFFIXES:
        documents = _load_table(source, text_column, id_column, encoding)
    else:
        raise CorpuslabError(
            f"corpus.path {str(source)!r} is a {source.suffix or 'suffix-less'} file; "
            f"give a folder of .txt files or a {'/'.join(TABLE_SUFFIXES)} file"
        )
    return _finish(documents, str(source))


def _decode(raw: bytes, encoding: str, where: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 byte-order mark is unambiguous
        encoding = "utf-16"
    elif raw.startswith(b"\xef\xbb\xbf") and encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CorpuslabError(
            f"{where}: not valid {encoding} (byte {exc.start}); set corpus.encoding to the file's encoding, e.g. latin-1, cp1252 or utf-16"
        ) from None
    if "\x00" in text:
        raise CorpuslabError(f"{where}: contains NUL characters (binary, or UTF-16 read as {encoding}); remove the file or set corpus.encoding")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _load_folder(folder: Path, encoding: str) -> pd.DataFrame:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
    if not files:
        raise CorpuslabError(f"corpus.path {str(folder)!r} has no .txt files; put one UTF-8 text file per document there")
    rows = [{"doc_id": f.stem, "text": _decode(_read_bytes(f), encoding, str(f)), "source_file": f.name} for f in files]
    return pd.DataFrame(rows)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CorpuslabError(f"{str(path)!r} cannot be read ({exc.strerror}); check its permissions") from None


def _read_metadata(path: Path, encoding: str) -> pd.DataFrame:
    if not path.exists():
        raise CorpuslabError(f"corpus.metadata {str(path)!r} does not exist; give a CSV with a doc_id column or leave it empty")
    try:
        meta = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise CorpuslabError(f"corpus.metadata {str(path)!r} cannot be read as CSV ({exc}); save it as {encoding} CSV with a header row") from None
    if "doc_id" not in meta.columns and "source_file" not in meta.columns:
        raise CorpuslabError(f"corpus.metadata {str(path)!r} has no doc_id or source_file column; add one naming each file")
    return meta


def _join_metadata(documents: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    key = "doc_id" if "doc_id" in meta.columns else "source_file"
    if key == "source_file":
        meta = meta.assign(doc_id=meta["source_file"].map(lambda name: Path(name).stem))
    dupes = sorted(meta["doc_id"][meta["doc_id"].duplicated()].unique())
    if dupes:
        raise CorpuslabError(f"corpus.metadata: duplicate doc_id {dupes[0]!r}; give each document one row")
    missing_files = sorted(set(meta["doc_id"]) - set(documents["doc_id"]))
    if missing_files:
        raise CorpuslabError(
            f"corpus.metadata: row {missing_files[0]!r} has no matching .txt file ({len(missing_files)} such rows); remove the row or add the file"
        )
    missing_rows = sorted(set(documents["doc_id"]) - set(meta["doc_id"]))
    if missing_rows:
        raise CorpuslabError(
            f"corpus.metadata: file {missing_rows[0]!r}.txt has no metadata row ({len(missing_rows)} such files); add a row for it"
        )
    meta = meta.drop(columns=[c for c in ("text", "source_file") if c in meta.columns])
    return documents.merge(meta, on="doc_id", how="left", validate="one_to_one")


def _load_table(path: Path, text_column: str, id_column: str, encoding: str) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[], encoding=encoding)
        elif suffix == ".jsonl":
            table = pd.read_json(path, lines=True, dtype=False, encoding=encoding)
        else:
            table = pd.read_parquet(path)
    except (ValueError, UnicodeDecodeError, OSError, pd.errors.ParserError) as exc:
        raise CorpuslabError(f"corpus.path {str(path)!r} cannot be read as {suffix[1:]} ({str(exc).splitlines()[0]}); check the file") from None
    if text_column not in table.columns:
        raise CorpuslabError(
            f"corpus.text_column {text_column!r} is not a column of {str(path)!r}; columns are {', '.join(map(str, table.columns))}"
        )
    if table[text_column].isna().any():
        first = int(table[text_column].isna().to_numpy().nonzero()[0][0])
        raise CorpuslabError(f"{str(path)!r}: column {text_column!r} is empty in row {first + 1}; fill it or drop the row")
    table = table.rename(columns={text_column: "text"})
    if id_column in table.columns:
        table = table.rename(columns={id_column: "doc_id"})
    else:
        table.insert(0, "doc_id", [f"doc{i:05d}" for i in range(1, len(table) + 1)])
    table["doc_id"] = table["doc_id"].astype(str)
    table["text"] = table["text"].astype(str).str.replace("\r\n", "\n").str.replace("\r", "\n")
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
    for doc_id, date, precision in zip(documents["doc_id"], dates, inferred):
        if date and (not precision or pd.to_datetime(date, errors="coerce", format="mixed") is pd.NaT):
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
        digest.update(json.dumps({c: metadata[c][i] for c in columns}, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def source_stamp(path: str | Path, metadata: str | Path | None = None) -> list:
    """Name, size and modification time (ns) of every file a corpus is read from."""
    source = Path(path)
    files = sorted(p for p in source.iterdir() if p.suffix.lower() == ".txt" and p.is_file()) if source.is_dir() else [source]
    meta = Path(metadata) if metadata else source / "metadata.csv" if source.is_dir() else None
    files += [meta] if meta is not None and meta.exists() else []
    return [(str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns) for f in files]


def facts(path: str | Path, *, metadata: str | Path | None = None, text_column: str = "text", id_column: str = "doc_id",
          encoding: str = "utf-8", documents=None) -> dict:
    """fingerprint, n_documents, n_chars and the largest document (largest_doc_id, largest_chars) of a corpus.

    Remembered in the cache by the files' names, sizes and modification times (:func:`source_stamp`),
    so an unchanged corpus is not read again just to be recognised; ``documents`` (a callable returning
    the loaded corpus) lets a caller that loads it anyway share the load. Raises like :func:`load`.
    """
    from corpuslab import cache

    source = Path(path)
    if not source.exists():
        load(path)  # raises the error naming the path

    def measure() -> dict:
        table = documents() if documents else load(path, metadata=metadata, text_column=text_column,
                                                   id_column=id_column, encoding=encoding)
        sizes = table["text"].str.len().to_numpy()
        return {"fingerprint": fingerprint(table), "n_documents": len(table), "n_chars": int(sizes.sum()),
                "largest_doc_id": str(table["doc_id"].iat[int(sizes.argmax())]), "largest_chars": int(sizes.max())}

    return cache.value("corpus_facts", (source_stamp(path, metadata), text_column, id_column, encoding), measure)


# ---------------------------------------------------------------- cleaning


@dataclass(frozen=True)
class Rule:
    """One cleaning rule: a full-line pattern, or a builtin check."""

    name: str
    pattern: re.Pattern | None
    builtin: str | None
    why: str


def read_rules(path: str | Path = CLEANING_PATTERNS) -> list[Rule]:
    """Read cleaning rules from a YAML file (see ``data/cleaning/furniture.yaml``)."""
    spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    rules = []
    for item in spec["rules"]:
        pattern = re.compile(item["pattern"], re.IGNORECASE) if "pattern" in item else None
        rules.append(Rule(item["name"], pattern, item.get("builtin"), item.get("why", "")))
    return rules


def _any_pattern(rules: list[Rule]) -> re.Pattern | None:
    """One regex matching a line that any pattern rule matches: most lines are then ruled out in one call."""
    patterns = [f"(?:{r.pattern.pattern})" for r in rules if r.pattern is not None]
    try:
        return re.compile("|".join(patterns), re.IGNORECASE) if patterns else None
    except re.error:  # e.g. a rule with its own global flags: check rule by rule
        return None


def _line_rule(line: str, previous: str, index: int, author: str, rules: list[Rule],
               any_pattern: re.Pattern | None = None) -> str | None:
    stripped = line.strip()
    if not stripped:
        return None
    if any_pattern is not None and stripped != previous and not (author and index < 10) \
            and not any_pattern.fullmatch(stripped):
        return None  # no pattern matches, and neither built-in rule can apply
    for rule in rules:
        if rule.pattern is not None and rule.pattern.fullmatch(stripped):
            return rule.name
        if rule.builtin == "repeated_line" and stripped == previous:
            return rule.name
        if rule.builtin == "byline" and author and index < 10 and stripped == author:
            return rule.name
    return None


def _clean_text(text: str, author: str, rules: list[Rule], any_pattern: re.Pattern | None = None
                ) -> tuple[str, list[dict]]:
    kept, removed, previous = [], [], ""
    for index, line in enumerate(text.split("\n")):
        rule = _line_rule(line, previous, index, author, rules, any_pattern)
        if rule is None:
            kept.append(line)
        else:
            removed.append({"line_no": index + 1, "rule": rule, "text": line.strip()})
        if line.strip():
            previous = line.strip()
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
    return cleaned, removed


def clean(documents: pd.DataFrame, rules: list[Rule] | None = None, *, engine: str = "local", n_jobs: int = 1,
          scheduler: str = "") -> pd.DataFrame:
    """Remove page-furniture lines; keep the original text in ``raw_text``.

    Adds ``n_lines_removed``. See :func:`removed_lines` for what was removed.
    A large corpus is cleaned in partitions over ``n_jobs`` processes or a Dask cluster (the same table).

    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["Advertisement\\nReal text."]})
    >>> clean(docs).loc[0, "text"]
    'Real text.'
    """
    from corpuslab import engine as engines

    rules = read_rules() if rules is None else rules
    work = documents[["text"]].assign(author=documents["author"] if "author" in documents.columns else "")
    if engines.worth_parallel(work, n_jobs, engine):
        cleaned = engines.map_tables(partial(_clean_table, rules=rules), work, engine=engine, n_jobs=n_jobs,
                                     scheduler=scheduler)
    else:
        cleaned = _clean_table(work, rules)
    out = documents.copy()
    out.insert(2, "raw_text", documents["text"])
    out["text"] = cleaned["text"].set_axis(out.index)
    out["n_lines_removed"] = cleaned["n_lines_removed"].set_axis(out.index)
    return out


def _clean_table(documents: pd.DataFrame, rules: list[Rule]) -> pd.DataFrame:
    """text (cleaned) and n_lines_removed of each row of a (text, author) table."""
    screen = _any_pattern(rules)
    results = [_clean_text(t, a, rules, screen) for t, a in zip(documents["text"], documents["author"].fillna("").astype(str))]
    return pd.DataFrame({"text": [cleaned for cleaned, _ in results],
                         "n_lines_removed": np.array([len(removed) for _, removed in results], dtype=np.int64)})


def removed_lines(documents: pd.DataFrame, rules: list[Rule] | None = None) -> pd.DataFrame:
    """One row per line that :func:`clean` removes: doc_id, line_no, rule, text.

    On a table :func:`clean` returned (default rules), only documents that lost lines are read again.
    """
    if "n_lines_removed" in documents.columns and "raw_text" not in documents.columns:
        raise CorpuslabError("removed_lines: this table is cleaned and lacks the text before cleaning; "
                             "load it with corpus.from_params(cfg, raw_text=True)")
    if rules is None and "n_lines_removed" in documents.columns:  # cleaned with these same rules
        documents = documents[documents["n_lines_removed"].fillna(1).to_numpy() > 0]
    rules = read_rules() if rules is None else rules
    screen = _any_pattern(rules)
    source = documents["raw_text"] if "raw_text" in documents.columns else documents["text"]
    authors = documents["author"].fillna("").astype(str) if "author" in documents.columns else [""] * len(documents)
    rows = [
        {"doc_id": doc_id, **item}
        for doc_id, text, author in zip(documents["doc_id"], source, authors)
        for item in _clean_text(text, author, rules, screen)[1]
    ]
    return pd.DataFrame(rows, columns=["doc_id", "line_no", "rule", "text"])


def from_params(cfg: dict, *, raw_text: bool = False) -> pd.DataFrame:
    """Load (and, if ``corpus.clean``, clean) the corpus that resolved params describe.

    The text before cleaning (column ``raw_text``) is kept only if asked for: only the
    cleaning report needs it, and on a large corpus it doubles the memory a table takes.
    """
    source = {"metadata": cfg["corpus.metadata"] or None, "text_column": cfg["corpus.text_column"],
              "id_column": cfg["corpus.id_column"], "encoding": cfg["corpus.encoding"]}
    if not cfg["corpus.clean"]:
        return load(cfg["corpus.path"], **source)
    from corpuslab import cache
    from corpuslab.resources import sha256_of

    loaded: list[pd.DataFrame] = []

    def documents() -> pd.DataFrame:  # read at most once, and only if the cache cannot answer
        if not loaded:
            loaded.append(load(cfg["corpus.path"], **source))
        return loaded[0]

    parts = (facts(cfg["corpus.path"], **source, documents=documents)["fingerprint"], sha256_of(CLEANING_PATTERNS))
    return cache.table("documents", parts, lambda: clean(documents(), engine=cfg["engine"], n_jobs=cfg["n_jobs"],
                                                       scheduler=cfg["dask.scheduler"]),
                       drop=() if raw_text else ("raw_text",))


MAX_VIEW_GROUPS = 12  # figures and wide tables show at most this many panels or columns


def view_groups(documents: pd.DataFrame, *, max_groups: int = MAX_VIEW_GROUPS) -> tuple[pd.Series, str]:
    """One display group per document, for figures and side-by-side tables, and the grouping's name.

    A small corpus is shown document by document (its ``label``); a larger one by
    round spans of years (1, 2, 5, 10, 20 … years; at most ``max_groups``) when it is dated,
    else as one group. Tables keep every document: this only decides what is drawn.

    >>> docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(30)], "date": [str(1992 + i) for i in range(30)]})
    >>> groups, name = view_groups(docs, max_groups=4)
    >>> name, groups.unique().tolist()
    ('period', ['1990–1999', '2000–2009', '2010–2019', '2020–2029'])
    """
    if len(documents) <= max_groups:
        names = labels(documents)
        return documents["doc_id"].map(names).rename("group"), "document"
    years = pd.to_numeric(documents.get("date", pd.Series("", index=documents.index)).fillna("").astype(str).str[:4],
                          errors="coerce")
    if years.isna().all():
        return pd.Series("all documents", index=documents.index, name="group"), "corpus"
    first, last = int(years.min()), int(years.max())
    span = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 10_000) if last // s - first // s < max_groups)
    start = (years // span) * span  # round spans: decades, quarter-centuries …
    spans = ["undated" if pd.isna(a) else f"{int(a)}–{int(a) + span - 1}" if span > 1 else str(int(a)) for a in start]
    return pd.Series(spans, index=documents.index, name="group"), "period"


def labels(documents: pd.DataFrame) -> dict[str, str]:
    """A short display name per doc_id: the ``label`` column if present, else the doc_id."""
    if "label" in documents.columns:
        named = documents["label"].fillna("").astype(str)
        return {d: (n or d) for d, n in zip(documents["doc_id"], named)}
    return {d: d for d in documents["doc_id"]}
