"""A rehearsal's verdict as a short text a person reads in a terminal or a CI log."""

from __future__ import annotations

from cutover_kit.output.plain_text import one_line
from cutover_kit.verdict import AuditStatus, Verdict


def render_verdict_text(verdict: Verdict) -> str:
    r = verdict.rehearsal
    lines = [
        f"rehearsal {r.id} ({r.kind}, {r.date or 'undated'})",
        f"  rehearsal continuation: {verdict.rehearsal_continuation}",
        f"  runtime cutover:        {verdict.runtime_cutover}",
        "",
        "reasons:",
    ]
    for reason in verdict.reasons:
        lines.append(f"  [{reason.verdict}] {reason.gate}: {reason.sentence}")
        lines += [f"      <- {label}" for label in reason.evidence[:5]]
    lines += ["", "gates:"]
    lines += [f"  {g.id:<7} {g.status!s:<8} {g.detail}" for g in verdict.gates]
    completion = verdict.completion
    lines += ["", f"cutover completion: {completion.status} ({completion.detail})"]
    lines += [f"  {i.id:<7} {i.status!s:<8} {i.detail}" for i in completion.items]
    flagged = [item for item in verdict.audit if item.status is not AuditStatus.AGREES]
    if flagged:
        lines += ["", "audit of recorded verdicts:"]
        lines += [f"  {item.status}: {item.message}" for item in flagged]
    if verdict.follow_ups:
        lines += ["", "follow-ups:"]
        lines += [
            f"  {f['owner_role']} by {f['due'] or 'n/a'}: {f['action']}" for f in verdict.follow_ups
        ]
    return "\n".join(one_line(line) for line in lines) + "\n"
