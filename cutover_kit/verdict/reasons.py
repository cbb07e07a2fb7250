"""Why a verdict is what it is: each reason names the deciding gate or rule and cites evidence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """Why a verdict is what it is: the deciding gate (or rule), a sentence and its evidence."""

    verdict: str
    gate: str
    sentence: str
    evidence: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "gate": self.gate,
            "sentence": self.sentence,
            "evidence": list(self.evidence),
        }
