"""exercises: checks give feedback without the answer; student versions drop solutions."""

import nbformat
import pandas as pd

from corpuslab import exercises


def test_missing_answers_get_a_kind_nudge():
    for feedback in (exercises.table_has("T", None, columns=["a"]), exercises.number_close("T", None, 1.0),
                     exercises.same_items("T", None, ["a"]), exercises.choice("T", ..., exercises.answer_hash("a"))):
        assert not feedback.passed and "no answer yet" in feedback.message


def test_feedback_never_shows_the_expected_value():
    feedback = exercises.number_close("T", 10.0, 42.4242, hint="count per 10,000 tokens")
    assert not feedback.passed and "42.42" not in str(feedback) and "too low" in feedback.message
    wrong = exercises.same_items("T", ["china"], ["russia", "moscow"])
    assert "russia" not in str(wrong) and "moscow" not in wrong._repr_html_()


def test_feedback_html_escapes_and_marks_state():
    html = exercises.table_has("<b>T</b>", pd.DataFrame({"x": [1]}), columns=["y"], hint="<script>")._repr_html_()
    assert 'data-passed="false"' in html and "<script>" not in html and "&lt;b&gt;T&lt;/b&gt;" in html


def test_student_version_drops_solution_cells_and_outputs(tmp_path):
    nb = nbformat.v4.new_notebook()
    task = nbformat.v4.new_code_cell("answer = None  # your answer")
    solution = nbformat.v4.new_code_cell("answer = 42")
    solution.metadata["tags"] = ["solution"]
    solution.outputs = [nbformat.v4.new_output("stream", text="42")]
    nb.cells = [task, solution]
    source = tmp_path / "src"
    source.mkdir()
    nbformat.write(nb, source / "e1.ipynb")
    written = exercises.build(source, tmp_path / "dist")
    student = nbformat.read(tmp_path / "dist" / "student" / "e1.ipynb", as_version=4)
    teacher = nbformat.read(tmp_path / "dist" / "teacher" / "e1.ipynb", as_version=4)
    assert [c.source for c in student.cells] == ["answer = None  # your answer"]
    assert [c.source for c in teacher.cells] == ["answer = None  # your answer", "answer = 42"]
    assert all(not c.outputs for c in teacher.cells)
    assert len(written) == 2
