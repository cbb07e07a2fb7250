"""The trend review's statistics: Wilson intervals, quantiles, flips, rates, transitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cutover_kit.analysis.commands import command_stats
from cutover_kit.analysis.flaky import case_flip_rates, case_outcomes, flaky_cases
from cutover_kit.analysis.gate_rates import gate_rates, rolling_rates
from cutover_kit.analysis.stats import flip_rate, flips, quantile, wilson_interval
from cutover_kit.analysis.transitions import classify, gate_transitions


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        # Published Wilson 95% intervals (e.g. statsmodels proportion_confint(method="wilson")).
        (0, 10, 0.0, 0.2775),
        (1, 10, 0.0179, 0.4042),
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
        (13, 14, 0.6853, 0.9873),
    ],
)
def test_wilson_interval_matches_known_values(
    successes: int, trials: int, low: float, high: float
) -> None:
    interval = wilson_interval(successes, trials)
    assert interval is not None
    assert interval[0] == pytest.approx(low, abs=5e-5)
    assert interval[1] == pytest.approx(high, abs=5e-5)


def test_wilson_interval_without_trials_is_no_interval() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError, match="outside"):
        wilson_interval(11, 10)


def test_quantile_interpolates_linearly_like_numpy() -> None:
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.5) == pytest.approx(2.5)
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.9) == pytest.approx(3.7)
    assert quantile([7.0], 0.9) == 7.0
    assert quantile([], 0.5) is None
    values = list(np.random.default_rng(6).uniform(0, 10, 37))
    for q in (0.0, 0.1, 0.5, 0.9, 1.0):
        assert quantile(values, q) == pytest.approx(float(np.quantile(values, q)))
    with pytest.raises(ValueError, match="outside"):
        quantile(values, 1.5)


def test_flips_count_changes_between_consecutive_runs() -> None:
    assert flips(["pass", "fail", "pass"]) == 2
    assert flip_rate(["pass", "fail", "pass"]) == 1.0
    assert flip_rate(["pass", "pass", "fail", "fail", "pass"]) == pytest.approx(2 / 4)
    assert flip_rate(["pass"] * 5) == 0.0
    assert flip_rate(["pass"]) is None
    assert flip_rate([]) is None


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        ("pass", "pass", "steady"),
        ("pass", "fail", "newly_failing"),
        ("missing", "fail", "newly_failing"),
        ("pass", "missing", "newly_missing"),
        ("fail", "missing", "newly_missing"),
        ("fail", "pass", "fixed"),
        ("missing", "pass", "fixed"),
        ("fail", "fail", "still_failing"),
        ("missing", "missing", "still_missing"),
    ],
)
def test_classify_transition(before: str, after: str, change: str) -> None:
    assert classify(before, after) == change


def _gates(rows: list[tuple[str, int, str, str, str]]) -> pd.DataFrame:
    """(rehearsal_id, order, service, gate, status) rows as a window gate frame."""
    frame = pd.DataFrame(rows, columns=["rehearsal_id", "order", "service", "gate", "status"])
    return frame.assign(category="command", date="2026-01-01", detail="")


def test_skipped_is_not_a_run_and_missing_is_not_a_pass() -> None:
    frame = _gates(
        [
            ("a", 0, "s", "G-1", "fail"),
            ("b", 1, "s", "G-1", "skipped"),
            ("c", 2, "s", "G-1", "fail"),
            ("d", 3, "s", "G-1", "missing"),
            ("e", 4, "s", "G-1", "pass"),
        ]
    )
    row = gate_rates(frame).iloc[0]
    assert (row["runs"], row["pass"], row["fail"], row["missing"], row["skipped"]) == (
        4,
        1,
        2,
        1,
        1,
    )
    assert row["pass_rate"] == pytest.approx(0.25)
    assert row["missing_rate"] == pytest.approx(0.25)
    assert (row["wilson_low"], row["wilson_high"]) == pytest.approx(wilson_interval(1, 4))
    # fail, fail (skip passed over), missing, pass: two flips over three pairs
    assert (row["flips"], row["pairs"]) == (2, 3)
    changes = list(gate_transitions(frame)["change"])
    assert changes == ["still_failing", "newly_missing", "fixed"]


def test_a_gate_that_never_ran_has_no_rate() -> None:
    row = gate_rates(_gates([("a", 0, "s", "G-1", "skipped")])).iloc[0]
    assert row["runs"] == 0
    assert row["pass_rate"] is None
    assert row["wilson_low"] is None
    assert row["flip_rate"] is None


def test_services_are_separate_sequences() -> None:
    # Interleaved services: x passes throughout, y fails throughout. Mixing them would flip
    # at every step; kept apart, nothing flips.
    frame = _gates(
        [
            ("x1", 0, "x", "G-1", "pass"),
            ("y1", 1, "y", "G-1", "fail"),
            ("x2", 2, "x", "G-1", "pass"),
            ("y2", 3, "y", "G-1", "fail"),
        ]
    )
    row = gate_rates(frame).iloc[0]
    assert (row["flips"], row["pairs"], row["flip_rate"]) == (0, 2, 0.0)
    transitions = gate_transitions(frame)
    assert list(transitions["change"]) == ["steady", "still_failing"]


def test_rolling_rates_pool_the_last_rehearsals() -> None:
    frame = _gates(
        [
            ("a", 0, "s", "G-1", "pass"),
            ("a", 0, "s", "G-2", "missing"),
            ("b", 1, "s", "G-1", "fail"),
            ("b", 1, "s", "G-2", "pass"),
            ("c", 2, "s", "G-1", "pass"),
            ("c", 2, "s", "G-2", "skipped"),
        ]
    )
    rolling = rolling_rates(frame, ["a", "b", "c"], 2).set_index("rehearsal_id")
    assert rolling.loc["a", ["runs", "pass", "missing"]].tolist() == [2, 1, 1]
    assert rolling.loc["c", "first_id"] == "b"
    assert rolling.loc["c", ["runs", "pass", "fail", "missing"]].tolist() == [3, 2, 1, 0]
    assert rolling.loc["c", "pass_rate"] == pytest.approx(2 / 3)


def _cases(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """(rehearsal_id, name, status) rows as a ledger test_cases table."""
    return pd.DataFrame(rows, columns=["rehearsal_id", "name", "status"]).assign(
        path="x", suite="s", duration_s=None, pointer="", framework="", message=""
    )


def test_flaky_cases_count_one_outcome_per_rehearsal_and_failure_wins() -> None:
    rehearsals = pd.DataFrame(
        {"rehearsal_id": ["a", "b", "c", "d"], "order": [0, 1, 2, 3], "service": ["s"] * 4}
    )
    cases = _cases(
        [
            # the same case in JUnit (with describe block) and a transcript: one run each time
            ("a", "suite > wobbly_case", "passed"),
            ("a", "wobbly_case", "passed"),
            ("b", "suite > wobbly_case", "passed"),
            ("b", "wobbly_case", "failed"),
            ("c", "wobbly_case", "passed"),
            ("d", "wobbly_case", "error"),
            ("a", "steady_case", "passed"),
            ("b", "steady_case", "skipped"),
            ("c", "steady_case", "passed"),
            ("d", "steady_case", "failed"),
        ]
    )
    rates = case_flip_rates(case_outcomes(cases, rehearsals)).set_index("case")
    assert rates.loc["wobbly_case", ["runs", "fail", "flips", "pairs"]].tolist() == [4, 2, 3, 3]
    assert rates.loc["steady_case", ["runs", "fail", "flips", "pairs"]].tolist() == [3, 1, 1, 2]
    flaky = flaky_cases(rates.reset_index(), 0.5)
    assert list(flaky["case"]) == ["wobbly_case"]
    assert list(flaky_cases(rates.reset_index(), 1.0)["case"]) == []


def test_command_stats_use_transcripts_and_keep_unknown_apart() -> None:
    commands = pd.DataFrame(
        [
            ("a", "test:ci", "pass", 1.0, "transcript"),
            ("b", "test:ci", "fail", 3.0, "transcript"),
            ("c", "test:ci", "unknown", None, "transcript"),
            ("c", "test:ci", "pass", None, "record"),
            ("z", "test:ci", "pass", 100.0, "transcript"),
        ],
        columns=["rehearsal_id", "command", "result", "duration_s", "source"],
    )
    row = command_stats(commands, ["a", "b", "c"]).iloc[0]
    assert (row["runs"], row["pass"], row["fail"], row["unknown"]) == (3, 1, 1, 1)
    assert row["pass_rate"] == pytest.approx(1 / 3)
    assert row["timed_runs"] == 2
    assert row["median_s"] == pytest.approx(2.0)
    assert row["p90_s"] == pytest.approx(2.8)


def test_fallback_trend_names_cases_and_lost_coverage() -> None:
    from cutover_kit.analysis.fallback_trend import fallback_trend

    fallback = pd.DataFrame(
        [
            ("before", "timeout", 2, False),
            ("a", "timeout", 2, False),
            ("a", "offline", 0, True),
            ("b", "timeout", 2, False),
        ],
        columns=["rehearsal_id", "scenario", "executed", "lost_coverage"],
    )
    cases = pd.DataFrame(
        [
            ("a", "timeout", "z_case", "regression"),
            ("a", "timeout", "a_case", "regression"),
            ("b", "timeout", "z_case", "recurring"),
            ("b", "timeout", "a_case", "fixed"),
        ],
        columns=["rehearsal_id", "scenario", "case", "change"],
    )
    frame = fallback_trend(fallback, cases, ["a", "b"]).set_index(["rehearsal_id", "scenario"])
    assert list(frame.index) == [("a", "timeout"), ("a", "offline"), ("b", "timeout")]
    assert frame.loc[("a", "timeout"), "regression"] == ["a_case", "z_case"]
    assert frame.loc[("a", "offline"), "lost_coverage"]
    assert frame.loc[("b", "timeout"), "recurring"] == ["z_case"]
    assert frame.loc[("b", "timeout"), "fixed"] == ["a_case"]
