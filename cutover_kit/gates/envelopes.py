"""Checking captured non-2xx envelopes against the producer's envelope policy (STOP-1).

The rule for an envelope comes from the service version its body declares: bodies of the
policy's runtime target follow the handoff payload's candidate or stable section for that version
(``<version>_candidate`` / ``<version>_stable``, else the contract source of truth, else the kit
policy), bodies of the baseline version the payload's stable section for the baseline. Error codes
must be in the producer's enum and the HTTP status must match the code.
"""

from __future__ import annotations

from dataclasses import dataclass

from cutover_kit.evidence.json_models import EnvelopeRule
from cutover_kit.evidence.model import Envelope
from cutover_kit.policy import ContractVersions, Policy


@dataclass(frozen=True)
class EnvelopeRules:
    """The envelope rules and error codes in force for one rehearsal, with where they came from."""

    by_version: dict[str, tuple[EnvelopeRule, str]]
    error_codes: frozenset[str]
    codes_source: str


def _target_section(
    sections: dict[str, EnvelopeRule], target: ContractVersions, candidate: bool
) -> EnvelopeRule | None:
    """The payload's section for the runtime target: the candidate one first in candidate mode."""
    preferred = (target.envelope_section("candidate"), target.envelope_section("stable"))
    order = preferred if candidate else tuple(reversed(preferred))
    return next((sections[name] for name in order if name in sections), None)


def rules_for(
    policy: Policy,
    handoff_sections: dict[str, EnvelopeRule],
    handoff_path: str,
    candidate: bool,
    source_rule: tuple[EnvelopeRule, str] | None,
) -> dict[str, tuple[EnvelopeRule, str]]:
    """Envelope rule per service version, most authoritative source first."""
    rules: dict[str, tuple[EnvelopeRule, str]] = {}
    target_rule = _target_section(handoff_sections, policy.runtime_target, candidate)
    if target_rule is not None:
        rules[policy.runtime_target.service_contract_version] = (target_rule, handoff_path)
    elif source_rule is not None:
        rules[policy.runtime_target.service_contract_version] = source_rule
    else:
        rules[policy.runtime_target.service_contract_version] = (
            EnvelopeRule(
                requires=policy.envelopes.candidate_requires,
                forbids=policy.envelopes.candidate_forbids,
            ),
            "policy",
        )
    baseline_section = policy.baseline.envelope_section("stable")
    if baseline_section in handoff_sections:
        rules[policy.baseline.service_contract_version] = (
            handoff_sections[baseline_section],
            handoff_path,
        )
    return rules


def envelope_problems(
    envelope: Envelope, rules: EnvelopeRules, status_by_code: dict[str, int]
) -> tuple[list[str], str]:
    """What is wrong with one envelope (empty when it conforms) and which rule judged it."""
    if envelope.raw_body is not None:
        # What an envelope of any version must carry: none of it is there.
        required = sorted(
            set.intersection(*(set(rule.requires) for rule, _ in rules.by_version.values()))
        )
        text = envelope.raw_body if len(envelope.raw_body) <= 60 else envelope.raw_body[:57] + "..."
        return [
            f"HTTP {envelope.http_status} body is not an error envelope ({text!r}): "
            f"lacks {', '.join(required)}"
        ], ""
    version = envelope.body.get("service_contract_version")
    if version not in rules.by_version:
        known = ", ".join(sorted(rules.by_version))
        return [f"service_contract_version {version!r} has no envelope rule (known: {known})"], ""
    rule, rule_source = rules.by_version[version]
    present = envelope.field_paths()
    problems = [f"lacks required field {name}" for name in rule.requires if name not in present]
    problems += [f"carries forbidden field {name}" for name in rule.forbids if name in present]
    error = envelope.body.get("error")
    code = error.get("code") if isinstance(error, dict) else None
    if code is not None and rules.error_codes and code not in rules.error_codes:
        problems.append(f"error.code {code!r} is not in the error-code enum ({rules.codes_source})")
    expected_status = status_by_code.get(str(code))
    if None not in (envelope.http_status, expected_status) and (
        envelope.http_status != expected_status
    ):
        problems.append(
            f"HTTP {envelope.http_status} does not match error.code {code!r} "
            f"(expected {expected_status})"
        )
    return problems, rule_source
