"""Producer handoff gates: PRE-1 (the consumer's checks, re-run and compared) and ART-1."""

from __future__ import annotations

from cutover_kit.evidence.codes import CommandOutcome, EvidenceKind
from cutover_kit.evidence.json_models import STABLE_HANDOFF_MODE, IntegrationPin
from cutover_kit.evidence.transcripts.node import HANDOFF_CHECK
from cutover_kit.gates.checks.base import GateInput, judged, missing
from cutover_kit.gates.checks.command_gates import command_ref
from cutover_kit.gates.handoff import (
    MODE_OF_EVIDENCE,
    HandoffCheck,
    HandoffMode,
    handoff_mode,
    mode_of_command,
    mode_of_expected,
    parse_utc,
    review_handoff,
)
from cutover_kit.gates.model import EvidenceRef, GateResult
from cutover_kit.gates.view import RehearsalView
from cutover_kit.policy import Policy


def handoff_review(given: GateInput) -> GateResult:
    """PRE-1: the kit's own review, the consumer's evidence file and its transcript must agree.

    The payload is reviewed in every mode the rehearsal shows the consumer's check ran in (the
    evidence files' modes, the mode a transcript line names or the expected-version override in
    sight of its run, the handoff-check commands that ran): a mode nobody ran is no
    disagreement. Each of the three sources says pass, fail or nothing.
    The gate passes only when every source that speaks says pass; when they differ, the detail
    says so, because a passing evidence file for a payload the kit rejects (or a stale one) is
    exactly what a rehearsal must not trust.
    """
    view = given.view
    if view.handoff is None:
        return missing(given, "producer handoff payload", EvidenceKind.PRODUCER_HANDOFF)
    if view.pin is None:
        return missing(
            given, "integration pin to check the handoff against", EvidenceKind.INTEGRATION_PIN
        )
    (handoff_path, handoff), (pin_path, pin) = view.handoff, view.pin
    mirror = view.mirror[1] if view.mirror else None
    shown = modes_run(view, pin, given.policy)
    modes = shown or [handoff_mode(handoff, pin)]
    reviews = {mode: review_handoff(handoff, pin, mirror, given.policy, mode) for mode in modes}
    failed_checks = [
        EvidenceRef(handoff_path, c.pointer, c.actual, c.expected, f"check {c.name} ({mode} mode)")
        for mode, checks in reviews.items()
        for c in checks
        if not c.passed
    ]
    evidence_judged = _evidence_file_refs(view, reviews, handoff.handoff_generated_at_utc)
    script_judged = [
        (
            EvidenceRef(path, check.pointer, check.value, "pass", "the consumer's handoff check"),
            check.value == CommandOutcome.PASS,
        )
        for path, check in view.transcript_checks
        if check.name == HANDOFF_CHECK
    ] + [
        (command_ref(path, command), command.result == CommandOutcome.PASS)
        for path, command in view.transcript_commands
        if command.command in given.policy.commands.handoff_checks
        and command.result != CommandOutcome.NOT_RUN
    ]
    evidence_refs = [ref for ref, _ in evidence_judged]
    script_refs = [ref for ref, _ in script_judged]
    evidence_failures = [ref for ref, agrees in evidence_judged if not agrees]
    script_failures = [ref for ref, passed in script_judged if not passed]
    verdicts = {
        "kit review": not failed_checks,
        "evidence file": not evidence_failures if evidence_refs else None,
        "transcript": not script_failures if script_refs else None,
    }
    spoken = {name: ok for name, ok in verdicts.items() if ok is not None}
    summary = "; ".join(f"{name} {'pass' if ok else 'fail'}" for name, ok in spoken.items())
    disagree = " - the sources disagree" if len(set(spoken.values())) > 1 else ""
    failures = failed_checks + evidence_failures + script_failures
    in_modes = " and ".join(f"{mode} mode" for mode in modes)
    basis = "" if shown else ", the mode the payload targets: no run of the check shows its mode"
    total = sum(len(checks) for checks in reviews.values())
    used = [
        EvidenceRef(handoff_path, "/handoff_mode", handoff.handoff_mode, note=in_modes),
        EvidenceRef(pin_path, note="pin the payload was checked against"),
        *evidence_refs,
        *script_refs,
    ]
    return judged(
        given,
        failures,
        f"handoff review in {in_modes}{basis} passes all {total} checks ({summary})",
        f"handoff review in {in_modes}{basis}: {len(failed_checks)} of {total} checks fail "
        f"({summary}){disagree}",
        used,
    )


def modes_run(view: RehearsalView, pin: IntegrationPin, policy: Policy) -> list[HandoffMode]:
    """The modes the rehearsal's evidence shows the consumer's handoff check ran in, in order."""
    shown: set[HandoffMode | None] = {
        MODE_OF_EVIDENCE[evidence.mode] for _, evidence in view.handoff_evidence
    }
    for _, check in view.transcript_checks:
        if check.name == HANDOFF_CHECK:
            stated = MODE_OF_EVIDENCE.get(check.mode) or mode_of_expected(check.mode, pin)
            shown.add(stated or mode_of_command(check.command, pin, policy))
    shown |= {
        mode_of_command(c.command, pin, policy)
        for _, c in view.transcript_commands
        if c.result != CommandOutcome.NOT_RUN
    }
    return [mode for mode in HandoffMode if mode in shown]


def _evidence_file_refs(
    view: RehearsalView, reviews: dict[HandoffMode, list[HandoffCheck]], payload_stamp: str
) -> list[tuple[EvidenceRef, bool]]:
    """Each consumer evidence file against the kit's review in the file's own mode: one ref per
    disagreement, or one ``agrees`` ref per file; each with whether it agrees."""
    refs: list[tuple[EvidenceRef, bool]] = []
    payload_time = parse_utc(payload_stamp)
    for path, evidence in view.handoff_evidence:
        passed = {c.name: c.passed for c in reviews.get(MODE_OF_EVIDENCE[evidence.mode], [])}
        own: list[EvidenceRef] = []
        evidence_time = parse_utc(evidence.generated_at_utc)
        if payload_time and evidence_time and evidence_time < payload_time:
            own.append(
                EvidenceRef(
                    path,
                    "/generated_at_utc",
                    evidence.generated_at_utc,
                    f"after {payload_stamp}",
                    "disagrees: evidence predates the payload (stale)",
                )
            )
        own += [
            EvidenceRef(
                path,
                f"/checks/{name}",
                value,
                "fail",
                "disagrees: the kit's review fails this check",
            )
            for name, value in evidence.checks.items()
            if value == "pass" and passed.get(name) is False
        ]
        if own:
            refs += [(ref, False) for ref in own]
        else:
            refs.append((EvidenceRef(path, "/status", evidence.status, note="agrees"), True))
    return refs


def handoff_fields(given: GateInput) -> GateResult:
    """ART-1: the payload's fields and envelope-policy sections, and any rehearsal candidate's,
    are complete for the policy's runtime target (the version a mode or section names is judged
    here, against the policy, not when the file is read)."""
    view, target = given.view, given.policy.runtime_target
    if view.handoff is None:
        return missing(given, "producer handoff payload", EvidenceKind.PRODUCER_HANDOFF)
    path, handoff = view.handoff
    candidate_section = target.envelope_section("candidate")
    candidate = handoff.handoff_mode == target.candidate_handoff_mode
    wanted = candidate_section if candidate else None
    problems = []
    if handoff.handoff_mode not in (STABLE_HANDOFF_MODE, target.candidate_handoff_mode):
        problems.append(
            EvidenceRef(
                path,
                "/handoff_mode",
                handoff.handoff_mode,
                f"{STABLE_HANDOFF_MODE} or {target.candidate_handoff_mode}",
                "a candidate for another version than the runtime target",
            )
        )
    sections = handoff.non_2xx_envelope_policy
    if not sections or (wanted and wanted not in sections):
        problems.append(
            EvidenceRef(
                path,
                "/non_2xx_envelope_policy",
                ", ".join(sorted(sections)) or "(none)",
                wanted or "at least one section",
            )
        )
    problems += [
        EvidenceRef(path, f"/non_2xx_envelope_policy/{name}/requires", "(empty)", "listed fields")
        for name, rule in sorted(sections.items())
        if not rule.requires
    ]
    if not handoff.error_code_enum:
        problems.append(EvidenceRef(path, "/error_code_enum", "(empty)", "the error-code set"))
    if not handoff.verification_commands:
        problems.append(EvidenceRef(path, "/verification_commands", "(empty)", "commands"))
    if candidate and handoff.rehearsal_candidate is None:
        problems.append(EvidenceRef(path, "/rehearsal_candidate", "(absent)", "present"))
    for cpath, doc in view.rehearsal_candidates:
        if not doc.payload_contract_version.startswith(target.rehearsal_handoff_prefix):
            problems.append(
                EvidenceRef(
                    cpath,
                    "/payload_contract_version",
                    doc.payload_contract_version,
                    f"{target.rehearsal_handoff_prefix}*",
                    "a rehearsal candidate for another version than the runtime target",
                )
            )
        codes = set(doc.error_code_expectations.get("codes", []))
        if codes and codes != set(handoff.error_code_enum):
            problems.append(
                EvidenceRef(
                    cpath,
                    "/error_code_expectations/codes",
                    ", ".join(sorted(codes ^ set(handoff.error_code_enum))),
                    "same set as the handoff's error_code_enum",
                )
            )
        if candidate_section not in doc.non_2xx_envelope_policy:
            problems.append(
                EvidenceRef(
                    cpath, "/non_2xx_envelope_policy", "no candidate section", candidate_section
                )
            )
    return judged(
        given,
        problems,
        "handoff payload fields and policy sections complete",
        "{n} handoff field(s) or section(s) incomplete",
        [EvidenceRef(path, "/non_2xx_envelope_policy", ", ".join(sorted(sections)))],
    )
