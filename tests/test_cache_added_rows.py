"""A run that changed a few files writes only the rows added since the base cache file.

Every test compares real ``validate`` output with a run without cache: the bytes never differ,
whichever of the two cache files holds a row, and whatever happened to either file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_ingest_cache import counting_reads

from cutover_kit.cli import main
from cutover_kit.evidence.cache import ADDED_FILE, CACHE_FILE, CACHE_FOLDER, IngestCache
from cutover_kit.evidence.listing_cache import LISTING_FILE
from cutover_kit.evidence.reader import DEFAULT_MAX_BYTES


def validate(capsys: pytest.CaptureFixture[str], data_dir: Path, *extra: str) -> tuple[str, str]:
    main(["validate", str(data_dir), "--format", "json", *extra])
    return capsys.readouterr()


def uncached(capsys: pytest.CaptureFixture[str], data_dir: Path) -> str:
    out, _ = validate(capsys, data_dir, "--no-cache", "--jobs", "1")
    return out


def base(data_dir: Path) -> Path:
    return data_dir / CACHE_FOLDER / CACHE_FILE


def added(data_dir: Path) -> Path:
    return data_dir / CACHE_FOLDER / ADDED_FILE


def version(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns


def add_rehearsal(data_dir: Path, source: str, name: str) -> None:
    shutil.copytree(data_dir / source, data_dir / name)
    manifest = data_dir / name / "session.toml"
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace(f'id = "{source}"', f'id = "{name}"', 1), "utf-8")


def live(data_dir: Path) -> set[str]:
    cache = IngestCache.open(base(data_dir), DEFAULT_MAX_BYTES, lambda rel, folder: None)  # type: ignore[arg-type, return-value]
    assert cache.stored is not None
    return set(cache.stored.index)


def test_a_rehearsal_added_leaves_the_base_file_untouched(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validate(capsys, sample_copy)
    written = version(base(sample_copy))
    add_rehearsal(sample_copy, "r15", "r15-next")
    parsed = counting_reads(monkeypatch)
    out, err = validate(capsys, sample_copy)
    new_files = sorted(p for p in (sample_copy / "r15-next").rglob("*") if p.is_file())
    assert sorted(parsed) == [p.relative_to(sample_copy).as_posix() for p in new_files]
    assert version(base(sample_copy)) == written
    assert added(sample_copy).is_file()
    parsed.clear()
    assert validate(capsys, sample_copy) == (out, err)  # warm again: read from both files
    assert parsed == []
    monkeypatch.undo()
    assert (out, err) == (uncached(capsys, sample_copy), "")


def test_files_deleted_and_changed_in_either_file_are_seen(
    capsys: pytest.CaptureFixture[str], sample_copy: Path
) -> None:
    validate(capsys, sample_copy)
    add_rehearsal(sample_copy, "r15", "r15-next")
    validate(capsys, sample_copy)
    (sample_copy / "r15-next" / "session.toml").unlink()  # a row of the added file
    (sample_copy / "r02" / "session.toml").unlink()  # a row of the base file
    transcript = next(iter(sorted((sample_copy / "r15-next" / "transcripts").iterdir())))
    transcript.write_bytes(transcript.read_bytes() + b"\nELIFECYCLE Command failed.\n")
    out, err = validate(capsys, sample_copy)
    assert (out, err) == (uncached(capsys, sample_copy), "")
    rows = live(sample_copy)
    assert "r15-next/session.toml" not in rows
    assert "r02/session.toml" not in rows
    assert transcript.relative_to(sample_copy).as_posix() in rows
    assert validate(capsys, sample_copy) == (out, err)


def test_many_changes_write_one_base_file_again(
    capsys: pytest.CaptureFixture[str], sample_copy: Path
) -> None:
    validate(capsys, sample_copy)
    written = version(base(sample_copy))
    add_rehearsal(sample_copy, "r15", "r15-next")
    validate(capsys, sample_copy)
    for name in ["r13-a", "r13-b", "r13-c"]:  # more than an eighth of the base's rows
        add_rehearsal(sample_copy, "r13", name)
    out, err = validate(capsys, sample_copy)
    assert version(base(sample_copy)) != written
    assert not added(sample_copy).exists()
    assert (out, err) == (uncached(capsys, sample_copy), "")
    assert {"r15-next/session.toml", "r13-c/session.toml"} <= live(sample_copy)


def test_added_rows_of_a_replaced_base_are_ignored(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run wrote a new base meanwhile: the added rows naming the old one are not used
    (their files are parsed again), whatever they say."""
    validate(capsys, sample_copy)
    add_rehearsal(sample_copy, "r15", "r15-next")
    validate(capsys, sample_copy)
    stale = added(sample_copy).read_bytes()
    shutil.rmtree(sample_copy / CACHE_FOLDER)
    validate(capsys, sample_copy)  # a new base, holding every row
    added(sample_copy).write_bytes(stale)
    (sample_copy / "r15-next" / "session.toml").unlink()  # the stale rows still hold it
    parsed = counting_reads(monkeypatch)
    out, err = validate(capsys, sample_copy)
    assert parsed == []  # the new base knows every file left
    monkeypatch.undo()
    assert (out, err) == (uncached(capsys, sample_copy), "")
    assert "r15-next/session.toml" not in live(sample_copy)


def test_an_unreadable_added_file_warns_and_its_files_are_parsed_again(
    capsys: pytest.CaptureFixture[str], sample_copy: Path
) -> None:
    validate(capsys, sample_copy)
    add_rehearsal(sample_copy, "r15", "r15-next")
    validate(capsys, sample_copy)
    added(sample_copy).write_bytes(b"PAR1 not parquet")
    out, err = validate(capsys, sample_copy)
    assert out == uncached(capsys, sample_copy)
    assert f"cutover-kit: warning: cache {added(sample_copy)} is unreadable" in err
    assert validate(capsys, sample_copy) == (out, "")  # written again, used silently


def test_a_same_size_edit_of_an_added_file_within_one_tick_is_seen(
    capsys: pytest.CaptureFixture[str], sample_copy: Path
) -> None:
    """The added rows were written just after their files: their timestamps cannot tell a later
    edit of the same size apart, so their content is hashed, as for the base file's rows."""
    validate(capsys, sample_copy)
    add_rehearsal(sample_copy, "r15", "r15-next")
    validate(capsys, sample_copy)
    target = sample_copy / "r15-next" / "session.toml"
    status = target.stat()
    text = target.read_text("utf-8")
    assert 'runtime_cutover = "GO"' in text
    target.write_text(text.replace('runtime_cutover = "GO"', 'runtime_cutover = "NO"'), "utf-8")
    os.utime(target, ns=(status.st_atime_ns, status.st_mtime_ns))  # same size, same mtime
    main(["verdict", str(sample_copy), "--format", "json"])  # r15-next: the latest rehearsal
    cached, _ = capsys.readouterr()
    main(["verdict", str(sample_copy), "--format", "json", "--no-cache"])
    assert cached == capsys.readouterr()[0]


def test_runs_at_once_adding_rows_do_not_corrupt_the_cache(
    capsys: pytest.CaptureFixture[str], sample_copy: Path
) -> None:
    validate(capsys, sample_copy)
    add_rehearsal(sample_copy, "r15", "r15-next")
    command = [sys.executable, "-m", "cutover_kit", "validate", str(sample_copy), "--format"]
    runs = [
        subprocess.Popen([*command, "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    expected = uncached(capsys, sample_copy)
    for out, err in (run.communicate(timeout=120) for run in runs):
        assert (out.decode(), err) == (expected, b"")
    names = sorted(path.name for path in (sample_copy / CACHE_FOLDER).iterdir())
    assert names == sorted([ADDED_FILE, CACHE_FILE, LISTING_FILE])  # no temporary file left
    assert validate(capsys, sample_copy) == (expected, "")
