"""What every gate check gets, and the few ways a check states its result.

A check says ``missing`` through :func:`missing`, which cites any rejected file of the kinds it
needed, so an unreadable artifact never looks like an absent one, and never like a pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cutover_kit.gates.fallback import ScenarioDelta
from cutover_kit.gates.model import EvidenceRef, GateResult, GateStatus
from cutover_kit.gates.view import RehearsalView

if TYPE_CHECKING:
    from cutover_kit.policy import Gate, Policy


@dataclass(frozen=True)
class GateInput:
    """What a check may use: the rehearsal, the policy and the fallback comparison."""

    view: RehearsalView
    policy: Policy
    gate: Gate
    fallback: dict[str, ScenarioDelta]
    previous_id: str | None


def result(
    given: GateInput,
    status: GateStatus,
    detail: str,
    evidence: list[EvidenceRef] | tuple[EvidenceRef, ...] = (),
) -> GateResult:
    gate = given.gate
    return GateResult(gate.id, gate.category, gate.description, status, detail, tuple(evidence))


def missing(given: GateInput, what: str, *kinds: str) -> GateResult:
    """``missing``: no usable evidence of these kinds (rejected ones are cited)."""
    unreadable = given.view.unreadable(*kinds)
    suffix = f" ({len(unreadable)} such file(s) rejected)" if unreadable else ""
    return result(given, GateStatus.MISSING, f"no usable {what}{suffix}", unreadable)


def judged(
    given: GateInput,
    failures: list[EvidenceRef],
    ok: str,
    bad: str,
    used: list[EvidenceRef],
) -> GateResult:
    """``fail`` citing the failures when there are any, else ``pass`` citing what was used.

    ``{n}`` in ``bad`` becomes the number of failures (a plain replace: evidence text quoted in
    ``bad`` may hold braces of its own).
    """
    if failures:
        return result(given, GateStatus.FAIL, bad.replace("{n}", str(len(failures))), failures)
    return result(given, GateStatus.PASS, ok, used)
