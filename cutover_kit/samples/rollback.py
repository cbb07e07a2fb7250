"""Rollback drill records and the joint runtime cutover decision record of the final rehearsal.

Rollback readiness (RBK-1) and the joint override are judged from these, so they carry exactly
what the gates read: the runtime target (the current pin), the rollback target, a checklist, a
drill result, and for the override both approvers with the approved runtime target.
"""

from __future__ import annotations

from cutover_kit.samples import catalog
from cutover_kit.samples.history import (
    API_V1,
    INTEGRATION_V1,
    OVERRIDE_TARGET,
    ROLE_TITLES,
    ROLLBACK_TARGET,
    Fault,
    Rehearsal,
    Release,
)
from cutover_kit.samples.records import md, ownership_lines

_CHECKLIST = (
    "Rollback target tag and commit confirmed by both sides",
    "Previous pin, manifest mirror and compatibility matrix row staged as one revert",
    "A named rollback owner on each side for the session window",
    "Consumer drafts stay available with MemoryKernel stopped",
    "Incident channel and paging path exercised",
)
_OWNER_ITEM = 2
# What stops a cutover on the day, as the decision records list it (our own wording).
ABORT_TRIGGERS = (
    "1. A non-2xx envelope that breaks the service.v3 policy.",
    "2. Any red deterministic fallback case in AssistSupport.",
    "3. A rollback role without exactly one named owner.",
    "4. A failed consumer contract or CI command while validating the cutover.",
)


def approved_target_lines(target: Release) -> list[str]:
    """The approved runtime target, nested under its approval line as decision records write it."""
    return [
        "- Approved runtime target:",
        f"  - release_tag: `{target.tag}`",
        f"  - commit_sha: `{target.commit_sha}`",
        f"  - service_contract_version: `{target.service}`",
        f"  - api_contract_version: `{API_V1}`",
        f"  - integration_baseline: `{INTEGRATION_V1}`",
    ]


def _target(heading: str, release: Release) -> list[str]:
    return [
        f"## {heading}",
        f"- release_tag: `{release.tag}`",
        f"- commit_sha: `{release.commit_sha}`",
        f"- service/api/baseline: `{release.service}` / `{API_V1}` / `{INTEGRATION_V1}`",
        "",
    ]


def drill_record(reh: Rehearsal) -> bytes:
    """A rollback drill: full (drill rehearsals) or the short readiness form (others)."""
    blocked = reh.plan.fault is Fault.ROLLBACK_OWNER_TBD
    full = reh.plan.drill == "full"
    lines = [
        "# MemoryKernel Rollback Drill" if full else "# MemoryKernel Rollback Drill (Short Form)",
        "",
        f"Updated: {reh.date.isoformat()}",
        "",
        *_target("Runtime Target", reh.plan.pin),
        *_target("Rollback Target", reh.rollback_target),
    ]
    if full:
        consumer = (catalog.PIN_CHECK, catalog.GOVERNANCE, catalog.CONTRACT_SUITE, catalog.DRY_RUN)
        lines += [
            "## Commands Executed (Consumer)",
            "```bash",
            *(f"pnpm run {command}" for command in consumer),
            "```",
            "",
            "## Commands Executed (Producer)",
            "```bash",
            *catalog.producer_commands(),
            "```",
            "",
        ]
    lines.append("## Rollback Checklist")
    for index, item in enumerate(_CHECKLIST):
        mark = " " if blocked and index == _OWNER_ITEM else "x"
        lines.append(f"- [{mark}] {item}")
    if blocked:
        result = ["- Status: BLOCKED", "- Result: FAIL"]
        note = "The MemoryKernel rollback owner is unassigned; the drill cannot be signed off."
    else:
        result = ["- Status: READY", "- Result: PASS"]
        note = (
            f"Reverting to `{reh.rollback_target.tag}` was walked through end to end; drafts kept "
            "working on local fallback the whole time."
        )
    lines += ["", "## Drill Result", *result, f"- Notes: {note}"]
    return md(lines)


def decision_record(reh: Rehearsal) -> bytes:
    """The joint decision record with the gate override that allows the runtime cutover."""
    target = OVERRIDE_TARGET
    window = ", ".join(reh.window_ids(3))
    return md(
        [
            "# Runtime Cutover Decision Record (Joint)",
            "",
            f"Updated: {reh.date.isoformat()}  ",
            "Owner: AssistSupport and MemoryKernel, jointly",
            "",
            "## Decision Scope",
            f"Closes the rehearsal series with rehearsal {reh.id} and records whether the "
            "runtime cutover to service.v3 may be scheduled.",
            "",
            "## Decision Outcome",
            "1. Rehearsal continuation: **GO**",
            "2. Runtime cutover execution: **GO**",
            "",
            "## Joint Gate Override",
            f"- AssistSupport approver: {ROLE_TITLES['consumer_incident_commander']}",
            f"- MemoryKernel approver: {ROLE_TITLES['producer_incident_commander']}",
            f"- Approved on: {reh.date.isoformat()}",
            *approved_target_lines(target),
            "",
            "## Readiness Basis",
            f"- Trailing rehearsals reviewed: {window}",
            "- Fallback regressions in that window: none",
            f"- Rollback target on record: `{ROLLBACK_TARGET.tag}`",
            "",
            "## Ownership (Named Roles)",
            *ownership_lines(reh),
            "",
            "## Abort Triggers On Cutover Day",
            *ABORT_TRIGGERS,
        ]
    )
