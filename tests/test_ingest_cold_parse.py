"""The cheaper cold-ingest paths keep every guarantee of the ones they replaced.

Packed extracts (Zstandard behind a checksum) read back equal, and damaged or planted bytes
never read back as other records; records pickle exactly as ``pickle`` would by default; a
parsed transcript leaves no reference cycle (batches are read with the cyclic collector paused);
a file named by text is read exactly like one named by a :class:`~pathlib.Path`, links, FIFOs
and all.
"""

from __future__ import annotations

import gc
import os
import pickle
import zlib
from pathlib import Path

import pytest
from conftest import REAL_WORLD, SAMPLE_DIR

from cutover_kit.evidence import model, packing
from cutover_kit.evidence.builtin import default_registry
from cutover_kit.evidence.codes import CaseStatus, EvidenceKind
from cutover_kit.evidence.corpus import corpus_entries
from cutover_kit.evidence.model import (
    CheckResult,
    CommandResult,
    Envelope,
    Extract,
    Fact,
    Finding,
    RecordedVerdict,
    RoleAssignment,
    Severity,
)
from cutover_kit.evidence.reader import FileOutcome, read_evidence
from cutover_kit.evidence.text import decode_bytes, terminal_lines
from cutover_kit.evidence.transcripts import parse_transcript


def _sample_outcomes() -> list[FileOutcome]:
    root = SAMPLE_DIR.resolve()
    registry = default_registry()
    return [
        read_evidence(entry.path, entry.rel, entry.folder_id, root, registry)
        for entry in corpus_entries(SAMPLE_DIR)
    ]


def test_every_sample_extract_packs_and_reads_back_equal() -> None:
    extracts = [o.extract for o in _sample_outcomes() if o.extract is not None]
    assert len(extracts) > 100
    for extract in extracts:
        blob = packing.pack(extract)
        assert blob[:1] == b"Z"
        assert packing.unpack(blob) == extract


def test_a_damaged_packed_extract_never_reads_back_other_records() -> None:
    extract = next(o.extract for o in _sample_outcomes() if o.kind == EvidenceKind.JUNIT)
    assert extract is not None
    blob = packing.pack(extract)
    for position in range(1, len(blob), max(1, len(blob) // 97)):
        damaged = bytearray(blob)
        damaged[position] ^= 0x20
        try:
            value = packing.unpack(bytes(damaged))
        except Exception:  # noqa: BLE001 - any failure is the right answer: parse the file again
            continue
        # A bit the frame does not depend on (a header flag) may leave the records intact.
        assert value == extract, f"byte {position} damaged, yet read back other records"


def test_a_pickle_too_large_for_the_header_is_kept_as_zlib(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    extract = Extract(kind="junit", test_cases=[model.TestCaseResult("s", "n", CaseStatus.PASSED)])
    monkeypatch.setattr(packing, "_PACKED_MAX", 16)
    blob = packing.pack(extract)
    assert blob[:1] != b"Z"
    assert zlib.decompress(blob) == packing.encode(extract)
    assert packing.unpack(blob) == extract


class _Exploit:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_pickle_behind_a_valid_checksum_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    planted = pickle.dumps(_Exploit(marker))
    header = packing._PACKED_HEADER.pack(packing._PACKED_TAG, len(planted), zlib.crc32(planted))
    blob = header + packing._compressor().compress(planted)
    with pytest.raises(pickle.UnpicklingError):
        packing.unpack(blob)
    assert not marker.exists()


RECORDS = [
    CommandResult("pnpm run test:ci", "pass", 3, exit_code=0, duration_s=1.5, parent="x"),
    model.TestCaseResult("suite", "name", CaseStatus.FAILED, 0.25, "line 4", "vitest", "boom"),
    CheckResult("handoff", "PASS", "/checks/0", "node check.mjs", "rehearsal"),
    Envelope("/body", 409, {"error": {"code": "conflict"}}),
    RecordedVerdict("Rehearsal continuation", "GO", "rehearsal_continuation", 7),
    RoleAssignment("consumer_rollback_owner", "Consumer rollback owner", "Ana", 9),
    Fact("Rollback Target", "release_tag", "v0.3.2", 12),
    Finding(Severity.WARNING, "non-utf8", "bytes replaced", "line 2"),
    Extract(kind="record", detail="checkpoint", facts=[Fact("S", "k", "v", 1)]),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: type(record).__name__)
def test_records_pickle_as_pickle_does_by_default(record: object) -> None:
    """The same reduction ``object.__reduce_ex__`` gives (so the same bytes and the same
    unpickling), only found without its lookups; protocols without NEWOBJ are unchanged."""
    assert record.__reduce_ex__(5) == object.__reduce_ex__(record, 5)[:3]
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(record, protocol)) == record
    assert packing.decode(packing.encode(record)) == record


def _transcripts() -> list[Path]:
    found = sorted(SAMPLE_DIR.rglob("transcripts/*"))
    if REAL_WORLD.is_dir():
        found += sorted(path for path in REAL_WORLD.rglob("*") if path.suffix in {".txt", ".log"})
    return [path for path in found if path.is_file()]


def test_parsing_a_transcript_leaves_no_reference_cycle() -> None:
    paths = _transcripts()
    assert len(paths) > 10
    gc.collect()
    gc.disable()
    try:
        for path in paths:
            text, _ = decode_bytes(path.read_bytes())
            extract = parse_transcript(terminal_lines(text))
            del extract
            assert gc.collect() == 0, path
    finally:
        gc.enable()


def _odd_folder(root: Path) -> Path:
    """A rehearsal holding every kind of entry the reader treats specially."""
    folder = root / "r1"
    folder.mkdir(parents=True)
    outside = root.parent / "outside.json"
    outside.write_text('{"memorykernel_repo": "x"}', encoding="utf-8")
    (folder / "pin.json").write_text('{"memorykernel_repo": "x"}', encoding="utf-8")
    (folder / "empty.md").write_bytes(b"")
    (folder / "inside-link.json").symlink_to(folder / "pin.json")
    (folder / "escaping-link.json").symlink_to(outside)
    (folder / "dangling-link.json").symlink_to(folder / "gone.json")
    (folder / "loop-a").symlink_to(folder / "loop-b")
    (folder / "loop-b").symlink_to(folder / "loop-a")
    (folder / "sub").mkdir()
    (folder / "folder-link").symlink_to(folder / "sub")
    os.mkfifo(folder / "pipe")
    return folder


def test_a_file_named_by_text_is_read_like_one_named_by_a_path(tmp_path: Path) -> None:
    root = (tmp_path / "data").resolve()
    folder = _odd_folder(root)
    registry = default_registry()
    names = [*sorted(entry.name for entry in folder.iterdir()), "vanished.json"]
    for name in names:
        path = folder / name
        by_path = read_evidence(path, f"r1/{name}", "r1", root, registry)
        by_text = read_evidence(str(path), f"r1/{name}", "r1", root, registry)
        assert by_text == by_path, name
