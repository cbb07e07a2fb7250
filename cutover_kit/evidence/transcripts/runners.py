"""Test-runner blocks shared by vitest, cargo and pytest: cases, summaries and cut-off output.

A block runs from a runner's start banner to its summary line. Cases are keyed per block so a
runner that reports a case twice (a tree line, then a failure section) updates one record, and
the summary is checked against the cases the block actually showed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from cutover_kit.evidence.codes import CaseStatus, FindingCode
from cutover_kit.evidence.model import Finding, Severity, TestCaseResult
from cutover_kit.evidence.transcripts.chains import enter_runner_step
from cutover_kit.evidence.transcripts.state import RunnerBlock, TranscriptState

SUMMARY_COUNT = re.compile(r"(?P<count>\d+) (?P<word>[a-z]+)")
# Summary words per status, across vitest (todo), cargo (ignored) and pytest (errors, xfailed...).
SUMMARY_STATUS = {
    "passed": CaseStatus.PASSED,
    "xpassed": CaseStatus.PASSED,
    "failed": CaseStatus.FAILED,
    "error": CaseStatus.ERROR,
    "errors": CaseStatus.ERROR,
    "skipped": CaseStatus.SKIPPED,
    "ignored": CaseStatus.SKIPPED,
    "todo": CaseStatus.SKIPPED,
    "xfailed": CaseStatus.SKIPPED,
}
# Lines a failure message never is: blank, or a rule drawn between failure sections.
_RULE_CHARACTERS = frozenset("⎯-=")


def in_block(state: TranscriptState, framework: str) -> bool:
    return state.block is not None and state.block.framework == framework


def start_block(state: TranscriptState, framework: str, number: int) -> None:
    interrupt_block(state, number)
    enter_runner_step(state, framework, number)
    state.note_tool(framework)
    state.block = RunnerBlock(framework, number, state.current, len(state.cases), {})
    for forget in state.on_block_start:
        forget()


def ensure_block(state: TranscriptState, framework: str, number: int) -> RunnerBlock:
    if state.block is None or state.block.framework != framework:
        start_block(state, framework, number)
    assert state.block is not None
    return state.block


def end_block(state: TranscriptState) -> None:
    state.block = None
    state.pending = None


def interrupt_block(state: TranscriptState, number: int) -> None:
    """A runner whose output stops before its summary leaves its command's result unknown."""
    block = state.block
    if block is None:
        return
    if block.owner is not None:
        block.owner.truncated = True
    state.findings.append(
        Finding(
            Severity.WARNING,
            FindingCode.TRANSCRIPT_TRUNCATED,
            f"{block.framework} output starting at line {block.line} stops before its summary"
            f" (line {number} starts something else)",
            f"line {block.line}",
        )
    )
    end_block(state)


def end_of_file(state: TranscriptState) -> None:
    block = state.block
    if block is None:
        return
    # Everything still open when the output stops mid-run never reported how it ended.
    for run in state.stack:
        run.truncated = True
    state.findings.append(
        Finding(
            Severity.WARNING,
            FindingCode.TRANSCRIPT_TRUNCATED,
            f"{block.framework} output starting at line {block.line} has no summary: the"
            f" transcript ends at line {state.lines.line_count}",
            f"line {block.line}",
        )
    )
    end_block(state)


def add_case(
    state: TranscriptState,
    framework: str,
    number: int,
    suite: str,
    name: str,
    status: str,
    duration_s: float | None = None,
    message: str = "",
) -> int:
    """Add a case (or update the one this runner block already reported); return its index."""
    block = ensure_block(state, framework, number)
    index = block.keys.get((suite, name))
    if index is None:
        index = len(state.cases)
        block.keys[(suite, name)] = index
        state.cases.append(
            TestCaseResult(suite, name, status, duration_s, f"line {number}", framework, message)
        )
    else:
        known = state.cases[index]
        state.cases[index] = replace(known, status=status, message=known.message or message)
    if status in (CaseStatus.FAILED, CaseStatus.ERROR):
        state.fail(number)
    return index


def summary_counts(text: str) -> Counter[CaseStatus]:
    counts: Counter[CaseStatus] = Counter()
    for match in SUMMARY_COUNT.finditer(text):
        status = SUMMARY_STATUS.get(match["word"])
        if status is not None:
            counts[status] += int(match["count"])
    return counts


def summary(
    state: TranscriptState, framework: str, number: int, counts: Counter[CaseStatus]
) -> None:
    """Compare a runner's summary counts with the cases it printed, then close its block."""
    block = ensure_block(state, framework, number)
    seen = Counter(case.status for case in state.cases[block.first_case :])
    if counts[CaseStatus.FAILED] or counts[CaseStatus.ERROR]:
        state.fail(number)
    if +counts != +seen:
        stated = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
        visible = ", ".join(f"{count} {status}" for status, count in sorted(seen.items()))
        state.findings.append(
            Finding(
                Severity.INFO,
                FindingCode.SUMMARY_COUNT_MISMATCH,
                f"{framework} summary states {stated or 'no tests'} but the transcript shows"
                f" {visible or 'no test case lines'}",
                f"line {number}",
            )
        )
    end_block(state)


def read_pending_message(state: TranscriptState, line: str) -> None:
    """Offer a line to the failed cases waiting for their message (before any handler sees it)."""
    pending = state.pending
    assert pending is not None
    text = line.strip()
    if not text or set(text) <= _RULE_CHARACTERS:
        if pending.ends_at_blank:
            state.pending = None
        return
    message = pending.read(text)
    if message is None:
        return
    state.pending = None
    if not message:
        return
    for index in pending.cases:
        known = state.cases[index]
        if not known.message:
            state.cases[index] = replace(known, message=message)
