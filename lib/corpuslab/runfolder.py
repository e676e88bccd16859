"""The reports folder (``--out``): checking it, making a run's ``.partial-*`` folder, cleaning the ones
dead runs left behind, and moving ``latest``.

A run is written into ``.partial-<run-id>`` and renamed to ``<run-id>`` at the end: the rename is the
commit point. A ``.partial-*`` folder whose process (the ``-p<pid>`` ending of its id) is gone was left by
a run killed without cleanup (SIGKILL, power loss); the next run marks it ``interrupted`` and puts it in
place, or removes it if it holds nothing yet.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
from pathlib import Path

from corpuslab.errors import CorpuslabError
from corpuslab.provenance import write_manifest

_PID_SUFFIX = re.compile(r"-p(\d+)$")


def write_error(folder: Path, exc: OSError) -> CorpuslabError:
    """One line for a folder that cannot be written: no space left, read-only, not allowed, not a folder."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return CorpuslabError(f"--out {str(folder)!r}: no space left on the device ({exc.strerror}); free some space "
                              "there or give --out a folder on another disk")
    return CorpuslabError(f"--out {str(folder)!r} cannot be written ({exc.strerror}); "
                          "give --out a folder you can write")


FULL_BELOW_BYTES = 64 * 1024  # a disk with less free space than this is full for a run (a figure is bigger)


def disk_full(folder: Path) -> bool:
    """Whether the disk holding ``folder`` has (almost) no space left: a failure there is most likely that,
    whatever the error said (a truncated notebook reads as "not JSON")."""
    try:
        return shutil.disk_usage(folder).free < FULL_BELOW_BYTES
    except OSError:
        return False


def prepare(reports_dir: Path) -> Path:
    """Create the reports folder if needed; refuse a path that is a file or cannot be written."""
    reports_dir = Path(reports_dir)
    try:
        if reports_dir.exists() and not reports_dir.is_dir():
            raise CorpuslabError(f"--out {str(reports_dir)!r} is a file, not a folder; give --out a folder "
                                 "(it is created if missing)")
        reports_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(reports_dir, exc) from None
    return reports_dir


def make_partial(reports_dir: Path, run_id: str) -> Path:
    """The run's ``.partial-<run-id>`` folder with its sub-folders."""
    work = reports_dir / f".partial-{run_id}"
    try:
        for sub in ("notebooks", "html", "tables", "figures"):
            (work / sub).mkdir(parents=True)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise write_error(reports_dir, exc) from None
    return work


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists (a process of another user counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner_pid(name: str) -> int | None:
    """The process id at the end of a run id or partial folder name.

    >>> owner_pid(".partial-20261124-221500-123456-p4242"), owner_pid("latest")
    (4242, None)
    """
    match = _PID_SUFFIX.search(name)
    return int(match.group(1)) if match else None


def clean_stale(reports_dir: Path) -> list[str]:
    """Mark and put in place (or remove, if empty) every ``.partial-*`` folder whose process is gone, and
    remove ``.latest-*`` links such processes left; one line per folder saying what was done."""
    lines = []
    for path in sorted(reports_dir.glob(".partial-*")) + sorted(reports_dir.glob(".latest-*")):
        pid = owner_pid(path.name)
        if pid is None or pid == os.getpid() or process_alive(pid):
            continue
        if path.name.startswith(".latest-"):
            with contextlib.suppress(OSError):
                path.unlink()
            continue
        lines.append(_retire(reports_dir, path, pid))
    return lines


def _retire(reports_dir: Path, partial: Path, pid: int) -> str:
    manifest_path = partial / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        shutil.rmtree(partial, ignore_errors=True)
        return f"note: removed {partial.name}, left empty by a run whose process {pid} is gone"
    manifest["status"] = "interrupted"
    manifest["error"] = f"its process {pid} ended without finishing (killed, or the machine stopped)"
    for entry in manifest.get("notebooks", []):
        entry["status"] = {"running": "interrupted", "pending": "not run"}.get(entry.get("status"), entry.get("status"))
    final = reports_dir / partial.name.removeprefix(".partial-")
    try:
        write_manifest(partial, manifest)
        os.replace(partial, final)
    except OSError as exc:
        return f"note: could not retire {partial.name} ({exc.strerror}); remove it by hand"
    return (f"note: {partial.name} was left by a run whose process {pid} is gone: kept as {final.name}, "
            "marked interrupted")


def point_latest(reports_dir: Path, run_id: str) -> None:
    """Move ``latest`` to ``run_id`` atomically (a new link renamed over the old one)."""
    link, tmp = reports_dir / "latest", reports_dir / f".latest-{run_id}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(run_id, tmp)
    os.replace(tmp, link)
