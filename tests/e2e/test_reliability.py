"""Reliability cases that need the machine's help: a full disk (a small tmpfs, mounted as root) and a second
identity (for permissions, which root ignores). Each is skipped, with the reason, where the machine cannot."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpuslab.resources import PROJECT_ROOT

from ..conftest import TINY


def corpuslab(*args: str, prefix: tuple[str, ...] = (), cwd: Path = PROJECT_ROOT, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, sys.executable, "-m", "corpuslab", "run", "--quiet", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs: room for a run's start, not for its notebooks and figures."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or 'not root'}): the disk-full case "
                    "needs one (a file-size ulimit would only simulate it)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_under_out_is_named_in_one_line(small_disk):
    result = corpuslab("--out", str(small_disk / "reports"), "--set", f"corpus.path={TINY}", "--set", "topics.k=2",
                       "--set", "topics.min_unit_tokens=3", "--only", "00,01")
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and "no space left" in lines[0] and str(small_disk / "reports") in lines[0], result.stderr
    assert "NotJSONError" not in result.stderr and "Traceback" not in result.stderr


def test_the_next_run_retires_what_a_full_disk_left(small_disk, tmp_path):
    reports = small_disk / "reports"
    corpuslab("--out", str(reports), "--set", f"corpus.path={TINY}", "--only", "00,01", "--set", "topics.k=2")
    left = list(reports.glob(".partial-*"))
    moved = tmp_path / "reports"
    shutil.copytree(reports, moved, symlinks=True)  # the next run, on a disk with room
    result = corpuslab("--out", str(moved), "--set", f"corpus.path={TINY}", "--only", "00")
    assert result.returncode == 0, result.stderr
    assert not list(moved.glob(".partial-*"))
    assert len([line for line in result.stderr.splitlines() if line.startswith("note:")]) == len(left)


@pytest.fixture
def shared_tmp():
    """A folder another user can reach (pytest's own tmp folders are private to root)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="corpuslab-second-identity-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def second_identity() -> tuple[str, ...]:
    """A command prefix that runs as the unprivileged user ``nobody`` (root can; others skip)."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("running as a second identity needs root and setpriv (util-linux); permissions are not checked")
    prefix = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--")
    if subprocess.run([*prefix, "test", "-r", str(PROJECT_ROOT / "lib" / "corpuslab" / "__init__.py")]).returncode:
        pytest.skip(f"user nobody cannot read the project at {PROJECT_ROOT} (a private folder); permissions are not "
                    "checked")
    return prefix


AS_USER = """
import sys
from pathlib import Path
from corpuslab import corpus, runfolder
from corpuslab.errors import CorpuslabError
try:
    if sys.argv[1] == "corpus":
        corpus.load(sys.argv[2])
    else:
        runfolder.make_partial(runfolder.prepare(Path(sys.argv[2])), "20200101-000000-000000-p1")
except CorpuslabError as exc:
    print(f"error: {exc}", file=sys.stderr)
    sys.exit(2)
"""


def as_second_identity(*args: str) -> subprocess.CompletedProcess:
    """The corpus loading or run-folder step as user ``nobody`` (the whole CLI needs the forkserver, which this
    machine's Python under /root cannot start for another user)."""
    return subprocess.run([*second_identity(), sys.executable, "-c", AS_USER, *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT / "lib"), "HOME": "/tmp"})


def test_an_unreadable_corpus_folder_is_one_line(shared_tmp):
    corpus = shared_tmp / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("China and Russia met.", encoding="utf-8")
    corpus.chmod(0o300)  # no read: cannot be listed
    result = as_second_identity("corpus", str(corpus))
    assert result.returncode == 2, result.stderr
    assert "cannot be listed" in result.stderr and "permissions" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("where", ["read-only folder", "under a read-only folder"])
def test_a_read_only_out_folder_is_one_line(shared_tmp, where):
    reports = shared_tmp / "reports"
    reports.mkdir()
    reports.chmod(0o555)
    out = reports if where == "read-only folder" else reports / "sub"
    result = as_second_identity("out", str(out))
    assert result.returncode == 2, result.stderr
    assert "cannot be written" in result.stderr and str(out) in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert os.listdir(reports) == []
