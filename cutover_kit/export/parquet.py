"""``cutover-kit export``: every ledger table, gate result and verdict as one Parquet dataset.

When a program holds more rehearsals than one notebook should load, DuckDB, Spark or any Arrow
engine can query the export instead. Each table is a folder of Hive-style partitions,
``<table>/service=<service>/month=<YYYY-MM>/part-<batch>-0.parquet``, so a query for one service
or one quarter reads only those files. Files outside any rehearsal (and evidence of a folder
whose id is already used) have no service or month: they sit in the default (null) partition.
Columns are typed by :data:`INTEGER_COLUMNS` and :data:`FLOAT_COLUMNS`; every other column is a
string (a JSON value that is not a string, such as a number where a version was expected, is
written as its JSON text). ``_export.json`` at the top lists the tables, their columns and types,
and their row counts; the README documents each column.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from cutover_kit.errors import ExportError
from cutover_kit.evidence.ledger import Rehearsal
from cutover_kit.evidence.packing import repacked
from cutover_kit.evidence.reader import FileOutcome
from cutover_kit.evidence.tables import build_tables
from cutover_kit.output.folders import empty_folder
from cutover_kit.verdict.corpus import Corpus

EXPORT_FORMAT = "cutover-kit/export.v1"
MANIFEST = "_export.json"
PARTITIONS = ("service", "month")
# How Hive-style writers (Arrow, Spark) name the partition of a null value.
_NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
# Rehearsals whose rows are built and written at once (bounds the export's memory).
CHUNK_REHEARSALS = 500
INTEGER_COLUMNS = frozenset(
    {
        "order",
        "size",
        "line",
        "exit_code",
        "signal",
        "http_status",
        "fallback_regressions",
        "unbacked_recorded_verdicts",
    }
)
FLOAT_COLUMNS = frozenset({"duration_s"})  # and every other column is a string


def _chunks(corpus: Corpus) -> Iterator[tuple[list[Rehearsal], list[FileOutcome]]]:
    """Rehearsals a batch at a time with their files; files of no rehearsal come first."""
    ledger = corpus.ledger
    known = {r.id for r in ledger.rehearsals}
    yield [], [o for o in ledger.outcomes if o.rehearsal_id not in known]
    for start in range(0, len(ledger.rehearsals), CHUNK_REHEARSALS):
        batch = ledger.rehearsals[start : start + CHUNK_REHEARSALS]
        yield batch, [o for r in batch for o in ledger.files(r.id)]


def export_frames(corpus: Corpus) -> Iterator[tuple[str, pd.DataFrame]]:
    """(table name, rows) of every ledger table a batch of rehearsals at a time, then ``gates``
    (one row per rehearsal and gate) and ``verdicts`` (one per rehearsal).

    A year of rehearsals is millions of rows: built all at once as Python rows they would take
    gigabytes, so each batch's rows are written and dropped before the next is built, and its
    cached records are packed again.
    """
    order = 0
    for batch, outcomes in _chunks(corpus):
        tables = build_tables(batch, outcomes)
        tables["rehearsals"]["order"] += order
        order += len(batch)
        yield from tables.items()
        for outcome in outcomes:
            outcome.extract = repacked(outcome.extract)
    yield "gates", corpus.gate_frame()
    yield "verdicts", corpus.verdict_frame()


def _string(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def _integer(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if math.isnan(value) else float(value)


def _column(name: str, values: list[Any]) -> pa.Array:
    if name in INTEGER_COLUMNS:
        return pa.array([_integer(v) for v in values], type=pa.int64())
    if name in FLOAT_COLUMNS:
        return pa.array([_float(v) for v in values], type=pa.float64())
    return pa.array([_string(v) for v in values], type=pa.string())


def arrow_table(frame: pd.DataFrame, partitions: dict[str, tuple[str, str | None]]) -> pa.Table:
    """A typed Arrow table of ``frame`` with ``service`` and ``month`` from its rehearsal (a
    rehearsal without a date has no month: the null partition)."""
    ids = frame["rehearsal_id"].tolist()
    columns = {
        name: _column(name, frame[name].tolist()) for name in frame.columns if name != "service"
    }
    for index, key in enumerate(PARTITIONS):
        columns[key] = pa.array(
            [partitions[i][index] if i in partitions else None for i in ids], type=pa.string()
        )
    return pa.table(columns)


def _prepare(out_dir: Path) -> None:
    """An empty folder, or one an earlier export wrote (its manifest says so): cleared."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        manifest = out_dir / MANIFEST
        try:
            ours = json.loads(manifest.read_text("utf-8")).get("format") == EXPORT_FORMAT
        except (OSError, ValueError, AttributeError):
            ours = False
        if manifest.is_symlink() or not ours:
            raise ExportError(
                f"{out_dir} is not empty and holds no {MANIFEST} of an earlier export; "
                "refusing to overwrite it (choose an empty or new folder)"
            )
        empty_folder(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)


def _write_empty(table_dir: Path, columns: dict[str, str]) -> None:
    """A table without rows still reads back (as zero rows): one empty file in the null
    partition, so every engine finds the table and its columns."""
    types = {"int64": pa.int64(), "double": pa.float64()}
    schema = pa.schema(
        [(name, types.get(kind, pa.string())) for name, kind in columns.items()
         if name not in PARTITIONS]
    )  # fmt: skip
    folder = table_dir.joinpath(*(f"{key}={_NULL_PARTITION}" for key in PARTITIONS))
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(schema.empty_table(), folder / "part-empty.parquet")


def write_export(corpus: Corpus, out_dir: Path) -> dict[str, int]:
    """Write the dataset under ``out_dir``; returns the row count of each table."""
    _prepare(out_dir)
    partitions = {
        r.id: (r.service, r.date[:7] if len(r.date) >= 7 else None)
        for r in corpus.ledger.rehearsals
    }
    months = set(partitions.values()) or {("", "")}
    partitioning = ds.partitioning(
        pa.schema([(key, pa.string()) for key in PARTITIONS]), flavor="hive"
    )
    columns: dict[str, dict[str, str]] = {}
    counts: dict[str, int] = {}
    for batch, (name, frame) in enumerate(export_frames(corpus)):
        table = arrow_table(frame, partitions)
        columns.setdefault(name, {field.name: str(field.type) for field in table.schema})
        counts[name] = counts.get(name, 0) + table.num_rows
        if table.num_rows:
            ds.write_dataset(
                table,
                out_dir / name,
                format="parquet",
                partitioning=partitioning,
                basename_template=f"part-{batch}-{{i}}.parquet",
                use_threads=False,
                existing_data_behavior="overwrite_or_ignore",
                # Ten years of a dozen services is over a thousand service-month partitions.
                max_partitions=len(months) + 1,
                max_open_files=len(months) + 1,
            )
    for name, count in counts.items():
        if not count:
            _write_empty(out_dir / name, columns[name])
    manifest = {
        "format": EXPORT_FORMAT,
        "partitioning": {"flavor": "hive", "columns": list(PARTITIONS)},
        "rehearsals": len(corpus.ledger.rehearsals),
        "tables": {name: {"rows": counts[name], "columns": columns[name]} for name in counts},
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return counts
