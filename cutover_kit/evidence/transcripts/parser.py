"""The single pass: every line goes to the first tool handler whose pattern claims it.

Tools are registered in :data:`TOOLS` (a :class:`~cutover_kit.registry.Registry`); each
contributes its ``(pattern, handler)`` pairs in its own order. A handler may decline a matching
line (return False) when the context says the line is not its tool's, and the line then goes on to
the next pattern. Adding a tool is one more registration.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from cutover_kit.evidence.codes import CommandOutcome, EvidenceKind
from cutover_kit.evidence.model import Extract
from cutover_kit.evidence.transcripts.cargo import Cargo
from cutover_kit.evidence.transcripts.chains import end_of_chain, steps_not_run
from cutover_kit.evidence.transcripts.commands import Commands
from cutover_kit.evidence.transcripts.libtest_json import LibtestJson
from cutover_kit.evidence.transcripts.node import HandoffValidation
from cutover_kit.evidence.transcripts.pytest_output import Pytest
from cutover_kit.evidence.transcripts.results import command_result
from cutover_kit.evidence.transcripts.runners import end_of_file, read_pending_message
from cutover_kit.evidence.transcripts.state import ToolReader, TranscriptState
from cutover_kit.evidence.transcripts.vitest import Vitest
from cutover_kit.evidence.transcripts.window import LineWindow
from cutover_kit.registry import Registry

# Handlers are tried tool by tool in registration order, each tool's in its own order.
TOOLS: Registry[type[ToolReader]] = Registry(
    "transcript tool",
    [
        ("commands", Commands),
        ("handoff-validation", HandoffValidation),
        ("vitest", Vitest),
        ("cargo", Cargo),
        ("libtest-json", LibtestJson),
        ("pytest", Pytest),
    ],
)


# A group name in a pattern's source; a back-reference or conditional needs the name kept.
_GROUP_NAME = re.compile(r"(?<!\\)\(\?P<[A-Za-z_]\w*>")
_NEEDS_NAMES = re.compile(r"\(\?P=|\(\?\(|\\[1-9]")
_SCOPED_FLAGS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"), (re.VERBOSE, "x"))


@functools.cache
def first_claimant(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One regex whose match names the first of ``patterns`` that matches a line (group
    ``p<index>``), or None when the patterns cannot be combined.

    Most lines match no handler: one combined match rejects them in a single call instead of one
    call per pattern. Alternation tries its branches in order, so the branch that matches is the
    first pattern that would have matched on its own.
    """
    branches = []
    for index, pattern in enumerate(patterns):
        if _NEEDS_NAMES.search(pattern.pattern):
            return None
        flags = "".join(name for flag, name in _SCOPED_FLAGS if pattern.flags & flag)
        source = _GROUP_NAME.sub("(?:", pattern.pattern)
        branches.append(
            f"(?P<p{index}>(?{flags}:{source}))" if flags else f"(?P<p{index}>{source})"
        )
    try:
        return re.compile("|".join(branches))
    except re.error:
        return None


@functools.cache
def claimant_branches(claimant: re.Pattern[str]) -> dict[int | None, int]:
    """The pattern index each branch of a :func:`first_claimant` stands for, by the number of
    its group (a match's ``lastindex``: cheaper than its ``lastgroup`` name)."""
    return {
        number: int(name[1:]) for name, number in claimant.groupindex.items() if name[:1] == "p"
    }


def parse_transcript(lines: Iterable[str]) -> Extract:
    """Commands, test cases, handoff checks and consistency findings of one transcript.

    ``lines`` is read once, in order (a generator streaming a huge CI log is fine).
    """
    state = TranscriptState(LineWindow(lines))
    handlers = [pair for tool in TOOLS for pair in tool(state).handlers()]
    claimant = first_claimant(tuple(pattern for pattern, _ in handlers))
    branches = claimant_branches(claimant) if claimant is not None else {}
    count = len(handlers)
    for number, line in enumerate(state.lines, start=1):
        if number == state.skip_line:
            continue
        if state.pending is not None:
            read_pending_message(state, line)
        first = 0
        if claimant is not None:
            claimed = claimant.match(line)
            if claimed is None:
                continue
            first = branches[claimed.lastindex]
        # A handler may decline its line: the patterns after it are tried in turn.
        for index in range(first, count):
            pattern, handler = handlers[index]
            match = pattern.match(line)
            if match is not None and handler(match, number):
                break
    end_of_file(state)
    end_of_chain(state)
    commands = [command_result(run, state.findings) for run in state.runs]
    failed = {
        id(run)
        for run, done in zip(state.runs, commands, strict=True)
        if done.result == CommandOutcome.FAIL
    }
    commands += steps_not_run(state, failed)
    state.forget_readers()
    return Extract(
        kind=EvidenceKind.TRANSCRIPT,
        detail=",".join(state.tools_seen),
        commands=commands,
        test_cases=state.cases,
        checks=state.checks,
        findings=state.findings,
    )
