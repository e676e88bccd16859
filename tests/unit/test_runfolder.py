"""The reports folder helpers and the parent-death signal (real processes, real folders)."""

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpuslab import _orphans, runfolder
from corpuslab.errors import CorpuslabError


def test_prepare_creates_the_folder_and_refuses_a_file(tmp_path):
    assert runfolder.prepare(tmp_path / "a" / "b").is_dir()
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(CorpuslabError, match="is a file, not a folder"):
        runfolder.prepare(tmp_path / "f")
    with pytest.raises(CorpuslabError, match="cannot be written"):
        runfolder.prepare(tmp_path / "f" / "sub")


def test_write_error_names_the_folder_and_no_space_left(tmp_path):
    message = str(runfolder.write_error(tmp_path, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))
    assert str(tmp_path) in message and "no space left" in message
    assert not runfolder.disk_full(tmp_path)


def test_make_partial_makes_the_sub_folders(tmp_path):
    work = runfolder.make_partial(tmp_path, "20200101-000000-000000-p1")
    assert work.name == ".partial-20200101-000000-000000-p1"
    assert sorted(p.name for p in work.iterdir()) == ["figures", "html", "notebooks", "tables"]


def test_process_alive():
    assert runfolder.process_alive(os.getpid())
    child = subprocess.Popen(["true"])
    child.wait()
    assert not runfolder.process_alive(child.pid)


def test_clean_stale_leaves_live_runs_and_unrelated_names_alone(tmp_path):
    mine = tmp_path / f".partial-20200101-000000-000000-p{os.getpid()}"
    mine.mkdir()
    (tmp_path / ".partial-odd").mkdir()
    assert runfolder.clean_stale(tmp_path) == []
    assert mine.exists() and (tmp_path / ".partial-odd").exists()


def test_point_latest_moves_the_link(tmp_path):
    runfolder.point_latest(tmp_path, "a")
    runfolder.point_latest(tmp_path, "b")
    assert os.readlink(tmp_path / "latest") == "b" and not list(tmp_path.glob(".latest-*"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_child_that_armed_the_parent_death_signal_dies_with_its_parent():
    child_code = "from corpuslab._orphans import die_with_parent; import time; die_with_parent(); time.sleep(60)"
    parent_code = (f"import subprocess, sys, time; p = subprocess.Popen([sys.executable, '-c', {child_code!r}]); "
                   "print(p.pid, flush=True); time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", parent_code], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(Path(_orphans.__file__).parents[1])})
    child = int(parent.stdout.readline())
    time.sleep(1.0)  # the child has armed itself
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child}").exists() and "Z" not in Path(f"/proc/{child}/stat").read_text().split()[2]:
        assert time.monotonic() < deadline, "the child outlived its parent"
        time.sleep(0.1)
