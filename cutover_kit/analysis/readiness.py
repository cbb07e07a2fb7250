"""The readiness statement for the runtime cutover, at the end of the trend window.

It applies the decision record's readiness criteria at the window's last rehearsal of each
service: the trailing window of the policy's size (the rehearsal and its predecessors of the same
service, as the gate engine walks them, even before the selected window) is every one rehearsal
continuation GO with at most the allowed fallback regressions, rollback readiness passes at the
last rehearsal, and a joint gate override is recorded there. When it does not hold, every blocker
names the rehearsal, the gate (or rule) and the reason, so the statement says what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

import pandas as pd

from cutover_kit.gates.model import GateStatus
from cutover_kit.policy import Policy
from cutover_kit.policy.categories import GateCategory
from cutover_kit.verdict.values import Decision, Rule, VerdictName


@dataclass(frozen=True)
class Blocker:
    """One thing standing between the window and a runtime cutover GO."""

    rehearsal_id: str
    gate: str
    reason: str
    evidence: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "rehearsal_id": self.rehearsal_id,
            "gate": self.gate,
            "reason": self.reason,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class Readiness:
    """The readiness criteria at one service's last rehearsal of the window."""

    service: str
    at: str
    window: tuple[str, ...]
    window_size: int
    all_go: bool
    regressions: int
    max_regressions: int
    rollback_ready: bool
    override_valid: bool
    blockers: tuple[Blocker, ...]

    @property
    def holds(self) -> bool:
        return not self.blockers

    @property
    def statement_template(self) -> tuple[str, tuple[str, ...]]:
        """The statement as a ``str.format`` template of the kit's words and the values that
        came from evidence (rehearsal ids, service), so a report can escape only the values."""
        window = ", ".join("{}" for _ in self.window)
        criteria = (
            f"trailing window {window} ({len(self.window)} of {self.window_size}): "
            f"{'every rehearsal GO' if self.all_go else 'not every rehearsal GO'}, "
            f"{self.regressions} fallback regression(s) (at most {self.max_regressions}), "
            f"rollback {'ready' if self.rollback_ready else 'not ready'}, "
            f"joint gate override {'valid' if self.override_valid else 'missing or invalid'}"
        )
        values = (self.at, self.service, *self.window)
        if self.holds:
            return f"Runtime cutover readiness holds at {{}} ({{}}): {criteria}.", values
        return (
            f"Runtime cutover readiness does not hold at {{}} ({{}}): {criteria}; "
            f"{len(self.blockers)} blocker(s).",
            values,
        )

    @property
    def statement(self) -> str:
        """One sentence a checkpoint record can quote."""
        template, values = self.statement_template
        return template.format(*values)

    def as_dict(self) -> dict[str, object]:
        return {
            "service": self.service,
            "at": self.at,
            "holds": self.holds,
            "statement": self.statement,
            "window": list(self.window),
            "window_size": self.window_size,
            "all_go": self.all_go,
            "fallback_regressions": self.regressions,
            "max_fallback_regressions": self.max_regressions,
            "rollback_ready": self.rollback_ready,
            "override_valid": self.override_valid,
            "blockers": [blocker.as_dict() for blocker in self.blockers],
        }


def trailing_window(verdicts: pd.DataFrame, at: str, size: int) -> list[str]:
    """``at`` and its predecessors of the same service, oldest first, at most ``size`` long."""
    previous = dict(
        zip(verdicts["rehearsal_id"].tolist(), verdicts["previous_id"].tolist(), strict=False)
    )
    window: list[str] = []
    current = at
    while current and len(window) < size:
        window.insert(0, current)
        current = previous.get(current, "")
    return window


def _labels(evidence: object) -> tuple[str, ...]:
    """A reason's evidence labels (a list in the reasons frame) as the blocker's tuple."""
    return tuple(cast("Iterable[str]", evidence))


def _regression_gate(policy: Policy) -> str:
    return next((g.id for g in policy.gates if g.check == "no_fallback_regression"), "FALLBACK")


def readiness_at(
    at: str,
    policy: Policy,
    verdicts: pd.DataFrame,
    reasons: pd.DataFrame,
    gates: pd.DataFrame,
    fallback_cases: pd.DataFrame,
) -> Readiness:
    """The readiness statement at rehearsal ``at`` (frames of the whole corpus, not the window:
    the trailing window may reach back before it)."""
    size = policy.readiness.window
    window = trailing_window(verdicts, at, size)
    by_id = verdicts.set_index("rehearsal_id")
    blockers: list[Blocker] = []
    if len(window) < size:
        blockers.append(
            Blocker(
                at, Rule.WINDOW, f"only {len(window)} rehearsal(s) so far; readiness needs {size}"
            )
        )
    continuation = reasons[
        (reasons["verdict"] == VerdictName.CONTINUATION) & reasons["rehearsal_id"].isin(window)
    ]
    not_go = [rid for rid in window if by_id.loc[rid, "rehearsal_continuation"] != Decision.GO]
    for rehearsal_id in not_go:
        rows = continuation[continuation["rehearsal_id"] == rehearsal_id]
        blockers.extend(
            Blocker(rehearsal_id, str(r.gate), str(r.sentence), _labels(r.evidence))
            for r in rows.itertuples(index=False)
        )
    regressions = fallback_cases[
        (fallback_cases["change"] == "regression") & fallback_cases["rehearsal_id"].isin(window)
    ]
    if len(regressions) > policy.readiness.max_fallback_regressions:
        gate = _regression_gate(policy)
        blockers.extend(
            Blocker(str(r.rehearsal_id), gate, f"fallback regression in {r.scenario}: {r.case}")
            for r in regressions.itertuples(index=False)
        )
    rollback = gates[
        (gates["rehearsal_id"] == at)
        & (gates["category"] == GateCategory.ROLLBACK_READINESS)
        & (gates["status"] != GateStatus.PASS)
    ]
    blockers.extend(
        Blocker(at, str(r.gate), f"{r.gate} {r.status}: {r.detail}")
        for r in rollback.itertuples(index=False)
    )
    override = reasons[
        (reasons["rehearsal_id"] == at)
        & (reasons["verdict"] == VerdictName.RUNTIME)
        & (reasons["gate"] == Rule.OVERRIDE)
    ]
    override_problems = (
        []
        if by_id.loc[at, "runtime_cutover"] == Decision.GO
        else list(override.itertuples(index=False))
    )
    blockers.extend(
        Blocker(at, Rule.OVERRIDE, str(r.sentence), _labels(r.evidence)) for r in override_problems
    )
    return Readiness(
        service=str(by_id.loc[at, "service"]),
        at=at,
        window=tuple(window),
        window_size=size,
        all_go=not not_go,
        regressions=len(regressions),
        max_regressions=policy.readiness.max_fallback_regressions,
        rollback_ready=rollback.empty,
        override_valid=not override_problems,
        blockers=tuple(blockers),
    )


def readiness_statements(
    ats: Sequence[str],
    policy: Policy,
    verdicts: pd.DataFrame,
    reasons: pd.DataFrame,
    gates: pd.DataFrame,
    fallback_cases: pd.DataFrame,
) -> list[Readiness]:
    """:func:`readiness_at` for each rehearsal of ``ats`` (each service's last), the corpus
    frames narrowed once to the rehearsals their trailing windows reach.

    Each statement reads only its trailing window and its last rehearsal; narrowing first
    keeps a dozen services from each scanning a year's 170,000 gate rows and every reason.
    """
    size = policy.readiness.window
    reach = {rid for at in ats for rid in trailing_window(verdicts, at, size)}
    narrowed = [
        frame[frame["rehearsal_id"].isin(reach)]
        for frame in (verdicts, reasons, gates, fallback_cases)
    ]
    return [readiness_at(at, policy, *narrowed) for at in ats]
