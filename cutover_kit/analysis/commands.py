"""Command pass rates and durations across the window, from transcripts only.

Records that *report* a command are claims, not runs (the command gates trust transcripts only),
so they are left out here too. A run whose result the transcript does not state is ``unknown``:
counted in the runs and shown apart, never a pass. Durations are the ones transcripts print
(vitest, cargo, pytest); the median and p90 use linear interpolation over the timed runs.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from cutover_kit.analysis.stats import quantile, rate

COMMAND_COLUMNS: Final = [
    "command",
    "runs",
    "pass",
    "fail",
    "unknown",
    "pass_rate",
    "timed_runs",
    "median_s",
    "p90_s",
]


def command_stats(commands: pd.DataFrame, window_ids: list[str]) -> pd.DataFrame:
    """One row per command seen in a transcript of the window, by command name."""
    runs = commands[
        (commands["source"] == "transcript") & commands["rehearsal_id"].isin(window_ids)
    ]
    rows = []
    for command, group in runs.groupby("command", sort=True):
        results = group["result"].value_counts()
        durations = [float(d) for d in group["duration_s"].dropna()]
        passed, failed = int(results.get("pass", 0)), int(results.get("fail", 0))
        rows.append(
            {
                "command": command,
                "runs": len(group),
                "pass": passed,
                "fail": failed,
                "unknown": len(group) - passed - failed,
                "pass_rate": rate(passed, len(group)),
                "timed_runs": len(durations),
                "median_s": quantile(durations, 0.5),
                "p90_s": quantile(durations, 0.9),
            }
        )
    return pd.DataFrame(rows, columns=COMMAND_COLUMNS)
