"""Reading the files of many rehearsal folders at once, in a pool of worker processes.

Parsing is pure Python, so threads would queue on the interpreter lock: worker processes read
whole batches of folders and send back cache rows (pickled results), which the parent puts back
in the corpus's own file order. The parent is one of the ``jobs``: it reads batches from the end
of the corpus while the workers take them from the front, so the seconds a worker spends starting
(a fresh interpreter importing the kit) are not lost, and the last batches go to whoever is free.
The output never depends on the number of workers nor on who read which batch.
"""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields
from multiprocessing.sharedctypes import SynchronizedArray
from operator import attrgetter
from pathlib import Path
from typing import Any

from cutover_kit.evidence.builtin import default_registry
from cutover_kit.evidence.cache import CacheRow, row_of
from cutover_kit.evidence.collector import collection_paused
from cutover_kit.evidence.reader import read_evidence
from cutover_kit.evidence.registry import LoaderRegistry

# Batches per job: small enough that the parent and the workers finish close together, large
# enough that sending a batch and its rows costs little next to parsing it.
_BATCHES_PER_JOB = 24
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


def _shared_registry() -> LoaderRegistry:
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
    registry = _shared_registry()
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
    _shared_registry()
    # What the worker imported stays alive to its end: later collections need not walk it.
    gc.freeze()


# A cache row as it travels from a worker to the parent: its fields in order, as a tuple (a
# frozen dataclass with slots is pickled and rebuilt field by field in Python, three times the
# cost of the tuple and of building the row again from it).
_row_values = attrgetter(*(field.name for field in fields(CacheRow)))


def _claimed_batch(
    index: int, batch: list[FileTask], root: Path, max_bytes: int
) -> list[tuple[Any, ...]] | None:
    """A worker's rows of batch ``index`` (as tuples), or None when the parent has taken it."""
    assert _claims is not None
    if not _claims.claim(index):
        return None
    return [_row_values(row) for row in _read_batch(batch, root, max_bytes)]


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
    batches = _batches(tasks, jobs)
    if len(batches) < 2 or jobs < 2:
        return [row for batch in batches for row in _read_batch(batch, root, max_bytes)]
    # spawn, not fork: the parent may hold threads (Arrow's pools) that a fork would copy broken.
    context = multiprocessing.get_context("spawn")
    flags = context.Array("b", len(batches))
    claims = _Claims(flags)
    rows: list[list[CacheRow] | None] = [None] * len(batches)
    workers = min(jobs - 1, len(batches) - 1)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(flags,)
    ) as pool:
        futures = [
            pool.submit(_claimed_batch, index, batch, root, max_bytes)
            for index, batch in enumerate(batches)
        ]
        # Workers go from the first batch on, the parent from the last one back, until they meet.
        for index in reversed(range(len(batches))):
            if not claims.claim(index):
                break
            rows[index] = _read_batch(batches[index], root, max_bytes)
        for index, future in enumerate(futures):
            sent = future.result()
            if sent is not None:
                rows[index] = [CacheRow(*values) for values in sent]
    ordered: list[CacheRow] = []
    for batch_rows in rows:
        assert batch_rows is not None  # each batch was read by the parent or by a worker
        ordered.extend(batch_rows)
    return ordered
