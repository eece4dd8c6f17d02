"""Read a file as text, UTF-8 first, and say where it is not UTF-8.

The agreements require UTF-8 (``000`` annex 3). A Latin-1 (Windows-1252)
file must be reported once, as an encoding problem, not as a storm of cell
errors: bytes that are not UTF-8 are decoded as Windows-1252 so that the
other checks still see the right letters, and the check records on which
lines this happened.

Cost: linear in the file. The line of each bad byte is counted from the
previous bad byte of the same decoded chunk, not from the chunk's start
(``scanned`` counts the bytes read to number the lines: at most the
file's size, however many bytes are not UTF-8).
"""
from __future__ import annotations

import codecs
import contextvars
import io
from typing import BinaryIO, Optional

from .base import Check, Counter, Result, status_of

_current: contextvars.ContextVar[Optional["EncodingCheck"]] = (
    contextvars.ContextVar("partnership_encoding", default=None))

_HANDLER = "partnership-cp1252"
#: Bytes read and decoded at a time.
CHUNK = 1 << 20


def _fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    check = _current.get()
    if check is not None:
        check.bad_bytes(error.object, error.start)
    text = bytes(error.object[error.start:error.end]).decode(
        "cp1252", errors="replace")
    return text, error.end


codecs.register_error(_HANDLER, _fallback)


class _Counting(io.BufferedIOBase):
    """A buffered reader that counts the newlines it hands out; each
    ``read1`` is one chunk the text layer decodes next."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.lines_before = 0   # newlines before the chunk being decoded
        self._lines = 0

    def readable(self) -> bool:
        return True

    def read1(self, size: int = -1) -> bytes:  # type: ignore[override]
        data = self._raw.read(size if size and size > 0 else CHUNK)
        self.lines_before = self._lines
        self._lines += data.count(b"\n")
        return data

    read = read1  # type: ignore[assignment]


class EncodingCheck(Check):
    """UTF-8 (with or without BOM) passes; anything else is a failure that
    names the encoding it looks like and the first lines concerned."""

    name = "encoding"

    def __init__(self) -> None:
        self.lines = Counter()
        self._last_line = 0
        self._raw: Optional[_Counting] = None
        self.bom = False
        # The chunk being decoded, how far its newlines are counted, and
        # how many there are up to there.
        self._chunk: Optional[bytes] = None
        self._at = 0
        self._newlines = 0
        #: Bytes read to number the lines of bad bytes (cost tests).
        self.scanned = 0

    def open(self, binary: BinaryIO) -> io.TextIOWrapper:
        """Wrap ``binary`` in a text stream that reports to this check.
        Call :meth:`close` when done."""
        head = binary.read(3)
        self.bom = head == codecs.BOM_UTF8
        if not self.bom:
            binary.seek(0)
        self._raw = _Counting(binary)
        stream = io.TextIOWrapper(
            self._raw, encoding="utf-8",
            errors=_HANDLER, newline="")
        stream._CHUNK_SIZE = CHUNK  # type: ignore[attr-defined]
        self._token = _current.set(self)
        return stream

    def close(self) -> None:
        _current.reset(self._token)

    def bad_bytes(self, chunk: bytes, offset: int) -> None:
        assert self._raw is not None
        if chunk is not self._chunk or offset < self._at:
            # a new chunk: the decoder moves forward within one
            self._chunk, self._at, self._newlines = chunk, 0, 0
        self._newlines += chunk.count(b"\n", self._at, offset)
        self.scanned += offset - self._at
        self._at = offset
        line = self._raw.lines_before + self._newlines + 1
        if line != self._last_line:
            self._last_line = line
            self.lines.add(line)

    def result(self) -> Result:
        findings = []
        if self.lines.count:
            findings.append(self.lines.finding(
                "not_utf8", guess="windows-1252"))
        return {"check": self.name, "status": status_of(findings),
                "findings": findings,
                "encoding": "windows-1252" if findings else "utf-8",
                "bom": self.bom}
