"""Markdown records people write after a session: execution record, checkpoint, producer record.

The wording is our own; only the line forms follow the real records (``Updated:`` dates,
``-> PASS`` result lines, backticked verdicts, ``... role: <title>`` ownership lines), because
those forms are what the kit reads. What a record claims comes from the plan, including the
verdict people recorded when the evidence does not back it (r08).
"""

from __future__ import annotations

from cutover_kit.samples import catalog
from cutover_kit.samples.history import (
    API_V1,
    INTEGRATION_V1,
    ROLE_TITLES,
    Fault,
    Rehearsal,
)
from cutover_kit.samples.session import problem
from cutover_kit.samples.suites import REGRESSED_CASE

ROLE_LABELS = {
    "consumer_incident_commander": "AssistSupport incident commander role",
    "producer_incident_commander": "MemoryKernel incident commander role",
    "consumer_rollback_owner": "AssistSupport rollback owner role",
    "producer_rollback_owner": "MemoryKernel rollback owner role",
    "joint_decision_log_owner": "Joint decision log owner role",
}

_NOTES = {
    Fault.NONE: "Every command finished green; nothing to carry into the next session.",
    Fault.FALLBACK_REGRESSION: (
        f"`test:ci` went red on `deterministic fallback > {REGRESSED_CASE[1]}`: the preflight "
        "answered `blocked` where it must fall back to offline mode. The guardrails make any "
        "fallback regression an immediate NO-GO. The other two commands were still run so the "
        "evidence set is complete."
    ),
    Fault.ENVELOPE_LEGACY_ERROR: (
        "Every command finished green. Error responses captured from the candidate were filed "
        "under `captures/envelopes/` for later review."
    ),
    Fault.ROLLBACK_OWNER_TBD: (
        "All commands passed, but nobody on the MemoryKernel side has taken the rollback owner "
        "role for the cutover window, so the session cannot be signed off."
    ),
    Fault.GOVERNANCE_FAILED: (
        "`check:memorykernel-governance` stopped because this week's integration review document "
        "is missing from the governance bundle. The dry-run and phase 3 commands passed."
    ),
}


def md(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def verdict(value: str) -> str:
    return f"`{value}`"


def baseline_lines(reh: Rehearsal) -> list[str]:
    """The pinned-baseline block of checkpoint records."""
    pin = reh.plan.pin
    return [
        f"- MemoryKernel release tag: `{pin.tag}`",
        f"- MemoryKernel commit: `{pin.commit_sha}`",
        f"- Service/API/baseline: `{pin.service}` / `{API_V1}` / `{INTEGRATION_V1}`",
    ]


def ownership_lines(reh: Rehearsal) -> list[str]:
    return [f"- {ROLE_LABELS[role]}: {holder}" for role, holder in reh.roles().items()]


def _result(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def execution_record(reh: Rehearsal, junit_name: str) -> bytes:
    """The consumer's dry-run execution record, with the result of every (sub-)command."""
    fault = reh.plan.fault
    ci_ok = fault is not Fault.FALLBACK_REGRESSION
    governance_ok = fault is not Fault.GOVERNANCE_FAILED
    handoff = catalog.HANDOFF_CHECK_STABLE if reh.stable else catalog.HANDOFF_CHECK_CANDIDATE
    if reh.cutover_executed:
        title = "# Service.v3 Runtime Cutover Execution Record"
        scope = (
            f"Rehearsal {reh.id} ran the consumer command stack on the new runtime baseline, "
            f"right after AssistSupport moved its pin to `{reh.plan.pin.tag}`; the handoff was "
            "checked in pinned mode against the stable release."
        )
    elif reh.stable:
        title = "# Service.v2 Baseline Dry-Run Execution Record"
        scope = (
            f"Rehearsal {reh.id} ran the consumer command stack right after the repin to "
            f"`{reh.plan.pin.tag}`. No service.v3 candidate had been published yet, so the "
            "handoff was checked in pinned mode."
        )
    else:
        title = "# Service.v3 Cutover-Day Dry-Run Execution Record"
        scope = (
            f"Rehearsal {reh.id} exercised the cutover-day command stack against the MemoryKernel "
            f"candidate `{reh.producer_release.tag}` while AssistSupport kept its pinned "
            f"`{reh.plan.pin.tag}` runtime."
        )
    lines = [
        title,
        "",
        f"Updated: {reh.date.isoformat()}  ",
        "Owner: AssistSupport, with MemoryKernel attending",
        "",
        "## Scope",
        scope,
        "",
        "## Commands Executed",
        "```bash",
        *(f"pnpm run {command}" for command in catalog.TOP_COMMANDS),
        "```",
        "",
        "## Result Summary",
        f"1. `{catalog.DRY_RUN}` -> {_result(ci_ok)}",
        f"   - `{handoff}` -> PASS",
        f"   - `{catalog.PIN_CHECK}` -> PASS",
        f"   - `{catalog.CONTRACT_SUITE}` -> PASS",
        f"   - `{catalog.CI_SUITE}` -> {_result(ci_ok)}",
        f"2. `{catalog.GOVERNANCE}` -> {_result(governance_ok)}",
        f"3. `{catalog.PHASE3}` -> PASS",
        "",
        "## Evidence Artifacts",
        "1. `artifacts/memorykernel-handoff-evidence.json`",
        "2. `artifacts/memorykernel-contract-evidence.json`",
        f"3. `junit/{junit_name}`",
        "4. terminal transcripts under `transcripts/`",
        "",
        "## Notes",
        _NOTES[fault],
        "",
        "## Verdict",
        f"- Rehearsal continuation: {verdict(reh.plan.continuation)}",
        f"- Runtime cutover: {verdict(reh.plan.cutover)}",
    ]
    if reh.has_override:
        lines.append("- Runtime cutover basis: joint gate override, see the decision record")
    if reh.plan.template_section:
        lines += [
            "",
            "## Template For The Next Session",
            "Copy these lines into the next record and fill them in.",
            "- Rehearsal continuation verdict: `GO` / `NO-GO`",
            # Pre-filled with the answer the session plan expects: still no recorded verdict.
            "- Runtime cutover verdict: `NO-GO` (unless explicit joint gate override, out of "
            "scope here)",
            "- Risks found:",
            "- Required follow-up owners and dates:",
        ]
    return md(lines)


def checkpoint_record(reh: Rehearsal) -> bytes:
    """The joint checkpoint status: baseline, checkpoint verdicts, owners, open risks."""
    fault = reh.plan.fault
    found = problem(reh)
    risks = ["- None recorded."]
    if found:
        owner = ROLE_TITLES[found.action_owner]
        due = reh.day(found.due_in_days).isoformat()
        risks = [f"- {found.risk}", f"  - Follow-up: {found.action} (owner: {owner}; due {due})"]
    return md(
        [
            "# Joint Checkpoint Status: AssistSupport + MemoryKernel",
            "",
            f"Updated: {reh.date.isoformat()} (rehearsal {reh.id})",
            "",
            "## Baseline",
            *baseline_lines(reh),
            "",
            "## Checkpoint Results",
            "- Checkpoint A (pin, mirror and governance checks): "
            + verdict("NO-GO" if fault is Fault.GOVERNANCE_FAILED else "GO"),
            "- Checkpoint B (consumer contract and CI suites): "
            + verdict("NO-GO" if fault is Fault.FALLBACK_REGRESSION else "GO"),
            "- Checkpoint C (rollback ownership confirmed): "
            + verdict("NO-GO" if fault is Fault.ROLLBACK_OWNER_TBD else "GO"),
            f"- Rehearsal continuation decision: {verdict(reh.plan.continuation)}",
            f"- Runtime cutover decision: {verdict(reh.plan.cutover)}",
            "",
            "## Ownership",
            *ownership_lines(reh),
            "",
            "## Risks and Follow-Ups",
            *risks,
        ]
    )


def producer_record(reh: Rehearsal) -> bytes:
    """The producer's verification record, kept instead of a terminal transcript."""
    release = reh.producer_release
    return md(
        [
            "# MemoryKernel Producer Verification Record",
            "",
            f"Updated: {reh.date.isoformat()}",
            "Owner: MemoryKernel",
            f"Release verified: `{release.tag}` (`{release.commit_sha}`)",
            "",
            "## Required Commands",
            *(f"- `{command}` -> PASS" for command in catalog.producer_commands()),
            "",
            "## Notes",
            "The terminal scrollback of this run was not saved; the results above were copied "
            "from the CI job that built the release commit.",
        ]
    )
