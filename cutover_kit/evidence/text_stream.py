"""Reading a large text file line by line: decoded, cleaned and hashed as it goes.

Transcripts of CI runs reach hundreds of megabytes. They are read in fixed-size chunks and handed
on one cleaned line at a time (see :func:`~cutover_kit.evidence.text.screen_line`), so memory
stays bounded whatever the size: only the current chunk and the line being assembled are held,
and a single line longer than :data:`MAX_LINE_BYTES` is cut rather than held whole.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator
from typing import BinaryIO

from cutover_kit.evidence.codes import FindingCode
from cutover_kit.evidence.model import Finding, Severity
from cutover_kit.evidence.text import screen_line

CHUNK_BYTES = 1024 * 1024
MAX_LINE_BYTES = 1024 * 1024
_BOM = b"\xef\xbb\xbf"


class TextStream:
    """The lines of one open file, with its SHA-256 and size once every byte has been read."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._digest = hashlib.sha256()
        self.size = 0
        self._first_bad_line: int | None = None
        self._first_cut_line: int | None = None
        self._cut_lines = 0

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def _chunks(self) -> Iterator[bytes]:
        while chunk := self._handle.read(CHUNK_BYTES):
            self._digest.update(chunk)
            self.size += len(chunk)
            yield chunk

    def lines(self) -> Iterator[str]:
        """Each ``\\n``-separated line as a terminal showed it (BOM dropped, one per input line)."""
        pending = bytearray()
        cut = False
        number = 0
        for index, chunk in enumerate(self._chunks()):
            parts = (chunk.removeprefix(_BOM) if index == 0 else chunk).split(b"\n")
            for part in parts[:-1]:
                number += 1
                if not pending and len(part) <= MAX_LINE_BYTES:
                    yield self._line(part, number, cut=False)  # the common case: no copy
                    continue
                cut = self._append(pending, part, cut, number)
                yield self._line(bytes(pending), number, cut)
                pending.clear()
                cut = False
            cut = self._append(pending, parts[-1], cut, number + 1)
        if pending or cut:
            yield self._line(bytes(pending), number + 1, cut)

    def drain(self) -> None:
        """Read (and hash) whatever the consumer of :meth:`lines` left unread."""
        for _chunk in self._chunks():
            pass

    def _append(self, pending: bytearray, part: bytes, cut: bool, number: int) -> bool:
        room = MAX_LINE_BYTES - len(pending)
        if len(part) <= room:
            pending += part
            return cut
        pending += part[:room]
        if not cut:
            self._first_cut_line = self._first_cut_line or number
            self._cut_lines += 1
        return True

    def _line(self, raw: bytes, number: int, cut: bool) -> str:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if cut and _only_cut_short(raw):
                # The cut fell inside a multi-byte character: not an encoding problem.
                return self._line(raw[: exc.start], number, cut=False)
            if self._first_bad_line is None:
                self._first_bad_line = number
            text = raw.decode("utf-8", errors="replace")
        return screen_line(text)

    def findings(self) -> list[Finding]:
        """Encoding damage and cut lines met while reading, each pointing at its first line."""
        findings = []
        if self._first_bad_line is not None:
            line = self._first_bad_line
            findings.append(
                Finding(
                    Severity.WARNING,
                    FindingCode.NON_UTF8,
                    f"bytes that are not UTF-8 from line {line} on were replaced with U+FFFD",
                    f"line {line}",
                )
            )
        if self._first_cut_line is not None:
            first, more = self._first_cut_line, self._cut_lines - 1
            others = f" (and {more} more line(s))" if more else ""
            findings.append(
                Finding(
                    Severity.WARNING,
                    FindingCode.LINE_TOO_LONG,
                    f"line {first}{others} is longer than {MAX_LINE_BYTES} bytes; only its first"
                    f" {MAX_LINE_BYTES} bytes were read",
                    f"line {first}",
                )
            )
        return findings


def _only_cut_short(raw: bytes) -> bool:
    """True when ``raw`` is valid UTF-8 but for a character its end cuts in two."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(raw, final=False)
    except UnicodeDecodeError:
        return False
    return True
