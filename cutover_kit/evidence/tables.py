"""The ledger as plain tables keyed by ``rehearsal_id`` and ``path``.

Plain DataFrames with fixed columns (empty tables keep their columns) so that notebooks, a cache
or a Parquet export for DuckDB / Spark can use them without knowing the loaders.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
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


# Columns with few distinct values repeated on every row: stored once each as categories, they
# cost a small integer per row, not a string object (a year of rehearsals is millions of rows).
CATEGORICAL_COLUMNS = frozenset(
    {"rehearsal_id", "kind", "status", "severity", "code", "framework", "result", "topic",
     "source", "service", "section", "suite", "parent"}
)  # fmt: skip


def _frame(columns: dict[str, list[Any]], names: list[str]) -> pd.DataFrame:
    empty = not columns[names[0]]
    frame = pd.DataFrame([], columns=names) if empty else pd.DataFrame(columns, columns=names)
    for column in CATEGORICAL_COLUMNS.intersection(names):
        frame[column] = frame[column].astype("category")
    return frame


def _columns(record_type: type) -> list[str]:
    return ["rehearsal_id", "path", *(f.name for f in fields(record_type))]


# The tables filled from a list of records on each extract: table -> (attribute, record type).
_PER_KIND: dict[str, tuple[str, type]] = {
    "checks": ("checks", model.CheckResult),
    "commands": ("commands", model.CommandResult),
    "test_cases": ("test_cases", model.TestCaseResult),
    "recorded_verdicts": ("verdicts", model.RecordedVerdict),
    "roles": ("roles", model.RoleAssignment),
    "facts": ("facts", model.Fact),
}
COLUMNS: dict[str, list[str]] = {
    "rehearsals": ["rehearsal_id", "order", "date", "started_at", "service", "kind", "title",
                   "folder"],
    "artifacts": ["rehearsal_id", "path", "kind", "detail", "status", "reason", "sha256", "size"],
    "findings": ["rehearsal_id", "path", "severity", "code", "message", "pointer"],
    "captured_commands": CAPTURED_COLUMNS,
    "envelopes": ["rehearsal_id", "path", "pointer", "http_status", "service_contract_version",
                  "error_code", "fields"],
    **{table: _columns(record_type) for table, (_, record_type) in _PER_KIND.items()},
}  # fmt: skip


def _add(columns: dict[str, list[Any]], row: dict[str, Any]) -> None:
    for name, value in row.items():
        columns[name].append(value)


def build_tables(
    rehearsals: list[Rehearsal],
    outcomes: Iterable[FileOutcome],
    names: Collection[str] = TABLE_NAMES,
) -> dict[str, pd.DataFrame]:
    """Flatten outcomes and extracts into tidy tables keyed by rehearsal and file.

    Only the tables in ``names`` are built, in one pass over ``outcomes``, column by column: a
    year of rehearsals is millions of rows, and a dictionary per row held them several times over.
    """
    wanted = [name for name in TABLE_NAMES if name in names]
    columns: dict[str, dict[str, list[Any]]] = {
        name: {column: [] for column in COLUMNS[name]} for name in wanted
    }
    per_kind = [
        (columns[table], attribute, [f.name for f in fields(kind)])
        for table, (attribute, kind) in _PER_KIND.items()
        if table in columns
    ]
    artifacts, findings = columns.get("artifacts"), columns.get("findings")
    envelopes, captured = columns.get("envelopes"), columns.get("captured_commands")
    needs_extract = bool(per_kind) or envelopes is not None or captured is not None
    for outcome in outcomes:
        rehearsal_id, path = outcome.rehearsal_id, outcome.path
        if artifacts is not None:
            _add(
                artifacts,
                {
                    "rehearsal_id": rehearsal_id,
                    "path": path,
                    "kind": outcome.kind,
                    "detail": outcome.extract.detail if outcome.extract else "",
                    "status": str(outcome.status),
                    "reason": outcome.reason,
                    "sha256": outcome.sha256,
                    "size": outcome.size,
                },
            )
        if findings is not None:
            for finding in outcome.findings:
                _add(findings, {"rehearsal_id": rehearsal_id, "path": path, **finding.as_dict()})
        extract = outcome.extract
        if extract is None or not needs_extract:
            continue
        if captured is not None and isinstance(extract.document, CommandLog):
            for row in captured_rows(rehearsal_id, path, extract.document):
                _add(captured, row)
        for table, attribute, field_names in per_kind:
            items = getattr(extract, attribute)
            table["rehearsal_id"].extend([rehearsal_id] * len(items))
            table["path"].extend([path] * len(items))
            for name in field_names:
                table[name].extend([getattr(item, name) for item in items])
        if envelopes is not None:
            for envelope in extract.envelopes:
                _add(
                    envelopes,
                    {
                        "rehearsal_id": rehearsal_id,
                        "path": path,
                        "pointer": envelope.pointer,
                        "http_status": envelope.http_status,
                        "service_contract_version": envelope.body.get("service_contract_version"),
                        "error_code": _error_code(envelope.body),
                        "fields": ",".join(sorted(envelope.field_paths())),
                    },
                )
    if "rehearsals" in columns:
        for index, r in enumerate(rehearsals):
            _add(
                columns["rehearsals"],
                {
                    "rehearsal_id": r.id,
                    "order": index,
                    "date": r.date,
                    "started_at": r.started_at,
                    "service": r.service,
                    "kind": r.kind,
                    "title": r.title,
                    "folder": r.folder,
                },
            )
    return {name: _frame(columns[name], COLUMNS[name]) for name in wanted}
