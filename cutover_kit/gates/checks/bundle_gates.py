"""ART-2: artifacts of the release evidence bundle that are present have the listed sha256."""

from __future__ import annotations

from cutover_kit.evidence.codes import EvidenceKind
from cutover_kit.gates.checks.base import GateInput, judged, missing, result
from cutover_kit.gates.model import EvidenceRef, GateResult, GateStatus
from cutover_kit.gates.view import RehearsalView


def _present(view: RehearsalView, listed: str) -> str | None:
    """The evidence file a bundle path names: same path suffix, else a unique same-name file."""
    listed = listed.lstrip("./")
    by_suffix = [p for p in view.file_hashes if p == listed or p.endswith("/" + listed)]
    if by_suffix:
        return by_suffix[0]
    name = listed.rsplit("/", 1)[-1]
    same_name = [p for p in view.file_hashes if p.rsplit("/", 1)[-1] == name]
    return same_name[0] if len(same_name) == 1 else None


def bundle_hashes(given: GateInput) -> GateResult:
    view = given.view
    bundles = view.release_bundles
    required = given.policy.release_bundle.required_for_kinds
    kind = view.rehearsal.kind
    if (
        not bundles
        and not view.unreadable(EvidenceKind.RELEASE_EVIDENCE_BUNDLE)
        and kind not in required
    ):
        return result(
            given,
            GateStatus.SKIPPED,
            f"no release evidence bundle, and a {kind} rehearsal needs none "
            f"(policy release_bundle.required_for_kinds: {', '.join(required) or 'none'})",
        )
    if not bundles:
        return missing(given, "release evidence bundle", EvidenceKind.RELEASE_EVIDENCE_BUNDLE)
    mismatches: list[EvidenceRef] = []
    verified: list[EvidenceRef] = []
    absent = 0
    for path, bundle in bundles:
        for index, artifact in enumerate(bundle.artifacts):
            found = _present(view, artifact.path)
            if found is None:
                absent += 1
                continue
            ref = EvidenceRef(
                found, f"{path} /artifacts/{index}/sha256", view.file_hashes[found], artifact.sha256
            )
            (verified if ref.actual == ref.expected else mismatches).append(ref)
    if not mismatches and not verified:
        return result(
            given,
            GateStatus.SKIPPED,
            f"none of the {absent} listed artifact(s) is in the evidence folder",
        )
    return judged(
        given,
        mismatches,
        f"{len(verified)} listed artifact(s) present match their sha256 ({absent} not present)",
        "{n} artifact(s) differ from the bundle's sha256 (tampering or drift)",
        verified,
    )
