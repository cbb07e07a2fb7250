"""PRE-1 as the consumer's check decides it, and the older formats its versions wrote.

The folders are the real published evidence, mutated only as far as the case needs (see
``real_fixtures``); the transcripts are shaped as pnpm prints the consumer's real scripts.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CONSUMER_SCRIPTS, needs_real_world
from helpers import edit_json
from real_fixtures import (
    HANDOFF,
    HANDOFF_EVIDENCE,
    as_candidate_run,
    candidate_era,
    copy_real_world,
    pnpm_transcript,
)

from cutover_kit.api import load_corpus
from cutover_kit.evidence.ledger import load_ledger
from cutover_kit.evidence.model import FileStatus, Severity
from cutover_kit.gates.model import GateResult

pytestmark = needs_real_world

PACKAGE = "assistsupport@0.9.0"
PASSED = "MemoryKernel handoff payload validation passed."
WROTE = "Wrote MemoryKernel handoff evidence: /Users/d/Projects/AssistSupport/artifacts/x.json"


def scripts(commit: str) -> dict[str, str]:
    return json.loads((CONSUMER_SCRIPTS / f"package-scripts.{commit}.json").read_text())


def pre1(folder: Path) -> GateResult:
    verdict = load_corpus(folder).evaluate("latest")
    [found] = [g for g in verdict.gates if g.id == "PRE-1"]
    return found


# --- fault 1: the mode comes from the run, not from the payload -------------------------------


def test_candidate_payload_with_a_pinned_evidence_file_passes_in_pinned_mode(
    tmp_path: Path,
) -> None:
    folder = candidate_era(tmp_path / "r-candidate-era")
    evidence = json.loads((folder / HANDOFF_EVIDENCE).read_text())
    assert evidence["mode"] == "pinned-baseline"
    assert evidence["checks"]["candidate_runtime_baseline"] == "used-for-pinned-validation"

    result = pre1(folder)

    assert result.status == "pass", result.detail
    assert "pinned mode" in result.detail
    assert "candidate mode" not in result.detail
    [ref] = [r for r in result.evidence if r.path == HANDOFF_EVIDENCE]
    assert ref.note == "agrees"


def test_both_handoff_commands_ran_reviews_both_modes(tmp_path: Path) -> None:
    folder = candidate_era(tmp_path / "r-both")
    body = scripts("1b33163")
    (folder / "cutover-dry-run.txt").write_text(
        pnpm_transcript(
            PACKAGE,
            [
                (
                    "check:memorykernel-handoff:service-v3-candidate",
                    body["check:memorykernel-handoff:service-v3-candidate"],
                    [PASSED, WROTE],
                )
            ],
        )
    )
    (folder / "phase3-handoff.txt").write_text(
        pnpm_transcript(
            PACKAGE,
            [("check:memorykernel-handoff", body["check:memorykernel-handoff"], [PASSED, WROTE])],
        )
    )

    result = pre1(folder)

    assert result.status == "pass", result.detail
    assert "pinned mode and candidate mode" in result.detail
    assert "transcript pass" in result.detail


def test_a_passing_run_with_its_exit_code_shown_is_a_pass(tmp_path: Path) -> None:
    """The shell's ``[exit 0]`` puts the exit code into the run's reference (``pass (exit 0)``);
    PRE-1 decides on the run's result, not on that text."""
    folder = candidate_era(tmp_path / "r-exit")
    body = scripts("1b33163")
    (folder / "phase3-handoff.txt").write_text(
        pnpm_transcript(
            PACKAGE,
            [("check:memorykernel-handoff", body["check:memorykernel-handoff"], [PASSED, WROTE])],
        )
        + "[exit 0]\n"
    )

    result = pre1(folder)

    assert any(ref.actual == "pass (exit 0)" for ref in result.evidence)
    assert result.status == "pass", result.detail
    assert "transcript pass" in result.detail


def test_a_mode_the_line_names_counts_as_run(tmp_path: Path) -> None:
    folder = candidate_era(tmp_path / "r-stated")
    # Break the pinned review only: nobody ran the pinned check in this variant.
    edit_json(folder / HANDOFF, lambda doc: doc.update(release_tag="v0.4.1-rc.1"))
    as_candidate_run(folder)
    (folder / "handoff.txt").write_text(
        "$ node scripts/validate_memorykernel_handoff_payload.mjs\n"
        "MemoryKernel handoff payload validation passed (mode=rehearsal-candidate).\n"
    )
    result = pre1(folder)
    assert result.status == "pass", result.detail
    assert "candidate mode" in result.detail and "pinned mode" not in result.detail


def test_candidate_mode_does_not_compare_error_codes_with_the_mirror(tmp_path: Path) -> None:
    """The candidate check skips the set equality (its codes are the next version's)."""
    folder = candidate_era(tmp_path / "r-new-code")
    as_candidate_run(folder)
    edit_json(folder / HANDOFF, lambda doc: doc["error_code_enum"].append("rate_limited"))

    result = pre1(folder)

    assert result.status == "pass", result.detail
    assert "candidate mode" in result.detail


def test_a_failing_default_run_still_fails_pre1(tmp_path: Path) -> None:
    folder = candidate_era(tmp_path / "r-drifted")
    edit_json(
        folder / HANDOFF,
        lambda doc: doc["active_runtime_baseline"].update(
            expected_service_contract_version="service.v3"
        ),
    )
    result = pre1(folder)
    assert result.status == "fail"
    [ref] = [r for r in result.evidence if r.path == HANDOFF]
    assert ref.pointer == "/active_runtime_baseline/expected_service_contract_version"
    assert (ref.actual, ref.expected) == ("service.v3", "service.v2")
    assert ref.note == "check expected_service_contract_version (pinned mode)"
    [disagreement] = [r for r in result.evidence if r.path == HANDOFF_EVIDENCE]
    assert disagreement.pointer == "/checks/expected_service_contract_version"


# --- fault 3: older versions of the formats -----------------------------------------------------


def test_producer_handoff_without_mode_is_an_older_stable_handoff(tmp_path: Path) -> None:
    folder = copy_real_world(tmp_path / "r-old-handoff")
    edit_json(folder / HANDOFF, lambda doc: doc.pop("handoff_mode"))

    ledger = load_ledger(folder)
    [outcome] = [o for o in ledger.outcomes if o.path == HANDOFF]
    assert outcome.status is FileStatus.ACCEPTED
    assert outcome.kind == "producer-handoff"
    [finding] = outcome.findings
    assert (finding.severity, finding.code, finding.pointer) == (
        Severity.INFO,
        "older-format",
        "/handoff_mode",
    )
    assert "'stable'" in finding.message
    result = pre1(folder)
    assert result.status == "pass", result.detail


def b80ca7f_evidence(doc: dict[str, object]) -> None:
    """The evidence file as the first version of the check wrote it: no mode, nine checks."""
    doc.pop("mode")
    checks = doc["checks"]
    assert isinstance(checks, dict)
    checks.pop("candidate_runtime_baseline")


def test_evidence_of_the_first_check_version_is_pinned(tmp_path: Path) -> None:
    source = (CONSUMER_SCRIPTS / "validate_memorykernel_handoff_payload.b80ca7f.mjs").read_text()
    assert "mode:" not in source and "candidate_runtime_baseline" not in source
    folder = copy_real_world(tmp_path / "r-old-evidence")
    edit_json(folder / HANDOFF_EVIDENCE, b80ca7f_evidence)

    ledger = load_ledger(folder)
    [outcome] = [o for o in ledger.outcomes if o.path == HANDOFF_EVIDENCE]
    assert outcome.status is FileStatus.ACCEPTED
    assert [(f.severity, f.code, f.pointer) for f in outcome.findings] == [
        (Severity.INFO, "older-format", "/mode")
    ]
    result = pre1(folder)
    assert result.status == "pass", result.detail
    [ref] = [r for r in result.evidence if r.path == HANDOFF_EVIDENCE]
    assert ref.note == "agrees"


def test_evidence_of_the_second_check_version_needs_no_finding(tmp_path: Path) -> None:
    source = (CONSUMER_SCRIPTS / "validate_memorykernel_handoff_payload.fe69488.mjs").read_text()
    assert "candidate_runtime_baseline" not in source
    folder = copy_real_world(tmp_path / "r-fe69488")
    edit_json(
        folder / HANDOFF_EVIDENCE, lambda doc: doc["checks"].pop("candidate_runtime_baseline")
    )
    ledger = load_ledger(folder)
    [outcome] = [o for o in ledger.outcomes if o.path == HANDOFF_EVIDENCE]
    assert outcome.status is FileStatus.ACCEPTED
    assert outcome.findings == []
    assert pre1(folder).status == "pass"


def test_a_handoff_check_that_never_started_is_no_run(tmp_path: Path) -> None:
    """The dry run stops at its first step: the candidate check after it ran in no mode."""
    folder = candidate_era(tmp_path / "r-stopped")
    body = scripts("1b33163")["test:memorykernel-cutover-dry-run"]
    assert body.startswith("pnpm run check:memorykernel-handoff:service-v3-candidate && ")
    candidate = "pnpm run check:memorykernel-handoff:service-v3-candidate"
    pin = "pnpm run check:memorykernel-pin"
    # The pin check first, so that its failure stops the chain before the candidate check.
    reordered = body.replace(f"{candidate} && {pin}", f"{pin} && {candidate}")
    assert reordered != body
    (folder / "dry-run.txt").write_text(
        pnpm_transcript(
            PACKAGE,
            [
                ("test:memorykernel-cutover-dry-run", reordered, []),
                (
                    "check:memorykernel-pin",
                    "node scripts/validate_memorykernel_pin_sync.mjs",
                    [
                        "MemoryKernel pin sync validation failed: pin drifted",
                        " ELIFECYCLE  Command failed with exit code 1.",
                        " ELIFECYCLE  Command failed with exit code 1.",
                    ],
                ),
            ],
        )
    )
    result = pre1(folder)
    assert result.status == "pass", result.detail
    assert "candidate mode" not in result.detail


def test_the_expected_version_on_the_command_line_decides_the_mode(tmp_path: Path) -> None:
    """Run by hand: no override is the default (pinned) check; the override makes it candidate."""
    script = "node scripts/validate_memorykernel_handoff_payload.mjs"
    override = scripts("1b33163")["check:memorykernel-handoff:service-v3-candidate"]
    assert override.endswith(script)
    runs = {"default": script, "override": override}
    for name, command in runs.items():
        folder = candidate_era(tmp_path / f"r-{name}")
        (folder / HANDOFF_EVIDENCE).unlink()
        # A payload naming its candidate release: the default check would fail its release_tag.
        edit_json(folder / HANDOFF, lambda doc: doc.update(release_tag="v0.4.1-rc.1"))
        (folder / "by-hand.txt").write_text(f"$ {command}\n{PASSED}\n{WROTE}\n")
        result = pre1(folder)
        if name == "default":
            assert result.status == "fail"
            assert "pinned mode" in result.detail and "candidate mode" not in result.detail
            assert "the sources disagree" in result.detail
        else:
            assert result.status == "pass", result.detail
            assert "candidate mode" in result.detail and "pinned mode" not in result.detail
