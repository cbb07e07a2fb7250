"""What the single pass over a transcript knows so far, shared by every tool's line handlers.

Each tool (pnpm commands, vitest, cargo, pytest, node scripts) reads its own lines but they all
add to the same picture: the stack of commands still open, the test-runner block being read, the
cases, checks and findings seen so far. Tools that remember something between lines keep it on
their own reader object and subscribe to the two moments that make such memory stale: a command
opening and a runner block starting.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from cutover_kit.evidence.model import CheckResult, Finding, TestCaseResult
from cutover_kit.evidence.transcripts.window import LineWindow

# Handles one matching line (the match and its 1-based number); False lets later handlers try it.
Handler = Callable[[re.Match[str], int], bool]
Handlers = tuple[tuple[re.Pattern[str], Handler], ...]


@dataclass
class Run:
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
    # Steps of a plain `a && b` body, by script where pnpm prints a header (see :mod:`.chains`).
    chain: tuple[str, ...] = ()
    # The same body's steps as written, this run's place in its parent's steps, the furthest
    # step of its own body seen starting and the run of each step seen (see :mod:`.chains`).
    steps: tuple[str, ...] = ()
    step_index: int = -1
    reached: int = -1
    step_runs: dict[int, Run] = field(default_factory=dict)
    exit_code: int | None = None
    lifecycle_failed: bool = False
    failure_line: int | None = None
    duration_s: float | None = None
    truncated: bool = False

    def add_duration(self, seconds: float) -> None:
        self.duration_s = seconds if self.duration_s is None else self.duration_s + seconds


@dataclass
class RunnerBlock:
    """Output of one test-runner invocation, from its start banner to its summary."""

    framework: str
    line: int
    owner: Run | None
    first_case: int
    keys: dict[tuple[str, str], int]


# Reads one non-blank line after a failed case: its message, "" when the wait ended without one,
# or None to keep waiting.
MessageReader = Callable[[str], str | None]


@dataclass
class PendingMessage:
    """Failed cases whose message is printed on a following line; ``read`` knows the format."""

    cases: list[int]
    read: MessageReader
    # vitest's `→ message` follows its case at once: a blank line means there is none.
    ends_at_blank: bool = False


@dataclass
class TranscriptState:
    """The open-command stack, the current runner block and everything recorded so far."""

    lines: LineWindow
    runs: list[Run] = field(default_factory=list)
    stack: list[Run] = field(default_factory=list)
    block: RunnerBlock | None = None
    cases: list[TestCaseResult] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Tool names in the order they first appear: the transcript's ``detail``.
    tools_seen: dict[str, None] = field(default_factory=dict)
    pending: PendingMessage | None = None
    # A line already consumed by the handler of the line before it (a pnpm script body).
    skip_line: int = 0
    on_command_open: list[Callable[[], None]] = field(default_factory=list)
    on_block_start: list[Callable[[], None]] = field(default_factory=list)

    @property
    def current(self) -> Run | None:
        return self.stack[-1] if self.stack else None

    def note_tool(self, name: str) -> None:
        self.tools_seen.setdefault(name, None)

    def fail(self, number: int, run: Run | None = None) -> None:
        """Record failure evidence on the command the output belongs to."""
        run = run or self.current
        if run is not None and run.failure_line is None:
            run.failure_line = number

    def forget_readers(self) -> None:
        """Let go of the tool readers subscribed here once the pass is over.

        Each reader holds this state and the state holds its bound methods: without this every
        parsed transcript was left as a reference cycle for the cyclic collector to find.
        """
        self.on_command_open.clear()
        self.on_block_start.clear()

    def open_run(self, run: Run) -> None:
        self.runs.append(run)
        self.stack.append(run)
        for forget in self.on_command_open:
            forget()


class ToolReader(ABC):
    """One tool's share of a parse: the lines it claims and what it remembers between them.

    ``signals`` are lines that alone show a transcript of this tool (see :mod:`.sniff`).
    """

    signals: ClassVar[tuple[re.Pattern[str], ...]] = ()

    def __init__(self, state: TranscriptState) -> None:
        self.state = state

    @abstractmethod
    def handlers(self) -> Handlers:
        """``(pattern, handler)`` pairs, tried in order; the first handler returning True wins."""


def seconds(value: str, unit: str) -> float:
    return float(value) / 1000 if unit == "ms" else float(value)
