"""Records of the runtime cutover carried out: the joint decision record and the consumer matrix.

The decision record follows the line forms of the joint runtime cutover decision record (an
``Owner:`` line naming both sides, an approval section with the full runtime target, a runtime
cutover execution GO, named roles, the completion evidence and the closing status lines), in our
own words: it alone authorises the final rehearsal, whose session manifest carries no override.
The compatibility matrix is the consumer's third governance file, moved with the pin and the
manifest mirror in one change.
"""

from __future__ import annotations

from cutover_kit.samples import catalog
from cutover_kit.samples.artifacts import HANDOFF_PATH
from cutover_kit.samples.history import (
    API_V1,
    INTEGRATION_V1,
    MEMORYKERNEL_REPO,
    OVERRIDE_TARGET,
    Rehearsal,
    fake_sha1,
)
from cutover_kit.samples.records import md, ownership_lines
from cutover_kit.samples.rollback import ABORT_TRIGGERS, approved_target_lines


def decision_record(reh: Rehearsal) -> bytes:
    """The joint decision record that authorises and then closes the runtime cutover."""
    target = OVERRIDE_TARGET
    back = reh.rollback_target
    return md(
        [
            "# Runtime Cutover Decision Record (Joint)",
            "",
            f"Updated: {reh.date.isoformat()}  ",
            "Owner: AssistSupport + MemoryKernel (joint)",
            "",
            "## Decision Scope",
            f"Moves AssistSupport onto MemoryKernel `{target.tag}` at runtime and records, in "
            f"rehearsal {reh.id}, that the move was carried out.",
            "",
            "## Decision Outcome",
            "1. Rehearsal continuation: **GO**",
            "2. Runtime cutover execution: **GO**",
            "",
            "## Approved Runtime Cutover Window",
            *approved_target_lines(target),
            "",
            "## Ownership (Named Roles)",
            *ownership_lines(reh),
            "",
            "## Decision Inputs",
            f"- Rehearsals reviewed: {', '.join(reh.window_ids(3))}",
            f"- Producer handoff: `producer/{HANDOFF_PATH}`",
            "- Consumer evidence: `artifacts/memorykernel-contract-evidence.json`",
            "",
            "## Abort Triggers On Cutover Day",
            *ABORT_TRIGGERS,
            "",
            "## Runtime Cutover Completion Evidence",
            f"1. MemoryKernel ships `{target.tag}` as a stable handoff with its evidence bundle.",
            f"2. AssistSupport moved pin, compatibility matrix and manifest mirror to "
            f"`{target.tag}` in one change.",
            f"3. The consumer contract suite and CI ran green on `{target.service}`.",
            f"4. The rollback drill was re-run on `{target.tag}`; `{back.tag}` is the way back.",
            "",
            "## Status",
            "- Runtime cutover status: **COMPLETE**",
            "- Operational posture: **GO**",
        ]
    )


def compatibility_matrix(reh: Rehearsal, manifest_sha256: str) -> bytes:
    """The consumer's compatibility matrix naming the pinned release and the mirror's hash."""
    release = reh.plan.pin
    consumer_commit = fake_sha1(f"AssistSupport@{reh.id}")[:7]
    return md(
        [
            "# AssistSupport / MemoryKernel Compatibility Matrix",
            "",
            f"Updated: {reh.date.isoformat()}",
            "",
            "The MemoryKernel release AssistSupport runs against. It only ever changes together "
            "with the integration pin and the producer manifest mirror.",
            "",
            "## Baseline Pin",
            f"- MemoryKernel repo: `{MEMORYKERNEL_REPO}`",
            f"- MemoryKernel release tag: `{release.tag}`",
            f"- MemoryKernel commit SHA: `{release.commit_sha}`",
            f"- Expected service contract version: `{release.service}`",
            f"- Expected API contract version: `{API_V1}`",
            f"- Expected integration baseline: `{INTEGRATION_V1}`",
            f"- Expected producer manifest SHA-256: `{manifest_sha256}`",
            f"- Pin file: `{catalog.CONSUMER_ROOT}/config/memorykernel-integration-pin.json`",
            "",
            "## Approved Version Pairs",
            "| AssistSupport commit | MemoryKernel tag | MemoryKernel commit | Service | Status |",
            "|---|---|---|---|---|",
            f"| {consumer_commit} | {release.tag} | {release.commit_sha} | {release.service} "
            "| Approved |",
        ]
    )
