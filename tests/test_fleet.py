"""The fleet generator (many producer/consumer pairs) and per-service results over one corpus."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLE_DIR

from cutover_kit.api import Corpus, load_corpus
from cutover_kit.cli import main
from cutover_kit.samples.fleet import REFERENCE_SERVICE, generate_fleet, service_name

SERVICES = 3
PER_SERVICE = 16


def pattern(frame, service: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    rows = frame[frame["service"] == service]
    return list(zip(rows["rehearsal_continuation"], rows["runtime_cutover"], strict=True))


@pytest.fixture(scope="module")
def fleet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fleet") / "rehearsals"
    ids = generate_fleet(out, rehearsals=SERVICES * PER_SERVICE + 1, services=SERVICES)
    assert len(ids) == len(set(ids)) == SERVICES * PER_SERVICE + 1
    return out


@pytest.fixture(scope="module")
def fleet(fleet_dir: Path) -> Corpus:
    return load_corpus(fleet_dir)


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The reference pair rehearsing on its own."""
    out = tmp_path_factory.mktemp("alone") / "rehearsals"
    generate_fleet(out, rehearsals=PER_SERVICE + 1, services=1)
    return load_corpus(out)


def test_fleet_generation_is_deterministic(fleet_dir: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate_fleet(again, rehearsals=SERVICES * PER_SERVICE + 1, services=SERVICES)
    files = sorted(p.relative_to(fleet_dir) for p in fleet_dir.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert all((fleet_dir / f).read_bytes() == (again / f).read_bytes() for f in files)


def test_every_file_is_accepted_and_services_share_the_calendar(fleet: Corpus) -> None:
    counts = fleet.ledger.counts()
    assert counts["rejected"] == 0
    assert counts["ignored"] == 1  # the generator's marker
    services = [r.service for r in fleet.ledger.rehearsals]
    assert {s: services.count(s) for s in set(services)} == {
        REFERENCE_SERVICE: PER_SERVICE + 1,
        service_name(1): PER_SERVICE,
        service_name(2): PER_SERVICE,
    }
    # Date order interleaves the pairs: neighbours in the corpus are other services.
    assert services[:SERVICES] == [REFERENCE_SERVICE, service_name(1), service_name(2)]


def test_a_fleet_rehearsal_has_about_a_hundred_test_cases(fleet: Corpus) -> None:
    """The context-card suite (in the JUnit report and the dry-run transcript) comes on top of
    the sample's suites; the bundled sample keeps its own count."""
    cases = fleet.ledger.tables_of("test_cases")["test_cases"]
    per_rehearsal = cases.groupby("rehearsal_id", observed=True).size()
    assert 95 <= per_rehearsal.mean() <= 105
    cards = cases[cases["name"].str.contains("context cards")]
    assert len(cards) == 2 * 13 * len(fleet.ledger.rehearsals)
    assert set(cards["status"]) == {"passed"}
    sample = load_corpus(SAMPLE_DIR).ledger.tables_of("test_cases")["test_cases"]
    assert not sample["name"].str.contains("context cards").any()


def test_each_service_decides_as_if_it_rehearsed_alone(fleet: Corpus, alone: Corpus) -> None:
    frame = fleet.verdict_frame()
    reference = pattern(alone.verdict_frame(), REFERENCE_SERVICE)
    assert ("NO-GO", "NO-GO") in reference
    assert ("GO", "GO") in reference
    assert pattern(frame, REFERENCE_SERVICE) == reference
    for index in (1, 2):
        assert pattern(frame, service_name(index)) == reference[:PER_SERVICE]
    assert set(frame["service"]) == {REFERENCE_SERVICE, service_name(1), service_name(2)}


def test_export_partitions_the_fleet_by_service(fleet_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    assert main(["export", str(fleet_dir), "--to", str(out), "--no-cache", "--jobs", "1"]) == 0
    rows = duckdb.sql(
        f"select service, count(*) from read_parquet('{out}/verdicts/**/*.parquet',"
        " hive_partitioning = true) group by service order by service"
    ).fetchall()
    assert rows == sorted(
        [(REFERENCE_SERVICE, PER_SERVICE + 1), (service_name(1), PER_SERVICE),
         (service_name(2), PER_SERVICE)]
    )  # fmt: skip


def test_sample_data_cli_writes_a_fleet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli-fleet"
    assert main(["sample-data", str(out), "--rehearsals", "5", "--services", "2"]) == 0
    assert "wrote 5 rehearsal(s) (r01..r05)" in capsys.readouterr().out
    assert main(["sample-data", str(tmp_path / "bad"), "--rehearsals", "1", "--services", "2"]) == 2
