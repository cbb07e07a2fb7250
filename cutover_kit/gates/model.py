"""Gate results and the evidence references that make every status traceable."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class GateStatus(StrEnum):
    """``missing`` means the evidence a gate needs is absent or unreadable: never a pass."""

    PASS = "pass"  # noqa: S105 - a gate status, not a password
    FAIL = "fail"
    MISSING = "missing"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class EvidenceRef:
    """The file and field (JSON pointer) or line behind a gate's status, with both sides."""

    path: str
    pointer: str = ""
    actual: str = ""
    expected: str = ""
    note: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "path": self.path,
            "pointer": self.pointer,
            "actual": self.actual,
            "expected": self.expected,
            "note": self.note,
        }

    def label(self) -> str:
        return f"{self.path} {self.pointer}".strip()


@dataclass(frozen=True)
class GateResult:
    """One gate's outcome on one rehearsal; ``detail`` is a short sentence a person can act on."""

    id: str
    category: str
    description: str
    status: GateStatus
    detail: str
    evidence: tuple[EvidenceRef, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "description": self.description,
            "status": str(self.status),
            "detail": self.detail,
            "evidence": [ref.as_dict() for ref in self.evidence],
        }
