"""Parsed extracts kept packed (pickled and compressed) until a field is read.

A corpus of 200,000 files held as parsed objects costs gigabytes; packed, a fraction of that,
and most commands never unpack most files. This module packs and unpacks extracts, rebuilds
them with an unpickler that refuses every type that is not the kit's own evidence (a planted
cache cannot run code), and keeps the unpacked ones to a window. Where the packed bytes live
(in memory, or in the open ingest cache file) is :mod:`cutover_kit.evidence.cache`'s business.
"""

from __future__ import annotations

import importlib
import io
import pickle
import struct
import threading
import warnings
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import cache
from typing import Any, Protocol

import zstandard
from pydantic import BaseModel

from cutover_kit.errors import CacheWarning
from cutover_kit.evidence.model import Extract
from cutover_kit.evidence.reader import FileOutcome

_DATETIME_TYPES = frozenset({"date", "datetime", "time", "timedelta", "timezone"})
_EVIDENCE_PACKAGE = "cutover_kit.evidence"
# The shared records below the evidence layer (findings, statuses) that extracts hold.
_SHARED_MODELS = "cutover_kit.models"
# A packed extract: this tag, the pickle's size and CRC-32, then its Zstandard frame (see pack).
_PACKED_TAG = b"Z"
_PACKED_HEADER = struct.Struct("<cII")
_PACKED_MAX = (1 << 32) - 1  # the largest size the header holds


class _EvidenceUnpickler(pickle.Unpickler):
    """Rebuilds only the kit's evidence records, pydantic documents, enums and dates."""

    def find_class(self, module: str, name: str) -> Any:
        return _allowed_class(module, name)


@cache
def _allowed_class(module: str, name: str) -> Any:
    """The class a cached pickle names, when it is one the cache may rebuild (memoised)."""
    if module == "datetime" and name in _DATETIME_TYPES:
        return getattr(importlib.import_module(module), name)
    if module in {_EVIDENCE_PACKAGE, _SHARED_MODELS} or module.startswith(_EVIDENCE_PACKAGE + "."):
        found = getattr(importlib.import_module(module), name, None)
        if isinstance(found, type) and (is_dataclass(found) or issubclass(found, BaseModel | Enum)):
            return found
    raise pickle.UnpicklingError(f"{module}.{name} is not an evidence type")


def encode(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def pack(extract: Extract) -> bytes:
    """An extract as it is kept until used: pickled, then compressed (about 40% of the bytes).

    Zstandard at level 1 with one compression context per process, behind a tag, the pickle's
    size and its CRC-32: zlib at its fastest level, for the same size, took more than twice the
    time (most of it setting up each call), a tenth of a file's CPU on a cold run, and reads back
    at half the speed. (LZ4 was faster still, but its third more bytes took a warm trend review
    past its memory budget.) The checksum makes sure damaged bytes fail to decode rather than
    read back as other records. A pickle too large for the header (4 GiB) is kept as zlib, whose
    stream never starts with the tag.
    """
    pickled = encode(extract)
    if len(pickled) > _PACKED_MAX:
        return zlib.compress(pickled, 1)
    header = _PACKED_HEADER.pack(_PACKED_TAG, len(pickled), zlib.crc32(pickled))
    return header + _compressor().compress(pickled)


def unpack(blob: bytes) -> Any:
    """The value of a :func:`pack` ed blob; raises when the bytes are damaged."""
    if blob[:1] != _PACKED_TAG:
        return decode(zlib.decompress(blob))
    _, size, checksum = _PACKED_HEADER.unpack_from(blob)
    body = memoryview(blob)[_PACKED_HEADER.size :]
    pickled = _decompressor().decompress(body, max_output_size=size)
    if len(pickled) != size or zlib.crc32(pickled) != checksum:
        raise ValueError("packed extract fails its checksum")
    return decode(pickled)


# One context each per thread: setting one up was most of the cost of compressing a file.
_contexts = threading.local()


def _compressor() -> zstandard.ZstdCompressor:
    found: zstandard.ZstdCompressor | None = getattr(_contexts, "compressor", None)
    if found is None:
        found = _contexts.compressor = zstandard.ZstdCompressor(level=1)
    return found


def _decompressor() -> zstandard.ZstdDecompressor:
    found: zstandard.ZstdDecompressor | None = getattr(_contexts, "decompressor", None)
    if found is None:
        found = _contexts.decompressor = zstandard.ZstdDecompressor()
    return found


def decode(blob: bytes) -> Any:
    """Unpickle a cached value, refusing any type that is not evidence (see module doc)."""
    return _EvidenceUnpickler(io.BytesIO(blob)).load()


class _DecodedField:
    """Reading any field of a :class:`CachedExtract` unpickles the whole extract first."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: CachedExtract | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        instance.decode()
        return instance.__dict__[self.name]


class ExtractStore(Protocol):
    """Where packed extracts are kept until first used: the open ingest cache's rows."""

    def extract_bytes(self, row: int) -> bytes: ...

    def reparser(self, row: int) -> Callable[[], FileOutcome]: ...


# A packed extract: its bytes, or the stored cache row that holds them (read when first used).
Packed = bytes | tuple[ExtractStore, int]


class CachedExtract(Extract):
    """An :class:`Extract` kept as its pickle until a field is read, then a plain ``Extract``.

    Holding 200,000 parsed files as objects costs gigabytes; as pickles a fraction of that, and
    ``validate`` never needs the extracts at all. If the pickle cannot be read back (a damaged
    cache), the file is parsed again and a :class:`CacheWarning` says so.
    """

    def __init__(self, blob: Packed, reparse: Callable[[], FileOutcome] | None = None) -> None:
        self.__dict__["_blob"] = blob
        self.__dict__["_reparse"] = reparse

    def decode(self) -> None:
        blob, reparse = self.__dict__["_blob"], self.__dict__["_reparse"]
        try:
            if isinstance(blob, tuple):
                stored, row = blob
                blob = stored.extract_bytes(row)
            full = unpack(blob)
            if not isinstance(full, Extract):
                raise pickle.UnpicklingError("cached value is not an extract")
        except Exception as exc:  # any damage means: parse the file again
            packed = self.__dict__["_blob"]
            if reparse is None and isinstance(packed, tuple):
                reparse = packed[0].reparser(packed[1])
            if reparse is None:
                raise
            warnings.warn(f"damaged cache entry ({exc}); file read again", CacheWarning, 2)
            full = reparse().extract or Extract(kind="unknown")
        self.__dict__.update(full.__dict__)
        # An ordinary Extract from now on; the packed bytes stay (outside the dataclass fields)
        # so that :func:`repacked` can let the unpacked objects go again.
        self.__class__ = Extract  # type: ignore[assignment]


def repacked(extract: Extract | None) -> Extract | None:
    """A fresh packed extract for one that was unpacked from the cache (else ``extract``).

    The ledger calls this for rehearsals it has not been asked about for a while, so that
    evaluating a whole history holds only a window of rehearsals as objects.
    """
    if extract is None or type(extract) is not Extract or "_blob" not in extract.__dict__:
        return extract
    return CachedExtract(extract.__dict__["_blob"], extract.__dict__["_reparse"])


def repacking(outcomes: Iterable[FileOutcome]) -> Iterator[FileOutcome]:
    """Each outcome in turn; an extract that was packed is packed again once the next is asked
    for, so a pass over every file holds one file's objects at a time."""
    for outcome in outcomes:
        packed = type(outcome.extract) is CachedExtract
        yield outcome
        if packed:
            outcome.extract = repacked(outcome.extract)


for _field in fields(Extract):
    _descriptor = _DecodedField()
    _descriptor.__set_name__(CachedExtract, _field.name)
    setattr(CachedExtract, _field.name, _descriptor)


class UnpackedWindow:
    """The rehearsals whose cached extracts were recently used; older ones are packed again.

    Evaluating a history walks it in order and looks back only a few rehearsals, so keeping the
    last ``size`` rehearsals unpacked costs nothing in speed and bounds the memory.
    """

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._recent: OrderedDict[str, list[FileOutcome]] = OrderedDict()

    def touch(self, rehearsal_id: str, outcomes: list[FileOutcome]) -> None:
        if rehearsal_id in self._recent:
            self._recent.move_to_end(rehearsal_id)
            return
        self._recent[rehearsal_id] = outcomes
        while len(self._recent) > self.size:
            _, oldest = self._recent.popitem(last=False)
            for outcome in oldest:
                outcome.extract = repacked(outcome.extract)
