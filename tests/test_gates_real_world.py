"""Gate engine on the real published evidence (``../shared/real-world``) read as one rehearsal.

The folder is a post-cutover snapshot (the pin is already on ``service.v3``) judged by the
dry-run policy, so the baseline guardrails must fail while the artifact reviews that only compare
files with each other pass. Expected lines of recorded verdicts are found by searching the
records' text here, never hard-coded.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REAL_WORLD, needs_real_world

from cutover_kit.api import load_corpus
from cutover_kit.gates.model import GateResult
from cutover_kit.verdict import Verdict

pytestmark = needs_real_world

# (file, verdict line as people wrote it, key the kit should extract, value)
CONTINUATION_AND_RUNTIME_LINES = [
    (
        "JOINT_CHECKPOINT_STATUS_2026-02-08.md",
        "- Rehearsal continuation decision: `GO`",
        "Rehearsal continuation decision",
        "GO",
        "rehearsal_continuation",
    ),
    (
        "JOINT_CHECKPOINT_STATUS_2026-02-08.md",
        "- Runtime cutover decision: `GO`",
        "Runtime cutover decision",
        "GO",
        "runtime_cutover",
    ),
    (
        "SERVICE_V3_CUTOVER_DAY_DRY_RUN_EXECUTION_2026-02-08.md",
        "- Rehearsal continuation: `GO`",
        "Rehearsal continuation",
        "GO",
        "rehearsal_continuation",
    ),
    (
        "SERVICE_V3_CUTOVER_DAY_DRY_RUN_EXECUTION_2026-02-08.md",
        "- Runtime cutover: `NO-GO`",
        "Runtime cutover",
        "NO-GO",
        "runtime_cutover",
    ),
    (
        "SERVICE_V3_CUTOVER_DECISION_CHECKPOINT_2026-02-08.md",
        "- Rehearsal posture: GO",
        "Rehearsal posture",
        "GO",
        "rehearsal_continuation",
    ),
    (
        "SERVICE_V3_CUTOVER_DECISION_CHECKPOINT_2026-02-08.md",
        "- Runtime cutover decision: GO",
        "Runtime cutover decision",
        "GO",
        "runtime_cutover",
    ),
    (
        "SERVICE_V3_CUTOVER_DECISION_CHECKPOINT_2026-02-08.md",
        "  - Rehearsal continuation: `GO`",
        "Rehearsal continuation",
        "GO",
        "rehearsal_continuation",
    ),
    (
        "SERVICE_V3_CUTOVER_DECISION_CHECKPOINT_2026-02-08.md",
        "  - Runtime cutover: `GO`",
        "Runtime cutover",
        "GO",
        "runtime_cutover",
    ),
    (
        "SERVICE_V3_CUTOVER_DECISION_CHECKPOINT_2026-02-08.md",
        "  - Phase 8 runtime cutover: `COMPLETE`",
        "Phase 8 runtime cutover",
        "COMPLETE",
        "runtime_cutover",
    ),
]
TOPICS = {"rehearsal_continuation", "runtime_cutover"}


def line_of(name: str, text: str) -> int:
    """The 1-based number of the one line of ``name`` that reads exactly ``text``."""
    lines = (REAL_WORLD / name).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, 1) if line.rstrip() == text]
    assert len(found) == 1, f"{text!r} found on lines {found} of {name}"
    return found[0]


def load(name: str) -> Any:
    return json.loads((REAL_WORLD / name).read_text(encoding="utf-8"))


def sha256(name: str) -> str:
    return hashlib.sha256((REAL_WORLD / name).read_bytes()).hexdigest()


def gate(verdict: Verdict, gate_id: str) -> GateResult:
    [found] = [g for g in verdict.gates if g.id == gate_id]
    return found


@pytest.fixture(scope="module")
def verdict() -> Verdict:
    if not REAL_WORLD.is_dir():
        pytest.skip(f"real-world fixtures not found at {REAL_WORLD}")
    corpus = load_corpus(REAL_WORLD)
    assert [r.id for r in corpus.ledger.rehearsals] == [REAL_WORLD.name]
    return corpus.evaluate("latest")


# --- recorded verdicts ------------------------------------------------------------------------


def test_recorded_continuation_and_runtime_verdicts(verdict: Verdict) -> None:
    recorded = {
        (r.verdict.key, r.verdict.value, r.path, r.verdict.line): r.verdict.topic
        for r in verdict.recorded
        if r.verdict.topic in TOPICS
    }
    expected = {
        (key, value, name, line_of(name, text)): topic
        for name, text, key, value, topic in CONTINUATION_AND_RUNTIME_LINES
    }
    assert recorded == expected


def test_every_recorded_verdict_is_on_the_line_it_cites(verdict: Verdict) -> None:
    assert verdict.recorded
    for entry in verdict.recorded:
        recorded = entry.verdict
        lines = (REAL_WORLD / entry.path).read_text(encoding="utf-8").splitlines()
        assert recorded.line, f"{entry.path} {recorded.key} has no line"
        text = lines[recorded.line - 1]
        assert recorded.key in text
        assert recorded.value in text
        if recorded.topic == "rehearsal_continuation":
            assert "rehearsal" in recorded.key.casefold()
        if recorded.topic == "runtime_cutover":
            assert "runtime cutover" in recorded.key.casefold()


def test_dry_run_records_runtime_no_go(verdict: Verdict) -> None:
    name = "SERVICE_V3_CUTOVER_DAY_DRY_RUN_EXECUTION_2026-02-08.md"
    line = line_of(name, "- Runtime cutover: `NO-GO`")
    [item] = [
        a for a in verdict.audit if (a.recorded.path, a.recorded.verdict.line) == (name, line)
    ]
    assert item.recorded.verdict.value == "NO-GO"
    assert item.recorded.verdict.topic == "runtime_cutover"
    assert item.status == "agrees"


def test_no_template_line_is_taken_for_a_verdict(verdict: Verdict) -> None:
    assert all("/" not in r.verdict.value for r in verdict.recorded)


def test_recorded_go_verdicts_are_unbacked(verdict: Verdict) -> None:
    assert verdict.rehearsal_continuation == "NO-GO"
    assert verdict.runtime_cutover == "NO-GO"
    claims = [a for a in verdict.audit if a.recorded.verdict.value in {"GO", "COMPLETE"}]
    assert claims
    for item in claims:
        assert item.status == "unbacked", item.message
        assert item.recorded.path in item.message
        assert f"line {item.recorded.verdict.line}" in item.message
        if item.recorded.verdict.value == "COMPLETE":
            # judged by cutover completion: no cutover rehearsal here, nothing completed
            assert item.computed == "not-applicable"
            assert "cutover completion is not-applicable" in item.message
        else:
            assert "NO-GO" in item.message
    audited = {(a.recorded.path, a.recorded.verdict.line) for a in verdict.audit}
    for name, text, *_ in CONTINUATION_AND_RUNTIME_LINES:
        assert (name, line_of(name, text)) in audited


# --- gates ------------------------------------------------------------------------------------


def test_pre1_passes_in_pinned_mode(verdict: Verdict) -> None:
    evidence = load("memorykernel-handoff-evidence.json")
    assert evidence["mode"] == "pinned-baseline"
    result = gate(verdict, "PRE-1")
    assert result.status == "pass"
    assert "pinned" in result.detail
    cited = {ref.path: ref for ref in result.evidence}
    assert cited["PRODUCER_RELEASE_HANDOFF_LATEST.json"].actual == "stable"
    assert "integration-pin.json" in cited
    assert cited["memorykernel-handoff-evidence.json"].note == "agrees"


def test_art2_verifies_the_present_bundle_artifacts(verdict: Verdict) -> None:
    bundle = load("RELEASE_EVIDENCE_BUNDLE_LATEST.json")
    listed = {Path(a["path"]).name: a["sha256"] for a in bundle["artifacts"]}
    result = gate(verdict, "ART-2")
    assert result.status == "pass"
    verified = {ref.path: ref for ref in result.evidence}
    for name in ("PRODUCER_RELEASE_HANDOFF_LATEST.json", "service-contract-source-of-truth.json"):
        assert name in verified, name
        assert verified[name].actual == verified[name].expected == sha256(name) == listed[name]
        assert verified[name].pointer.startswith("RELEASE_EVIDENCE_BUNDLE_LATEST.json /artifacts/")
    present = [name for name in listed if (REAL_WORLD / name).is_file()]
    assert sorted(verified) == sorted(present)


def test_art3_manifest_mirror_matches_the_pin(verdict: Verdict) -> None:
    pin = load("integration-pin.json")
    result = gate(verdict, "ART-3")
    assert result.status == "pass"
    [ref] = result.evidence
    assert ref.path == "producer-manifest.json"
    assert ref.actual == sha256("producer-manifest.json")
    assert ref.expected == pin["expected_producer_manifest_sha256"]


def test_grd1_without_capture_compares_session_artifacts_with_the_pin(verdict: Verdict) -> None:
    pin = load("integration-pin.json")
    result = gate(verdict, "GRD-1")
    assert result.status == "pass"
    assert "no capture" in result.detail
    assert {ref.path for ref in result.evidence} == {
        "memorykernel-handoff-evidence.json",
        "memorykernel-contract-evidence.json",
    }
    for ref in result.evidence:
        assert ref.actual == ref.expected == f"{pin['release_tag']} {pin['commit_sha']}"


def test_rbk1_passes_on_the_rollback_drill(verdict: Verdict) -> None:
    result = gate(verdict, "RBK-1")
    assert result.status == "pass"
    assert [ref.path for ref in result.evidence] == ["MEMORYKERNEL_ROLLBACK_DRILL_2026-02-08.md"]


def test_pin_on_service_v3_fails_pre2_and_grd2(verdict: Verdict) -> None:
    pin = load("integration-pin.json")
    assert pin["expected_service_contract_version"] == "service.v3"
    for gate_id in ("PRE-2", "GRD-2"):
        result = gate(verdict, gate_id)
        assert result.status == "fail", gate_id
        cited = {(r.path, r.pointer, r.actual, r.expected) for r in result.evidence}
        assert (
            "integration-pin.json",
            "/expected_service_contract_version",
            "service.v3",
            "service.v2",
        ) in cited
    decided_by = [r.gate for r in verdict.reasons if r.verdict == "rehearsal_continuation"]
    assert "PRE-2" in decided_by and "GRD-2" in decided_by


def test_absent_evidence_is_missing_never_pass(verdict: Verdict) -> None:
    # The folder holds no transcript, JUnit report or captured envelope.
    for gate_id in ("CMD-1", "CMD-2", "CMD-3", "STOP-1", "STOP-2", "STOP-4"):
        assert gate(verdict, gate_id).status == "missing", gate_id
    assert "lost coverage" in gate(verdict, "STOP-2").detail
