"""Comparing what people recorded with what the evidence decides, quoting both sides."""

from __future__ import annotations

from dataclasses import dataclass

from cutover_kit.evidence.model import RecordedVerdict
from cutover_kit.gates.override import RECORDED_COMPLETE
from cutover_kit.gates.view import RehearsalView
from cutover_kit.verdict.completion import CutoverCompletion
from cutover_kit.verdict.values import AuditStatus, CompletionStatus, Decision, VerdictName

# Recorded values that claim the decision went ahead, or that it did not.
_CLAIMS_GO = {"GO", "COMPLETE", "APPROVED"}
_CLAIMS_NO_GO = {"NO-GO", "NOGO", "NO GO"}
# The operational posture that follows from a runtime cutover recorded as done.
_POSTURE = "operational posture"


@dataclass(frozen=True)
class Recorded:
    """A recorded verdict with the file and line (or pointer) it was written at."""

    path: str
    verdict: RecordedVerdict

    def as_dict(self) -> dict[str, object]:
        v = self.verdict
        return {
            "key": v.key,
            "value": v.value,
            "topic": v.topic,
            "file": self.path,
            "line": v.line or None,
            "pointer": v.pointer,
        }


@dataclass(frozen=True)
class AuditItem:
    """One recorded verdict judged against the computed one."""

    recorded: Recorded
    computed: Decision | CompletionStatus
    status: AuditStatus
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            **self.recorded.as_dict(),
            "computed": str(self.computed),
            "status": str(self.status),
            "message": self.message,
        }


def recorded_verdicts(view: RehearsalView) -> list[Recorded]:
    return [Recorded(path, verdict) for path, verdict in view.verdicts]


def audit(
    recorded: list[Recorded],
    continuation: Decision,
    runtime: Decision,
    completion: CutoverCompletion,
) -> list[AuditItem]:
    """Recorded continuation / runtime verdicts against the computed ones, quoting both sides.

    A runtime cutover recorded as COMPLETE, and an operational posture, are judged against the
    cutover completion instead: backed exactly when completion is COMPLETE.
    """
    computed: dict[str, Decision] = {
        VerdictName.CONTINUATION: continuation,
        VerdictName.RUNTIME: runtime,
    }
    items = []
    for entry in recorded:
        verdict = entry.verdict
        if _claims_completion(verdict):
            items.append(_audit_completion(entry, completion))
            continue
        if verdict.topic not in computed or verdict.value not in _CLAIMS_GO | _CLAIMS_NO_GO:
            continue
        decided = computed[verdict.topic]
        where = f"{entry.path} {f'line {verdict.line}' if verdict.line else verdict.pointer}"
        said = f"{verdict.key}: {verdict.value}"
        if verdict.value in _CLAIMS_GO and decided is Decision.NO_GO:
            status = AuditStatus.UNBACKED
            message = f"recorded '{said}' ({where}) but the evidence decides {Decision.NO_GO}"
        elif verdict.value in _CLAIMS_NO_GO and decided is Decision.GO:
            status = AuditStatus.CONTRADICTED
            message = f"recorded '{said}' ({where}) but the evidence decides {Decision.GO}"
        else:
            status = AuditStatus.AGREES
            message = f"recorded '{said}' ({where}) agrees with {decided}"
        items.append(AuditItem(entry, decided, status, message))
    return items


def _claims_completion(verdict: RecordedVerdict) -> bool:
    if verdict.topic == VerdictName.RUNTIME and verdict.value in RECORDED_COMPLETE:
        return True
    return _POSTURE in verdict.key.casefold() and verdict.value in _CLAIMS_GO | _CLAIMS_NO_GO


def _audit_completion(entry: Recorded, completion: CutoverCompletion) -> AuditItem:
    verdict = entry.verdict
    where = f"{entry.path} {f'line {verdict.line}' if verdict.line else verdict.pointer}"
    said = f"{verdict.key}: {verdict.value}"
    done = completion.status is CompletionStatus.COMPLETE
    if verdict.value in _CLAIMS_NO_GO:
        status = AuditStatus.CONTRADICTED if done else AuditStatus.AGREES
    else:
        status = AuditStatus.AGREES if done else AuditStatus.UNBACKED
    if status is AuditStatus.AGREES:
        message = f"recorded '{said}' ({where}) agrees with cutover completion {completion.status}"
    else:
        message = (
            f"recorded '{said}' ({where}) but cutover completion is {completion.status}: "
            f"{completion.detail}"
        )
    return AuditItem(entry, completion.status, status, message)
