"""Pass rates of gates over a window, with 95% Wilson intervals and a rolling trend.

A *run* of a gate is a rehearsal where the gate was evaluated: ``pass``, ``fail`` or ``missing``.
``skipped`` means the gate does not apply to that rehearsal (a cutover skips the pin guardrails),
so it is not a run: it counts apart and stays out of every rate. ``missing`` is a run whose
evidence was absent: it is its own share of the runs, never a pass and never folded into fail.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from cutover_kit.analysis.stats import flips, rate, wilson_interval
from cutover_kit.gates.model import GateStatus

RUN_STATUSES: Final[tuple[str, ...]] = (GateStatus.PASS, GateStatus.FAIL, GateStatus.MISSING)
STATUSES: Final[tuple[str, ...]] = (*RUN_STATUSES, GateStatus.SKIPPED)

GATE_RATE_COLUMNS: Final = [
    "gate",
    "category",
    "runs",
    "pass",
    "fail",
    "missing",
    "skipped",
    "pass_rate",
    "fail_rate",
    "missing_rate",
    "wilson_low",
    "wilson_high",
    "flips",
    "pairs",
    "flip_rate",
]


def run_sequences(gate_rows: pd.DataFrame) -> list[list[str]]:
    """One gate's run statuses per service, in rehearsal order (skipped rehearsals left out).

    Services are kept apart: two services' rehearsals are not consecutive runs of each other.
    """
    return _sequences(
        list(zip(gate_rows["order"], gate_rows["service"], gate_rows["status"], strict=True))
    )


def _sequences(runs: list[tuple[int, str, str]]) -> list[list[str]]:
    """(order, service, status) of one gate's rows as :func:`run_sequences` returns them."""
    by_service: dict[str, list[tuple[int, str]]] = {}
    for order, service, status in runs:
        if status in RUN_STATUSES:
            by_service.setdefault(str(service), []).append((int(order), str(status)))
    return [
        [status for _, status in sorted(by_service[service], key=lambda run: run[0])]
        for service in sorted(by_service)
    ]


def gate_rates(gates: pd.DataFrame) -> pd.DataFrame:
    """Per gate (first-seen order): counts, rates, Wilson interval of the pass rate, flip rate.

    ``gates`` has one row per rehearsal and gate with ``gate``, ``category``, ``status``,
    ``order`` and ``service``. ``flip_rate`` is flips / consecutive run pairs (runs − 1 for one
    service); ``None`` (no rate) below two runs. The rows are walked as plain tuples: a pandas
    group per gate cost several times the statistics themselves.
    """
    categories: dict[str, str] = {}
    per_gate: dict[str, list[tuple[int, str, str]]] = {}
    for gate, category, order, service, status in zip(
        gates["gate"],
        gates["category"],
        gates["order"],
        gates["service"],
        gates["status"],
        strict=True,
    ):
        categories.setdefault(gate, category)
        per_gate.setdefault(gate, []).append((order, service, str(status)))
    rows = []
    for gate, runs_of_gate in per_gate.items():
        statuses = [status for _, _, status in runs_of_gate]
        tally = {status: statuses.count(status) for status in STATUSES}
        runs = sum(tally[status] for status in RUN_STATUSES)
        interval = wilson_interval(tally["pass"], runs)
        sequences = _sequences(runs_of_gate)
        flipped = sum(flips(sequence) for sequence in sequences)
        pairs = sum(max(len(sequence) - 1, 0) for sequence in sequences)
        rows.append(
            {
                "gate": gate,
                "category": categories[gate],
                "runs": runs,
                **tally,
                "pass_rate": rate(tally["pass"], runs),
                "fail_rate": rate(tally["fail"], runs),
                "missing_rate": rate(tally["missing"], runs),
                "wilson_low": interval[0] if interval else None,
                "wilson_high": interval[1] if interval else None,
                "flips": flipped,
                "pairs": pairs,
                "flip_rate": rate(flipped, pairs),
            }
        )
    return pd.DataFrame(rows, columns=GATE_RATE_COLUMNS)


ROLLING_COLUMNS: Final = [
    "rehearsal_id",
    "first_id",
    "rehearsals",
    "runs",
    "pass",
    "fail",
    "missing",
    "pass_rate",
    "fail_rate",
    "missing_rate",
]


def rolling_rates(gates: pd.DataFrame, window_ids: list[str], size: int) -> pd.DataFrame:
    """For each rehearsal, the share of all gate runs that pass / fail / miss over the last
    ``size`` rehearsals of the window ending there (fewer at the start of the window)."""
    by_rehearsal = {
        rehearsal_id: group["status"].value_counts()
        for rehearsal_id, group in gates.groupby("rehearsal_id", sort=False)
    }
    rows = []
    for index, rehearsal_id in enumerate(window_ids):
        span = window_ids[max(0, index - size + 1) : index + 1]
        tally = dict.fromkeys(RUN_STATUSES, 0)
        for member in span:
            counts = by_rehearsal.get(member)
            if counts is not None:
                for status in RUN_STATUSES:
                    tally[status] += int(counts.get(status, 0))
        runs = sum(tally.values())
        rows.append(
            {
                "rehearsal_id": rehearsal_id,
                "first_id": span[0],
                "rehearsals": len(span),
                "runs": runs,
                **tally,
                "pass_rate": rate(tally["pass"], runs),
                "fail_rate": rate(tally["fail"], runs),
                "missing_rate": rate(tally["missing"], runs),
            }
        )
    return pd.DataFrame(rows, columns=ROLLING_COLUMNS)
