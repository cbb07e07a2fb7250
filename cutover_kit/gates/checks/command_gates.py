"""Command gates: PRE-3 (required suites green), CMD-n (each required command), STOP-4.

Only transcripts prove that a command ran. A markdown record that reports ``PASS`` is what people
wrote afterwards: it counts for the producer's suites (PRE-3 allows a verification record), and
otherwise it is quoted in the detail of a ``missing`` gate so the reader sees the unverified claim.
"""

from __future__ import annotations

from cutover_kit.evidence.codes import CommandOutcome, EvidenceKind
from cutover_kit.evidence.model import CommandResult
from cutover_kit.gates.checks.base import GateInput, judged, missing, result
from cutover_kit.gates.checks.captured import command_runs, transcript_of
from cutover_kit.gates.model import EvidenceRef, GateResult, GateStatus
from cutover_kit.gates.view import RehearsalView

Run = tuple[str, CommandResult]


def command_ref(path: str, command: CommandResult) -> EvidenceRef:
    """The file and line of one command run, with its result (and exit code) as the actual."""
    actual = command.result
    if command.exit_code is not None:
        actual += f" (exit {command.exit_code})"
    return EvidenceRef(path, f"line {command.line}", actual, "pass", command.command)


def latest_run(view: RehearsalView, name: str) -> Run | None:
    """The last run of a command (a re-run supersedes; a captured run supersedes transcripts);
    a step an ``&&`` chain never started is no run."""
    runs = [
        (path, cmd)
        for path, cmd in command_runs(view)
        if cmd.command == name and cmd.result != CommandOutcome.NOT_RUN
    ]
    return runs[-1] if runs else None


def failing_step(view: RehearsalView, path: str, command: CommandResult) -> CommandResult:
    """The innermost failing step under a failing command in one transcript (itself if none)."""
    while True:
        failed = [
            c
            for p, c in view.transcript_commands
            if p == path and c.parent == command.command and c.result == CommandOutcome.FAIL
        ]
        if not failed:
            return command
        command = failed[-1]


def _never_started(view: RehearsalView, name: str) -> Run | None:
    steps = [(p, c) for p, c in view.transcript_commands if c.command == name]
    return steps[-1] if steps and steps[-1][1].result == CommandOutcome.NOT_RUN else None


def _reported(view: RehearsalView, name: str) -> Run | None:
    reports = [(path, cmd) for path, cmd, _ in view.record_commands if cmd.command == name]
    return reports[-1] if reports else None


def command_passed(given: GateInput) -> GateResult:
    view, name = given.view, given.gate.command or ""
    run = latest_run(view, name)
    if run is None and (skipped := _never_started(view, name)):
        path, step = skipped
        detail = f"`{name}` never started: `{step.parent}` failed at an earlier step"
        return result(given, GateStatus.MISSING, detail, [command_ref(path, step)])
    if run is None:
        claim = _reported(view, name)
        if claim is None:
            return missing(given, f"transcript showing `{name}`", EvidenceKind.TRANSCRIPT)
        path, command = claim
        detail = (
            f"no transcript showing `{name}`; {path} line {command.line} reports "
            f"{command.result.upper()} without one"
        )
        ref = EvidenceRef(path, f"line {command.line}", command.result, "a transcript", "record")
        return result(given, GateStatus.MISSING, detail, [ref])
    path, command = run
    source = transcript_of(view, *run)
    children = [(p, c) for p, c in view.transcript_commands if c.parent == name and p == source]
    if command.result == CommandOutcome.PASS:
        suffix = f" with {len(children)} sub-command(s)" if children else ""
        return result(given, GateStatus.PASS, f"`{name}` passed{suffix}", [command_ref(*run)])
    failed = [command_ref(p, c) for p, c in children if c.result == CommandOutcome.FAIL]
    if command.result == CommandOutcome.FAIL:
        exit_note = f" (exit {command.exit_code})" if command.exit_code is not None else ""
        step = failing_step(view, source, command)
        at = f" at step `{step.command}` (line {step.line})" if step is not command else ""
        refs = [command_ref(*run), *failed]
        refs += [command_ref(source, step)] if step is not command and step.parent != name else []
        return result(given, GateStatus.FAIL, f"`{name}` failed{exit_note}{at}", refs)
    return result(
        given,
        GateStatus.MISSING,
        f"`{name}` has no result (transcript cut short)",
        [command_ref(*run)],
    )


def _suite_result(view: RehearsalView, name: str, side: str) -> tuple[EvidenceRef, bool] | None:
    """The suite's latest run (or, for the producer, a verification record's report) and whether
    it passed: decided on the run's result, since the reference shows the exit code as well."""
    run = latest_run(view, name)
    if run is not None:
        return command_ref(*run), run[1].result == CommandOutcome.PASS
    if side == "producer":
        claim = _reported(view, name)
        if claim is not None:
            path, command = claim
            ref = EvidenceRef(
                path,
                f"line {command.line}",
                command.result,
                "pass",
                f"{name} (verification record)",
            )
            return ref, command.result == CommandOutcome.PASS
    return None


def suites_green(given: GateInput) -> GateResult:
    commands = given.policy.commands
    failures: list[EvidenceRef] = []
    used: list[EvidenceRef] = []
    absent: list[str] = []
    suites = [("consumer", n) for n in commands.consumer_suites]
    suites += [("producer", n) for n in commands.producer_suites]
    for side, name in suites:
        found = _suite_result(given.view, name, side)
        if found is None:
            absent.append(f"{side} `{name}`")
            continue
        ref, passed = found
        (used if passed else failures).append(ref)
    if failures:
        return result(
            given, GateStatus.FAIL, f"{len(failures)} required suite(s) not green", failures
        )
    if absent:
        return result(given, GateStatus.MISSING, "no result for " + ", ".join(absent), used)
    return result(given, GateStatus.PASS, f"all {len(used)} required suites green", used)


def no_failed_commands(given: GateInput) -> GateResult:
    commands = given.policy.commands
    watched = [
        (p, c)
        for p, c in command_runs(given.view)
        if commands.stops_on(c.command) and c.result != CommandOutcome.NOT_RUN
    ]
    if not watched:
        return missing(
            given, "transcript of consumer contract or CI commands", EvidenceKind.TRANSCRIPT
        )
    failed = [command_ref(p, c) for p, c in watched if c.result == CommandOutcome.FAIL]
    return judged(
        given,
        failed,
        f"none of {len(watched)} consumer contract / CI command run(s) failed",
        "{n} consumer contract / CI command run(s) failed",
        [],
    )
