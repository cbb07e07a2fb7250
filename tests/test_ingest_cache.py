"""The ingest cache and the worker pool change how fast the corpus is read, never what is read.

Every test compares real CLI output (``validate --format json``, ``verdict --format json``) on a
copy of the sample corpus with the cache cold, warm, deleted, damaged, shared by two processes,
and with one or two worker processes: the bytes must never differ.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cutover_kit.cli import main
from cutover_kit.errors import CacheWarning
from cutover_kit.evidence import ingest
from cutover_kit.evidence.cache import CACHE_FILE, CACHE_FOLDER, IngestCache, StoredRows
from cutover_kit.evidence.ingest import IngestOptions
from cutover_kit.evidence.ledger import load_ledger
from cutover_kit.evidence.listing_cache import LISTING_FILE
from cutover_kit.evidence.packing import decode
from cutover_kit.evidence.reader import DEFAULT_MAX_BYTES


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def outputs(capsys: pytest.CaptureFixture[str], data_dir: Path, *extra: str) -> tuple[str, str]:
    """(validate JSON, verdict JSON of the latest rehearsal) with the given ingest options."""
    _, validate, _ = run(capsys, "validate", data_dir, "--format", "json", *extra)
    code, verdict, err = run(capsys, "verdict", data_dir, "--format", "json", *extra)
    assert code == 0, err
    return validate, verdict


@pytest.fixture
def reference(capsys: pytest.CaptureFixture[str], sample_copy: Path) -> tuple[str, str]:
    """The outputs without cache and without worker processes."""
    return outputs(capsys, sample_copy, "--no-cache", "--jobs", "1")


def cache_path(data_dir: Path) -> Path:
    return data_dir / CACHE_FOLDER / CACHE_FILE


def live_rels(data_dir: Path) -> set[str]:
    """The paths the data folder's ingest cache holds live rows for."""
    cache = IngestCache.open(cache_path(data_dir), DEFAULT_MAX_BYTES, load_ledger)  # type: ignore[arg-type]
    assert cache.stored is not None
    return set(cache.stored.index)


def counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The relative paths of the files actually parsed from now on (cache misses)."""
    parsed: list[str] = []
    original = ingest.read_task

    def counted(task, *args, **kwargs):  # type: ignore[no-untyped-def]
        parsed.append(task.rel)
        return original(task, *args, **kwargs)

    monkeypatch.setattr(ingest, "read_task", counted)
    return parsed


def test_cold_warm_and_deleted_cache_give_identical_bytes(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, reference: tuple[str, str]
) -> None:
    assert not cache_path(sample_copy).exists()
    assert outputs(capsys, sample_copy, "--jobs", "1") == reference  # cold: writes the cache
    assert cache_path(sample_copy).is_file()
    assert outputs(capsys, sample_copy, "--jobs", "1") == reference  # warm
    shutil.rmtree(sample_copy / CACHE_FOLDER)
    assert outputs(capsys, sample_copy, "--jobs", "1") == reference  # deleted, rebuilt


def test_warm_run_parses_nothing_and_the_cache_never_counts_as_evidence(
    capsys: pytest.CaptureFixture[str],
    sample_copy: Path,
    reference: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outputs(capsys, sample_copy)
    parsed = counting_reads(monkeypatch)
    validate, _ = outputs(capsys, sample_copy)
    assert parsed == []
    assert validate == reference[0]
    assert f'"path": "{CACHE_FOLDER}/' not in validate


def test_one_worker_and_two_workers_give_identical_bytes(
    capsys: pytest.CaptureFixture[str],
    sample_copy: Path,
    reference: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ingest, "POOL_MIN_FILES", 0)  # the sample is small: use the pool anyway
    assert outputs(capsys, sample_copy, "--no-cache", "--jobs", "2") == reference
    assert outputs(capsys, sample_copy, "--jobs", "2") == reference  # cold cache, two workers
    assert outputs(capsys, sample_copy, "--jobs", "1") == reference  # warm, read back


def test_changed_added_and_deleted_files_are_all_seen(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs(capsys, sample_copy)
    transcript = next((sample_copy / "r14" / "transcripts").iterdir())
    transcript.write_bytes(transcript.read_bytes() + b"\n ELIFECYCLE  Command failed.\n")
    shutil.copytree(sample_copy / "r14", sample_copy / "r15-copy")
    (sample_copy / "r15-copy" / "session.toml").unlink()
    doomed = sample_copy / "r13" / "session.toml"
    doomed.unlink()
    parsed = counting_reads(monkeypatch)
    cached = outputs(capsys, sample_copy)
    files_in_new_folder = sum(1 for p in (sample_copy / "r15-copy").rglob("*") if p.is_file())
    assert sorted(parsed) == sorted(
        [transcript.relative_to(sample_copy).as_posix()]
        + [
            p.relative_to(sample_copy).as_posix()
            for p in (sample_copy / "r15-copy").rglob("*")
            if p.is_file()
        ]
    )
    assert len(parsed) == 1 + files_in_new_folder
    monkeypatch.undo()
    assert cached == outputs(capsys, sample_copy, "--no-cache", "--jobs", "1")
    rels = live_rels(sample_copy)  # the base file's rows and those added since, still live
    assert "r13/session.toml" not in rels
    assert "r15-copy/session.toml" not in rels
    assert transcript.relative_to(sample_copy).as_posix() in rels


def test_touched_file_with_same_content_is_not_parsed_again(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs(capsys, sample_copy)
    touched = sample_copy / "r02" / "session.toml"
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    parsed = counting_reads(monkeypatch)
    outputs(capsys, sample_copy)
    assert parsed == []  # size agreed, mtime did not: the sha256 decided


def test_same_size_edit_is_seen_even_within_one_timestamp_tick(
    capsys: pytest.CaptureFixture[str], sample_copy: Path
) -> None:
    target = sample_copy / "r14" / "session.toml"
    target.touch()  # written just before the run: its timestamp cannot tell a later edit apart
    outputs(capsys, sample_copy)
    stat = target.stat()
    text = target.read_text("utf-8")
    assert 'runtime_cutover = "GO"' in text
    target.write_text(text.replace('runtime_cutover = "GO"', 'runtime_cutover = "NO"'), "utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    assert outputs(capsys, sample_copy) == outputs(capsys, sample_copy, "--no-cache")


@pytest.mark.parametrize("damage", ["garbage", "other-version", "foreign-parquet"])
def test_unusable_cache_is_rebuilt_with_a_warning(
    capsys: pytest.CaptureFixture[str],
    sample_copy: Path,
    reference: tuple[str, str],
    damage: str,
) -> None:
    outputs(capsys, sample_copy)
    path = cache_path(sample_copy)
    if damage == "garbage":
        path.write_bytes(b"PAR1 this is not parquet")
    elif damage == "other-version":
        table = pq.read_table(path)
        meta = dict(table.schema.metadata)
        meta[b"fingerprint"] = b"written-by-another-version"
        pq.write_table(table.replace_schema_metadata(meta), path)
    else:
        pq.write_table(pa.table({"rel": ["x"]}), path)
    _, validate, err = run(capsys, "validate", sample_copy, "--format", "json")
    assert "cutover-kit: warning: cache" in err
    assert "rebuilding" in err
    assert validate == reference[0]
    _, _, err_again = run(capsys, "validate", sample_copy, "--format", "json")
    assert err_again == ""  # rebuilt: the next run uses it silently


def test_damaged_entry_is_parsed_again_and_a_planted_pickle_never_runs(
    sample_copy: Path, tmp_path: Path
) -> None:
    options = IngestOptions(use_cache=True, jobs=1)
    expected = load_ledger(sample_copy).tables
    load_ledger(sample_copy, options=options)
    path = cache_path(sample_copy)
    table = pq.read_table(path)
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (os.system, (f"touch {marker}",))

    planted = pickle.dumps(Exploit())
    with pytest.raises(pickle.UnpicklingError):
        decode(planted)
    extracts = table.column("extract").to_pylist()
    damaged = [zlib.compress(planted) if blob is not None else None for blob in extracts]
    pq.write_table(table.set_column(table.schema.get_field_index("extract"), "extract", [damaged]),
                   path)  # fmt: skip
    with pytest.warns(CacheWarning, match="damaged cache entry"):
        tables = load_ledger(sample_copy, options=options).tables
    assert not marker.exists()
    for name, frame in expected.items():
        assert tables[name].equals(frame), name


def test_a_cache_changed_in_place_while_in_use_is_not_trusted(
    sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm ledger reads its pickles from the open cache file when first used: if someone
    rewrites that file in place meanwhile (same inode, here a valid cache with its rows in
    another order), every later read is refused and each file is parsed again."""
    options = IngestOptions(use_cache=True, jobs=1)
    expected = load_ledger(sample_copy).tables
    load_ledger(sample_copy, options=options)
    monkeypatch.setattr(StoredRows, "_GROUPS_KEPT", 0)  # every use reads the file again
    ledger = load_ledger(sample_copy, options=options)
    path = cache_path(sample_copy)
    table = pq.read_table(path)
    reordered = table.take(list(reversed(range(table.num_rows))))
    with path.open("r+b") as handle:
        handle.truncate(0)
        pq.write_table(reordered, handle)
    with pytest.warns(CacheWarning, match="changed in place"):
        tables = ledger.tables
    for name, frame in expected.items():
        assert tables[name].equals(frame), name


def test_two_runs_at_once_do_not_corrupt_the_cache(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, reference: tuple[str, str]
) -> None:
    command = [sys.executable, "-m", "cutover_kit", "validate", str(sample_copy), "--format"]
    runs = [
        subprocess.Popen([*command, "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    results = [run.communicate(timeout=120) for run in runs]
    for out, err in results:
        assert out.decode() == reference[0]
        assert err == b""
    # No temporary file left: the ingest cache and the folder listings, each replaced whole.
    assert sorted(p.name for p in (sample_copy / CACHE_FOLDER).iterdir()) == sorted(
        [CACHE_FILE, LISTING_FILE]
    )
    _, validate, err = run(capsys, "validate", sample_copy, "--format", "json")
    assert (validate, err) == (reference[0], "")


def test_cache_folder_elsewhere_and_single_rehearsal_folders(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "cache"
    first = outputs(capsys, sample_copy, "--cache", str(elsewhere))
    assert (elsewhere / CACHE_FILE).is_file()
    assert not (sample_copy / CACHE_FOLDER).exists()
    assert outputs(capsys, sample_copy, "--cache", str(elsewhere)) == first
    # A single rehearsal holds its cache at its top level: it is never read as evidence.
    single = sample_copy / "r06"
    plain = outputs(capsys, single, "--no-cache")
    assert outputs(capsys, single) == plain
    assert cache_path(single).is_file()
    assert outputs(capsys, single) == plain
    # --cache inside the data folder is not evidence either.
    inside = single / "kit-cache"
    assert outputs(capsys, single, "--cache", str(inside)) == plain
    assert outputs(capsys, single, "--cache", str(inside)) == plain


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str], sample_copy: Path) -> None:
    code, _, err = run(capsys, "validate", sample_copy, "--jobs", "0")
    assert code == 2
    assert "--jobs must be at least 1" in err


def test_a_read_only_data_folder_gets_no_cache_even_for_root(sample_copy: Path) -> None:
    """Fixtures and mounted shares stay as they are: no cache folder appears in them."""
    folders = [sample_copy, *sorted(p for p in sample_copy.rglob("*") if p.is_dir())]
    for folder in folders:
        folder.chmod(0o555)
    try:
        assert main(["validate", str(sample_copy), "--format", "json"]) == 0
        assert not (sample_copy / ".cutover-kit").exists()
    finally:
        for folder in folders:
            folder.chmod(0o755)
