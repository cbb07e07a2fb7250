"""The joint decision record read as a joint gate override (real evidence + the seed record).

The fixture is the real published evidence of the finished cutover as one rehearsal of kind
``cutover``, with the seed's runtime cutover decision record beside it and no ``[override]`` in
``session.toml``: the record alone must authorise the cutover. A record of that form that falls
short (a side missing, a target field missing or different, no GO) is no override and a runtime
reason saying what is missing, citing the record's lines.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REAL_WORLD, REPO, needs_real_world
from helpers import replace_in_file

from cutover_kit.api import load_corpus
from cutover_kit.gates.override import read_override
from cutover_kit.gates.view import RehearsalView
from cutover_kit.verdict import Verdict

SEED_RECORD = REPO.parent / "shared" / "seeds" / "decision-record.md"
RECORD = "RUNTIME_CUTOVER_DECISION_RECORD_2026-02-08.md"
SESSION = '[session]\nid = "runtime-cutover"\ndate = 2026-02-08\nkind = "cutover"\n'

pytestmark = [
    needs_real_world,
    pytest.mark.skipif(not SEED_RECORD.is_file(), reason=f"seed record not found: {SEED_RECORD}"),
]


@pytest.fixture
def cutover(tmp_path: Path) -> Path:
    """Real evidence + the seed decision record + a cutover session.toml without [override]."""
    folder = tmp_path / "runtime-cutover"
    shutil.copytree(REAL_WORLD, folder)
    shutil.copy(SEED_RECORD, folder / RECORD)
    (folder / "session.toml").write_text(SESSION, encoding="utf-8")
    return folder


def evaluate(folder: Path) -> Verdict:
    return load_corpus(folder).evaluate("latest")


def override_reasons(verdict: Verdict) -> list[str]:
    return [r.sentence for r in verdict.reasons if r.gate == "OVERRIDE"]


def test_the_seed_record_is_the_joint_gate_override(cutover: Path) -> None:
    corpus = load_corpus(cutover)
    rehearsal = corpus.ledger.rehearsals[0]
    reading = read_override(RehearsalView(corpus.ledger, rehearsal), corpus.policy.policy)
    assert reading.override is not None
    assert reading.from_record
    assert reading.source == f"{RECORD} line 11"  # "2. Runtime cutover execution: **GO**"
    target = reading.override.target
    assert (target.release_tag, target.commit_sha) == (
        "v0.4.0",
        "7e4806a34b98e6c06ee33fa9f11499a975e7b922",
    )
    assert target.service_contract_version == "service.v3"
    assert (reading.override.consumer_approver, reading.override.producer_approver) == (
        "AssistSupport",
        "MemoryKernel",
    )
    assert reading.override.approved_at.isoformat() == "2026-02-08"
    # the runtime verdict no longer says that no override is recorded
    verdict = corpus.evaluate("latest")
    assert override_reasons(verdict) == []
    assert verdict.runtime_cutover == "NO-GO"  # the published evidence has no transcripts


def test_the_record_is_recognised_by_content_not_name(cutover: Path) -> None:
    (cutover / RECORD).rename(cutover / "notes.md")
    verdict = evaluate(cutover)
    assert override_reasons(verdict) == []


def test_without_the_record_no_override_is_recorded(cutover: Path) -> None:
    """The real decision checkpoint (a 'Baseline (Current)', no approval section) is no override."""
    (cutover / RECORD).unlink()
    [reason] = override_reasons(evaluate(cutover))
    assert reason.startswith("no joint gate override is recorded")


@pytest.mark.parametrize(
    ("old", "new", "missing", "line"),
    [
        (
            "Owner: AssistSupport + MemoryKernel (bilateral)",
            "Owner: AssistSupport",
            "the MemoryKernel (producer) side is not named as owner or approver",
            4,
        ),
        (
            "  - commit_sha: `7e4806a34b98e6c06ee33fa9f11499a975e7b922`\n",
            "",
            "the approved target lacks commit_sha",
            15,
        ),
        (
            "  - service_contract_version: `service.v3`",
            "  - service_contract_version: `service.v2`",
            "the approved service_contract_version is 'service.v2', the policy's runtime target "
            "is 'service.v3'",
            17,
        ),
        (
            "2. Runtime cutover execution: **GO**",
            "2. Runtime cutover execution: **NO-GO**",
            "it records 'Runtime cutover execution: NO-GO', not GO",
            11,
        ),
    ],
    ids=["producer-side-missing", "commit-missing", "target-on-service-v2", "decided-no-go"],
)
def test_an_incomplete_record_is_a_finding_and_no_override(
    cutover: Path, old: str, new: str, missing: str, line: int
) -> None:
    replace_in_file(cutover / RECORD, old, new)
    verdict = evaluate(cutover)
    record_reasons = [r for r in verdict.reasons if r.gate == "OVERRIDE" and RECORD in r.sentence]
    assert len(record_reasons) == 1
    reason = record_reasons[0]
    assert f"decision record {RECORD} is no joint gate override" in reason.sentence
    assert missing in reason.sentence
    assert f"{RECORD} line {line}" in reason.evidence
    assert any(
        s.startswith("no joint gate override is recorded") for s in override_reasons(verdict)
    )
    assert verdict.runtime_cutover == "NO-GO"
    assert verdict.completion.status == "not-applicable"


def test_a_session_override_takes_precedence_over_the_record(cutover: Path) -> None:
    session = cutover / "session.toml"
    session.write_text(
        SESSION
        + "\n[override]\n"
        + 'consumer_approver = "Support Platform On-Call Lead"\n'
        + 'producer_approver = "MemoryKernel Producer On-Call Lead"\n'
        + "approved_at = 2026-02-08\n"
        + 'target = { release_tag = "v0.4.0", commit_sha = '
        + '"7e4806a34b98e6c06ee33fa9f11499a975e7b922", service_contract_version = "service.v3", '
        + 'api_contract_version = "api.v1", integration_baseline = "integration/v1" }\n',
        encoding="utf-8",
    )
    corpus = load_corpus(cutover)
    reading = read_override(
        RehearsalView(corpus.ledger, corpus.ledger.rehearsals[0]), corpus.policy.policy
    )
    assert reading.source == "session.toml /override"
    assert not reading.from_record


@pytest.mark.parametrize(
    ("producer", "problem"),
    [
        ("MemoryKernel Producer On-Call Lead", None),
        ("TBD", "the MemoryKernel (producer) approver is 'TBD'"),
    ],
    ids=["named-approvers", "producer-approver-tbd"],
)
def test_approver_lines_name_the_sides(cutover: Path, producer: str, problem: str | None) -> None:
    replace_in_file(
        cutover / RECORD,
        "Owner: AssistSupport + MemoryKernel (bilateral)",
        "Owner: Integration Program Office",
    )
    replace_in_file(
        cutover / RECORD,
        "- Approved runtime target:",
        "- AssistSupport approver: Support Platform On-Call Lead\n"
        f"- MemoryKernel approver: {producer}\n"
        "- Approved runtime target:",
    )
    corpus = load_corpus(cutover)
    reading = read_override(
        RehearsalView(corpus.ledger, corpus.ledger.rehearsals[0]), corpus.policy.policy
    )
    if problem is None:
        assert reading.override is not None
        assert reading.override.consumer_approver == "Support Platform On-Call Lead"
        assert reading.override.producer_approver == producer
        return
    assert reading.override is None
    [shortfall] = reading.shortfalls
    assert problem in shortfall.sentence
    assert f"{RECORD} line 15" in shortfall.evidence  # the TBD approver line
