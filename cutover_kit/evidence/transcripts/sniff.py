"""Telling a terminal transcript from a markdown record or prose that quotes commands."""

from __future__ import annotations

from cutover_kit.evidence.transcripts.commands import PNPM_HEADER, PNPM_SCRIPT_BODY, PROMPT
from cutover_kit.evidence.transcripts.parser import TOOLS

# Lines that alone show tool output, whatever surrounds them.
_TRANSCRIPT_SIGNALS = tuple(pattern for tool in TOOLS for pattern in tool.signals)
# Lines after a `$ ` line searched for its output: tools often print a blank line first.
_PROMPT_OUTPUT_WINDOW = 3


def looks_like_transcript(lines: list[str]) -> bool:
    """True when the lines show terminal command output rather than a markdown record or prose."""
    if _is_markdown_document(lines):
        return False
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if PROMPT.match(line):
            # A `$ ` line only counts when the command printed something.
            if _prints_output(lines[index + 1 : index + 1 + _PROMPT_OUTPUT_WINDOW]):
                return True
        elif PNPM_HEADER.match(line):
            if PNPM_SCRIPT_BODY.match(following):
                return True
        elif any(pattern.match(line) for pattern in _TRANSCRIPT_SIGNALS):
            return True
    return False


def _prints_output(after_prompt: list[str]) -> bool:
    """The first non-blank line after a prompt is output unless it is the next prompt."""
    output = next((line for line in after_prompt if line.strip()), None)
    return output is not None and not PROMPT.match(output)


def _is_markdown_document(lines: list[str]) -> bool:
    first = next((line for line in lines if line.strip()), "")
    return first.startswith("# ") and any(line.startswith("## ") for line in lines)
