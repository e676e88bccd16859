"""Handouts of the classroom exercises: student versions (solution cells removed) and teacher versions
(every cell, executed so they show the expected outputs). Exercise notebooks keep solutions in cells
tagged ``solution``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

SOLUTION_TAG = "solution"


def _strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def student_version(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without the cells tagged ``solution``, outputs cleared."""
    nb = nbformat.from_dict(notebook)
    nb.cells = [c for c in nb.cells if SOLUTION_TAG not in c.get("metadata", {}).get("tags", [])]
    return _strip(nb)


def teacher_version(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy with every cell, outputs cleared (:func:`build` executes it)."""
    return _strip(nbformat.from_dict(notebook))


def build(source: Path, target: Path, *, kernel: str | None = None, kinds=("student", "teacher"),
          keep_existing: bool = False) -> list[Path]:
    """Write ``student/`` and ``teacher/`` versions of every exercise notebook in ``source``.

    With ``kernel`` (a Jupyter kernel name, e.g. ``"corpuslab"``) each teacher version is executed
    by papermill in its folder, so it holds the expected outputs and every check shows "✓ passed".
    ``keep_existing`` leaves a notebook already in ``target`` untouched (a student's work is never
    overwritten); the paths returned are those written.
    """
    makers = {"student": student_version, "teacher": teacher_version}
    written = []
    for path in sorted(Path(source).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for kind in kinds:
            out = Path(target) / kind / path.name
            if keep_existing and out.exists():
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(makers[kind](nb), out)
            if kind == "teacher" and kernel:
                _execute(out, kernel)
            written.append(out)
    return written


def _execute(notebook: Path, kernel: str) -> None:
    import papermill

    papermill.execute_notebook(str(notebook), str(notebook), kernel_name=kernel, cwd=str(notebook.parent),
                               progress_bar=False, log_output=False)
    nb = nbformat.read(notebook, as_version=4)
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nbformat.write(nb, notebook)
