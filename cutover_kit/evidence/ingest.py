"""Reading a corpus's files through the cache and the worker pool, in the corpus's order.

Without cache, with one job and for a small corpus this is the plain loop over
:func:`~cutover_kit.evidence.reader.read_evidence`. Otherwise every file's result travels as a
:class:`~cutover_kit.evidence.cache.CacheRow`: stored rows of unchanged files are reused, the
others are parsed (in worker processes when ``jobs`` > 1), and the rows of this run become the
new cache, so deleted files drop out of it. Every path gives the same outcomes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple

from cutover_kit.evidence.cache import (
    CacheRow,
    IngestCache,
    cache_file,
    cacheable,
    outcome_from_row,
)
from cutover_kit.evidence.collector import collection_paused
from cutover_kit.evidence.corpus import FolderEntry
from cutover_kit.evidence.parallel import FileTask, read_parallel, read_task
from cutover_kit.evidence.reader import FileOutcome, read_evidence
from cutover_kit.evidence.registry import LoaderRegistry

# Below this many files to parse, starting worker processes costs more than it saves; from this
# many files on, parsed records are kept packed (pickled) even without cache, to bound memory.
POOL_MIN_FILES = 2000


@dataclass(frozen=True)
class IngestOptions:
    """How to read: through the cache (``cache_dir`` or ``DATA_DIR/.cutover-kit``), in ``jobs``
    worker processes. The default is the plain loop: no cache, one process."""

    use_cache: bool = False
    cache_dir: Path | None = None
    jobs: int = 1


class CorpusRead(NamedTuple):
    """Every entry's outcome, in entry order, and the identity (as text, see
    :class:`SessionIdentity`) of the session manifests the cache knows, by path."""

    outcomes: list[FileOutcome]
    identities: dict[str, str]


def read_corpus(
    data_dir: Path,
    entries: Iterable[FolderEntry],
    root: Path,
    registry: LoaderRegistry,
    max_bytes: int,
    options: IngestOptions,
    *,
    default_loaders: bool = True,
) -> CorpusRead:
    """Every entry's outcome, in entry order. A custom registry is never cached nor sent to
    worker processes (its loaders may not survive pickling and no fingerprint covers them)."""
    entries = list(entries)
    small = len(entries) < POOL_MIN_FILES
    if not default_loaders or (not options.use_cache and options.jobs <= 1 and small):
        return CorpusRead(
            [read_evidence(e.path, e.rel, e.folder_id, root, registry, max_bytes) for e in entries],
            {},
        )
    reparse = _Reparser(data_dir, root, registry, max_bytes)
    with collection_paused():  # its columns become lists kept all run
        store = (
            IngestCache.open(cache_file(data_dir, options.cache_dir), max_bytes, reparse)
            if options.use_cache
            else None
        )
    stored = store.stored if store is not None else None
    # Per entry, its outcome: at once for an unchanged file (the usual case in a warm run, so
    # it is decided in this one pass), else once its file is parsed or read (``None`` until
    # then, with its slot pending: a fresh row of a touched file, a file to parse, or an entry
    # read directly: a link, or a file gone since it was listed).
    outcomes: list[FileOutcome | None] = []
    pending: list[tuple[int, CacheRow | FileTask | FolderEntry]] = []
    reused: list[int] = []
    identities: dict[str, str] = {}
    # Nearly every object these two passes make is kept: see evidence.collector.
    with collection_paused():
        for entry in entries:
            try:
                status = os.lstat(entry.location)
            except OSError:
                pending.append((len(outcomes), entry))
                outcomes.append(None)
                continue
            if not cacheable(status):
                pending.append((len(outcomes), entry))
                outcomes.append(None)
                continue
            cached = (
                store.lookup(entry.location, entry.rel, entry.folder_id, status) if store else None
            )
            if isinstance(cached, int):
                assert stored is not None
                reused.append(cached)
                outcomes.append(stored.outcome(cached))
                identity = stored.identities[cached]
                if identity is not None:
                    identities[entry.rel] = identity
                continue
            pending.append(
                (
                    len(outcomes),
                    cached
                    or FileTask(
                        entry.location,
                        entry.rel,
                        entry.folder_id,
                        status.st_size,
                        status.st_mtime_ns,
                    ),
                )
            )
            outcomes.append(None)
    tasks = [slot for _, slot in pending if isinstance(slot, FileTask)]
    if options.jobs > 1 and len(tasks) >= POOL_MIN_FILES and len({t.folder for t in tasks}) > 1:
        parsed = iter(read_parallel(tasks, root, max_bytes, options.jobs))
    else:
        parsed = iter([read_task(task, root, registry, max_bytes) for task in tasks])
    fresh: list[CacheRow] = []
    with collection_paused():
        for position, slot in pending:
            if isinstance(slot, FolderEntry):
                outcomes[position] = read_evidence(
                    slot.path, slot.rel, slot.folder_id, root, registry, max_bytes
                )
                continue
            row = next(parsed) if isinstance(slot, FileTask) else slot
            if row.identity is not None:
                identities[row.rel] = row.identity
            fresh.append(row)
            outcomes[position] = outcome_from_row(row, partial(reparse, row.rel, row.folder))
        if store is not None:
            store.save(reused, fresh)
        if stored is not None:
            stored.release_lookups()
    return CorpusRead([outcome for outcome in outcomes if outcome is not None], identities)


@dataclass(frozen=True, slots=True)
class _Reparser:
    """Parses one file again: the fallback when its cached extract is damaged.

    One object per run: a closure per file kept its cache row alive as well, a tenth of the
    ledger's memory, and even a small object per file cost 16 MiB over a year of rehearsals.
    """

    data_dir: Path
    root: Path
    registry: LoaderRegistry
    max_bytes: int

    def __call__(self, rel: str, folder: str) -> FileOutcome:
        return read_evidence(
            self.data_dir / rel, rel, folder, self.root, self.registry, self.max_bytes
        )
