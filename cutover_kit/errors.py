"""Typed exceptions: each one is a condition the CLI turns into a message and an exit code."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cutover_kit.evidence.model import Finding


class CutoverKitError(Exception):
    """Base class: something the user can fix (bad arguments, unreadable input, bad policy)."""


class DataDirError(CutoverKitError):
    """The data folder does not exist or is not a folder."""


class SessionNotFoundError(CutoverKitError):
    """``--session`` names a rehearsal the corpus does not hold."""


class PolicyError(CutoverKitError):
    """A policy file is unreadable or invalid; the message names the offending key."""


class EvidenceRejected(CutoverKitError):
    """A loader cannot use a file: the findings say which field or line and why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


class WindowError(CutoverKitError):
    """A trend window's parameters are invalid, or no rehearsal falls inside the window."""


class CaptureError(CutoverKitError):
    """A capture cannot start: a path escapes the repo or the rehearsal, a folder is missing."""
