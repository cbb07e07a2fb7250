"""The Python API the notebooks use: one load, then DataFrames across rehearsals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_DIR

from cutover_kit.api import Corpus, load_corpus

POLICY_EXAMPLES = Path(__file__).parents[1] / "cutover_kit" / "policy" / "examples"


def test_gate_frame_has_one_row_per_rehearsal_and_gate(corpus: Corpus) -> None:
    frame = corpus.gate_frame()
    rehearsals = len(corpus.ledger.rehearsals)
    # completion items (CMP-n) are no rehearsal gates: they live in each verdict's completion
    gates = sum(g.category != "completion" for g in corpus.policy.policy.gates)
    assert len(frame) == rehearsals * gates
    pass_rate = frame.assign(ok=frame["status"] == "pass").groupby("gate")["ok"].mean()
    assert pass_rate["STOP-1"] == pytest.approx((rehearsals - 1) / rehearsals)  # r08 only
    r06 = frame[(frame["rehearsal_id"] == "r06") & (frame["status"] == "fail")]
    assert {"GRD-3", "STOP-2"} <= set(r06["gate"])


def test_verdict_frame_matches_each_verdict(corpus: Corpus) -> None:
    frame = corpus.verdict_frame().set_index("rehearsal_id")
    for verdict in corpus.evaluate_all():
        row = frame.loc[verdict.rehearsal.id]
        assert row["rehearsal_continuation"] == verdict.rehearsal_continuation
        assert row["runtime_cutover"] == verdict.runtime_cutover
        assert row["fallback_regressions"] == verdict.regressions
    assert frame.loc["r08", "unbacked_recorded_verdicts"] >= 1


def test_fallback_frame_charts_the_regression_and_its_fix(corpus: Corpus) -> None:
    frame = corpus.fallback_frame()
    timeout = frame[frame["scenario"] == "timeout"].set_index("rehearsal_id")
    assert timeout.loc["r06", "regressions"] == 1
    assert timeout.loc["r07", "fixed"] == 1
    assert timeout["regressions"].sum() == 1
    assert (frame["executed"] > 0).all()


def test_evaluate_is_memoised(corpus: Corpus) -> None:
    assert corpus.evaluate("r06") is corpus.evaluate("r06")
    assert corpus.evaluate() is corpus.evaluate(corpus.ledger.rehearsals[-1].id)


def test_completion_frame_is_the_checklist_of_each_cutover(corpus: Corpus) -> None:
    frame = corpus.completion_frame()
    verdicts = {v.rehearsal.id: v for v in corpus.evaluate_all()}
    with_items = [rid for rid, v in verdicts.items() if v.completion.items]
    assert list(dict.fromkeys(frame["rehearsal_id"])) == with_items == ["r14", with_items[-1]]
    executed = frame[frame["rehearsal_id"] == with_items[-1]]
    assert list(executed["item"]) == ["CMP-1", "CMP-2", "CMP-3", "CMP-4"]
    assert set(executed["status"]) == {"pass"}
    assert set(executed["completion"]) == {"COMPLETE"}
    assert executed["evidence"].str.contains("memorykernel-integration-pin.json").any()
    assert set(frame[frame["rehearsal_id"] == "r14"]["status"]) == {"fail"}


def test_verdict_frame_marks_where_completion_was_reached(corpus: Corpus) -> None:
    frame = corpus.verdict_frame()
    reached = frame[frame["cutover_completion"] == "COMPLETE"]["rehearsal_id"].tolist()
    assert reached == [corpus.ledger.rehearsals[-1].id]
    assert frame.set_index("rehearsal_id").loc["r14", "cutover_completion"] == "INCOMPLETE"
    assert (frame["cutover_completion"] == "not-applicable").sum() == len(frame) - 2


def _without_manifests(tmp_path: Path, rehearsals: tuple[str, ...]) -> Path:
    data = tmp_path / "data"
    for rehearsal in rehearsals:
        shutil.copytree(SAMPLE_DIR / rehearsal, data / rehearsal)
        for manifest in (data / rehearsal).glob("session.toml"):
            manifest.unlink()
    return data


def test_a_rehearsal_without_manifest_is_the_policys_service(tmp_path: Path) -> None:
    data = _without_manifests(tmp_path, ("r01", "r02"))
    default = load_corpus(data)
    billing = load_corpus(data, POLICY_EXAMPLES / "billing-ledger.toml")
    assert {r.service for r in default.ledger.rehearsals} == {default.policy.policy.policy.service}
    assert {r.service for r in billing.ledger.rehearsals} == {"ledgercore/billingportal"}
    assert set(billing.verdict_frame()["service"]) == {"ledgercore/billingportal"}


def test_a_manifest_naming_its_service_keeps_it_under_any_policy() -> None:
    billing = load_corpus(SAMPLE_DIR, POLICY_EXAMPLES / "billing-ledger.toml")
    manifests = {r.manifest.session.service for r in billing.ledger.rehearsals if r.manifest}
    assert manifests and {r.service for r in billing.ledger.rehearsals} == manifests
