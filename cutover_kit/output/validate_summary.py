"""The ``validate`` report: how every file was accounted for, as text or JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from cutover_kit.evidence.ledger import Ledger
from cutover_kit.evidence.model import FileStatus, Severity
from cutover_kit.evidence.reader import FileOutcome
from cutover_kit.output.plain_text import one_line


def _file_entry(outcome: FileOutcome) -> dict[str, Any]:
    return {
        "path": outcome.path,
        "rehearsal": outcome.rehearsal_id,
        "kind": outcome.kind,
        "status": str(outcome.status),
        "findings": [finding.as_dict() for finding in outcome.findings],
    }


def render_validate_json(ledger: Ledger) -> str:
    """The counts, the rehearsal ids and every file's account, as indented JSON.

    Written one file entry at a time (each indented as it sits in the ``files`` list): the same
    text as dumping the whole document at once, without holding a dict per file and the
    encoder's pieces of all of them at the same time (200,000 files made that 120 MiB).
    """
    head = {**ledger.counts(), "rehearsals": [r.id for r in ledger.rehearsals], "files": []}
    text = json.dumps(head, indent=2, ensure_ascii=False)
    outcomes = sorted(ledger.outcomes, key=lambda o: o.path)
    if not outcomes:
        return text + "\n"
    # The document ends with the empty list just dumped: the entries go in its place.
    chunks = [text.removesuffix(_NO_FILES), _FILES_OPEN]
    for index, outcome in enumerate(outcomes):
        entry = json.dumps(_file_entry(outcome), indent=2, ensure_ascii=False)
        chunks += [",\n" if index else "", _ENTRY_INDENT, entry.replace("\n", _ENTRY_NEWLINE)]
    chunks.append(_FILES_CLOSE)
    return "".join(chunks)


# How the ``files`` list of the document opens and closes, and how deep its entries sit
# (JSON strings never hold a raw newline, so every newline in an entry is a line break).
_NO_FILES = '"files": []\n}'
_FILES_OPEN = '"files": [\n'
_FILES_CLOSE = "\n  ]\n}\n"
_ENTRY_INDENT = "    "
_ENTRY_NEWLINE = "\n    "


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
