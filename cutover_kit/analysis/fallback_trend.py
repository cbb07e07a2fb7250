"""Fallback coverage per rehearsal and scenario over the window, with the cases named.

Each rehearsal is compared with the previous rehearsal of its service, as the gate engine does
(that predecessor may lie before the window). A scenario with no executed case has *lost
coverage*: no case ran, so nothing about it is known.
"""

from __future__ import annotations

from typing import Final, cast

import pandas as pd

CHANGE_CLASSES: Final = ("regression", "recurring", "new_failing", "fixed")

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
    (sorted) case names of each change class as lists."""
    named: dict[tuple[str, str, str], list[str]] = {}
    for row in fallback_cases.itertuples(index=False):
        key = (str(row.rehearsal_id), str(row.scenario), str(row.change))
        named.setdefault(key, []).append(str(row.case))
    order = {rehearsal_id: index for index, rehearsal_id in enumerate(window_ids)}
    chosen = fallback[fallback["rehearsal_id"].isin(order)]
    rows = [
        {
            "rehearsal_id": row.rehearsal_id,
            "scenario": row.scenario,
            "executed": int(cast(int, row.executed)),
            "lost_coverage": bool(row.lost_coverage),
            **{
                change: sorted(named.get((str(row.rehearsal_id), str(row.scenario), change), []))
                for change in CHANGE_CLASSES
            },
        }
        for row in chosen.itertuples(index=False)
    ]
    frame = pd.DataFrame(rows, columns=FALLBACK_COLUMNS)
    return frame.sort_values(
        "rehearsal_id", key=lambda ids: ids.map(order), kind="stable"
    ).reset_index(drop=True)
