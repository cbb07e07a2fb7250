"""Reading the files of many rehearsal folders at once, in a pool of worker processes.

Parsing is pure Python, so threads would queue on the interpreter lock: worker processes read
whole batches of folders and send back cache rows (pickled results), which the parent puts back
in the corpus's own file order. The output never depends on the number of workers.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from cutover_kit.evidence.builtin import default_registry
from cutover_kit.evidence.cache import CacheRow, split_outcome
from cutover_kit.evidence.reader import read_evidence
from cutover_kit.evidence.registry import LoaderRegistry

# Batches per worker: enough to even out slow and fast folders, few enough to keep overhead low.
_BATCHES_PER_WORKER = 8
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
    outcome = read_evidence(Path(task.path), task.rel, task.folder, root, registry, max_bytes)
    row, _ = split_outcome(outcome, task.folder, task.size, task.mtime_ns)
    return row


def _read_batch(batch: list[FileTask], root: Path, max_bytes: int) -> list[CacheRow]:
    global _registry  # one registry per worker process, built on first use
    if _registry is None:
        _registry = default_registry()
    return [read_task(task, root, _registry, max_bytes) for task in batch]


def _batches(tasks: list[FileTask], jobs: int) -> list[list[FileTask]]:
    """Consecutive tasks cut at folder boundaries into about ``jobs * 8`` batches."""
    target = max(1, len(tasks) // (jobs * _BATCHES_PER_WORKER))
    batches: list[list[FileTask]] = [[]]
    for task in tasks:
        current = batches[-1]
        if len(current) >= target and current[-1].folder != task.folder:
            batches.append([])
        batches[-1].append(task)
    return [batch for batch in batches if batch]


def read_parallel(tasks: list[FileTask], root: Path, max_bytes: int, jobs: int) -> list[CacheRow]:
    """Cache rows of ``tasks`` in their order, parsed by ``jobs`` worker processes."""
    batches = _batches(tasks, jobs)
    # spawn, not fork: the parent may hold threads (Arrow's pools) that a fork would copy broken.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(jobs, len(batches)), mp_context=context) as pool:
        results = pool.map(_read_batch, batches, repeat(root), repeat(max_bytes))
        return [row for batch in results for row in batch]
