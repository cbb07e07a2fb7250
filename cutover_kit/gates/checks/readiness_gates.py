"""Ownership and rollback readiness: STOP-3 (one named owner per role) and RBK-1."""

from __future__ import annotations

import re

from cutover_kit.evidence.codes import EvidenceKind, RecordType
from cutover_kit.gates.checks.base import GateInput, judged, missing
from cutover_kit.gates.model import EvidenceRef, GateResult
from cutover_kit.gates.ownership import role_owners
from cutover_kit.gates.view import RehearsalView

_SHA1 = re.compile(r"^[0-9a-f]{40}$")
# The results a rollback drill may record when it passed.
DRILL_PASSED = frozenset({"READY", "PASS", "GO"})
# The drill record section that names what a rollback returns to.
ROLLBACK_TARGET_SECTION = "rollback target"


def roles_unambiguous(given: GateInput) -> GateResult:
    owners = role_owners(given.view, given.policy.roles)
    if not any(owners.values()):
        return missing(
            given,
            "role assignments (session manifest or ownership lines)",
            EvidenceKind.SESSION_MANIFEST,
            EvidenceKind.RECORD,
        )
    problems, used, ambiguous = [], [], []
    for role in given.policy.roles.required:
        statements = owners[role.id]
        names = {s.owner.strip().casefold() for s in statements}
        unassigned = [s for s in statements if given.policy.roles.is_unassigned(s.owner)]
        if statements and not unassigned and len(names) == 1:
            first = statements[0]
            used.append(EvidenceRef(first.path, first.pointer, first.owner, note=role.label))
            continue
        ambiguous.append(role.label)
        problems += [
            EvidenceRef(s.path, s.pointer, s.owner or "(blank)", "one named owner", role.label)
            for s in statements
        ] or [EvidenceRef("", role.id, "(no owner named)", "one named owner", role.label)]
    return judged(
        given,
        problems,
        f"all {len(used)} required roles have one named owner",
        f"{len(ambiguous)} role(s) without exactly one named owner: {', '.join(ambiguous)}",
        used,
    )


def rollback_ready(given: GateInput) -> GateResult:
    view = given.view
    drills = view.records(RecordType.ROLLBACK_DRILL)
    if not drills:
        return missing(given, "rollback drill record", EvidenceKind.RECORD)
    path, drill = drills[-1]
    problems: list[EvidenceRef] = []
    target = {
        f.key.casefold(): f for f in drill.facts if ROLLBACK_TARGET_SECTION in f.section.casefold()
    }
    for key in ("release_tag", "commit_sha"):
        if key not in target:
            problems.append(
                EvidenceRef(
                    path,
                    "Rollback Target",
                    "(absent)",
                    f"{key} documented",
                    f"rollback target lacks {key}",
                )
            )
    if "commit_sha" in target and not _SHA1.match(target["commit_sha"].value):
        fact = target["commit_sha"]
        problems.append(
            EvidenceRef(
                path,
                f"line {fact.line}",
                fact.value,
                "40 hex characters",
                "rollback target commit is not a full sha",
            )
        )
    problems += [
        EvidenceRef(path, check.pointer, check.value, "checked", f"unchecked: {check.name}")
        for check in drill.checks
        if check.value != "checked"
    ]
    results = [v for v in drill.verdicts if v.topic == "other"]
    problems += [
        EvidenceRef(path, f"line {v.line}", v.value, "READY or PASS", f"{v.key}: {v.value}")
        for v in results
        if v.value not in DRILL_PASSED
    ]
    tags = {f.value for f in drill.facts if f.key.casefold() == "release_tag"}
    shas = {f.value for f in drill.facts if f.key.casefold() == "commit_sha"}
    baseline = _current_baseline(view)
    if baseline is None:
        problems.append(
            EvidenceRef(
                path,
                "release_tag / commit_sha",
                ", ".join(sorted(tags)),
                "the current baseline",
                "no readable pin or session baseline to compare the drill with",
            )
        )
    elif baseline[0] not in tags or baseline[1] not in shas:
        tag, sha, source = baseline
        problems.append(
            EvidenceRef(
                path,
                "release_tag / commit_sha",
                ", ".join(sorted(tags)) or "(none)",
                f"{tag} {sha[:12]} from {source}",
                "drill does not refer to the current baseline",
            )
        )
    return judged(
        given,
        problems,
        "rollback target documented and drill evidence current",
        f"{len(problems)} rollback readiness item(s) not met: "
        + "; ".join(problem.note for problem in problems[:4]),
        [EvidenceRef(path, note="rollback drill record")],
    )


def _current_baseline(view: RehearsalView) -> tuple[str, str, str] | None:
    """(tag, sha, source) of the consumer's baseline: the pin, else the session manifest's."""
    if view.pin:
        path, pin = view.pin
        return pin.release_tag, pin.commit_sha, path
    manifest = view.manifest
    if manifest and manifest.baseline:
        baseline = manifest.baseline
        return (
            baseline.release_tag,
            baseline.commit_sha,
            f"{view.rehearsal.manifest_path} /baseline",
        )
    return None
