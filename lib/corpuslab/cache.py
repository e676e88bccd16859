"""A Parquet cache of processed tables under ``data/processed/``, keyed by input and params.

The key is a sha256 over the input fingerprint and every setting that shapes
the table, so a changed corpus, pattern file or param never reuses a stale
table. Set ``CORPUSLAB_CACHE=off`` to bypass it, ``CORPUSLAB_CACHE_DIR`` to keep it
elsewhere (a scratch disk, a folder every cluster worker sees). When ``CORPUSLAB_CACHE_LOG`` names
a file, each use is appended to it (the runner puts this in the manifest).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

import pandas as pd

from corpuslab.resources import DATA_DIR

CACHE_DIR = DATA_DIR / "processed"
VERSION = 1  # bump when a cached table's construction changes


def key(*parts) -> str:
    """sha256 of the JSON form of ``parts`` (plus the cache version).

    >>> key("a", 1) == key("a", 1) != key("a", 2)
    True
    """
    return hashlib.sha256(json.dumps([VERSION, *parts], sort_keys=True, default=str).encode("utf-8")).hexdigest()


def _log(kind: str, path: Path, hit: bool) -> None:
    log = os.environ.get("CORPUSLAB_CACHE_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"table": kind, "file": path.name, "hit": hit}) + "\n")


def _path(kind: str, parts: tuple, suffix: str, folder: Path | None) -> Path:
    return Path(folder or os.environ.get("CORPUSLAB_CACHE_DIR") or CACHE_DIR) / f"{kind}-{key(kind, *parts)[:20]}{suffix}"


def _cached(kind: str, parts: tuple, suffix: str, folder: Path | None, build: Callable, read: Callable[[Path], object],
            write: Callable[[object, Path], None]):
    """The cached value for (``kind``, ``parts``): ``read`` from its file, or built, written and returned on a miss."""
    if not enabled():
        return build()
    path = _path(kind, parts, suffix, folder)
    if path.exists():
        try:
            result = read(path)
            _log(kind, path, True)
            return result
        except (OSError, ValueError):
            path.unlink(missing_ok=True)  # a damaged cache file is rebuilt
    result = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    write(result, tmp)
    os.replace(tmp, path)  # readers never see half a file
    _log(kind, path, False)
    return result


def table(kind: str, parts: tuple, build: Callable[[], pd.DataFrame], folder: Path | None = None,
          drop: tuple[str, ...] = (), *, code: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return the cached table for (``kind``, ``parts``), building and storing it on a miss.

    Columns named in ``drop`` are left out of the table returned (and, from the cache, never read).
    """
    def read(path: Path) -> pd.DataFrame:
        import pyarrow.parquet as pq

        return pd.read_parquet(path, columns=[c for c in pq.read_schema(path).names if c not in drop] if drop else None)

    result = _cached(kind, parts, ".parquet", folder, build, read,
                     lambda table, path: table.to_parquet(path, index=False))
    return result.drop(columns=list(drop), errors="ignore")


def arrays(kind: str, parts: tuple, build: Callable[[], dict], folder: Path | None = None,
           names: tuple[str, ...] | None = None, *, code: tuple[str, ...] = ()) -> dict:
    """Return the cached NumPy arrays (a dict of name -> array) for (``kind``, ``parts``), building and
    storing them (uncompressed ``.npz``, no pickles) on a miss; only ``names`` if given (the others never read)."""
    import numpy as np

    def read(path: Path) -> dict:
        with np.load(path, allow_pickle=False) as stored:
            return {name: stored[name] for name in (names or stored.files)}

    def write(result: dict, path: Path) -> None:
        with open(path, "wb") as handle:
            np.savez(handle, **result)

    result = _cached(kind, parts, ".npz", folder, build, read, write)
    return {name: result[name] for name in (names or result)}


def enabled() -> bool:
    """Whether the cache is used (``CORPUSLAB_CACHE`` is not ``off``)."""
    return os.environ.get("CORPUSLAB_CACHE", "on") != "off"


def value(kind: str, parts: tuple, build: Callable[[], dict], folder: Path | None = None, *,
          code: tuple[str, ...] = ()) -> dict:
    """Return the cached JSON value (a small dict) for (``kind``, ``parts``), building and storing it on a miss."""
    return _cached(kind, parts, ".json", folder, build, lambda path: json.loads(path.read_text(encoding="utf-8")),
                   lambda result, path: path.write_text(json.dumps(result, sort_keys=True), encoding="utf-8"))


def frame_digest(frame: pd.DataFrame, columns: list[str]) -> str:
    """sha256 of ``columns`` of ``frame`` in Arrow's serialised form (types, lengths, bytes), for cache keys.

    Hashes the column buffers as they are: several times faster than hashing row by row.

    >>> a = pd.DataFrame({"id": [1, 2], "text": ["ab", "c"]})
    >>> frame_digest(a, ["id", "text"]) == frame_digest(a.copy(), ["id", "text"]) != frame_digest(
    ...     a.assign(text=["a", "bc"]), ["id", "text"])
    True
    """
    import pyarrow as pa

    table = pa.Table.from_pandas(frame[columns], preserve_index=False).replace_schema_metadata().combine_chunks()
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return hashlib.sha256(sink.getvalue()).hexdigest()
