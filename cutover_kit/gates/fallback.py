"""Deterministic fallback coverage: test cases mapped to failure scenarios, compared over time.

A case is identified by its leaf name (``preflight_reports_timeout_as_offline``) so that the same
case seen in a JUnit file and in a vitest transcript counts once; a failure anywhere wins, because
a case that failed in one report did fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cutover_kit.evidence.codes import CaseStatus
from cutover_kit.evidence.model import TestCaseResult
from cutover_kit.policy import Fallback

_SEGMENT_SPLIT = re.compile(r"\s+>\s+|::")
_RANK: dict[str, int] = {
    CaseStatus.FAILED: 3,
    CaseStatus.ERROR: 3,
    CaseStatus.PASSED: 2,
    CaseStatus.SKIPPED: 1,
}


@dataclass(frozen=True)
class FallbackCase:
    """One fallback case of a rehearsal, with the file and pointer of its decisive report."""

    name: str
    scenario: str
    status: str
    path: str
    pointer: str
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.status in {CaseStatus.FAILED, CaseStatus.ERROR}

    @property
    def executed(self) -> bool:
        return self.status != CaseStatus.SKIPPED


def leaf_name(test_name: str) -> str:
    """The test's own name without describe blocks or module path, lower-cased."""
    return _SEGMENT_SPLIT.split(test_name.strip())[-1].strip().casefold()


def fallback_cases(
    cases: list[tuple[str, TestCaseResult]],
    fallback: Fallback,
    scenarios: dict[str, str | None] | None = None,
) -> dict[str, FallbackCase]:
    """Fallback cases by leaf name; the worst status reported for a case wins.

    ``scenarios`` remembers each test name's scenario across calls: every rehearsal runs the
    same few hundred cases, and matching each against every pattern again was a fifth of
    evaluating a history.
    """
    scenarios = {} if scenarios is None else scenarios
    found: dict[str, FallbackCase] = {}
    for path, case in cases:
        if case.name not in scenarios:
            scenarios[case.name] = fallback.scenario_of(case.name)
        scenario = scenarios[case.name]
        if scenario is None:
            continue
        name = leaf_name(case.name)
        candidate = FallbackCase(name, scenario, case.status, path, case.pointer, case.message)
        known = found.get(name)
        if known is None or _RANK.get(case.status, 0) > _RANK.get(known.status, 0):
            found[name] = candidate
    return found


@dataclass
class ScenarioDelta:
    """One scenario of one rehearsal against the previous one."""

    executed: int = 0
    regressions: list[str] = field(default_factory=list)
    recurring: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    new_failing: list[str] = field(default_factory=list)
    failing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "executed": self.executed,
            "regressions": self.regressions,
            "recurring": self.recurring,
            "fixed": self.fixed,
            "new_failing": self.new_failing,
            "lost_coverage": self.executed == 0,
        }


def compare(
    current: dict[str, FallbackCase],
    previous: dict[str, FallbackCase] | None,
    fallback: Fallback,
) -> dict[str, ScenarioDelta]:
    """Regressions, recurring, fixed and new failing cases per scenario (policy order)."""
    deltas = {scenario.id: ScenarioDelta() for scenario in fallback.scenarios}
    before = previous or {}
    for name in sorted(current):
        case = current[name]
        delta = deltas[case.scenario]
        delta.executed += case.executed
        earlier = before.get(name)
        if case.failed:
            delta.failing.append(name)
        if earlier is None or not earlier.executed:
            if case.failed:
                delta.new_failing.append(name)
        elif case.failed:
            (delta.recurring if earlier.failed else delta.regressions).append(name)
        elif earlier.failed and case.executed:
            delta.fixed.append(name)
    return deltas
