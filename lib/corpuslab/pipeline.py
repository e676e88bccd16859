"""Running the numbered notebooks with papermill into a run folder.

A run: validate params and the corpus, execute each notebook in a real Jupyter
kernel into ``reports/.partial-<run-id>/``, check each notebook's declared
tables, export HTML with code hidden, write ``index.html`` and
``manifest.json``, rename the folder into place, and move ``reports/latest``
to it only if every notebook succeeded.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import tempfile
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Iterable, Sequence

from corpuslab import corpus, params
from corpuslab.errors import CorpuslabError
from corpuslab.report import bibtex, check_tables, methods_paragraph, render_index
from corpuslab.resources import (CLEANING_PATTERNS, NLTK_DATA_DIR, NOTEBOOKS_DIR, PROJECT_ROOT, REFERENCES,
                                  REPORTS_DIR, sha256_of)

KERNEL_NAME = "corpuslab"
TEMPLATES_DIR = Path(__file__).parent / "templates"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
RECORDED_PACKAGES = (
    "corpuslab", "pandas", "numpy", "scipy", "scikit-learn", "nltk", "vaderSentiment", "matplotlib",
    "pyarrow", "papermill", "nbconvert", "ipykernel", "jupyter_client", "PyYAML",
)


class RunInterrupted(Exception):
    """Raised inside a run when SIGINT or SIGTERM arrives."""


@dataclass
class RunResult:
    """What a run produced: its folder, overall status and the manifest written there."""

    run_dir: Path
    status: str
    manifest: dict
    exit_code: int
    message: str = ""


def notebook_paths(only: Sequence[str] | None = None, folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The numbered notebooks to run, in order; ``only`` picks them by number ("01", "03")."""
    found = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not only:
        return found
    wanted = {o.strip() for o in only if o.strip()}
    chosen = [p for p in found if p.name[:2] in wanted or p.stem in wanted]
    unknown = wanted - {p.name[:2] for p in chosen} - {p.stem for p in chosen}
    if unknown:
        raise CorpuslabError(
            f"--only: no notebook {sorted(unknown)[0]!r}; allowed: {', '.join(p.name[:2] for p in found)}"
        )
    return chosen


def new_run_id(now: datetime | None = None) -> str:
    """A run id that sorts by time and is unique per process: ``20261124-221500-123456-p4242``."""
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%d-%H%M%S-%f") + f"-p{os.getpid()}"


def declared_tables(notebook: Path) -> list[str]:
    """The tables a notebook declares in its metadata (``corpuslab.tables``)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return list(nb.get("metadata", {}).get("corpuslab", {}).get("tables", []))


def notebook_variables(notebook: Path) -> set[str]:
    """Names assigned in the notebook's ``parameters`` cell."""
    import papermill

    return set(papermill.inspect_notebook(str(notebook)))


def git_commit() -> str:
    """The project's git commit (``+dirty`` if files changed), or ``unknown``."""
    try:
        head = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def package_versions(names: Iterable[str] = RECORDED_PACKAGES) -> dict[str, str]:
    """Installed versions of the packages that shape results."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def resource_hashes() -> dict[str, str]:
    """sha256 of every lexicon, model and pattern file a run may use."""
    files = [CLEANING_PATTERNS, *sorted(NLTK_DATA_DIR.rglob("*.zip")), *sorted(NLTK_DATA_DIR.rglob("*.tab")),
             *sorted(NLTK_DATA_DIR.rglob("*.txt"))]
    hashes = {str(p.relative_to(PROJECT_ROOT)): sha256_of(p) for p in files}
    try:
        import vaderSentiment

        lexicon = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
        hashes["vaderSentiment/vader_lexicon.txt"] = sha256_of(lexicon)
    except ImportError:
        pass
    return hashes


def kernel_manager_class(ipc_dir: Path, log_path: Path):
    """A kernel manager for one run: IPC sockets in a private folder (no TCP port on any
    interface), the kernel's own stderr in the run's ``kernel.log`` rather than the terminal."""
    from jupyter_client.manager import AsyncKernelManager

    class RunKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw["stderr"] = open(log_path, "ab")  # noqa: SIM115 (the kernel process owns it)
            return await super()._async_launch_kernel(kernel_cmd, **kw)

    if os.name == "posix":
        RunKernelManager.transport = "ipc"
        RunKernelManager.ip = str(ipc_dir / "kernel")
    return RunKernelManager


def kernel_name() -> str:
    """The project's registered kernel if present, else the current interpreter's ``python3``."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        return KERNEL_NAME
    except NoSuchKernel:
        return "python3"


def export_html(executed: Path, target: Path) -> None:
    """Export an executed notebook to HTML with code cells hidden and no script able to run."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="corpuslab_report", extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            sanitize_html=False)  # the page CSP forbids all scripts instead
    notebook = nbformat.read(executed, as_version=4)
    for cell in notebook.cells:  # live widgets need a kernel: the page shows the static tables beside them
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if WIDGET_MIME not in o.get("data", {})]
    body, _ = exporter.from_notebook_node(notebook)
    target.write_text(body, encoding="utf-8")


def _write_manifest(run_dir: Path, manifest: dict) -> None:
    tmp = run_dir / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, run_dir / "manifest.json")


def _point_latest(reports_dir: Path, run_id: str) -> None:
    link, tmp = reports_dir / "latest", reports_dir / f".latest-{run_id}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(run_id, tmp)
    os.replace(tmp, link)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _failure_line(name: str, exc: Exception) -> tuple[str, bool]:
    """One line naming the notebook, the cell and the error; and whether the user caused it."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        user = exc.ename == "CorpuslabError"
        return f"notebook {name} failed in cell In [{exc.exec_count}]: {exc.ename}: {exc.evalue}", user
    return f"notebook {name} failed: {type(exc).__name__}: {exc}", isinstance(exc, CorpuslabError)


def _child_pids() -> list[int]:
    """PIDs of this process's children (the Jupyter kernels papermill started)."""
    try:
        out = subprocess.run(["pgrep", "-P", str(os.getpid())], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [int(pid) for pid in out.split()]


def _stop_kernels(grace: float = 5.0) -> None:
    """Terminate kernels left running when a signal cut papermill short, then kill stragglers."""
    pids = _child_pids()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while pids and time.monotonic() < deadline:
        pids = [pid for pid in pids if _reap(pid)]
        time.sleep(0.05)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _reap(pid)


def _reap(pid: int) -> bool:
    """Collect an exited child; True while it is still running."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False
    return done == 0


def _raise_interrupt(signum, _frame):
    raise RunInterrupted(signal.Signals(signum).name)


def run(
    cfg: dict,
    *,
    only: Sequence[str] | None = None,
    reports_dir: Path = REPORTS_DIR,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    progress: bool = True,
    title: str = "corpuslab report",
) -> RunResult:
    """Run the notebooks on resolved params ``cfg``; return the run's folder, status and manifest.

    The corpus is loaded first, so a bad input stops the run before any notebook starts.
    """
    import papermill

    notebooks = notebook_paths(only, Path(notebooks_dir))
    documents = corpus.load(cfg["corpus.path"], metadata=cfg["corpus.metadata"] or None,
                            text_column=cfg["corpus.text_column"], id_column=cfg["corpus.id_column"],
                            encoding=cfg["corpus.encoding"])
    corpus.check_sizes(documents, cfg["corpus.max_document_mb"])
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    run_id = new_run_id()
    work = reports_dir / f".partial-{run_id}"
    for sub in ("notebooks", "html", "tables", "figures"):
        (work / sub).mkdir(parents=True)
    kernel = kernel_name()
    manifest = {
        "run_id": run_id, "title": title, "status": "running", "started": _now(), "finished": None,
        "params": params.nest(cfg), "fingerprint": corpus.fingerprint(documents), "n_documents": len(documents),
        "git_commit": git_commit(), "python": sys.version.split()[0], "platform": platform.platform(),
        "kernel": kernel, "packages": package_versions(), "resources": resource_hashes(),
        "notebooks": [{"name": nb.stem, "status": "pending"} for nb in notebooks],
    }
    _write_manifest(work, manifest)
    ipc_dir = Path(tempfile.mkdtemp(prefix="corpuslab-ipc-"))
    manager = kernel_manager_class(ipc_dir, work / "kernel.log")
    cache_log = work / "cache_log.jsonl"
    os.environ["CORPUSLAB_CACHE_LOG"] = str(cache_log)  # kernels inherit it and note each cache use
    previous = {s: signal.signal(s, _raise_interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    status, exit_code, message = "succeeded", 0, ""
    exporter = ThreadPoolExecutor(max_workers=1)  # HTML export overlaps the next notebook's kernel
    exports = []
    try:
        for number, (entry, notebook) in enumerate(zip(manifest["notebooks"], notebooks), start=1):
            if progress:
                print(f"[{number}/{len(notebooks)}] {notebook.stem} ({len(documents):,} documents)", file=sys.stderr,
                      flush=True)
            entry["status"] = "running"
            _write_manifest(work, manifest)
            started = time.perf_counter()
            executed = work / "notebooks" / notebook.name
            try:
                values = params.to_notebook(cfg, notebook_variables(notebook))
                values["run_dir"] = str(work)
                papermill.execute_notebook(
                    str(notebook), str(executed), parameters=values, kernel_name=kernel,
                    cwd=str(notebook.parent), progress_bar=progress, log_output=False,
                    kernel_manager_class=manager,
                )
                problems = check_tables(work, declared_tables(notebook))
                if problems:
                    raise CorpuslabError(f"notebook {notebook.stem}: " + "; ".join(problems))
                entry["status"] = "succeeded"
            except RunInterrupted as exc:
                _stop_kernels()
                entry["status"], entry["error"] = "interrupted", f"interrupted by {exc}"
                status, exit_code, message = "interrupted", 130, f"run interrupted by {exc} during {notebook.stem}"
            except Exception as exc:  # a failing notebook fails the run, by name
                message, user = _failure_line(notebook.stem, exc)
                entry["status"], entry["error"] = "failed", message
                status, exit_code = "failed", 2 if user else 1
            finally:
                entry["seconds"] = round(time.perf_counter() - started, 2)
                if executed.exists():
                    exports.append(exporter.submit(export_html, executed, work / "html" / f"{notebook.stem}.html"))
                _write_manifest(work, manifest)
            if status != "succeeded":
                break
    except RunInterrupted as exc:
        _stop_kernels()
        status, exit_code, message = "interrupted", 130, f"run interrupted by {exc}"
    finally:
        exporter.shutdown(wait=True)
        for s, handler in previous.items():
            signal.signal(s, handler)
        for future in exports:
            future.result()
        for entry in manifest["notebooks"]:
            if entry["status"] == "pending":
                entry["status"] = "not run"
        os.environ.pop("CORPUSLAB_CACHE_LOG", None)
        shutil.rmtree(ipc_dir, ignore_errors=True)
        if cache_log.exists():
            manifest["cache"] = [json.loads(line) for line in cache_log.read_text(encoding="utf-8").splitlines()]
            cache_log.unlink()
        manifest["status"], manifest["finished"] = status, _now()
        _write_manifest(work, manifest)
        _, cited = methods_paragraph(nb["name"] for nb in manifest["notebooks"] if nb["status"] == "succeeded")
        (work / "references.bib").write_text(bibtex(cited, REFERENCES), encoding="utf-8")
        (work / "index.html").write_text(render_index(manifest, work), encoding="utf-8")
        final = reports_dir / run_id
        os.replace(work, final)
        if status == "succeeded":
            _point_latest(reports_dir, run_id)
    return RunResult(final, status, manifest, exit_code, message)
