"""The risks and follow-ups of a rehearsal: the session's own, plus one of each per unmet gate."""

from __future__ import annotations

import datetime as dt
from typing import Literal, TypedDict

from cutover_kit.gates.model import GateResult, GateStatus
from cutover_kit.gates.view import RehearsalView
from cutover_kit.policy import Policy

# Where a risk or follow-up comes from: written in the session manifest, or an unmet gate.
Source = Literal["session", "gate"]


class Risk(TypedDict):
    """One risk, as ``verdict.json`` ``risks`` lists it (keys in this order)."""

    id: str
    description: str
    owner_role: str
    source: Source


class FollowUp(TypedDict):
    """One follow-up, as ``verdict.json`` ``follow_ups`` lists it; ``gate`` is empty for the
    session's own."""

    action: str
    owner_role: str
    due: str
    gate: str
    source: Source


def risks_and_follow_ups(
    view: RehearsalView, policy: Policy, gates: list[GateResult]
) -> tuple[list[Risk], list[FollowUp]]:
    """Risks and follow-ups from the session manifest, plus one of each per failed/missing gate."""
    manifest = view.manifest
    risks: list[Risk] = [
        {"id": r.id, "description": r.description, "owner_role": r.owner_role, "source": "session"}
        for r in (manifest.risks if manifest else [])
    ]
    follow_ups: list[FollowUp] = [
        {
            "action": f.action,
            "owner_role": f.owner_role,
            "due": f.due.isoformat(),
            "gate": "",
            "source": "session",
        }
        for f in (manifest.follow_ups if manifest else [])
    ]
    due = ""
    if view.rehearsal.date:
        start = dt.date.fromisoformat(view.rehearsal.date)
        due = (start + dt.timedelta(days=policy.follow_ups.due_in_days)).isoformat()
    owners = {gate.id: gate.owner_role for gate in policy.gates}
    for gate in gates:
        if gate.status not in {GateStatus.FAIL, GateStatus.MISSING}:
            continue
        risks.append(
            {
                "id": gate.id,
                "description": f"{gate.id} {gate.status}: {gate.detail}",
                "owner_role": owners[gate.id],
                "source": "gate",
            }
        )
        follow_ups.append(
            {
                "action": f"Resolve {gate.id} ({gate.description})",
                "owner_role": owners[gate.id],
                "due": due,
                "gate": gate.id,
                "source": "gate",
            }
        )
    return risks, follow_ups
