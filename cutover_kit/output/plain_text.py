"""Evidence text in terminal output: one output line stays one line, whatever the evidence holds.

File names and evidence values may hold newlines, carriage returns and escape sequences. Printed
as they are, they would forge lines in ``validate`` or ``verdict`` output (a fake ``accepted``
line, a redrawn verdict) or drive the terminal. Control characters are shown escaped instead.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    named = {0x0A: "\\n", 0x0D: "\\r"}
    return named.get(code) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def one_line(text: str) -> str:
    """``text`` with every control character (tabs excepted) written as an escape."""
    return _CONTROL.sub(_escaped, text)
