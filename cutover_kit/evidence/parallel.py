"""Reading the files of many rehearsal folders at once, in a pool of worker processes.

Parsing is pure Python, so threads would queue on the interpreter lock: worker processes read
whole batches of folders and send back cache rows (pickled results), which the parent puts back
in the corpus's own file order. The parent is one of the ``jobs``: it reads batches from the end
of the corpus while the workers take them from the front, so the seconds a worker spends starting
(a fresh interpreter importing the kit) are not lost, and the last batches go to whoever is free.
The output never depends on the number of workers nor on who read which batch.

A batch is a list of files the parent listed and looked up in the cache (:func:`read_parallel`)
or, on a first run, a list of rehearsal folders that whoever reads them also walks
(:func:`read_folders_parallel`): then only folder names travel to the workers.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields
from multiprocessing.sharedctypes import SynchronizedArray
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar

from cutover_kit.evidence.builtin import default_registry
from cutover_kit.evidence.cache import CacheRow, cacheable, row_of
from cutover_kit.evidence.collector import collection_paused
from cutover_kit.evidence.corpus import (
    CorpusLayout,
    FolderEntry,
    FolderListing,
    FolderWalk,
    ListingMemory,
    folder_entries,
    nothing_known,
)
from cutover_kit.evidence.reader import read_evidence
from cutover_kit.evidence.registry import LoaderRegistry

# Batches per job: small enough that the parent and the workers finish close together, large
# enough that sending a batch and its rows costs little next to parsing it.
_BATCHES_PER_JOB = 24
# A batch of rehearsal folders travels as their names alone: smaller batches cost next to
# nothing more, and the parent and the workers finish closer together.
_FOLDER_BATCHES_PER_JOB = 64
_registry: LoaderRegistry | None = None


@dataclass(frozen=True)
class FileTask:
    """One file to parse, with the size and mtime it had when listed (its cache key)."""

    path: str
    rel: str
    folder: str
    size: int
    mtime_ns: int


def read_task(task: FileTask, root: Path, registry: LoaderRegistry, max_bytes: int) -> CacheRow:
    """Parse one file into its cache row."""
    outcome = read_evidence(task.path, task.rel, task.folder, root, registry, max_bytes)
    return row_of(outcome, task.folder, task.size, task.mtime_ns)


def read_row(
    entry: FolderEntry, root: Path, registry: LoaderRegistry, max_bytes: int
) -> CacheRow | None:
    """The cache row of a listed file, parsed now; None for an entry that is no regular file
    (a link, a folder, a pipe) or is gone: the caller reads it directly, uncached."""
    try:
        status = os.lstat(entry.location)
    except OSError:
        return None
    if not cacheable(status):
        return None
    task = FileTask(entry.location, entry.rel, entry.folder_id, status.st_size, status.st_mtime_ns)
    return read_task(task, root, registry, max_bytes)


def shared_registry() -> LoaderRegistry:
    """The built-in loaders, built once per process (a worker's, or the parent's)."""
    global _registry
    if _registry is None:
        _registry = default_registry()
    return _registry


def _read_batch(batch: list[FileTask], root: Path, max_bytes: int) -> list[CacheRow]:
    """The rows of one batch, read with the cyclic collector paused.

    Parsing a file makes thousands of short-lived containers and (since transcripts let go of
    their readers) no reference cycles: every object is freed by reference counting, and the
    automatic collections the allocations triggered only walked live objects, about a twentieth
    of a file's time. Any cycle a batch does leave waits for the next collection after it.
    """
    registry = shared_registry()
    with collection_paused():
        return [read_task(task, root, registry, max_bytes) for task in batch]


class _Claims:
    """Which batches someone has started: shared by the parent and its workers, so that each
    batch is read once, by whoever gets to it first."""

    def __init__(self, flags: SynchronizedArray[int]) -> None:
        self.flags = flags

    def claim(self, index: int) -> bool:
        """Whether ``index`` was still free (it is now taken by the caller)."""
        with self.flags.get_lock():
            taken = bool(self.flags[index])
            self.flags[index] = 1
        return not taken


_claims: _Claims | None = None


def _start_worker(flags: SynchronizedArray[int]) -> None:
    global _claims
    _claims = _Claims(flags)
    shared_registry()
    # What the worker imported stays alive to its end: later collections need not walk it.
    gc.freeze()


# A cache row as it travels from a worker to the parent: its fields in order, as a tuple (a
# frozen dataclass with slots is pickled and rebuilt field by field in Python, three times the
# cost of the tuple and of building the row again from it).
_row_values = attrgetter(*(field.name for field in fields(CacheRow)))
Batch = TypeVar("Batch")
BatchIn = TypeVar("BatchIn", contravariant=True)
Result = TypeVar("Result")
Taken = TypeVar("Taken")


class _BatchWork(Protocol[BatchIn, Result]):
    """What the pool does with one batch, and how its result travels from a worker."""

    def __call__(self, batch: BatchIn) -> Result: ...

    def sent(self, result: Result) -> object:
        """The result in a form cheap to pickle (plain tuples)."""

    def received(self, sent: Any) -> Result:
        """The result again, from what :meth:`sent` gave."""


def _claimed(index: int, work: _BatchWork[Batch, Result], batch: Batch) -> object | None:
    """A worker's result of batch ``index``, as sent, or None when the parent has taken it."""
    assert _claims is not None
    if not _claims.claim(index):
        return None
    return work.sent(work(batch))


def _run_batches(
    work: _BatchWork[Batch, Result],
    batches: list[Batch],
    jobs: int,
    take: Callable[[Result], Taken],
) -> list[Taken]:
    """``take(work(batch))`` of every batch, in order, by the parent and ``jobs - 1`` workers.

    ``take`` runs in the parent, on each result as soon as it is there: between two batches
    of its own, the parent takes the ones the workers have finished, so little is left to take
    once the last batch is read.
    """
    if len(batches) < 2 or jobs < 2:
        return [take(work(batch)) for batch in batches]
    # spawn, not fork: the parent may hold threads (Arrow's pools) that a fork would copy broken.
    context = multiprocessing.get_context("spawn")
    flags = context.Array("b", len(batches))
    claims = _Claims(flags)
    taken: list[Taken | None] = [None] * len(batches)
    workers = min(jobs - 1, len(batches) - 1)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(flags,)
    ) as pool:
        futures = [pool.submit(_claimed, index, work, batch) for index, batch in enumerate(batches)]
        waiting = dict(enumerate(futures))

        def take_sent(index: int) -> None:
            sent = waiting.pop(index).result()
            if sent is not None:  # else the parent read it
                taken[index] = take(work.received(sent))

        # Workers go from the first batch on, the parent from the last one back, until they meet.
        for index in reversed(range(len(batches))):
            if not claims.claim(index):
                break
            del waiting[index]  # its worker call finds it claimed
            taken[index] = take(work(batches[index]))
            for finished in [i for i, future in waiting.items() if future.done()]:
                take_sent(finished)
        for index in sorted(waiting):
            take_sent(index)
    done: list[Taken] = []
    for result in taken:
        assert result is not None  # each batch was read by the parent or by a worker
        done.append(result)
    return done


@dataclass(frozen=True, slots=True)
class _FileBatches:
    """Parses a batch of files into their cache rows."""

    root: Path
    max_bytes: int

    def __call__(self, batch: list[FileTask]) -> list[CacheRow]:
        return _read_batch(batch, self.root, self.max_bytes)

    def sent(self, result: list[CacheRow]) -> list[tuple[Any, ...]]:
        return [_row_values(row) for row in result]

    def received(self, sent: list[tuple[Any, ...]]) -> list[CacheRow]:
        return [CacheRow(*values) for values in sent]


def _batches(tasks: list[FileTask], jobs: int) -> list[list[FileTask]]:
    """Consecutive tasks cut at folder boundaries into about ``jobs * 24`` batches."""
    target = max(1, len(tasks) // (jobs * _BATCHES_PER_JOB))
    batches: list[list[FileTask]] = [[]]
    for task in tasks:
        current = batches[-1]
        if len(current) >= target and current[-1].folder != task.folder:
            batches.append([])
        batches[-1].append(task)
    return [batch for batch in batches if batch]


def read_parallel(tasks: list[FileTask], root: Path, max_bytes: int, jobs: int) -> list[CacheRow]:
    """Cache rows of ``tasks`` in their order, parsed by the parent and ``jobs - 1`` workers."""
    batches = _run_batches(_FileBatches(root, max_bytes), _batches(tasks, jobs), jobs, list)
    return [row for batch in batches for row in batch]


class FolderRead(NamedTuple):
    """One rehearsal folder walked and read: its id, its entries in order, each one's cache row
    (None for an entry the caller reads itself: a link, a file gone or not a regular file), and
    the listings of its folders (see :attr:`ListingMemory.fresh`)."""

    folder_id: str
    entries: list[FolderEntry]
    rows: list[CacheRow | None]
    listings: dict[str, FolderListing]


@dataclass(frozen=True, slots=True)
class _FolderBatches:
    """Walks a batch of rehearsal folders and parses their files: on a first run, the walk is
    shared by the processes too, and no task per file travels to a worker."""

    walk: FolderWalk  # not the whole layout: the work travels with every batch
    root: Path
    max_bytes: int

    def __call__(self, batch: list[tuple[str, str]]) -> list[FolderRead]:
        memory = ListingMemory(nothing_known, 0, 0)
        memory.start(self.walk.data_dir)
        registry = shared_registry()
        read: list[FolderRead] = []
        with collection_paused():
            for folder_id, folder in batch:
                memory.fresh = {}
                entries = folder_entries(self.walk, folder_id, folder, memory)
                rows = [read_row(e, self.root, registry, self.max_bytes) for e in entries]
                read.append(FolderRead(folder_id, entries, rows, memory.fresh))
        return read

    def sent(self, result: list[FolderRead]) -> list[tuple[Any, ...]]:
        return [
            (
                read.folder_id,
                [(entry.location, entry.rel) for entry in read.entries],
                [None if row is None else _row_values(row) for row in read.rows],
                [
                    (key, listing.identity, listing.files, listing.folders)
                    for key, listing in read.listings.items()
                ],
            )
            for read in result
        ]

    def received(self, sent: list[tuple[Any, ...]]) -> list[FolderRead]:
        return [
            FolderRead(
                folder_id,
                [FolderEntry(folder_id, location, rel) for location, rel in entries],
                [None if values is None else CacheRow(*values) for values in rows],
                {
                    key: FolderListing(identity, files, folders)
                    for key, identity, files, folders in listings
                },
            )
            for folder_id, entries, rows, listings in sent
        ]


def _folder_batches(folders: list[tuple[str, str]], jobs: int) -> list[list[tuple[str, str]]]:
    """Consecutive rehearsal folders in about ``jobs * 64`` batches."""
    size = max(1, len(folders) // (jobs * _FOLDER_BATCHES_PER_JOB))
    return [folders[start : start + size] for start in range(0, len(folders), size)]


def read_folders_parallel(
    layout: CorpusLayout,
    root: Path,
    max_bytes: int,
    jobs: int,
    take: Callable[[list[FolderRead]], Taken],
) -> list[Taken]:
    """``take`` of every batch of rehearsal folders of ``layout`` walked and read, in order, by
    the parent and ``jobs - 1`` workers: the first run over a corpus (nothing to look up in a
    cache). ``take`` runs in the parent, as soon as each batch is read (see _run_batches)."""
    work = _FolderBatches(layout.walk, root, max_bytes)
    return _run_batches(work, _folder_batches(layout.folders, jobs), jobs, take)
