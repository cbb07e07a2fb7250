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
    [[CHANGES.index(classify(before, after)) for after in RUN_STATUSES] for before in RUN_STATUSES]
)
"""The change from one run status to the next as its index in CHANGES, indexed by the two
statuses' positions in RUN_STATUSES."""


def gate_transitions(gates: pd.DataFrame) -> pd.DataFrame:
    """Every consecutive pair of runs per gate and service, classified (steady pairs included),
    ordered by the later rehearsal, then by the gate's first appearance in ``gates``.

    One stable sort of the run rows by gate, service and rehearsal order puts each gate's runs
    of one service together; each row that continues the run before it is one pair. A year of
    rehearsals is 170,000 pairs: each column is taken from its distinct values by integer
    codes, not built from a dictionary per pair.
    """
    codes = status_codes(gates["status"])
    gate_codes, gate_names = pd.factorize(gates["gate"])
    service_codes, services = pd.factorize(gates["service"])
    id_codes, ids = pd.factorize(gates["rehearsal_id"])
    ran = (codes >= 0) & (codes < len(RUN_STATUSES)) & (gate_codes >= 0) & (service_codes >= 0)
    codes, gate_codes, service_codes, id_codes = (
        codes[ran],
        gate_codes[ran],
        service_codes[ran],
        id_codes[ran],
    )
    order = gates["order"].to_numpy()[ran]
    ordered, same, _ = consecutive_pairs(gate_codes, service_codes, order, codes)
    later, earlier = ordered[1:][same], ordered[:-1][same]
    # by the later rehearsal, then by gate (codes number gates in order of first appearance)
    by_rehearsal = np.lexsort((gate_codes[later], order[later]))
    later, earlier = later[by_rehearsal], earlier[by_rehearsal]
    statuses, changes = pd.Index(RUN_STATUSES), pd.Index(CHANGES)
    return pd.DataFrame(
        {
            "gate": gate_names.take(gate_codes[later]),
            "service": services.take(service_codes[later]),
            "from_id": ids.take(id_codes[earlier]),
            "to_id": ids.take(id_codes[later]),
            "from_status": statuses.take(codes[earlier]),
            "to_status": statuses.take(codes[later]),
            "change": changes.take(_CHANGE_CODES[codes[earlier], codes[later]]),
        },
        columns=TRANSITION_COLUMNS,
    )
