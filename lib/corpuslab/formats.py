"""Reading the documents of a folder corpus that are not plain text: PDF, Word (.docx), web pages and Markdown.

Each reader turns a file's bytes into text plus the document's own properties (``title``, ``author``, ``date``
in the project's forms YYYY, YYYY-MM or YYYY-MM-DD, and ``pages`` for a PDF); :func:`read` picks the reader by
format and turns any failure into :class:`Unreadable` with the reason, so one bad file never stops a corpus.
The libraries are imported only when a file of their format is read: a ``.txt`` or table corpus pays nothing.

A PDF's pages each end with a line holding only :data:`PAGE_BREAK` (a form feed): the page of any character
offset into the text, before or after cleaning, is :func:`page_at`. Running headers, footers and page numbers
stay in the text read here; :mod:`corpuslab.cleaning` removes them (rule ``page_furniture``) and lists them.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field

from corpuslab.encodings import decode

FORMATS = {".txt": "txt", ".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".md": "md"}
# A folder's own documentation, not documents: README.md, SOURCES.md ... (any suffix but .txt) are skipped
FOLDER_DOCUMENTATION = frozenset({"AUTHORS", "CHANGELOG", "CITATION", "LICENCE", "LICENSE", "NOTICE", "README",
                                  "SOURCES"})
PAGE_BREAK = "\f"  # the line ending each PDF page
PROPERTIES = ("title", "author", "date", "pages")
# First parts of words that keep their hyphen when a line break falls on it ("self-|destruction")
LEXICAL_PREFIXES = frozenset({"all", "cross", "ex", "great", "half", "ill", "non", "quasi", "self", "vice", "well"})
_HYPHEN_AT_END = re.compile(r"(\w+)-$")
_WORD_AT_START = re.compile(r"\w+")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?!\d)")
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?")
_HTML_DATES = {"extensive_search": False, "original_date": True, "min_date": "1000-01-01"}  # markup only, no guesses


class Unreadable(Exception):
    """A file that cannot be read as its format; the message says why and what to do."""


@dataclass(frozen=True)
class Extracted:
    """The text of a document and the properties it names about itself (only those it has)."""

    text: str
    properties: dict = field(default_factory=dict)
    encoding: str = ""  # the text encoding of an HTML or Markdown file; empty for PDF and DOCX
    n_bad_bytes: int = 0


def read(raw: bytes, fmt: str, where: str, encoding: str = "auto") -> Extracted:
    """The text and properties of the bytes of a ``fmt`` file (``pdf``, ``docx``, ``html``, ``md``).

    Raises :class:`Unreadable` naming the reason for a file that cannot be read or holds no text.

    >>> read(b"---\\ntitle: Note\\n---\\n# Head\\n\\nSome *text*.", "md", "a.md").text
    'Head\\n\\nSome text.'
    >>> read(b"<html><body><script>x()</script></body></html>", "html", "a.html")
    Traceback (most recent call last):
    corpuslab.formats.Unreadable: no main text found (an empty page, or only navigation and scripts)
    """
    if fmt in ("html", "md"):
        text, used, n_bad = decode(raw, encoding, where)
        extracted = (read_html if fmt == "html" else read_markdown)(text)
        extracted = Extracted(extracted.text, extracted.properties, used, n_bad)
    elif fmt == "pdf":
        extracted = read_pdf(raw)
    elif fmt == "docx":
        extracted = read_docx(raw)
    else:
        raise ValueError(f"no reader for format {fmt!r}")
    if not extracted.text.replace(PAGE_BREAK, "").strip():
        raise Unreadable("no text in it")
    return extracted


def is_folder_documentation(name: str) -> bool:
    """Whether a file of a corpus folder documents the folder (README.md, SOURCES.md, LICENSE.pdf ...) rather than
    being a document; ``.txt`` files are always documents.

    >>> [is_folder_documentation(n) for n in ("README.md", "readme.html", "README.txt", "speech.md")]
    [True, True, False, False]
    """
    stem, _, suffix = name.rpartition(".")
    return suffix.lower() != "txt" and stem.upper() in FOLDER_DOCUMENTATION


def page_at(text: str, offset: int) -> int:
    """The page (from 1) of character ``offset`` in a PDF's text: one more than the page breaks before it.

    >>> page_at("One.\\n\\f\\nTwo.\\n\\f", 4), page_at("One.\\n\\f\\nTwo.\\n\\f", 7)
    (1, 2)
    """
    return text.count(PAGE_BREAK, 0, offset) + 1


# ---- PDF ------------------------------------------------------------------------------------------------------

def read_pdf(raw: bytes) -> Extracted:
    """Text of a PDF, one paragraph per text block that pdfminer.six's layout analysis finds (a vertical gap larger
    than the line spacing starts a new block), lines re-joined (:func:`join_lines`), each page ending in a
    :data:`PAGE_BREAK` line; properties title, author, date (creation date) and pages."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
    from pdfminer.pdfparser import PDFParser

    try:
        info = PDFDocument(PDFParser(io.BytesIO(raw))).info
        pages = [[box.get_text().split("\n") for box in page if isinstance(box, LTTextContainer)]
                 for page in extract_pages(io.BytesIO(raw), laparams=LAParams())]
    except PDFEncryptionError:
        raise Unreadable("encrypted (password-protected): save a copy without a password") from None
    except Exception as exc:  # pdfminer raises many kinds of error on a damaged file
        raise Unreadable(f"damaged or not a PDF ({type(exc).__name__}: {str(exc)[:80]})") from None
    if not any(line.strip() for page in pages for box in page for line in box):
        raise Unreadable("no text layer (an image-only or scanned PDF): run OCR on it first, e.g. with ocrmypdf")
    words = " ".join(line for page in pages for box in page for line in box)
    hyphenated = {w.lower() for w in re.findall(r"\w+-\w+", words)}
    joined = {w.lower() for w in re.findall(r"\w+", words)}
    texts = ["\n\n".join(p for p in (join_lines(box, hyphenated, joined) for box in page) if p) for page in pages]
    text = "".join(f"{page}\n{PAGE_BREAK}\n" for page in texts).rstrip("\n")
    properties = _pdf_properties(info[0] if info else {})
    return Extracted(text, {**properties, "pages": len(pages)})


def _pdf_properties(info: dict) -> dict:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    found = {}
    for key, name in (("Title", "title"), ("Author", "author"), ("CreationDate", "date")):
        value = resolve1(info.get(key))
        if isinstance(value, bytes):
            value = decode_text(value)
        if isinstance(value, str) and value.strip():
            found[name] = value.strip()
    match = _PDF_DATE.match(found.pop("date", ""))
    date = normal_date("-".join(part for part in match.groups() if part)) if match else ""
    return {**found, **({"date": date} if date else {})}


def join_lines(lines: list[str], hyphenated: set[str] = frozenset(), joined: set[str] = frozenset()) -> str:
    """One paragraph from hard-wrapped ``lines``: a line break becomes a space, and a word broken across lines
    with a hyphen is re-joined; its hyphen is kept only if :func:`lexical_hyphen` says so.

    >>> join_lines(["a new gener-", "ation of", "self-", "destruction"])
    'a new generation of self-destruction'
    """
    out = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        end, start = _HYPHEN_AT_END.search(out), _WORD_AT_START.match(line)
        if end and start:
            keep = lexical_hyphen(end.group(1), start.group(), hyphenated, joined)
            out = (out if keep else out[:-1]) + line
        else:
            out = f"{out} {line}" if out else line
    return out


def lexical_hyphen(head: str, tail: str, hyphenated: set[str] = frozenset(), joined: set[str] = frozenset()) -> bool:
    """Whether the hyphen of ``head-`` at a line end, followed by ``tail`` on the next line, belongs to the word.

    In this order: yes if the document spells ``head-tail`` with a hyphen elsewhere (``hyphenated``), no if it
    spells ``headtail`` without (``joined``); yes if ``tail`` starts with a capital or digit ("Anglo-|Saxon",
    "1960-|61") or ``head`` is a prefix in :data:`LEXICAL_PREFIXES` ("self-|destruction"); else no: the
    typesetter broke the word ("gener-|ation").

    >>> lexical_hyphen("co", "operation", {"co-operation"}), lexical_hyphen("co", "operation")
    (True, False)
    """
    if f"{head}-{tail}".lower() in hyphenated:
        return True
    if f"{head}{tail}".lower() in joined:
        return False
    return tail[0].isupper() or tail[0].isdigit() or head.lower() in LEXICAL_PREFIXES


# ---- Word -----------------------------------------------------------------------------------------------------

def read_docx(raw: bytes) -> Extracted:
    """Text of a Word document with python-docx: its paragraphs and tables in document order (a table row is
    one line, its cells separated by tabs); properties title, author and date (created)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
        blocks = []
        for child in document.element.body.iterchildren():
            if child.tag.endswith("}p"):
                blocks.append(Paragraph(child, document).text)
            elif child.tag.endswith("}tbl"):
                blocks.extend(_row_text(row) for row in Table(child, document).rows)
        core = document.core_properties
    except Exception as exc:  # a truncated file, another format renamed .docx, a password-protected file
        raise Unreadable(f"damaged, password-protected or not a .docx file ({type(exc).__name__}): "
                         "open it in Word and save it again as .docx") from None
    found = {"title": (core.title or "").strip(), "author": (core.author or "").strip(),
             "date": normal_date(core.created) if core.created else ""}
    return Extracted("\n\n".join(b.strip() for b in blocks if b.strip()), {k: v for k, v in found.items() if v})


def _row_text(row) -> str:
    cells = []
    for cell in row.cells:  # a merged cell is listed once per grid column it spans
        if not cells or cell.text != cells[-1]:
            cells.append(cell.text)
    return "\t".join(" ".join(c.split()) for c in cells)


# ---- HTML and Markdown ----------------------------------------------------------------------------------------

def read_html(html: str) -> Extracted:
    """The main text of a web page, by trafilatura (navigation, scripts, styles, comments and boilerplate left
    out; never executed); properties title, author and date from the page's metadata and markup. A first line
    equal to the title (the headline) goes to ``title`` only."""
    import trafilatura

    document = trafilatura.bare_extraction(html, include_comments=False, include_tables=True, favor_precision=True,
                                           with_metadata=True, date_extraction_params=_HTML_DATES)
    text = (document.text or "") if document is not None else ""
    if not text.strip():
        raise Unreadable("no main text found (an empty page, or only navigation and scripts)")
    title = (document.title or "").strip()
    lines = text.split("\n")
    if title and lines[0].strip() == title:
        lines = lines[1:]
    found = {"title": title, "author": (document.author or "").strip(), "date": normal_date(document.date or "")}
    return Extracted("\n\n".join(line.strip() for line in lines if line.strip()), {k: v for k, v in found.items() if v})


def read_markdown(markdown: str) -> Extracted:
    """Text of a Markdown file without its syntax (parsed by mistune); title, author and date from a YAML
    front matter block (``---`` lines) if there is one."""
    import mistune
    import yaml

    found = {}
    front = _FRONT_MATTER.match(markdown)
    if front:
        try:
            spec = yaml.safe_load(front.group(1))
        except yaml.YAMLError:
            spec = None
        if isinstance(spec, dict):
            found = {k: str(spec[k]).strip() for k in ("title", "author") if spec.get(k)}
            date = normal_date(spec.get("date") or "")
            found.update({"date": date} if date else {})
            markdown = markdown[front.end():]
    blocks = mistune.create_markdown(renderer=None, plugins=["table", "strikethrough"])(markdown)
    text = "\n\n".join(b for b in (_block_text(block) for block in blocks) if b.strip())
    return Extracted(text, found)


def _block_text(node: dict) -> str:
    kind = node["type"]
    if kind in ("list", "block_quote", "table", "table_head", "table_body"):
        return "\n\n".join(b for b in (_block_text(child) for child in node.get("children", ())) if b.strip())
    if kind in ("list_item", "table_row"):
        return ("\t" if kind == "table_row" else " ").join(_block_text(child) for child in node["children"])
    if kind == "block_html":
        return re.sub(r"<[^>]*>", " ", node["raw"]).strip()
    if kind == "block_code":
        return node["raw"].strip()
    return _inline_text(node).strip()


def _inline_text(node: dict) -> str:
    if node["type"] in ("softbreak", "linebreak"):
        return " "
    if node["type"] == "inline_html":
        return ""
    if "children" in node:
        return "".join(_inline_text(child) for child in node["children"])
    return node.get("raw", "")


def normal_date(value) -> str:
    """A date or date-time (or its ISO text) in the project's forms YYYY, YYYY-MM or YYYY-MM-DD; ``""`` if it is
    none of these or does not exist.

    >>> dates = ("1961-01-20T12:00:00Z", "1961-01", "1961", datetime.date(1961, 1, 20), "1961-02-30", "May 1961")
    >>> [normal_date(v) for v in dates]
    ['1961-01-20', '1961-01', '1961', '1961-01-20', '', '']
    """
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.strftime("%Y-%m-%d")
    match = _ISO_DATE.match(str(value).strip())
    if not match:
        return ""
    year, month, day = match.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return ""
    return "-".join(part for part in (year, month, day) if part)


def format_counts(documents, unreadable):
    """Per file format: n_documents read and n_unreadable (files skipped); empty for a corpus without ``format``.

    >>> import pandas as pd
    >>> counts = format_counts(pd.DataFrame({"format": ["pdf", "txt", "pdf"]}), pd.DataFrame({"format": ["docx"]}))
    >>> counts.values.tolist()
    [['docx', 0, 1], ['pdf', 2, 0], ['txt', 1, 0]]
    """
    import pandas as pd

    columns = ["format", "n_documents", "n_unreadable"]
    if "format" not in documents.columns and not len(unreadable):
        return pd.DataFrame(columns=columns)
    read_ = documents["format"] if "format" in documents.columns else pd.Series("txt", index=documents.index)
    table = pd.concat([read_.value_counts().rename("n_documents"), unreadable["format"].value_counts().rename(
        "n_unreadable")], axis=1).fillna(0).astype("int64").sort_index()
    return table.rename_axis("format").reset_index()[columns]


def with_pages(hits, documents):
    """``hits`` (a table with ``doc_id`` and ``start``, a character offset into the document's text, such as a
    KWIC table) with the ``page`` of each hit in a document read from a PDF (``<NA>`` in other documents): what a
    researcher needs to cite the passage.

    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["p", "t"], "text": ["One.\\n\\f\\nTwo.\\n\\f", "One. Two."],
    ...                      "pages": [2, None]})
    >>> with_pages(pd.DataFrame({"doc_id": ["p", "t"], "start": [7, 5]}), docs)["page"].tolist()
    [2, <NA>]
    """
    import pandas as pd

    texts = dict(zip(documents["doc_id"], documents["text"]))
    paged = set(documents.loc[documents["pages"].notna(), "doc_id"]) if "pages" in documents.columns else set()
    pages = [page_at(texts[d], int(s)) if d in paged else pd.NA for d, s in zip(hits["doc_id"], hits["start"])]
    return hits.assign(page=pd.array(pages, dtype="Int64"))
