"""One public-domain speech as .txt, PDF, Word, web page and Markdown in one folder (with four files that cannot
be read), through the CLI as a new user runs it: five documents with the same words and top terms, and 00 says
which file type each came from and which files were skipped, and why."""

from __future__ import annotations

import shutil

from corpuslab.resources import PROJECT_ROOT

from .test_own_corpus import page_text, read, run_report

FORMATS = PROJECT_ROOT / "tests" / "fixtures" / "formats"


def test_a_mixed_folder_gives_the_same_speech_five_times(tmp_path):
    corpus = tmp_path / "speech"
    corpus.mkdir()
    for path in [*FORMATS.glob("kennedy.*"), *(FORMATS / "unreadable").iterdir()]:
        shutil.copy(path, corpus)
    run = run_report(tmp_path / "reports", "--set", f"corpus.path={corpus}", "--set", "groups=[format]",
                     "--only", "00,01")
    summary = read(run, "corpus_summary")
    assert summary["doc_id"].tolist() == [f"kennedy.{s}" for s in ("docx", "html", "md", "pdf", "txt")]
    assert summary["n_tokens"].nunique() == 1 and summary["n_types"].nunique() == 1  # the same words in each
    top = read(run, "top_terms_by_group").query("by == 'format'")
    terms = {group: tuple(rows.sort_values("rank")["term"]) for group, rows in top.groupby("group")}
    assert set(terms) == {"docx", "html", "md", "pdf", "txt"}
    assert len(set(terms.values())) == 1, terms  # the same top terms from each file type
    formats = read(run, "corpus_formats")
    assert formats.set_index("format")["n_documents"].to_dict() == {"docx": 1, "html": 1, "md": 1, "pdf": 1, "txt": 1}
    assert read(run, "unreadable_files")["file"].tolist() == ["empty.html", "encrypted.pdf", "scanned.pdf",
                                                              "truncated.docx"]
    assert set(read(run, "cleaning_removed").query("rule == 'page_furniture'")["doc_id"]) == {"kennedy.pdf"}
    page = page_text(run, "00_corpus")
    assert "Documents by file type: docx 1, html 1, md 1, pdf 1, txt 1; 4 files could not be read" in page
    for reason in ("encrypted (password-protected)", "no text layer", "damaged, password-protected", "no main text"):
        assert reason in page
