"""Command transcripts: what pnpm, vitest, cargo, pytest and node scripts printed in a terminal.

A transcript is the only evidence that a command actually ran, so the parser reconstructs every
command (with its nesting, exit code and duration) and every test case it can see, in one pass over
the cleaned lines of :func:`cutover_kit.evidence.text.terminal_lines`. Where the output contradicts
itself (failed tests but no pnpm failure) or stops early, it says so with a finding instead of
guessing a pass.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from .model import CheckResult, CommandResult, Extract, Finding, Severity, TestCaseResult

# --- commands -------------------------------------------------------------------------------------

PROMPT = re.compile(r"^\$ (?P<command>\S.*?)\s*$")
# `pnpm [opts] [run] <name> [args]`: the form a pnpm script is invoked with.
PNPM_INVOCATION = re.compile(
    r"^pnpm(?:\s+--?[\w-]+(?:=\S+)?)*\s+(?:(?P<run>run)\s+)?(?P<name>[^\s-]\S*)(?P<args>.*)$"
)
# `> pkg@1.2.3 script-name /path`: the header pnpm prints before running a script.
PNPM_HEADER = re.compile(r"^> (?:@[^\s/@]+/)?[^\s@]+@\S+ (?P<script>\S+)(?: .*)?$")
PNPM_SCRIPT_BODY = re.compile(r"^> (?P<body>.*)$")
# Scripts a script body calls: `pnpm run a && pnpm b`, `npm run c`.
NESTED_SCRIPT_CALL = re.compile(
    r"(?:^|[\s;&|(])(?:pnpm|npm|yarn)(?:\s+--?[\w-]+(?:=\S+)?)*\s+(?:run\s+)?(?P<name>[^\s;&|()-][^\s;&|()]*)"
)
PNPM_LIFECYCLE_FAILURE = re.compile(
    r"^\s*ELIFECYCLE\s+(?:Command|Test) failed(?: with exit code (?P<code>\d+))?"
)
PNPM_ERROR = re.compile(r"^\s*ERR_PNPM_\w+")
SHELL_EXIT = re.compile(
    r"^\s*\[?(?:exit(?: code| status)?:?|process exited with (?:exit )?code)\s*"
    r"(?P<code>\d+)\]?\.?\s*$",
    re.IGNORECASE,
)
# Tools a prompt line names: `cargo test`, `node scripts/x.mjs`, `python -m pytest`.
TOOL_IN_COMMAND = re.compile(r"\b(?P<tool>cargo|node|pytest)\b")
CARGO_COMMAND = re.compile(r"\bcargo\b")
CARGO_FMT_COMMAND = re.compile(r"\bcargo\s+fmt\b")
DONE_IN = re.compile(r"^\s*Done in (?P<value>\d+(?:\.\d+)?)(?P<unit>ms|s)\b")
# pnpm subcommands that are not scripts: `pnpm install` keeps its full text.
PNPM_BUILTINS = frozenset(
    {"add", "audit", "create", "dlx", "exec", "i", "install", "list", "ls", "outdated", "remove"}
    | {"rm", "store", "update", "up", "why"}
)

# --- node scripts ---------------------------------------------------------------------------------

HANDOFF_VALIDATION = re.compile(
    r"^\s*MemoryKernel handoff payload validation (?P<outcome>passed|failed)\b:?\s*(?P<reason>.*)$"
)

# --- vitest ---------------------------------------------------------------------------------------

VITEST_RUN = re.compile(r"^\s*RUN\s+v\d+\.\d+")
VITEST_MARKED_LINE = re.compile(r"^(?P<indent>\s*)(?P<mark>[✓√✔×✗✕↓❯])\s+(?P<text>.+?)\s*$")
# `src/a.test.ts (3 tests | 1 failed) 12ms`: a file or describe block, not a test case.
VITEST_GROUP = re.compile(
    r"^(?P<name>.+?)\s+\(\d+(?:\s+tests?)?(?:\s*\|[^)]*)?\)(?:\s+\d+(?:\.\d+)?m?s)?$"
)
VITEST_CASE_DURATION = re.compile(r"^(?P<name>.+?)\s+(?P<value>\d+(?:\.\d+)?)(?P<unit>ms|s)$")
VITEST_SKIP_MARKER = re.compile(r"\s+\[(?:skipped|todo)\]$")
VITEST_FAIL = re.compile(r"^\s*FAIL\s+(?P<text>\S.*?)\s*$")
VITEST_FILES_SUMMARY = re.compile(r"^\s*Test Files\s+(?P<counts>.*)$")
VITEST_TESTS_SUMMARY = re.compile(r"^\s*Tests\s+(?P<counts>(?:\d|no tests).*)$")
VITEST_DURATION = re.compile(r"^\s*Duration\s+(?P<value>\d+(?:\.\d+)?)(?P<unit>ms|s)\b")
TEST_FILE_PATH = re.compile(r"^\S+\.\w+$")
VITEST_STATUS = {"✓": "passed", "√": "passed", "✔": "passed", "↓": "skipped"}

# --- cargo ----------------------------------------------------------------------------------------

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
CARGO_STATUS = {"ok": "passed", "FAILED": "failed", "ignored": "skipped"}

# --- pytest ---------------------------------------------------------------------------------------

PYTEST_SESSION = re.compile(r"^=+ test session starts =+$")
PYTEST_CASE = re.compile(
    r"^(?P<nodeid>\S+?\.py::\S+)\s+(?P<status>PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b"
)
PYTEST_SHORT_SUMMARY = re.compile(
    r"^(?P<status>FAILED|ERROR) (?P<nodeid>\S+?\.py::\S+)(?: - (?P<message>.*))?$"
)
PYTEST_SUMMARY = re.compile(
    r"^=+ (?P<counts>.*?(?:passed|failed|errors?|skipped|no tests ran).*?) "
    r"in (?P<secs>\d+(?:\.\d+)?)s\b.*=+$"
)
PYTEST_STATUS = {
    "PASSED": "passed",
    "XPASS": "passed",
    "FAILED": "failed",
    "ERROR": "error",
    "SKIPPED": "skipped",
    "XFAIL": "skipped",
}

SUMMARY_COUNT = re.compile(r"(?P<count>\d+) (?P<word>[a-z]+)")
# Summary words per status, across vitest (todo), cargo (ignored) and pytest (errors, xfailed...).
SUMMARY_STATUS = {
    "passed": "passed",
    "xpassed": "passed",
    "failed": "failed",
    "error": "error",
    "errors": "error",
    "skipped": "skipped",
    "ignored": "skipped",
    "todo": "skipped",
    "xfailed": "skipped",
}


def pnpm_script(command: str) -> tuple[str, bool] | None:
    """The pnpm script a command line may invoke, and whether the line alone proves it.

    ``pnpm run X`` and a bare ``pnpm X`` are certainly script X; ``pnpm X --flag`` may be a binary
    (``pnpm vitest run``) until pnpm's own ``> pkg@ver X`` header confirms it.
    """
    match = PNPM_INVOCATION.match(command.strip())
    if match is None or (not match["run"] and match["name"] in PNPM_BUILTINS):
        return None
    return match["name"], bool(match["run"]) or not match["args"].strip()


def normalise_command(command: str) -> str:
    """pnpm script invocations become the script name; every other command keeps its full text.

    Records and transcripts name the same command differently (``pnpm run check:x`` vs
    ``check:x``); gates compare commands by this normal form.
    """
    script = pnpm_script(command)
    return script[0] if script and script[1] else command.strip()


def looks_like_transcript(lines: list[str]) -> bool:
    """True when the lines show terminal command output rather than a markdown record or prose."""
    if _is_markdown_document(lines):
        return False
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if PROMPT.match(line):
            # A `$ ` line only counts when the command printed something.
            if following.strip() and not PROMPT.match(following):
                return True
        elif PNPM_HEADER.match(line):
            if PNPM_SCRIPT_BODY.match(following):
                return True
        elif any(pattern.match(line) for pattern in _TRANSCRIPT_SIGNALS):
            return True
    return False


_TRANSCRIPT_SIGNALS = (
    PNPM_LIFECYCLE_FAILURE,
    VITEST_RUN,
    VITEST_FILES_SUMMARY,
    CARGO_RUNNING_TESTS,
    CARGO_RESULT,
    PYTEST_SESSION,
    PYTEST_SUMMARY,
    HANDOFF_VALIDATION,
)


def _is_markdown_document(lines: list[str]) -> bool:
    first = next((line for line in lines if line.strip()), "")
    return first.startswith("# ") and any(line.startswith("## ") for line in lines)


def parse_transcript(lines: list[str]) -> Extract:
    """Commands, test cases, handoff checks and consistency findings of one transcript."""
    return _TranscriptParser(lines).parse()


@dataclass
class _Run:
    """One command while it is being observed; its result is decided when the file ends."""

    command: str
    line: int
    parent: str
    # Typed at a `$` prompt: it encloses everything printed until the next prompt.
    prompt: bool
    # Prompt text or pnpm script body: tells which tool's failure markers apply.
    text: str
    pnpm: bool
    # pnpm printed the `> pkg@ver script` header, so a failure must come with ELIFECYCLE.
    framed: bool = False
    script: str = ""
    invokes: frozenset[str] = frozenset()
    exit_code: int | None = None
    lifecycle_failed: bool = False
    failure_line: int | None = None
    duration_s: float | None = None
    truncated: bool = False

    def add_duration(self, seconds: float) -> None:
        self.duration_s = seconds if self.duration_s is None else self.duration_s + seconds


@dataclass
class _RunnerBlock:
    """Output of one test-runner invocation, from its start banner to its summary."""

    framework: str
    line: int
    owner: _Run | None
    first_case: int
    keys: dict[tuple[str, str], int]


@dataclass
class _PendingMessage:
    """A failed case whose message is printed on a following line (``expect`` says how)."""

    case: int
    expect: str  # "arrow" (vitest `→ msg`), "line" (next text line), "panic" (rust panic)


def _seconds(value: str, unit: str) -> float:
    return float(value) / 1000 if unit == "ms" else float(value)


class _TranscriptParser:
    """Single pass over the lines: a stack of open commands plus the current test-runner block."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.runs: list[_Run] = []
        self.stack: list[_Run] = []
        self.last_root: _Run | None = None
        self.block: _RunnerBlock | None = None
        self.cases: list[TestCaseResult] = []
        self.checks: list[CheckResult] = []
        self.findings: list[Finding] = []
        self.tools: dict[str, None] = {}
        self.pending: _PendingMessage | None = None
        self.cargo_suite = ""
        self.vitest_groups: list[tuple[int, str]] = []
        self.expect_vitest_duration = False
        self.skip_line = 0
        self.lifecycle_until = 0
        self.handlers: list[tuple[re.Pattern[str], Callable[[re.Match[str], int], bool]]] = [
            (PROMPT, self._prompt),
            (PNPM_HEADER, self._pnpm_header),
            (PNPM_LIFECYCLE_FAILURE, self._pnpm_lifecycle_failure),
            (PNPM_ERROR, self._failure_marker),
            (SHELL_EXIT, self._shell_exit),
            (HANDOFF_VALIDATION, self._handoff_validation),
            (VITEST_RUN, self._vitest_run),
            (VITEST_FILES_SUMMARY, self._vitest_files_summary),
            (VITEST_TESTS_SUMMARY, self._vitest_tests_summary),
            (VITEST_DURATION, self._vitest_duration),
            (VITEST_MARKED_LINE, self._vitest_marked_line),
            (VITEST_FAIL, self._vitest_fail),
            (CARGO_RUNNING, self._cargo_running),
            (CARGO_DOC_TESTS, self._cargo_doc_tests),
            (CARGO_RUNNING_TESTS, self._cargo_running_tests),
            (CARGO_CASE, self._cargo_case),
            (CARGO_RESULT, self._cargo_result),
            (CARGO_FAILURE_HEADER, self._cargo_failure_header),
            (CARGO_ERROR, self._cargo_error),
            (CARGO_FMT_DIFF, self._cargo_fmt_diff),
            (PYTEST_SESSION, self._pytest_session),
            (PYTEST_CASE, self._pytest_case),
            (PYTEST_SHORT_SUMMARY, self._pytest_short_summary),
            (PYTEST_SUMMARY, self._pytest_summary),
            (DONE_IN, self._done_in),
        ]

    # --- driver -----------------------------------------------------------------------------------

    def parse(self) -> Extract:
        for number, line in enumerate(self.lines, start=1):
            if number == self.skip_line:
                continue
            if self.pending is not None:
                self._pending_message(line)
            for pattern, handler in self.handlers:
                match = pattern.match(line)
                if match is not None and handler(match, number):
                    break
        self._end_of_file()
        commands = [self._command_result(run) for run in self.runs]
        return Extract(
            kind="transcript",
            detail=",".join(self.tools),
            commands=commands,
            test_cases=self.cases,
            checks=self.checks,
            findings=self.findings,
        )

    def _tool(self, name: str) -> None:
        self.tools.setdefault(name, None)

    @property
    def current(self) -> _Run | None:
        return self.stack[-1] if self.stack else None

    def _fail(self, number: int, run: _Run | None = None) -> None:
        """Record failure evidence on the command the output belongs to."""
        run = run or self.current
        if run is not None and run.failure_line is None:
            run.failure_line = number

    # --- commands ---------------------------------------------------------------------------------

    def _prompt(self, match: re.Match[str], number: int) -> bool:
        self._interrupt_block(number)
        self.stack.clear()
        text = match["command"]
        script = pnpm_script(text)
        run = _Run(
            command=normalise_command(text),
            line=number,
            parent="",
            prompt=True,
            text=text,
            pnpm=script is not None,
            script=script[0] if script else "",
        )
        if script is not None:
            self._tool("pnpm")
        for tool in TOOL_IN_COMMAND.finditer(text):
            self._tool(tool["tool"])
        self._open(run)
        self.last_root = run
        return True

    def _pnpm_header(self, match: re.Match[str], number: int) -> bool:
        body = PNPM_SCRIPT_BODY.match(self.lines[number]) if number < len(self.lines) else None
        if body is None:
            return False
        self._tool("pnpm")
        self.skip_line = number + 1
        self._interrupt_block(number)
        script = match["script"]
        invokes = frozenset(m["name"] for m in NESTED_SCRIPT_CALL.finditer(body["body"]))
        root = self.stack[0] if len(self.stack) == 1 else None
        if root is not None and root.pnpm and not root.framed and root.script == script:
            # `$ pnpm run X` and pnpm's `> pkg@ver X` header are the same command.
            root.command, root.framed, root.text, root.invokes = script, True, body["body"], invokes
            return True
        # Siblings end the frames before them; the frame whose body calls this script is its parent.
        while self.stack and script not in self.stack[-1].invokes and not self.stack[-1].prompt:
            self.stack.pop()
        parent = self.current.command if self.current else ""
        run = _Run(script, number, parent, prompt=False, text=body["body"], pnpm=True)
        run.framed, run.script, run.invokes = True, script, invokes
        self._open(run)
        return True

    def _open(self, run: _Run) -> None:
        self.runs.append(run)
        self.stack.append(run)
        self.cargo_suite = ""
        self.expect_vitest_duration = False

    def _lifecycle_group(self, number: int) -> list[tuple[int, int | None]]:
        """The consecutive ELIFECYCLE lines starting at ``number`` (blank lines between allowed)."""
        group = []
        for index in range(number - 1, len(self.lines)):
            line = self.lines[index]
            found = PNPM_LIFECYCLE_FAILURE.match(line)
            if found is None and line.strip():
                break
            if found is not None:
                group.append((index + 1, int(found["code"]) if found["code"] else None))
        return group

    def _pnpm_lifecycle_failure(self, match: re.Match[str], number: int) -> bool:
        self._tool("pnpm")
        self._end_block()
        if number <= self.lifecycle_until:
            return True
        group = self._lifecycle_group(number)
        self.lifecycle_until = group[-1][0]
        frames = [run for run in self.stack if run.pnpm]
        if not frames:
            self._fail(number)
            return True
        # pnpm prints one ELIFECYCLE per level the failure climbs through, innermost first, and a
        # failure always climbs to the outermost script: N lines mean the N outermost open scripts
        # failed, and any script nested deeper had already finished successfully.
        failing = frames[: len(group)]
        for run, (line, code) in zip(reversed(failing), group, strict=False):
            self._fail(line, run)
            run.exit_code = code
            run.lifecycle_failed = True
        outermost = self.stack.index(failing[0])
        del self.stack[outermost:]
        return True

    def _failure_marker(self, match: re.Match[str], number: int) -> bool:
        self._fail(number)
        return True

    def _shell_exit(self, match: re.Match[str], number: int) -> bool:
        if self.last_root is None:
            return False
        self.last_root.exit_code = int(match["code"])
        return True

    def _done_in(self, match: re.Match[str], number: int) -> bool:
        if self.current is not None:
            self.current.add_duration(_seconds(match["value"], match["unit"]))
        return True

    def _handoff_validation(self, match: re.Match[str], number: int) -> bool:
        self._tool("node")
        if match["outcome"] == "failed":
            value = f"fail: {match['reason'].strip()}".rstrip(": ")
            self._fail(number)
        else:
            value = "pass"
        self.checks.append(CheckResult("handoff-validation", value, f"line {number}"))
        return True

    # --- test-runner blocks -----------------------------------------------------------------------

    def _start_block(self, framework: str, number: int) -> None:
        self._interrupt_block(number)
        self._tool(framework)
        self.block = _RunnerBlock(framework, number, self.current, len(self.cases), {})
        self.vitest_groups = []
        self.expect_vitest_duration = False

    def _ensure_block(self, framework: str, number: int) -> _RunnerBlock:
        if self.block is None or self.block.framework != framework:
            self._start_block(framework, number)
        assert self.block is not None
        return self.block

    def _end_block(self) -> None:
        self.block = None
        self.pending = None

    def _interrupt_block(self, number: int) -> None:
        """A runner whose output stops before its summary leaves its command's result unknown."""
        block = self.block
        if block is None:
            return
        if block.owner is not None:
            block.owner.truncated = True
        self.findings.append(
            Finding(
                Severity.WARNING,
                "transcript-truncated",
                f"{block.framework} output starting at line {block.line} stops before its summary"
                f" (line {number} starts something else)",
                f"line {block.line}",
            )
        )
        self._end_block()

    def _add_case(
        self,
        framework: str,
        number: int,
        suite: str,
        name: str,
        status: str,
        duration_s: float | None = None,
        message: str = "",
    ) -> int:
        """Add a case (or update the one this runner block already reported); return its index."""
        block = self._ensure_block(framework, number)
        index = block.keys.get((suite, name))
        if index is None:
            index = len(self.cases)
            block.keys[(suite, name)] = index
            self.cases.append(
                TestCaseResult(
                    suite, name, status, duration_s, f"line {number}", framework, message
                )
            )
        else:
            known = self.cases[index]
            self.cases[index] = replace(known, status=status, message=known.message or message)
        if status in ("failed", "error"):
            self._fail(number)
        return index

    def _summary(self, framework: str, number: int, counts: Counter[str]) -> None:
        """Compare a runner's summary counts with the cases it printed, then close its block."""
        block = self._ensure_block(framework, number)
        seen = Counter(case.status for case in self.cases[block.first_case :])
        if counts["failed"] or counts["error"]:
            self._fail(number)
        if +counts != +seen:
            stated = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
            visible = ", ".join(f"{count} {status}" for status, count in sorted(seen.items()))
            self.findings.append(
                Finding(
                    Severity.INFO,
                    "summary-count-mismatch",
                    f"{framework} summary states {stated or 'no tests'} but the transcript shows"
                    f" {visible or 'no test case lines'}",
                    f"line {number}",
                )
            )
        self._end_block()

    @staticmethod
    def _summary_counts(text: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        for match in SUMMARY_COUNT.finditer(text):
            status = SUMMARY_STATUS.get(match["word"])
            if status is not None:
                counts[status] += int(match["count"])
        return counts

    def _pending_message(self, line: str) -> None:
        pending = self.pending
        assert pending is not None
        text = line.strip()
        if not text or set(text) <= {"⎯", "-", "="}:
            if pending.expect == "arrow":
                self.pending = None
            return
        message = ""
        if pending.expect == "arrow":
            message = text[1:].strip() if text.startswith("→") else ""
        elif pending.expect == "line":
            message = text
        elif panic := RUST_PANIC.match(text):
            old_style = RUST_OLD_PANIC_MESSAGE.match(panic["rest"])
            if old_style is None:
                pending.expect = "line"  # since Rust 1.73 the message follows the location
                return
            message = old_style["message"]
        elif not CARGO_FAILURE_BLOCK_END.match(text):
            return  # the test's captured stdout comes before its panic
        self.pending = None
        known = self.cases[pending.case]
        if message and not known.message:
            self.cases[pending.case] = replace(known, message=message)

    # --- vitest -----------------------------------------------------------------------------------

    def _in_vitest(self) -> bool:
        return self.block is not None and self.block.framework == "vitest"

    def _vitest_run(self, match: re.Match[str], number: int) -> bool:
        self._start_block("vitest", number)
        return True

    def _vitest_files_summary(self, match: re.Match[str], number: int) -> bool:
        self._ensure_block("vitest", number)
        if "failed" in match["counts"]:
            self._fail(number)
        return True

    def _vitest_tests_summary(self, match: re.Match[str], number: int) -> bool:
        if not self._in_vitest():
            return False
        self._summary("vitest", number, self._summary_counts(match["counts"]))
        self.expect_vitest_duration = True
        return True

    def _vitest_duration(self, match: re.Match[str], number: int) -> bool:
        if not self.expect_vitest_duration:
            return False
        self.expect_vitest_duration = False
        if self.current is not None:
            self.current.add_duration(_seconds(match["value"], match["unit"]))
        return True

    def _vitest_case_path(self, text: str, indent: int) -> tuple[str, str] | None:
        """``(suite, name)`` of a case line: flat ``file > describe > case`` or an indented tree."""
        segments = text.split(" > ")
        if len(segments) > 1 and TEST_FILE_PATH.match(segments[0]):
            return segments[0], " > ".join(segments[1:])
        if not self._in_vitest():
            return None
        path = [name for group_indent, name in self.vitest_groups if group_indent < indent]
        if not path:
            return "", text
        return path[0], " > ".join([*path[1:], text])

    def _vitest_marked_line(self, match: re.Match[str], number: int) -> bool:
        indent, mark, text = len(match["indent"]), match["mark"], match["text"]
        group = VITEST_GROUP.match(text)
        if group is not None:
            if not self._in_vitest() and not TEST_FILE_PATH.match(group["name"]):
                return False
            self._ensure_block("vitest", number)
            self.vitest_groups = [g for g in self.vitest_groups if g[0] < indent]
            self.vitest_groups.append((indent, group["name"]))
            return True
        if mark == "❯":
            return False  # a stack-trace location, not a test
        duration_s = None
        text = VITEST_SKIP_MARKER.sub("", text)
        if timed := VITEST_CASE_DURATION.match(text):
            text, duration_s = timed["name"], _seconds(timed["value"], timed["unit"])
        path = self._vitest_case_path(text, indent)
        if path is None:
            return False
        status = VITEST_STATUS.get(mark, "failed")
        case = self._add_case("vitest", number, path[0], path[1], status, duration_s)
        if status == "failed":
            self.pending = _PendingMessage(case, "arrow")
        return True

    def _vitest_fail(self, match: re.Match[str], number: int) -> bool:
        segments = match["text"].split(" > ")
        if len(segments) < 2 or not (self._in_vitest() or TEST_FILE_PATH.match(segments[0])):
            return False
        case = self._add_case("vitest", number, segments[0], " > ".join(segments[1:]), "failed")
        self.pending = _PendingMessage(case, "line")
        return True

    # --- cargo ------------------------------------------------------------------------------------

    def _cargo_running(self, match: re.Match[str], number: int) -> bool:
        self._tool("cargo")
        binary = PATH_SEPARATOR.split(match["binary"])[-1]
        self.cargo_suite = CARGO_BINARY_HASH.sub("", binary)
        return True

    def _cargo_doc_tests(self, match: re.Match[str], number: int) -> bool:
        self._tool("cargo")
        self.cargo_suite = match["crate"]
        return True

    def _cargo_running_tests(self, match: re.Match[str], number: int) -> bool:
        self._start_block("cargo", number)
        return True

    def _cargo_case(self, match: re.Match[str], number: int) -> bool:
        duration_s = float(match["secs"]) if match["secs"] else None
        status = CARGO_STATUS[match["status"]]
        self._add_case("cargo", number, self.cargo_suite, match["name"], status, duration_s)
        return True

    def _cargo_result(self, match: re.Match[str], number: int) -> bool:
        counts = Counter(
            {key: int(match[key]) for key in ("passed", "failed", "skipped") if int(match[key])}
        )
        if match["outcome"] == "FAILED":
            self._fail(number)
        if match["secs"] and self.current is not None:
            self.current.add_duration(float(match["secs"]))
        self._summary("cargo", number, counts)
        return True

    def _cargo_failure_header(self, match: re.Match[str], number: int) -> bool:
        block = self.block
        index = None
        if block is not None and block.framework == "cargo":
            index = block.keys.get((self.cargo_suite, match["name"]))
        if index is None:
            return False
        self.pending = _PendingMessage(index, "panic")
        return True

    def _cargo_error(self, match: re.Match[str], number: int) -> bool:
        run = self.current
        if run is None or not CARGO_COMMAND.search(run.text):
            return False
        self._fail(number)
        return True

    def _cargo_fmt_diff(self, match: re.Match[str], number: int) -> bool:
        run = self.current
        if run is None or not CARGO_FMT_COMMAND.search(run.text):
            return False
        self._fail(number)
        return True

    # --- pytest -----------------------------------------------------------------------------------

    def _pytest_session(self, match: re.Match[str], number: int) -> bool:
        self._start_block("pytest", number)
        return True

    def _pytest_case(self, match: re.Match[str], number: int) -> bool:
        suite, _, name = match["nodeid"].partition("::")
        self._add_case("pytest", number, suite, name, PYTEST_STATUS[match["status"]])
        return True

    def _pytest_short_summary(self, match: re.Match[str], number: int) -> bool:
        if self.block is None or self.block.framework != "pytest":
            return False
        suite, _, name = match["nodeid"].partition("::")
        status = PYTEST_STATUS[match["status"]]
        self._add_case("pytest", number, suite, name, status, message=match["message"] or "")
        return True

    def _pytest_summary(self, match: re.Match[str], number: int) -> bool:
        if self.current is not None:
            self.current.add_duration(float(match["secs"]))
        self._summary("pytest", number, self._summary_counts(match["counts"]))
        return True

    # --- results ----------------------------------------------------------------------------------

    def _end_of_file(self) -> None:
        block = self.block
        if block is None:
            return
        # Everything still open when the output stops mid-run never reported how it ended.
        for run in self.stack:
            run.truncated = True
        self.findings.append(
            Finding(
                Severity.WARNING,
                "transcript-truncated",
                f"{block.framework} output starting at line {block.line} has no summary: the"
                f" transcript ends at line {len(self.lines)}",
                f"line {block.line}",
            )
        )
        self._end_block()

    def _command_result(self, run: _Run) -> CommandResult:
        if run.exit_code:
            result = "fail"
        elif run.failure_line is not None:
            result = "fail"
            silent_pnpm = run.framed and not run.lifecycle_failed
            if not run.truncated and (silent_pnpm or run.exit_code == 0):
                self.findings.append(
                    Finding(
                        Severity.WARNING,
                        "transcript-inconsistent",
                        f"{run.command} (line {run.line}) shows a failure at line"
                        f" {run.failure_line} but reports no failing exit",
                        f"line {run.failure_line}",
                    )
                )
        elif run.truncated:
            result = "unknown"
        else:
            result = "pass"
        return CommandResult(
            command=run.command,
            result=result,
            line=run.line,
            exit_code=run.exit_code,
            duration_s=run.duration_s,
            parent=run.parent,
        )
