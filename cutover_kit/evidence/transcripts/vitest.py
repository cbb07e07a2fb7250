"""vitest output: tree and flat case lines, ``FAIL`` sections, and the closing summary.

vitest marks each case with a symbol (``✓ × ↓``) and prints files and describe blocks as marked
lines with counts; an indented (verbose) tree names a case only through the groups above it.
A bare ``(2)`` count may also end a test's own name, so only a test file's line, the
``(N tests ...)`` form, or a line with deeper tree lines below it is taken for a group.
The same symbols appear in other tools' output, so outside a vitest block only lines that name a
test file count.
"""

from __future__ import annotations

import re

from cutover_kit.evidence.codes import CaseStatus
from cutover_kit.evidence.transcripts.commands import (
    PNPM_HEADER,
    PNPM_LIFECYCLE_FAILURE,
    PROMPT,
)
from cutover_kit.evidence.transcripts.runners import (
    add_case,
    ensure_block,
    in_block,
    start_block,
    summary,
    summary_counts,
)
from cutover_kit.evidence.transcripts.state import (
    Handlers,
    PendingMessage,
    ToolReader,
    TranscriptState,
    seconds,
)

VITEST_RUN = re.compile(r"^\s*RUN\s+v\d+\.\d+")
# Greedy up to the last non-blank (one blank when there is none), the same matches as the lazy
# `.+?\s*$` without trying the end of the line after every character.
VITEST_MARKED_LINE = re.compile(
    r"^(?P<indent>\s*)(?P<mark>[✓√✔×✗✕↓❯])\s+(?P<text>.*\S|[^\S\n])\s*$"
)
# `src/a.test.ts (3 tests | 1 failed) 12ms` or `suite (3)`: a file or describe block's count.
VITEST_GROUP = re.compile(
    r"^(?P<name>.+?)\s+\(\d+(?P<tally>\s+tests?(?:\s*\|[^)]*)?|\s*\|[^)]*)?\)"
    r"(?:\s+\d+(?:\.\d+)?m?s)?$"
)
# The files vitest runs by default: `.test.ts`, `.spec.mjs`, `.test.tsx`...
VITEST_TEST_FILE = re.compile(r"^\S+\.[cm]?[jt]sx?$")
VITEST_CASE_DURATION = re.compile(
    r"^(?P<name>.*\S|[^\S\n])\s+(?P<value>\d+(?:\.\d+)?)(?P<unit>ms|s)$"
)
VITEST_SKIP_MARKER = re.compile(r"\s+\[(?:skipped|todo)\]$")
VITEST_FAIL = re.compile(r"^\s*FAIL\s+(?P<text>\S(?:.*\S)?)\s*$")
VITEST_FILES_SUMMARY = re.compile(r"^\s*Test Files\s+(?P<counts>.*)$")
VITEST_TESTS_SUMMARY = re.compile(r"^\s*Tests\s+(?P<counts>(?:\d|no tests).*)$")
VITEST_DURATION = re.compile(r"^\s*Duration\s+(?P<value>\d+(?:\.\d+)?)(?P<unit>ms|s)\b")
TEST_FILE_PATH = re.compile(r"^\S+\.\w+$")
VITEST_STATUS = {
    "✓": CaseStatus.PASSED,
    "√": CaseStatus.PASSED,
    "✔": CaseStatus.PASSED,
    "↓": CaseStatus.SKIPPED,
}
# Lines that start or end a command: they belong to pnpm or the shell, never to a failure.
_COMMAND_LINES = (PROMPT, PNPM_HEADER, PNPM_LIFECYCLE_FAILURE)


def _arrow_message(text: str) -> str:
    """A tree line's failure message is the `→ message` line right below it, or there is none."""
    return text[1:].strip() if text.startswith("→") else ""


def _error_after_fail_lines(text: str) -> str | None:
    """A ``FAIL`` section's message is its first non-blank line that is not another ``FAIL`` line.

    vitest prints one ``FAIL`` line for each test that failed with an identical error (same
    stack), then that error once: every test of the group gets it.
    A prompt, a pnpm script header or an ELIFECYCLE line means the error was never printed.
    """
    if any(pattern.match(text) for pattern in _COMMAND_LINES):
        return ""
    fail = VITEST_FAIL.match(text)
    return None if fail is not None and " > " in fail["text"] else text


class Vitest(ToolReader):
    """vitest blocks: the open describe groups and whether a ``Duration`` line is due."""

    signals = (VITEST_RUN, VITEST_FILES_SUMMARY)

    def __init__(self, state: TranscriptState) -> None:
        super().__init__(state)
        # (indent, name) of the file and describe lines enclosing the next tree line.
        self.groups: list[tuple[int, str]] = []
        # The `Duration` line right after a summary is the run's time.
        self.expect_duration = False
        state.on_command_open.append(self._forget_duration)
        state.on_block_start.append(self._forget_block)

    def _forget_duration(self) -> None:
        self.expect_duration = False

    def _forget_block(self) -> None:
        self.groups = []
        self.expect_duration = False

    def handlers(self) -> Handlers:
        return (
            (VITEST_RUN, self._run),
            (VITEST_FILES_SUMMARY, self._files_summary),
            (VITEST_TESTS_SUMMARY, self._tests_summary),
            (VITEST_DURATION, self._duration),
            (VITEST_MARKED_LINE, self._marked_line),
            (VITEST_FAIL, self._fail_section),
        )

    def _run(self, match: re.Match[str], number: int) -> bool:
        start_block(self.state, "vitest", number)
        return True

    def _files_summary(self, match: re.Match[str], number: int) -> bool:
        ensure_block(self.state, "vitest", number)
        if "failed" in match["counts"]:
            self.state.fail(number)
        return True

    def _tests_summary(self, match: re.Match[str], number: int) -> bool:
        if not in_block(self.state, "vitest"):
            return False
        summary(self.state, "vitest", number, summary_counts(match["counts"]))
        self.expect_duration = True
        return True

    def _duration(self, match: re.Match[str], number: int) -> bool:
        if not self.expect_duration:
            return False
        self.expect_duration = False
        if self.state.current is not None:
            self.state.current.add_duration(seconds(match["value"], match["unit"]))
        return True

    def _case_path(self, text: str, indent: int) -> tuple[str, str] | None:
        """``(suite, name)`` of a case line: flat ``file > describe > case`` or an indented tree."""
        segments = text.split(" > ")
        if len(segments) > 1 and TEST_FILE_PATH.match(segments[0]):
            return segments[0], " > ".join(segments[1:])
        if not in_block(self.state, "vitest"):
            return None
        path = [name for group_indent, name in self.groups if group_indent < indent]
        if not path:
            return "", text
        return path[0], " > ".join([*path[1:], text])

    def _is_group(self, group: re.Match[str], mark: str, indent: int, number: int) -> bool:
        """Whether a counted line is a file or describe block rather than a case named ``x (2)``.

        ``❯`` never marks a case; a file line names a test file; a describe line in a verbose
        tree has its cases on the deeper-indented marked lines right below it.
        """
        if group["tally"] or mark == "❯" or VITEST_TEST_FILE.match(group["name"]):
            return True
        below = next((line for line in self.state.lines.following(number) if line.strip()), "")
        child = VITEST_MARKED_LINE.match(below)
        return child is not None and len(child["indent"]) > indent

    def _marked_line(self, match: re.Match[str], number: int) -> bool:
        indent, mark, text = len(match["indent"]), match["mark"], match["text"]
        group = VITEST_GROUP.match(text) if "(" in text else None
        if group is not None and self._is_group(group, mark, indent, number):
            if not in_block(self.state, "vitest") and not TEST_FILE_PATH.match(group["name"]):
                return False
            ensure_block(self.state, "vitest", number)
            self.groups = [g for g in self.groups if g[0] < indent]
            self.groups.append((indent, group["name"]))
            return True
        if mark == "❯":
            return False  # a stack-trace location, not a test
        duration_s = None
        if text.endswith("]"):
            text = VITEST_SKIP_MARKER.sub("", text)
        if timed := VITEST_CASE_DURATION.match(text):
            text, duration_s = timed["name"], seconds(timed["value"], timed["unit"])
        path = self._case_path(text, indent)
        if path is None:
            return False
        status = VITEST_STATUS.get(mark, CaseStatus.FAILED)
        case = add_case(self.state, "vitest", number, path[0], path[1], status, duration_s)
        if status == CaseStatus.FAILED:
            self.state.pending = PendingMessage([case], _arrow_message, ends_at_blank=True)
        return True

    def _fail_section(self, match: re.Match[str], number: int) -> bool:
        segments = match["text"].split(" > ")
        if len(segments) < 2 or not (
            in_block(self.state, "vitest") or TEST_FILE_PATH.match(segments[0])
        ):
            return False
        suite, name = segments[0], " > ".join(segments[1:])
        case = add_case(self.state, "vitest", number, suite, name, CaseStatus.FAILED)
        pending = self.state.pending
        if pending is not None and pending.read is _error_after_fail_lines:
            pending.cases.append(case)  # one more test sharing the error printed below
        else:
            self.state.pending = PendingMessage([case], _error_after_fail_lines)
        return True
