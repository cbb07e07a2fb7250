"""The ledger as plain tables keyed by ``rehearsal_id`` and ``path``.

Plain DataFrames with fixed columns (empty tables keep their columns) so that notebooks, a cache
or a Parquet export for DuckDB / Spark can use them without knowing the loaders.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import pandas as pd

from cutover_kit.evidence import model
from cutover_kit.evidence.command_log import CAPTURED_COLUMNS, CommandLog, captured_rows
from cutover_kit.evidence.reader import FileOutcome
from cutover_kit.evidence.rehearsal import Rehearsal

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
    "captured_commands",
)


def _error_code(body: dict[str, Any]) -> Any:
    error = body.get("error")
    return error.get("code") if isinstance(error, dict) else None


def _rows(outcome: FileOutcome, items: list[Any], names: list[str]) -> Iterator[dict[str, Any]]:
    key = {"rehearsal_id": outcome.rehearsal_id, "path": outcome.path}
    for item in items:
        yield key | {name: getattr(item, name) for name in names}


# Columns with few distinct values repeated on every row: stored once each as categories, they
# cost a small integer per row, not a string object (a year of rehearsals is millions of rows).
CATEGORICAL_COLUMNS = frozenset(
    {"rehearsal_id", "kind", "status", "severity", "code", "framework", "result", "topic",
     "source", "service", "section", "suite", "parent"}
)  # fmt: skip


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for column in CATEGORICAL_COLUMNS.intersection(columns):
        frame[column] = frame[column].astype("category")
    return frame


def _columns(record_type: type) -> list[str]:
    return ["rehearsal_id", "path", *(f.name for f in fields(record_type))]


def build_tables(
    rehearsals: list[Rehearsal], outcomes: list[FileOutcome]
) -> dict[str, pd.DataFrame]:
    """Flatten outcomes and extracts into tidy tables keyed by rehearsal and file."""
    per_kind: dict[str, tuple[str, type]] = {
        "checks": ("checks", model.CheckResult),
        "commands": ("commands", model.CommandResult),
        "test_cases": ("test_cases", model.TestCaseResult),
        "recorded_verdicts": ("verdicts", model.RecordedVerdict),
        "roles": ("roles", model.RoleAssignment),
        "facts": ("facts", model.Fact),
    }
    # Field names once per record type: dataclasses.fields() per row was a tenth of ingest time.
    field_names = {table: [f.name for f in fields(kind)] for table, (_, kind) in per_kind.items()}
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLE_NAMES}
    for outcome in outcomes:
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
        if isinstance(outcome.extract.document, CommandLog):
            rows["captured_commands"].extend(
                captured_rows(outcome.rehearsal_id, outcome.path, outcome.extract.document)
            )
        for table, (attribute, _) in per_kind.items():
            rows[table].extend(
                _rows(outcome, getattr(outcome.extract, attribute), field_names[table])
            )
        rows["envelopes"].extend(
            {
                "rehearsal_id": outcome.rehearsal_id,
                "path": outcome.path,
                "pointer": envelope.pointer,
                "http_status": envelope.http_status,
                "service_contract_version": envelope.body.get("service_contract_version"),
                "error_code": _error_code(envelope.body),
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
        for index, r in enumerate(rehearsals)
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
        "captured_commands": CAPTURED_COLUMNS,
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
