"""Everything the verdict stage decides about one rehearsal, ready to serialise."""

from __future__ import annotations

from dataclasses import dataclass, field

from cutover_kit.evidence.ledger import Rehearsal
from cutover_kit.gates.fallback import ScenarioDelta
from cutover_kit.gates.model import GateResult
from cutover_kit.verdict.audit import AuditItem, Recorded
from cutover_kit.verdict.completion import CutoverCompletion
from cutover_kit.verdict.follow_ups import FollowUp, Risk
from cutover_kit.verdict.reasons import Reason
from cutover_kit.verdict.values import Decision


@dataclass
class Verdict:
    """Everything decided about one rehearsal, ready to serialise as ``verdict.json``."""

    rehearsal: Rehearsal
    previous_id: str | None
    gates: list[GateResult]
    fallback: dict[str, ScenarioDelta]
    rehearsal_continuation: Decision
    runtime_cutover: Decision
    reasons: list[Reason]
    recorded: list[Recorded]
    audit: list[AuditItem]
    risks: list[Risk]
    follow_ups: list[FollowUp]
    completion: CutoverCompletion
    inputs: list[dict[str, str]] = field(default_factory=list)

    @property
    def regressions(self) -> int:
        return sum(len(delta.regressions) for delta in self.fallback.values())
