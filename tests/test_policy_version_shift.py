"""The policy drives every decision: the sample world one version up gets the same verdicts.

The bundled corpus and the default policy are moved from service.v2 -> service.v3 to
service.v3 -> service.v4 (``version_shift``: every spelling, digests re-computed). Nothing in the
engine may notice: each rehearsal keeps both verdicts and every gate status. Judged by the
unshifted policy, the shifted corpus must *not* pass as before, which shows the shift reaches what
the gates read.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_DIR
from version_shift import shift_corpus, shift_policy, shift_text

from cutover_kit.api import load_corpus

DEFAULT_POLICY = REPO / "cutover_kit" / "policy" / "default.toml"

Outcome = tuple[str, str, dict[str, str]]


def outcomes(data_dir: Path, policy: Path | None) -> dict[str, Outcome]:
    """Per rehearsal: continuation verdict, runtime cutover verdict and every gate's status."""
    corpus = load_corpus(data_dir, policy)
    return {
        verdict.rehearsal.id: (
            verdict.rehearsal_continuation,
            verdict.runtime_cutover,
            {gate.id: str(gate.status) for gate in verdict.gates},
        )
        for verdict in corpus.evaluate_all()
    }


@pytest.fixture(scope="module")
def shifted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample corpus and the default policy, one version up."""
    root = tmp_path_factory.mktemp("shifted")
    return (
        shift_corpus(SAMPLE_DIR, root / "rehearsals"),
        shift_policy(DEFAULT_POLICY, root / "policy.toml"),
    )


def test_shift_replaces_the_newer_version_first() -> None:
    text = "service.v2 -> service.v3; service_v3_candidate, service-v3-candidate, service_v2_stable"
    assert shift_text(text) == (
        "service.v3 -> service.v4; service_v4_candidate, service-v4-candidate, service_v3_stable"
    )


def test_shifted_corpus_names_only_the_new_versions(shifted: tuple[Path, Path]) -> None:
    data_dir, policy = shifted
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in data_dir.rglob("*.*")]
    assert any("service.v4" in text for text in texts)
    assert not any("service.v2" in text or "service_v2" in text for text in texts)
    assert 'service_contract_version = "service.v4"' in policy.read_text(encoding="utf-8")


def test_shifted_pins_hold_the_digest_of_their_shifted_mirror(shifted: tuple[Path, Path]) -> None:
    """The pin's expected manifest digest follows the mirror it names, which the shift changed."""
    data_dir, _ = shifted
    compared = 0
    for rehearsal in sorted(SAMPLE_DIR.iterdir()):
        config = rehearsal / "config"
        pin, mirror = (
            config / "memorykernel-integration-pin.json",
            config / "memorykernel-producer-manifest.json",
        )
        if not (pin.is_file() and mirror.is_file()):
            continue
        expected = json.loads(pin.read_text(encoding="utf-8")).get(
            "expected_producer_manifest_sha256"
        )
        if expected != hashlib.sha256(mirror.read_bytes()).hexdigest():
            continue  # a planted ART-3 mismatch: the shift keeps it a mismatch
        moved = data_dir / rehearsal.name / "config"
        moved_pin = json.loads((moved / pin.name).read_text(encoding="utf-8"))
        moved_digest = hashlib.sha256((moved / mirror.name).read_bytes()).hexdigest()
        assert moved_pin["expected_producer_manifest_sha256"] == moved_digest != expected
        compared += 1
    assert compared > 0


def test_every_rehearsal_keeps_its_verdicts_and_gate_statuses(
    shifted: tuple[Path, Path],
) -> None:
    data_dir, policy = shifted
    original = outcomes(SAMPLE_DIR, None)
    moved = outcomes(data_dir, policy)
    assert list(moved) == list(original)
    for rehearsal, (continuation, cutover, gates) in original.items():
        assert moved[rehearsal] == (continuation, cutover, gates), rehearsal


def test_the_unshifted_policy_sees_the_difference(shifted: tuple[Path, Path]) -> None:
    """The same shifted evidence judged for the old cutover does not pass as before: the
    equality above is the policy's doing, not a shift the gates never read."""
    data_dir, _ = shifted
    assert outcomes(data_dir, None) != outcomes(SAMPLE_DIR, None)


# --- the version a payload names is judged by the gates, against the policy -------------------

CANDIDATE_FILE = "producer/docs/implementation/SERVICE_V3_REHEARSAL_HANDOFF_CANDIDATE.json"
HANDOFF_FILE = "producer/docs/implementation/PRODUCER_RELEASE_HANDOFF_LATEST.json"


def _art1_after(
    data_dir: Path, rehearsal: str, relative: str, kind: str, change: tuple[str, str]
) -> set[object]:
    """ART-1 of ``rehearsal`` after one key of the JSON file at ``relative`` (of ``kind``) is set:
    its status and the (path, pointer) of each reference it cites."""
    key, value = change
    path = data_dir / rehearsal / relative
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc[key] = value
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    corpus = load_corpus(data_dir)
    accepted = {outcome.path for outcome in corpus.ledger.accepted(rehearsal, kind)}
    assert f"{rehearsal}/{relative}" in accepted, "read whatever version it names"
    art1 = next(g for g in corpus.evaluate(rehearsal).gates if g.id == "ART-1")
    return {str(art1.status), *((ref.path, ref.pointer) for ref in art1.evidence)}


def test_a_rehearsal_candidate_for_another_version_fails_art1(sample_copy: Path) -> None:
    change = ("payload_contract_version", "service-v9-rehearsal-handoff.v1")
    failures = _art1_after(
        sample_copy, "r07", CANDIDATE_FILE, "rehearsal-handoff-candidate", change
    )
    assert "fail" in failures
    assert (f"r07/{CANDIDATE_FILE}", "/payload_contract_version") in failures


def test_a_candidate_handoff_for_another_version_fails_art1(sample_copy: Path) -> None:
    change = ("handoff_mode", "service-v9-candidate")
    failures = _art1_after(sample_copy, "r07", HANDOFF_FILE, "producer-handoff", change)
    assert "fail" in failures
    assert (f"r07/{HANDOFF_FILE}", "/handoff_mode") in failures
