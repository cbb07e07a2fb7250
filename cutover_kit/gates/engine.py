"""Evaluating a policy's gates on one rehearsal: each gate's check, or ``skipped`` where it does
not apply. Deciding anything from the results is the job of :mod:`cutover_kit.verdict`.
"""

from __future__ import annotations

from cutover_kit.gates.checks import CHECKS, GateInput
from cutover_kit.gates.fallback import ScenarioDelta
from cutover_kit.gates.model import GateResult, GateStatus
from cutover_kit.gates.view import RehearsalView
from cutover_kit.policy import Policy
from cutover_kit.policy.categories import GateCategory


def evaluate_gates(
    view: RehearsalView,
    policy: Policy,
    fallback: dict[str, ScenarioDelta],
    previous_id: str | None,
) -> list[GateResult]:
    """The rehearsal's gates in policy order; completion items are left to
    :func:`evaluate_completion_items`, so every other rehearsal's gate list stays the same."""
    results = []
    for gate in policy.gates:
        if gate.category == GateCategory.COMPLETION:
            continue
        if view.rehearsal.kind in gate.skip_for_kinds:
            results.append(
                GateResult(
                    gate.id,
                    gate.category,
                    gate.description,
                    GateStatus.SKIPPED,
                    f"not applicable to a {view.rehearsal.kind} rehearsal",
                )
            )
            continue
        given = GateInput(view, policy, gate, fallback, previous_id)
        results.append(CHECKS.lookup(gate.check)(given))
    return results


def evaluate_completion_items(
    view: RehearsalView,
    policy: Policy,
    fallback: dict[str, ScenarioDelta],
    previous_id: str | None,
) -> tuple[GateResult, ...]:
    """The policy's completion items (gates of category ``completion``) on the rehearsal."""
    return tuple(
        CHECKS.lookup(gate.check)(GateInput(view, policy, gate, fallback, previous_id))
        for gate in policy.gates
        if gate.category == GateCategory.COMPLETION
    )
