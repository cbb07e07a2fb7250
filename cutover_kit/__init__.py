"""cutover-kit: turn cutover rehearsal evidence into GO / NO-GO decisions people can trust.

The public names live here, whatever module defines them::

    import cutover_kit

    corpus = cutover_kit.load_corpus("data/rehearsals")
    verdict = corpus.evaluate("latest")

Each name is imported when first used, not when the package is: reading evidence (in a worker
process, or for ``cutover-kit validate``) then never pays for pandas, the gates and the reports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from cutover_kit._version import __version__

if TYPE_CHECKING:
    from cutover_kit.api import Corpus, Verdict, load_corpus
    from cutover_kit.errors import (
        CacheWarning,
        CaptureError,
        CutoverKitError,
        DataDirError,
        DuplicateNameError,
        ExportError,
        NotebookFailedError,
        NotebookNotFoundError,
        PolicyError,
        ReportInputError,
        SampleOutputError,
        SessionNotFoundError,
        UnknownNameError,
        WindowError,
    )
    from cutover_kit.evidence.builtin import default_registry
    from cutover_kit.evidence.codes import EvidenceKind, FindingCode
    from cutover_kit.evidence.ingest import IngestOptions
    from cutover_kit.evidence.ledger import Ledger, Rehearsal, load_ledger
    from cutover_kit.evidence.model import Extract
    from cutover_kit.evidence.reader import FileOutcome
    from cutover_kit.evidence.registry import Content, Loader, LoaderRegistry
    from cutover_kit.models import FileStatus, Finding, Severity
    from cutover_kit.policy import LoadedPolicy, Policy, load_policy
    from cutover_kit.registry import Registry

# Public name -> the module it comes from.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(("Corpus", "Verdict", "load_corpus"), "cutover_kit.api"),
    **dict.fromkeys(
        (
            "CacheWarning",
            "CaptureError",
            "CutoverKitError",
            "DataDirError",
            "DuplicateNameError",
            "ExportError",
            "NotebookFailedError",
            "NotebookNotFoundError",
            "PolicyError",
            "ReportInputError",
            "SampleOutputError",
            "SessionNotFoundError",
            "UnknownNameError",
            "WindowError",
        ),
        "cutover_kit.errors",
    ),
    "default_registry": "cutover_kit.evidence.builtin",
    **dict.fromkeys(("EvidenceKind", "FindingCode"), "cutover_kit.evidence.codes"),
    "IngestOptions": "cutover_kit.evidence.ingest",
    **dict.fromkeys(("Ledger", "Rehearsal", "load_ledger"), "cutover_kit.evidence.ledger"),
    "Extract": "cutover_kit.evidence.model",
    "FileOutcome": "cutover_kit.evidence.reader",
    **dict.fromkeys(("Content", "Loader", "LoaderRegistry"), "cutover_kit.evidence.registry"),
    **dict.fromkeys(("FileStatus", "Finding", "Severity"), "cutover_kit.models"),
    **dict.fromkeys(("LoadedPolicy", "Policy", "load_policy"), "cutover_kit.policy"),
    "Registry": "cutover_kit.registry",
}

__all__ = [
    "CacheWarning",
    "CaptureError",
    "Content",
    "Corpus",
    "CutoverKitError",
    "DataDirError",
    "DuplicateNameError",
    "EvidenceKind",
    "ExportError",
    "Extract",
    "FileOutcome",
    "FileStatus",
    "Finding",
    "FindingCode",
    "IngestOptions",
    "Ledger",
    "LoadedPolicy",
    "Loader",
    "LoaderRegistry",
    "NotebookFailedError",
    "NotebookNotFoundError",
    "Policy",
    "PolicyError",
    "Registry",
    "Rehearsal",
    "ReportInputError",
    "SampleOutputError",
    "SessionNotFoundError",
    "Severity",
    "UnknownNameError",
    "Verdict",
    "WindowError",
    "__version__",
    "default_registry",
    "load_corpus",
    "load_ledger",
    "load_policy",
]


def __getattr__(name: str) -> object:
    """Import a public name from its module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cutover_kit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
