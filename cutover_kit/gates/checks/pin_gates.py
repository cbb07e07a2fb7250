"""Integration pin gates: PRE-2 and GRD-2 (baseline), GRD-1 (unchanged), ART-3 (manifest hash)."""

from __future__ import annotations

from cutover_kit.evidence.codes import EvidenceKind
from cutover_kit.gates.checks.base import GateInput, judged, missing, result
from cutover_kit.gates.checks.captured import pin_from_captures, prefer_captured
from cutover_kit.gates.model import EvidenceRef, GateResult, GateStatus
from cutover_kit.gates.view import RehearsalView
from cutover_kit.policy import Policy

# Baseline field -> the pin's key for it (contract evidence uses the field names themselves).
_PIN_KEYS = {
    "service_contract_version": "expected_service_contract_version",
    "api_contract_version": "expected_api_contract_version",
    "integration_baseline": "expected_integration_baseline",
}


def _baseline_refs(
    view: RehearsalView, policy: Policy
) -> tuple[list[EvidenceRef], list[EvidenceRef]]:
    """(mismatches, everything compared) of pin and contract evidence against the baseline."""
    base = policy.baseline
    compared: list[EvidenceRef] = []
    if view.pin:
        path, pin = view.pin
        compared += [
            EvidenceRef(path, f"/{key}", getattr(pin, key), getattr(base, field))
            for field, key in _PIN_KEYS.items()
        ]
    for path, evidence in view.contract_evidence:
        compared += [
            EvidenceRef(
                path,
                f"/expected_contracts/{field}",
                getattr(evidence.expected_contracts, field),
                getattr(base, field),
            )
            for field in _PIN_KEYS
        ]
    return [ref for ref in compared if ref.actual != ref.expected], compared


def baseline_pinned(given: GateInput) -> GateResult:
    view = given.view
    if view.pin is None:
        return missing(given, "integration pin", EvidenceKind.INTEGRATION_PIN)
    path, pin = view.pin
    mismatches, compared = _baseline_refs(view, given.policy)
    recorded = [
        EvidenceRef(path, "/release_tag", pin.release_tag, note="release tag recorded"),
        EvidenceRef(path, "/commit_sha", pin.commit_sha, note="commit recorded"),
    ]
    return judged(
        given,
        mismatches,
        f"pinned to {pin.release_tag} ({pin.commit_sha[:12]}) on the approved baseline",
        "{n} field(s) differ from the approved pre-cutover baseline",
        recorded + compared,
    )


def no_runtime_switch(given: GateInput) -> GateResult:
    view, target = given.view, given.policy.runtime_target.service_contract_version
    if view.pin is None and not view.contract_evidence:
        return missing(
            given,
            "pin or contract evidence",
            EvidenceKind.INTEGRATION_PIN,
            EvidenceKind.CONTRACT_EVIDENCE,
        )
    _, compared = _baseline_refs(view, given.policy)
    service_refs = [ref for ref in compared if ref.pointer.endswith("service_contract_version")]
    service_refs = prefer_captured(view, service_refs)
    switched = [ref for ref in service_refs if ref.actual == target]
    return judged(
        given,
        switched,
        f"runtime contract stays off {target}",
        "{n} artifact(s) already point at " + target,
        service_refs,
    )


def pin_unchanged(given: GateInput) -> GateResult:
    captured = pin_from_captures(given)
    if captured is not None:
        return captured
    view = given.view
    manifest = view.manifest
    if manifest and manifest.pin_captures:
        mpath = view.rehearsal.manifest_path
        changed = [
            EvidenceRef(
                mpath,
                f"/pin_captures/{i}",
                capture.after_sha256,
                capture.before_sha256,
                f"pin changed around `{capture.command}`",
            )
            for i, capture in enumerate(manifest.pin_captures)
            if capture.before_sha256 != capture.after_sha256
        ]
        if view.pin is None and not changed:
            return missing(
                given,
                "integration pin to compare with the last capture",
                EvidenceKind.INTEGRATION_PIN,
            )
        if view.pin and not changed:
            pin_sha = view.file_hashes[view.pin[0]]
            last = manifest.pin_captures[-1]
            if last.after_sha256 != pin_sha:
                changed.append(
                    EvidenceRef(
                        view.pin[0],
                        "sha256",
                        pin_sha,
                        last.after_sha256,
                        "pin file differs from the last capture",
                    )
                )
        return judged(
            given,
            changed,
            f"pin hash equal before and after all {len(manifest.pin_captures)} captured command(s)",
            "{n} capture(s) show the pin changed",
            [EvidenceRef(mpath, "/pin_captures")],
        )
    if view.pin is None:
        return missing(given, "pin captures or integration pin", EvidenceKind.INTEGRATION_PIN)
    pin_path, pin = view.pin
    stated = [
        (path, "/baseline", ev.baseline.release_tag, ev.baseline.commit_sha)
        for path, ev in view.handoff_evidence
    ] + [
        (path, f"/{ev.producer_pin_key}", ev.producer_pin.release_tag, ev.producer_pin.commit_sha)
        for path, ev in view.contract_evidence
    ]
    if not stated:
        return missing(
            given,
            "pin captures or evidence written during the session",
            EvidenceKind.HANDOFF_EVIDENCE,
            EvidenceKind.CONTRACT_EVIDENCE,
        )
    expected = f"{pin.release_tag} {pin.commit_sha}"
    refs = [
        EvidenceRef(path, pointer, f"{tag} {sha}", expected, f"against {pin_path}")
        for path, pointer, tag, sha in stated
    ]
    return judged(
        given,
        [r for r in refs if r.actual != r.expected],
        f"no capture; {len(refs)} session artifact(s) state the pinned release",
        "{n} session artifact(s) state another release than the pin",
        refs,
    )


def manifest_hash(given: GateInput) -> GateResult:
    view = given.view
    if view.pin is None:
        return missing(given, "integration pin", EvidenceKind.INTEGRATION_PIN)
    pin_path, pin = view.pin
    if pin.expected_producer_manifest_sha256 is None:
        return result(
            given,
            GateStatus.SKIPPED,
            "the pin predates manifest hashes (no expected_producer_manifest_sha256)",
            [EvidenceRef(pin_path, "/expected_producer_manifest_sha256", "(absent)")],
        )
    if view.mirror is None:
        return missing(given, "producer manifest mirror", EvidenceKind.PRODUCER_MANIFEST)
    mirror_path = view.mirror[0]
    ref = EvidenceRef(
        mirror_path,
        "sha256",
        view.file_hashes[mirror_path],
        pin.expected_producer_manifest_sha256,
        f"{pin_path} /expected_producer_manifest_sha256",
    )
    return judged(
        given,
        [ref] if ref.actual != ref.expected else [],
        "manifest mirror matches the pin's hash",
        "manifest mirror does not match the pin's hash",
        [ref],
    )
