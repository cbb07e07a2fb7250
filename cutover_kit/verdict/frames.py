"""The corpus-wide verdict frames, built in one pass over the verdicts of every rehearsal.

Each frame is filled column by column while the evaluator streams the verdicts, so no verdict
outlives its rehearsal and no row is ever a dictionary: over a year of rehearsals the verdicts
and the row dictionaries cost more memory than the frames. Ledger tables of extracts (the
trend's ``test_cases`` and ``commands``) can be built in the same pass, from each rehearsal's
files while the evaluator has them unpacked, instead of unpacking every file a second time.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cutover_kit.errors import UnknownNameError
from cutover_kit.evidence.ledger import Ledger
from cutover_kit.evidence.tables import EXTRACT_TABLES, TableBuilder
from cutover_kit.verdict.evaluator import Evaluator
from cutover_kit.verdict.model import Verdict
from cutover_kit.verdict.values import AuditStatus

VERDICT_COLUMNS = [
    "rehearsal_id",
    "date",
    "kind",
    "rehearsal_continuation",
    "runtime_cutover",
    "fallback_regressions",
    "unbacked_recorded_verdicts",
    "cutover_completion",
    "service",
    "previous_id",
    "order",
]
GATE_COLUMNS = ["rehearsal_id", "order", "date", "gate", "category", "status", "detail"]
REASON_COLUMNS = ["rehearsal_id", "verdict", "gate", "sentence", "evidence"]
FALLBACK_COLUMNS = [
    "rehearsal_id",
    "date",
    "scenario",
    "executed",
    "regressions",
    "recurring",
    "fixed",
    "new_failing",
    "lost_coverage",
]
FALLBACK_CASE_COLUMNS = ["rehearsal_id", "scenario", "case", "change"]
COMPLETION_COLUMNS = [
    "rehearsal_id",
    "order",
    "date",
    "completion",
    "item",
    "description",
    "status",
    "detail",
    "evidence",
]
# The fallback changes a case can show, as ScenarioDelta names them and as the frame does.
_CHANGES = {
    "regressions": "regression",
    "recurring": "recurring",
    "fixed": "fixed",
    "new_failing": "new_failing",
}


@dataclass(frozen=True)
class VerdictFrames:
    """Every per-rehearsal frame of a corpus (see :class:`~cutover_kit.verdict.corpus.Corpus`),
    and the ledger tables asked for with them, by name."""

    verdicts: pd.DataFrame
    gates: pd.DataFrame
    reasons: pd.DataFrame
    fallback: pd.DataFrame
    fallback_cases: pd.DataFrame
    completion: pd.DataFrame
    tables: dict[str, pd.DataFrame]


class _Columns:
    """One frame's columns, appended row by row."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.values: dict[str, list[Any]] = {name: [] for name in names}

    def add(self, *row: Any) -> None:
        for values, value in zip(self.values.values(), row, strict=True):
            values.append(value)

    def frame(self, keep_columns: bool = True) -> pd.DataFrame:
        """The frame; an empty one keeps its columns unless ``keep_columns`` is false (the
        verdict and fallback frames have always been bare when empty). Each column list is
        converted and let go before the next (the columns are spent after)."""
        if not self.values[self.names[0]]:
            return pd.DataFrame([], columns=self.names if keep_columns else None)
        return pd.DataFrame({name: pd.Series(self.values.pop(name)) for name in self.names})


def _add_verdict(frames: dict[str, _Columns], order: int, v: Verdict) -> None:
    """The rows of one verdict in every frame."""
    rehearsal, rehearsal_id, date = v.rehearsal, v.rehearsal.id, v.rehearsal.date
    unbacked = sum(a.status is AuditStatus.UNBACKED for a in v.audit)
    frames["verdicts"].add(
        rehearsal_id,
        date,
        rehearsal.kind,
        v.rehearsal_continuation,
        v.runtime_cutover,
        v.regressions,
        unbacked,
        v.completion.status,
        rehearsal.service,
        v.previous_id or "",
        order,
    )
    for gate in v.gates:
        frames["gates"].add(
            rehearsal_id, order, date, gate.id, gate.category, str(gate.status), gate.detail
        )
    for reason in v.reasons:
        frames["reasons"].add(
            rehearsal_id, reason.verdict, reason.gate, reason.sentence, reason.evidence
        )
    for scenario, delta in v.fallback.items():
        frames["fallback"].add(
            rehearsal_id,
            date,
            scenario,
            delta.executed,
            len(delta.regressions),
            len(delta.recurring),
            len(delta.fixed),
            len(delta.new_failing),
            delta.executed == 0,
        )
        for change, name in _CHANGES.items():
            for case in getattr(delta, change):
                frames["fallback_cases"].add(rehearsal_id, scenario, case, name)
    for item in v.completion.items:
        frames["completion"].add(
            rehearsal_id,
            order,
            date,
            v.completion.status,
            item.id,
            item.description,
            str(item.status),
            item.detail,
            "; ".join(ref.label() for ref in item.evidence),
        )


def _positions(ledger: Ledger) -> dict[str, int]:
    """Where each rehearsal's extracts start among the ledger's files, the order its tables
    keep (rehearsals are evaluated by date, and folders are read by name)."""
    first: dict[str, int] = {}
    for index, outcome in enumerate(ledger.outcomes):
        if outcome.extract is not None:
            first.setdefault(outcome.rehearsal_id, index)
    return first


def verdict_frames(evaluator: Evaluator, tables: Collection[str] = ()) -> VerdictFrames:
    """Every verdict frame from one pass over ``evaluator``'s verdicts, with the named tables of
    :data:`~cutover_kit.evidence.tables.EXTRACT_TABLES` built from the same read of each file
    (row for row as :meth:`~cutover_kit.evidence.ledger.Ledger.tables_of` builds them)."""
    for name in tables:
        if name not in EXTRACT_TABLES:
            raise UnknownNameError("table of extracts", name, list(EXTRACT_TABLES))
    frames = {
        "verdicts": _Columns(VERDICT_COLUMNS),
        "gates": _Columns(GATE_COLUMNS),
        "reasons": _Columns(REASON_COLUMNS),
        "fallback": _Columns(FALLBACK_COLUMNS),
        "fallback_cases": _Columns(FALLBACK_CASE_COLUMNS),
        "completion": _Columns(COMPLETION_COLUMNS),
    }
    ledger = evaluator.ledger
    builder = TableBuilder(tables)
    positions = _positions(ledger) if tables else {}
    for order, verdict in enumerate(evaluator.verdicts()):
        _add_verdict(frames, order, verdict)
        rehearsal_id = verdict.rehearsal.id
        if rehearsal_id in positions:  # else the rehearsal has no extract, so no row
            builder.place(positions[rehearsal_id])
            for outcome in ledger.files(rehearsal_id):
                builder.add(outcome)
    return VerdictFrames(
        verdicts=frames["verdicts"].frame(keep_columns=False),
        gates=frames["gates"].frame(),
        reasons=frames["reasons"].frame(),
        fallback=frames["fallback"].frame(keep_columns=False),
        fallback_cases=frames["fallback_cases"].frame(),
        completion=frames["completion"].frame(),
        tables=builder.frames(),
    )
