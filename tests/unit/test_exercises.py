"""exercises: checks give feedback without the answer (or its direction); a check run before its answer cell says
"no answer yet"; student versions drop solutions; a build keeps a student's notebooks when asked."""

import nbformat
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from corpuslab import exercise_checks, exercises, handouts


def test_missing_answers_get_a_kind_nudge():
    for feedback in (exercise_checks.table_has("T", None, columns=["a"]), exercise_checks.number_close("T", None, 1.0),
                     exercise_checks.same_items("T", None, ["a"]),
                     exercise_checks.statements("T", ..., exercise_checks.answer_hash("a")),
                     exercise_checks.same_numbers_in_order("T", None, [1.0]),
                     exercise_checks.defended_k("T", None, pd.DataFrame({"k": [2]}))):
        assert not feedback.passed and "no answer yet" in feedback.message


def test_a_check_run_before_its_answer_cell_says_no_answer_yet():
    namespace = {"exercises": exercises}
    exec('feedback = exercises.check("vader-scores")', namespace)  # a fresh kernel: `scores` never set
    assert not namespace["feedback"].passed
    assert namespace["feedback"].message.startswith("no answer yet: `scores` is not set")
    namespace["scores"] = None
    exec('feedback = exercises.check("vader-scores")', namespace)
    assert "replace the None" in namespace["feedback"].message


def test_every_task_names_the_variable_its_notebook_sets():
    for task, spec in exercises.TASKS.items():
        assert spec.variable.isidentifier(), task
        assert exercises.check(task).message.startswith(f"no answer yet: `{spec.variable}`")


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_a_wrong_number_gets_neither_the_answer_nor_its_direction(value, expected):
    feedback = exercise_checks.number_close("T", value, expected, tolerance=0.001, hint="h")
    if not feedback.passed:
        message = feedback.message.lower()
        assert "high" not in message and "low" not in message and f"{expected:g}" not in message.replace(
            f"{value:g}", "")


def test_vader_scores_are_checked_in_order():
    """The hint says "in order": the same scores in another order do not pass (they did: the check ignored order)."""
    expected = [exercises._compound(s) for s in exercises.VADER_SENTENCES]
    right = exercises.check("vader-scores", [round(x, 3) for x in expected])
    swapped = exercises.check("vader-scores", [round(x, 3) for x in reversed(expected)])
    assert right.passed and not swapped.passed and "in order" in swapped.message


def test_statement_questions_say_neither_how_many_nor_which():
    expected = exercise_checks.answer_hash("bd")
    assert exercise_checks.statements("T", "d, b", expected).passed
    assert exercise_checks.statements("T", ["B", "D"], expected).passed
    for wrong in ("b", "bde", "a"):
        message = exercise_checks.statements("T", wrong, expected).message
        assert not any(ch.isdigit() for ch in message) and "right" not in message


def test_a_choice_of_k_must_be_defended_by_a_measure_where_it_is_best():
    table = pd.DataFrame({"k": [2, 3, 4], "npmi": [0.4, 0.3, 0.2], "exclusivity": [0.7, 0.9, 0.8],
                          "stability": [0.9, 0.8, 0.7]})
    assert exercise_checks.defended_k("T", {"k": 3, "because": "exclusivity is highest"}, table).passed
    assert exercise_checks.defended_k("T", {"k": 2, "because": "best NPMI and stability"}, table).passed
    assert not exercise_checks.defended_k("T", {"k": 4, "because": "npmi"}, table).passed
    unsupported = exercise_checks.defended_k("T", {"k": 3, "because": "it looks nice"}, table)
    assert not unsupported.passed and "cites no measure" in unsupported.message
    assert "not measured" in exercise_checks.defended_k("T", {"k": 9, "because": "npmi"}, table).message
    assert not exercise_checks.defended_k("T", 3, table).passed


def test_feedback_never_shows_the_expected_items():
    wrong = exercise_checks.same_items("T", ["china"], ["russia", "moscow"])
    assert "russia" not in str(wrong) and "moscow" not in wrong._repr_html_()


def test_feedback_html_escapes_and_marks_state():
    html = exercise_checks.table_has("<b>T</b>", pd.DataFrame({"x": [1]}), columns=["y"], hint="<script>")._repr_html_()
    assert 'data-passed="false"' in html and "<script>" not in html and "&lt;b&gt;T&lt;/b&gt;" in html


def notebook_with_a_solution(folder):
    nb = nbformat.v4.new_notebook()
    task = nbformat.v4.new_code_cell("answer = None  # your answer")
    solution = nbformat.v4.new_code_cell("answer = 42")
    solution.metadata["tags"] = ["solution"]
    solution.outputs = [nbformat.v4.new_output("stream", text="42")]
    nb.cells = [task, solution]
    folder.mkdir()
    nbformat.write(nb, folder / "e1.ipynb")


def test_student_version_drops_solution_cells_and_outputs(tmp_path):
    notebook_with_a_solution(tmp_path / "src")
    written = handouts.build(tmp_path / "src", tmp_path / "dist")
    student = nbformat.read(tmp_path / "dist" / "student" / "e1.ipynb", as_version=4)
    teacher = nbformat.read(tmp_path / "dist" / "teacher" / "e1.ipynb", as_version=4)
    assert [c.source for c in student.cells] == ["answer = None  # your answer"]
    assert [c.source for c in teacher.cells] == ["answer = None  # your answer", "answer = 42"]
    assert all(not c.outputs for c in teacher.cells)
    assert len(written) == 2


def test_build_keeps_existing_notebooks_when_asked(tmp_path):
    notebook_with_a_solution(tmp_path / "src")
    handouts.build(tmp_path / "src", tmp_path / "dist", kinds=("student",))
    mine = tmp_path / "dist" / "student" / "e1.ipynb"
    mine.write_text(mine.read_text().replace("your answer", "my answer"))
    assert handouts.build(tmp_path / "src", tmp_path / "dist", kinds=("student",), keep_existing=True) == []
    assert "my answer" in mine.read_text()
    assert handouts.build(tmp_path / "src", tmp_path / "dist", kinds=("student",)) == [mine]
    assert "my answer" not in mine.read_text()


def test_e6_period_check_takes_any_dash_and_names_only_the_keys_to_revisit():
    """E6 Task 2: a hyphen typed for the en dash of "2020–2024" passes; a wrong answer names the keys, not values."""
    assert exercises.check("groups-periods", {"n_periods": 9, "granularity": "10 years", "latest": "2020-2024"}).passed
    wrong = exercises.check("groups-periods", {"n_periods": 8, "granularity": "10 years", "latest": "2020-2024"})
    assert not wrong.passed and "n_periods" in wrong.message and "9" not in wrong.message
    assert "expected a dict" in exercises.check("groups-periods", [9, "10 years"]).message


def test_e6_groupings_and_keyness_are_the_librarys():
    from corpuslab import groups

    speeches = exercises._un_speeches()
    assert exercises.check("groups-default", groups.default_groups(speeches)).passed
    assert not exercises.check("groups-default", ["country", "year"]).passed
    assert exercises.check("groups-keyness", exercises._un_keyness_top()).passed
    assert exercises._un_keyness_top() not in str(exercises.check("groups-keyness", "sovereignty"))


def test_e7_similarity_checks_accept_the_librarys_answers_and_reject_wrong_ones():
    """E7: the hand cosine is the library's (0.7071 = 4 / (√8 · 2)); the nearest speech, the statements and the year
    pass when right and fail, without the answer, when wrong."""
    assert exercises.check("similarity-by-hand", 4 / (8 ** 0.5 * 2)).passed
    wrong = exercises.check("similarity-by-hand", 0.5)
    assert not wrong.passed and "0.707" not in wrong.message
    nearest = exercises._un_nearest()
    assert exercises.check("similarity-nearest", nearest).passed
    assert not exercises.check("similarity-nearest", "USA_1991").passed
    assert exercises.check("similarity-boilerplate", "e, c, b").passed
    assert not exercises.check("similarity-boilerplate", "abce").passed
    year = exercises._un_closest_year()
    assert 1991 <= year <= 2024 and exercises.check("similarity-closest-year", year).passed
    assert not exercises.check("similarity-closest-year", year - 1).passed
