"""A tiny terminal recorder: lines as a TTY printed them, with or without colour codes.

Colour is applied by wrapping exact substrings, so stripping the escape codes gives back the
plain line byte for byte; a transcript with colour and one without therefore parse the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GREEN = ("\x1b[32m", "\x1b[39m")
RED = ("\x1b[31m", "\x1b[39m")
YELLOW = ("\x1b[33m", "\x1b[39m")
GRAY = ("\x1b[90m", "\x1b[39m")
BOLD = ("\x1b[1m", "\x1b[22m")
ON_RED = ("\x1b[41m\x1b[30m", "\x1b[39m\x1b[49m")
CARGO_GREEN = ("\x1b[1m\x1b[32m", "\x1b[0m")
CLEAR_LINE = "\x1b[2K"


@dataclass
class Terminal:
    """Collects printed lines; ``paint`` colours text only when the session ran in a TTY."""

    ansi: bool
    lines: list[str] = field(default_factory=list)

    def paint(self, text: str, style: tuple[str, str]) -> str:
        return f"{style[0]}{text}{style[1]}" if self.ansi else text

    def print(self, *lines: str) -> None:
        self.lines.extend(lines)

    def prompt(self, command: str) -> None:
        """The shell prompt line that starts each command of a transcript."""
        self.lines.append(f"$ {command}")

    def render(self) -> bytes:
        return ("\n".join(self.lines) + "\n").encode()
