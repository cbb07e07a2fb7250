"""Flaky gates and flaky test cases: how often the outcome flips between consecutive runs.

flip rate = flips / (runs − 1) over the window (per service; pairs summed across services).
Listed when the rate is strictly above the policy's ``[trend] flaky_threshold``. A test case is
identified by its leaf name, as the fallback comparison does, so the same case reported by JUnit
and by a transcript counts once per rehearsal, and a failure anywhere in the rehearsal wins.
"""

from __future__ import annotations

from typing import Final, cast

import pandas as pd

from cutover_kit.analysis.stats import rate
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
            "case": cases["name"].map(leaves),
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

    One sort by case, service and order, then each row compared with the row before it: a pair
    is two consecutive runs of one case for one service, a flip a pair whose outcomes differ.
    (A year of rehearsals has a million case outcomes; a group-by per case and service was the
    trend review's slowest step.)
    """
    ordered = outcomes.sort_values(["case", "service", "order"], kind="stable")
    case, service, outcome = ordered["case"], ordered["service"], ordered["outcome"]
    pair = case.eq(case.shift()) & service.eq(service.shift())
    counted = pd.DataFrame(
        {
            "case": case,
            "failed": outcome.eq("fail"),
            "flip": pair & outcome.ne(outcome.shift()),
            "pair": pair,
        }
    ).groupby("case", sort=True)
    totals = counted.agg(
        runs=("failed", "size"),
        fail=("failed", "sum"),
        flips=("flip", "sum"),
        pairs=("pair", "sum"),
    )
    columns = ("runs", "fail", "flips", "pairs")
    counts = zip(*(totals[column].astype(int).tolist() for column in columns), strict=True)
    rows = [
        {
            "case": name,
            **dict(zip(columns, (runs, fail, flipped, pairs), strict=True)),
            "flip_rate": rate(flipped, pairs),
        }
        for name, (runs, fail, flipped, pairs) in zip(totals.index, counts, strict=True)
    ]
    return pd.DataFrame(rows, columns=FLAKY_CASE_COLUMNS)


def flaky_cases(rates: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Test cases whose flip rate is above ``threshold``, most flaky first."""
    above = rates[rates["flip_rate"].notna() & (rates["flip_rate"] > threshold)]
    return above.sort_values(["flip_rate", "case"], ascending=[False, True], kind="stable")
