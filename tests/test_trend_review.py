"""The trend review on the sample corpus: window selection, rates, transitions, readiness."""

from __future__ import annotations

from pathlib import Path

import pytest

from cutover_kit.analysis.window import WindowSpec, select_window
from cutover_kit.api import Corpus, load_corpus
from cutover_kit.errors import PolicyError, WindowError
from cutover_kit.policy import load_policy

DEFAULT_POLICY = Path(__file__).resolve().parents[1] / "cutover_kit" / "policy" / "default.toml"


def _ids(first: int, last: int) -> list[str]:
    return [f"r{n:02d}" for n in range(first, last + 1)]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (WindowSpec(), _ids(1, 15)),
        (WindowSpec(last_n=3), _ids(13, 15)),
        (WindowSpec(since="2026-02-19", until="2026-03-04"), _ids(11, 14)),
        (WindowSpec(until="2026-01-09"), _ids(1, 2)),
        (WindowSpec(since="2026-01-14", until="2026-02-01"), _ids(3, 7)),
        (WindowSpec(since="2026-01-14", until="2026-02-01", last_n=2), _ids(6, 7)),
        (WindowSpec(last_n=50, service="memorykernel/assistsupport"), _ids(1, 15)),
    ],
)
def test_window_selection(corpus: Corpus, spec: WindowSpec, expected: list[str]) -> None:
    assert select_window(corpus.verdict_frame(), spec) == expected


def test_window_filters_service_before_last_n() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "rehearsal_id": ["a1", "b1", "a2", "b2", "b3"],
            "date": ["2026-01-0" + str(n) for n in range(1, 6)],
            "service": ["a", "b", "a", "b", "b"],
        }
    )
    assert select_window(frame, WindowSpec(last_n=2, service="a")) == ["a1", "a2"]
    assert select_window(frame, WindowSpec(last_n=2)) == ["b2", "b3"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"since": "2026-13-01"}, "since: '2026-13-01' is not an ISO date"),
        ({"until": "yesterday"}, "until: 'yesterday' is not an ISO date"),
        ({"since": "2026-03-01", "until": "2026-02-01"}, "since 2026-03-01 is after until"),
        ({"last_n": -1}, "last_n: -1 is not a whole number"),
        ({"last_n": "3"}, "last_n: '3' is not a whole number"),
    ],
)
def test_invalid_window_parameters_are_refused(arguments: dict, message: str) -> None:
    with pytest.raises(WindowError, match=message):
        WindowSpec(**arguments)


def test_an_empty_window_names_the_filters(corpus: Corpus) -> None:
    with pytest.raises(WindowError, match="no rehearsal in the window \\(service other/pair"):
        corpus.trend_review(WindowSpec(service="other/pair"))
    with pytest.raises(WindowError, match="since 2027-01-01"):
        corpus.trend_review(WindowSpec(since="2027-01-01"))


def test_gate_rates_on_the_sample(corpus: Corpus) -> None:
    rates = corpus.trend_review().gate_rates.set_index("gate")
    rbk = rates.loc["RBK-1"]
    # r01-r04 have no rollback drill (missing), r09's drill is BLOCKED (fail)
    assert (rbk["runs"], rbk["pass"], rbk["fail"], rbk["missing"]) == (15, 10, 1, 4)
    assert rbk["pass_rate"] == pytest.approx(10 / 15)
    assert rates.loc["ART-3", "skipped"] == 2  # r01, r02: pins older than the manifest hash
    assert rates.loc["ART-3", "runs"] == 13
    assert rates.loc["PRE-2", "skipped"] == 2  # r14 and r15 are cutovers
    assert rates.loc["STOP-4", "flip_rate"] == pytest.approx(4 / 14)
    frame = corpus.gate_frame()
    for gate, row in rates.iterrows():
        statuses = frame[frame["gate"] == gate]["status"]
        assert row["pass"] == (statuses == "pass").sum()
        assert row["missing"] == (statuses == "missing").sum()
        assert row["runs"] == (statuses != "skipped").sum()


def test_transitions_on_the_sample(corpus: Corpus) -> None:
    transitions = corpus.trend_review().transitions
    into_r06 = transitions[(transitions["to_id"] == "r06")]
    newly = set(into_r06[into_r06["change"] == "newly_failing"]["gate"])
    assert newly == {"PRE-3", "CMD-1", "GRD-3", "STOP-2", "STOP-4"}
    fixed_r07 = transitions[(transitions["to_id"] == "r07") & (transitions["change"] == "fixed")]
    assert set(fixed_r07["gate"]) == newly
    rbk = transitions[transitions["gate"] == "RBK-1"].set_index("to_id")["change"]
    assert rbk["r02"] == "still_missing"
    assert rbk["r05"] == "fixed"
    assert rbk["r09"] == "newly_failing"
    # PRE-2 is skipped at r14 and r15: no pair ends there
    assert transitions[(transitions["gate"] == "PRE-2")]["to_id"].max() == "r13"


def test_fallback_and_flaky_on_the_sample(corpus: Corpus) -> None:
    review = corpus.trend_review()
    fallback = review.fallback.set_index(["rehearsal_id", "scenario"])
    assert fallback.loc[("r06", "timeout"), "regression"] == [
        "preflight_reports_timeout_as_offline"
    ]
    assert fallback.loc[("r07", "timeout"), "fixed"] == ["preflight_reports_timeout_as_offline"]
    assert not review.fallback["lost_coverage"].any()
    assert list(review.flaky_gates["gate"]) == ["STOP-4"]  # 4/14 > 0.25; RBK-1 3/14 is not
    assert review.flaky_cases.empty  # the timeout case failed once: 2/14


def test_trailing_window_regression_blocks_readiness(corpus: Corpus) -> None:
    (statement,) = corpus.trend_review(WindowSpec(until="2026-01-27")).readiness
    assert statement.at == "r06"
    assert statement.window == ("r04", "r05", "r06")
    assert statement.regressions == 1
    blocked = {(b.rehearsal_id, b.gate) for b in statement.blockers}
    assert ("r06", "GRD-3") in blocked
    assert any(
        b.reason == "fallback regression in timeout: preflight_reports_timeout_as_offline"
        for b in statement.blockers
    )


@pytest.mark.parametrize("end", range(1, 16))
def test_readiness_agrees_with_the_runtime_verdict(corpus: Corpus, end: int) -> None:
    rehearsal_id = f"r{end:02d}"
    date = corpus.evaluate(rehearsal_id).rehearsal.date
    (statement,) = corpus.trend_review(WindowSpec(until=date)).readiness
    assert statement.at == rehearsal_id
    assert statement.holds == (corpus.evaluate(rehearsal_id).runtime_cutover == "GO")
    # the trailing window first holds at r14 (r12-r14), and still at r15 (r13-r15)
    assert statement.holds == (rehearsal_id in {"r14", "r15"})


def test_readiness_on_the_sample_names_what_blocks(corpus: Corpus) -> None:
    def blockers(until: str) -> set[tuple[str, str]]:
        (statement,) = corpus.trend_review(WindowSpec(until=until)).readiness
        return {(b.rehearsal_id, b.gate) for b in statement.blockers}

    (r15,) = corpus.trend_review().readiness
    assert (r15.holds, r15.window) == (True, ("r13", "r14", "r15"))
    (r14,) = corpus.trend_review(WindowSpec(until="2026-03-04")).readiness
    assert r14.holds
    assert r14.window == ("r12", "r13", "r14")
    assert "holds at r14" in r14.statement
    (r13,) = corpus.trend_review(WindowSpec(until="2026-02-28")).readiness
    assert (r13.all_go, r13.rollback_ready, r13.override_valid) == (True, True, False)
    assert blockers("2026-02-28") == {("r13", "OVERRIDE")}
    assert blockers("2026-02-23") == {("r10", "CMD-2"), ("r10", "STOP-4"), ("r12", "OVERRIDE")}
    assert blockers("2026-02-10") >= {("r08", "STOP-1"), ("r09", "STOP-3"), ("r09", "RBK-1")}
    assert ("r02", "WINDOW") in blockers("2026-01-09")


def test_policy_trend_table_is_optional_and_validated(tmp_path: Path) -> None:
    default = load_policy().policy.trend
    assert (default.flaky_threshold, default.rolling_window) == (0.25, 5)
    text = DEFAULT_POLICY.read_text(encoding="utf-8")
    without = tmp_path / "without.toml"
    start = text.index("[trend]")
    end = text.index("\n\n", start)
    without.write_text(text[:start] + text[end:], encoding="utf-8")
    assert load_policy(without).policy.trend == default
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(text.replace("flaky_threshold = 0.25", "flaky_threshold = 1.5"), "utf-8")
    with pytest.raises(PolicyError, match=r"trend\.flaky_threshold"):
        load_policy(wrong)


def test_api_frames_the_trend_review_reads(corpus: Corpus) -> None:
    verdicts = corpus.verdict_frame().set_index("rehearsal_id")
    assert verdicts.loc["r07", "previous_id"] == "r06"
    assert verdicts.loc["r01", "previous_id"] == ""
    assert set(verdicts["service"]) == {"memorykernel/assistsupport"}
    reasons = corpus.reason_frame()
    r10 = reasons[
        (reasons["rehearsal_id"] == "r10") & (reasons["verdict"] == "rehearsal_continuation")
    ]
    assert list(r10["gate"]) == ["CMD-2", "STOP-4"]
    assert r10.iloc[0]["evidence"] == ("r10/transcripts/check-memorykernel-governance.txt line 1",)
    cases = corpus.fallback_case_frame()
    assert cases.to_dict("records") == [
        {
            "rehearsal_id": "r06",
            "scenario": "timeout",
            "case": "preflight_reports_timeout_as_offline",
            "change": "regression",
        },
        {
            "rehearsal_id": "r07",
            "scenario": "timeout",
            "case": "preflight_reports_timeout_as_offline",
            "change": "fixed",
        },
    ]
    assert not corpus.fallback_frame()["lost_coverage"].any()


def test_each_service_gets_its_own_readiness_and_sequences(sample_copy: Path) -> None:
    manifest = sample_copy / "r15" / "session.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace('service = "memorykernel/assistsupport"', 'service = "other/pair"'), "utf-8"
    )
    corpus = load_corpus(sample_copy)
    review = corpus.trend_review()
    assert review.services == ["memorykernel/assistsupport", "other/pair"]
    by_service = {statement.service: statement for statement in review.readiness}
    main, other = by_service["memorykernel/assistsupport"], by_service["other/pair"]
    assert (main.at, main.window, main.holds) == ("r14", ("r12", "r13", "r14"), True)
    assert (other.at, other.window) == ("r15", ("r15",))
    assert ("r15", "WINDOW") in {(b.rehearsal_id, b.gate) for b in other.blockers}
    assert other.holds == (corpus.evaluate("r15").runtime_cutover == "GO") is False
    assert review.ready is False
    # r15 is no run after r14 for the first service: no transition pairs r14 -> r15
    assert not (review.transitions["to_id"] == "r15").any()
    only_other = corpus.trend_review(WindowSpec(service="other/pair"))
    assert only_other.window_ids == ["r15"]
