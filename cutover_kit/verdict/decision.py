"""Deciding the two verdicts from gate results, exactly as ``docs/gates.md`` states the rules.

Rehearsal continuation is GO only when every gate of the blocking categories passes (skipped gates
are not applicable and do not block; ``missing`` blocks). Runtime cutover is NO-GO unless a joint
gate override names both approvers and the policy's runtime target, and the readiness criteria
hold: continuation GO, rollback readiness passing, and a trailing window of GO rehearsals with no
fallback regression.
"""

from __future__ import annotations

from dataclasses import dataclass

from cutover_kit.evidence.session_manifest import JointOverride
from cutover_kit.gates.model import GateResult, GateStatus
from cutover_kit.gates.override import OverrideReading
from cutover_kit.policy import Policy
from cutover_kit.policy.categories import GateCategory
from cutover_kit.verdict.reasons import Reason
from cutover_kit.verdict.values import Decision, Rule, VerdictName


@dataclass(frozen=True)
class WindowEntry:
    """One rehearsal of the readiness window: its id, continuation verdict and regressions."""

    rehearsal_id: str
    continuation: Decision
    regressions: int


def _evidence_labels(gate: GateResult) -> tuple[str, ...]:
    return tuple(ref.label() for ref in gate.evidence if ref.path or ref.pointer)


def decide_continuation(policy: Policy, gates: list[GateResult]) -> tuple[Decision, list[Reason]]:
    blocking = [g for g in gates if g.category in policy.verdicts.continuation_categories]
    failed = [g for g in blocking if g.status in {GateStatus.FAIL, GateStatus.MISSING}]
    if not failed:
        passed = sum(g.status is GateStatus.PASS for g in blocking)
        skipped = [g.id for g in blocking if g.status is GateStatus.SKIPPED]
        note = f"; not applicable: {', '.join(skipped)}" if skipped else ""
        sentence = f"all {passed} blocking gates pass{note}"
        return Decision.GO, [Reason(VerdictName.CONTINUATION, Rule.ALL, sentence)]
    reasons = [
        Reason(
            VerdictName.CONTINUATION, g.id, f"{g.id} {g.status}: {g.detail}", _evidence_labels(g)
        )
        for g in failed
    ]
    return Decision.NO_GO, reasons


def _override_problems(policy: Policy, override: JointOverride | None) -> list[str]:
    if override is None:
        return ["no joint gate override is recorded; a dry run keeps the runtime cutover NO-GO"]
    target, wanted = override.target, policy.runtime_target
    unnamed = [
        f"override {side} approver is {name!r}, not a named person or role"
        for side, name in (
            ("consumer", override.consumer_approver),
            ("producer", override.producer_approver),
        )
        if policy.roles.is_unassigned(name)
    ]
    return unnamed + [
        f"override target {name} is {actual!r}, the policy's runtime target is {expected!r}"
        for name, actual, expected in (
            (
                "service_contract_version",
                target.service_contract_version,
                wanted.service_contract_version,
            ),
            ("api_contract_version", target.api_contract_version, wanted.api_contract_version),
            ("integration_baseline", target.integration_baseline, wanted.integration_baseline),
        )
        if actual != expected
    ]


def decide_runtime(
    policy: Policy,
    continuation: Decision,
    gates: list[GateResult],
    reading: OverrideReading,
    window: list[WindowEntry],
) -> tuple[Decision, list[Reason]]:
    """Runtime cutover verdict; ``window`` ends with the rehearsal being decided.

    Decision records that look like an authorisation but fall short come first among the
    reasons, each saying what the record lacks.
    """
    override, override_source = reading.override, reading.source
    reasons = [
        Reason(VerdictName.RUNTIME, Rule.OVERRIDE, shortfall.sentence, shortfall.evidence)
        for shortfall in reading.shortfalls
    ]
    reasons += [
        Reason(
            VerdictName.RUNTIME,
            Rule.OVERRIDE,
            problem,
            (override_source,) if override_source else (),
        )
        for problem in _override_problems(policy, override)
    ]
    if continuation is not Decision.GO:
        reasons.append(
            Reason(VerdictName.RUNTIME, Rule.CONTINUATION, "the rehearsal continuation is NO-GO")
        )
    for gate in gates:
        if gate.category == GateCategory.ROLLBACK_READINESS and gate.status is not GateStatus.PASS:
            reasons.append(
                Reason(
                    VerdictName.RUNTIME,
                    gate.id,
                    f"{gate.id} {gate.status}: {gate.detail}",
                    _evidence_labels(gate),
                )
            )
    size = policy.readiness.window
    if len(window) < size:
        reasons.append(
            Reason(
                VerdictName.RUNTIME,
                Rule.WINDOW,
                f"only {len(window)} rehearsal(s) so far; readiness needs {size}",
            )
        )
    not_go = [entry.rehearsal_id for entry in window if entry.continuation is not Decision.GO]
    if not_go:
        reasons.append(
            Reason(
                VerdictName.RUNTIME,
                Rule.WINDOW,
                f"trailing window has NO-GO rehearsal(s): {', '.join(not_go)}",
            )
        )
    regressions = sum(entry.regressions for entry in window)
    if regressions > policy.readiness.max_fallback_regressions:
        reasons.append(
            Reason(
                VerdictName.RUNTIME,
                Rule.WINDOW,
                f"{regressions} fallback regression(s) in the trailing window",
            )
        )
    if reasons or override is None:
        return Decision.NO_GO, reasons
    ids = ", ".join(entry.rehearsal_id for entry in window)
    sentence = (
        f"joint override by {override.consumer_approver} and {override.producer_approver} for "
        f"{override.target.release_tag}; continuation GO; rollback ready; window {ids} GO with "
        f"no fallback regression"
    )
    return Decision.GO, [Reason(VerdictName.RUNTIME, Rule.OVERRIDE, sentence, (override_source,))]
