"""Files that change, vanish or turn into pipes between listing and reading, and the kit's own bugs.

Races are simulated deterministically: the listing or the read is wrapped so that the file on
disk really changes at the chosen moment.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from conftest import SAMPLE_DIR

from cutover_kit.evidence import ingest as ingest_module
from cutover_kit.evidence import reader
from cutover_kit.evidence.corpus import FolderEntry, FolderWalk, ListingMemory, folder_entries
from cutover_kit.evidence.ledger import Ledger, load_ledger
from cutover_kit.evidence.model import FileStatus

PIN = "r06/config/memorykernel-integration-pin.json"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """One sample rehearsal, small enough to read many times."""
    target = tmp_path / "data"
    shutil.copytree(SAMPLE_DIR / "r06", target / "r06")
    return target


@pytest.fixture(autouse=True)
def never_hang() -> Iterator[None]:
    """A read that blocks (on a FIFO) fails the test instead of hanging the suite."""
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("reading blocked"))
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def outcome(ledger: Ledger, path: str):  # type: ignore[no-untyped-def]
    return next(o for o in ledger.outcomes if o.path == path)


def assert_rest_as_before(ledger: Ledger, before: Ledger, path: str) -> None:
    statuses = {o.path: o.status for o in before.outcomes if o.path != path}
    assert {o.path: o.status for o in ledger.outcomes if o.path != path} == statuses


def _after_listing(monkeypatch: pytest.MonkeyPatch, change) -> None:  # type: ignore[no-untyped-def]
    """Run ``change`` once the folder has been listed and before any file is read."""

    def listed_then_changed(
        walk: FolderWalk, folder_id: str, folder: str, memory: ListingMemory | None
    ) -> list[FolderEntry]:
        entries = folder_entries(walk, folder_id, folder, memory)
        change(Path(walk.data_dir))  # the corpus holds one rehearsal folder
        return entries

    monkeypatch.setattr(ingest_module, "folder_entries", listed_then_changed)


def test_a_file_removed_between_listing_and_reading(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = load_ledger(corpus)
    _after_listing(monkeypatch, lambda data: (data / PIN).unlink())
    ledger = load_ledger(corpus)
    pin = outcome(ledger, PIN)
    assert pin.status is FileStatus.REJECTED
    assert pin.findings[0].code == "vanished"
    assert_rest_as_before(ledger, before, PIN)


def test_a_file_replaced_by_a_fifo_after_listing_does_not_block(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def to_fifo(data: Path) -> None:
        (data / PIN).unlink()
        os.mkfifo(data / PIN)

    _after_listing(monkeypatch, to_fifo)
    pin = outcome(load_ledger(corpus), PIN)
    assert (pin.status, pin.findings[0].code) == (FileStatus.IGNORED, "not-a-file")
    assert "FIFO" in pin.findings[0].message


@pytest.mark.parametrize("moment", ["after listing", "after the link check"])
def test_a_file_replaced_by_a_link_out_of_the_folder_is_not_followed(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, moment: str
) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"memorykernel_repo": "secret"}', encoding="utf-8")

    def to_link(data: Path) -> None:
        (data / PIN).unlink()
        (data / PIN).symlink_to(secret)

    if moment == "after listing":
        _after_listing(monkeypatch, to_link)
    else:
        real_check = reader._check_link

        def check_then_swap(path: Path, root: Path) -> Path:
            checked = real_check(path, root)
            if path == corpus / PIN:
                to_link(corpus)
            return checked

        monkeypatch.setattr(reader, "_check_link", check_then_swap)
    pin = outcome(load_ledger(corpus), PIN)
    assert pin.status is FileStatus.REJECTED
    assert pin.findings[0].code == (
        "path-escape" if moment == "after listing" else "changed-while-read"
    )
    assert (pin.sha256, pin.extract) == ("", None)


class _ChangingHandle:
    """A real open file whose first read is followed by ``change`` on the file on disk."""

    def __init__(self, handle: BinaryIO, change) -> None:  # type: ignore[no-untyped-def]
        self._handle, self._change, self._done = handle, change, False

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        if not self._done:
            self._done = True
            self._change()
        return data

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._handle, name)

    def __enter__(self) -> _ChangingHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def _while_reading(
    monkeypatch: pytest.MonkeyPatch, target: Path, change: Callable[[], object]
) -> None:
    real_open = reader.open_evidence

    def open_and_change(path: Path):  # type: ignore[no-untyped-def]
        handle = real_open(path)
        return _ChangingHandle(handle, change) if path == target else handle

    monkeypatch.setattr(reader, "open_evidence", open_and_change)


@pytest.mark.parametrize("max_bytes", [16 * 1024 * 1024, 64], ids=["read-whole", "streamed"])
def test_a_file_appended_to_while_being_read(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, max_bytes: int
) -> None:
    transcript = next((corpus / "r06" / "transcripts").iterdir())
    rel = transcript.relative_to(corpus).as_posix()

    def append() -> None:
        with transcript.open("ab") as out:
            out.write(b"\n$ pnpm run late:output\nmore\n")

    _while_reading(monkeypatch, transcript, append)
    changed = outcome(load_ledger(corpus, max_bytes=max_bytes), rel)
    assert changed.status is FileStatus.REJECTED
    assert changed.findings[-1].code == "changed-while-read"
    assert changed.extract is None


def test_a_file_deleted_while_being_read(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = corpus / PIN
    _while_reading(monkeypatch, target, target.unlink)
    deleted = outcome(load_ledger(corpus), PIN)
    assert deleted.status is FileStatus.REJECTED
    assert deleted.findings[0].code == "changed-while-read"
    assert "deleted" in deleted.findings[0].message


def test_a_bug_while_reading_one_file_rejects_only_that_file(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = load_ledger(corpus)
    real_classify = reader._classify

    def buggy(outcome, raw, text, registry):  # type: ignore[no-untyped-def]
        if outcome.path == PIN:
            raise KeyError("kit bug")
        real_classify(outcome, raw, text, registry)

    monkeypatch.setattr(reader, "_classify", buggy)
    ledger = load_ledger(corpus)
    pin = outcome(ledger, PIN)
    assert pin.status is FileStatus.REJECTED
    assert pin.findings[0].code == "internal-error"
    assert "KeyError" in pin.findings[0].message
    assert_rest_as_before(ledger, before, PIN)
