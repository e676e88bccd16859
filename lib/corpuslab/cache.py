"""A cache of processed tables under ``data/processed/``, keyed by input, params, code and package versions.

The key is a sha256 over the input fingerprint and every setting that shapes the entry (``parts``),
the source of the corpuslab modules that make it (``code``: the modules named and, transitively,
every corpuslab module they import, read from disk) and the versions of Python and of the packages
that shape results (:data:`RESULT_PACKAGES`). So a changed corpus, param, module or package never
reuses a stale entry. Set ``CORPUSLAB_CACHE=off`` to bypass it, ``CORPUSLAB_CACHE_DIR`` to keep it
elsewhere (a scratch disk, a folder every cluster worker sees). When ``CORPUSLAB_CACHE_LOG`` names a
file, each use is appended to it (the runner puts this in the manifest). A cache that cannot be
written (disk full, read-only, not a folder) warns once and the work goes on uncached.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import os
import sys
import threading
import warnings
import zipfile
from collections.abc import Callable, Iterable
from importlib import metadata
from importlib.machinery import PathFinder
from pathlib import Path

import pandas as pd

from corpuslab.resources import DATA_DIR

CACHE_DIR = DATA_DIR / "processed"
PACKAGE = "corpuslab"
PACKAGE_DIR = Path(__file__).resolve().parent  # the package this module was loaded from
RESULT_PACKAGES = ("numpy", "pandas", "scipy", "scikit-learn", "pyarrow", "nltk", "vaderSentiment", "polars", "regex",
                   "simplemma")
_UNREADABLE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)  # a damaged or foreign file: a miss


def key(kind: str, parts: tuple, code: Iterable[str]) -> str:
    """sha256 of ``kind``, ``parts``, the source digest of the ``code`` modules and the package versions.

    >>> key("t", ("a", 1), ["corpuslab.stats"]) == key("t", ("a", 1), ["corpuslab.stats"]) != key("t", ("a", 2),
    ...     ["corpuslab.stats"])
    True
    """
    identity = {"kind": kind, "parts": list(parts), "code": code_digest(code), "packages": package_versions()}
    return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode("utf-8")).hexdigest()


@functools.cache
def package_versions() -> dict[str, str]:
    """Python's version and the installed versions of :data:`RESULT_PACKAGES` (read once per process)."""
    versions = {"python": sys.version.split()[0]}
    for name in RESULT_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def code_digest(modules: Iterable[str]) -> str:
    """sha256 over the source files of ``modules`` (dotted names such as ``"corpuslab.segment"``) and of every
    corpuslab module they import, transitively (imports inside functions too), as they are on disk now.

    Raises ``ValueError`` for a name that is not a corpuslab module (third-party code is keyed by its
    version, :func:`package_versions`) and ``TypeError`` for a single string (a tuple of names is meant).
    """
    modules = _module_names(modules)
    if not modules:
        raise ValueError("code: got no module; allowed: the corpuslab modules whose source makes the entry")
    for name in modules:
        if not _is_own(name) or _source_file(name) is None:
            raise ValueError(f"code: {name!r} is not a corpuslab module; allowed: dotted names such as "
                             f"'corpuslab.segment'")
    digests: dict[str, str] = {}
    todo = list(modules)
    while todo:
        name = todo.pop()
        if name in digests:
            continue
        path = _source_file(name)
        if path is None:  # imported under a guard, or a name imported from a package: nothing on disk
            digests[name] = "absent"
            continue
        digests[name], imports = _module_facts(name, path)
        todo.extend(imports)
    return hashlib.sha256(json.dumps(sorted(digests.items())).encode("utf-8")).hexdigest()


def _module_names(code: Iterable[str]) -> tuple[str, ...]:
    if isinstance(code, str):
        raise TypeError(f"code: got the string {code!r}; allowed: a tuple of module names, e.g. ({code!r},)")
    return tuple(code)


def _is_own(name: str) -> bool:
    return name == PACKAGE or name.startswith(PACKAGE + ".")


def _source_file(name: str) -> Path | None:
    """The source file the next ``import name`` would load (searching this package's folder), or None."""
    spec = _find_spec(name)
    return Path(spec.origin) if spec is not None and spec.origin and spec.origin.endswith(".py") else None


def _find_spec(name: str):
    if name == PACKAGE:
        return PathFinder.find_spec(PACKAGE, [str(PACKAGE_DIR.parent)])
    parent = _find_spec(name.rpartition(".")[0])
    if parent is None or not parent.submodule_search_locations:
        return None
    return PathFinder.find_spec(name, list(parent.submodule_search_locations))


_FACTS: dict[tuple, tuple[str, tuple[str, ...]]] = {}


def _module_facts(name: str, path: Path) -> tuple[str, tuple[str, ...]]:
    """(sha256 of the file's bytes, the corpuslab modules it imports); remembered per (path, mtime, size)."""
    stat = path.stat()
    memo = (name, str(path), stat.st_mtime_ns, stat.st_size)
    if memo not in _FACTS:
        source = path.read_bytes()
        is_package = path.name == "__init__.py"
        _FACTS[memo] = (hashlib.sha256(source).hexdigest(), tuple(sorted(own_imports(source, name, is_package))))
    return _FACTS[memo]


def own_imports(source: str | bytes, name: str, is_package: bool = False) -> set[str]:
    """The corpuslab modules that a module's source imports anywhere in it, and their parent packages and its own.

    ``from corpuslab import x`` names ``corpuslab.x`` (kept if such a module exists) and ``corpuslab``.

    >>> sorted(own_imports("from corpuslab import stats\\ndef f():\\n    from . import tokens", "corpuslab.x"))
    ['corpuslab', 'corpuslab.stats', 'corpuslab.tokens']
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names
                         if _is_own(base) and _source_file(f"{base}.{alias.name}") is not None)
    with_parents = set()
    for module in found | {name}:
        while _is_own(module):  # importing a.b.c runs a and a.b too
            with_parents.add(module)
            module = module.rpartition(".")[0]
    with_parents.discard(name)
    return with_parents


def _log(kind: str, path: Path, hit: bool, full_key: str, code: tuple[str, ...], error: str = "") -> None:
    log = os.environ.get("CORPUSLAB_CACHE_LOG")
    if log:
        entry = {"table": kind, "file": path.name, "hit": hit, "key": full_key, "code": list(code)}
        if error:
            entry["error"] = error
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")


def _folder(folder: Path | None) -> Path:
    return Path(folder or os.environ.get("CORPUSLAB_CACHE_DIR") or CACHE_DIR)


_UNWRITABLE: set[Path] = set()  # folders a write failed in: not tried again by this process


def _cached(kind: str, parts: tuple, code: tuple[str, ...], suffix: str, folder: Path | None, build: Callable,
            read: Callable[[Path, str], object], write: Callable[[object, Path, str], None]):
    """The cached value for (``kind``, ``parts``, ``code``): ``read`` from its file, or built, written and returned.

    ``read(path, key)`` raises (OSError, ValueError, KeyError, ...) for a file that is not a valid entry: it is
    removed and rebuilt. A failing write warns once per folder and returns the value built, uncached.
    """
    if not enabled():
        return build()
    code = _module_names(code)
    full_key = key(kind, parts, code)
    folder = _folder(folder)
    path = folder / f"{kind}-{full_key[:20]}{suffix}"
    if path.is_file():
        try:
            result = read(path, full_key)
            _log(kind, path, True, full_key, code)
            return result
        except _UNREADABLE:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)  # a damaged cache file is rebuilt
    result = build()
    error = "" if folder in _UNWRITABLE else _store(result, path, full_key, write)
    _log(kind, path, False, full_key, code, error)
    return result


def _store(result, path: Path, full_key: str, write: Callable[[object, Path, str], None]) -> str:
    """Write ``result`` to ``path`` through a temporary file (readers never see half a file); "" or the error."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write(result, tmp, full_key)
        os.replace(tmp, path)
        return ""
    except OSError as exc:
        _UNWRITABLE.add(path.parent)
        warnings.warn(f"cache: cannot write to {path.parent} ({exc}); continuing without the cache there "
                      f"(set CORPUSLAB_CACHE_DIR to a writable folder, or CORPUSLAB_CACHE=off)", RuntimeWarning,
                      stacklevel=4)
        return f"{type(exc).__name__}: {exc}"
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def table(kind: str, parts: tuple, build: Callable[[], pd.DataFrame], folder: Path | None = None,
          drop: tuple[str, ...] = (), *, code: tuple[str, ...]) -> pd.DataFrame:
    """Return the cached table for (``kind``, ``parts``, ``code``), building and storing it (Parquet) on a miss.

    Columns named in ``drop`` are left out of the table returned (and, from the cache, never read).
    """
    def read(path: Path, _key: str) -> pd.DataFrame:
        import pyarrow.parquet as pq

        return pd.read_parquet(path, columns=[c for c in pq.read_schema(path).names if c not in drop] if drop else None)

    result = _cached(kind, parts, code, ".parquet", folder, build, read,
                     lambda table, path, _key: table.to_parquet(path, index=False))
    return result.drop(columns=list(drop), errors="ignore")


def arrays(kind: str, parts: tuple, build: Callable[[], dict], folder: Path | None = None,
           names: tuple[str, ...] | None = None, *, code: tuple[str, ...]) -> dict:
    """Return the cached NumPy arrays (a dict of name -> array) for (``kind``, ``parts``, ``code``), building and
    storing them (uncompressed ``.npz``, no pickles) on a miss; only ``names`` if given (the others never read)."""
    import numpy as np

    def read(path: Path, _key: str) -> dict:
        with np.load(path, allow_pickle=False) as stored:
            return {name: stored[name] for name in (names or stored.files)}

    def write(result: dict, path: Path, _key: str) -> None:
        with open(path, "wb") as handle:
            np.savez(handle, **result)

    result = _cached(kind, parts, code, ".npz", folder, build, read, write)
    return {name: result[name] for name in (names or result)}


def enabled() -> bool:
    """Whether the cache is used (``CORPUSLAB_CACHE`` is not ``off``)."""
    return os.environ.get("CORPUSLAB_CACHE", "on") != "off"


def value(kind: str, parts: tuple, build: Callable[[], dict], folder: Path | None = None, *,
          code: tuple[str, ...]) -> dict:
    """Return the cached JSON value (a small dict) for (``kind``, ``parts``, ``code``), building and storing it on
    a miss. The file holds its full key beside the value: anything else found there is a miss."""
    def read(path: Path, full_key: str) -> dict:
        stored = json.loads(path.read_text(encoding="utf-8"))
        if not (isinstance(stored, dict) and stored.get("key") == full_key and isinstance(stored.get("value"), dict)):
            raise ValueError(f"{path.name} is not a cached value")
        return stored["value"]

    def write(result: dict, path: Path, full_key: str) -> None:
        path.write_text(json.dumps({"key": full_key, "value": result}, sort_keys=True), encoding="utf-8")

    return _cached(kind, parts, code, ".json", folder, build, read, write)


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


def texts_digest(texts) -> str:
    """sha256 of a sequence of strings (each one's UTF-8 length, then its bytes), for cache keys: one text at a
    time, without the copies a table of them costs.

    >>> texts_digest(["ab", "c"]) == texts_digest(["ab", "c"]) != texts_digest(["a", "bc"])
    True
    """
    digest = hashlib.sha256()
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()
