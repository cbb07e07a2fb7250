"""The evidence ledger: every file of every rehearsal, read once, as plain tables.

Tables are keyed by ``rehearsal_id`` and ``path`` so that the gate engine, the notebooks, a cache
or a Parquet export can all work from them without re-reading evidence. The typed documents stay
reachable through :meth:`Ledger.documents` for checks that need a whole payload.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from cutover_kit.evidence.builtin import default_registry
from cutover_kit.evidence.corpus import corpus_entries
from cutover_kit.evidence.model import FileStatus, Finding, Severity
from cutover_kit.evidence.reader import DEFAULT_MAX_BYTES, FileOutcome, read_evidence
from cutover_kit.evidence.registry import LoaderRegistry
from cutover_kit.evidence.session_manifest import DEFAULT_SERVICE, SessionManifest

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")

TABLE_NAMES = (
    "rehearsals",
    "artifacts",
    "checks",
    "commands",
    "test_cases",
    "envelopes",
    "recorded_verdicts",
    "roles",
    "facts",
    "findings",
)


@dataclass(frozen=True)
class Rehearsal:
    """One rehearsal: identity from its session manifest, else from its folder and evidence."""

    id: str
    folder: str
    date: str
    service: str = DEFAULT_SERVICE
    kind: str = "dry-run"
    title: str = ""
    started_at: str = ""
    manifest_path: str = ""
    manifest: SessionManifest | None = field(default=None, compare=False, repr=False)


@dataclass
class Ledger:
    """All outcomes of one corpus, with the rehearsals in date-then-id order."""

    data_dir: Path
    rehearsals: list[Rehearsal]
    outcomes: list[FileOutcome]

    def rehearsal(self, rehearsal_id: str) -> Rehearsal:
        return next(r for r in self.rehearsals if r.id == rehearsal_id)

    def files(self, rehearsal_id: str) -> list[FileOutcome]:
        return self._by_rehearsal.get(rehearsal_id, [])

    def accepted(self, rehearsal_id: str, kind: str) -> list[FileOutcome]:
        """Accepted files of one kind in a rehearsal, in path order."""
        return [
            outcome
            for outcome in self.files(rehearsal_id)
            if outcome.kind == kind and outcome.status is FileStatus.ACCEPTED
        ]

    def documents(self, rehearsal_id: str, kind: str) -> list[tuple[str, Any]]:
        """(path, typed document) of the accepted files of one kind."""
        return [
            (o.path, o.extract.document) for o in self.accepted(rehearsal_id, kind) if o.extract
        ]

    @cached_property
    def _by_rehearsal(self) -> dict[str, list[FileOutcome]]:
        grouped: dict[str, list[FileOutcome]] = {}
        for outcome in self.outcomes:
            grouped.setdefault(outcome.rehearsal_id, []).append(outcome)
        return grouped

    def counts(self) -> dict[str, int]:
        statuses = [outcome.status for outcome in self.outcomes]
        return {
            "inputs": len(statuses),
            **{str(status): statuses.count(status) for status in FileStatus},
        }

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The ledger as DataFrames, one per name in :data:`TABLE_NAMES`."""
        return build_tables(self)


def _rows(outcome: FileOutcome, items: list[Any]) -> Iterator[dict[str, Any]]:
    for item in items:
        row = {"rehearsal_id": outcome.rehearsal_id, "path": outcome.path}
        row.update({f.name: getattr(item, f.name) for f in fields(item)})
        yield row


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _columns(record_type: type) -> list[str]:
    return ["rehearsal_id", "path", *(f.name for f in fields(record_type))]


def build_tables(ledger: Ledger) -> dict[str, pd.DataFrame]:
    """Flatten outcomes and extracts into tidy tables keyed by rehearsal and file."""
    from cutover_kit.evidence import model

    per_kind: dict[str, tuple[str, type]] = {
        "checks": ("checks", model.CheckResult),
        "commands": ("commands", model.CommandResult),
        "test_cases": ("test_cases", model.TestCaseResult),
        "recorded_verdicts": ("verdicts", model.RecordedVerdict),
        "roles": ("roles", model.RoleAssignment),
        "facts": ("facts", model.Fact),
    }
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    for outcome in ledger.outcomes:
        rows["artifacts"].append(
            {
                "rehearsal_id": outcome.rehearsal_id,
                "path": outcome.path,
                "kind": outcome.kind,
                "detail": outcome.extract.detail if outcome.extract else "",
                "status": str(outcome.status),
                "reason": outcome.reason,
                "sha256": outcome.sha256,
                "size": outcome.size,
            }
        )
        rows["findings"].extend(
            {"rehearsal_id": outcome.rehearsal_id, "path": outcome.path, **finding.as_dict()}
            for finding in outcome.findings
        )
        if outcome.extract is None:
            continue
        for table, (attribute, _) in per_kind.items():
            rows[table].extend(_rows(outcome, getattr(outcome.extract, attribute)))
        rows["envelopes"].extend(
            {
                "rehearsal_id": outcome.rehearsal_id,
                "path": outcome.path,
                "pointer": envelope.pointer,
                "http_status": envelope.http_status,
                "service_contract_version": envelope.body.get("service_contract_version"),
                "error_code": (envelope.body.get("error") or {}).get("code"),
                "fields": ",".join(sorted(envelope.field_paths())),
            }
            for envelope in outcome.extract.envelopes
        )
    rows["rehearsals"] = [
        {
            "rehearsal_id": r.id,
            "order": index,
            "date": r.date,
            "started_at": r.started_at,
            "service": r.service,
            "kind": r.kind,
            "title": r.title,
            "folder": r.folder,
        }
        for index, r in enumerate(ledger.rehearsals)
    ]
    columns = {
        "rehearsals": [
            "rehearsal_id",
            "order",
            "date",
            "started_at",
            "service",
            "kind",
            "title",
            "folder",
        ],
        "artifacts": [
            "rehearsal_id",
            "path",
            "kind",
            "detail",
            "status",
            "reason",
            "sha256",
            "size",
        ],
        "findings": ["rehearsal_id", "path", "severity", "code", "message", "pointer"],
        "envelopes": [
            "rehearsal_id",
            "path",
            "pointer",
            "http_status",
            "service_contract_version",
            "error_code",
            "fields",
        ],
        **{table: _columns(record_type) for table, (_, record_type) in per_kind.items()},
    }
    return {name: _frame(rows[name], columns[name]) for name in TABLE_NAMES}


def _evidence_date(outcomes: list[FileOutcome]) -> str:
    stamps = [
        o.extract.stated_at[:10]
        for o in outcomes
        if o.extract and _ISO_DATE.match(o.extract.stated_at or "")
    ]
    return max(stamps, default="")


def _mark_duplicate(outcome: FileOutcome, code: str, message: str) -> None:
    outcome.status = FileStatus.REJECTED
    outcome.extract = None
    outcome.findings.append(Finding(Severity.ERROR, code, message))


def _identify(folder_id: str, outcomes: list[FileOutcome]) -> Rehearsal:
    manifests = [o for o in outcomes if o.kind == "session-manifest" and o.extract]
    for extra in manifests[1:]:
        _mark_duplicate(
            extra,
            "duplicate-session-manifest",
            f"a second session manifest in one rehearsal; {manifests[0].path} is used",
        )
    if not manifests:
        return Rehearsal(id=folder_id, folder=folder_id, date=_evidence_date(outcomes))
    manifest: SessionManifest = manifests[0].extract.document  # type: ignore[union-attr]
    info = manifest.session
    return Rehearsal(
        id=info.id,
        folder=folder_id,
        date=info.date.isoformat(),
        service=info.service,
        kind=info.kind,
        title=info.title,
        started_at=info.started_at.isoformat() if info.started_at else "",
        manifest_path=manifests[0].path,
        manifest=manifest,
    )


def load_ledger(
    data_dir: Path | str,
    registry: LoaderRegistry | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Ledger:
    """Read every file under ``data_dir`` into a :class:`Ledger` (never raises on bad evidence)."""
    root = Path(data_dir)
    resolved_root = root.resolve()
    registry = registry or default_registry()
    by_folder: dict[str, list[FileOutcome]] = {}
    for entry in corpus_entries(root):
        outcome = read_evidence(
            entry.path, entry.rel, entry.folder_id, resolved_root, registry, max_bytes
        )
        by_folder.setdefault(entry.folder_id, []).append(outcome)
    outcomes = by_folder.pop("", [])
    for stray in outcomes:
        if stray.status is FileStatus.ACCEPTED:
            stray.status, stray.extract = FileStatus.IGNORED, None
        stray.findings.append(
            Finding(Severity.INFO, "outside-rehearsal", "file lies beside the rehearsal folders")
        )
    rehearsals: list[Rehearsal] = []
    seen: dict[str, str] = {}
    for folder_id, folder_outcomes in by_folder.items():
        rehearsal = _identify(folder_id, folder_outcomes)
        outcomes.extend(folder_outcomes)
        if rehearsal.id in seen:
            for outcome in folder_outcomes:
                _mark_duplicate(
                    outcome,
                    "duplicate-rehearsal-id",
                    f"rehearsal id {rehearsal.id!r} is already used by folder "
                    f"{seen[rehearsal.id]!r}; this folder's evidence is not used",
                )
            continue
        seen[rehearsal.id] = folder_id
        for outcome in folder_outcomes:
            outcome.rehearsal_id = rehearsal.id
        rehearsals.append(rehearsal)
    rehearsals.sort(key=lambda r: (r.date or dt.date.max.isoformat(), r.id))
    return Ledger(data_dir=root, rehearsals=rehearsals, outcomes=outcomes)
