"""Flaky gates and flaky test cases: how often the outcome flips between consecutive runs.

flip rate = flips / (runs − 1) over the window (per service; pairs summed across services).
Listed when the rate is strictly above the policy's ``[trend] flaky_threshold``. A test case is
identified by its leaf name, as the fallback comparison does, so the same case reported by JUnit
and by a transcript counts once per rehearsal, and a failure anywhere in the rehearsal wins.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from cutover_kit.analysis.stats import rate
from cutover_kit.gates.fallback import leaf_name

_CASE_OUTCOME: Final = {"passed": "pass", "failed": "fail", "error": "fail"}

_OUTCOMES: Final = ["pass", "fail"]

FLAKY_CASE_COLUMNS: Final = ["case", "runs", "fail", "flips", "pairs", "flip_rate"]


def flaky_gates(rates: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Rows of :func:`gate_rates` whose flip rate is above ``threshold``, most flaky first."""
    above = rates[rates["flip_rate"].notna() & (rates["flip_rate"] > threshold)]
    return above.sort_values(["flip_rate", "gate"], ascending=[False, True], kind="stable")


def _ranks(permutation: np.ndarray) -> np.ndarray:
    """Each item's position in the order ``permutation`` (an argsort) puts them in."""
    ranks = np.empty(len(permutation), dtype=np.int64)
    ranks[permutation] = np.arange(len(permutation))
    return ranks


def case_outcomes(test_cases: pd.DataFrame, rehearsals: pd.DataFrame) -> pd.DataFrame:
    """One row per rehearsal and test case: ``outcome`` pass or fail (skipped cases dropped),
    ordered by rehearsal ``order``, then case; the repeated columns as categories.

    ``test_cases`` is the ledger's ``test_cases`` table; ``rehearsals`` maps ``rehearsal_id`` to
    ``order`` and ``service`` for the rehearsals of the window. A year of rehearsals is a million
    test cases of a few hundred names: each column becomes integer codes once, and the worst
    outcome per rehearsal and case is one pass over those codes (a merge and a group-by over the
    strings took seconds and hundreds of megabytes).
    """
    # The columns are read whole, never the table filtered: a copy of a million rows (paths,
    # pointers and messages included) was most of the trend review's memory.
    counted = test_cases["status"].isin(list(_CASE_OUTCOME)).to_numpy(dtype=bool)
    failing = [status for status, outcome in _CASE_OUTCOME.items() if outcome == "fail"]
    failed = test_cases["status"].isin(failing).to_numpy(dtype=bool)
    # Each distinct name split once: a year of rehearsals repeats the same few hundred names.
    name_codes, names = pd.factorize(test_cases["name"], use_na_sentinel=False)
    leaf_codes, leaves = pd.factorize(
        np.array([leaf_name(str(name)) for name in names], dtype=object)
    )
    case_rank = _ranks(np.argsort(np.array([str(leaf) for leaf in leaves], dtype=object)))
    window = rehearsals[["rehearsal_id", "order", "service"]].reset_index(drop=True)
    window_ids = window["rehearsal_id"].to_numpy(dtype=object)
    # window rehearsals ranked by (order, id): the order the rows come out in
    rehearsal_rank = _ranks(np.lexsort((window_ids.astype(str), window["order"].to_numpy())))
    id_codes, ids = pd.factorize(test_cases["rehearsal_id"], use_na_sentinel=False)
    position = pd.Index(window_ids).get_indexer(np.asarray(ids, dtype=object))[id_codes]
    inside = counted & (position >= 0)
    failed = failed[inside]
    rehearsal, case = position[inside], leaf_codes[name_codes[inside]]
    key = rehearsal_rank[rehearsal] * max(len(leaves), 1) + case_rank[case]
    _, first, group = np.unique(key, return_index=True, return_inverse=True)
    worst = np.bincount(group, weights=failed, minlength=len(first)) > 0
    rows = rehearsal[first]
    services, service_names = pd.factorize(window["service"].to_numpy(dtype=object)[rows])
    return pd.DataFrame(
        {
            "rehearsal_id": pd.Categorical.from_codes(rows, categories=pd.Index(window_ids)),
            "order": window["order"].to_numpy()[rows],
            "service": pd.Categorical.from_codes(services, categories=service_names),
            "case": pd.Categorical.from_codes(case[first], categories=pd.Index(leaves)),
            "outcome": pd.Categorical.from_codes(
                worst.astype(np.int8), categories=pd.Index(_OUTCOMES)
            ),
        }
    )


def case_flip_rates(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per test case: runs, failing runs, flips, consecutive pairs and flip rate.

    Sorted stably by case and service, each case's runs of one service lie together in order; a
    flip is a row whose outcome differs from the row before it in the same run. Counted over
    integer codes, not a frame or a list per case: a year of rehearsals is a million outcomes.
    """
    case_codes, cases = pd.factorize(outcomes["case"], use_na_sentinel=False)
    service_codes, _ = pd.factorize(outcomes["service"], use_na_sentinel=False)
    failed = (outcomes["outcome"] == "fail").to_numpy(dtype=bool)
    ordered = np.lexsort((service_codes, case_codes))
    case_codes, service_codes, failed = (
        case_codes[ordered],
        service_codes[ordered],
        failed[ordered],
    )
    same = (case_codes[1:] == case_codes[:-1]) & (service_codes[1:] == service_codes[:-1])
    flipped = same & (failed[1:] != failed[:-1])
    count = len(cases)
    runs = np.bincount(case_codes, minlength=count)
    fails = np.bincount(case_codes, weights=failed, minlength=count)
    pairs = np.bincount(case_codes[1:], weights=same, minlength=count)
    flip_counts = np.bincount(case_codes[1:], weights=flipped, minlength=count)
    names = [str(case) for case in cases]
    rows = [
        {
            "case": names[index],
            "runs": int(runs[index]),
            "fail": int(fails[index]),
            "flips": int(flip_counts[index]),
            "pairs": int(pairs[index]),
            "flip_rate": rate(int(flip_counts[index]), int(pairs[index])),
        }
        for index in sorted(range(count), key=names.__getitem__)
    ]
    return pd.DataFrame(rows, columns=FLAKY_CASE_COLUMNS)


def flaky_cases(rates: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Test cases whose flip rate is above ``threshold``, most flaky first."""
    above = rates[rates["flip_rate"].notna() & (rates["flip_rate"] > threshold)]
    return above.sort_values(["flip_rate", "case"], ascending=[False, True], kind="stable")
