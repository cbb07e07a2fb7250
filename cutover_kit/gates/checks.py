"""The gate checks, keyed by the name a policy's ``check`` field uses.

Each check reads one rehearsal through a :class:`~cutover_kit.gates.view.RehearsalView` and
returns a :class:`~cutover_kit.gates.model.GateResult` whose evidence names the file and the
field or line it used. Checks never guess: when the evidence they need is absent or was rejected
they say ``missing``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cutover_kit.evidence import json_models as jm
from cutover_kit.gates.envelopes import EnvelopeRules, envelope_problems, rules_for
from cutover_kit.gates.fallback import ScenarioDelta
from cutover_kit.gates.handoff import EVIDENCE_MODE, parse_utc, review_handoff
from cutover_kit.gates.model import EvidenceRef, GateResult, GateStatus
from cutover_kit.gates.ownership import role_owners
from cutover_kit.gates.view import RehearsalView

if TYPE_CHECKING:
    from cutover_kit.policy import Gate, Policy

_SHA1 = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class GateInput:
    """What a check may use: the rehearsal, the policy and the fallback comparison."""

    view: RehearsalView
    policy: Policy
    gate: Gate
    fallback: dict[str, ScenarioDelta]
    previous_id: str | None


def _result(
    given: GateInput,
    status: GateStatus,
    detail: str,
    evidence: list[EvidenceRef] | tuple[EvidenceRef, ...] = (),
    **data: object,
) -> GateResult:
    gate = given.gate
    return GateResult(
        gate.id, gate.category, gate.description, status, detail, tuple(evidence), dict(data)
    )


def _missing(given: GateInput, what: str, *kinds: str) -> GateResult:
    unreadable = given.view.unreadable(*kinds)
    suffix = f" ({len(unreadable)} such file(s) rejected)" if unreadable else ""
    return _result(given, GateStatus.MISSING, f"no usable {what}{suffix}", unreadable)


def _verdict(
    given: GateInput,
    failures: list[EvidenceRef],
    ok: str,
    bad: str,
    used: list[EvidenceRef],
    **data: object,
) -> GateResult:
    if failures:
        return _result(given, GateStatus.FAIL, bad.format(n=len(failures)), failures, **data)
    return _result(given, GateStatus.PASS, ok, used, **data)


# --- PRE-1 -----------------------------------------------------------------------------------


def handoff_review(given: GateInput) -> GateResult:
    view, policy = given.view, given.policy
    if view.handoff is None:
        return _missing(given, "producer handoff payload", "producer-handoff")
    if view.pin is None:
        return _missing(given, "integration pin to check the handoff against", "integration-pin")
    (handoff_path, handoff), (pin_path, pin) = view.handoff, view.pin
    mirror = view.mirror[1] if view.mirror else None
    mode, checks = review_handoff(handoff, pin, mirror, policy)
    failures = [
        EvidenceRef(handoff_path, c.pointer, c.actual, c.expected, f"check {c.name} ({mode} mode)")
        for c in checks
        if not c.passed
    ]
    failures += _handoff_script_failures(view)
    agreement = _handoff_evidence_agreement(
        view, mode, {c.name: c.passed for c in checks}, handoff.handoff_generated_at_utc
    )
    failures += [ref for ref in agreement if ref.note.startswith("disagrees")]
    used = [
        EvidenceRef(handoff_path, "/handoff_mode", handoff.handoff_mode, note=f"{mode} mode"),
        EvidenceRef(pin_path, note="pin the payload was checked against"),
        *agreement,
    ]
    return _verdict(
        given,
        failures,
        f"handoff payload passes all {len(checks)} {mode}-mode checks",
        "{n} handoff check(s) failed or disagree",
        used,
        mode=mode,
        checks={c.name: c.passed for c in checks},
    )


def _handoff_script_failures(view: RehearsalView) -> list[EvidenceRef]:
    return [
        EvidenceRef(path, check.pointer, check.value, "pass", "the consumer's handoff check failed")
        for path, check in view.transcript_checks
        if check.name == "handoff-validation" and check.value.startswith("fail")
    ]


def _handoff_evidence_agreement(
    view: RehearsalView, mode: str, passed: dict[str, bool], payload_stamp: str
) -> list[EvidenceRef]:
    """Compare the consumer's evidence file with the kit's own review of the payload."""
    refs = []
    payload_time = parse_utc(payload_stamp)
    for path, evidence in view.all("handoff-evidence"):
        if evidence.mode != EVIDENCE_MODE[mode]:
            refs.append(
                EvidenceRef(
                    path,
                    "/mode",
                    evidence.mode,
                    EVIDENCE_MODE[mode],
                    "disagrees: evidence was written in another mode",
                )
            )
        evidence_time = parse_utc(evidence.generated_at_utc)
        if payload_time and evidence_time and evidence_time < payload_time:
            refs.append(
                EvidenceRef(
                    path,
                    "/generated_at_utc",
                    evidence.generated_at_utc,
                    f"after {payload_stamp}",
                    "disagrees: evidence predates the payload (stale)",
                )
            )
        for name, value in evidence.checks.items():
            if value == "pass" and passed.get(name) is False:
                refs.append(
                    EvidenceRef(
                        path,
                        f"/checks/{name}",
                        value,
                        "fail",
                        "disagrees: the kit's review fails this check",
                    )
                )
        if not any(ref.path == path for ref in refs):
            refs.append(EvidenceRef(path, "/status", evidence.status, note="agrees"))
    return refs


# --- PRE-2, GRD-2 ----------------------------------------------------------------------------


def _baseline_refs(
    view: RehearsalView, policy: Policy
) -> tuple[list[EvidenceRef], list[EvidenceRef]]:
    """(mismatches, everything compared) of pin and contract evidence against the baseline."""
    base = policy.baseline
    compared: list[EvidenceRef] = []
    if view.pin:
        path, pin = view.pin
        compared += [
            EvidenceRef(
                path,
                "/expected_service_contract_version",
                pin.expected_service_contract_version,
                base.service_contract_version,
            ),
            EvidenceRef(
                path,
                "/expected_api_contract_version",
                pin.expected_api_contract_version,
                base.api_contract_version,
            ),
            EvidenceRef(
                path,
                "/expected_integration_baseline",
                pin.expected_integration_baseline,
                base.integration_baseline,
            ),
        ]
    for path, evidence in view.all("contract-evidence"):
        contracts = evidence.expected_contracts
        compared += [
            EvidenceRef(
                path,
                "/expected_contracts/service_contract_version",
                contracts.service_contract_version,
                base.service_contract_version,
            ),
            EvidenceRef(
                path,
                "/expected_contracts/api_contract_version",
                contracts.api_contract_version,
                base.api_contract_version,
            ),
            EvidenceRef(
                path,
                "/expected_contracts/integration_baseline",
                contracts.integration_baseline,
                base.integration_baseline,
            ),
        ]
    return [ref for ref in compared if ref.actual != ref.expected], compared


def baseline_pinned(given: GateInput) -> GateResult:
    view = given.view
    if view.pin is None:
        return _missing(given, "integration pin", "integration-pin")
    path, pin = view.pin
    mismatches, compared = _baseline_refs(view, given.policy)
    recorded = [
        EvidenceRef(path, "/release_tag", pin.release_tag, note="release tag recorded"),
        EvidenceRef(path, "/commit_sha", pin.commit_sha, note="commit recorded"),
    ]
    return _verdict(
        given,
        mismatches,
        f"pinned to {pin.release_tag} ({pin.commit_sha[:12]}) on the approved baseline",
        "{n} field(s) differ from the approved pre-cutover baseline",
        recorded + compared,
    )


def no_runtime_switch(given: GateInput) -> GateResult:
    view, target = given.view, given.policy.runtime_target.service_contract_version
    if view.pin is None and not view.all("contract-evidence"):
        return _missing(given, "pin or contract evidence", "integration-pin", "contract-evidence")
    _, compared = _baseline_refs(view, given.policy)
    service_refs = [ref for ref in compared if ref.pointer.endswith("service_contract_version")]
    switched = [ref for ref in service_refs if ref.actual == target]
    return _verdict(
        given,
        switched,
        f"runtime contract stays off {target}",
        "{n} artifact(s) already point at " + target,
        service_refs,
    )


# --- PRE-3, CMD-n, STOP-4 --------------------------------------------------------------------


def _command_ref(path: str, command: object) -> EvidenceRef:
    exit_code = getattr(command, "exit_code", None)
    actual = getattr(command, "result", "")
    if exit_code is not None:
        actual += f" (exit {exit_code})"
    return EvidenceRef(
        path, f"line {getattr(command, 'line', 0)}", actual, "pass", getattr(command, "command", "")
    )


def _latest_run(view: RehearsalView, name: str) -> tuple[str, object] | None:
    runs = [(path, cmd) for path, cmd in view.transcript_commands if cmd.command == name]
    return runs[-1] if runs else None


def command_passed(given: GateInput) -> GateResult:
    name = given.gate.command or ""
    run = _latest_run(given.view, name)
    if run is None:
        return _missing(given, f"transcript showing `{name}`", "transcript")
    path, command = run
    ref = _command_ref(path, command)
    if command.result == "pass":  # type: ignore[attr-defined]
        children = [c for p, c in given.view.transcript_commands if c.parent == name and p == path]
        detail = f"`{name}` passed" + (f" with {len(children)} sub-command(s)" if children else "")
        return _result(given, GateStatus.PASS, detail, [ref])
    failed_children = [
        _command_ref(p, c)
        for p, c in given.view.transcript_commands
        if c.parent == name and p == path and c.result == "fail"
    ]
    status = GateStatus.FAIL if command.result == "fail" else GateStatus.MISSING  # type: ignore[attr-defined]
    verb = "failed" if status is GateStatus.FAIL else "has no recorded result"
    return _result(given, status, f"`{name}` {verb}", [ref, *failed_children])


def suites_green(given: GateInput) -> GateResult:
    view, commands = given.view, given.policy.commands
    failures, used, absent = [], [], []
    for name in commands.consumer_suites:
        run = _latest_run(view, name)
        if run is None:
            absent.append(f"consumer `{name}`")
            continue
        ref = _command_ref(*run)
        (used if run[1].result == "pass" else failures).append(ref)  # type: ignore[attr-defined]
    for name in commands.producer_suites:
        run = _latest_run(view, name)
        if run is not None:
            ref = _command_ref(*run)
            (used if run[1].result == "pass" else failures).append(ref)  # type: ignore[attr-defined]
            continue
        reported = [(p, c) for p, c, _ in view.record_commands if c.command == name]
        if not reported:
            absent.append(f"producer `{name}`")
            continue
        path, command = reported[-1]
        ref = EvidenceRef(
            path, f"line {command.line}", command.result, "pass", f"{name} (verification record)"
        )
        (used if command.result == "pass" else failures).append(ref)
    if failures:
        return _result(
            given, GateStatus.FAIL, f"{len(failures)} required suite(s) not green", failures + used
        )
    if absent:
        return _result(given, GateStatus.MISSING, "no result for " + ", ".join(absent), used)
    return _result(given, GateStatus.PASS, f"all {len(used)} required suites green", used)


def no_failed_commands(given: GateInput) -> GateResult:
    view, commands = given.view, given.policy.commands
    watched = [(p, c) for p, c in view.transcript_commands if commands.stops_on(c.command)]
    if not watched:
        return _missing(given, "transcript of consumer contract or CI commands", "transcript")
    failed = [_command_ref(p, c) for p, c in watched if c.result == "fail"]
    return _verdict(
        given,
        failed,
        f"none of {len(watched)} consumer command run(s) failed",
        "{n} consumer command run(s) failed",
        [],
    )


# --- ART-1, ART-2, ART-3 ---------------------------------------------------------------------


def handoff_fields(given: GateInput) -> GateResult:
    view = given.view
    if view.handoff is None:
        return _missing(given, "producer handoff payload", "producer-handoff")
    path, handoff = view.handoff
    candidate = handoff.handoff_mode == "service-v3-candidate"
    wanted = "service_v3_candidate" if candidate else None
    problems = []
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
    for cpath, doc in view.all("rehearsal-handoff-candidate"):
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
        if "service_v3_candidate" not in doc.non_2xx_envelope_policy:
            problems.append(
                EvidenceRef(
                    cpath,
                    "/non_2xx_envelope_policy",
                    "no candidate section",
                    "service_v3_candidate",
                )
            )
    return _verdict(
        given,
        problems,
        "handoff payload fields and policy sections complete",
        "{n} handoff field(s) or section(s) incomplete",
        [EvidenceRef(path, "/non_2xx_envelope_policy", ", ".join(sorted(sections)))],
    )


def _present(view: RehearsalView, listed: str) -> str | None:
    """The evidence file a bundle path names: same path suffix, else a unique same-name file."""
    listed = listed.lstrip("./")
    by_suffix = [p for p in view.file_hashes if p == listed or p.endswith("/" + listed)]
    if by_suffix:
        return by_suffix[0]
    name = listed.rsplit("/", 1)[-1]
    same_name = [p for p in view.file_hashes if p.rsplit("/", 1)[-1] == name]
    return same_name[0] if len(same_name) == 1 else None


def bundle_hashes(given: GateInput) -> GateResult:
    view = given.view
    bundles = view.all("release-evidence-bundle")
    if not bundles:
        return _missing(given, "release evidence bundle", "release-evidence-bundle")
    mismatches, verified, absent = [], [], 0
    for path, bundle in bundles:
        for index, artifact in enumerate(bundle.artifacts):
            found = _present(view, artifact.path)
            if found is None:
                absent += 1
                continue
            ref = EvidenceRef(
                found, f"{path} /artifacts/{index}/sha256", view.file_hashes[found], artifact.sha256
            )
            (verified if ref.actual == ref.expected else mismatches).append(ref)
    if not mismatches and not verified:
        return _result(
            given,
            GateStatus.SKIPPED,
            f"none of the {absent} listed artifact(s) is in the evidence folder",
        )
    return _verdict(
        given,
        mismatches,
        f"{len(verified)} listed artifact(s) present match their sha256 ({absent} not present)",
        "{n} artifact(s) differ from the bundle's sha256 (tampering or drift)",
        verified,
    )


def manifest_hash(given: GateInput) -> GateResult:
    view = given.view
    if view.pin is None:
        return _missing(given, "integration pin", "integration-pin")
    pin_path, pin = view.pin
    if pin.expected_producer_manifest_sha256 is None:
        return _result(
            given,
            GateStatus.SKIPPED,
            "the pin predates manifest hashes (no expected_producer_manifest_sha256)",
            [EvidenceRef(pin_path, "/expected_producer_manifest_sha256", "(absent)")],
        )
    if view.mirror is None:
        return _missing(given, "producer manifest mirror", "producer-manifest")
    mirror_path = view.mirror[0]
    ref = EvidenceRef(
        mirror_path,
        "sha256",
        view.file_hashes[mirror_path],
        pin.expected_producer_manifest_sha256,
        f"{pin_path} /expected_producer_manifest_sha256",
    )
    return _verdict(
        given,
        [ref] if ref.actual != ref.expected else [],
        "manifest mirror matches the pin's hash",
        "manifest mirror does not match the pin's hash",
        [ref],
    )


# --- GRD-1 -----------------------------------------------------------------------------------


def pin_unchanged(given: GateInput) -> GateResult:
    view = given.view
    manifest = view.manifest
    if manifest and manifest.pin_captures:
        mpath = view.rehearsal.manifest_path
        changed = [
            EvidenceRef(
                mpath,
                f"/pin_captures/{i}",
                capture.after_sha256,
                capture.before_sha256,
                f"pin changed around `{capture.command}`",
            )
            for i, capture in enumerate(manifest.pin_captures)
            if capture.before_sha256 != capture.after_sha256
        ]
        if view.pin and not changed:
            pin_sha = view.file_hashes[view.pin[0]]
            last = manifest.pin_captures[-1]
            if last.after_sha256 != pin_sha:
                changed.append(
                    EvidenceRef(
                        view.pin[0],
                        "sha256",
                        pin_sha,
                        last.after_sha256,
                        "pin file differs from the last capture",
                    )
                )
        return _verdict(
            given,
            changed,
            f"pin hash equal before and after all {len(manifest.pin_captures)} captured command(s)",
            "{n} capture(s) show the pin changed",
            [EvidenceRef(mpath, "/pin_captures")],
        )
    if view.pin is None:
        return _missing(given, "pin captures or integration pin", "integration-pin")
    pin_path, pin = view.pin
    stated = [
        (path, "/baseline", ev.baseline.release_tag, ev.baseline.commit_sha)
        for path, ev in view.all("handoff-evidence")
    ] + [
        (path, "/memorykernel_pin", ev.memorykernel_pin.release_tag, ev.memorykernel_pin.commit_sha)
        for path, ev in view.all("contract-evidence")
    ]
    if not stated:
        return _missing(
            given,
            "pin captures or evidence written during the session",
            "handoff-evidence",
            "contract-evidence",
        )
    expected = f"{pin.release_tag} {pin.commit_sha}"
    refs = [
        EvidenceRef(path, pointer, f"{tag} {sha}", expected, f"against {pin_path}")
        for path, pointer, tag, sha in stated
    ]
    return _verdict(
        given,
        [r for r in refs if r.actual != r.expected],
        f"no capture; {len(refs)} session artifact(s) state the pinned release",
        "{n} session artifact(s) state another release than the pin",
        refs,
    )


# --- GRD-3, STOP-2 ---------------------------------------------------------------------------


def _fallback_refs(given: GateInput, names: set[str]) -> list[EvidenceRef]:
    refs = []
    for path, case in given.view.test_cases:
        if case.status in {"failed", "error"} and any(
            case.name.casefold().endswith(n) for n in names
        ):
            refs.append(
                EvidenceRef(
                    path, case.pointer, case.status, "passed", f"{case.suite} {case.name}".strip()
                )
            )
    return refs


def no_fallback_regression(given: GateInput) -> GateResult:
    regressions = {n for d in given.fallback.values() for n in d.regressions}
    if given.previous_id is None:
        return _result(given, GateStatus.PASS, "first rehearsal: nothing to regress from")
    return _verdict(
        given,
        _fallback_refs(given, regressions),
        f"no fallback case regressed since {given.previous_id}",
        "{n} fallback case report(s) regressed since " + given.previous_id,
        [],
        regressions=sorted(regressions),
    )


def fallback_green(given: GateInput) -> GateResult:
    failing = {n for d in given.fallback.values() for n in d.failing}
    if failing:
        return _result(
            given,
            GateStatus.FAIL,
            f"{len(failing)} fallback case(s) failing",
            _fallback_refs(given, failing),
        )
    uncovered = [s for s, d in given.fallback.items() if d.executed == 0]
    if uncovered:
        return _result(
            given,
            GateStatus.MISSING,
            "lost coverage: no executed case for " + ", ".join(uncovered),
            given.view.unreadable("junit", "transcript"),
        )
    executed = sum(d.executed for d in given.fallback.values())
    return _result(
        given,
        GateStatus.PASS,
        f"{executed} fallback case(s) green across {len(given.fallback)} scenarios",
    )


# --- STOP-1 ----------------------------------------------------------------------------------


def _envelope_rules(view: RehearsalView, policy: Policy) -> EnvelopeRules:
    sections: dict[str, jm.EnvelopeRule] = {}
    handoff_path, candidate = "", False
    if view.handoff:
        handoff_path, handoff = view.handoff
        sections = dict(handoff.non_2xx_envelope_policy)
        candidate = handoff.handoff_mode == "service-v3-candidate"
    for path, doc in view.all("rehearsal-handoff-candidate"):
        for name, rule in doc.non_2xx_envelope_policy.items():
            if name not in sections:
                sections[name] = rule
                handoff_path = handoff_path or path
    source = view.first("contract-source")
    source_rule = (source[1].non_2xx_envelope_policy, source[0]) if source else None
    codes_from = view.handoff or view.mirror or source
    codes = frozenset(codes_from[1].error_code_enum) if codes_from else frozenset()
    return EnvelopeRules(
        rules_for(policy, sections, handoff_path, candidate, source_rule),
        codes,
        codes_from[0] if codes_from else "none",
    )


def envelope_semantics(given: GateInput) -> GateResult:
    view, policy = given.view, given.policy
    if not view.envelopes:
        return _missing(given, "captured non-2xx envelope", "error-envelope")
    rules = _envelope_rules(view, policy)
    failures, used = [], []
    for path, envelope in view.envelopes:
        problems, rule_source = envelope_problems(envelope, rules, policy.envelopes.status_by_code)
        version = envelope.body.get("service_contract_version")
        ref = EvidenceRef(
            path,
            envelope.pointer,
            "; ".join(problems) or "conforms",
            f"{version} envelope rule",
            f"rule from {rule_source or 'none'}",
        )
        (failures if problems else used).append(ref)
    return _verdict(
        given,
        failures,
        f"all {len(used)} captured envelope(s) conform",
        "{n} captured envelope(s) break the envelope contract",
        used,
    )


# --- STOP-3 ----------------------------------------------------------------------------------


def roles_unambiguous(given: GateInput) -> GateResult:
    owners = role_owners(given.view, given.policy.roles)
    if not any(owners.values()):
        return _missing(
            given,
            "role assignments (session manifest or ownership lines)",
            "session-manifest",
            "record",
        )
    problems, used = [], []
    for role in given.policy.roles.required:
        statements = owners[role.id]
        names = {s.owner.strip().casefold() for s in statements}
        unassigned = [s for s in statements if given.policy.roles.is_unassigned(s.owner)]
        if not statements:
            problems.append(
                EvidenceRef("", role.id, "(no owner named)", "one named owner", role.label)
            )
        elif unassigned or len(names) > 1:
            problems += [
                EvidenceRef(s.path, s.pointer, s.owner or "(blank)", "one named owner", role.label)
                for s in statements
            ]
        else:
            used.append(
                EvidenceRef(
                    statements[0].path, statements[0].pointer, statements[0].owner, note=role.label
                )
            )
    return _verdict(
        given,
        problems,
        f"all {len(used)} required roles have one named owner",
        "{n} role statement(s) leave an owner ambiguous",
        used,
    )


# --- RBK-1 -----------------------------------------------------------------------------------


def rollback_ready(given: GateInput) -> GateResult:
    view = given.view
    drills = view.records("rollback-drill")
    if not drills:
        return _missing(given, "rollback drill record", "record")
    path, drill = drills[-1]
    problems: list[EvidenceRef] = []
    target = {f.key.casefold(): f for f in drill.facts if "rollback target" in f.section.casefold()}
    for key in ("release_tag", "commit_sha"):
        if key not in target:
            problems.append(EvidenceRef(path, "Rollback Target", "(absent)", f"{key} documented"))
    if "commit_sha" in target and not _SHA1.match(target["commit_sha"].value):
        fact = target["commit_sha"]
        problems.append(EvidenceRef(path, f"line {fact.line}", fact.value, "40 hex characters"))
    problems += [
        EvidenceRef(path, check.pointer, check.value, "checked", check.name)
        for check in drill.checks
        if check.value != "checked"
    ]
    results = [v for v in drill.verdicts if v.topic == "other"]
    problems += [
        EvidenceRef(path, f"line {v.line}", v.value, "READY or PASS", v.key)
        for v in results
        if v.value not in {"READY", "PASS", "GO"}
    ]
    if view.pin:
        pin_path, pin = view.pin
        tags = {f.value for f in drill.facts if f.key.casefold() == "release_tag"}
        shas = {f.value for f in drill.facts if f.key.casefold() == "commit_sha"}
        if pin.release_tag not in tags or pin.commit_sha not in shas:
            problems.append(
                EvidenceRef(
                    path,
                    "release_tag / commit_sha",
                    ", ".join(sorted(tags)) or "(none)",
                    f"{pin.release_tag} {pin.commit_sha[:12]} from {pin_path}",
                    "drill does not refer to the current baseline",
                )
            )
    return _verdict(
        given,
        problems,
        "rollback target documented and drill evidence current",
        "{n} rollback readiness item(s) not met",
        [EvidenceRef(path, note="rollback drill record")],
    )


Check = Callable[[GateInput], GateResult]

CHECKS: dict[str, Check] = {
    "handoff_review": handoff_review,
    "baseline_pinned": baseline_pinned,
    "suites_green": suites_green,
    "command_passed": command_passed,
    "handoff_fields": handoff_fields,
    "bundle_hashes": bundle_hashes,
    "manifest_hash": manifest_hash,
    "pin_unchanged": pin_unchanged,
    "no_runtime_switch": no_runtime_switch,
    "no_fallback_regression": no_fallback_regression,
    "envelope_semantics": envelope_semantics,
    "fallback_green": fallback_green,
    "roles_unambiguous": roles_unambiguous,
    "no_failed_commands": no_failed_commands,
    "rollback_ready": rollback_ready,
}
