"""The incremental ingest cache: each file's parsed result, reused while the file is unchanged.

Parsing a year of rehearsals takes minutes; most of it never changes between two runs. The cache
keeps, per file, what :func:`~cutover_kit.evidence.reader.read_evidence` made of it, keyed by the
path and the file's size and modification time (its sha256 decides when those disagree, and for
files written too close to the cache to trust their timestamp). It is one Parquet file under
``DATA_DIR/.cutover-kit/`` (or ``--cache DIR``), replaced atomically, so two runs at once never
leave a torn cache: the last one to finish wins and both outputs are right.

It is only a cache: deleting it changes no output byte. A cache that cannot be read, was written
by another version of the evidence code or for another file-size limit is ignored with a
:class:`CacheWarning` and rebuilt. Results are stored packed (:mod:`~cutover_kit.evidence.packing`:
pickles of the kit's own evidence types, read back by an unpickler that refuses every other type,
so a planted cache cannot run code); a cache is still trusted like the evidence beside it (see
README, "Cache").
"""

from __future__ import annotations

import bisect
import hashlib
import io
import itertools
import json
import os
import stat
import sys
import time
import uuid
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from cutover_kit._version import __version__
from cutover_kit.errors import CacheWarning
from cutover_kit.evidence.codes import EvidenceKind
from cutover_kit.evidence.model import FileStatus
from cutover_kit.evidence.packing import CachedExtract, decode, encode, pack
from cutover_kit.evidence.reader import FileOutcome
from cutover_kit.evidence.session_identity import SessionIdentity

CACHE_FOLDER = ".cutover-kit"
CACHE_FILE = "ingest.parquet"
# The rows added, changed or dropped since the base cache file was written (see IngestCache).
ADDED_FILE = "ingest-added.parquet"
# Past an eighth of the base's rows added or dropped, the cache is written as one base again.
_ADDED_PER_BASE = 8
_FORMAT_FAMILY = "cutover-kit/ingest-cache."
CACHE_FORMAT = f"{_FORMAT_FAMILY}v6"
# The kinds the ledger reads while loading (to name each rehearsal, to check captures): their
# rows are written first, so loading reads the few row groups that hold them, not every one.
_READ_AT_LOAD = frozenset({EvidenceKind.SESSION_MANIFEST, EvidenceKind.COMMAND_LOG})
# A file modified this close to the moment the cache was written may change again within the same
# timestamp tick without changing size: its content hash is checked instead of trusted.
RACY_NS = 2_000_000_000
_STATUSES = {str(status): status for status in FileStatus}
# Rows per row group of the cache: also how many pickles are read at once when one is used.
_BATCH_ROWS = 1024

SCHEMA = pa.schema(
    [
        ("rel", pa.string()),
        ("folder", pa.string()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("sha256", pa.string()),
        ("kind", pa.string()),
        ("status", pa.string()),
        ("read_bytes", pa.int64()),
        ("has_extract", pa.bool_()),
        # A session manifest's identity (see SessionIdentity): naming a rehearsal reads this.
        ("identity", pa.string()),
        ("findings", pa.binary()),
        ("extract", pa.binary()),
    ]
)
# The extracts are compressed already (see pack): compressing them again only cost time. Only
# the columns with few distinct values are worth a dictionary.
_COMPRESSION = {name: "none" if name == "extract" else "snappy" for name in SCHEMA.names}
_DICTIONARY = ["folder", "kind", "status"]


class _Outdated(Exception):
    """The cache was written by other evidence code or for another file-size limit."""


@dataclass(frozen=True, slots=True)
class CacheRow:
    """One file's parsed result as stored: key (path, folder, size, mtime, sha256), the outcome's
    kind, status, bytes read and findings, and its extract, both pickled (``None`` when empty);
    a session manifest's identity (:class:`SessionIdentity`, as text) once it is known."""

    rel: str
    folder: str
    size: int
    mtime_ns: int
    sha256: str
    kind: str
    status: str
    read_bytes: int
    findings: bytes | None
    extract: bytes | None
    identity: str | None = None

    @property
    def has_extract(self) -> bool:
        return self.extract is not None


def row_of(outcome: FileOutcome, folder: str, size: int, mtime_ns: int) -> CacheRow:
    """The cache row of a freshly read file. A session manifest's identity is taken here, from
    the records just parsed: the process that parsed the file names the rehearsal, so the one
    that builds the ledger unpacks no manifest (10,000 of them were a second of a cold run)."""
    identity = None
    if outcome.kind == EvidenceKind.SESSION_MANIFEST and outcome.extract is not None:
        with suppress(TypeError):  # not a manifest: the ledger reports it when it reads it
            identity = SessionIdentity.of(outcome.extract).dumps()
    return CacheRow(
        outcome.path,
        folder,
        size,
        mtime_ns,
        outcome.sha256,
        str(outcome.kind),
        str(outcome.status),
        outcome.size,
        encode(outcome.findings) if outcome.findings else None,
        pack(outcome.extract) if outcome.extract is not None else None,
        identity,
    )


def outcome_from_row(row: CacheRow, reparse: Callable[[], FileOutcome]) -> FileOutcome:
    """The outcome of a freshly parsed file's row; its extract is unpickled when first used."""
    return FileOutcome(
        row.rel,
        sys.intern(row.folder),  # repeated on every file of a rehearsal: one string each
        sys.intern(row.kind),
        _STATUSES[row.status],
        row.sha256,
        row.read_bytes,
        CachedExtract(row.extract, reparse) if row.extract is not None else None,
        decode(row.findings) if row.findings is not None else [],
    )


@cache
def code_fingerprint() -> str:
    """sha256 of the evidence code: a cache written by other parsing code is never reused."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\n{__version__}\n".encode())
    package = Path(__file__).parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def cache_file(data_dir: Path, cache_dir: Path | None) -> Path:
    return (cache_dir or data_dir / CACHE_FOLDER) / CACHE_FILE


class _Segment:
    """One open cache file: its rows are stored rows ``first`` on, in row groups starting at
    ``group_starts``. Kept open: a run that replaces it meanwhile changes nothing here."""

    def __init__(self, parquet: pq.ParquetFile, handle: io.BufferedReader, first: int) -> None:
        self.parquet = parquet
        self.handle = handle
        self.opened = _identity(os.fstat(handle.fileno()))
        self.first = first
        metadata = parquet.metadata
        self.group_starts = list(
            itertools.accumulate(
                (metadata.row_group(g).num_rows for g in range(metadata.num_row_groups)),
                initial=first,
            )
        )
        metadata_kv = parquet.schema_arrow.metadata or {}
        self.written_ns = int(metadata_kv.get(b"written_ns", b"0"))
        self.id = metadata_kv.get(b"id", b"").decode()  # a base file's, named by added rows

    def row_group(self, group: int, columns: list[str] | None) -> pa.Table:
        """One row group of the open file, unless the file was changed in place since it was
        opened (then every read fails and each extract is parsed again from its file)."""
        if _identity(os.fstat(self.handle.fileno())) != self.opened:
            raise ValueError("the cache file was changed in place while in use")
        return self.parquet.read_row_group(group, columns=columns, use_threads=False)


class StoredRows:
    """The rows of the cache as read, and what looking a file up needs.

    The cache is a base file and, when files were added, changed or deleted since it was
    written, a smaller file of the rows added since (see :class:`IngestCache`): rows are
    numbered across both, and :attr:`index` holds the live ones by path.
    The small columns are read as Python lists (a run reads each once or twice per file). The
    pickles (nine tenths of the cache) are not read at all until an extract is used: then the
    row group that holds it is read, and the last few groups kept. Reading that column whole
    cost three times its size in memory while the rest was built.
    """

    # Row groups kept read (about 1 MiB each). Rows are stored in folder order, which in a fleet
    # groups them by service, while a history is evaluated in date order across every service:
    # four groups made 1,000 rehearsals of 12 pairs read 333 groups again (1.6 s of 4).
    _GROUPS_KEPT = 48

    def __init__(self, reparse_file: Callable[[str, str], FileOutcome]) -> None:
        self.reparse_file = reparse_file  # parses a file (path, folder) again
        self.segments: list[_Segment] = []
        self.rels: list[str] = []
        self.index: dict[str, int] = {}
        # Python lists, not arrays: reading an array item one at a time costs several times more
        # (a run reads each of these once or twice per file).
        self.sizes: list[int] = []
        self.mtimes: list[int] = []
        self.read_bytes: list[int] = []
        self.has_extract: list[bool] = []
        self.identities: list[str | None] = []
        self.sha256: list[str] = []
        self.folders: list[str] = []
        self.kinds: list[str] = []
        self.statuses: list[FileStatus] = []
        self.findings: list[bytes | None] = []
        self._groups: OrderedDict[tuple[int, int], pa.BinaryArray] = OrderedDict()

    def add(self, parquet: pq.ParquetFile, handle: io.BufferedReader) -> None:
        """Append the rows of one open cache file; a path already stored is now this row."""
        first = len(self.rels)
        self.segments.append(_Segment(parquet, handle, first))
        table = parquet.read(columns=[n for n in SCHEMA.names if n != "extract"], use_threads=False)
        rels: list[str] = table.column("rel").to_pylist()
        self.rels.extend(rels)
        self.index.update(zip(rels, range(first, first + len(rels)), strict=True))
        self.sizes.extend(table.column("size").to_numpy().tolist())
        self.mtimes.extend(table.column("mtime_ns").to_numpy().tolist())
        self.read_bytes.extend(table.column("read_bytes").to_numpy().tolist())
        self.has_extract.extend(table.column("has_extract").to_pylist())
        self.identities.extend(table.column("identity").to_pylist())
        self.sha256.extend(table.column("sha256").to_pylist())
        self.folders.extend(_distinct(table.column("folder")))
        self.kinds.extend(_distinct(table.column("kind")))
        self.statuses.extend(_distinct(table.column("status"), _STATUSES.__getitem__))
        self.findings.extend(table.column("findings").to_pylist())

    def drop(self, rows: Iterable[int]) -> None:
        """Rows no longer live (their files were deleted or changed since)."""
        for row in rows:
            if self.index.get(self.rels[row]) == row:
                del self.index[self.rels[row]]

    def __len__(self) -> int:
        return len(self.rels)

    def release_lookups(self) -> None:
        """Let go of what only looking files up and saving needed, once every outcome is built
        (each holds its own hash, kind, status and findings): a packed extract needs only its
        row's path and folder and the open files. At 10,000 rehearsals: 60 MiB."""
        self.index = {}
        self.sizes, self.mtimes, self.read_bytes = [], [], []
        self.has_extract, self.identities, self.sha256 = [], [], []
        self.kinds, self.statuses, self.findings = [], [], []

    def written_ns(self, row: int) -> int:
        """When the file holding row ``row`` was written (see :meth:`IngestCache.lookup`)."""
        return self._segment(row).written_ns

    def _segment(self, row: int) -> _Segment:
        """The file holding row ``row``: the base, or the rows added since (the last)."""
        last = self.segments[-1]
        return last if row >= last.first else self.segments[0]

    def group_of(self, row: int) -> tuple[_Segment, int, int]:
        """(file, row group, row within it) of stored row ``row``."""
        segment = self._segment(row)
        group = bisect.bisect_right(segment.group_starts, row) - 1
        return segment, group, row - segment.group_starts[group]

    def extract_bytes(self, row: int) -> bytes:
        """The packed extract of stored row ``row``, reading its row group when not kept."""
        segment, group, offset = self.group_of(row)
        key = (segment.first, group)
        array = self._groups.get(key)
        if array is None:
            column = segment.row_group(group, ["extract"])
            chunks = column.column("extract")
            array = chunks.chunk(0) if chunks.num_chunks == 1 else chunks.combine_chunks()
            self._groups[key] = array
            while len(self._groups) > self._GROUPS_KEPT:
                self._groups.popitem(last=False)
        else:
            self._groups.move_to_end(key)
        blob: bytes = array[offset].as_py()
        return blob

    def row(self, row: int, mtime_ns: int) -> CacheRow:
        """Row ``row`` as a fresh :class:`CacheRow` with a new mtime (a touched, unchanged file)."""
        return CacheRow(
            self.rels[row],
            self.folders[row],
            self.sizes[row],
            mtime_ns,
            self.sha256[row],
            self.kinds[row],
            str(self.statuses[row]),
            self.read_bytes[row],
            self.findings[row],
            self.extract_bytes(row) if self.has_extract[row] else None,
            self.identities[row],
        )

    def reparser(self, row: int) -> Callable[[], FileOutcome]:
        """What parses row ``row``'s file again (when its pickle turns out damaged)."""
        return partial(self.reparse_file, self.rels[row], self.folders[row])

    def outcome(self, row: int) -> FileOutcome:
        """The outcome row ``row`` stands for; its extract is unpickled only when first used."""
        findings = self.findings[row]
        return FileOutcome(
            self.rels[row],
            self.folders[row],
            self.kinds[row],
            self.statuses[row],
            self.sha256[row],
            self.read_bytes[row],
            CachedExtract((self, row)) if self.has_extract[row] else None,
            decode(findings) if findings is not None else [],
        )

    def tables(self, rows: list[int], schema: pa.Schema) -> Iterator[pa.Table]:
        """The stored rows ``rows`` (any order) as tables, one row group read at a time."""
        by_group: dict[tuple[int, int], tuple[_Segment, list[int]]] = {}
        for row in rows:
            segment, group, offset = self.group_of(row)
            by_group.setdefault((segment.first, group), (segment, []))[1].append(offset)
        for (_, group), (segment, offsets) in sorted(by_group.items(), key=lambda item: item[0]):
            table = segment.row_group(group, None)
            if offsets != list(range(table.num_rows)):  # else the whole group, as it is
                table = table.take(offsets)
            yield table.replace_schema_metadata(schema.metadata)


def _identity(status: os.stat_result) -> tuple[int, int, int, int]:
    """What tells one version of a file from another: device, inode, size and mtime."""
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def _distinct(column: pa.ChunkedArray, value: Callable[[str], Any] = sys.intern) -> list[Any]:
    """A column of few distinct strings (folders, kinds, statuses) as one object per distinct
    string, ``value`` of it (Arrow finds them: a Python string per row cost more)."""
    encoded = column.combine_chunks().dictionary_encode()
    values = [value(text) for text in encoded.dictionary.to_pylist()]
    return [values[index] for index in encoded.indices.to_numpy(zero_copy_only=False).tolist()]


@dataclass
class IngestCache:
    """The rows of the last run, looked up by path; the rows of this run, saved at the end.

    A run that changed a few files (a night's new rehearsal) does not rewrite the whole cache:
    it writes the rows added or changed since the base file was written to a second, small
    file (:data:`ADDED_FILE`), which names the base it extends and the base rows no longer
    live. When those grow past an eighth of the base, the next save writes one base file again.
    Each file is replaced atomically; an added-rows file that names another base (one replaced
    by a concurrent run since) is ignored, so its files are only parsed again.
    """

    path: Path
    fingerprint: str
    stored: StoredRows | None

    @property
    def added_path(self) -> Path:
        return self.path.with_name(ADDED_FILE)

    @classmethod
    def open(
        cls, path: Path, max_bytes: int, reparse_file: Callable[[str, str], FileOutcome]
    ) -> IngestCache:
        """Read the cache at ``path``; a missing one is empty, a bad one warns and is empty.
        ``reparse_file(path, folder)`` parses a file whose stored pickle turns out damaged."""
        fingerprint = f"{code_fingerprint()}:{max_bytes}"
        cache = cls(path, fingerprint, None)
        if not path.exists():
            return cache
        try:
            stored = StoredRows(reparse_file)
            base = cache._read(path, stored)
        except _Outdated:
            warnings.warn(
                f"cache {path} was written by another version of cutover-kit or for another "
                "file-size limit; rebuilding it",
                CacheWarning,
                2,
            )
            return cache
        except Exception as exc:  # noqa: BLE001 - any unreadable cache is rebuilt
            warnings.warn(f"cache {path} is unreadable ({exc}); rebuilding it", CacheWarning, 2)
            return cache
        cache.stored = stored
        if base and cache.added_path.exists():
            try:
                cache._read(cache.added_path, stored, extends=base)
            except _Outdated:
                pass  # written for another base, replaced since: its files are parsed again
            except Exception as exc:  # noqa: BLE001 - the files it holds are parsed again
                warnings.warn(
                    f"cache {cache.added_path} is unreadable ({exc}); rebuilding it",
                    CacheWarning,
                    2,
                )
        return cache

    @staticmethod
    def may_hold_rows(path: Path, max_bytes: int) -> bool:
        """Whether the cache at ``path`` was written by this code for this file-size limit,
        from its footer alone (a missing, damaged or outdated cache holds no row to reuse)."""
        try:
            meta = pq.read_schema(path).metadata or {}
        except Exception:  # noqa: BLE001 - unreadable: rebuilt (and reported) when opened
            return False
        fingerprint = f"{code_fingerprint()}:{max_bytes}"
        return (
            meta.get(b"format") == CACHE_FORMAT.encode()
            and meta.get(b"fingerprint") == fingerprint.encode()
        )

    def _read(self, path: Path, stored: StoredRows, extends: bytes | None = None) -> bytes:
        """Add the rows of the cache file at ``path`` to ``stored`` (raises when unusable):
        the base file, or (``extends``: the base's id) the rows added since. Returns its id."""
        # Opened here and kept open: a run that replaces the cache meanwhile leaves this one's
        # rows readable (see StoredRows).
        handle = path.open("rb")
        try:
            parquet = pq.ParquetFile(handle)
            schema = parquet.schema_arrow
            meta = schema.metadata or {}
            written_format = meta.get(b"format", b"")
            if not written_format.startswith(_FORMAT_FAMILY.encode()):
                raise ValueError("not a cutover-kit ingest cache")
            if written_format != CACHE_FORMAT.encode():
                raise _Outdated
            if not schema.equals(SCHEMA, check_metadata=False):
                raise ValueError("unexpected columns")
            if meta.get(b"fingerprint") != self.fingerprint.encode():
                raise _Outdated
            if meta.get(b"extends") != extends:
                raise _Outdated if extends is not None else ValueError("not a base file")
            dropped: list[int] = json.loads(meta.get(b"dropped", b"[]"))
            stored.add(parquet, handle)
        except Exception:
            handle.close()
            raise
        stored.drop(dropped)
        identity: bytes = meta.get(b"id", b"")
        return identity

    def lookup(
        self, path: str, rel: str, folder: str, status: os.stat_result
    ) -> int | CacheRow | None:
        """The stored row number of an unchanged file, a fresh row for an unchanged file that
        was touched (same content, new mtime), else ``None`` (the file must be read)."""
        stored = self.stored
        row = stored.index.get(rel) if stored is not None else None
        if stored is None or row is None:
            return None
        if stored.folders[row] != folder or stored.sizes[row] != status.st_size:
            return None
        racy = status.st_mtime_ns >= stored.written_ns(row) - RACY_NS
        if stored.mtimes[row] == status.st_mtime_ns and not racy:
            return row
        if not stored.sha256[row]:
            return None
        try:
            same = hashlib.sha256(Path(path).read_bytes()).hexdigest() == stored.sha256[row]
        except OSError:
            return None
        if not same:
            return None
        if stored.mtimes[row] != status.st_mtime_ns:
            return stored.row(row, status.st_mtime_ns)
        return row

    def save(self, reused: list[int], fresh: list[CacheRow]) -> None:
        """Keep the ``reused`` stored rows and the ``fresh`` ones, atomically: as rows added to
        the base file when they are few, else as a new base file; a failure only warns.
        Nothing is written when nothing changed."""
        stored = self.stored
        if not fresh and stored is not None and len(reused) == len(stored.index):
            return
        if read_only(self.path.parent):
            return
        base_rows = stored.segments[0].group_starts[-1] if stored is not None else 0
        kept = [row for row in reused if row < base_rows]
        added = [row for row in reused if row >= base_rows]
        extend = stored is not None and (
            len(added) + len(fresh) + base_rows - len(kept) <= base_rows // _ADDED_PER_BASE
        )
        metadata = {
            "format": CACHE_FORMAT,
            "fingerprint": self.fingerprint,
            "written_ns": str(time.time_ns()),
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if extend:
                assert stored is not None
                live = set(kept)
                metadata["extends"] = stored.segments[0].id
                metadata["dropped"] = json.dumps([r for r in range(base_rows) if r not in live])
                self._write(self.added_path, added, fresh, metadata)
            else:
                metadata["id"] = uuid.uuid4().hex
                self._write(self.path, reused, fresh, metadata)
                self.added_path.unlink(missing_ok=True)  # it extends the base just replaced
        except (OSError, ValueError) as exc:  # ValueError: the old cache changed in place
            warnings.warn(f"cannot write cache {self.path} ({exc}); not cached", CacheWarning, 2)

    def _write(
        self, path: Path, reused: list[int], fresh: list[CacheRow], metadata: dict[str, str]
    ) -> None:
        """Replace the cache file at ``path`` with these rows, atomically."""
        schema = SCHEMA.with_metadata(metadata)

        def write(temporary: Path) -> None:
            with pq.ParquetWriter(
                temporary, schema, compression=_COMPRESSION, use_dictionary=_DICTIONARY
            ) as writer:
                for table in _coalesced(self._tables(reused, fresh, schema)):
                    writer.write_table(table)

        replace_atomically(path, write)

    def _tables(
        self, reused: list[int], fresh: list[CacheRow], schema: pa.Schema
    ) -> Iterator[pa.Table]:
        """The rows to write, a batch at a time, the kinds read at load first (stored rows are
        copied column-wise by Arrow)."""
        stored = self.stored
        for first in (True, False):
            if stored is not None:
                rows = [row for row in reused if (stored.kinds[row] in _READ_AT_LOAD) is first]
                yield from stored.tables(rows, schema)
            chosen = [row for row in fresh if (row.kind in _READ_AT_LOAD) is first]
            for start in range(0, len(chosen), _BATCH_ROWS):
                batch = chosen[start : start + _BATCH_ROWS]
                columns = {name: [getattr(r, name) for r in batch] for name in SCHEMA.names}
                yield pa.table(columns, schema=schema)


def replace_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Replace ``path`` by what ``write(temporary)`` writes, renamed into place: a reader sees
    the old file or the new one, never a torn one. The temporary name is this process's own,
    so two runs at once never write the same file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
    try:
        write(temporary)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def _coalesced(tables: Iterable[pa.Table]) -> Iterator[pa.Table]:
    """The tables joined into row groups of about ``_BATCH_ROWS`` rows: a cache extended by a
    few files a night would otherwise gather hundreds of tiny row groups."""
    pending: list[pa.Table] = []
    rows = 0
    for table in tables:
        pending.append(table)
        rows += table.num_rows
        if rows >= _BATCH_ROWS:
            yield pa.concat_tables(pending)
            pending, rows = [], 0
    if pending:
        yield pa.concat_tables(pending)


def read_only(folder: Path) -> bool:
    """A folder (or, before it exists, its parent) that no one may write to by its mode bits.

    Checked by the bits rather than ``os.access`` because root may write anywhere: a data folder
    laid out read-only (a fixture, a mounted share) is left exactly as it is, even for root.
    """
    anchor = folder if folder.exists() else folder.parent
    try:
        mode = anchor.stat().st_mode
    except OSError:
        return False  # then the write itself fails and warns
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def cacheable(status: os.stat_result) -> bool:
    """Only regular files (not links) are cached: links are re-checked against the root."""
    return stat.S_ISREG(status.st_mode)
