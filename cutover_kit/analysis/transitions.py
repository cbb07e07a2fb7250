"""How each gate's status changed between consecutive runs: newly failing, fixed, still failing.

Consecutive means consecutive runs of the gate for the same service inside the window: a
rehearsal where the gate was skipped is passed over (the gate did not run there), so a gate that
failed, was skipped, then failed again is *still failing*. ``missing`` keeps its own classes
(``newly_missing``, ``still_missing``): absent evidence is not a failing check.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import pandas as pd

from cutover_kit.analysis.gate_rates import RUN_STATUSES
from cutover_kit.gates.model import GateStatus

CHANGES: Final = (
    "newly_failing",
    "newly_missing",
    "fixed",
    "still_failing",
    "still_missing",
    "steady",
)

TRANSITION_COLUMNS: Final = [
    "gate",
    "service",
    "from_id",
    "to_id",
    "from_status",
    "to_status",
    "change",
]


class Transition(StrEnum):
    """How a gate's status changed from one run to the next (the ``change`` column)."""

    STEADY = "steady"
    STILL_FAILING = "still_failing"
    STILL_MISSING = "still_missing"
    FIXED = "fixed"
    NEWLY_FAILING = "newly_failing"
    NEWLY_MISSING = "newly_missing"


_UNCHANGED: Final = {
    GateStatus.PASS: Transition.STEADY,
    GateStatus.FAIL: Transition.STILL_FAILING,
    GateStatus.MISSING: Transition.STILL_MISSING,
}


def classify(before: str, after: str) -> Transition:
    """The change from one run's status to the next."""
    if before == after:
        return _UNCHANGED[GateStatus(after)]
    if after == GateStatus.PASS:
        return Transition.FIXED
    return Transition.NEWLY_FAILING if after == GateStatus.FAIL else Transition.NEWLY_MISSING


def gate_transitions(gates: pd.DataFrame) -> pd.DataFrame:
    """Every consecutive pair of runs per gate and service, classified (steady pairs included)."""
    runs = gates[gates["status"].isin(RUN_STATUSES)].sort_values("order", kind="stable")
    rows: list[dict[str, object]] = []
    for (gate, service), group in runs.groupby(["gate", "service"], sort=False):
        ids, statuses = list(group["rehearsal_id"]), list(group["status"])
        rows.extend(
            {
                "gate": gate,
                "service": service,
                "from_id": ids[index],
                "to_id": ids[index + 1],
                "from_status": statuses[index],
                "to_status": statuses[index + 1],
                "change": classify(statuses[index], statuses[index + 1]).value,
            }
            for index in range(len(ids) - 1)
        )
    frame = pd.DataFrame(rows, columns=TRANSITION_COLUMNS)
    order = dict(zip(gates["rehearsal_id"], gates["order"], strict=False))
    gate_order = {gate: index for index, gate in enumerate(gates["gate"].unique())}
    return (
        frame.assign(_to=frame["to_id"].map(order), _gate=frame["gate"].map(gate_order))
        .sort_values(["_to", "_gate"], kind="stable")
        .drop(columns=["_to", "_gate"])
        .reset_index(drop=True)
    )


def transition_counts(transitions: pd.DataFrame) -> pd.DataFrame:
    """Per gate, how many pairs fell in each change class (all classes as columns)."""
    counts = pd.crosstab(transitions["gate"], transitions["change"])
    return counts.reindex(columns=list(CHANGES), fill_value=0)
