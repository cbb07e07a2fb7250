"""What ``cutover-kit capture`` recorded, as the gates use it in preference to parsed free text.

A captured command's exit code is a fact; the top-level result a parser reads back from the
same command's transcript is an inference, so the recorded run replaces it (sub-commands the
transcript shows stay: only the transcript knows them). The pin hashes taken around every
command decide GRD-1, and the evidence files copied by the capture are the ones GRD-2 reads.
Every reference cites ``commands.jsonl`` and its line.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from cutover_kit.evidence.command_log import CapturedCommand
from cutover_kit.evidence.model import CommandResult
from cutover_kit.gates.checks.base import GateInput, judged, result
from cutover_kit.gates.model import EvidenceRef, GateResult, GateStatus
from cutover_kit.gates.view import RehearsalView

Run = tuple[str, CommandResult]


@dataclass(frozen=True)
class CapturedRun:
    """One line of a ``commands.jsonl``, with paths made relative to the data folder."""

    path: str
    line: int
    record: CapturedCommand
    result: CommandResult
    transcript: str

    def in_rehearsal(self, relative: str) -> str:
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.path), relative))


def captured_runs(view: RehearsalView) -> list[CapturedRun]:
    """Every valid captured line of the rehearsal, in file then line order."""
    runs = []
    for path, log, commands in view.command_logs:
        folder = posixpath.dirname(path)
        for (line, record), command in zip(log.entries, commands, strict=True):
            transcript = posixpath.normpath(posixpath.join(folder, record.transcript))
            runs.append(CapturedRun(path, line, record, command, transcript))
    return runs


def command_runs(view: RehearsalView) -> list[Run]:
    """Transcript runs, then captured runs (so a captured run is the latest of its name).

    A captured transcript's top-level command is dropped: its recorded exit code says more.
    """
    captured = captured_runs(view)
    replaced = {(run.transcript, run.result.command) for run in captured}
    parsed = [
        (path, command)
        for path, command in view.transcript_commands
        if command.parent or (path, command.command) not in replaced
    ]
    return parsed + [(run.path, run.result) for run in captured]


def transcript_of(view: RehearsalView, path: str, command: CommandResult) -> str:
    """The transcript holding a run's output: the captured one for a ``commands.jsonl`` line."""
    for run in captured_runs(view):
        if run.path == path and run.line == command.line:
            return run.transcript
    return path


def prefer_captured(view: RehearsalView, refs: list[EvidenceRef]) -> list[EvidenceRef]:
    """Only the references to files a capture copied into the rehearsal, when there are any."""
    copied = {
        run.in_rehearsal(artifact.path)
        for run in captured_runs(view)
        for artifact in run.record.artifacts
        if artifact.status == "copied"
    }
    return [ref for ref in refs if ref.path in copied] or refs


def _pin_changes(runs: list[CapturedRun]) -> list[EvidenceRef]:
    changes: list[EvidenceRef] = []
    previous: CapturedRun | None = None
    for run in runs:
        record = run.record
        before = record.pin_sha256_before or "(absent)"
        after = record.pin_sha256_after or "(absent)"
        if before != after:
            changes.append(
                EvidenceRef(
                    run.path,
                    f"line {run.line} /pin_sha256_after",
                    after,
                    before,
                    f"{record.pin} changed while `{record.command}` ran",
                )
            )
        elif previous and (previous.record.pin_sha256_after or "(absent)") != before:
            changes.append(
                EvidenceRef(
                    run.path,
                    f"line {run.line} /pin_sha256_before",
                    before,
                    previous.record.pin_sha256_after or "(absent)",
                    f"{record.pin} changed between `{previous.record.command}` "
                    f"(line {previous.line}) and `{record.command}`",
                )
            )
        previous = run
    return changes


def _pin_copy_differs(view: RehearsalView, last: CapturedRun) -> list[EvidenceRef]:
    """The pin copied into the rehearsal must still be the file the last command left."""
    copy = last.in_rehearsal(last.record.pin)
    actual = view.file_hashes.get(copy)
    expected = last.record.pin_sha256_after
    if actual is None or expected is None or actual == expected:
        return []
    return [
        EvidenceRef(
            copy,
            "sha256",
            actual,
            expected,
            f"differs from {last.path} line {last.line} /pin_sha256_after",
        )
    ]


def pin_from_captures(given: GateInput) -> GateResult | None:
    """GRD-1 from the pin hashes around every captured command (``None``: nothing captured)."""
    runs = [run for run in captured_runs(given.view) if run.record.pin]
    if not runs:
        return None
    hashed = [run for run in runs if run.record.pin_sha256_before or run.record.pin_sha256_after]
    if not hashed:
        return result(
            given,
            GateStatus.MISSING,
            f"{runs[0].record.pin} was absent from the repo around all {len(runs)} captured "
            "command(s)",
            [EvidenceRef(run.path, f"line {run.line} /pin_sha256_before") for run in runs],
        )
    changes = _pin_changes(runs) or _pin_copy_differs(given.view, runs[-1])
    return judged(
        given,
        changes,
        f"pin hash equal before and after all {len(runs)} captured command(s)",
        "the pin changed during the session ({n} capture(s) show it)",
        [
            EvidenceRef(
                run.path,
                f"line {run.line} /pin_sha256_before",
                run.record.pin_sha256_after or "(absent)",
                run.record.pin_sha256_before or "(absent)",
                f"around `{run.record.command}`",
            )
            for run in runs
        ],
    )
