"""One rehearsal's evidence as the gates ask for it: the pin, the handoff, commands, cases...

Each accessor returns ``(path, item)`` pairs so that every gate can cite the file behind what it
used, and each is typed with the document model its kind's loader produces, so a check reads
fields a type checker knows. Rejected files stay visible through :meth:`RehearsalView.unreadable`,
so a gate whose evidence was rejected says ``missing`` and names the file that could not be used.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, TypeVar

from cutover_kit.evidence import json_models as jm
from cutover_kit.evidence.codes import EvidenceKind, RecordType
from cutover_kit.evidence.command_log import CommandLog
from cutover_kit.evidence.ledger import Ledger, Rehearsal
from cutover_kit.evidence.model import (
    CheckResult,
    CommandResult,
    Envelope,
    Extract,
    FileStatus,
    RecordedVerdict,
    RoleAssignment,
    TestCaseResult,
)
from cutover_kit.evidence.session_manifest import SessionManifest
from cutover_kit.evidence.test_reports import TEST_REPORT_KINDS
from cutover_kit.gates.model import EvidenceRef

DocumentT = TypeVar("DocumentT")


class RehearsalView:
    """Read-only access to one rehearsal's accepted evidence, grouped by kind."""

    def __init__(self, ledger: Ledger, rehearsal: Rehearsal) -> None:
        self.ledger = ledger
        self.rehearsal = rehearsal
        # Typed documents by (kind, model), as _documents checked them.
        self._typed: dict[tuple[str, type], list[tuple[str, Any]]] = {}

    @property
    def id(self) -> str:
        return self.rehearsal.id

    @property
    def manifest(self) -> SessionManifest | None:
        return self.rehearsal.manifest

    def _documents(self, kind: str, model: type[DocumentT]) -> list[tuple[str, DocumentT]]:
        """The accepted documents of one kind, each checked to be the model its loader makes.

        Kept per kind and model: the checks ask for the pin alone a dozen times a rehearsal.
        """
        key = (kind, model)
        if key not in self._typed:
            self._typed[key] = [
                (p, extract.document_of(model)) for p, extract in self.extracts(kind)
            ]
        return list(self._typed[key])

    def _first(self, kind: str, model: type[DocumentT]) -> tuple[str, DocumentT] | None:
        documents = self._documents(kind, model)
        return documents[0] if documents else None

    def unreadable(self, *kinds: str) -> list[EvidenceRef]:
        """Rejected files of these kinds, as evidence for a ``missing`` status.

        Files rejected before their kind could be told (broken JSON, unsafe XML) are cited too:
        any of them may be the evidence the gate was looking for.
        """
        return [
            EvidenceRef(outcome.path, note=f"rejected: {outcome.reason}")
            for outcome in self.ledger.files(self.id)
            if outcome.status is FileStatus.REJECTED
            and outcome.kind in {*kinds, EvidenceKind.UNKNOWN}
        ]

    @property
    def pin(self) -> tuple[str, jm.IntegrationPin] | None:
        return self._first(EvidenceKind.INTEGRATION_PIN, jm.IntegrationPin)

    @property
    def mirror(self) -> tuple[str, jm.ProducerManifest] | None:
        return self._first(EvidenceKind.PRODUCER_MANIFEST, jm.ProducerManifest)

    @property
    def handoff(self) -> tuple[str, jm.ProducerHandoff] | None:
        return self._first(EvidenceKind.PRODUCER_HANDOFF, jm.ProducerHandoff)

    @property
    def handoffs(self) -> list[tuple[str, jm.ProducerHandoff]]:
        return self._documents(EvidenceKind.PRODUCER_HANDOFF, jm.ProducerHandoff)

    @property
    def handoff_evidence(self) -> list[tuple[str, jm.HandoffEvidence]]:
        """The consumer's handoff check evidence files."""
        return self._documents(EvidenceKind.HANDOFF_EVIDENCE, jm.HandoffEvidence)

    @property
    def contract_evidence(self) -> list[tuple[str, jm.ContractEvidence]]:
        return self._documents(EvidenceKind.CONTRACT_EVIDENCE, jm.ContractEvidence)

    @property
    def rehearsal_candidates(self) -> list[tuple[str, jm.RehearsalHandoffCandidate]]:
        return self._documents(
            EvidenceKind.REHEARSAL_HANDOFF_CANDIDATE, jm.RehearsalHandoffCandidate
        )

    @property
    def release_bundles(self) -> list[tuple[str, jm.ReleaseEvidenceBundle]]:
        return self._documents(EvidenceKind.RELEASE_EVIDENCE_BUNDLE, jm.ReleaseEvidenceBundle)

    @property
    def contract_source(self) -> tuple[str, jm.ContractSource] | None:
        return self._first(EvidenceKind.CONTRACT_SOURCE, jm.ContractSource)

    @property
    def command_logs(self) -> list[tuple[str, CommandLog, list[CommandResult]]]:
        """Each ``commands.jsonl``: its entries, and the command results read from them."""
        return [
            (path, extract.document_of(CommandLog), extract.commands)
            for path, extract in self.extracts(EvidenceKind.COMMAND_LOG)
        ]

    def extracts(self, kind: str) -> list[tuple[str, Extract]]:
        """(path, extract) of the accepted files of one kind, in path order."""
        return list(self._accepted.get(kind, ()))

    @cached_property
    def _accepted(self) -> dict[str, list[tuple[str, Extract]]]:
        """The accepted files' extracts by kind, gathered in one pass over the rehearsal's files.

        The gates ask for some thirty kinds; filtering every file of the rehearsal for each ask
        was a tenth of evaluating a rehearsal.
        """
        by_kind: dict[str, list[tuple[str, Extract]]] = {}
        for outcome in self.ledger.files(self.id):
            if outcome.status is FileStatus.ACCEPTED and outcome.extract:
                by_kind.setdefault(outcome.kind, []).append((outcome.path, outcome.extract))
        return by_kind

    @cached_property
    def file_hashes(self) -> dict[str, str]:
        """Path (relative to the data folder) -> sha256 of every readable file."""
        return {o.path: o.sha256 for o in self.ledger.files(self.id) if o.sha256}

    @cached_property
    def transcript_commands(self) -> list[tuple[str, CommandResult]]:
        return [(p, c) for p, e in self.extracts(EvidenceKind.TRANSCRIPT) for c in e.commands]

    @cached_property
    def record_commands(self) -> list[tuple[str, CommandResult, str]]:
        """(path, command, record type) for commands people reported in markdown records."""
        return [(p, c, e.detail) for p, e in self.extracts(EvidenceKind.RECORD) for c in e.commands]

    @cached_property
    def test_cases(self) -> list[tuple[str, TestCaseResult]]:
        return [
            (p, case)
            for kind in (EvidenceKind.JUNIT, EvidenceKind.TRANSCRIPT, *TEST_REPORT_KINDS)
            for p, e in self.extracts(kind)
            for case in e.test_cases
        ]

    @cached_property
    def transcript_checks(self) -> list[tuple[str, CheckResult]]:
        return [(p, c) for p, e in self.extracts(EvidenceKind.TRANSCRIPT) for c in e.checks]

    @cached_property
    def envelopes(self) -> list[tuple[str, Envelope]]:
        return [
            (p, env) for p, e in self.extracts(EvidenceKind.ERROR_ENVELOPE) for env in e.envelopes
        ]

    @cached_property
    def roles(self) -> list[tuple[str, RoleAssignment]]:
        return [
            (p, role)
            for kind in (EvidenceKind.SESSION_MANIFEST, EvidenceKind.RECORD)
            for p, e in self.extracts(kind)
            for role in e.roles
        ]

    @cached_property
    def verdicts(self) -> list[tuple[str, RecordedVerdict]]:
        return [
            (p, verdict)
            for kind in (EvidenceKind.SESSION_MANIFEST, EvidenceKind.RECORD)
            for p, e in self.extracts(kind)
            for verdict in e.verdicts
        ]

    def records(self, record_type: RecordType) -> list[tuple[str, Extract]]:
        """The markdown records of one type (a rollback drill, a compatibility matrix...)."""
        return [(p, e) for p, e in self.extracts(EvidenceKind.RECORD) if e.detail == record_type]
