"""The folder listings of the last walk, kept beside the ingest cache.

Listing the 141,000 folders of a year of rehearsals took half of a warm run; a ``stat`` per
folder tells which of them changed (see :class:`~cutover_kit.evidence.corpus.ListingMemory`).
The listings are one small Parquet file, replaced atomically like the ingest cache: each listing
is checked against its folder, never against the ingest cache, so the two files need not come
from the same run. Like the ingest cache it is only a cache: deleting it changes no output byte,
and one that cannot be read or has another format is ignored with a :class:`CacheWarning`.
"""

from __future__ import annotations

import time
import warnings
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cutover_kit.errors import CacheWarning
from cutover_kit.evidence.cache import RACY_NS, read_only, replace_atomically
from cutover_kit.evidence.corpus import FolderIdentity, FolderListing, ListingMemory, nothing_known

LISTING_FILE = "folders.parquet"
LISTING_FORMAT = "cutover-kit/folder-listings.v1"
# Names never hold a "/": each folder's names are stored as one string, joined by it.
_SEPARATOR = "/"
_IDENTITY = ("dev", "ino", "mtime_ns", "ctime_ns")
_SCHEMA = pa.schema(
    [
        ("folder", pa.string()),
        ("dev", pa.uint64()),
        ("ino", pa.uint64()),
        ("mtime_ns", pa.int64()),
        ("ctime_ns", pa.int64()),
        ("files", pa.string()),
        ("folders", pa.string()),
    ]
)


class _StoredListings:
    """The stored listings, a folder's names split out of its row only when its identity matches
    (building 141,000 listings up front cost a tenth of a warm run)."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table
        self.rows = {name: row for row, name in enumerate(table.column("folder").to_pylist())}
        self._identities = list(
            zip(
                *(table.column(name).to_numpy().tolist() for name in _IDENTITY),
                strict=True,
            )
        )
        self._files: list[str] = table.column("files").to_pylist()
        self._folders: list[str] = table.column("folders").to_pylist()

    def names(self, key: str, identity: FolderIdentity) -> tuple[list[str], list[str]] | None:
        row = self.rows.get(key)
        if row is None or self._identities[row] != identity:
            return None
        return _names(self._files[row]), _names(self._folders[row])


def _names(joined: str) -> list[str]:
    return joined.split(_SEPARATOR) if joined else []


class ListingCache:
    """The listings file of a cache folder: read before a walk (:attr:`memory`), replaced after
    it when any folder was listed anew (:meth:`save`)."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / LISTING_FILE
        started_ns = time.time_ns()
        self._stored = self._read()
        if self._stored is None:
            self.memory = ListingMemory(nothing_known, 0, started_ns)
        else:
            listed_ns = int((self._stored.table.schema.metadata or {})[b"listed_ns"])
            self.memory = ListingMemory(self._stored.names, listed_ns - RACY_NS, started_ns)

    def _read(self) -> _StoredListings | None:
        """The stored listings (None when missing; an unusable file warns)."""
        if not self.path.exists():
            return None
        try:
            table = pq.read_table(self.path, use_threads=False)
            metadata = table.schema.metadata or {}
            if metadata.get(b"format") != LISTING_FORMAT.encode():
                raise ValueError("another format")
            if not table.schema.equals(_SCHEMA, check_metadata=False):
                raise ValueError("unexpected columns")
            int(metadata[b"listed_ns"])
            return _StoredListings(table)
        except Exception as exc:  # noqa: BLE001 - any unreadable listing file is rebuilt
            warnings.warn(
                f"cache {self.path} is unreadable ({exc}); rebuilding it", CacheWarning, 3
            )
            return None

    def save(self) -> None:
        """Replace the stored listings with this walk's, atomically, when any folder was listed
        anew (a failure only warns). Reused listings are copied as stored, column-wise."""
        memory = self.memory
        if not memory.fresh or read_only(self.path.parent):
            return
        fresh = [(key, listing) for key, listing in memory.fresh.items() if _storable(key, listing)]
        columns = {
            "folder": [key for key, _ in fresh],
            **{
                name: [listing.identity[i] for _, listing in fresh]
                for i, name in enumerate(_IDENTITY)
            },
            "files": [_SEPARATOR.join(listing.files) for _, listing in fresh],
            "folders": [_SEPARATOR.join(listing.folders) for _, listing in fresh],
        }
        metadata = {"format": LISTING_FORMAT, "listed_ns": str(memory.started_ns)}
        schema = _SCHEMA.with_metadata(metadata)
        try:
            table = pa.table(columns, schema=schema)
            if self._stored is not None and memory.reused:
                rows = self._stored.rows
                kept = self._stored.table.take([rows[key] for key in memory.reused])
                table = pa.concat_tables([kept.replace_schema_metadata(metadata), table])
            self.path.parent.mkdir(parents=True, exist_ok=True)
            replace_atomically(self.path, partial(pq.write_table, table))
        except (OSError, ValueError) as exc:
            warnings.warn(f"cannot write cache {self.path} ({exc}); not cached", CacheWarning, 3)


def _storable(key: str, listing: FolderListing) -> bool:
    """A folder whose path and names are all text (one with a name that is not UTF-8 is
    listed again each time: Parquet strings are UTF-8)."""
    try:
        key.encode("utf-8")
        _SEPARATOR.join((*listing.files, *listing.folders)).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
