"""What the consumer writes or captures during a session: check evidence and error envelopes.

The evidence files carry exactly the fields the consumer's scripts write (the real ones are
git-ignored, see ``shared/real-world/README.md``); their timestamps fall inside the session, which
is how the kit tells fresh evidence from stale. The captured envelopes follow each contract
version's non-2xx policy, except for the one planted contract mismatch.
"""

from __future__ import annotations

import datetime as dt

from cutover_kit.samples import catalog
from cutover_kit.samples.artifacts import Json, iso
from cutover_kit.samples.history import (
    API_V1,
    INTEGRATION_V1,
    MEMORYKERNEL_REPO,
    SERVICE_V2,
    SERVICE_V3,
    Fault,
    Rehearsal,
    fake_sha1,
    stable_int,
)


def handoff_evidence(reh: Rehearsal, written_at: dt.datetime) -> Json:
    """What the consumer's handoff check writes when it passes.

    The candidate variant of the check relaxes the pin match and expects service.v3, exactly as
    the consumer script does: tag and commit checks are skipped, the baseline keeps the pinned
    tag and commit, and the error-code comparison is skipped because the versions differ.
    """
    if reh.plan.older_formats:
        return _first_version_evidence(reh, written_at)
    if reh.plan.pinned_handoff_check:
        return _pinned_candidate_evidence(reh, written_at)
    release = reh.plan.pin
    relaxed = "pass" if reh.stable else "skipped-pin-match-relaxed"
    return {
        "schema_version": "v1",
        "generated_at_utc": iso(written_at, 3),
        "handoff_payload_path": catalog.HANDOFF_SOURCE_PATH,
        "baseline": {
            "release_tag": release.tag,
            "commit_sha": release.commit_sha,
            "expected_service_contract_version": reh.producer_release.service,
            "expected_api_contract_version": API_V1,
            "integration_baseline": INTEGRATION_V1,
        },
        "checks": {
            "release_tag": relaxed,
            "commit_sha": relaxed,
            "expected_service_contract_version": "pass",
            "expected_api_contract_version": "pass",
            "integration_baseline": "pass",
            "candidate_runtime_baseline": "not-used",
            "manifest_contract_version": "pass",
            "error_code_enum_set_equality": (
                "pass" if reh.stable else "skipped-service-version-differs-from-current-pin"
            ),
            "verification_commands_present": "pass",
            "handoff_generated_at_utc_parseable": "pass",
        },
        "mode": "pinned-baseline" if reh.stable else "rehearsal-candidate",
        "status": "passed",
    }


def _baseline(reh: Rehearsal, service: str) -> Json:
    return {
        "release_tag": reh.plan.pin.tag,
        "commit_sha": reh.plan.pin.commit_sha,
        "expected_service_contract_version": service,
        "expected_api_contract_version": API_V1,
        "integration_baseline": INTEGRATION_V1,
    }


_PINNED_CHECKS = (
    "release_tag",
    "commit_sha",
    "expected_service_contract_version",
    "expected_api_contract_version",
    "integration_baseline",
    "manifest_contract_version",
    "error_code_enum_set_equality",
    "verification_commands_present",
    "handoff_generated_at_utc_parseable",
)


def _first_version_evidence(reh: Rehearsal, written_at: dt.datetime) -> Json:
    """The first version of the check (b80ca7f): pinned only, no ``mode``, nine checks."""
    return {
        "schema_version": "v1",
        "generated_at_utc": iso(written_at, 3),
        "handoff_payload_path": catalog.HANDOFF_SOURCE_PATH,
        "baseline": _baseline(reh, reh.plan.pin.service),
        "checks": dict.fromkeys(_PINNED_CHECKS, "pass"),
        "status": "passed",
    }


def _pinned_candidate_evidence(reh: Rehearsal, written_at: dt.datetime) -> Json:
    """The default check (1b33163) on a candidate payload: pinned-baseline mode, validated
    against the payload's active runtime baseline, error codes compared with the mirror."""
    checks: Json = {
        **dict.fromkeys(_PINNED_CHECKS[:5], "pass"),
        "candidate_runtime_baseline": "used-for-pinned-validation",
        **dict.fromkeys(_PINNED_CHECKS[5:], "pass"),
    }
    return {
        "schema_version": "v1",
        "generated_at_utc": iso(written_at, 3),
        "handoff_payload_path": catalog.HANDOFF_SOURCE_PATH,
        "baseline": _baseline(reh, reh.plan.pin.service),
        "checks": checks,
        "mode": "pinned-baseline",
        "status": "passed",
    }


def contract_evidence(reh: Rehearsal, written_at: dt.datetime) -> Json:
    """What the consumer's contract suite writes after a green run."""
    release = reh.plan.pin
    return {
        "schema_version": "v1",
        "generated_at": iso(written_at, 3),
        "consumer": {
            "project": "AssistSupport",
            "branch": "main",
            "commit_sha": fake_sha1(f"AssistSupport@{reh.id}"),
        },
        "memorykernel_pin": {
            "repo": MEMORYKERNEL_REPO,
            "release_tag": release.tag,
            "commit_sha": release.commit_sha,
        },
        "expected_contracts": {
            "service_contract_version": release.service,
            "api_contract_version": API_V1,
            "integration_baseline": INTEGRATION_V1,
        },
        "verification": {
            "contract_test_command": f"pnpm run {catalog.CONTRACT_SUITE}",
            "pin_sync_command": f"pnpm run {catalog.PIN_CHECK}",
            "status": "passed",
        },
    }


def _body(service: str, code: str, message: str, details: Json | None = None) -> Json:
    error: Json = {"code": code, "message": message}
    if details:
        error["details"] = details
    body: Json = {"service_contract_version": service, "error": error}
    if service == SERVICE_V2:
        body["legacy_error"] = f"{code.upper()}: {message}"
    return body


def _wrapped(body: Json) -> Json:
    return {"status": catalog.STATUS_BY_CODE[body["error"]["code"]], "body": body}


def envelopes(reh: Rehearsal) -> dict[str, Json]:
    """Captured non-2xx responses, by file name: wrapped ``{status, body}`` or a bare body."""
    package = f"ctx-{stable_int(reh.id + '/ctx', 0x1000, 0xFFFF):04x}"
    if reh.stable and not reh.cutover_executed:
        return {
            "409-write-conflict.json": _wrapped(
                _body(SERVICE_V2, "write_conflict", f"revision of {package} changed since read")
            ),
            "context-lookup-failed.body.json": _body(
                SERVICE_V2, "context_lookup_failed", "context index lookup returned no shard"
            ),
        }
    missing = _body(SERVICE_V3, "context_package_not_found", f"no context package {package}")
    if reh.plan.fault is Fault.ENVELOPE_LEGACY_ERROR:
        missing["legacy_error"] = f"CONTEXT_PACKAGE_NOT_FOUND: no context package {package}"
    captured = {
        "409-write-conflict.json": _wrapped(
            _body(
                SERVICE_V3,
                "write_conflict",
                f"revision of {package} changed since read",
                {"expected_revision": 12, "actual_revision": 13},
            )
        ),
        "404-context-package-not-found.json": _wrapped(missing),
        "schema-unavailable.body.json": _body(
            SERVICE_V3, "schema_unavailable", "schema registry is warming up", {"retry_ms": 1500}
        ),
    }
    if reh.plan.proxy_capture:
        # The reverse proxy answered for the service: plain text, no envelope at all.
        captured["500-proxy-internal-server-error.json"] = {
            "status": 500,
            "body": "Internal Server Error",
        }
    if reh.plan.runtime_capture:
        # One response from the pinned service.v2 runtime, next to the candidate's.
        del captured["schema-unavailable.body.json"]
        captured["runtime-v2-400-validation-error.json"] = _wrapped(
            _body(SERVICE_V2, "validation_error", "query text must not be empty")
        )
    return captured
