"""The records every layer shares: findings about files, and what became of each file.

These sit at the bottom of the package, beside :mod:`cutover_kit.errors`, so that the errors, the
evidence loaders and everything above them can name a :class:`Finding` without importing upwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["FileStatus", "Finding", "Severity"]


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
class Finding:
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
