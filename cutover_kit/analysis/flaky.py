"""Flaky gates and flaky test cases: how often the outcome flips between consecutive runs.

flip rate = flips / (runs − 1) over the window (per service; pairs summed across services).
Listed when the rate is strictly above the policy's ``[trend] flaky_threshold``. A test case is
identified by its leaf name, as the fallback comparison does, so the same case reported by JUnit
and by a transcript counts once per rehearsal, and a failure anywhere in the rehearsal wins.
"""

from __future__ import annotations

from typing import Final, cast

import pandas as pd

from cutover_kit.analysis.stats import flips, rate
from cutover_kit.gates.fallback import leaf_name

_CASE_OUTCOME: Final = {"passed": "pass", "failed": "fail", "error": "fail"}

FLAKY_CASE_COLUMNS: Final = ["case", "runs", "fail", "flips", "pairs", "flip_rate"]


def flaky_gates(rates: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Rows of :func:`gate_rates` whose flip rate is above ``threshold``, most flaky first."""
    above = rates[rates["flip_rate"].notna() & (rates["flip_rate"] > threshold)]
    return above.sort_values(["flip_rate", "gate"], ascending=[False, True], kind="stable")


def case_outcomes(test_cases: pd.DataFrame, rehearsals: pd.DataFrame) -> pd.DataFrame:
    """One row per rehearsal and test case: ``outcome`` pass or fail (skipped cases dropped).

    ``test_cases`` is the ledger's ``test_cases`` table; ``rehearsals`` maps ``rehearsal_id`` to
    ``order`` and ``service`` for the rehearsals of the window.
    """
    cases = test_cases[test_cases["status"].isin(_CASE_OUTCOME)]
    # Each distinct name split once: a year of rehearsals repeats the same few hundred names.
    leaves = {name: leaf_name(str(name)) for name in set(cases["name"])}
    frame = pd.DataFrame(
        {
            "rehearsal_id": cases["rehearsal_id"],
            "case": [leaves[name] for name in cases["name"]],
            "failed": cases["status"].map(_CASE_OUTCOME) == "fail",
        }
    ).merge(rehearsals[["rehearsal_id", "order", "service"]], on="rehearsal_id")
    worst = cast(
        pd.DataFrame,
        frame.groupby(["rehearsal_id", "order", "service", "case"], as_index=False)["failed"].max(),
    )
    worst["outcome"] = worst["failed"].map({True: "fail", False: "pass"})
    return worst.drop(columns=["failed"]).sort_values(["order", "case"], kind="stable")


def case_flip_rates(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per test case: runs, failing runs, flips, consecutive pairs and flip rate.

    Plain lists per case and service rather than a pandas group per case: a frame per group
    cost more than the rest of the trend review's statistics together.
    """
    by_case: dict[str, dict[str, list[str]]] = {}
    for case, service, outcome in zip(
        outcomes["case"], outcomes["service"], outcomes["outcome"], strict=True
    ):
        by_case.setdefault(str(case), {}).setdefault(str(service), []).append(str(outcome))
    rows = []
    for case in sorted(by_case):
        sequences = [by_case[case][service] for service in sorted(by_case[case])]
        flipped = sum(flips(sequence) for sequence in sequences)
        pairs = sum(len(sequence) - 1 for sequence in sequences)
        rows.append(
            {
                "case": case,
                "runs": sum(len(sequence) for sequence in sequences),
                "fail": sum(sequence.count("fail") for sequence in sequences),
                "flips": flipped,
                "pairs": pairs,
                "flip_rate": rate(flipped, pairs),
            }
        )
    return pd.DataFrame(rows, columns=FLAKY_CASE_COLUMNS)


def flaky_cases(rates: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Test cases whose flip rate is above ``threshold``, most flaky first."""
    above = rates[rates["flip_rate"].notna() & (rates["flip_rate"] > threshold)]
    return above.sort_values(["flip_rate", "case"], ascending=[False, True], kind="stable")
