"""Every exception cutover-kit defines, in one place.

Two families, kept apart on purpose. ``CutoverKitError`` and its subclasses are user-facing: each
is a condition the user can fix, and the CLI turns it into one line on stderr and exit code 2.
The internal signals pass between parts of the evidence layer and never leave it: a reader turns
each into a finding on the one file it concerns, so the rest of the corpus is still read. They do
not subclass ``CutoverKitError``, so an ``except CutoverKitError`` can never swallow one.

The hierarchy::

    Exception
    ├── CutoverKitError ............. user-facing: a message and exit code 2
    │   ├── DataDirError
    │   ├── SessionNotFoundError
    │   ├── PolicyError
    │   ├── UnknownNameError ........ a registry lookup of a name nobody registered
    │   ├── DuplicateNameError ...... a second registration under a name already taken
    │   ├── WindowError
    │   ├── CaptureError
    │   ├── ExportError
    │   ├── SampleOutputError
    │   ├── NotebookNotFoundError
    │   ├── ReportInputError
    │   └── NotebookFailedError
    └── internal signals ............ never escape the evidence reader
        ├── EvidenceRejected ........ a loader cannot use a file (findings say why)
        ├── FileRefused ............. a file turned away before its content was read
        └── ValueError
            ├── JsonRefused ......... valid JSON syntax the kit will not read
            └── JunitError .......... bytes that are no JUnit report the kit will read

    Warning
    └── UserWarning
        └── CacheWarning ............ the ingest cache was not used; output unchanged
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Annotations only: a capture imports this module at start-up, and must not pay for the
    # records' dataclasses there.
    from cutover_kit.models import FileStatus, Finding

__all__ = [
    "CacheWarning",
    "CaptureError",
    "CutoverKitError",
    "DataDirError",
    "DuplicateNameError",
    "EvidenceRejected",
    "ExportError",
    "FileRefused",
    "JsonRefused",
    "JunitError",
    "NotebookFailedError",
    "NotebookNotFoundError",
    "PolicyError",
    "ReportInputError",
    "SampleOutputError",
    "SessionNotFoundError",
    "UnknownNameError",
    "WindowError",
]


# --- user-facing ------------------------------------------------------------------------------


class CutoverKitError(Exception):
    """Base class: something the user can fix (bad arguments, unreadable input, bad policy)."""


class DataDirError(CutoverKitError):
    """The data folder does not exist or is not a folder."""


class SessionNotFoundError(CutoverKitError):
    """``--session`` names a rehearsal the corpus does not hold."""


class PolicyError(CutoverKitError):
    """A policy file is unreadable or invalid; the message names the offending key."""


class UnknownNameError(CutoverKitError):
    """A registry was asked for a name nobody registered; the message lists the known names."""

    def __init__(self, registry: str, name: str, known: Iterable[str]) -> None:
        self.registry, self.name, self.known = registry, name, sorted(known)
        super().__init__(f"unknown {registry} {name!r} (known: {', '.join(self.known)})")


class DuplicateNameError(CutoverKitError):
    """A second entry was registered under a name a registry already holds."""

    def __init__(self, registry: str, name: str) -> None:
        self.registry, self.name = registry, name
        super().__init__(f"a {registry} for {name!r} is already registered")


class WindowError(CutoverKitError):
    """A trend window's parameters are invalid, or no rehearsal falls inside the window."""


class CaptureError(CutoverKitError):
    """A capture cannot start: a path escapes the repo or the rehearsal, a folder is missing."""


class ExportError(CutoverKitError):
    """The export folder cannot be written (not ours to overwrite)."""


class SampleOutputError(CutoverKitError):
    """The output folder is not one the sample generator may write into."""


class NotebookNotFoundError(CutoverKitError):
    """A notebook the command needs is in none of the places the kit looks."""


class ReportInputError(CutoverKitError):
    """The notebook refused its input (data folder, session, policy): exit 2, nothing kept."""


class NotebookFailedError(CutoverKitError):
    """A cell of the notebook failed; the partial notebook is kept in ``failed_dir``."""

    def __init__(self, message: str, failed_dir: Path) -> None:
        super().__init__(message)
        self.failed_dir = failed_dir


# --- internal signals of the evidence layer ----------------------------------------------------


class EvidenceRejected(Exception):
    """A loader cannot use a file of its kind: the findings say which field or line and why.

    Raised by a loader, caught by the reader, which rejects that one file with these findings.
    """

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


class FileRefused(Exception):
    """A file turned away before its content was read: the outcome's status and its one finding."""

    def __init__(self, status: FileStatus, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class JsonRefused(ValueError):
    """Valid JSON syntax the kit will not read: the findings say where and why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(finding.message for finding in findings))
        self.findings = findings


class JunitError(ValueError):
    """The bytes are not a JUnit report this kit will read (malformed, unsafe or wrong root)."""


# --- warnings -----------------------------------------------------------------------------------


class CacheWarning(UserWarning):
    """The cache could not be used or saved; everything is computed afresh, output unchanged."""
