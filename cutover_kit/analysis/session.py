"""One rehearsal, section by section, as the session report shows it.

Every function here takes the loaded corpus and the rehearsal's verdict and returns plain typed
rows; rendering (Markdown, HTML, charts) lives in :mod:`cutover_kit.report` and
:mod:`cutover_kit.figures`. The sections follow the dry-run session plan: its agenda (baseline
confirmation, consumer command execution, producer artifact review, rollback readiness
walkthrough) and its output template (both verdicts, risks, follow-up owners and dates).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cutover_kit.analysis.excerpts import Excerpt, excerpt
from cutover_kit.evidence.codes import CommandOutcome
from cutover_kit.evidence.model import CommandResult, Extract
from cutover_kit.evidence.reader import FileOutcome
from cutover_kit.evidence.transcripts.node import HANDOFF_CHECK
from cutover_kit.gates.checks.handoff_gates import modes_run
from cutover_kit.gates.handoff import MODE_OF_EVIDENCE, handoff_mode, review_handoff
from cutover_kit.gates.model import GateResult, GateStatus
from cutover_kit.gates.view import RehearsalView
from cutover_kit.policy.categories import GateCategory
from cutover_kit.verdict import AuditItem, FollowUp, Reason, Risk, Verdict
from cutover_kit.verdict.corpus import Corpus
from cutover_kit.verdict.values import CompletionStatus

CATEGORY_TITLES: dict[str, str] = {
    GateCategory.PRECONDITION: "Preconditions",
    GateCategory.COMMAND: "Commands",
    GateCategory.ARTIFACT_REVIEW: "Artifact review",
    GateCategory.GUARDRAIL: "Guardrails",
    GateCategory.STOP_CONDITION: "Stop conditions",
    GateCategory.ROLLBACK_READINESS: "Rollback readiness",
}
"""Gate categories in the order of the session plan, with their section titles."""

PIN_FIELDS = (
    "release_tag",
    "commit_sha",
    "expected_service_contract_version",
    "expected_api_contract_version",
    "expected_integration_baseline",
)
STATUSES: tuple[str, ...] = tuple(GateStatus)
BLOCKING = frozenset({GateStatus.FAIL, GateStatus.MISSING})
EXCERPTS_PER_GATE = 4


def gates_by_category(gates: Iterable[GateResult]) -> list[tuple[str, list[GateResult]]]:
    """Gates grouped by category: the plan's categories first, any other after, in policy order."""
    grouped: dict[str, list[GateResult]] = {name: [] for name in CATEGORY_TITLES}
    for gate in gates:
        grouped.setdefault(gate.category, []).append(gate)
    return [(category, members) for category, members in grouped.items() if members]


def status_counts(gates: Iterable[GateResult]) -> dict[str, int]:
    """How many gates have each status; every status is a key, ``missing`` apart from ``fail``."""
    counts = dict.fromkeys(STATUSES, 0)
    for gate in gates:
        counts[str(gate.status)] = counts.get(str(gate.status), 0) + 1
    return counts


def gates_checking(corpus: Corpus, verdict: Verdict, *checks: str) -> list[GateResult]:
    """The verdict's gates whose policy check is one of ``checks`` (ids vary between policies)."""
    check_of = {gate.id: gate.check for gate in corpus.policy.policy.gates}
    return [gate for gate in verdict.gates if check_of.get(gate.id) in checks]


@dataclass(frozen=True)
class Banner:
    """Both verdicts with the reasons that decided them and the audit of recorded verdicts."""

    rehearsal_id: str
    title: str
    date: str
    kind: str
    previous_id: str | None
    continuation: str
    runtime: str
    reasons: tuple[Reason, ...]
    audit: tuple[AuditItem, ...]
    counts: dict[str, int]
    completion: str = CompletionStatus.NOT_APPLICABLE


def banner(verdict: Verdict) -> Banner:
    r = verdict.rehearsal
    return Banner(
        r.id,
        r.title,
        r.date or "undated",
        r.kind,
        verdict.previous_id,
        verdict.rehearsal_continuation,
        verdict.runtime_cutover,
        tuple(verdict.reasons),
        tuple(verdict.audit),
        status_counts(verdict.gates),
        verdict.completion.status,
    )


@dataclass(frozen=True)
class BaselineFact:
    """One pinned value (tag, sha, contract version) with the file and pointer it was read at."""

    field: str
    value: str
    expected: str
    path: str
    pointer: str


@dataclass(frozen=True)
class PinCaptureRow:
    """The pin's sha256 before and after one command (guardrail: the pin must not change)."""

    command: str
    before_sha256: str
    after_sha256: str

    @property
    def unchanged(self) -> bool:
        return self.before_sha256 == self.after_sha256


@dataclass(frozen=True)
class BaselineConfirmation:
    facts: tuple[BaselineFact, ...]
    captures: tuple[PinCaptureRow, ...]
    pin_files: tuple[tuple[str, str], ...]
    gates: tuple[GateResult, ...]


def baseline_confirmation(corpus: Corpus, verdict: Verdict) -> BaselineConfirmation:
    """Agenda item 1: pinned tag and sha, contract versions, pin hashes around each command."""
    pinned = gates_checking(corpus, verdict, "baseline_pinned")
    facts = tuple(
        BaselineFact(
            ref.pointer.rsplit("/", 1)[-1], ref.actual, ref.expected, ref.path, ref.pointer
        )
        for gate in pinned
        for ref in gate.evidence
        if ref.pointer.startswith("/")
    )
    view = RehearsalView(corpus.ledger, verdict.rehearsal)
    if not facts and view.pin is not None:  # the baseline gate does not apply: read the pin
        path, pin = view.pin
        facts = tuple(
            BaselineFact(name, str(getattr(pin, name)), "", path, f"/{name}") for name in PIN_FIELDS
        )
    manifest = verdict.rehearsal.manifest
    captures = tuple(
        PinCaptureRow(c.command, c.before_sha256, c.after_sha256)
        for c in (manifest.pin_captures if manifest else [])
    )
    pin_files = tuple(
        (o.path, o.sha256) for o in corpus.ledger.accepted(verdict.rehearsal.id, "integration-pin")
    )
    gates = gates_checking(corpus, verdict, "baseline_pinned", "pin_unchanged", "no_runtime_switch")
    return BaselineConfirmation(facts, captures, pin_files, tuple(gates))


@dataclass(frozen=True)
class CommandStep:
    """One command of a transcript, nested under the pnpm script that ran it."""

    command: str
    result: str
    exit_code: int | None
    duration_s: float | None
    line: int
    depth: int
    failed_step: bool
    """True for a failing command none of whose own sub-commands failed: where it broke."""


@dataclass(frozen=True)
class CommandRun:
    path: str
    steps: tuple[CommandStep, ...]

    @property
    def top(self) -> CommandStep:
        return self.steps[0]


@dataclass(frozen=True)
class RecordedCommand:
    """A command result people wrote in a record: shown, never trusted over a transcript."""

    command: str
    result: str
    path: str
    line: int


def _records(corpus: Corpus, verdict: Verdict) -> list[tuple[str, Extract]]:
    """(path, extract) of every file of the rehearsal that has one, in ledger order.

    The sections read the rehearsal's own records rather than ``ledger.tables``: flattening the
    whole history into tables cost a session report more than all its sections together.
    """
    return [
        (outcome.path, outcome.extract)
        for outcome in corpus.ledger.files(verdict.rehearsal.id)
        if outcome.extract is not None
    ]


def _commands(corpus: Corpus, verdict: Verdict, source: str) -> list[tuple[str, CommandResult]]:
    """(path, command) of one source (``transcript`` or ``record``), by path then line."""
    found = [
        (path, command)
        for path, extract in _records(corpus, verdict)
        for command in extract.commands
        if command.source == source
    ]
    return sorted(found, key=lambda item: (item[0], item[1].line))


def command_runs(corpus: Corpus, verdict: Verdict) -> list[CommandRun]:
    """Agenda item 2: each transcript's commands as a tree, with the step that failed."""
    by_path: dict[str, list[CommandResult]] = {}
    for path, command in _commands(corpus, verdict, "transcript"):
        by_path.setdefault(path, []).append(command)
    runs = []
    for path, commands in by_path.items():
        failing_parents = {
            c.parent for c in commands if c.parent and c.result == CommandOutcome.FAIL
        }
        depth_of: dict[str, int] = {}
        steps = []
        for command in commands:
            depth = depth_of.get(command.parent, -1) + 1 if command.parent else 0
            depth_of[command.command] = depth
            failed = command.result == CommandOutcome.FAIL
            steps.append(
                CommandStep(
                    command.command,
                    command.result,
                    command.exit_code,
                    None if command.duration_s is None else float(command.duration_s),
                    command.line,
                    depth,
                    failed and command.command not in failing_parents,
                )
            )
        runs.append(CommandRun(path, tuple(steps)))
    return runs


def recorded_commands(corpus: Corpus, verdict: Verdict) -> list[RecordedCommand]:
    """Command results stated in markdown records (the gates trust transcripts only)."""
    return [
        RecordedCommand(c.command, c.result, path, c.line)
        for path, c in _commands(corpus, verdict, "record")
    ]


@dataclass(frozen=True)
class HandoffCheckRow:
    """One consumer handoff check: the kit's review, the evidence file and the transcript."""

    check: str
    kit: str
    evidence_file: str
    transcript: str
    pointer: str
    actual: str
    expected: str

    @property
    def agree(self) -> bool:
        spoken = {self.kit} | {
            side for side in (self.evidence_file, self.transcript) if side in {"pass", "fail"}
        }
        return len(spoken) == 1


@dataclass(frozen=True)
class ArtifactReview:
    mode: str
    handoff_path: str
    evidence_path: str
    transcript_path: str
    checks: tuple[HandoffCheckRow, ...]
    gates: tuple[GateResult, ...]


def _said(value: str) -> str:
    lowered = value.casefold()
    if lowered in {"pass", "passed"}:
        return "pass"
    if lowered in {"fail", "failed"}:
        return "fail"
    return value or "-"


def artifact_review(corpus: Corpus, verdict: Verdict) -> ArtifactReview:
    """Agenda item 3: every handoff check and whether kit, evidence file and transcript agree."""
    view = RehearsalView(corpus.ledger, verdict.rehearsal)
    gates = tuple(
        gates_checking(
            corpus, verdict, "handoff_review", "handoff_fields", "bundle_hashes", "manifest_hash"
        )
    )
    if view.handoff is None or view.pin is None:
        return ArtifactReview("", "", "", "", (), gates)
    (handoff_path, handoff), (_, pin) = view.handoff, view.pin
    mirror = view.mirror[1] if view.mirror else None
    policy = corpus.policy.policy
    modes = modes_run(view, pin, policy) or [handoff_mode(handoff, pin)]
    evidence = view.handoff_evidence
    evidence_path = evidence[0][0] if evidence else ""
    transcript = [(p, c) for p, c in view.transcript_checks if c.name == HANDOFF_CHECK]
    transcript_path, transcript_value = (
        (transcript[0][0], _said(transcript[0][1].value)) if transcript else ("", "-")
    )
    rows: list[HandoffCheckRow] = []
    for mode in modes:
        said_by_file: dict[str, str] = next(
            (doc.checks for _, doc in evidence if MODE_OF_EVIDENCE[doc.mode] == mode), {}
        )
        label = f" ({mode})" if len(modes) > 1 else ""
        rows.extend(
            HandoffCheckRow(
                f"{check.name}{label}",
                "pass" if check.passed else "fail",
                _said(str(said_by_file.get(check.name, ""))),
                transcript_value,
                check.pointer,
                check.actual,
                check.expected,
            )
            for check in review_handoff(handoff, pin, mirror, policy, mode)
        )
    return ArtifactReview(
        " and ".join(modes), handoff_path, evidence_path, transcript_path, tuple(rows), gates
    )


@dataclass(frozen=True)
class RecordLine:
    key: str
    value: str
    section: str
    path: str
    line: int


@dataclass(frozen=True)
class Owner:
    role: str
    owner: str
    path: str
    pointer: str


@dataclass(frozen=True)
class RollbackWalkthrough:
    gates: tuple[GateResult, ...]
    record_lines: tuple[RecordLine, ...]
    owners: tuple[Owner, ...]


def rollback_walkthrough(corpus: Corpus, verdict: Verdict) -> RollbackWalkthrough:
    """Agenda item 4: the drill record's checklist, target and result, and the named owners."""
    gates = tuple(gates_checking(corpus, verdict, "rollback_ready", "roles_unambiguous"))
    drill_paths = {
        ref.path
        for gate in gates_checking(corpus, verdict, "rollback_ready")
        for ref in gate.evidence
    }
    records = _records(corpus, verdict)
    lines = [
        (path, fact) for path, extract in records if path in drill_paths for fact in extract.facts
    ]
    record_lines = tuple(
        RecordLine(fact.key, fact.value, fact.section, path, fact.line)
        for path, fact in sorted(lines, key=lambda item: (item[0], item[1].line))
        if fact.section
    )
    roles = [(path, role) for path, extract in records for role in extract.roles]
    owners = tuple(
        Owner(role.raw_role, role.owner, path, role.pointer)
        for path, role in sorted(roles, key=lambda item: (item[0], item[1].line))
    )
    return RollbackWalkthrough(gates, record_lines, owners)


@dataclass(frozen=True)
class ScenarioRow:
    """One fallback scenario of this rehearsal against the previous one, naming the cases."""

    scenario: str
    executed: int
    regressions: tuple[str, ...]
    recurring: tuple[str, ...]
    fixed: tuple[str, ...]
    new_failing: tuple[str, ...]
    lost_coverage: bool

    def count(self, kind: str) -> int:
        if kind == "lost_coverage":
            return int(self.lost_coverage)
        return len(getattr(self, kind))


FALLBACK_KINDS = ("regressions", "recurring", "new_failing", "fixed", "lost_coverage")


def fallback_rows(verdict: Verdict) -> list[ScenarioRow]:
    """Section 5: per scenario, regressions, recurring, fixed, new failing and lost coverage."""
    return [
        ScenarioRow(
            name,
            delta.executed,
            tuple(delta.regressions),
            tuple(delta.recurring),
            tuple(delta.fixed),
            tuple(delta.new_failing),
            delta.executed == 0,
        )
        for name, delta in verdict.fallback.items()
    ]


@dataclass(frozen=True)
class EnvelopeRow:
    path: str
    pointer: str
    http_status: str
    service_contract_version: str
    error_code: str
    outcome: str


def non_2xx_envelopes(corpus: Corpus, verdict: Verdict) -> list[EnvelopeRow]:
    """Section 6a: every captured non-2xx envelope and what the envelope gate made of it."""
    outcome_of = {
        ref.path: ref.actual
        for gate in gates_checking(corpus, verdict, "envelope_semantics")
        for ref in gate.evidence
    }
    envelopes = sorted(
        (
            (path, envelope)
            for path, extract in _records(corpus, verdict)
            for envelope in extract.envelopes
        ),
        key=lambda item: (item[0], item[1].pointer),
    )
    found = []
    for path, envelope in envelopes:
        status = envelope.http_status
        if status is not None and 200 <= status < 300:
            continue
        error = envelope.body.get("error")
        found.append(
            EnvelopeRow(
                path,
                envelope.pointer,
                "not stated" if status is None else str(int(status)),
                str(envelope.body.get("service_contract_version") or ""),
                str((error.get("code") if isinstance(error, dict) else None) or ""),
                outcome_of.get(path, "not checked"),
            )
        )
    return found


@dataclass(frozen=True)
class InventoryRow:
    path: str
    kind: str
    status: str
    sha256: str
    size: int
    findings: tuple[str, ...]


def _finding_text(outcome: FileOutcome) -> tuple[str, ...]:
    return tuple(
        f"{f.severity} {f.code}{' at ' + f.pointer if f.pointer else ''}: {f.message}"
        for f in outcome.findings
    )


def evidence_inventory(corpus: Corpus, verdict: Verdict) -> list[InventoryRow]:
    """Section 6b: every file of the rehearsal with its kind, status, sha256 and findings."""
    return [
        InventoryRow(o.path, o.kind, str(o.status), o.sha256, o.size, _finding_text(o))
        for o in sorted(corpus.ledger.files(verdict.rehearsal.id), key=lambda o: o.path)
    ]


@dataclass(frozen=True)
class GateEvidence:
    """A failing or missing gate with the quoted evidence behind it."""

    gate: GateResult
    excerpts: tuple[Excerpt, ...]
    more: int = 0


def rehearsal_folder(corpus: Corpus, verdict: Verdict) -> str:
    """The rehearsal's folder relative to the data folder: ``""`` when the data folder is the
    rehearsal itself (its files' ledger paths then carry no folder prefix)."""
    prefix = f"{verdict.rehearsal.folder}/"
    files = corpus.ledger.files(verdict.rehearsal.id)
    return verdict.rehearsal.folder if all(o.path.startswith(prefix) for o in files) else ""


def quoted_evidence(
    corpus: Corpus, verdict: Verdict, gates: Iterable[GateResult]
) -> list[GateEvidence]:
    """For every failing or missing one of ``gates``, the evidence quoted from the files."""
    data_dir = Path(corpus.ledger.data_dir)
    folder = rehearsal_folder(corpus, verdict)
    quoted = []
    for gate in gates:
        if gate.status not in BLOCKING:
            continue
        refs = [ref for ref in gate.evidence if ref.path]
        excerpts = tuple(excerpt(ref, data_dir, folder) for ref in refs[:EXCERPTS_PER_GATE])
        quoted.append(GateEvidence(gate, excerpts, max(0, len(refs) - EXCERPTS_PER_GATE)))
    return quoted


def failing_evidence(corpus: Corpus, verdict: Verdict) -> list[GateEvidence]:
    """Section 7: for every failing or missing gate, the evidence quoted from the files."""
    return quoted_evidence(corpus, verdict, verdict.gates)


@dataclass(frozen=True)
class CompletionChecklist:
    """Section 8: the cutover completion items (CMP-1..4 by default) with the evidence quoted
    for every item not met; ``items`` is empty when completion is not applicable."""

    status: str
    detail: str
    items: tuple[GateResult, ...]
    evidence: tuple[GateEvidence, ...]

    @property
    def applicable(self) -> bool:
        return self.status != CompletionStatus.NOT_APPLICABLE


def completion_checklist(corpus: Corpus, verdict: Verdict) -> CompletionChecklist:
    """The completion checklist as the verdict evaluated it, failing and missing items quoted."""
    completion = verdict.completion
    return CompletionChecklist(
        completion.status,
        completion.detail,
        completion.items,
        tuple(quoted_evidence(corpus, verdict, completion.items)),
    )


@dataclass(frozen=True)
class OutputTemplate:
    """The session plan's output template, filled from the verdict."""

    continuation: str
    runtime: str
    risks: tuple[Risk, ...]
    follow_ups: tuple[FollowUp, ...]
    completion: str = CompletionStatus.NOT_APPLICABLE


def output_template(verdict: Verdict) -> OutputTemplate:
    return OutputTemplate(
        verdict.rehearsal_continuation,
        verdict.runtime_cutover,
        tuple(verdict.risks),
        tuple(verdict.follow_ups),
        verdict.completion.status,
    )


@dataclass(frozen=True)
class SessionReport:
    """Everything the session report shows, in the order it shows it."""

    banner: Banner
    template: OutputTemplate
    gate_groups: list[tuple[str, list[GateResult]]]
    baseline: BaselineConfirmation
    commands: list[CommandRun]
    recorded_commands: list[RecordedCommand]
    artifacts: ArtifactReview
    rollback: RollbackWalkthrough
    fallback: list[ScenarioRow]
    envelopes: list[EnvelopeRow]
    inventory: list[InventoryRow]
    evidence: list[GateEvidence] = field(default_factory=list)
    completion: CompletionChecklist = CompletionChecklist(
        CompletionStatus.NOT_APPLICABLE, "", (), ()
    )


def build_session_report(corpus: Corpus, verdict: Verdict) -> SessionReport:
    """Assemble every section of the session report for one evaluated rehearsal."""
    return SessionReport(
        banner=banner(verdict),
        template=output_template(verdict),
        gate_groups=gates_by_category(verdict.gates),
        baseline=baseline_confirmation(corpus, verdict),
        commands=command_runs(corpus, verdict),
        recorded_commands=recorded_commands(corpus, verdict),
        artifacts=artifact_review(corpus, verdict),
        rollback=rollback_walkthrough(corpus, verdict),
        fallback=fallback_rows(verdict),
        envelopes=non_2xx_envelopes(corpus, verdict),
        inventory=evidence_inventory(corpus, verdict),
        evidence=failing_evidence(corpus, verdict),
        completion=completion_checklist(corpus, verdict),
    )
