"""``verdict.json`` (schema ``cutover-kit/verdict.v1``): one rehearsal's decision, reproducibly.

The same evidence and policy always give byte-identical bytes: every list comes out in a fixed
order, no wall-clock time is written, and keys keep the order the schema documents.
"""

from __future__ import annotations

import json
from typing import Any

from cutover_kit.policy import LoadedPolicy
from cutover_kit.verdict import Verdict

SCHEMA = "cutover-kit/verdict.v1"


def verdict_document(verdict: Verdict, policy: LoadedPolicy) -> dict[str, Any]:
    rehearsal = verdict.rehearsal
    return {
        "schema": SCHEMA,
        "session": {
            "id": rehearsal.id,
            "date": rehearsal.date,
            "service": rehearsal.service,
            "kind": rehearsal.kind,
            "title": rehearsal.title,
            "folder": rehearsal.folder,
            "previous": verdict.previous_id,
        },
        "rehearsal_continuation": str(verdict.rehearsal_continuation),
        "runtime_cutover": str(verdict.runtime_cutover),
        "reasons": [reason.as_dict() for reason in verdict.reasons],
        "gates": [gate.as_dict() for gate in verdict.gates],
        "cutover_completion": verdict.completion.as_dict(),
        "fallback": {name: delta.as_dict() for name, delta in verdict.fallback.items()},
        "recorded": [entry.as_dict() for entry in verdict.recorded],
        "audit": [item.as_dict() for item in verdict.audit],
        "risks": verdict.risks,
        "follow_ups": verdict.follow_ups,
        "inputs": verdict.inputs,
        "policy": {"name": policy.policy.policy.name, "sha256": policy.sha256},
    }


def render_verdict_json(verdict: Verdict, policy: LoadedPolicy) -> str:
    return json.dumps(verdict_document(verdict, policy), indent=2, ensure_ascii=False) + "\n"
