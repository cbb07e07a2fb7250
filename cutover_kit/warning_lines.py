"""Warnings as one line each, the way every other message of the kit is shown.

Python's default hook prints the file, line number and source line of the code that warned. On
the command line that is noise; on a report page (a notebook kernel's stderr, drawn as a red box
at the top) a line of the kit's own code reads like a crash to the person deciding on the
cutover, when the message only says, say, that the ingest cache was rebuilt. The CLI and both
notebooks install :func:`show_as_line` before they read any evidence.
"""

from __future__ import annotations

import sys
import warnings
from typing import TextIO


def show_as_line(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """A :data:`warnings.showwarning` hook: ``cutover-kit: warning: <message>`` on stderr."""
    print(f"cutover-kit: warning: {message}", file=file or sys.stderr)


def warnings_as_lines() -> None:
    """Show every warning of this process as one line (see the module docstring)."""
    warnings.showwarning = show_as_line
