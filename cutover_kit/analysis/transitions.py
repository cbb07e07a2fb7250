"""How each gate's status changed between consecutive runs: newly failing, fixed, still failing.

Consecutive means consecutive runs of the gate for the same service inside the window: a
rehearsal where the gate was skipped is passed over (the gate did not run there), so a gate that
failed, was skipped, then failed again is *still failing*. ``missing`` keeps its own classes
(``newly_missing``, ``still_missing``): absent evidence is not a failing check.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import numpy as np
import pandas as pd

from cutover_kit.analysis.gate_rates import RUN_STATUSES, consecutive_pairs, status_codes
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


_CHANGE_CODES: Final = np.array(
    [[classify(before, after).value for after in RUN_STATUSES] for before in RUN_STATUSES],
    dtype=object,
)
"""The change from one run status to the next, indexed by their positions in RUN_STATUSES."""


def gate_transitions(gates: pd.DataFrame) -> pd.DataFrame:
    """Every consecutive pair of runs per gate and service, classified (steady pairs included),
    ordered by the later rehearsal, then by the gate's first appearance in ``gates``.

    One stable sort of the run rows by gate, service and rehearsal order puts each gate's runs
    of one service together; each row that continues the run before it is one pair. A year of
    rehearsals is 170,000 pairs: built as arrays, not a dictionary per pair.
    """
    codes = status_codes(gates["status"])
    ran = (codes >= 0) & (codes < len(RUN_STATUSES))
    order = gates["order"].to_numpy()[ran]
    gate_codes, _ = pd.factorize(gates["gate"], use_na_sentinel=False)
    service_codes, _ = pd.factorize(gates["service"], use_na_sentinel=False)
    ordered, same, _ = consecutive_pairs(gate_codes[ran], service_codes[ran], order, codes[ran])
    later = ordered[1:][same]
    earlier = ordered[:-1][same]
    # the gate's first appearance among all rows (skipped ones too), as before any filtering
    pairs = np.lexsort((gate_codes[ran][later], order[later]))
    later, earlier = later[pairs], earlier[pairs]
    column = {
        name: gates[name].to_numpy(dtype=object)[ran]
        for name in ("gate", "service", "rehearsal_id", "status")
    }
    before, after = codes[ran][earlier], codes[ran][later]
    return pd.DataFrame(
        {
            "gate": column["gate"][later],
            "service": column["service"][later],
            "from_id": column["rehearsal_id"][earlier],
            "to_id": column["rehearsal_id"][later],
            "from_status": column["status"][earlier],
            "to_status": column["status"][later],
            "change": _CHANGE_CODES[before, after],
        },
        columns=TRANSITION_COLUMNS,
    )


def transition_counts(transitions: pd.DataFrame) -> pd.DataFrame:
    """Per gate, how many pairs fell in each change class (all classes as columns)."""
    counts = pd.crosstab(transitions["gate"], transitions["change"])
    return counts.reindex(columns=list(CHANGES), fill_value=0)
