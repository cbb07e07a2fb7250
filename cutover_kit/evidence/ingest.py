"""Walking a corpus and reading its files through the cache and the worker pool, in order.

Without cache, with one job and for a small corpus this is the plain loop over
:func:`~cutover_kit.evidence.reader.read_evidence`. Otherwise every file's result travels as a
:class:`~cutover_kit.evidence.cache.CacheRow`: stored rows of unchanged files are reused, the
others are parsed (in worker processes when ``jobs`` > 1), and the rows of this run become the
new cache, so deleted files drop out of it. A first run (nothing cached to look up) with
several jobs over many rehearsals hands whole rehearsal folders to the pool, walk included.
Every path gives the same outcomes.
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
from cutover_kit.evidence.corpus import (
    CorpusLayout,
    FolderEntry,
    FolderListing,
    corpus_layout,
    folder_entries,
)
from cutover_kit.evidence.listing_cache import ListingCache
from cutover_kit.evidence.parallel import (
    FileTask,
    FolderRead,
    read_folders_parallel,
    read_parallel,
    read_row,
    read_task,
)
from cutover_kit.evidence.reader import FileOutcome, read_evidence
from cutover_kit.evidence.registry import LoaderRegistry

# Below this many files to parse, starting worker processes costs more than it saves; from this
# many files on, parsed records are kept packed (pickled) even without cache, to bound memory.
POOL_MIN_FILES = 2000
# From this many rehearsal folders on (about 4,000 files), a first run with several jobs reads
# them in the pool, walk included: over 100 rehearsals (1,900 files) two processes took 0.61 s
# where one took 0.48 s, starting the worker costing more than it saved.
POOL_MIN_FOLDERS = 200


@dataclass(frozen=True)
class IngestOptions:
    """How to read: through the cache (``cache_dir`` or ``DATA_DIR/.cutover-kit``), in ``jobs``
    worker processes. The default is the plain loop: no cache, one process."""

    use_cache: bool = False
    cache_dir: Path | None = None
    jobs: int = 1


class CorpusRead(NamedTuple):
    """Every file of the corpus (see :func:`corpus_entries`) with its outcome, in order, and
    the identity (as text, see :class:`SessionIdentity`) of the session manifests read or known
    to the cache, by path."""

    entries: list[FolderEntry]
    outcomes: list[FileOutcome]
    identities: dict[str, str]


def ingest_corpus(
    data_dir: Path,
    skip: Iterable[Path],
    registry: LoaderRegistry,
    max_bytes: int,
    options: IngestOptions,
    *,
    default_loaders: bool = True,
) -> CorpusRead:
    """Walk ``data_dir`` (leaving out the ``skip`` folders) and read every file, in order.

    A custom registry is never cached nor sent to worker processes (its loaders may not
    survive pickling and no fingerprint covers them). A first run over a corpus of many
    rehearsals (nothing cached) with several jobs shares the walk among the processes too.
    """
    root = data_dir.resolve()
    reparse = _Reparser(data_dir, root, registry, max_bytes)
    cached_at = cache_file(data_dir, options.cache_dir)
    with collection_paused():  # nearly every object made is kept: see evidence.collector
        layout = corpus_layout(data_dir, skip)
    first_run = not options.use_cache or not IngestCache.may_hold_rows(cached_at, max_bytes)
    if (
        default_loaders
        and options.jobs > 1
        and first_run
        and len(layout.folders) >= POOL_MIN_FOLDERS
    ):
        return _read_first_run(
            layout, cached_at if options.use_cache else None, reparse, options.jobs
        )
    with collection_paused():
        listings = ListingCache(cached_at.parent) if options.use_cache else None
        memory = listings.memory if listings is not None else None
        if memory is not None:
            memory.start(layout.walk.data_dir)
        entries = list(layout.strays)
        for folder_id, folder in layout.folders:
            entries.extend(folder_entries(layout.walk, folder_id, folder, memory))
    if listings is not None:
        listings.save()
        del listings, memory  # the last run's listings are let go before the files are read
    if not default_loaders or (
        not options.use_cache and options.jobs <= 1 and len(entries) < POOL_MIN_FILES
    ):
        return CorpusRead(
            entries,
            [reparse.listed(entry) for entry in entries],
            {},
        )
    with collection_paused():  # its columns become lists kept all run
        store = IngestCache.open(cached_at, max_bytes, reparse) if options.use_cache else None
    return _read_entries(entries, store, reparse, options.jobs)


def _read_first_run(
    layout: CorpusLayout, cached_at: Path | None, reparse: _Reparser, jobs: int
) -> CorpusRead:
    """The corpus walked and read by the worker pool, folder by folder: nothing is cached yet
    (or ``cached_at`` is None: no cache), so no file needs looking up first and no folder
    listing is known. The parent puts the results together and writes both caches."""
    # Made before the walk: it notes when the walk began (see ListingMemory.started_ns).
    listings = ListingCache(cached_at.parent) if cached_at is not None else None
    strays = FolderRead(
        "",
        layout.strays,
        [read_row(e, reparse.root, reparse.registry, reparse.max_bytes) for e in layout.strays],
        {},
    )
    with collection_paused():  # nearly every object made is kept: see evidence.collector
        parts = [
            _FolderPart.of([strays], reparse),
            *read_folders_parallel(
                layout,
                reparse.root,
                reparse.max_bytes,
                jobs,
                partial(_FolderPart.of, reparse=reparse),
            ),
        ]
        if listings is not None:  # first: its listings are let go before the rows are saved
            for part in parts:
                listings.memory.fresh.update(part.listings)
                part.listings.clear()
            listings.save()
            del listings
        if cached_at is not None:
            rows = [row for part in parts for row in part.rows]
            IngestCache.open(cached_at, reparse.max_bytes, reparse).save([], rows)
        return CorpusRead(
            [entry for part in parts for entry in part.entries],
            [outcome for part in parts for outcome in part.outcomes],
            {rel: identity for part in parts for rel, identity in part.identities.items()},
        )


class _FolderPart(NamedTuple):
    """The outcomes, cache rows and listings of a batch of rehearsal folders read at once."""

    entries: list[FolderEntry]
    outcomes: list[FileOutcome]
    rows: list[CacheRow]
    identities: dict[str, str]
    listings: dict[str, FolderListing]

    @classmethod
    def of(cls, reads: list[FolderRead], reparse: _Reparser) -> _FolderPart:
        """The part of a batch just read: the parent builds it between batches of its own, so
        the accounts of the whole corpus are ready when the last batch is."""
        part = cls([], [], [], {}, {})
        for read in reads:
            part.entries.extend(read.entries)
            part.listings.update(read.listings)
            for entry, row in zip(read.entries, read.rows, strict=True):
                if row is None:
                    part.outcomes.append(reparse.listed(entry))
                    continue
                if row.identity is not None:
                    part.identities[row.rel] = row.identity
                part.rows.append(row)
                part.outcomes.append(reparse.from_row(row))
        return part


def _read_entries(
    entries: list[FolderEntry], store: IngestCache | None, reparse: _Reparser, jobs: int
) -> CorpusRead:
    """Every entry's outcome, in entry order, through the cache (when ``store``) and the pool.

    Per entry, its outcome is known at once for an unchanged file (the usual case in a warm
    run, so it is decided in this one pass), else once its file is parsed or read (``None``
    until then, with its slot pending: a fresh row of a touched file, a file to parse, or an
    entry read directly: a link, or a file gone since it was listed).
    """
    stored = store.stored if store is not None else None
    root, registry, max_bytes = reparse.root, reparse.registry, reparse.max_bytes
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
    if jobs > 1 and len(tasks) >= POOL_MIN_FILES and len({t.folder for t in tasks}) > 1:
        parsed = iter(read_parallel(tasks, root, max_bytes, jobs))
    else:
        parsed = iter([read_task(task, root, registry, max_bytes) for task in tasks])
    fresh: list[CacheRow] = []
    with collection_paused():
        for position, slot in pending:
            if isinstance(slot, FolderEntry):
                outcomes[position] = reparse.listed(slot)
                continue
            row = next(parsed) if isinstance(slot, FileTask) else slot
            if row.identity is not None:
                identities[row.rel] = row.identity
            fresh.append(row)
            outcomes[position] = reparse.from_row(row)
        if store is not None:
            store.save(reused, fresh)
        if stored is not None:
            stored.release_lookups()
    return CorpusRead(entries, [outcome for outcome in outcomes if outcome is not None], identities)


@dataclass(frozen=True, slots=True)
class _Reparser:
    """Reads one file in this process: again when its cached extract is damaged (called with
    its path and folder), or directly as listed (:meth:`listed`).

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

    def listed(self, entry: FolderEntry) -> FileOutcome:
        """An entry read directly, at its path as listed, uncached: a link, a file gone since
        it was listed, anything not a regular file (its text name may differ from its bytes)."""
        return read_evidence(
            entry.path, entry.rel, entry.folder_id, self.root, self.registry, self.max_bytes
        )

    def from_row(self, row: CacheRow) -> FileOutcome:
        """The outcome of a file just parsed, from its row; this object parses it again if its
        packed extract turns out damaged."""
        return outcome_from_row(row, partial(self, row.rel, row.folder))
