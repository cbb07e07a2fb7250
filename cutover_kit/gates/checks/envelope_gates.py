"""STOP-1: captured non-2xx envelopes against the producer's envelope policy."""

from __future__ import annotations

from cutover_kit.evidence import json_models as jm
from cutover_kit.evidence.codes import EvidenceKind
from cutover_kit.gates.checks.base import GateInput, judged, missing
from cutover_kit.gates.envelopes import EnvelopeRules, envelope_problems, rules_for
from cutover_kit.gates.model import EvidenceRef, GateResult
from cutover_kit.gates.view import RehearsalView
from cutover_kit.policy import Policy


def _envelope_rules(view: RehearsalView, policy: Policy) -> EnvelopeRules:
    sections: dict[str, jm.EnvelopeRule] = {}
    handoff_path, candidate = "", False
    if view.handoff:
        handoff_path, handoff = view.handoff
        sections = dict(handoff.non_2xx_envelope_policy)
        candidate = handoff.handoff_mode == policy.runtime_target.candidate_handoff_mode
    for path, doc in view.rehearsal_candidates:
        for name, rule in doc.non_2xx_envelope_policy.items():
            if name not in sections:
                sections[name] = rule
                handoff_path = handoff_path or path
    source = view.contract_source
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
        return missing(given, "captured non-2xx envelope", EvidenceKind.ERROR_ENVELOPE)
    rules = _envelope_rules(view, policy)
    failures: list[EvidenceRef] = []
    used: list[EvidenceRef] = []
    for path, envelope in view.envelopes:
        problems, rule_source = envelope_problems(envelope, rules, policy.envelopes.status_by_code)
        version = envelope.body.get("service_contract_version")
        ref = EvidenceRef(
            path,
            envelope.pointer,
            "; ".join(problems) or "conforms",
            "an error envelope" if envelope.raw_body is not None else f"{version} envelope rule",
            f"rule from {rule_source or 'none'}",
        )
        (failures if problems else used).append(ref)
    return judged(
        given,
        failures,
        f"all {len(used)} captured envelope(s) conform",
        "{n} captured envelope(s) break the envelope contract"
        + "".join(f"; {ref.path.rsplit('/', 1)[-1]}: {ref.actual}" for ref in failures[:3]),
        used,
    )
