"""The bad-input battery: each case exits non-zero with one line naming the input and the fix,
no traceback, and earlier reports (and `latest`) untouched."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from corpuslab.resources import PROJECT_ROOT

from ..conftest import TINY


def _files(root: Path) -> dict:
    return {str(p.relative_to(root)): (os.readlink(p) if p.is_symlink() else hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(root.rglob("*")) if p.is_symlink() or p.is_file()}


@pytest.fixture
def reports(tmp_path):
    """A reports folder holding an earlier complete run and `latest` pointing at it."""
    root = tmp_path / "reports"
    earlier = root / "20200101-000000-000000-p1"
    (earlier / "tables").mkdir(parents=True)
    (earlier / "manifest.json").write_text(json.dumps({"status": "succeeded"}), encoding="utf-8")
    (earlier / "tables" / "term_frequency.csv").write_text("term,count\nchina,3\n", encoding="utf-8")
    os.symlink(earlier.name, root / "latest")
    return root


def run_cli(reports: Path, *args: str, cwd: Path = PROJECT_ROOT):
    return subprocess.run([sys.executable, "-m", "corpuslab", "run", "--quiet", "--out", str(reports), *args],
                          cwd=cwd, capture_output=True, text=True, timeout=600)


def folder(tmp_path, files: dict[str, bytes], metadata: str | None = None) -> Path:
    target = tmp_path / "corpus"
    target.mkdir()
    for name, data in files.items():
        (target / name).write_bytes(data)
    if metadata is not None:
        (target / "metadata.csv").write_text(metadata, encoding="utf-8")
    return target


UNREADABLE = PROJECT_ROOT / "tests" / "fixtures" / "formats" / "unreadable"
GOOD = b"China and Russia met in Moscow. They signed a deal on energy and trade."
BLANK = b"  \n\t \r\n "


def table(tmp_path, name: str, frame: pd.DataFrame) -> Path:
    path = tmp_path / name
    if name.endswith(".csv"):
        frame.to_csv(path, index=False)
    elif name.endswith(".jsonl"):
        frame.to_json(path, orient="records", lines=True)
    else:
        frame.to_parquet(path)
    return path


def params_file(tmp_path, text: str) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def with_link(tmp_path, name: str, target) -> Path:
    """A corpus folder with one good file and a symlink ``name`` to ``target`` (a path, or a name in the folder)."""
    target_folder = folder(tmp_path, {"a.txt": GOOD})
    os.symlink(target, target_folder / name)
    return target_folder


def with_fifo(tmp_path, name: str = "pipe.txt") -> Path:
    target = folder(tmp_path, {"a.txt": GOOD})
    os.mkfifo(target / name)
    return target


def fifo_file(tmp_path, name: str) -> Path:
    os.mkfifo(tmp_path / name)
    return tmp_path / name


def outside_file(tmp_path) -> Path:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.txt").write_bytes(GOOD)
    return tmp_path / "elsewhere" / "secret.txt"


def notebooks_folder(tmp_path) -> Path:
    (tmp_path / "nbs").mkdir()
    return tmp_path / "nbs"


def a_file(tmp_path) -> Path:
    (tmp_path / "out.txt").write_text("not a folder", encoding="utf-8")
    return tmp_path / "out.txt"


NL = chr(10)


# Each case: a function building the CLI arguments, the exit code, and words the one-line message must hold.
CASES = {
    "missing path": (lambda t: ["--set", f"corpus.path={t / 'nowhere'}"], 2, ["corpus.path", "does not exist"]),
    "empty folder": (lambda t: ["--set", f"corpus.path={folder(t, {})}"], 2, ["has no .txt files"]),
    "nothing readable": (lambda t: ["--set", "corpus.path=" + str(folder(t, {n: (UNREADABLE / n).read_bytes() for n in (
        "encrypted.pdf", "scanned.pdf", "truncated.docx", "empty.html")}))], 2,
                         ["corpus.path", "no file can be read", "empty.html: no main text found", "and 3 more"]),
    "only empty files": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': b'', 'b.txt': b''})}"], 2,
                         ["every document is empty"]),
    "whitespace-only file": (lambda t: ["--set", "corpus.path=" + str(folder(t, {"a.txt": GOOD, "b.txt": BLANK}))], 2,
                             ["'b'", "empty or only whitespace", "remove it"]),
    "binary file among texts": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD, 'img.txt': bytes(range(256)) * 4})}"], 2,
                                ["img.txt", "corpus.encoding"]),
    "latin-1 read as utf-8": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': 'Café in Zürich.'.encode('latin-1')})}",
                                         "--set", "corpus.encoding=utf-8"], 2,
                              ["a.txt", "not valid utf-8", "corpus.encoding"]),
    "cp1252 read as utf-8": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': '“Quoted” – text.'.encode('cp1252')})}",
                                        "--set", "corpus.encoding=utf-8"], 2,
                             ["a.txt", "not valid utf-8", "cp1252"]),
    "utf-16 without BOM read as utf-8": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': 'Plain text here.'.encode('utf-16-le')})}"], 2,
                                         ["a.txt", "NUL", "corpus.encoding"]),
    "file name with too many fields": (lambda t: ["--set", f"corpus.path={folder(t, {'1961-Kennedy.txt': GOOD, '1965-Johnson-1.txt': GOOD})}",
                                                  "--set", "corpus.filename_fields=[year, president]"], 2,
                                       ["1965-Johnson-1.txt", "corpus.filename_fields", "rename"]),
    "unknown encoding name": (lambda t: ["--set", "corpus.encoding=klingon-8"], 2, ["corpus.encoding", "klingon-8", "codec"]),
    "document over the size limit": (lambda t: ["--set", f"corpus.path={folder(t, {'big.txt': GOOD * 2000})}",
                                                "--set", "corpus.max_document_mb=0.1"], 2,
                                     ["'big'", "corpus.max_document_mb", "split it"]),
    "a 50 MB single document": (lambda t: ["--set", "corpus.path=" + str(folder(t, {"a.txt": GOOD, "huge.txt": GOOD * 700_000}))], 2,
                                ["'huge'", "50 million characters", "corpus.max_document_mb=25", "split it"]),
    "unsupported file type": (lambda t: ["--set", f"corpus.path={table(t, 'c.csv', pd.DataFrame({'text': ['x']})).with_suffix('.docx').touch() or t / 'c.docx'}"], 2,
                              [".docx", ".csv/.jsonl/.parquet"]),
    "csv without text column": (lambda t: ["--set", f"corpus.path={table(t, 'c.csv', pd.DataFrame({'body': ['x']}))}"], 2,
                                ["corpus.text_column 'text'", "columns are body"]),
    "jsonl without text column": (lambda t: ["--set", f"corpus.path={table(t, 'c.jsonl', pd.DataFrame({'body': ['x']}))}"], 2,
                                  ["corpus.text_column 'text'", "columns are body"]),
    "parquet without text column": (lambda t: ["--set", f"corpus.path={table(t, 'c.parquet', pd.DataFrame({'body': ['x']}))}"], 2,
                                    ["corpus.text_column 'text'", "columns are body"]),
    "csv with a missing text": (lambda t: ["--set", f"corpus.path={params_file(t, 'doc_id,text' + chr(10) + 'a,hello' + chr(10) + 'b,' + chr(10)).rename(t / 'c.csv')}"], 2,
                                ["'b'", "empty or only whitespace"]),
    "parquet with a null text": (lambda t: ["--set", f"corpus.path={table(t, 'c.parquet', pd.DataFrame({'text': ['a b c', None]}))}"], 2,
                                 ["column 'text' is empty in row 2"]),
    "jsonl with a null text": (lambda t: ["--set", f"corpus.path={table(t, 'c.jsonl', pd.DataFrame({'text': ['a b c', None]}))}"], 2,
                               ["column 'text' is empty in row 2"]),
    "duplicate doc_ids in a table": (lambda t: ["--set", f"corpus.path={table(t, 'c.csv', pd.DataFrame({'doc_id': ['a', 'a'], 'text': ['x', 'y']}))}"], 2,
                                     ["duplicate doc_id 'a'"]),
    "duplicate doc_ids in metadata": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD}, 'doc_id,outlet' + chr(10) + 'a,X' + chr(10) + 'a,Y' + chr(10))}"], 2,
                                      ["duplicate doc_id 'a'"]),
    "metadata row without a file": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD}, 'doc_id,outlet' + chr(10) + 'a,X' + chr(10) + 'b,Y' + chr(10))}"], 2,
                                    ["row 'b' has no matching .txt file"]),
    "file without a metadata row": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD, 'b.txt': GOOD}, 'doc_id,outlet' + chr(10) + 'a,X' + chr(10))}"], 2,
                                    ["'b'.txt has no metadata row"]),
    "metadata file missing": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD})}", "--set", f"corpus.metadata={t / 'meta.csv'}"], 2,
                              ["corpus.metadata", "does not exist"]),
    "unparseable date": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD}, 'doc_id,date' + chr(10) + 'a,last spring' + chr(10))}"], 2,
                         ["date 'last spring'", "YYYY-MM-DD"]),
    "bad date precision": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD}, 'doc_id,date,date_precision' + chr(10) + 'a,2020,decade' + chr(10))}"], 2,
                           ["date_precision 'decade'", "day, month, year"]),
    "YAML syntax error": (lambda t: [str(params_file(t, "topics:\n  k: [4\n"))], 2, ["params.yaml", "YAML syntax error at line"]),
    "params file missing": (lambda t: [str(t / "absent.yaml")], 2, ["absent.yaml", "does not exist"]),
    "unknown key": (lambda t: [str(params_file(t, "topics:\n  kk: 4\n"))], 2, ["unknown param 'topics.kk'", "did you mean 'topics.k'"]),
    "wrong type": (lambda t: [str(params_file(t, "topics:\n  k: five\n"))], 2, ["topics.k", "'five'", "an integer from 2 to 200"]),
    "k = 0": (lambda t: ["--set", "topics.k=0"], 2, ["topics.k", "got 0", "an integer from 2 to 200"]),
    "negative seed": (lambda t: ["--set", "seed=-1"], 2, ["seed", "got -1"]),
    "bad choice": (lambda t: ["--set", "topics.method=lsa"], 2, ["topics.method", "'lsa'", "one of nmf, lda"]),
    "k_min above k_max": (lambda t: ["--set", "topics.k_min=6", "--set", "topics.k_max=3"], 2,
                          ["topics.k_min: got 6 with topics.k_max 3", "lower topics.k_min or raise topics.k_max"]),
    "keyness target equal to reference": (lambda t: ["--set", "frequency.keyness_target=latest", "--set",
                                                     "frequency.keyness_reference=latest"], 2,
                                          ["frequency.keyness_reference: got 'latest'", "frequency.keyness_target"]),
    "keyness column typo": (lambda t: ["--set", "frequency.keyness_column=parti"], 2,
                            ["frequency.keyness_column: got 'parti'", "outlet"]),
    "keyness target not in the column": (lambda t: ["--set", "frequency.keyness_column=outlet", "--set",
                                                    "frequency.keyness_target=NYT"], 2,
                                         ["frequency.keyness_target", "'NYT'", "The Japan Times"]),
    "group column typo": (lambda t: ["--set", "groups=[parti]"], 2, ["groups: got 'parti'", "outlet"]),
    "period without dates": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD, 'b.txt': GOOD})}",
                                        "--set", "groups=[period]"], 2, ["groups: got 'period'", "no document has a date"]),
    "dictionary file missing": (lambda t: ["--set", f"dictionary.actors={t / 'actors.yaml'}"], 2,
                                ["dictionary.actors", "actors.yaml", "not found"]),
    "windows too short to keep": (lambda t: [str(params_file(t, "topics:\n  unit: window\n  window: 10\n  min_unit_tokens: 20\n"))], 2,
                                  ["topics.min_unit_tokens: got 20 with topics.window 10"]),
    "top-level list in params": (lambda t: [str(params_file(t, "- a\n- b\n"))], 2, ["expected a mapping"]),
    "date with slashes": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD}, 'doc_id,date' + NL + 'a,2020/01/02' + NL)}"], 2,
                          ["date '2020/01/02'", "YYYY, YYYY-MM or YYYY-MM-DD"]),
    "day-first date": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD}, 'doc_id,date' + NL + 'a,02/01/2021' + NL)}"], 2,
                       ["date '02/01/2021'", "YYYY, YYYY-MM or YYYY-MM-DD"]),
    "impossible date": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD}, 'doc_id,date' + NL + 'a,2021-02-30' + NL)}"], 2,
                        ["date '2021-02-30'"]),
    "NaN size limit": (lambda t: ["--set", "corpus.max_document_mb=.nan"], 2, ["corpus.max_document_mb", "nan"]),
    "infinite FREX weight": (lambda t: [str(params_file(t, "topics:" + NL + "  frex_weight: .inf" + NL))], 2,
                             ["topics.frex_weight", "inf"]),
    "NaN sentiment threshold": (lambda t: ["--set", "sentiment.threshold=.nan"], 2, ["sentiment.threshold", "nan"]),
    "rot13 encoding": (lambda t: ["--set", "corpus.encoding=rot13"], 2, ["corpus.encoding", "'rot13'", "codec"]),
    "YAML alias bomb": (lambda t: [str(params_file(t, NL.join(
        ["a0: &a0 {" + ", ".join(f"x{j}: 1" for j in range(9)) + "}"]
        + [f"a{i}: &a{i} {{" + ", ".join(f"y{j}: *a{i - 1}" for j in range(9)) + "}" for i in range(1, 9)])))], 2,
                        ["params.yaml", "aliases"]),
    "empty metadata.csv": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD}, '')}"], 2,
                           ["metadata.csv", "empty", "header row"]),
    "ragged metadata row": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD, 'b.txt': GOOD}, 'doc_id,outlet' + NL + 'a,X,extra' + NL + 'b,Y,more' + NL)}"], 2,
                            ["metadata.csv", "line 2 has 3 fields, the header 2"]),
    "short metadata row": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD, 'b.txt': GOOD}, 'doc_id,outlet' + NL + 'a,X' + NL + 'b' + NL)}"], 2,
                           ["metadata.csv", "line 3 has 1 fields"]),
    "duplicate metadata columns": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD}, 'doc_id,date,date' + NL + 'a,2020,2021' + NL)}"], 2,
                                   ["column 'date' appears twice"]),
    "ragged table csv": (lambda t: ["--set", f"corpus.path={params_file(t, 'doc_id,text' + NL + 'a,hello there' + NL + 'b,hi,there' + NL).rename(t / 'c.csv')}"], 2,
                         ["c.csv", "line 3 has 3 fields"]),
    "jsonl text that is a dict": (lambda t: ["--set", f"corpus.path={params_file(t, json.dumps({'text': 'ok'}) + NL + json.dumps({'text': {'body': 'x'}}) + NL).rename(t / 'c.jsonl')}"], 2,
                                  ["column 'text' holds dict", "row 2", "string"]),
    "jsonl text that is a list": (lambda t: ["--set", f"corpus.path={params_file(t, json.dumps({'text': ['a', 'b']}) + NL).rename(t / 'c.jsonl')}"], 2,
                                  ["column 'text' holds list", "row 1"]),
    "numeric ids with a gap": (lambda t: ["--set", f"corpus.path={params_file(t, json.dumps({'doc_id': 1, 'text': 'a b'}) + NL + json.dumps({'doc_id': None, 'text': 'c d'}) + NL).rename(t / 'c.jsonl')}"], 2,
                               ["column 'doc_id' is empty in row 2", "corpus.id_column"]),
    "symlink leaving the folder": (lambda t: ["--set", f"corpus.path={with_link(t, 'b.txt', outside_file(t))}"], 2,
                                   ["b.txt", "outside the corpus folder", "corpus.follow_symlinks"]),
    "symlink to /dev/zero": (lambda t: ["--set", f"corpus.path={with_link(t, 'z.txt', '/dev/zero')}"], 2,
                             ["z.txt", "outside the corpus folder"]),
    "followed symlink to /dev/zero": (lambda t: ["--set", f"corpus.path={with_link(t, 'z.txt', '/dev/zero')}",
                                                 "--set", "corpus.follow_symlinks=true"], 2, ["z.txt", "a device", "remove it"]),
    "symlink loop": (lambda t: ["--set", f"corpus.path={with_link(t, 'loop.txt', 'loop.txt')}"], 2, ["loop.txt", "symlink loop"]),
    "broken symlink": (lambda t: ["--set", f"corpus.path={with_link(t, 'gone.txt', 'nowhere.txt')}"], 2, ["gone.txt", "broken symlink"]),
    "named pipe in the folder": (lambda t: ["--set", f"corpus.path={with_fifo(t)}"], 2, ["pipe.txt", "named pipe", "remove it"]),
    "named pipe as the corpus": (lambda t: ["--set", f"corpus.path={fifo_file(t, 'c.csv')}"], 2, ["c.csv", "named pipe"]),
    "named pipe as metadata": (lambda t: ["--set", f"corpus.path={folder(t, {'a.txt': GOOD})}", "--set", f"corpus.metadata={fifo_file(t, 'm.csv')}"], 2,
                               ["m.csv", "named pipe"]),
    "--out an existing file": (lambda t: ["--out", str(a_file(t))], 2, ["--out", "out.txt", "is a file"]),
    "--out under a file": (lambda t: ["--out", str(a_file(t) / "reports")], 2, ["--out", "cannot be written"]),
    "--notebooks an empty folder": (lambda t: ["--notebooks", str(notebooks_folder(t))], 2, ["--notebooks", "no numbered notebooks"]),
    "unknown notebook in --only": (lambda t: ["--only", "42"], 2, ["--only", "'42'", "allowed: 00"]),
    "k larger than the number of units": (lambda t: ["--set", f"corpus.path={TINY}", "--set", "topics.k=150"], 1,
                                          ["02_topics", "topics.k", "at most the number of units"]),
    "empty vocabulary after filtering": (lambda t: ["--set", f"corpus.path={TINY}", "--set", "tokens.min_length=40", "--only", "00,02"], 1,
                                         ["vocabulary is empty", "tokens.min_length"]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_fails_clearly_and_loses_nothing(case, tmp_path, reports):
    build, code, words = CASES[case]
    before = _files(reports)
    result = run_cli(reports, *build(tmp_path))
    assert result.returncode == code, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    after = _files(reports)
    assert {k: v for k, v in after.items() if k in before} == before  # earlier runs and latest untouched
    assert os.readlink(reports / "latest") == "20200101-000000-000000-p1"


@pytest.mark.parametrize("case", ["k_min above k_max", "keyness target equal to reference", "windows too short to keep",
                                  "keyness column typo", "keyness target not in the column", "group column typo",
                                  "period without dates", "dictionary file missing"])
def test_impossible_param_combinations_stop_before_any_notebook(case, tmp_path, reports):
    build, _, _ = CASES[case]
    before = sorted(p.name for p in reports.iterdir())
    result = run_cli(reports, *build(tmp_path))
    assert result.returncode == 2, result.stderr
    assert sorted(p.name for p in reports.iterdir()) == before  # no run folder: nothing started


def test_battery_has_at_least_25_cases():
    assert len(CASES) >= 25


@pytest.mark.parametrize("encoding, data", [
    ("latin-1", "Café in Zürich, naïve façade.".encode("latin-1")),
    ("cp1252", "“Quoted” – text’s here.".encode("cp1252")),
    ("utf-8", b"\xef\xbb\xbf" + "Café with a BOM.".encode()),
    ("utf-8", b"\xff\xfe" + "UTF-16 with a BOM: Café.".encode("utf-16-le")),
    ("utf-8", b"Mixed\r\nline\rendings\nhere."),
])
def test_declared_or_marked_encodings_decode_correctly(tmp_path, encoding, data):
    from corpuslab import corpus

    target = folder(tmp_path, {"a.txt": data})
    text = corpus.load(target, encoding=encoding).loc[0, "text"]
    assert "\ufffd" not in text and "\r" not in text and not text.startswith("\ufeff")
    assert text == data.decode({"latin-1": "latin-1", "cp1252": "cp1252"}.get(encoding, "utf-8"), errors="ignore") or \
        text in ("Café with a BOM.", "UTF-16 with a BOM: Café.", "Mixed\nline\nendings\nhere.")


def test_debug_shows_the_traceback(tmp_path, reports):
    result = run_cli(reports, "--debug", "--set", f"corpus.path={tmp_path / 'nowhere'}")
    assert result.returncode != 0 and "Traceback" in result.stderr
