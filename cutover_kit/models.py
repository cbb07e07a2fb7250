"""The records every layer shares: findings about files, and what became of each file.

These sit at the bottom of the package, beside :mod:`cutover_kit.errors`, so that the errors, the
evidence loaders and everything above them can name a :class:`Finding` without importing upwards.
"""

from __future__ import annotations

import copyreg
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, SupportsIndex

__all__ = ["FileStatus", "Finding", "PickledByState", "Severity"]

# What pickle itself names to write NEWOBJ (class, then its state): not in copyreg's stubs.
_NEW_OBJECT = vars(copyreg)["__newobj__"]


class PickledByState:
    """Pickled as its class and its ``__dict__``: the very bytes ``pickle`` writes by default.

    The default path (``object.__reduce_ex__``) looks the same things up again for every object
    in C; naming them here halves the time to pickle a list of records, and the ingest cache
    pickles a few hundred thousand of them on a cold run. Unpickling is unchanged.
    """

    __slots__ = ()

    def __reduce_ex__(self, protocol: SupportsIndex) -> str | tuple[Any, ...]:
        if int(protocol) < 2:  # no NEWOBJ before protocol 2: the default way
            return super().__reduce_ex__(protocol)
        return (_NEW_OBJECT, (type(self),), self.__dict__)


class Severity(StrEnum):
    """How much a finding matters: an ``error`` makes the file (or the run) unusable."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FileStatus(StrEnum):
    """What ingestion did with a file; every input ends in exactly one of these."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IGNORED = "ignored"


@dataclass(frozen=True)
class Finding(PickledByState):
    """A problem (or notable fact) about one file, pointing at the field or line behind it.

    ``code`` is a stable identifier (see :class:`cutover_kit.evidence.codes.FindingCode`);
    ``message`` is display text only. ``pointer`` is a JSON pointer (``/checks/release_tag``) for
    JSON evidence, ``line N`` for text and markdown, an XPath-like ``testsuite[2]/testcase[5]``
    for XML, or empty when the finding is about the file as a whole.
    """

    severity: Severity
    code: str
    message: str
    pointer: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "severity": str(self.severity),
            "code": str(self.code),
            "message": self.message,
            "pointer": self.pointer,
        }
