"""Reading a corpus file's bytes as text: UTF-8, a named encoding, or one detected per file (``auto``).

Bytes that no encoding fits become U+FFFD, which is never part of a token, and are counted, so a stray
byte can neither stop a corpus nor turn into words.
"""

from __future__ import annotations

from corpuslab.errors import CorpuslabError

AUTO = "auto"  # corpus.encoding: UTF-8, else detected file by file
FRENCH = "Le café est très bon. Nous étions à Paris, près de la gare, où il y a beaucoup de cafés élégants."


def _decode(raw: bytes, encoding: str, where: str) -> str:
    return decode(raw, encoding, where)[0]


def decode(raw: bytes, encoding: str, where: str, *, prefer: str | None = None) -> tuple[str, str, int]:
    """``raw`` decoded: (text, the encoding used, the number of undecodable bytes replaced by U+FFFD).

    ``encoding`` ``"auto"``: UTF-8 if valid, else ``prefer`` (the corpus's detected encoding) if it decodes
    the bytes, else the file's own detected encoding, else UTF-8 with each bad byte replaced. Any other
    encoding must decode every byte, or the error names the file. Line ends become ``\\n``.

    >>> decode(FRENCH.encode("cp1252"), "auto", "a.txt")[1:]
    ('cp1252', 0)
    >>> decode(b"\\xef\\xbb\\xbfHi\\r\\n", "auto", "a.txt")
    ('Hi\\n', 'utf-8-sig', 0)
    """
    n_bad = 0
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 byte-order mark is unambiguous
        encoding = "utf-16"
    elif raw.startswith(b"\xef\xbb\xbf") and encoding.lower().replace("_", "-") in ("utf-8", "utf8", AUTO):
        encoding = "utf-8-sig"
    if encoding == AUTO:
        text, encoding, n_bad = _decode_auto(raw, prefer)
    else:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise CorpuslabError(
                f"{where}: not valid {encoding} (byte {exc.start}); set corpus.encoding to the file's encoding, "
                "e.g. auto, latin-1, cp1252 or utf-16"
            ) from None
    if "\x00" in text:
        raise CorpuslabError(f"{where}: contains NUL characters (binary, or UTF-16 read as {encoding}); "
                             "remove the file or set corpus.encoding")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding, n_bad


def _decode_auto(raw: bytes, prefer: str | None) -> tuple[str, str, int]:
    try:
        return raw.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    for candidate in (prefer, detect_encoding(raw)):
        if candidate and candidate != "utf-8":
            try:
                return raw.decode(candidate), candidate, 0
            except (UnicodeDecodeError, LookupError):
                continue
    text, n_bad = decode_replacing(raw)
    return text, "utf-8", n_bad


def decode_replacing(raw: bytes) -> tuple[str, int]:
    """``raw`` as UTF-8 with each undecodable byte sequence replaced by U+FFFD (never part of a token),
    and how many were replaced.

    >>> decode_replacing(b"caf\\xe9 \\xef\\xbf\\xbd ok")
    ('caf\ufffd \ufffd ok', 1)
    """
    text = raw.decode("utf-8", errors="replace")
    return text, text.count("\ufffd") - raw.count("\ufffd".encode("utf-8"))


def detect_encoding(raw: bytes) -> str | None:
    """The encoding charset-normalizer (MIT) finds for ``raw``, judged on its lines that are not plain
    ASCII (at most 200 kB of them): a few legacy characters in a long English text are otherwise drowned.

    A short sample can fool it (that is why 00 lists each file's encoding); UTF-16 and UTF-32 are
    never guessed without a byte-order mark.

    >>> detect_encoding(FRENCH.encode("latin-1"))
    'cp1252'
    """
    from charset_normalizer import from_bytes

    sample = b"\n".join(line for line in raw.split(b"\n") if not line.isascii())[:200_000] or raw[:200_000]
    found = [m.encoding for m in from_bytes(sample) if not m.encoding.startswith(("utf_16", "utf_32"))]
    return found[0] if found else None


def is_utf8(raw: bytes) -> bool:
    """Whether ``raw`` is valid UTF-8."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
