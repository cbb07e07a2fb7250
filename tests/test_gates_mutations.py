"""Gate engine on mutated copies of green sample rehearsals: each mutation trips its own gate.

Every test starts from a rehearsal whose gate passes in the pristine corpus (checked against a
module-wide evaluation of ``data/rehearsals``), changes one thing the way a real incident would
(a tampered artifact, a moved pin, a stale evidence file, a lost transcript...), re-loads the
copy and checks the gate's status and the evidence it cites.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_DIR
from helpers import edit_json, replace_in_file

from cutover_kit.api import load_corpus
from cutover_kit.gates.model import EvidenceRef, GateResult
from cutover_kit.verdict import Verdict

HANDOFF = "producer/docs/implementation/PRODUCER_RELEASE_HANDOFF_LATEST.json"
SOURCE = "producer/contracts/integration/v1/service-contract-source-of-truth.json"
BUNDLE = "producer/RELEASE_EVIDENCE_BUNDLE_LATEST.json"
PIN = "config/memorykernel-integration-pin.json"
MIRROR = "config/memorykernel-producer-manifest.json"
HANDOFF_EVIDENCE = "artifacts/memorykernel-handoff-evidence.json"
TIMEOUT_PATTERNS = ("timeout", "times_out", "timed_out")


# --- helpers ---------------------------------------------------------------------------------


def gate(verdict: Verdict, gate_id: str) -> GateResult:
    found = [g for g in verdict.gates if g.id == gate_id]
    assert len(found) == 1, gate_id
    return found[0]


def evaluate(root: Path, rehearsal_id: str) -> Verdict:
    """A fresh load of the (mutated) corpus and the verdict of one rehearsal."""
    return load_corpus(root).evaluate(rehearsal_id)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cited_line(root: Path, ref: EvidenceRef) -> str:
    match = re.fullmatch(r"line (\d+)", ref.pointer)
    assert match, ref
    return (root / ref.path).read_text(encoding="utf-8").splitlines()[int(match.group(1)) - 1]


def file_holding(folder: Path, needle: str) -> Path:
    """The one file under ``folder`` whose text holds ``needle``."""
    found = [p for p in sorted(folder.rglob("*")) if p.is_file() and needle in p.read_text("utf-8")]
    assert len(found) == 1, f"{needle!r} found in {found}"
    return found[0]


@pytest.fixture(scope="module")
def pristine() -> dict[str, Verdict]:
    return {v.rehearsal.id: v for v in load_corpus(SAMPLE_DIR).evaluate_all()}


def assert_pristine(pristine: dict[str, Verdict], rehearsal_id: str, *gate_ids: str) -> None:
    verdict = pristine[rehearsal_id]
    assert verdict.rehearsal_continuation == "GO"
    for gate_id in gate_ids:
        assert gate(verdict, gate_id).status == "pass", (rehearsal_id, gate_id)


# --- artifact review --------------------------------------------------------------------------


def test_tampered_bundle_artifact_fails_art2(
    sample_copy: Path, pristine: dict[str, Verdict]
) -> None:
    assert_pristine(pristine, "r12", "ART-2")
    listed = json.loads((sample_copy / "r12" / BUNDLE).read_text(encoding="utf-8"))["artifacts"]
    index, entry = next(
        (i, a) for i, a in enumerate(listed) if a["path"].endswith(SOURCE.removeprefix("producer/"))
    )
    tampered = sample_copy / "r12" / SOURCE
    edit_json(tampered, lambda doc: doc["error_code_enum"].append("teapot"))

    result = gate(evaluate(sample_copy, "r12"), "ART-2")
    assert result.status == "fail"
    assert "tampering" in result.detail
    [ref] = result.evidence
    assert ref.path == f"r12/{SOURCE}"
    assert ref.actual == sha256(tampered)
    assert ref.expected == entry["sha256"]
    assert f"r12/{BUNDLE}" in ref.pointer  # which bundle listed it, and where
    assert ref.pointer.endswith(f"/artifacts/{index}/sha256")


def test_edited_manifest_mirror_fails_art3(sample_copy: Path, pristine: dict[str, Verdict]) -> None:
    assert_pristine(pristine, "r12", "ART-3")
    mirror = sample_copy / "r12" / MIRROR
    edit_json(mirror, lambda doc: doc["stability_window"].update(minimum_sprint_days=7))
    pin = json.loads((sample_copy / "r12" / PIN).read_text(encoding="utf-8"))

    verdict = evaluate(sample_copy, "r12")
    result = gate(verdict, "ART-3")
    assert result.status == "fail"
    [ref] = result.evidence
    assert ref.path == f"r12/{MIRROR}"
    assert ref.actual == sha256(mirror)
    assert ref.expected == pin["expected_producer_manifest_sha256"]
    assert verdict.rehearsal_continuation == "NO-GO"


# --- guardrails and the baseline --------------------------------------------------------------


def test_changed_pin_capture_fails_grd1_naming_the_command(
    sample_copy: Path, pristine: dict[str, Verdict]
) -> None:
    assert_pristine(pristine, "r12", "GRD-1")
    session = sample_copy / "r12" / "session.toml"
    blocks = session.read_text(encoding="utf-8").split("[[pin_captures]]")
    command = re.search(r'command = "([^"]+)"', blocks[2])
    assert command
    blocks[2] = re.sub(r'after_sha256 = "[0-9a-f]+"', f'after_sha256 = "{"0" * 64}"', blocks[2])
    session.write_text("[[pin_captures]]".join(blocks), encoding="utf-8")

    verdict = evaluate(sample_copy, "r12")
    result = gate(verdict, "GRD-1")
    assert result.status == "fail"
    [ref] = result.evidence
    assert ref.path == "r12/session.toml"
    assert ref.pointer == "/pin_captures/1"
    assert ref.actual == "0" * 64
    assert command.group(1) in ref.note
    assert verdict.rehearsal_continuation == "NO-GO"


def test_pin_on_the_runtime_target_fails_pre2_and_grd2(
    sample_copy: Path, pristine: dict[str, Verdict]
) -> None:
    assert_pristine(pristine, "r12", "PRE-2", "GRD-2")
    edit_json(
        sample_copy / "r12" / PIN,
        lambda pin: pin.update(expected_service_contract_version="service.v3"),
    )
    verdict = evaluate(sample_copy, "r12")
    for gate_id in ("PRE-2", "GRD-2"):
        result = gate(verdict, gate_id)
        assert result.status == "fail", gate_id
        cited = {(r.path, r.pointer, r.actual, r.expected) for r in result.evidence}
        assert (
            f"r12/{PIN}",
            "/expected_service_contract_version",
            "service.v3",
            "service.v2",
        ) in cited
    assert verdict.rehearsal_continuation == "NO-GO"


# --- PRE-1: the producer handoff --------------------------------------------------------------


def test_stale_handoff_evidence_fails_pre1(sample_copy: Path, pristine: dict[str, Verdict]) -> None:
    assert_pristine(pristine, "r12", "PRE-1")
    payload = json.loads((sample_copy / "r12" / HANDOFF).read_text(encoding="utf-8"))
    made = dt.datetime.fromisoformat(payload["handoff_generated_at_utc"].replace("Z", "+00:00"))
    stale = (made - dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    edit_json(
        sample_copy / "r12" / HANDOFF_EVIDENCE, lambda doc: doc.update(generated_at_utc=stale)
    )

    result = gate(evaluate(sample_copy, "r12"), "PRE-1")
    assert result.status == "fail"
    [ref] = [r for r in result.evidence if r.path == f"r12/{HANDOFF_EVIDENCE}"]
    assert ref.pointer == "/generated_at_utc"
    assert ref.actual == stale
    assert "disagrees" in ref.note
    assert "stale" in ref.note


def test_changed_active_runtime_baseline_fails_pre1(
    sample_copy: Path, pristine: dict[str, Verdict]
) -> None:
    assert_pristine(pristine, "r12", "PRE-1")
    other = "f" * 40
    edit_json(
        sample_copy / "r12" / HANDOFF,
        lambda doc: doc["active_runtime_baseline"].update(commit_sha=other),
    )
    result = gate(evaluate(sample_copy, "r12"), "PRE-1")
    assert result.status == "fail"
    on_payload = [r for r in result.evidence if r.path == f"r12/{HANDOFF}"]
    assert any(r.pointer.startswith("/active_runtime_baseline") for r in on_payload)
    assert any(other in r.actual for r in on_payload)


def test_handoff_validation_failure_in_transcript_fails_pre1(
    sample_copy: Path, pristine: dict[str, Verdict]
) -> None:
    assert_pristine(pristine, "r07", "PRE-1")
    passed = "MemoryKernel handoff payload validation passed (rehearsal-candidate)."
    failed = "MemoryKernel handoff payload validation failed: error_code_enum differs from mirror"
    transcript = file_holding(sample_copy / "r07" / "transcripts", passed)
    replace_in_file(transcript, passed, failed)

    result = gate(evaluate(sample_copy, "r07"), "PRE-1")
    assert result.status == "fail"
    rel = transcript.relative_to(sample_copy).as_posix()
    cited = [r for r in result.evidence if r.path == rel]
    assert cited, f"PRE-1 should cite {rel}"
    assert failed in cited_line(sample_copy, cited[0])


# --- STOP-1: envelopes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "phrase"),
    [
        (lambda env: env.update(status=500), "HTTP 500"),
        (lambda env: env["body"]["error"].update(code="teapot_error"), "teapot_error"),
    ],
    ids=["wrong-http-status", "code-not-in-enum"],
)
def test_broken_envelope_fails_stop1(
    sample_copy: Path,
    pristine: dict[str, Verdict],
    change: Callable[[Any], None],
    phrase: str,
) -> None:
    assert_pristine(pristine, "r12", "STOP-1")
    envelope = sample_copy / "r12" / "captures" / "envelopes" / "409-write-conflict.json"
    assert json.loads(envelope.read_text(encoding="utf-8"))["body"]["error"]["code"] == (
        "write_conflict"
    )
    edit_json(envelope, change)

    verdict = evaluate(sample_copy, "r12")
    result = gate(verdict, "STOP-1")
    assert result.status == "fail"
    [ref] = result.evidence
    assert ref.path == envelope.relative_to(sample_copy).as_posix()
    assert phrase in ref.actual
    assert verdict.rehearsal_continuation == "NO-GO"


def test_wrong_status_names_the_normative_one(sample_copy: Path) -> None:
    envelope = sample_copy / "r12" / "captures" / "envelopes" / "409-write-conflict.json"
    edit_json(envelope, lambda env: env.update(status=500))
    [ref] = gate(evaluate(sample_copy, "r12"), "STOP-1").evidence
    assert "409" in ref.actual  # the contract source's status for write_conflict
    assert "write_conflict" in ref.actual


# --- commands and fallback coverage -----------------------------------------------------------


def test_without_transcripts_commands_are_missing(
    sample_copy: Path, pristine: dict[str, Verdict]
) -> None:
    assert_pristine(pristine, "r07", "CMD-1", "CMD-2", "CMD-3", "STOP-4")
    shutil.rmtree(sample_copy / "r07" / "transcripts")

    verdict = evaluate(sample_copy, "r07")
    for gate_id in ("CMD-1", "CMD-2", "CMD-3", "STOP-4"):
        assert gate(verdict, gate_id).status == "missing", gate_id
    assert gate(verdict, "PRE-3").status != "pass"
    assert verdict.rehearsal_continuation == "NO-GO"
    decided_by = {r.gate for r in verdict.reasons if r.verdict == "rehearsal_continuation"}
    assert {"CMD-1", "CMD-2", "CMD-3"} <= decided_by


def test_scenario_without_executed_case_is_lost_coverage(
    sample_copy: Path, pristine: dict[str, Verdict]
) -> None:
    assert_pristine(pristine, "r07", "STOP-2")
    shutil.rmtree(sample_copy / "r07" / "junit")
    removed = 0
    for transcript in (sample_copy / "r07" / "transcripts").iterdir():
        lines = transcript.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [
            line
            for line in lines
            if not ("fallback" in line and any(p in line.casefold() for p in TIMEOUT_PATTERNS))
        ]
        removed += len(lines) - len(kept)
        transcript.write_text("".join(kept), encoding="utf-8")
    assert removed > 0

    verdict = evaluate(sample_copy, "r07")
    result = gate(verdict, "STOP-2")
    assert result.status == "missing"
    assert "lost coverage" in result.detail
    assert "timeout" in result.detail
    assert verdict.fallback["timeout"].executed == 0
    assert verdict.rehearsal_continuation == "NO-GO"


def test_failing_fallback_case_in_a_green_rehearsal_is_a_regression(
    sample_copy: Path, pristine: dict[str, Verdict]
) -> None:
    assert_pristine(pristine, "r12", "GRD-3", "STOP-2")
    case = "malformed_json_body_uses_fallback"
    junit = file_holding(sample_copy / "r12" / "junit", case)
    text = junit.read_text(encoding="utf-8")
    start = text.index(case)
    closing = text.index("</testcase>", start)
    junit.write_text(
        text[:closing] + '<failure message="boom">boom</failure>' + text[closing:],
        encoding="utf-8",
    )
    verdict = evaluate(sample_copy, "r12")
    assert verdict.fallback["malformed_payload"].regressions == [case]
    assert gate(verdict, "GRD-3").status == "fail"
    assert gate(verdict, "STOP-2").status == "fail"
    assert verdict.rehearsal_continuation == "NO-GO"


# --- STOP-3: roles ----------------------------------------------------------------------------


def test_two_owner_names_for_one_role_fail_stop3(
    sample_copy: Path, pristine: dict[str, Verdict]
) -> None:
    assert_pristine(pristine, "r07", "STOP-3")
    line = "- MemoryKernel rollback owner role: MemoryKernel Release Captain"
    record = file_holding(sample_copy / "r07" / "records", line)
    replace_in_file(record, line, "- MemoryKernel rollback owner role: Weekend Release Deputy")

    result = gate(evaluate(sample_copy, "r07"), "STOP-3")
    assert result.status == "fail"
    cited = {(r.path, r.actual) for r in result.evidence}
    assert ("r07/session.toml", "MemoryKernel Release Captain") in cited
    [in_record] = [r for r in result.evidence if r.path.endswith(".md")]
    assert in_record.actual == "Weekend Release Deputy"
    assert "Weekend Release Deputy" in cited_line(sample_copy, in_record)
    manifest_ref = next(r for r in result.evidence if r.path == "r07/session.toml")
    assert manifest_ref.pointer == "/roles/producer_rollback_owner"


# --- rejected evidence ------------------------------------------------------------------------


def break_pin_schema(pin: Path) -> None:
    """Still recognisably a pin, but rejected: a required field gone, another of the wrong type."""

    def change(doc: dict[str, Any]) -> None:
        del doc["release_tag"]
        doc["commit_sha"] = 12345

    edit_json(pin, change)


def truncate_pin(pin: Path) -> None:
    """Truncated JSON, as an interrupted write leaves it."""
    pin.write_text(pin.read_text(encoding="utf-8")[:60], encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(break_pin_schema, id="schema-invalid"),
        pytest.param(truncate_pin, id="truncated-json"),
    ],
)
def test_rejected_pin_makes_the_gates_needing_it_missing(
    sample_copy: Path, pristine: dict[str, Verdict], damage: Callable[[Path], None]
) -> None:
    assert_pristine(pristine, "r12", "PRE-1", "PRE-2", "ART-3")
    damage(sample_copy / "r12" / PIN)

    verdict = evaluate(sample_copy, "r12")
    for gate_id in ("PRE-1", "PRE-2", "ART-3"):
        result = gate(verdict, gate_id)
        assert result.status == "missing", gate_id
        assert [r.path for r in result.evidence] == [f"r12/{PIN}"], gate_id
        assert "rejected" in result.evidence[0].note
        assert "rejected" in result.detail
    assert verdict.rehearsal_continuation == "NO-GO"


def test_rejected_pin_does_not_silently_pass_grd1(sample_copy: Path) -> None:
    pin = sample_copy / "r12" / PIN
    break_pin_schema(pin)
    session = (sample_copy / "r12" / "session.toml").read_text(encoding="utf-8")
    assert sha256(pin) not in session  # the pin no longer has the hash every capture recorded
    assert gate(evaluate(sample_copy, "r12"), "GRD-1").status != "pass"


def test_changed_but_valid_pin_fails_grd1_against_the_last_capture(sample_copy: Path) -> None:
    edit_json(sample_copy / "r12" / PIN, lambda pin: pin.update(default_timeout_ms=9000))
    result = gate(evaluate(sample_copy, "r12"), "GRD-1")
    assert result.status == "fail"
    assert [r.path for r in result.evidence] == [f"r12/{PIN}"]


# --- rollback readiness and the runtime verdict -----------------------------------------------


def test_missing_rollback_drill_keeps_runtime_no_go(
    sample_copy: Path, pristine: dict[str, Verdict]
) -> None:
    before = pristine["r14"]
    assert before.runtime_cutover == "GO"
    [drill_ref] = gate(before, "RBK-1").evidence
    drill = sample_copy / drill_ref.path
    assert "Rollback Drill" in drill.read_text(encoding="utf-8").splitlines()[0]
    drill.unlink()

    verdict = evaluate(sample_copy, "r14")
    assert gate(verdict, "RBK-1").status == "missing"
    assert verdict.rehearsal_continuation == "GO"  # rollback readiness does not block it
    assert verdict.runtime_cutover == "NO-GO"
    runtime = [r.gate for r in verdict.reasons if r.verdict == "runtime_cutover"]
    assert "RBK-1" in runtime


def test_no_go_in_the_trailing_window_keeps_runtime_no_go(
    sample_copy: Path, pristine: dict[str, Verdict]
) -> None:
    assert pristine["r14"].runtime_cutover == "GO"
    envelope = sample_copy / "r12" / "captures" / "envelopes" / "409-write-conflict.json"
    edit_json(envelope, lambda env: env.update(status=500))

    corpus = load_corpus(sample_copy)
    assert corpus.evaluate("r12").rehearsal_continuation == "NO-GO"
    verdict = corpus.evaluate("r14")
    assert verdict.rehearsal_continuation == "GO"
    assert verdict.runtime_cutover == "NO-GO"
    window = [r.sentence for r in verdict.reasons if r.gate == "WINDOW"]
    assert any("r12" in sentence for sentence in window)


def test_recorded_no_go_against_a_go_is_contradicted(
    sample_copy: Path, pristine: dict[str, Verdict]
) -> None:
    assert_pristine(pristine, "r12")
    replace_in_file(
        sample_copy / "r12" / "session.toml",
        'rehearsal_continuation = "GO"',
        'rehearsal_continuation = "NO-GO"',
    )
    verdict = evaluate(sample_copy, "r12")
    [item] = [
        a
        for a in verdict.audit
        if a.recorded.path == "r12/session.toml"
        and a.recorded.verdict.topic == "rehearsal_continuation"
    ]
    assert item.status == "contradicted"
    assert item.computed == "GO"
    assert "/verdicts/rehearsal_continuation" in item.message


# --- the joint gate override ------------------------------------------------------------------


def test_override_for_another_target_is_refused(
    sample_copy: Path, pristine: dict[str, Verdict]
) -> None:
    assert pristine["r14"].runtime_cutover == "GO"
    session = sample_copy / "r14" / "session.toml"
    head, target = session.read_text(encoding="utf-8").split("[override.target]")
    assert target.count('service_contract_version = "service.v3"') == 1
    target = target.replace("service.v3", "service.v4")
    session.write_text(head + "[override.target]" + target, encoding="utf-8")

    verdict = evaluate(sample_copy, "r14")
    assert verdict.rehearsal_continuation == "GO"
    assert verdict.runtime_cutover == "NO-GO"
    [reason] = [r for r in verdict.reasons if r.gate == "OVERRIDE"]
    assert "service_contract_version" in reason.sentence
    assert "service.v4" in reason.sentence
    assert reason.evidence == ("r14/session.toml /override",)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('producer_approver = "MemoryKernel Service On-Call Lead"', 'producer_approver = "TBD"'),
        ('release_tag = "v0.4.0"', 'release_tag = ""'),
    ],
    ids=["approver-tbd", "empty-release-tag"],
)
def test_override_needs_named_approvers_and_a_release_tag(
    sample_copy: Path, pristine: dict[str, Verdict], old: str, new: str
) -> None:
    assert pristine["r14"].runtime_cutover == "GO"
    # The session form on its own: r14's decision record would authorise the cutover by itself
    # (a session.toml with an empty tag is rejected whole, leaving the record as the override).
    for record in (sample_copy / "r14" / "records").glob("RUNTIME_CUTOVER_DECISION_RECORD_*"):
        record.unlink()
    replace_in_file(sample_copy / "r14" / "session.toml", old, new)
    verdict = evaluate(sample_copy, "r14")
    assert verdict.rehearsal_continuation == "GO"
    assert verdict.runtime_cutover == "NO-GO"
