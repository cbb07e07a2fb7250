"""Pass rates of gates over a window, with 95% Wilson intervals and a rolling trend.

A *run* of a gate is a rehearsal where the gate was evaluated: ``pass``, ``fail`` or ``missing``.
``skipped`` means the gate does not apply to that rehearsal (a cutover skips the pin guardrails),
so it is not a run: it counts apart and stays out of every rate. ``missing`` is a run whose
evidence was absent: it is its own share of the runs, never a pass and never folded into fail.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from cutover_kit.analysis.stats import rate, wilson_interval
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


def status_codes(statuses: pd.Series) -> np.ndarray:
    """Each status as its index in :data:`STATUSES` (run statuses first), -1 for any other."""
    return np.asarray(pd.Categorical(statuses.astype(object), categories=list(STATUSES)).codes)


def consecutive_pairs(
    groups: np.ndarray, services: np.ndarray, order: np.ndarray, outcomes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows sorted stably by group, service, then ``order``; which sorted row continues the
    run of the row before it (same group and service), and which of those changed outcome.

    Returns the permutation and the two masks (one shorter than the rows): the flips and pairs
    of :func:`~cutover_kit.analysis.stats.flips`, counted per group without a list per group.
    """
    ordered = np.lexsort((order, services, groups))
    groups, services, outcomes = groups[ordered], services[ordered], outcomes[ordered]
    same = (groups[1:] == groups[:-1]) & (services[1:] == services[:-1])
    return ordered, same, same & (outcomes[1:] != outcomes[:-1])


def gate_rates(gates: pd.DataFrame) -> pd.DataFrame:
    """Per gate (first-seen order): counts, rates, Wilson interval of the pass rate, flip rate.

    ``gates`` has one row per rehearsal and gate with ``gate``, ``category``, ``status``,
    ``order`` and ``service``. ``flip_rate`` is flips / consecutive run pairs (runs − 1 for one
    service); ``None`` (no rate) below two runs. Counted over integer codes of the columns: a
    year of rehearsals is 170,000 gate rows, and a pandas group (or a Python tuple) per row cost
    several times the statistics themselves.
    """
    gate_codes, gate_names = pd.factorize(gates["gate"], use_na_sentinel=False)
    count = len(gate_names)
    _, first = np.unique(gate_codes, return_index=True)
    categories = gates["category"].to_numpy(dtype=object)[first]
    statuses = status_codes(gates["status"])
    known = statuses >= 0
    tally = np.bincount(
        gate_codes[known] * len(STATUSES) + statuses[known], minlength=count * len(STATUSES)
    ).reshape(count, len(STATUSES))
    ran = (statuses >= 0) & (statuses < len(RUN_STATUSES))
    service_codes, _ = pd.factorize(gates["service"].astype(object).map(str))
    ordered, same, flipped = consecutive_pairs(
        gate_codes[ran], service_codes[ran], gates["order"].to_numpy()[ran], statuses[ran]
    )
    later = gate_codes[ran][ordered][1:]
    pairs_of = np.bincount(later, weights=same, minlength=count)
    flips_of = np.bincount(later, weights=flipped, minlength=count)
    rows = []
    for index, gate in enumerate(gate_names):
        counted = {status: int(tally[index, column]) for column, status in enumerate(STATUSES)}
        runs = sum(counted[status] for status in RUN_STATUSES)
        interval = wilson_interval(counted["pass"], runs)
        flipped_runs, pairs = int(flips_of[index]), int(pairs_of[index])
        rows.append(
            {
                "gate": gate,
                "category": categories[index],
                "runs": runs,
                **counted,
                "pass_rate": rate(counted["pass"], runs),
                "fail_rate": rate(counted["fail"], runs),
                "missing_rate": rate(counted["missing"], runs),
                "wilson_low": interval[0] if interval else None,
                "wilson_high": interval[1] if interval else None,
                "flips": flipped_runs,
                "pairs": pairs,
                "flip_rate": rate(flipped_runs, pairs),
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
    ``size`` rehearsals of the window ending there (fewer at the start of the window).

    One count table (rehearsal x status) and a cumulative sum: a window of 10,000 rehearsals
    costs one pass, not one group-by per rehearsal.
    """
    position = pd.Index(window_ids).get_indexer(pd.Index(gates["rehearsal_id"], dtype=object))
    statuses = status_codes(gates["status"])
    counted = (position >= 0) & (statuses >= 0) & (statuses < len(RUN_STATUSES))
    counts = np.bincount(
        position[counted] * len(RUN_STATUSES) + statuses[counted],
        minlength=len(window_ids) * len(RUN_STATUSES),
    ).reshape(len(window_ids), len(RUN_STATUSES))
    cumulative = np.vstack([np.zeros((1, len(RUN_STATUSES)), dtype=np.int64), counts.cumsum(0)])
    rows = []
    for index, rehearsal_id in enumerate(window_ids):
        start = max(0, index - size + 1)
        tally = dict(
            zip(
                RUN_STATUSES,
                (int(n) for n in cumulative[index + 1] - cumulative[start]),
                strict=True,
            )
        )
        runs = sum(tally.values())
        rows.append(
            {
                "rehearsal_id": rehearsal_id,
                "first_id": window_ids[start],
                "rehearsals": index + 1 - start,
                "runs": runs,
                **tally,
                "pass_rate": rate(tally["pass"], runs),
                "fail_rate": rate(tally["fail"], runs),
                "missing_rate": rate(tally["missing"], runs),
            }
        )
    return pd.DataFrame(rows, columns=ROLLING_COLUMNS)
