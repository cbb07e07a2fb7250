"""The gate categories a policy may use; the engine gives two of them a meaning of their own.

``rollback-readiness`` gates decide the runtime cutover only; ``completion`` gates are the cutover
completion items, evaluated apart from the rehearsal's gates.
"""

from __future__ import annotations

from enum import StrEnum


class GateCategory(StrEnum):
    PRECONDITION = "precondition"
    COMMAND = "command"
    ARTIFACT_REVIEW = "artifact-review"
    GUARDRAIL = "guardrail"
    STOP_CONDITION = "stop-condition"
    ROLLBACK_READINESS = "rollback-readiness"
    COMPLETION = "completion"
