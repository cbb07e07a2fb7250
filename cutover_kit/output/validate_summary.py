"""The ``validate`` report: how every file was accounted for, as text or JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from cutover_kit.evidence.ledger import Ledger
from cutover_kit.evidence.model import FileStatus, Severity
from cutover_kit.output.plain_text import one_line


def validate_document(ledger: Ledger) -> dict[str, Any]:
    counts = ledger.counts()
    return {
        **counts,
        "rehearsals": [r.id for r in ledger.rehearsals],
        "files": [
            {
                "path": outcome.path,
                "rehearsal": outcome.rehearsal_id,
                "kind": outcome.kind,
                "status": str(outcome.status),
                "findings": [finding.as_dict() for finding in outcome.findings],
            }
            for outcome in sorted(ledger.outcomes, key=lambda o: o.path)
        ],
    }


def render_validate_json(ledger: Ledger) -> str:
    return json.dumps(validate_document(ledger), indent=2, ensure_ascii=False) + "\n"


def render_validate_text(ledger: Ledger) -> str:
    counts = ledger.counts()
    lines = [
        f"{len(ledger.rehearsals)} rehearsal(s), {counts['inputs']} file(s): "
        f"{counts['accepted']} accepted, {counts['rejected']} rejected, "
        f"{counts['ignored']} ignored",
        "",
        "files by kind and status:",
    ]
    by_kind = Counter((o.kind, str(o.status)) for o in ledger.outcomes)
    width = max((len(kind) for kind, _ in by_kind), default=4)
    lines += [
        f"  {kind:<{width}}  {status:<8}  {n}" for (kind, status), n in sorted(by_kind.items())
    ]
    problems = [
        (outcome, finding)
        for outcome in sorted(ledger.outcomes, key=lambda o: o.path)
        for finding in outcome.findings
        if finding.severity is not Severity.INFO or outcome.status is not FileStatus.ACCEPTED
    ]
    if problems:
        lines += ["", "findings:"]
        for outcome, finding in problems:
            where = f"{outcome.path} {finding.pointer}".strip()
            lines.append(f"  {finding.severity:<7} {finding.code:<24} {where}: {finding.message}")
    return "\n".join(one_line(line) for line in lines) + "\n"
