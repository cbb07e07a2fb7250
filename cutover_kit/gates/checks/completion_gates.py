"""Cutover completion items (CMP-1..CMP-4): did the authorised runtime cutover really happen?

The joint decision record ends with the evidence that makes a runtime cutover COMPLETE. Each item
is decided from evidence the kit already reads, against the runtime target the joint gate override
approved (``session.toml [override]`` or the decision record read as one):

- ``target_published``: the producer handoff in stable mode for exactly the approved target, and
  every release evidence bundle present naming it as the runtime baseline;
- ``consumer_repinned``: pin, manifest mirror (by sha256 and by the release it states) and any
  compatibility matrix all name the approved target in the same rehearsal (an atomic repin);
- ``consumer_verified``: the consumer contract evidence names the target and the runtime contracts
  with ``verification.status`` passed, and no transcript shows a required consumer suite failing;
- ``rollback_refreshed``: the latest rollback drill names the target (tag and full sha) outside
  its rollback-target section, is READY / PASS, and is dated on or after the approval.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from cutover_kit.evidence.codes import CommandOutcome, EvidenceKind, RecordType
from cutover_kit.evidence.json_models import STABLE_HANDOFF_MODE
from cutover_kit.evidence.model import Extract
from cutover_kit.evidence.session_manifest import Baseline, JointOverride
from cutover_kit.gates.checks.base import GateInput, judged, missing
from cutover_kit.gates.checks.readiness_gates import DRILL_PASSED, ROLLBACK_TARGET_SECTION
from cutover_kit.gates.model import EvidenceRef, GateResult
from cutover_kit.gates.override import read_override

_NON_WORD = re.compile(r"[^a-z0-9]+")

# Approved target field -> the key each artifact states it under.
_HANDOFF_KEYS = {
    "release_tag": "release_tag",
    "commit_sha": "commit_sha",
    "service_contract_version": "expected_service_contract_version",
    "api_contract_version": "expected_api_contract_version",
    "integration_baseline": "integration_baseline",
}
_PIN_KEYS = _HANDOFF_KEYS | {"integration_baseline": "expected_integration_baseline"}
_CONTRACT_FIELDS = ("service_contract_version", "api_contract_version", "integration_baseline")
# Compatibility matrix line keys (normalised suffix) -> target field.
_MATRIX_KEYS = {
    "release_tag": "release_tag",
    "commit_sha": "commit_sha",
    "commit": "commit_sha",
    "service_contract_version": "service_contract_version",
    "api_contract_version": "api_contract_version",
    "integration_baseline": "integration_baseline",
}
_MATRIX_MANIFEST_HASH = "producer_manifest_sha_256"


TargetCheck = Callable[[GateInput, JointOverride, str], GateResult]


def _against_the_approved_target(check: TargetCheck) -> Callable[[GateInput], GateResult]:
    """Run ``check`` with the rehearsal's joint gate override and its source, else ``missing``."""

    @functools.wraps(check)
    def run(given: GateInput) -> GateResult:
        reading = read_override(given.view, given.policy)
        if reading.override is None:
            return missing(given, "joint gate override naming the approved runtime target")
        return check(given, reading.override, reading.source)

    return run


def _compare(
    path: str, prefix: str, document: object, keys: dict[str, str], target: Baseline
) -> list[EvidenceRef]:
    """One reference per approved field: what ``document`` states against the target."""
    return [
        EvidenceRef(
            path, f"{prefix}/{key}", str(getattr(document, key)), str(getattr(target, field))
        )
        for field, key in keys.items()
    ]


def _mismatched(refs: Iterable[EvidenceRef]) -> list[EvidenceRef]:
    return [ref for ref in refs if ref.actual != ref.expected]


@_against_the_approved_target
def target_published(given: GateInput, override: JointOverride, source: str) -> GateResult:
    target = override.target
    handoffs = given.view.handoffs
    if not handoffs:
        return missing(given, "producer handoff", EvidenceKind.PRODUCER_HANDOFF)
    problems: list[EvidenceRef] = []
    published: list[EvidenceRef] = []
    for path, handoff in handoffs:
        compared = [
            EvidenceRef(path, "/handoff_mode", handoff.handoff_mode, STABLE_HANDOFF_MODE),
            *_compare(path, "", handoff, _HANDOFF_KEYS, target),
        ]
        if _mismatched(compared):
            problems += _mismatched(compared)
        else:
            published, problems = compared, []
            break
    bundles = given.view.release_bundles
    for path, bundle in bundles:
        compared = _compare(
            path, "/runtime_baseline", bundle.runtime_baseline, _HANDOFF_KEYS, target
        )
        problems += _mismatched(compared)
        published += compared
    also = f" and {len(bundles)} release evidence bundle(s)" if bundles else ""
    return judged(
        given,
        problems,
        f"the producer published {target.release_tag} ({target.commit_sha[:12]}) in a stable "
        f"handoff{also}",
        f"the producer has not published the approved target {target.release_tag} "
        f"({target.commit_sha[:12]}): " + _listed(problems),
        published,
    )


def _listed(problems: list[EvidenceRef]) -> str:
    """The first few mismatches as ``file pointer is 'x', expected 'y'``."""
    return "; ".join(
        f"{ref.path} {ref.pointer} is {ref.actual!r}, expected {ref.expected!r}"
        for ref in problems[:4]
    )


@_against_the_approved_target
def consumer_repinned(given: GateInput, override: JointOverride, source: str) -> GateResult:
    target = override.target
    view = given.view
    if view.pin is None:
        return missing(given, "integration pin", EvidenceKind.INTEGRATION_PIN)
    if view.mirror is None:
        return missing(given, "producer manifest mirror", EvidenceKind.PRODUCER_MANIFEST)
    pin_path, pin = view.pin
    mirror_path, mirror = view.mirror
    compared = _compare(pin_path, "", pin, _PIN_KEYS, target)
    compared += _compare(mirror_path, "", mirror, _HANDOFF_KEYS, target)
    expected_hash = pin.expected_producer_manifest_sha256 or "(absent from the pin)"
    compared.append(
        EvidenceRef(
            mirror_path,
            "sha256",
            view.file_hashes[mirror_path],
            expected_hash,
            f"{pin_path} /expected_producer_manifest_sha256",
        )
    )
    matrices = view.records(RecordType.COMPATIBILITY_MATRIX)
    for path, matrix in matrices:
        compared += _matrix_refs(path, matrix, target, expected_hash)
    problems = _mismatched(compared)
    together = "pin, manifest mirror and matrix" if matrices else "pin and manifest mirror"
    return judged(
        given,
        problems,
        f"{together} name {target.release_tag} ({target.commit_sha[:12]}) together",
        "the consumer repin is not atomic: " + _listed(problems),
        compared,
    )


def _matrix_refs(
    path: str, matrix: Extract, target: Baseline, manifest_hash: str
) -> list[EvidenceRef]:
    """The release, contracts and manifest hash a compatibility matrix states."""
    refs = []
    for fact in matrix.facts:
        key = _NON_WORD.sub("_", fact.key.casefold()).strip("_")
        if key.endswith(_MATRIX_MANIFEST_HASH):
            refs.append(EvidenceRef(path, f"line {fact.line}", fact.value, manifest_hash))
            continue
        field = next((f for suffix, f in _MATRIX_KEYS.items() if key.endswith(suffix)), None)
        if field is not None:
            refs.append(
                EvidenceRef(path, f"line {fact.line}", fact.value, str(getattr(target, field)))
            )
    return refs


@_against_the_approved_target
def consumer_verified(given: GateInput, override: JointOverride, source: str) -> GateResult:
    target = override.target
    view = given.view
    evidence = view.contract_evidence
    if not evidence:
        return missing(given, "consumer contract evidence", EvidenceKind.CONTRACT_EVIDENCE)
    compared: list[EvidenceRef] = []
    for path, document in evidence:
        compared += _compare(
            path,
            f"/{document.producer_pin_key}",
            document.producer_pin,
            {"release_tag": "release_tag", "commit_sha": "commit_sha"},
            target,
        )
        compared += _compare(
            path,
            "/expected_contracts",
            document.expected_contracts,
            {name: name for name in _CONTRACT_FIELDS},
            target,
        )
        compared.append(
            EvidenceRef(path, "/verification/status", document.verification.status, "passed")
        )
    suites = set(given.policy.commands.consumer_suites)
    runs = [(path, c) for path, c in view.transcript_commands if c.command in suites]
    compared += [
        EvidenceRef(path, f"line {c.line}", c.result, "pass", f"`{c.command}`")
        for path, c in runs
        if c.result != CommandOutcome.UNKNOWN
    ]
    problems = _mismatched(compared)
    return judged(
        given,
        problems,
        f"the consumer verification passed against {target.release_tag} / "
        f"{target.service_contract_version}"
        + (f" ({len(runs)} suite run(s) green)" if runs else ""),
        "the consumer verification does not back the runtime baseline: " + _listed(problems),
        compared,
    )


@_against_the_approved_target
def rollback_refreshed(given: GateInput, override: JointOverride, source: str) -> GateResult:
    target = override.target
    drills = given.view.records(RecordType.ROLLBACK_DRILL)
    if not drills:
        return missing(given, "rollback drill record", EvidenceKind.RECORD)
    path, drill = max(drills, key=lambda located: (located[1].stated_at[:10], located[0]))
    outside_rollback_target = [
        f for f in drill.facts if ROLLBACK_TARGET_SECTION not in f.section.casefold()
    ]
    # Decided on the facts themselves: a placeholder such as "(absent)" is display text only.
    named: list[EvidenceRef] = []
    problems: list[EvidenceRef] = []
    for field in ("release_tag", "commit_sha"):
        stated = [
            f
            for f in outside_rollback_target
            if _NON_WORD.sub("_", f.key.casefold()).strip("_") == field
        ]
        wanted = str(getattr(target, field))
        fact = next((f for f in stated if f.value == wanted), stated[0] if stated else None)
        ref = EvidenceRef(
            path,
            f"line {fact.line}" if fact else field,
            fact.value if fact else "(absent)",
            wanted,
            f"runtime target {field}",
        )
        (named if fact is not None and fact.value == wanted else problems).append(ref)
    results = [v for v in drill.verdicts if v.topic == "other"]
    problems += [
        EvidenceRef(path, f"line {v.line}", v.value, "READY or PASS", v.key)
        for v in results
        if v.value not in DRILL_PASSED
    ]
    if not any(v.value in DRILL_PASSED for v in results):
        problems.append(EvidenceRef(path, "Status / Result", "(none)", "READY or PASS"))
    approved_on = override.approved_at.isoformat()
    dated = drill.stated_at[:10]
    if dated < approved_on:
        problems.append(
            EvidenceRef(
                path,
                "Updated",
                dated or "(undated)",
                f"on or after {approved_on}",
                f"approval: {source}",
            )
        )
    return judged(
        given,
        problems,
        f"the rollback drill of {dated} names {target.release_tag} ({target.commit_sha[:12]}) "
        "and is READY / PASS",
        "the rollback drill was not refreshed for the runtime baseline: "
        + "; ".join(
            f"{ref.note or ref.pointer} is {ref.actual!r}, expected {ref.expected!r}"
            for ref in problems[:4]
        ),
        named or [EvidenceRef(path)],
    )
