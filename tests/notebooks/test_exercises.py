"""Every exercise, in both versions, executed for real: teacher versions (executed by the build, as
`make exercises` does) pass every check and keep their outputs; student versions run to the end with
"no answer yet" on every check and no error, and hold no solution code."""

import nbformat
import papermill
import pytest

from corpuslab import exercises, handouts, pipeline
from corpuslab.resources import NOTEBOOKS_DIR

EXERCISES = sorted((NOTEBOOKS_DIR / "exercises").glob("*.ipynb"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    target = tmp_path_factory.mktemp("exercises")
    handouts.build(NOTEBOOKS_DIR / "exercises", target, kernel=pipeline.kernel_name())
    return target


def checks(path):
    """(passed, message text) of every check output in an executed notebook."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            if "corpuslab-check" in html:
                found.append(('data-passed="true"' in html, output["data"].get("text/plain", "")))
    return found


def solution_sources(path):
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if handouts.SOLUTION_TAG in c.metadata.get("tags", [])]


def test_every_exercise_has_objectives_solutions_and_no_outputs():
    assert len(EXERCISES) >= 6 and "E6_groups.ipynb" in [p.name for p in EXERCISES]
    for path in EXERCISES:
        nb = nbformat.read(path, as_version=4)
        assert "Learning objectives" in nb.cells[0].source and "Key points" in nb.cells[-1].source
        assert solution_sources(path)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_every_check_cell_names_only_its_task():
    """A check cell never evaluates the answer variable itself (that raised NameError before the answer cell ran)."""
    for path in EXERCISES:
        for cell in nbformat.read(path, as_version=4).cells:
            if "exercises.check(" in cell.source:
                task = cell.source.split('exercises.check("', 1)[1].split('"', 1)[0]
                assert cell.source.strip() == f'exercises.check("{task}")' and task in exercises.TASKS


@pytest.mark.parametrize("name", [p.name for p in EXERCISES])
def test_teacher_version_passes_every_check_with_its_outputs_saved(name, built):
    found = checks(built / "teacher" / name)
    assert found and all(passed for passed, _ in found), found
    nb = nbformat.read(built / "teacher" / name, as_version=4)
    solutions = [c for c in nb.cells if handouts.SOLUTION_TAG in c.metadata.get("tags", [])]
    assert all(c.execution_count for c in solutions)


@pytest.mark.parametrize("name", [p.name for p in EXERCISES])
def test_student_version_runs_with_no_answer_yet(name, built, tmp_path):
    student = built / "student" / name
    assert not any(handouts.SOLUTION_TAG in c.metadata.get("tags", [])
                   for c in nbformat.read(student, as_version=4).cells)
    out = tmp_path / name
    papermill.execute_notebook(str(student), str(out), kernel_name=pipeline.kernel_name(), cwd=str(tmp_path),
                               progress_bar=False)  # papermill raises if any cell errors
    found = checks(out)
    assert found and all(not passed and "no answer yet" in text for passed, text in found), found
