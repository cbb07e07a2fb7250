"""Folder listings kept between runs, and rehearsal identities kept in the ingest cache.

A warm run lists again only the folders whose identity (device, inode, mtime, ctime) changed
since the last walk, and names each rehearsal from the identity stored beside its manifest's
cache row. Every test compares real CLI output with a run without cache: the bytes never differ.

The last walk's listings are trusted only for folders changed more than a margin before it
(``RACY_NS``). A test's folders are all seconds old, so most tests set the margin to zero: the
folders were still all changed before the walk began, which is what a real warm run sees.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cutover_kit.cli import main
from cutover_kit.evidence import corpus, listing_cache
from cutover_kit.evidence.cache import (
    ADDED_FILE,
    CACHE_FILE,
    CACHE_FOLDER,
    IngestCache,
    cache_file,
)
from cutover_kit.evidence.corpus import FolderIdentity, ListingMemory, corpus_entries
from cutover_kit.evidence.ingest import IngestOptions
from cutover_kit.evidence.ledger import load_ledger
from cutover_kit.evidence.listing_cache import LISTING_FILE, ListingCache
from cutover_kit.evidence.reader import DEFAULT_MAX_BYTES
from cutover_kit.evidence.session_identity import SessionIdentity


def validate(capsys: pytest.CaptureFixture[str], data_dir: Path, *extra: str) -> str:
    out, _ = validate_with_errors(capsys, data_dir, *extra)
    return out


def validate_with_errors(
    capsys: pytest.CaptureFixture[str], data_dir: Path, *extra: str
) -> tuple[str, str]:
    main(["validate", str(data_dir), "--format", "json", *extra])
    return capsys.readouterr()


def uncached(capsys: pytest.CaptureFixture[str], data_dir: Path) -> str:
    return validate(capsys, data_dir, "--no-cache", "--jobs", "1")


def live_rows(data_dir: Path) -> dict[str, str | None]:
    """The live rows of the data folder's ingest cache: each file's stored identity, by path."""
    cache = IngestCache.open(cache_file(data_dir, None), DEFAULT_MAX_BYTES, load_ledger)  # type: ignore[arg-type]
    assert cache.stored is not None
    return {rel: cache.stored.identities[row] for rel, row in cache.stored.index.items()}


@pytest.fixture
def no_margin(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust every folder changed before the last walk began (see module doc)."""
    monkeypatch.setattr(listing_cache, "RACY_NS", 0)


def counting_listings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The folders actually listed (``scandir``) by the walk from now on."""
    listed: list[str] = []
    original = corpus._listing

    def counted(folder: str) -> tuple[list[str], list[str], frozenset[str]] | None:
        listed.append(folder)
        return original(folder)

    monkeypatch.setattr(corpus, "_listing", counted)
    return listed


@pytest.mark.usefixtures("no_margin")
def test_a_warm_walk_lists_no_unchanged_folder(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = uncached(capsys, sample_copy)
    assert validate(capsys, sample_copy) == reference  # cold: lists every folder, keeps them
    assert (sample_copy / CACHE_FOLDER / LISTING_FILE).is_file()
    stored = pq.read_table(sample_copy / CACHE_FOLDER / LISTING_FILE).column("folder")
    walked = [p for p in sample_copy.glob("r*/**") if p.is_dir()]  # the rehearsal folders down
    assert sorted(stored.to_pylist()) == sorted(
        p.relative_to(sample_copy).as_posix() for p in walked
    )
    listed = counting_listings(monkeypatch)
    assert validate(capsys, sample_copy) == reference
    assert listed == []


@pytest.mark.usefixtures("no_margin")
def test_added_removed_and_renamed_files_and_folders_are_seen(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validate(capsys, sample_copy)
    deep = sample_copy / "r14" / "transcripts"
    (deep / "late.log").write_text("$ pnpm test\nok\n", "utf-8")  # a file added deep down
    next(iter(sorted((sample_copy / "r13" / "transcripts").iterdir()))).unlink()
    (sample_copy / "r12" / "artifacts").rename(sample_copy / "r12" / "artifacts-old")
    (sample_copy / "r11" / "extra" / "nested").mkdir(parents=True)  # new folders, new file
    (sample_copy / "r11" / "extra" / "nested" / "notes.md").write_text("# notes\n", "utf-8")
    shutil.rmtree(sample_copy / "r10" / "junit")  # a folder replaced by another of its name
    shutil.copytree(sample_copy / "r09" / "junit", sample_copy / "r10" / "junit")
    shutil.copytree(sample_copy / "r14", sample_copy / "r14-next")  # a rehearsal added
    listed = counting_listings(monkeypatch)
    cached = validate(capsys, sample_copy)
    assert 0 < len(listed) < 30  # only the changed folders and the new ones were listed
    listed.clear()
    assert validate(capsys, sample_copy) == cached  # the listings kept and the new ones: saved
    assert listed == []
    assert cached == uncached(capsys, sample_copy)
    for path in ["r14/transcripts/late.log", "r12/artifacts-old/", "r11/extra/nested/notes.md"]:
        assert f'"path": "{path}' in cached


def test_a_folder_changed_just_before_the_last_walk_is_listed_again(tmp_path: Path) -> None:
    folder = tmp_path / "r01" / "artifacts"
    folder.mkdir(parents=True)
    (folder / "real.json").write_text("{}", "utf-8")
    status = folder.stat()
    identity = (status.st_dev, status.st_ino, status.st_mtime_ns, status.st_ctime_ns)

    def stale(key: str, known: FolderIdentity) -> tuple[list[str], list[str]] | None:
        """Other names for the same folder in the same state, as if listed before a change."""
        return (["stale.json"], []) if (key, known) == ("r01/artifacts", identity) else None

    def walk(trusted_before_ns: int) -> list[str]:
        memory = ListingMemory(stale, trusted_before_ns, 0)
        return [entry.rel for entry in corpus_entries(tmp_path, memory=memory)]

    # A listing is trusted by its folder's identity alone, once the folder is older than the
    # last walk less the margin; a folder changed since may have changed within one tick.
    assert walk(trusted_before_ns=status.st_ctime_ns + 1) == ["r01/artifacts/stale.json"]
    assert walk(trusted_before_ns=status.st_ctime_ns) == ["r01/artifacts/real.json"]


@pytest.mark.usefixtures("no_margin")
def test_a_folder_holding_a_link_is_always_listed_again(tmp_path: Path) -> None:
    data = tmp_path / "data"  # one rehearsal: evidence at its top level
    (data / "sub").mkdir(parents=True)
    (data / "b.json").write_text("{}", "utf-8")
    (tmp_path / "outside").mkdir()
    (data / "a-link").symlink_to(tmp_path / "outside")
    options = IngestOptions(use_cache=True, cache_dir=tmp_path / "cache")

    def paths(ledger_options: IngestOptions | None) -> list[str]:
        return [o.path for o in load_ledger(data, options=ledger_options).outcomes]

    assert paths(options) == ["b.json", "a-link"]  # a link to a folder: after the files
    stored = pq.read_table(tmp_path / "cache" / LISTING_FILE).column("folder").to_pylist()
    assert stored == ["sub"]  # not the data folder, which holds a link
    (tmp_path / "outside").rmdir()  # the link now leads to a file; its folder did not change
    (tmp_path / "outside").write_text("{}", "utf-8")
    assert paths(options) == paths(None) == ["a-link", "b.json"]


@pytest.mark.parametrize("damage", ["garbage", "other-format"])
def test_an_unusable_listing_file_is_rebuilt_with_a_warning(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, damage: str
) -> None:
    reference = uncached(capsys, sample_copy)
    validate(capsys, sample_copy)
    path = sample_copy / CACHE_FOLDER / LISTING_FILE
    if damage == "garbage":
        path.write_bytes(b"PAR1 not parquet at all")
    else:
        table = pq.read_table(path)
        metadata = {**(table.schema.metadata or {}), b"format": b"cutover-kit/folder-listings.v0"}
        pq.write_table(table.replace_schema_metadata(metadata), path)
    out, err = validate_with_errors(capsys, sample_copy)
    assert out == reference
    assert f"cutover-kit: warning: cache {path} is unreadable" in err
    assert "rebuilding" in err
    assert validate_with_errors(capsys, sample_copy) == (reference, "")  # rebuilt, used silently
    status = (sample_copy / "r01").stat()
    identity = (status.st_dev, status.st_ino, status.st_mtime_ns, status.st_ctime_ns)
    assert ListingCache(sample_copy / CACHE_FOLDER).memory.known("r01", identity) is not None


def test_a_warm_run_names_rehearsals_without_reading_their_manifests(
    sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = IngestOptions(use_cache=True)
    cold = load_ledger(sample_copy, options=options)
    reads: list[object] = []
    original = SessionIdentity.of.__func__  # type: ignore[attr-defined]

    def counted(cls: type[SessionIdentity], extract: object) -> SessionIdentity:
        reads.append(extract)
        return original(cls, extract)  # type: ignore[no-any-return]

    monkeypatch.setattr(SessionIdentity, "of", classmethod(counted))
    warm = load_ledger(sample_copy, options=options)
    assert reads == []
    assert warm.rehearsals == cold.rehearsals == load_ledger(sample_copy).rehearsals
    reads.clear()  # the run without cache read every manifest
    # One rehearsal added: only its manifest is read, and its identity joins the cache.
    shutil.copytree(sample_copy / "r14", sample_copy / "r14-next")
    manifest = sample_copy / "r14-next" / "session.toml"
    manifest.write_text(
        manifest.read_text("utf-8").replace('id = "r14"', 'id = "r14-next"', 1), "utf-8"
    )
    added = load_ledger(sample_copy, options=options)
    assert len(reads) == 1
    assert added.rehearsals == load_ledger(sample_copy).rehearsals
    assert (sample_copy / CACHE_FOLDER / ADDED_FILE).is_file()  # the new rows: added
    assert SessionIdentity.loads(live_rows(sample_copy)["r14-next/session.toml"]).id == "r14-next"


def test_the_extracts_are_not_compressed_twice(sample_copy: Path) -> None:
    load_ledger(sample_copy, options=IngestOptions(use_cache=True))
    metadata = pq.ParquetFile(sample_copy / CACHE_FOLDER / CACHE_FILE).metadata
    names = metadata.schema.to_arrow_schema().names
    chunks = metadata.row_group(0)
    compression = {names[i]: chunks.column(i).compression for i in range(len(names))}
    assert compression["extract"] == "UNCOMPRESSED"  # zlib'd already, when packed
    assert compression["findings"] == "SNAPPY"


def test_the_listing_file_is_not_rewritten_when_nothing_changed(
    sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing_cache, "RACY_NS", 0)
    options = IngestOptions(use_cache=True)
    load_ledger(sample_copy, options=options)
    path = sample_copy / CACHE_FOLDER / LISTING_FILE
    before = path.stat()
    load_ledger(sample_copy, options=options)
    after = path.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    os.utime(sample_copy / "r01", None)  # changes nothing listed, but the folder's identity
    load_ledger(sample_copy, options=options)
    assert path.stat().st_ino != after.st_ino


def test_the_current_folder_as_data_folder_reads_the_same(
    capsys: pytest.CaptureFixture[str], sample_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``validate .`` inside the corpus: each path relative to the data folder, as for its
    full path (a path built from "." lost the "./" the walked paths kept, and a character)."""
    reference = uncached(capsys, sample_copy)
    monkeypatch.chdir(sample_copy)
    assert uncached(capsys, Path()) == reference
    assert validate(capsys, Path()) == reference  # cold cache
    assert validate(capsys, Path()) == reference  # warm
    monkeypatch.chdir(sample_copy / "r03")  # one rehearsal as the data folder
    single = uncached(capsys, sample_copy / "r03")
    assert uncached(capsys, Path()) == single
