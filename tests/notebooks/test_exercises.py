"""Every exercise, in both versions, executed for real: teacher versions pass every check,
student versions run to the end with kind "not yet" feedback and no error."""

import nbformat
import papermill
import pytest

from corpuslab import exercises, pipeline
from corpuslab.resources import NOTEBOOKS_DIR

EXERCISES = sorted((NOTEBOOKS_DIR / "exercises").glob("*.ipynb"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    target = tmp_path_factory.mktemp("exercises")
    exercises.build(NOTEBOOKS_DIR / "exercises", target)
    return target


def check_outputs(path):
    nb = nbformat.read(path, as_version=4)
    states = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            if "corpuslab-check" in html:
                states.append('data-passed="true"' in html)
    return states


def run(source, out):
    papermill.execute_notebook(str(source), str(out), kernel_name=pipeline.kernel_name(), cwd=str(out.parent),
                               progress_bar=False)


def test_there_are_at_least_four_exercises_with_objectives_and_solutions():
    assert len(EXERCISES) >= 5
    for path in EXERCISES:
        nb = nbformat.read(path, as_version=4)
        assert "Learning objectives" in nb.cells[0].source and "Key points" in nb.cells[-1].source
        assert any("solution" in c.metadata.get("tags", []) for c in nb.cells)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("name", [p.name for p in EXERCISES])
def test_teacher_version_passes_every_check(name, built, tmp_path):
    out = tmp_path / name
    run(built / "teacher" / name, out)
    states = check_outputs(out)
    assert states and all(states), states


@pytest.mark.parametrize("name", [p.name for p in EXERCISES])
def test_student_version_runs_and_fails_kindly(name, built, tmp_path):
    out = tmp_path / name
    run(built / "student" / name, out)  # papermill raises if any cell errors
    states = check_outputs(out)
    assert states and not any(states)
    student = nbformat.read(built / "student" / name, as_version=4)
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
