"""cargo output: test binaries and their cases, panic messages, and build, clippy and fmt errors.

``cargo test`` runs one binary per crate target; each prints ``running N tests``, its cases and a
``test result:`` line, and the ``Running``/``Doc-tests`` line before it names the suite. A failed
case's message is its panic, printed later in the ``---- name stdout ----`` section.
"""

from __future__ import annotations

import re
from collections import Counter

from cutover_kit.evidence.codes import CaseStatus
from cutover_kit.evidence.transcripts.runners import add_case, start_block, summary
from cutover_kit.evidence.transcripts.state import (
    Handlers,
    PendingMessage,
    ToolReader,
    TranscriptState,
)

CARGO_COMMAND = re.compile(r"\bcargo\b")
CARGO_FMT_COMMAND = re.compile(r"\bcargo\s+fmt\b")
CARGO_RUNNING = re.compile(
    r"^\s*Running\s+(?:\w+\s+)?(?:\S+\s+\()?(?P<binary>\S*target[/\\][^\s)]+)\)?\s*$"
)
CARGO_DOC_TESTS = re.compile(r"^\s*Doc-tests\s+(?P<crate>\S+)\s*$")
CARGO_BINARY_HASH = re.compile(r"-[0-9a-f]{16}(?:\.exe)?$")
PATH_SEPARATOR = re.compile(r"[/\\]")
CARGO_RUNNING_TESTS = re.compile(r"^running \d+ tests?$")
CARGO_CASE = re.compile(
    r"^test (?P<name>\S.*?) \.\.\. (?P<status>ok|FAILED|ignored)(?:, .*| <(?P<secs>[\d.]+)s>)?$"
)
CARGO_RESULT = re.compile(
    r"^test result: (?P<outcome>ok|FAILED)\. (?P<passed>\d+) passed; (?P<failed>\d+) failed; "
    r"(?P<skipped>\d+) ignored;.*?(?:finished in (?P<secs>[\d.]+)s)?$"
)
CARGO_FAILURE_HEADER = re.compile(r"^---- (?P<name>\S.*?) stdout ----$")
RUST_PANIC = re.compile(r"^thread '[^']*' panicked at (?P<rest>.*)$")
RUST_OLD_PANIC_MESSAGE = re.compile(r"^'(?P<message>.*)', \S+:\d+:\d+$")
# Lines that end a cargo failure block without a panic message in it.
CARGO_FAILURE_BLOCK_END = re.compile(r"^(?:failures:|---- |test result: )")
CARGO_ERROR = re.compile(r"^error(?:\[E\d+\])?:")
CARGO_FMT_DIFF = re.compile(r"^Diff in \S")
CARGO_STATUS = {"ok": CaseStatus.PASSED, "FAILED": CaseStatus.FAILED, "ignored": CaseStatus.SKIPPED}


class _PanicMessage:
    """Finds the panic message in a failed test's ``---- name stdout ----`` section."""

    def __init__(self) -> None:
        self.location_seen = False

    def __call__(self, text: str) -> str | None:
        if self.location_seen:
            return text
        panic = RUST_PANIC.match(text)
        if panic is None:
            # The test's captured stdout comes before its panic.
            return "" if CARGO_FAILURE_BLOCK_END.match(text) else None
        old_style = RUST_OLD_PANIC_MESSAGE.match(panic["rest"])
        if old_style is None:
            self.location_seen = True  # since Rust 1.73 the message follows the location
            return None
        return old_style["message"]


class Cargo(ToolReader):
    """cargo test blocks, named by the suite of the binary being run."""

    signals = (CARGO_RUNNING_TESTS, CARGO_RESULT)

    def __init__(self, state: TranscriptState) -> None:
        super().__init__(state)
        # Suite of the cases that follow: the crate target of the last `Running` line.
        self.suite = ""
        state.on_command_open.append(self._forget_suite)

    def _forget_suite(self) -> None:
        self.suite = ""

    def handlers(self) -> Handlers:
        return (
            (CARGO_RUNNING, self._running),
            (CARGO_DOC_TESTS, self._doc_tests),
            (CARGO_RUNNING_TESTS, self._running_tests),
            (CARGO_CASE, self._case),
            (CARGO_RESULT, self._result),
            (CARGO_FAILURE_HEADER, self._failure_header),
            (CARGO_ERROR, self._error),
            (CARGO_FMT_DIFF, self._fmt_diff),
        )

    def _running(self, match: re.Match[str], number: int) -> bool:
        self.state.note_tool("cargo")
        binary = PATH_SEPARATOR.split(match["binary"])[-1]
        self.suite = CARGO_BINARY_HASH.sub("", binary)
        return True

    def _doc_tests(self, match: re.Match[str], number: int) -> bool:
        self.state.note_tool("cargo")
        self.suite = match["crate"]
        return True

    def _running_tests(self, match: re.Match[str], number: int) -> bool:
        start_block(self.state, "cargo", number)
        return True

    def _case(self, match: re.Match[str], number: int) -> bool:
        duration_s = float(match["secs"]) if match["secs"] else None
        status = CARGO_STATUS[match["status"]]
        add_case(self.state, "cargo", number, self.suite, match["name"], status, duration_s)
        return True

    def _result(self, match: re.Match[str], number: int) -> bool:
        # The summary's groups are named after the statuses they count.
        stated = (CaseStatus.PASSED, CaseStatus.FAILED, CaseStatus.SKIPPED)
        counts = Counter({key: int(match[key]) for key in stated if int(match[key])})
        if match["outcome"] == "FAILED":
            self.state.fail(number)
        if match["secs"] and self.state.current is not None:
            self.state.current.add_duration(float(match["secs"]))
        summary(self.state, "cargo", number, counts)
        return True

    def _failure_header(self, match: re.Match[str], number: int) -> bool:
        block = self.state.block
        if block is None or block.framework != "cargo":
            return False
        index = block.keys.get((self.suite, match["name"]))
        if index is None:
            return False
        self.state.pending = PendingMessage([index], _PanicMessage())
        return True

    def _error(self, match: re.Match[str], number: int) -> bool:
        return self._fails_command(CARGO_COMMAND, number)

    def _fmt_diff(self, match: re.Match[str], number: int) -> bool:
        return self._fails_command(CARGO_FMT_COMMAND, number)

    def _fails_command(self, command: re.Pattern[str], number: int) -> bool:
        """A failure marker counts only inside the cargo command it belongs to."""
        run = self.state.current
        if run is None or not command.search(run.text):
            return False
        self.state.fail(number)
        return True
