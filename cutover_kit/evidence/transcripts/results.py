"""Each observed command's result, decided once the whole transcript has been read.

A command passes only when it reached its end without failure evidence. Failure evidence the
command's own exit does not confirm (pnpm framed it but printed no ELIFECYCLE, or the shell said
``exit 0``) still fails it, with a finding, since the output contradicts itself.
"""

from __future__ import annotations

from cutover_kit.evidence.codes import CommandOutcome, FindingCode
from cutover_kit.evidence.model import CommandResult, Finding, Severity
from cutover_kit.evidence.transcripts.state import Run


def command_result(run: Run, findings: list[Finding]) -> CommandResult:
    """``pass``, ``fail`` or ``unknown`` for ``run``; contradictions are added to ``findings``."""
    if run.exit_code:
        result = CommandOutcome.FAIL
    elif run.failure_line is not None:
        result = CommandOutcome.FAIL
        silent_pnpm = run.framed and not run.lifecycle_failed
        if not run.truncated and (silent_pnpm or run.exit_code == 0):
            findings.append(
                Finding(
                    Severity.WARNING,
                    FindingCode.TRANSCRIPT_INCONSISTENT,
                    f"{run.command} (line {run.line}) shows a failure at line"
                    f" {run.failure_line} but reports no failing exit",
                    f"line {run.failure_line}",
                )
            )
    elif run.truncated:
        result = CommandOutcome.UNKNOWN
    else:
        result = CommandOutcome.PASS
    return CommandResult(
        command=run.command,
        result=result,
        line=run.line,
        exit_code=run.exit_code,
        duration_s=run.duration_s,
        parent=run.parent,
    )
