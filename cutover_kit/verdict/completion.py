"""Cutover completion: the checklist that turns an authorised runtime cutover into a COMPLETE one.

A joint gate override authorises the cutover; it does not show that it happened. The completion
items (the policy's gates of category ``completion``, CMP-1..CMP-4 by default) do, and they are
evaluated only where the question makes sense: a rehearsal of kind ``cutover`` that carries a
joint gate override. Everywhere else completion is ``not-applicable``, saying why, so a recorded
"runtime cutover: COMPLETE" there is never backed.

The items are kept apart from the rehearsal's gates: they decide neither verdict, and they keep
the gate list of every other rehearsal exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from cutover_kit.gates.engine import evaluate_completion_items
from cutover_kit.gates.fallback import ScenarioDelta
from cutover_kit.gates.model import GateResult, GateStatus
from cutover_kit.gates.override import OverrideReading
from cutover_kit.gates.view import RehearsalView
from cutover_kit.policy import Policy
from cutover_kit.verdict.values import CompletionStatus

CUTOVER_KIND = "cutover"


@dataclass(frozen=True)
class CutoverCompletion:
    """Completion status of one rehearsal, with one gate result per completion item."""

    status: CompletionStatus
    detail: str
    items: tuple[GateResult, ...] = ()

    @property
    def unmet(self) -> list[GateResult]:
        return [item for item in self.items if item.status is not GateStatus.PASS]

    def as_dict(self) -> dict[str, object]:
        return {
            "status": str(self.status),
            "detail": self.detail,
            "items": [
                {
                    "id": item.id,
                    "description": item.description,
                    "status": str(item.status),
                    "detail": item.detail,
                    "evidence": [ref.as_dict() for ref in item.evidence],
                }
                for item in self.items
            ],
        }


def evaluate_completion(
    view: RehearsalView,
    policy: Policy,
    reading: OverrideReading,
    fallback: dict[str, ScenarioDelta],
    previous_id: str | None,
) -> CutoverCompletion:
    """The completion checklist of a cutover rehearsal with a joint gate override."""
    kind = view.rehearsal.kind
    if kind != CUTOVER_KIND:
        return CutoverCompletion(
            CompletionStatus.NOT_APPLICABLE,
            f"a {kind} rehearsal: completion is evaluated for a {CUTOVER_KIND} rehearsal only",
        )
    if reading.override is None:
        return CutoverCompletion(
            CompletionStatus.NOT_APPLICABLE,
            "no joint gate override (session.toml [override] or a joint decision record) "
            "authorises this cutover, so there is nothing to complete",
        )
    items = evaluate_completion_items(view, policy, fallback, previous_id)
    if not items:
        return CutoverCompletion(
            CompletionStatus.NOT_APPLICABLE, "the policy defines no completion items"
        )
    unmet = [item for item in items if item.status is not GateStatus.PASS]
    target = reading.override.target.release_tag
    if not unmet:
        detail = f"all {len(items)} completion items pass for {target} ({reading.source})"
        return CutoverCompletion(CompletionStatus.COMPLETE, detail, items)
    # Each unmet item with its first problem; the item itself lists the rest.
    summary = [f"{item.id} {item.status}: {item.detail.split('; ')[0]}" for item in unmet]
    detail = f"{len(unmet)} of {len(items)} completion items not met for {target}: " + "; ".join(
        summary
    )
    return CutoverCompletion(CompletionStatus.INCOMPLETE, detail, items)
