"""Why a verdict is what it is: each reason names the deciding gate or rule and cites evidence."""

from __future__ import annotations

from dataclasses import dataclass

from cutover_kit.verdict.values import Rule, VerdictName


@dataclass(frozen=True)
class Reason:
    """Why a verdict is what it is: the deciding gate (or rule), a sentence and its evidence."""

    verdict: VerdictName
    gate: str | Rule
    sentence: str
    evidence: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "verdict": str(self.verdict),
            "gate": str(self.gate),
            "sentence": self.sentence,
            "evidence": list(self.evidence),
        }
