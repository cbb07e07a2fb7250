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
    """The table of ``columns`` (emptied as it goes): each list is converted and let go before
    the next, so a million-row table never holds every list and every column at once."""
    if not columns[names[0]]:
        frame = pd.DataFrame([], columns=names)
        for column in CATEGORICAL_COLUMNS.intersection(names):
            frame[column] = frame[column].astype("category")
        return frame
    series: dict[str, pd.Series] = {}
    for name in names:
        values = pd.Series(columns.pop(name))
        series[name] = values.astype("category") if name in CATEGORICAL_COLUMNS else values
    return pd.DataFrame(series)


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


# How a record's text fields are annotated (postponed annotations are strings).
_TEXT = ("str", str)


def _add(columns: dict[str, list[Any]], row: dict[str, Any]) -> None:
    for name, value in row.items():
        columns[name].append(value)


# The tables whose rows all come from files' extracts (not the rehearsal list, nor every outcome).
EXTRACT_TABLES = (
    *_PER_KIND,
    "envelopes",
    "captured_commands",
)


class TableBuilder:
    """Ledger tables filled file by file, column by column, then made DataFrames at once.

    A year of rehearsals is millions of rows, and a dictionary per row held them several times
    over. Rows may be added in another order than the tables keep: :meth:`place` starts a group
    of rows with the position it takes among the groups (see :func:`build_tables`).
    """

    def __init__(self, names: Collection[str] = TABLE_NAMES) -> None:
        self.names = [name for name in TABLE_NAMES if name in names]
        self._columns: dict[str, dict[str, list[Any]]] = {
            name: {column: [] for column in COLUMNS[name]} for name in self.names
        }
        columns = self._columns
        self._per_kind = [
            (
                columns[table],
                attribute,
                [f.name for f in fields(kind) if f.type not in _TEXT],
                [f.name for f in fields(kind) if f.type in _TEXT],
            )
            for table, (attribute, kind) in _PER_KIND.items()
            if table in columns
        ]
        # One object per distinct text: each file unpacked brings its own copy of the same test
        # names, suites and pointers, and the columns would keep every copy until the end.
        # Only plain strings: an enum member (a case status) stays itself.
        self._texts: dict[str, str] = {}
        self._artifacts, self._findings = columns.get("artifacts"), columns.get("findings")
        self._envelopes = columns.get("envelopes")
        self._captured = columns.get("captured_commands")
        self._needs_extract = (
            bool(self._per_kind) or self._envelopes is not None or self._captured is not None
        )
        # (position, first row of the group in each table) of every group started by place().
        self._groups: list[tuple[int, dict[str, int]]] = []

    def place(self, position: int) -> None:
        """The rows added from now on come at ``position`` among the groups in the tables; rows
        added before the first call come first, and each group keeps its own rows' order."""
        starts = {name: len(columns[COLUMNS[name][0]]) for name, columns in self._columns.items()}
        self._groups.append((position, starts))

    def add(self, outcome: FileOutcome) -> None:
        """The rows of one file (its artifact and findings rows, and its extract's)."""
        rehearsal_id, path = outcome.rehearsal_id, outcome.path
        if self._artifacts is not None:
            _add(
                self._artifacts,
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
        if self._findings is not None:
            for finding in outcome.findings:
                _add(
                    self._findings,
                    {"rehearsal_id": rehearsal_id, "path": path, **finding.as_dict()},
                )
        extract = outcome.extract
        if extract is None or not self._needs_extract:
            return
        if self._captured is not None and isinstance(extract.document, CommandLog):
            for row in captured_rows(rehearsal_id, path, extract.document):
                _add(self._captured, row)
        texts = self._texts
        for table, attribute, plain, text in self._per_kind:
            items = getattr(extract, attribute)
            if not items:  # most files hold no record of most kinds
                continue
            table["rehearsal_id"].extend([rehearsal_id] * len(items))
            table["path"].extend([path] * len(items))
            for name in plain:
                table[name].extend([getattr(item, name) for item in items])
            for name in text:
                values = [getattr(item, name) for item in items]
                table[name].extend(
                    [texts.setdefault(v, v) if type(v) is str else v for v in values]
                )
        if self._envelopes is not None:
            for envelope in extract.envelopes:
                _add(
                    self._envelopes,
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

    def add_rehearsals(self, rehearsals: list[Rehearsal]) -> None:
        """The ``rehearsals`` table: a row per rehearsal, ``order`` its index in ``rehearsals``."""
        if "rehearsals" not in self._columns:
            return
        for index, r in enumerate(rehearsals):
            _add(
                self._columns["rehearsals"],
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

    def frames(self) -> dict[str, pd.DataFrame]:
        """The tables, each column list handed to pandas once (the builder is spent after)."""
        tables = {}
        for name in self.names:
            columns = self._columns.pop(name)
            if self._groups:
                _arrange(columns, self._blocks(name, len(columns[COLUMNS[name][0]])))
            tables[name] = _frame(columns, COLUMNS[name])
        return tables

    def _blocks(self, name: str, rows: int) -> list[tuple[int, int]]:
        """The (start, end) row ranges of one table in the order the groups' positions give."""
        bounds = [(-1, 0)] + [(position, starts[name]) for position, starts in self._groups]
        ends = [start for _, start in bounds[1:]] + [rows]
        ranges = [
            (position, start, end) for (position, start), end in zip(bounds, ends, strict=True)
        ]
        return [(start, end) for _, start, end in sorted(ranges, key=lambda item: item[0])]


def _arrange(columns: dict[str, list[Any]], blocks: list[tuple[int, int]]) -> None:
    """Put every column's rows in the order of ``blocks``, one column at a time."""
    if blocks == sorted(blocks):
        return
    for name, values in columns.items():
        columns[name] = [value for start, end in blocks for value in values[start:end]]


def build_tables(
    rehearsals: list[Rehearsal],
    outcomes: Iterable[FileOutcome],
    names: Collection[str] = TABLE_NAMES,
) -> dict[str, pd.DataFrame]:
    """Flatten outcomes and extracts into tidy tables keyed by rehearsal and file.

    Only the tables in ``names`` are built, in one pass over ``outcomes``, in their order.
    """
    builder = TableBuilder(names)
    for outcome in outcomes:
        builder.add(outcome)
    builder.add_rehearsals(rehearsals)
    return builder.frames()
