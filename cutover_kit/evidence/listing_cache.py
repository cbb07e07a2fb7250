"""The folder listings of the last walk, kept beside the ingest cache.

Listing the 141,000 folders of a year of rehearsals took half of a warm run; a ``stat`` per
folder tells which of them changed (see :class:`~cutover_kit.evidence.corpus.ListingMemory`).
The listings are one small Parquet file, replaced atomically like the ingest cache: each listing
is checked against its folder, never against the ingest cache, so the two files need not come
from the same run. Like the ingest cache it is only a cache: deleting it changes no output byte,
and one that cannot be read or has another format is ignored with a :class:`CacheWarning`.
"""

from __future__ import annotations

import os
import time
import uuid
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cutover_kit.errors import CacheWarning
from cutover_kit.evidence.cache import RACY_NS, read_only
from cutover_kit.evidence.corpus import FolderListing, ListingMemory

LISTING_FILE = "folders.parquet"
LISTING_FORMAT = "cutover-kit/folder-listings.v1"
# Names never hold a "/": each folder's names are stored as one string, joined by it.
_SEPARATOR = "/"
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
    """The stored listings by folder, each rebuilt from its row when first looked up (most
    folders are looked up once, and building 141,000 listings up front cost a tenth of a run)."""

    def __init__(self, table: pa.Table) -> None:
        self._rows = {name: row for row, name in enumerate(table.column("folder").to_pylist())}
        self._identities: list[list[int]] = [
            table.column(name).to_numpy().tolist()
            for name in ("dev", "ino", "mtime_ns", "ctime_ns")
        ]
        self._files: list[str] = table.column("files").to_pylist()
        self._folders: list[str] = table.column("folders").to_pylist()

    def get(self, key: str) -> FolderListing | None:
        row = self._rows.get(key)
        if row is None:
            return None
        dev, ino, mtime, ctime = (column[row] for column in self._identities)
        return FolderListing(
            (dev, ino, mtime, ctime), _names(self._files[row]), _names(self._folders[row])
        )


def _names(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(_SEPARATOR)) if joined else ()


def open_listings(cache_dir: Path) -> ListingMemory:
    """The listings stored under ``cache_dir`` (none when missing; a bad file warns)."""
    started_ns = time.time_ns()
    path = cache_dir / LISTING_FILE
    empty = ListingMemory(lambda _: None, 0, started_ns)
    if not path.exists():
        return empty
    try:
        table = pq.read_table(path, use_threads=False)
        metadata = table.schema.metadata or {}
        if metadata.get(b"format") != LISTING_FORMAT.encode():
            raise ValueError("another format")
        if not table.schema.equals(_SCHEMA, check_metadata=False):
            raise ValueError("unexpected columns")
        listed_ns = int(metadata[b"listed_ns"])
        known = _StoredListings(table)
    except Exception as exc:  # noqa: BLE001 - any unreadable listing file is rebuilt
        warnings.warn(f"cache {path} is unreadable ({exc}); rebuilding it", CacheWarning, 2)
        return empty
    return ListingMemory(known.get, listed_ns - RACY_NS, started_ns)


def save_listings(cache_dir: Path, memory: ListingMemory) -> None:
    """Replace the stored listings with this walk's, atomically, when any folder was listed
    anew (a failure only warns)."""
    if not memory.changed or read_only(cache_dir):
        return
    keys = [key for key, listing in memory.listed.items() if _storable(key, listing)]
    listings = [memory.listed[key] for key in keys]
    columns = {
        "folder": keys,
        "dev": [listing.identity[0] for listing in listings],
        "ino": [listing.identity[1] for listing in listings],
        "mtime_ns": [listing.identity[2] for listing in listings],
        "ctime_ns": [listing.identity[3] for listing in listings],
        "files": [_SEPARATOR.join(listing.files) for listing in listings],
        "folders": [_SEPARATOR.join(listing.folders) for listing in listings],
    }
    path = cache_dir / LISTING_FILE
    metadata = {"format": LISTING_FORMAT, "listed_ns": str(memory.started_ns)}
    try:
        table = pa.table(columns, schema=_SCHEMA.with_metadata(metadata))
        cache_dir.mkdir(parents=True, exist_ok=True)
        # A name of this process's own: two runs never write the same temporary file.
        temporary = path.with_name(f".{LISTING_FILE}.{os.getpid()}.{uuid.uuid4().hex}")
        try:
            pq.write_table(table, temporary)
            temporary.replace(path)
        finally:
            temporary.unlink(missing_ok=True)
    except (OSError, ValueError) as exc:
        warnings.warn(f"cannot write cache {path} ({exc}); not cached", CacheWarning, 2)


def _storable(key: str, listing: FolderListing) -> bool:
    """A folder whose path and names are all text (one with a name that is not UTF-8 is
    listed again each time: Parquet strings are UTF-8)."""
    try:
        key.encode("utf-8")
        _SEPARATOR.join((*listing.files, *listing.folders)).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
