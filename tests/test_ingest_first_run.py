"""A first run with several jobs walks and reads the rehearsal folders in the worker pool.

Nothing is cached yet, so the parent does not walk the corpus first: batches of rehearsal
folders go to the pool, and each process lists, checks and parses its own. The output must be
the bytes of the plain loop (one process, no cache), on the sample corpus, on the hostile one
and on the real-world evidence, and the caches it writes must serve the next run whole.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from bad_inputs.make_corpus import CASES, write_corpus
from conftest import REAL_WORLD, needs_real_world

from cutover_kit.cli import main
from cutover_kit.evidence import corpus, ingest, listing_cache
from cutover_kit.evidence.cache import CACHE_FOLDER, IngestCache, cache_file
from cutover_kit.evidence.ledger import load_ledger
from cutover_kit.evidence.listing_cache import LISTING_FILE
from cutover_kit.evidence.reader import DEFAULT_MAX_BYTES

COMMANDS = (["validate", "--format", "json"], ["verdict", "--format", "json"])


def outputs(capsys: pytest.CaptureFixture[str], data_dir: Path, *extra: str) -> list[str]:
    """validate and verdict, as JSON, with the given ingest options."""
    rendered = []
    for command in COMMANDS:
        main([command[0], str(data_dir), *command[1:], *extra])
        rendered.append(capsys.readouterr().out)
    return rendered


@pytest.fixture
def folder_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Take the first-run path however few the rehearsals; count the runs that took it."""
    monkeypatch.setattr(ingest, "POOL_MIN_FOLDERS", 0)
    runs: list[int] = []
    original = ingest.read_folders_parallel

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(ingest, "read_folders_parallel", counted)
    return runs


def counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    """The calls made from now on to ``module.name`` (its first argument each)."""
    calls: list[object] = []
    original: Callable[..., object] = getattr(module, name)

    def counted(first, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(first)
        return original(first, *args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_the_sample_read_in_the_pool_gives_the_bytes_of_the_plain_loop_and_a_whole_cache(
    capsys: pytest.CaptureFixture[str],
    sample_copy: Path,
    folder_runs: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference = outputs(capsys, sample_copy, "--no-cache", "--jobs", "1")
    assert folder_runs == []
    assert outputs(capsys, sample_copy, "--no-cache", "--jobs", "2") == reference
    assert len(folder_runs) == 2  # validate and verdict, both through the pool's walk
    assert not (sample_copy / CACHE_FOLDER).exists()
    assert outputs(capsys, sample_copy, "--jobs", "2")[:1] == reference[:1]  # writes the caches
    assert len(folder_runs) == 3  # verdict found the cache validate wrote: the usual path
    # The next run trusts every listing and row the pool's run kept (no margin: see
    # test_folder_listings): it lists no folder and parses no file.
    monkeypatch.setattr(listing_cache, "RACY_NS", 0)
    listed = counting(monkeypatch, corpus, "_listing")
    parsed = counting(monkeypatch, ingest, "read_task")
    assert outputs(capsys, sample_copy, "--jobs", "2") == reference
    assert (listed, parsed, len(folder_runs)) == ([], [], 3)


def test_its_caches_hold_what_a_walk_in_one_process_keeps(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, folder_runs: list[int]
) -> None:
    def kept() -> tuple[list[dict[str, object]], list[tuple[str, str | None]]]:
        listings = pq.read_table(sample_copy / CACHE_FOLDER / LISTING_FILE).sort_by("folder")
        stored = IngestCache.open(
            cache_file(sample_copy, None),
            DEFAULT_MAX_BYTES,
            load_ledger,  # type: ignore[arg-type]
        ).stored
        assert stored is not None
        rows = sorted((rel, stored.identities[row]) for rel, row in stored.index.items())
        shutil.rmtree(sample_copy / CACHE_FOLDER)
        return listings.to_pylist(), rows

    outputs(capsys, sample_copy, "--jobs", "1")
    walked = kept()
    outputs(capsys, sample_copy, "--jobs", "2")
    assert folder_runs == [1]
    assert kept() == walked
    assert len(walked[0]) > 15 and len(walked[1]) > 200


@pytest.mark.usefixtures("folder_runs")
def test_hostile_evidence_read_in_the_pool_gives_the_same_bytes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Links in and out, pipes, names that are not UTF-8, unreadable and empty folders."""
    hostile = write_corpus(tmp_path / "hostile", tuple(case for case in CASES if not case.large))
    cache = str(tmp_path / "cache")
    reference = outputs(capsys, hostile, "--no-cache", "--jobs", "1")
    assert outputs(capsys, hostile, "--no-cache", "--jobs", "2") == reference
    assert outputs(capsys, hostile, "--cache", cache, "--jobs", "2") == reference
    assert outputs(capsys, hostile, "--cache", cache, "--jobs", "1") == reference  # read back


@needs_real_world
def test_the_real_world_evidence_read_in_the_pool_gives_the_same_bytes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, folder_runs: list[int]
) -> None:
    reference = outputs(capsys, REAL_WORLD, "--no-cache", "--jobs", "1")
    assert outputs(capsys, REAL_WORLD, "--no-cache", "--jobs", "2") == reference
    assert folder_runs == [1, 1]


@pytest.mark.parametrize("damage", ["garbage", "other-version"])
def test_a_cache_that_cannot_be_reused_makes_a_first_run_and_still_warns(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, folder_runs: list[int], damage: str
) -> None:
    """After an upgrade every file is parsed again: the pool walks the folders too."""
    reference = outputs(capsys, sample_copy, "--no-cache", "--jobs", "1")
    outputs(capsys, sample_copy, "--jobs", "1")
    path = cache_file(sample_copy, None)
    if damage == "garbage":
        path.write_bytes(b"PAR1 this is not parquet")
    else:
        table = pq.read_table(path)
        meta = dict(table.schema.metadata)
        meta[b"fingerprint"] = b"written-by-another-version"
        pq.write_table(table.replace_schema_metadata(meta), path)
    main(["validate", str(sample_copy), "--format", "json", "--jobs", "2"])
    validate, err = capsys.readouterr()
    assert (validate, folder_runs) == (reference[0], [1])
    assert "cutover-kit: warning: cache" in err and "rebuilding" in err
    main(["validate", str(sample_copy), "--format", "json", "--jobs", "2"])
    assert capsys.readouterr() == (reference[0], "")  # rebuilt: used silently, no first run
    assert folder_runs == [1]
