"""``cutover-kit export``: the Parquet dataset reads back in DuckDB with every row accounted for."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE_DIR

from cutover_kit.api import load_corpus
from cutover_kit.cli import main
from cutover_kit.export import parquet
from cutover_kit.export.parquet import MANIFEST

TABLES = (
    "rehearsals", "artifacts", "checks", "commands", "test_cases", "envelopes",
    "recorded_verdicts", "roles", "facts", "findings", "captured_commands", "gates", "verdicts",
)  # fmt: skip


def read(out: Path, table: str) -> duckdb.DuckDBPyRelation:
    return duckdb.sql(
        f"select * from read_parquet('{out / table}/**/*.parquet', hive_partitioning = true)"
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "dataset"
    assert main(["export", str(SAMPLE_DIR), "--to", str(out), "--no-cache"]) == 0
    return out


def expected_rows() -> dict[str, int]:
    corpus = load_corpus(SAMPLE_DIR)
    rows = {name: len(frame) for name, frame in corpus.ledger.tables.items()}
    return rows | {"gates": len(corpus.gate_frame()), "verdicts": len(corpus.verdict_frame())}


def test_every_table_reads_back_with_its_row_count(exported: Path) -> None:
    expected = expected_rows()
    assert tuple(expected) == TABLES
    manifest = json.loads((exported / MANIFEST).read_text("utf-8"))
    for name, rows in expected.items():
        [(read_back,)] = read(exported, name).aggregate("count(*)").fetchall()
        assert read_back == rows == manifest["tables"][name]["rows"], name
    assert manifest["rehearsals"] == len(load_corpus(SAMPLE_DIR).ledger.rehearsals)


def test_batches_of_rehearsals_write_the_same_rows(
    tmp_path: Path, exported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet, "CHUNK_REHEARSALS", 4)
    out = tmp_path / "batched"
    assert main(["export", str(SAMPLE_DIR), "--to", str(out), "--no-cache", "--jobs", "1"]) == 0
    for name in TABLES:
        query = "select * from read_parquet('{}/**/*.parquet', hive_partitioning = true)"
        once = duckdb.sql(query.format(exported / name) + " order by all").fetchall()
        batched = duckdb.sql(query.format(out / name) + " order by all").fetchall()
        assert batched == once, name
    orders = duckdb.sql(query.format(out / "rehearsals") + ' order by "order"').fetchall()
    ids = [r.id for r in load_corpus(SAMPLE_DIR).ledger.rehearsals]
    assert [row[0] for row in orders] == ids


def test_partitions_are_service_and_month_of_the_rehearsal(exported: Path) -> None:
    months = duckdb.sql(
        f"select month, count(*) from read_parquet('{exported}/verdicts/**/*.parquet',"
        " hive_partitioning = true) group by month order by month"
    ).fetchall()
    dates = [r.date for r in load_corpus(SAMPLE_DIR).ledger.rehearsals]
    expected = sorted({(d[:7], sum(e[:7] == d[:7] for e in dates)) for d in dates})
    assert months == expected
    assert len(months) >= 3
    services = duckdb.sql(
        f"select distinct service from read_parquet('{exported}/gates/**/*.parquet',"
        " hive_partitioning = true)"
    ).fetchall()
    assert services == [("memorykernel/assistsupport",)]
    # The generator's marker lies beside the rehearsals: no service, no month.
    stray = duckdb.sql(
        f"select path from read_parquet('{exported}/artifacts/**/*.parquet',"
        " hive_partitioning = true) where service is null"
    ).fetchall()
    assert stray == [(".cutover-kit-sample",)]


def test_gates_and_verdicts_match_the_engine(exported: Path) -> None:
    corpus = load_corpus(SAMPLE_DIR)
    verdicts = {v.rehearsal.id: v for v in corpus.evaluate_all()}
    rows = duckdb.sql(
        f"select rehearsal_id, rehearsal_continuation, runtime_cutover, fallback_regressions"
        f" from read_parquet('{exported}/verdicts/**/*.parquet', hive_partitioning = true)"
    ).fetchall()
    assert {r[0]: r[1:] for r in rows} == {
        rid: (v.rehearsal_continuation, v.runtime_cutover, v.regressions)
        for rid, v in verdicts.items()
    }
    failing = duckdb.sql(
        f"select rehearsal_id, gate from read_parquet('{exported}/gates/**/*.parquet',"
        " hive_partitioning = true) where status = 'fail' order by rehearsal_id, gate"
    ).fetchall()
    assert failing == sorted(
        (rid, gate.id) for rid, v in verdicts.items() for gate in v.gates if gate.status == "fail"
    )


def test_typed_columns(exported: Path) -> None:
    types = dict(
        duckdb.sql(
            f"select column_name, column_type from (describe select * from read_parquet("
            f"'{exported}/commands/**/*.parquet', hive_partitioning = true))"
        ).fetchall()
    )
    assert types["line"] == "BIGINT"
    assert types["exit_code"] == "BIGINT"
    assert types["duration_s"] == "DOUBLE"
    assert types["command"] == "VARCHAR"


def test_export_refuses_a_folder_it_did_not_write(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, exported: Path
) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", "utf-8")
    assert main(["export", str(SAMPLE_DIR), "--to", str(precious), "--no-cache"]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert (precious / "notes.txt").read_text("utf-8") == "keep me"
    # Its own earlier export is replaced.
    assert main(["export", str(SAMPLE_DIR), "--to", str(exported), "--no-cache"]) == 0
