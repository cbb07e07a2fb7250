"""Turning raw evidence bytes into text that parsers can trust, without moving line numbers.

Transcripts are what a terminal printed: colour codes, ``\\r`` progress redraws and the odd
non-UTF-8 byte. Cleaning keeps one output line per input line so that every ``line N`` a finding
or a command result quotes is the line a person sees when they open the file.
"""

from __future__ import annotations

import re

# CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks) and lone ESC codes.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Runs of blanks longer than this are cut to it. Parser patterns such as ``\S.*?\s*$`` scan a
# run once per character of it: a hostile line with a megabyte of spaces would take hours, and
# no tool indents or aligns its output by more.
MAX_BLANK_RUN = 32
# Written as one blank then the rest: a pattern that opens with a character class is searched for
# by a scan for that class, twice as fast as trying the repeat at every position.
_LONG_BLANK_RUN = re.compile(rf"\s\s{{{MAX_BLANK_RUN},}}")


def decode_bytes(raw: bytes) -> tuple[str, int | None]:
    """Decode as UTF-8 (BOM tolerated); undecodable bytes become U+FFFD.

    Returns the text and the 1-based line of the first undecodable byte (``None`` when the bytes
    were clean UTF-8), so the caller can report exactly where the damage is.
    """
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        bad_line = raw.count(b"\n", 0, exc.start) + 1
        return raw.decode("utf-8-sig", errors="replace"), bad_line


def strip_ansi(text: str) -> str:
    """Remove terminal escape sequences and stray control characters (tabs and newlines stay)."""
    return _CONTROL.sub("", _ANSI.sub("", text))


def terminal_lines(text: str) -> list[str]:
    """Split into the lines a terminal finally showed: the last ``\\r`` redraw of each line wins.

    ``\\r\\n`` is an ordinary line end; a lone ``\\r`` means the line was overwritten. The result
    has exactly one entry per ``\\n``-separated input line.
    """
    if "\r" in text or _CONTROL.search(text) or _LONG_BLANK_RUN.search(text):
        lines = [screen_line(raw_line) for raw_line in text.split("\n")]
    else:  # nothing any line would lose (escape sequences start with a control character)
        lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def screen_line(raw_line: str) -> str:
    """What a terminal finally showed of one ``\\n``-separated line (see :func:`terminal_lines`).

    Runs of more than :data:`MAX_BLANK_RUN` blanks are cut to that length.
    """
    line = raw_line.removesuffix("\r")
    if "\r" in line:
        # Keep the last non-empty redraw: progress bars end with the final state.
        segments = [segment for segment in line.split("\r") if segment.strip()]
        line = segments[-1] if segments else ""
    return _LONG_BLANK_RUN.sub(_cut_run, strip_ansi(line))


def _cut_run(run: re.Match[str]) -> str:
    return run.group()[:MAX_BLANK_RUN]
