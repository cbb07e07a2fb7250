"""Fallback gates: GRD-3 (no regression since the previous rehearsal), STOP-2 (green, covered)."""

from __future__ import annotations

from cutover_kit.evidence.codes import CaseStatus, EvidenceKind
from cutover_kit.gates.checks.base import GateInput, judged, result
from cutover_kit.gates.fallback import leaf_name
from cutover_kit.gates.model import EvidenceRef, GateResult, GateStatus


def _failed_reports(given: GateInput, names: set[str]) -> list[EvidenceRef]:
    """Every report (JUnit testcase, transcript line) of a failure of one of these cases."""
    return [
        EvidenceRef(path, case.pointer, case.status, "passed", f"{case.suite} {case.name}".strip())
        for path, case in given.view.test_cases
        if case.status in {CaseStatus.FAILED, CaseStatus.ERROR} and leaf_name(case.name) in names
    ]


def _named(names: set[str]) -> str:
    return ", ".join(sorted(names))


def no_fallback_regression(given: GateInput) -> GateResult:
    if given.previous_id is None:
        return result(given, GateStatus.PASS, "first rehearsal: nothing to regress from")
    regressions = {name for delta in given.fallback.values() for name in delta.regressions}
    return judged(
        given,
        _failed_reports(given, regressions),
        f"no fallback case regressed since {given.previous_id}",
        f"{len(regressions)} fallback case(s) regressed since {given.previous_id}: "
        f"{_named(regressions)}",
        [],
    )


def fallback_green(given: GateInput) -> GateResult:
    failing = {name for delta in given.fallback.values() for name in delta.failing}
    if failing:
        return result(
            given,
            GateStatus.FAIL,
            f"{len(failing)} fallback case(s) failing: {_named(failing)}",
            _failed_reports(given, failing),
        )
    uncovered = [scenario for scenario, delta in given.fallback.items() if delta.executed == 0]
    if uncovered:
        return result(
            given,
            GateStatus.MISSING,
            "lost coverage: no executed case for " + ", ".join(uncovered),
            given.view.unreadable(EvidenceKind.JUNIT, EvidenceKind.TRANSCRIPT),
        )
    executed = sum(delta.executed for delta in given.fallback.values())
    return result(
        given,
        GateStatus.PASS,
        f"{executed} fallback case(s) green across {len(given.fallback)} scenarios",
    )
