"""Fallback coverage per rehearsal and scenario over the window, with the cases named.

Each rehearsal is compared with the previous rehearsal of its service, as the gate engine does
(that predecessor may lie before the window). A scenario with no executed case has *lost
coverage*: no case ran, so nothing about it is known.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

CHANGE_CLASSES: Final = ("regression", "recurring", "new_failing", "fixed")

_CASE_KEY: Final = ("rehearsal_id", "scenario", "change", "case")

FALLBACK_COLUMNS: Final = [
    "rehearsal_id",
    "scenario",
    "executed",
    "lost_coverage",
    *CHANGE_CLASSES,
]


def fallback_trend(
    fallback: pd.DataFrame, fallback_cases: pd.DataFrame, window_ids: list[str]
) -> pd.DataFrame:
    """Per rehearsal of the window and scenario: executed count, lost coverage, and the
    (sorted) case names of each change class as lists.

    The columns are read as plain lists: iterating a pandas string column yields one boxed
    value at a time, a dozen times slower.
    """
    named: dict[tuple[str, str, str], list[str]] = {}
    for rehearsal_id, scenario, change, case in zip(
        *(fallback_cases[column].astype(object).tolist() for column in _CASE_KEY), strict=True
    ):
        named.setdefault((str(rehearsal_id), str(scenario), str(change)), []).append(str(case))
    order = {rehearsal_id: index for index, rehearsal_id in enumerate(window_ids)}
    chosen = fallback[fallback["rehearsal_id"].isin(order)]
    columns = ("rehearsal_id", "scenario", "executed", "lost_coverage")
    rows = [
        {
            "rehearsal_id": rehearsal_id,
            "scenario": scenario,
            "executed": int(executed),
            "lost_coverage": bool(lost_coverage),
            **{
                change: sorted(named.get((str(rehearsal_id), str(scenario), change), []))
                for change in CHANGE_CLASSES
            },
        }
        for rehearsal_id, scenario, executed, lost_coverage in zip(
            *(chosen[column].tolist() for column in columns), strict=True
        )
    ]
    frame = pd.DataFrame(rows, columns=FALLBACK_COLUMNS)
    return frame.sort_values(
        "rehearsal_id", key=lambda ids: ids.map(order), kind="stable"
    ).reset_index(drop=True)
