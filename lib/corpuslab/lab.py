"""``corpuslab lab``: JupyterLab on 127.0.0.1 for research (notebooks/) or a class (student or teacher exercises).

Owns the server's command line, its token and the URL it really serves. The token reaches
Jupyter through the environment (``JUPYTER_TOKEN``), never the command line, so other users of
a shared machine cannot read it with ``ps`` (a process's environment is readable only by its
user). The URL is read back from the server's own runtime file (``jpserver-<pid>.json``), so a
busy port (Jupyter then moves to the next free one) still prints the address that works.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from corpuslab.errors import CorpuslabError
from corpuslab.resources import NOTEBOOKS_DIR

MODES = ("research", "student", "teacher")
START_TIMEOUT = 180.0  # seconds for JupyterLab to write its runtime file


def lab_command(port: int, open_browser: bool, root: Path = NOTEBOOKS_DIR) -> list[str]:
    """The JupyterLab command line: loopback only, rooted at ``root``; no token on it (see :func:`lab_environment`).

    >>> command = lab_command(8888, open_browser=False, root=Path("/tmp"))
    >>> "--ip=127.0.0.1" in command and "--no-browser" in command and not any("token" in c for c in command)
    True
    """
    command = [sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", f"--port={port}",
               f"--ServerApp.root_dir={root}"]
    if not open_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def lab_environment(token: str, base: dict | None = None) -> dict:
    """The server's environment: ``base`` (default: this process's) with ``JUPYTER_TOKEN`` set.

    >>> lab_environment("s3cret", {"PATH": "/bin"})
    {'PATH': '/bin', 'JUPYTER_TOKEN': 's3cret'}
    >>> lab_environment("", {})
    Traceback (most recent call last):
    corpuslab.errors.CorpuslabError: JupyterLab token: got an empty token; allowed: a non-empty secret
    """
    if not token:
        raise CorpuslabError("JupyterLab token: got an empty token; allowed: a non-empty secret")
    return {**(os.environ if base is None else base), "JUPYTER_TOKEN": token}


def new_token(environ=os.environ) -> str:
    """``CORPUSLAB_LAB_TOKEN`` (or ``JUPYTER_TOKEN``) when set, else a fresh 48-hex-digit secret."""
    return environ.get("CORPUSLAB_LAB_TOKEN") or environ.get("JUPYTER_TOKEN") or secrets.token_hex(24)


def runtime_file(pid: int) -> Path:
    """Where the Jupyter server of process ``pid`` writes its URL, port and root (``jpserver-<pid>.json``)."""
    from jupyter_core.paths import jupyter_runtime_dir

    return Path(jupyter_runtime_dir()) / f"jpserver-{pid}.json"


def lab_url(info: dict, token: str) -> str:
    """The URL to open, from the server's runtime info: the port it really bound, with the token.

    >>> lab_url({"port": 8889, "base_url": "/"}, "abc")
    'http://127.0.0.1:8889/lab?token=abc'
    """
    return f"http://127.0.0.1:{int(info['port'])}{info.get('base_url', '/')}lab?token={token}"


def wait_for_server(proc: subprocess.Popen, timeout: float = START_TIMEOUT) -> dict:
    """The runtime info of the server ``proc`` runs, once it serves; raises if it exits or takes too long."""
    path = runtime_file(proc.pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise CorpuslabError(f"JupyterLab: exited with status {proc.returncode} before serving "
                                 "(its log is above); check --port and the notebooks folder")
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            time.sleep(0.2)
    proc.terminate()
    raise CorpuslabError(f"JupyterLab: not serving after {timeout:.0f} s; stopped it")


def classroom_root(mode: str, out: Path, *, source: Path = NOTEBOOKS_DIR / "exercises") -> Path:
    """The folder a class mode serves, built if needed: ``out/student`` or ``out/teacher`` (executed).

    Notebooks already there are kept (a student's answers are never overwritten); run
    ``corpuslab exercises`` to rebuild every version from the sources.
    """
    from corpuslab import handouts, pipeline

    kernel = pipeline.kernel_name() if mode == "teacher" else None
    folder = Path(out) / mode
    kept = sorted(p.name for p in folder.glob("*.ipynb")) if folder.is_dir() else []
    if mode == "teacher" and len(kept) < len(list(source.glob("*.ipynb"))):
        print("running the teacher notebooks once to store their expected outputs (a minute or two)", flush=True)
    handouts.build(source, out, kernel=kernel, kinds=(mode,), keep_existing=True)
    if kept:
        print(f"kept {len(kept)} notebook(s) already in {folder} (your work); "
              f"`corpuslab exercises --out {out}` rebuilds them all", flush=True)
    return folder


def serve(root: Path, *, port: int, token: str, open_browser: bool) -> int:
    """Run JupyterLab on ``root`` until it stops; print the URL it really serves. Returns its exit status."""
    if not Path(root).is_dir():
        raise CorpuslabError(f"lab --notebooks: got {root}, which is not a folder; allowed: a folder of notebooks")
    proc = subprocess.Popen(lab_command(port, open_browser, Path(root)), env=lab_environment(token))
    previous = signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        info = wait_for_server(proc)
        moved = f" (port {port} was busy)" if int(info["port"]) != port else ""
        print(f"\nJupyterLab serving {root}{moved}:\n    {lab_url(info, token)}\n", flush=True)
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        proc.wait(timeout=60)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=60)
