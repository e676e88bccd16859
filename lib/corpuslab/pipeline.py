"""Running the numbered notebooks with papermill into a run folder.

A run: validate params and the corpus, execute each notebook in a real Jupyter
kernel into ``reports/.partial-<run-id>/``, check each notebook's declared
tables, export HTML with code hidden, write ``index.html`` and
``manifest.json`` (:mod:`corpuslab.provenance`), rename the folder into place, and move
``reports/latest`` to it only if every notebook succeeded.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from corpuslab import _orphans, corpus, engine, params, runfolder
from corpuslab.errors import CorpuslabError
from corpuslab.kernels import (
    KernelsAhead,
    PeakMemory,
    kernel_manager_class,
    kernel_name,
    start_warm_kernel,
    stop_kernel,
)
from corpuslab.landing import bibtex, methods_paragraph, render_index
from corpuslab.provenance import now, start_manifest, write_manifest
from corpuslab.report import check_tables
from corpuslab.resources import NOTEBOOKS_DIR, REFERENCES, REPORTS_DIR

TEMPLATES_DIR = Path(__file__).parent / "templates"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


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
    if not found:
        raise CorpuslabError(f"--notebooks {str(folder)!r} holds no numbered notebooks (00_corpus.ipynb, ...); "
                             "give the folder that holds them, or leave --notebooks out")
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
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%d-%H%M%S-%f") + f"-p{os.getpid()}"


def declared(notebook: Path) -> dict:
    """What a notebook declares about itself in its metadata (``corpuslab``: its tables, whether it is light)."""
    return json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {}).get("corpuslab", {})


def declared_tables(notebook: Path) -> list[str]:
    """The tables a notebook declares in its metadata (``corpuslab.tables``)."""
    return list(declared(notebook).get("tables", []))


def notebook_variables(notebook: Path) -> set[str]:
    """Names assigned in the notebook's ``parameters`` cell."""
    import papermill

    return set(papermill.inspect_notebook(str(notebook)))


def export_html(executed: Path, target: Path) -> None:
    """Export an executed notebook to HTML with code cells hidden and no script able to run."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="corpuslab_report", extra_template_basedirs=[str(TEMPLATES_DIR)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            sanitize_html=False)  # the page CSP forbids all scripts instead
    notebook = nbformat.read(executed, as_version=4)
    notebook.metadata.pop("widgets", None)  # saved widget state: no live kernel behind it in a report
    for cell in notebook.cells:  # live widgets need a kernel: the page shows the static tables beside them
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if WIDGET_MIME not in o.get("data", {})]
    body, _ = exporter.from_notebook_node(notebook)
    target.write_text(body, encoding="utf-8")


def _failure_line(name: str, exc: Exception) -> tuple[str, bool]:
    """One line naming the notebook, the cell and the error; and whether the user caused it."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        user = exc.ename == "CorpuslabError"
        return f"notebook {name} failed in cell In [{exc.exec_count}]: {exc.ename}: {exc.evalue}", user
    return f"notebook {name} failed: {type(exc).__name__}: {exc}", isinstance(exc, CorpuslabError)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)  # SIGHUP: the terminal was closed


def _raise_interrupt(signum, _frame):
    raise RunInterrupted(signal.Signals(signum).name)


PARALLEL_MAX_CHARS = 20_000_000  # larger corpora: one notebook at a time, each using every core itself
LIGHT_AT_ONCE = 2  # on a larger corpus, light notebooks run this many at a time (their kernels fit side by side)


def is_light(notebook: Path) -> bool:
    """Whether a notebook declares itself light (metadata ``corpuslab.light``): its kernel needs well under half
    the memory of the heaviest notebook's (measured on the whole UN corpus), so two can run side by side."""
    return bool(declared(notebook).get("light", False))


def weight(notebook: Path) -> float:
    """A light notebook's declared run time relative to the others' (metadata ``corpuslab.weight``, default 1):
    a stage starts its heaviest notebook first, so the lighter ones fill the other slot beside it."""
    return float(declared(notebook).get("weight", 1))


def stages(notebooks: Sequence[Path], *, concurrent: bool, light: Sequence[Path] = (),
           weights: Mapping[Path, float] | None = None) -> list[list[Path]]:
    """Execution order: ``00_*`` first and ``99_*`` last; the analyses between them side by
    side when ``concurrent`` (they only read what ``00`` prepared), else one at a time but for
    consecutive ``light`` notebooks, which share a stage (run :data:`LIGHT_AT_ONCE` at a time), heaviest
    first by ``weights`` (default 1 each): longest-first keeps the two slots busy to the stage's end.

    >>> names = [Path(n) for n in ("00_a.ipynb", "01_b.ipynb", "02_c.ipynb", "03_d.ipynb", "99_e.ipynb")]
    >>> [[p.stem for p in stage] for stage in stages(names, concurrent=True)]
    [['00_a'], ['01_b', '02_c', '03_d'], ['99_e']]
    >>> [[p.stem for p in stage] for stage in stages(names, concurrent=False, light=names[1:4],
    ...                                                 weights={names[3]: 2})]
    [['00_a'], ['03_d', '01_b', '02_c'], ['99_e']]
    """
    first = [n for n in notebooks if n.name.startswith("00_")]
    last = [n for n in notebooks if n.name.startswith("99_")]
    middle = [n for n in notebooks if n not in first and n not in last]
    if concurrent:
        return [g for g in (first, middle, last) if g]
    groups: list[list[Path]] = []
    for n in middle:
        if n in light and groups and groups[-1][-1] in light:
            groups[-1].append(n)
        else:
            groups.append([n])
    weights = weights or {}
    groups = [sorted(g, key=lambda n: -weights.get(n, 1)) for g in groups]  # stable: numbered order among equals
    return [[n] for n in first] + groups + [[n] for n in last]


def stage_width(stage: Sequence[Path], *, concurrent: bool) -> int:
    """How many notebooks of a stage run at once: all of them when ``concurrent``, else :data:`LIGHT_AT_ONCE`."""
    return len(stage) if concurrent else min(len(stage), LIGHT_AT_ONCE)


class _Run:
    """The state of one run: its folder, manifest and the notebooks' executions."""

    def __init__(self, cfg: dict, work: Path, manifest: dict, kernel: str, manager, progress: bool):
        self.cfg, self.work, self.manifest, self.kernel, self.manager = cfg, work, manifest, kernel, manager
        self.progress = progress
        self.lock = threading.Lock()
        self.exporter = ThreadPoolExecutor(max_workers=1)  # HTML export overlaps the notebooks
        self.exports: list = []
        self.interrupted = ""
        self.ahead: KernelsAhead | None = None  # set when notebooks run one after another

    def start_ahead(self, notebook: Path) -> tuple[PeakMemory, object]:
        """A warm kernel for ``notebook`` (:func:`start_warm_kernel`), watched for its peak memory from its start."""
        memory = PeakMemory()
        return memory, start_warm_kernel(self.manager(memory.watch), self.kernel, notebook.parent)

    def entry(self, notebook: Path) -> dict:
        return next(e for e in self.manifest["notebooks"] if e["name"] == notebook.stem)

    def execute(self, notebook: Path, slot: int) -> tuple[str, int, str]:
        """Run one notebook in its own kernel; return (status, exit code, one-line message)."""
        import papermill

        entry = self.entry(notebook)
        with self.lock:
            entry["status"] = "running"
            write_manifest(self.work, self.manifest)
        started = time.perf_counter()
        ahead = self.ahead.take(notebook) if self.ahead else None
        memory, lent = ahead or (PeakMemory(), None)
        kernel = {"km": lent} if lent else {"kernel_manager_class": self.manager(memory.watch)}
        executed = self.work / "notebooks" / notebook.name
        try:
            values = params.to_notebook(self.cfg, notebook_variables(notebook))
            values["run_dir"] = str(self.work)
            bar = {"desc": notebook.stem, "position": slot, "leave": True} if self.progress else False
            try:
                papermill.execute_notebook(str(notebook), str(executed), parameters=values, kernel_name=self.kernel,
                                           cwd=str(notebook.parent), progress_bar=bar, log_output=False, **kernel)
            finally:
                if lent:
                    stop_kernel(lent)
            problems = check_tables(self.work, declared_tables(notebook))
            if problems:
                raise CorpuslabError(f"notebook {notebook.stem}: " + "; ".join(problems))
            outcome = ("succeeded", 0, "")
        except Exception as exc:  # a failing notebook fails the run, by name
            if self.interrupted:
                outcome = ("interrupted", 130, f"run interrupted by {self.interrupted} during {notebook.stem}")
            else:
                message, _ = _failure_line(notebook.stem, exc)
                outcome = ("failed", 1, message)  # bad input is refused before any notebook starts (exit 2)
        with self.lock:
            entry["status"] = outcome[0]
            if outcome[2]:
                entry["error"] = outcome[2]
            entry["seconds"] = round(time.perf_counter() - started, 2)
            entry["peak_mb"] = memory.stop()
            if executed.exists():
                page = self.work / "html" / f"{notebook.stem}.html"
                self.exports.append(self.exporter.submit(export_html, executed, page))
            write_manifest(self.work, self.manifest)
        return outcome


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
    On a small corpus the analysis notebooks run side by side (one kernel each).
    """
    notebooks = notebook_paths(only, Path(notebooks_dir))
    reports_dir = runfolder.prepare(Path(reports_dir))
    for line in runfolder.clean_stale(reports_dir):
        print(line, file=sys.stderr)
    previous = {s: signal.signal(s, _raise_interrupt) for s in STOP_SIGNALS}
    try:
        threading.Thread(target=_import_runner_libraries, daemon=True).start()  # while the corpus is checked
        facts = _in_child_process(corpus_facts, cfg)
        run_id = new_run_id()
        work = runfolder.make_partial(reports_dir, run_id)
        try:
            kernel = kernel_name()
            manifest = start_manifest(run_id, title, cfg, facts, kernel, notebooks)
            write_manifest(work, manifest)
        except BaseException as exc:
            shutil.rmtree(work, ignore_errors=True)  # nothing ran: leave no partial folder behind
            if isinstance(exc, OSError):
                raise runfolder.write_error(reports_dir, exc) from None
            raise
        return _execute_run(cfg, notebooks, facts["n_chars"], work, reports_dir, run_id, manifest, kernel, progress,
                            moves_latest=not only)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _import_runner_libraries() -> None:
    """Import papermill (about 2.5 s) and nbconvert: in a thread while the corpus is checked in another process,
    they are ready when the first notebook starts."""
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401


def corpus_facts(cfg: dict) -> dict:
    """Load and check the corpus of resolved params: its fingerprint, number of documents and characters; and
    the params that the corpus decides (``groups``, the keyness column and values, the dictionary files:
    :func:`corpuslab.workflow.check_before_run`).

    Raises :class:`CorpuslabError` for a bad input, before any notebook starts.
    """
    from corpuslab import workflow

    load = workflow.loader(cfg)  # one read of the corpus for its facts and its cleaned documents
    known = workflow.corpus_facts(cfg, documents=load)
    corpus.check_sizes(known, cfg["corpus.max_document_mb"])
    workflow.check_before_run(cfg, load=load)
    return known


def _in_child_process(func, *args):
    """``func(*args)`` in a short-lived process: the runner keeps none of the memory it used (a corpus)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("forkserver")
    os.environ[_orphans.RUNNER_ENV] = str(os.getpid())  # the forkserver, and through it the worker, end with us
    context.set_forkserver_preload(["corpuslab._orphans"])
    pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_orphans.die_with_parent)
    try:
        return pool.submit(func, *args).result()
    except BrokenProcessPool:
        raise CorpuslabError('the process that checks the corpus stopped abruptly: out of memory, or a script that '
                             'runs a report without the `if __name__ == "__main__":` guard around its code') from None
    except BaseException:  # interrupted: stop the check now rather than wait for it
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _execute_run(cfg, notebooks, n_chars: int, work: Path, reports_dir: Path, run_id: str, manifest: dict, kernel: str,
                 progress: bool, moves_latest: bool = True) -> RunResult:
    ipc_dir = Path(tempfile.mkdtemp(prefix="corpuslab-ipc-"))
    state = _Run(cfg, work, manifest, kernel, partial(kernel_manager_class, ipc_dir, work / "kernel.log"), progress)
    cache_log = work / "cache_log.jsonl"
    os.environ["CORPUSLAB_CACHE_LOG"] = str(cache_log)  # kernels inherit it and note each cache use
    threads_set = "POLARS_MAX_THREADS" not in os.environ
    if threads_set:  # the tokeniser's threads follow n_jobs, as the process pools do
        os.environ["POLARS_MAX_THREADS"] = str(engine.resolve_jobs(cfg["n_jobs"]))
    concurrent = (os.cpu_count() or 1) > 1 and n_chars < PARALLEL_MAX_CHARS
    light = [n for n in notebooks if is_light(n)]
    plan = stages(notebooks, concurrent=concurrent, light=light, weights={n: weight(n) for n in light})
    status, exit_code, message = "succeeded", 0, ""
    workers = ThreadPoolExecutor(max_workers=max(stage_width(stage, concurrent=concurrent) for stage in plan))
    if not concurrent:  # one notebook after another: the next one's kernel starts while this one runs
        width = {n: stage_width(stage, concurrent=False) for stage in plan for n in stage}
        state.ahead = KernelsAhead([n for stage in plan for n in stage], state.start_ahead,
                                   lambda started: stop_kernel(started[1]), width=width.get)
    try:
        done = 0
        for stage in plan:
            if progress:
                names = ", ".join(n.stem for n in stage)
                print(f"[{done + 1}/{len(notebooks)}] {names} ({manifest['n_documents']:,} documents)", file=sys.stderr,
                      flush=True)
            futures = [workers.submit(state.execute, notebook, slot) for slot, notebook in enumerate(stage)]
            try:
                outcomes = [f.result() for f in futures]
            except RunInterrupted as exc:
                state.interrupted = str(exc)
                for s in STOP_SIGNALS:
                    signal.signal(s, signal.SIG_IGN)  # already stopping: a second signal must not cut cleanup short
                _orphans.stop_children()
                outcomes = [f.result() for f in futures]
            done += len(stage)
            failed = [o for o in outcomes if o[0] != "succeeded"]
            if state.interrupted:
                status, exit_code, message = "interrupted", 130, f"run interrupted by {state.interrupted}"
                break
            if failed:
                status, exit_code, message = failed[0]
                break
    except RunInterrupted as exc:  # between stages
        state.interrupted = str(exc)
        _orphans.stop_children()
        status, exit_code, message = "interrupted", 130, f"run interrupted by {state.interrupted}"
    finally:
        held: list[str] = []  # signals while finishing: held, and counted only before the commit below
        for s in STOP_SIGNALS:
            signal.signal(s, lambda signum, _frame: held.append(signal.Signals(signum).name))
        workers.shutdown(wait=True)
        if state.ahead:
            state.ahead.close()
        state.exporter.shutdown(wait=True)
        export_errors = [future.exception() for future in state.exports if future.exception()]
        for entry in manifest["notebooks"]:
            if entry["status"] == "pending":
                entry["status"] = "not run"
        os.environ.pop("CORPUSLAB_CACHE_LOG", None)
        if threads_set:
            os.environ.pop("POLARS_MAX_THREADS", None)
        shutil.rmtree(ipc_dir, ignore_errors=True)
        if cache_log.exists():
            manifest["cache"] = [json.loads(line) for line in cache_log.read_text(encoding="utf-8").splitlines()]
            cache_log.unlink()
        if export_errors and status == "succeeded":
            status, exit_code, message = "failed", 1, f"HTML export failed: {type(export_errors[0]).__name__}: " \
                                                       f"{export_errors[0]}"
        if status == "failed" and runfolder.disk_full(work):  # the real cause, whatever the error said
            status, exit_code = "failed", 2
            message = str(runfolder.write_error(reports_dir, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))
        if held and status == "succeeded":
            status, exit_code, message = "interrupted", 130, f"run interrupted by {held[0]} while finishing"
        final = _commit(work, reports_dir, run_id, manifest, status, moves_latest)
    return RunResult(final, status, manifest, exit_code, message)


def _commit(work: Path, reports_dir: Path, run_id: str, manifest: dict, status: str, moves_latest: bool) -> Path:
    """Write the final manifest, index and references, rename the folder into place (the commit point)
    and move ``latest`` if the run succeeded and ran every notebook. Signals arriving meanwhile are held
    by the caller's handlers: the run is either committed whole or marked before it."""
    manifest["status"], manifest["finished"] = status, now()
    try:
        write_manifest(work, manifest)
        _, cited = methods_paragraph(nb["name"] for nb in manifest["notebooks"] if nb["status"] == "succeeded")
        (work / "references.bib").write_text(bibtex(cited, REFERENCES), encoding="utf-8")
        (work / "index.html").write_text(render_index(manifest, work), encoding="utf-8")
        final = reports_dir / run_id
        os.replace(work, final)
        if status == "succeeded" and moves_latest:
            runfolder.point_latest(reports_dir, run_id)
    except OSError as exc:
        raise runfolder.write_error(reports_dir, exc) from None
    return final
