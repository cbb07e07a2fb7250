"""``session.toml`` of a sample rehearsal, plus the risks and follow-ups people recorded.

The standard library reads TOML but cannot write it, and the file is small and flat, so it is
rendered by hand; strings go through ``json.dumps``, whose escapes are valid TOML basic strings.
The risks and follow-ups are shared with the markdown records so both say the same thing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from cutover_kit.samples import catalog
from cutover_kit.samples.history import (
    API_V1,
    INTEGRATION_V1,
    OVERRIDE_TARGET,
    ROLE_TITLES,
    Fault,
    Rehearsal,
    Release,
)


@dataclass(frozen=True)
class Problem:
    """A risk people wrote down after a session, with the follow-up that answers it."""

    risk: str
    risk_owner: str
    action: str
    action_owner: str
    due_in_days: int


_PROBLEMS: dict[Fault, Problem] = {
    Fault.FALLBACK_REGRESSION: Problem(
        "Deterministic fallback regression: a timed-out preflight is reported as `blocked` "
        "instead of offline (`preflight_reports_timeout_as_offline`)",
        "consumer_incident_commander",
        "Restore the offline classification of preflight timeouts and re-run `test:ci`",
        "consumer_rollback_owner",
        4,
    ),
    Fault.ROLLBACK_OWNER_TBD: Problem(
        "No MemoryKernel rollback owner is named for the cutover window",
        "joint_decision_log_owner",
        "Name the MemoryKernel rollback owner and update the checkpoint record",
        "producer_incident_commander",
        4,
    ),
    Fault.GOVERNANCE_FAILED: Problem(
        "Governance bundle check fails: this week's integration review was never filed",
        "joint_decision_log_owner",
        "File the weekly integration review and re-run `check:memorykernel-governance`",
        "joint_decision_log_owner",
        3,
    ),
}


def problem(reh: Rehearsal) -> Problem | None:
    """What people recorded as going wrong (nothing when they did not notice, as in r08)."""
    return _PROBLEMS.get(reh.plan.fault)


def _text(value: str) -> str:
    return json.dumps(value)


def _baseline_table(name: str, release: Release) -> list[str]:
    return [
        f"[{name}]",
        f"release_tag = {_text(release.tag)}",
        f"commit_sha = {_text(release.commit_sha)}",
        f"service_contract_version = {_text(release.service)}",
        f"api_contract_version = {_text(API_V1)}",
        f"integration_baseline = {_text(INTEGRATION_V1)}",
    ]


def _title(reh: Rehearsal) -> str:
    if reh.cutover_executed:
        return (
            f"Runtime cutover to {OVERRIDE_TARGET.tag} carried out under the joint decision record"
        )
    if reh.has_override:
        return f"Final cutover rehearsal with joint gate override ({OVERRIDE_TARGET.tag})"
    if reh.plan.kind == "rollback-drill":
        return f"Rollback drill on {reh.plan.pin.tag} with candidate {reh.producer_release.tag}"
    if reh.stable:
        return f"Service.v2 baseline rehearsal after repin to {reh.plan.pin.tag}"
    return f"Service.v3 cutover-day dry run against {reh.producer_release.tag}"


def render(reh: Rehearsal, pin_sha256: str) -> bytes:
    """The session manifest; ``pin_sha256`` is the hash of the pin file's exact bytes."""
    lines = [
        "[session]",
        f"id = {_text(reh.id)}",
        f"date = {reh.date.isoformat()}",
        f"started_at = {reh.started_at.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        'service = "memorykernel/assistsupport"',
        f"kind = {_text(reh.plan.kind)}",
        f"title = {_text(_title(reh))}",
        "",
        *_baseline_table("baseline", reh.plan.pin),
        "",
        "[roles]",
        *(f"{role} = {_text(holder)}" for role, holder in reh.roles().items()),
        "",
        "[verdicts]",
        f"rehearsal_continuation = {_text(reh.plan.continuation)}",
        f"runtime_cutover = {_text(reh.plan.cutover)}",
    ]
    found = problem(reh)
    if found:
        lines += [
            "",
            "[[risks]]",
            f"id = {_text(f'{reh.id}-R1')}",
            f"description = {_text(found.risk)}",
            f"owner_role = {_text(found.risk_owner)}",
            "",
            "[[follow_ups]]",
            f"action = {_text(found.action)}",
            f"owner_role = {_text(found.action_owner)}",
            f"due = {reh.day(found.due_in_days).isoformat()}",
        ]
    if reh.has_override and reh.plan.override_in_session:
        lines += [
            "",
            "[override]",
            f"consumer_approver = {_text(ROLE_TITLES['consumer_incident_commander'])}",
            f"producer_approver = {_text(ROLE_TITLES['producer_incident_commander'])}",
            f"approved_at = {reh.date.isoformat()}",
            "",
            *_baseline_table("override.target", OVERRIDE_TARGET),
        ]
    if reh.plan.pin_captures:
        for command in catalog.TOP_COMMANDS:
            lines += [
                "",
                "[[pin_captures]]",
                f"command = {_text(f'pnpm run {command}')}",
                f"before_sha256 = {_text(pin_sha256)}",
                f"after_sha256 = {_text(pin_sha256)}",
            ]
    return ("\n".join(lines) + "\n").encode()
