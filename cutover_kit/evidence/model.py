"""Typed records that evidence loaders produce.

Every loader turns one file into an :class:`Extract`: a bag of plain records, each of which knows
the file and the line or JSON pointer it came from. The ledger flattens extracts into pandas tables
keyed by rehearsal and file, so later stages (gates, reports, caches, Parquet export) never need to
re-read the evidence to explain where a fact came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from cutover_kit.models import FileStatus, Finding, PickledByState, Severity

__all__ = [
    "CheckResult",
    "CommandResult",
    "Envelope",
    "Extract",
    "Fact",
    "FileStatus",
    "Finding",
    "RecordedVerdict",
    "RoleAssignment",
    "Severity",
    "TestCaseResult",
]

Document = TypeVar("Document")


@dataclass(frozen=True)
class CommandResult(PickledByState):
    """One command seen running (transcript) or reported (record).

    ``result`` is ``pass``, ``fail``, ``unknown`` or ``not run`` (a step of an ``&&`` chain
    after a failing step: it never started). ``parent`` is the enclosing pnpm script for
    nested ``pnpm run`` calls (empty for a top-level command). ``command`` is normalised: pnpm
    scripts are their script name (``test:producer-contract``), other commands their full text.
    """

    command: str
    result: str
    line: int
    exit_code: int | None = None
    duration_s: float | None = None
    parent: str = ""
    source: str = "transcript"


@dataclass(frozen=True)
class TestCaseResult(PickledByState):
    """One executed (or skipped) test case: ``status`` is passed, failed, error or skipped."""

    suite: str
    name: str
    status: str
    duration_s: float | None = None
    pointer: str = ""
    framework: str = ""
    message: str = ""


@dataclass(frozen=True)
class CheckResult(PickledByState):
    """A check result stated inside an artifact or a record checklist (``value`` verbatim).

    A check printed in a transcript also keeps the innermost command running when it was printed
    (``command``) and the mode the line itself names, if any (``mode``): together they tell in
    which mode the consumer's handoff check ran.
    """

    name: str
    value: str
    pointer: str = ""
    command: str = ""
    mode: str = ""


@dataclass(frozen=True)
class Envelope(PickledByState):
    """A captured non-2xx response body, with the facts the envelope policy needs."""

    pointer: str
    http_status: int | None
    body: dict[str, Any]
    # The body as captured when it is no JSON object at all (a proxy's plain-text error page);
    # ``None`` when the body is an object. Such a response breaks the envelope contract.
    raw_body: str | None = None

    def field_paths(self) -> set[str]:
        """Dotted paths present in the body (``error.code``, ``legacy_error``...)."""
        paths: set[str] = set()

        def walk(node: Any, prefix: str) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    path = f"{prefix}.{key}" if prefix else str(key)
                    paths.add(path)
                    walk(value, path)

        walk(self.body, "")
        return paths


@dataclass(frozen=True)
class RecordedVerdict(PickledByState):
    """A verdict people wrote down: ``key`` as written, ``topic`` normalised.

    ``topic`` is ``rehearsal_continuation``, ``runtime_cutover`` or ``other``; ``value`` is the
    stated value upper-cased (``GO``, ``NO-GO``, ``COMPLETE``, ``READY``, ``PASS``...).
    """

    key: str
    value: str
    topic: str
    line: int = 0
    pointer: str = ""


@dataclass(frozen=True)
class RoleAssignment(PickledByState):
    """An owner for a role: ``role`` is a slug (``consumer_rollback_owner``), raw as written."""

    role: str
    raw_role: str
    owner: str
    line: int = 0
    pointer: str = ""


@dataclass(frozen=True)
class Fact(PickledByState):
    """A key/value statement of a markdown record, under the section heading it appears in.

    Examples: section ``Rollback Target``, key ``release_tag``, value ``v0.3.2``; section
    ``Gate Checklist``, key ``[x] Rollback drill evidence is present.``, value ``checked``.
    """

    section: str
    key: str
    value: str
    line: int


@dataclass
class Extract(PickledByState):
    """Everything one loader read from one file.

    ``document`` holds the typed payload of JSON and TOML kinds (a pydantic model; the command
    log's :class:`~cutover_kit.evidence.command_log.CommandLog`) so gates can reason on whole
    documents: :meth:`document_of` hands it on as the type the reader expects, checked. The lists
    feed the ledger tables. ``detail`` is a short
    kind-specific code shown in the artifact table (handoff mode, transcript tool, or a record's
    :class:`~cutover_kit.evidence.codes.RecordType`, by which gates pick records).
    """

    kind: str
    document: object = None
    detail: str = ""
    stated_at: str = ""
    commands: list[CommandResult] = field(default_factory=list)
    test_cases: list[TestCaseResult] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    envelopes: list[Envelope] = field(default_factory=list)
    verdicts: list[RecordedVerdict] = field(default_factory=list)
    roles: list[RoleAssignment] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def document_of(self, model: type[Document]) -> Document:
        """The typed document, which must be a ``model``: anything else is a bug of a loader."""
        if not isinstance(self.document, model):
            found = type(self.document).__name__
            raise TypeError(f"a {self.kind} extract holds {found}, not {model.__name__}")
        return self.document
