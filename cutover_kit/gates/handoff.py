"""The consumer's producer-handoff checks, re-implemented on the payload, pin and manifest mirror.

The consumer's script only says "passed" (an evidence file) or prints one failure line; the kit
runs the same checks itself so it can say *which* field is wrong and notice when the script's
evidence and the payload disagree (a stale evidence file, a check that should have failed).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from cutover_kit.evidence import json_models as jm
from cutover_kit.evidence.transcripts.node import EXPECTED_PREFIX
from cutover_kit.policy import Policy

_SHA1 = re.compile(r"^[0-9a-f]{40}$")


class HandoffMode(StrEnum):
    """The two modes the consumer's handoff check runs in (``pinned mode`` in a gate detail)."""

    PINNED = "pinned"
    CANDIDATE = "candidate"


# The mode as the consumer's evidence file writes it -> the mode.
MODE_OF_EVIDENCE = {
    "pinned-baseline": HandoffMode.PINNED,
    "rehearsal-candidate": HandoffMode.CANDIDATE,
}


@dataclass(frozen=True)
class HandoffCheck:
    """One consumer check on the payload: its name as the evidence file spells it."""

    name: str
    passed: bool
    pointer: str
    actual: str
    expected: str


def parse_utc(stamp: str) -> dt.datetime | None:
    """ISO 8601 timestamp (``Z`` or offset) as an aware datetime; ``None`` if it does not parse."""
    try:
        parsed = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _equal(name: str, pointer: str, actual: object, expected: object) -> HandoffCheck:
    return HandoffCheck(name, actual == expected, pointer, str(actual), str(expected))


def _pin_baseline(pin: jm.IntegrationPin) -> dict[str, str]:
    return {
        "release_tag": pin.release_tag,
        "commit_sha": pin.commit_sha,
        "expected_service_contract_version": pin.expected_service_contract_version,
        "expected_api_contract_version": pin.expected_api_contract_version,
        "integration_baseline": pin.expected_integration_baseline,
    }


def handoff_mode(handoff: jm.ProducerHandoff, pin: jm.IntegrationPin) -> HandoffMode:
    """The mode the payload is meant for: candidate when it targets another version than the pin.

    Only a fallback: the consumer's check takes its mode from the *expected* version of the run
    (see :func:`mode_of_command`), so the kit uses this when no run of the check shows a mode.
    """
    differs = handoff.expected_service_contract_version != pin.expected_service_contract_version
    return HandoffMode.CANDIDATE if differs else HandoffMode.PINNED


def mode_of_command(command: str, pin: jm.IntegrationPin, policy: Policy) -> HandoffMode | None:
    """The mode a run of one of the policy's handoff-check commands takes, as the consumer's check
    decides it: candidate only when the run overrides the expected service version with one the
    pin is not on; the default check validates the pinned baseline (``None``: not such a command).
    """
    commands = policy.commands
    if command not in commands.handoff_checks:
        return None
    if command not in commands.candidate_handoff_checks:
        return HandoffMode.PINNED
    target = policy.runtime_target.service_contract_version
    return (
        HandoffMode.CANDIDATE
        if target != pin.expected_service_contract_version
        else HandoffMode.PINNED
    )


def mode_of_expected(stated: str, pin: jm.IntegrationPin) -> HandoffMode | None:
    """The mode of a run whose expected service version the transcript shows
    (``expected:VERSION``; ``expected:`` when no override was given, so the pin's): candidate
    exactly when it differs from the pin's, as the consumer's check decides (``None``: unknown).
    """
    if not stated.startswith(EXPECTED_PREFIX):
        return None
    expected = stated.removeprefix(EXPECTED_PREFIX) or pin.expected_service_contract_version
    return (
        HandoffMode.CANDIDATE
        if expected != pin.expected_service_contract_version
        else HandoffMode.PINNED
    )


def _common(
    handoff: jm.ProducerHandoff, mirror: jm.ProducerManifest | None, mode: HandoffMode
) -> list[HandoffCheck]:
    """Checks of both modes; the error-code set is compared with the mirror in pinned mode only
    (the candidate's codes belong to a version the mirror does not describe yet)."""
    checks = [
        HandoffCheck(
            "verification_commands_present",
            bool(handoff.verification_commands),
            "/verification_commands",
            f"{len(handoff.verification_commands)} command(s)",
            "at least one",
        ),
        HandoffCheck(
            "handoff_generated_at_utc_parseable",
            parse_utc(handoff.handoff_generated_at_utc) is not None,
            "/handoff_generated_at_utc",
            handoff.handoff_generated_at_utc,
            "an ISO 8601 timestamp",
        ),
    ]
    if mirror is not None:
        checks.insert(
            0,
            _equal(
                "manifest_contract_version",
                "/manifest_contract_version",
                handoff.manifest_contract_version,
                mirror.manifest_contract_version,
            ),
        )
    if mirror is not None and mode == HandoffMode.PINNED:
        checks.insert(
            1,
            HandoffCheck(
                "error_code_enum_set_equality",
                set(handoff.error_code_enum) == set(mirror.error_code_enum),
                "/error_code_enum",
                ", ".join(sorted(set(handoff.error_code_enum) ^ set(mirror.error_code_enum)))
                or "same set",
                "the mirror's error codes as a set",
            ),
        )
    return checks


_VERSION_KEYS = (
    "expected_service_contract_version",
    "expected_api_contract_version",
    "integration_baseline",
)


def _pinned(handoff: jm.ProducerHandoff, pin: jm.IntegrationPin) -> list[HandoffCheck]:
    """Pinned mode: the payload is the pinned release (a candidate payload: its active baseline)."""
    expected = _pin_baseline(pin)
    stable = handoff.handoff_mode == jm.STABLE_HANDOFF_MODE
    active = None if stable else handoff.active_runtime_baseline
    prefix = "/active_runtime_baseline" if active else ""
    versions = active or handoff
    checks = [
        _equal("release_tag", "/release_tag", handoff.release_tag, pin.release_tag),
        _equal("commit_sha", "/commit_sha", handoff.commit_sha, pin.commit_sha),
    ]
    checks.extend(
        _equal(key, f"{prefix}/{key}", getattr(versions, key), expected[key])
        for key in _VERSION_KEYS
    )
    return checks


def _contains_all(
    name: str, pointer: str, listed: list[str] | None, wanted: list[str]
) -> HandoffCheck:
    """A check that a payload list holds every entry the policy requires (``None``: absent)."""
    lacking = sorted(set(wanted) - set(listed or []))
    if listed is None:
        actual = "absent"
    else:
        actual = f"lacks {', '.join(lacking)}" if lacking else "complete"
    return HandoffCheck(
        name, listed is not None and not lacking, pointer, actual, ", ".join(wanted)
    )


def _candidate(
    handoff: jm.ProducerHandoff, pin: jm.IntegrationPin, policy: Policy
) -> list[HandoffCheck]:
    """Candidate mode: pin match relaxed, the payload's own versions against the runtime target's
    service version and the pin's api version and integration baseline."""
    target = policy.runtime_target
    section = target.envelope_section("candidate")
    rule = handoff.non_2xx_envelope_policy.get(section)
    flags = handoff.rehearsal_candidate or {}
    baseline = handoff.active_runtime_baseline
    expected = _pin_baseline(pin)
    expected["expected_service_contract_version"] = target.service_contract_version
    return [
        HandoffCheck(
            "release_tag",
            bool(handoff.release_tag),
            "/release_tag",
            handoff.release_tag or "(empty)",
            "a non-empty tag",
        ),
        HandoffCheck(
            "commit_sha",
            bool(_SHA1.match(handoff.commit_sha)),
            "/commit_sha",
            handoff.commit_sha,
            "40 hex characters",
        ),
        *(_equal(key, f"/{key}", getattr(handoff, key), expected[key]) for key in _VERSION_KEYS),
        _equal(
            "handoff_mode", "/handoff_mode", handoff.handoff_mode, target.candidate_handoff_mode
        ),
        _equal(
            "candidate_runtime_baseline",
            "/active_runtime_baseline",
            baseline.model_dump(include=set(_pin_baseline(pin))) if baseline else None,
            _pin_baseline(pin),
        ),
        _contains_all(
            "non_2xx_policy_requires",
            f"/non_2xx_envelope_policy/{section}/requires",
            rule.requires if rule else None,
            policy.envelopes.candidate_requires,
        ),
        _contains_all(
            "non_2xx_policy_forbids",
            f"/non_2xx_envelope_policy/{section}/forbids",
            rule.forbids if rule else None,
            policy.envelopes.candidate_forbids,
        ),
        _equal(
            "requires_runtime_cutover",
            "/rehearsal_candidate/requires_runtime_cutover",
            flags.get("requires_runtime_cutover"),
            False,
        ),
        _equal(
            "consumer_non_blocking_fallback_required",
            "/rehearsal_candidate/consumer_non_blocking_fallback_required",
            flags.get("consumer_non_blocking_fallback_required"),
            True,
        ),
        HandoffCheck(
            "compatibility_expectations",
            handoff.compatibility_expectations is not None,
            "/compatibility_expectations",
            "present" if handoff.compatibility_expectations is not None else "absent",
            "present",
        ),
        _contains_all(
            "required_consumer_validation_commands",
            "/required_consumer_validation_commands",
            handoff.required_consumer_validation_commands,
            policy.commands.candidate_consumer_validation,
        ),
    ]


def review_handoff(
    handoff: jm.ProducerHandoff,
    pin: jm.IntegrationPin,
    mirror: jm.ProducerManifest | None,
    policy: Policy,
    mode: HandoffMode,
) -> list[HandoffCheck]:
    """Every check the consumer's handoff check runs in ``mode``, passed or not."""
    specific = (
        _pinned(handoff, pin) if mode == HandoffMode.PINNED else _candidate(handoff, pin, policy)
    )
    return specific + _common(handoff, mirror, mode)
