"""The files of a folder corpus: which are documents, and reading each (``.txt`` by its encoding, other formats
by :mod:`corpuslab.formats`), with the reports of files not read as plain UTF-8 and of files not read at all.
:func:`corpuslab.corpus.load` makes the documents table from them."""

from __future__ import annotations

import stat
from pathlib import Path

import pandas as pd

from corpuslab.encodings import AUTO, decode, detect_encoding, is_utf8
from corpuslab.errors import CorpuslabError
from corpuslab.formats import FORMATS, PROPERTIES, Unreadable, is_folder_documentation, read


def _file_kind(mode: int) -> str:
    """What a non-regular file is, in words (for the error that refuses it)."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a folder" if stat.S_ISDIR(mode) else "a special file"


def folder_files(folder: Path, follow_symlinks: bool = False) -> list[Path]:
    """The visible document files (a suffix of :data:`corpuslab.formats.FORMATS`) of a folder corpus, sorted;
    sub-folders named ``*.txt`` are not files, and hidden files (``.name``, macOS ``._name``, :func:`hidden_files`)
    and the folder's own documentation (README.md, SOURCES.md, :func:`corpuslab.formats.is_folder_documentation`)
    are not documents: all are skipped.

    Raises :class:`CorpuslabError` for a folder that cannot be listed, a symlink loop or a broken
    symlink, a symlink leaving the folder (unless ``follow_symlinks``), and a named pipe, device
    or socket (reading one would hang or never end).
    """
    try:
        entries = sorted(p for p in folder.iterdir() if p.suffix.lower() in FORMATS and not p.name.startswith(".")
                         and not is_folder_documentation(p.name))
    except OSError as exc:
        raise CorpuslabError(f"corpus.path {str(folder)!r} cannot be listed ({exc.strerror}); "
                             "check its permissions") from None
    root = folder.resolve()
    return [entry for entry in entries if _is_document_file(entry, root, follow_symlinks)]


def _is_document_file(entry: Path, root: Path, follow_symlinks: bool) -> bool:
    if entry.is_symlink():
        try:
            target = entry.resolve(strict=True)
        except (OSError, RuntimeError) as exc:  # RuntimeError: a loop, on Python 3.11 and 3.12
            problem = "a broken symlink" if isinstance(exc, FileNotFoundError) else "a symlink loop"
            raise CorpuslabError(f"{str(entry)!r} is {problem}; remove it or point it at a text file") from None
        if not follow_symlinks and not target.is_relative_to(root):
            raise CorpuslabError(f"{str(entry)!r} is a symlink to {str(target)!r}, outside the corpus folder; copy the "
                                 "file into the folder, or set corpus.follow_symlinks: true to read it")
    mode = entry.stat().st_mode
    if stat.S_ISDIR(mode):
        return False
    if not stat.S_ISREG(mode):
        raise CorpuslabError(f"{str(entry)!r} is {_file_kind(mode)}, not a text file; remove it from the corpus folder")
    return True


def hidden_files(folder: Path) -> list[Path]:
    """The hidden document files of a folder (``.name``, ``._name`` of macOS), which are skipped."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FORMATS and p.name.startswith("."))


def read_folder(folder: Path, encoding: str = AUTO, follow_symlinks: bool = False) -> pd.DataFrame:
    """doc_id, text, source_file, format, encoding, n_bad_bytes, reason (why it could not be read; empty if it
    was) and the document properties found (:data:`corpuslab.formats.PROPERTIES`) of each visible document file.

    With ``encoding="auto"`` the ``.txt`` files that are not UTF-8 are decoded in the one encoding detected
    on all of them together where it fits (a corpus is usually in one legacy encoding), else their own.
    The doc_id is the file name without its suffix, or with it where two files differ only by suffix.
    """
    files = folder_files(folder, follow_symlinks)
    if not files:
        raise CorpuslabError(f"corpus.path {str(folder)!r} has no .txt files or other documents "
                             "(.pdf, .docx, .html, .htm, .md); put one file per document there")
    formats = [FORMATS[f.suffix.lower()] for f in files]
    raws = [_read_bytes(f) for f in files]
    prefer = None
    if encoding == AUTO:
        legacy = [r for r, fmt in zip(raws, formats) if fmt == "txt" and not is_utf8(r)]
        prefer = detect_encoding(b"\n".join(legacy)) if legacy else None
    stems = pd.Series([f.stem for f in files])
    rows = []
    for f, raw, fmt, twin in zip(files, raws, formats, stems.duplicated(keep=False)):
        row = {"doc_id": f.name if twin else f.stem, "text": "", "source_file": f.name, "format": fmt, "reason": ""}
        if fmt == "txt":
            text, used, n_bad = decode(raw, encoding, str(f), prefer=prefer)
            rows.append({**row, "text": text, "encoding": used, "n_bad_bytes": n_bad})
            continue
        try:
            got = read(raw, fmt, str(f), encoding)
        except Unreadable as exc:
            rows.append({**row, "encoding": "", "n_bad_bytes": 0, "reason": str(exc)})
            continue
        rows.append({**row, "text": got.text, "encoding": got.encoding, "n_bad_bytes": got.n_bad_bytes,
                     **got.properties})
    table = pd.DataFrame(rows)
    return table.astype({"pages": "Int64"}) if "pages" in table.columns else table


def _load_folder(folder: Path, encoding: str, follow_symlinks: bool = False) -> pd.DataFrame:
    """The readable documents of a folder: ``format`` and property columns only where a file has them."""
    read_ = read_folder(folder, encoding, follow_symlinks)
    failed = read_[read_["reason"] != ""]
    if len(failed) == len(read_):
        raise CorpuslabError(f"corpus.path {str(folder)!r}: no file can be read ({failed['source_file'].iat[0]}: "
                             f"{failed['reason'].iat[0]}" + (f"; and {len(failed) - 1} more" if len(failed) > 1 else "")
                             + "); add readable documents")
    documents = read_[read_["reason"] == ""].drop(columns=["encoding", "n_bad_bytes", "reason"])
    empty = [c for c in PROPERTIES if c in documents.columns and not documents[c].notna().any()]
    if (documents["format"] == "txt").all():
        empty.append("format")
    documents = documents.drop(columns=empty).reset_index(drop=True)
    strings = [c for c in ("title", "author", "date") if c in documents.columns]
    return documents.fillna({c: "" for c in strings})


def unreadable_report(path: str | Path, encoding: str = AUTO, follow_symlinks: bool = False) -> pd.DataFrame:
    """For a folder corpus: each file that could not be read (file, format, reason); empty for a table corpus."""
    source = Path(path)
    if not source.is_dir():
        return pd.DataFrame(columns=["file", "format", "reason"])
    read_ = read_folder(source, encoding, follow_symlinks)
    return read_.loc[read_["reason"] != "", ["source_file", "format", "reason"]].rename(
        columns={"source_file": "file"}).reset_index(drop=True)


def encoding_report(path: str | Path, encoding: str = AUTO, follow_symlinks: bool = False) -> pd.DataFrame:
    """For a folder corpus: each file not read as plain UTF-8 (file, encoding, n_bad_bytes) and, as
    ``hidden``, the hidden files skipped; empty for a table corpus and an all-UTF-8 folder."""
    source = Path(path)
    columns = ["file", "encoding", "n_bad_bytes"]
    if not source.is_dir():
        return pd.DataFrame(columns=columns)
    read_ = read_folder(source, encoding, follow_symlinks)
    odd = read_[(read_["encoding"] != "") & ((read_["encoding"] != "utf-8") | (read_["n_bad_bytes"] > 0))]
    rows = odd.rename(columns={"source_file": "file"})[columns]
    hidden = pd.DataFrame({"file": [f.name for f in hidden_files(source)], "encoding": "hidden: skipped",
                           "n_bad_bytes": 0})
    return pd.concat([rows, hidden], ignore_index=True) if len(hidden) else rows.reset_index(drop=True)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CorpuslabError(f"{str(path)!r} cannot be read ({exc.strerror}); check its permissions") from None
