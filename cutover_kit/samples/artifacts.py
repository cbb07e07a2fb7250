"""JSON artifacts of a sample rehearsal, shaped the way the real producer and consumer write them.

Field names, nesting and value forms follow ``shared/real-world/``; the values come from the
rehearsal's plan. Hashes that tie files together (pin -> manifest mirror, bundle -> shipped
files) are computed from the exact bytes written, so the sample corpus passes the kit's
integrity gates unless a fault is planted on purpose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from cutover_kit.samples import catalog
from cutover_kit.samples.history import (
    API_V1,
    INTEGRATION_V1,
    MEMORYKERNEL_REPO,
    SERVICE_V2,
    SERVICE_V3,
    Rehearsal,
    Release,
    stable_int,
)

Json = dict[str, Any]

HANDOFF_PATH = "docs/implementation/PRODUCER_RELEASE_HANDOFF_LATEST.json"
CANDIDATE_PATH = "docs/implementation/SERVICE_V3_REHEARSAL_HANDOFF_CANDIDATE.json"
SOURCE_PATH = "contracts/integration/v1/service-contract-source-of-truth.json"
_MANIFEST_PATH = "contracts/integration/v1/producer-contract-manifest.json"
_OPENAPI_PATH = "openapi/openapi.yaml"

_V2_POLICY: Json = {
    "requires": ["service_contract_version", "error.code", "error.message", "legacy_error"],
    "forbids": ["api_contract_version"],
}
_V3_POLICY: Json = {
    "requires": ["service_contract_version", "error.code", "error.message"],
    "optional": ["error.details"],
    "forbids": ["legacy_error", "api_contract_version"],
}


def dump(document: Any) -> bytes:
    """JSON as the tools write it: two-space indent, key order kept, trailing newline."""
    return (json.dumps(document, indent=2) + "\n").encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def iso(moment: dt.datetime, digits: int = 0) -> str:
    """UTC timestamp with ``digits`` fractional digits (0, 3 or 6) and a ``Z`` suffix."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if digits:
        text += f".{moment.microsecond:06d}"[: digits + 1]
    return text + "Z"


def _published_at(reh: Rehearsal) -> dt.datetime:
    """When the producer published the handoff: the evening before the session."""
    minute = stable_int(f"{reh.id}/handoff", 0, 59)
    return reh.started_at - dt.timedelta(hours=19, minutes=minute)


def release_baseline(release: Release) -> Json:
    """A release in the handoff's ``active_runtime_baseline`` form."""
    return {
        "release_tag": release.tag,
        "commit_sha": release.commit_sha,
        "expected_service_contract_version": release.service,
        "expected_api_contract_version": API_V1,
        "integration_baseline": INTEGRATION_V1,
    }


def manifest_mirror(reh: Rehearsal) -> Json:
    """The consumer's mirror of the producer manifest of the pinned release."""
    pin = reh.plan.pin
    return {
        "manifest_contract_version": "producer-contract-manifest.v1",
        "release_tag": pin.tag,
        "commit_sha": pin.commit_sha,
        "expected_service_contract_version": pin.service,
        "expected_api_contract_version": API_V1,
        "integration_baseline": INTEGRATION_V1,
        "error_code_enum": list(catalog.ERROR_CODES),
        "stability_window": {"minimum_sprint_days": 14},
        "additive_error_code_notice_policy": {
            "standard_business_days": 10,
            "emergency_notice_hours": 24,
            "emergency_requires_same_day_docs_spec_tests": True,
        },
        "service_v3_transition_guard": {
            "legacy_error_must_remain_in_service_v2": True,
            "legacy_error_removal_requires_service_v3": True,
            "consumer_green_repin_required_before_legacy_error_removal": True,
        },
    }


def pin(reh: Rehearsal, mirror: bytes) -> Json:
    """The integration pin; older pins (first rehearsals) predate the manifest hash field."""
    release = reh.plan.pin
    document: Json = {
        "memorykernel_repo": MEMORYKERNEL_REPO,
        "release_tag": release.tag,
        "commit_sha": release.commit_sha,
        "expected_service_contract_version": release.service,
        "expected_api_contract_version": API_V1,
        "expected_integration_baseline": INTEGRATION_V1,
    }
    if reh.plan.pin_has_manifest_hash:
        document["expected_producer_manifest_sha256"] = sha256(mirror)
    document["default_base_url"] = "http://127.0.0.1:4010"
    document["default_timeout_ms"] = 2500
    return document


def handoff(reh: Rehearsal) -> Json:
    """The producer handoff payload: stable (pinned release) or service.v3 candidate mode."""
    release = reh.producer_release
    # A candidate payload validated by the default check names the pinned release it runs on.
    named = reh.plan.pin if reh.plan.pinned_handoff_check else release
    document: Json = {
        "handoff_generated_at_utc": iso(_published_at(reh)),
        "handoff_mode": "stable" if reh.stable else "service-v3-candidate",
        "release_tag": named.tag,
        "commit_sha": named.commit_sha,
        "expected_service_contract_version": release.service,
        "expected_api_contract_version": API_V1,
        "integration_baseline": INTEGRATION_V1,
    }
    if not reh.stable:
        document["active_runtime_baseline"] = release_baseline(reh.plan.pin)
    # Sorted on purpose: the consumer compares error codes as a set, not as a list.
    document["error_code_enum"] = sorted(catalog.ERROR_CODES)
    if reh.stable and release.service == SERVICE_V2:
        document["non_2xx_envelope_policy"] = {"service_v2_stable": _V2_POLICY}
    elif reh.stable:
        document["non_2xx_envelope_policy"] = {"service_v3_stable": _V3_POLICY}
    else:
        document["non_2xx_envelope_policy"] = {
            "service_v3_candidate": _V3_POLICY,
            "service_v2_stable": _V2_POLICY,
        }
    document["manifest_contract_version"] = "producer-contract-manifest.v1"
    document["manifest_path"] = f"{catalog.PRODUCER_ROOT}/{_MANIFEST_PATH}"
    document["changelog_path"] = f"{catalog.PRODUCER_ROOT}/CHANGELOG.md"
    document["verification_commands"] = catalog.producer_commands()
    if not reh.stable:
        document["rehearsal_candidate"] = {
            "target_service_contract_version": SERVICE_V3,
            "requires_runtime_cutover": False,
            "consumer_non_blocking_fallback_required": True,
            "cutover_not_before_utc_date": reh.cutover_not_before.isoformat(),
        }
        document["compatibility_expectations"] = {
            "error_code_validation_mode": "set_equality",
            "service_v2_runtime_unchanged_during_rehearsal": True,
            "legacy_error_absent_in_service_v3_envelopes": True,
            "consumer_enrichment_optional_non_blocking": True,
        }
        document["required_consumer_validation_commands"] = catalog.CANDIDATE_CONSUMER_VALIDATION
    document["consumer_impact_statement_template"] = {
        "runtime_behavior_changes": "<none|describe>",
        "required_consumer_mapping_changes": "<none|describe>",
        "required_test_updates": "<none|describe>",
        "repin_required": "<yes/no>",
        "rollback_instruction": "repin to <previous tag/sha>",
    }
    if reh.plan.older_formats:
        del document["handoff_mode"]  # earlier producer handoffs had no mode: stable
    return document


def rehearsal_candidate(reh: Rehearsal) -> Json:
    """The service.v3 rehearsal handoff candidate (candidate-mode rehearsals only)."""
    runtime = reh.plan.pin
    return {
        "payload_contract_version": "service-v3-rehearsal-handoff.v1",
        "generated_at_utc": iso(_published_at(reh) - dt.timedelta(hours=2)),
        "producer": {
            "repo": "saagar210/MemoryKernel",
            "candidate_release_tag": reh.producer_release.tag,
            "candidate_commit_sha": reh.producer_release.commit_sha,
            "active_runtime_baseline": {
                "release_tag": runtime.tag,
                "commit_sha": runtime.commit_sha,
                "service_contract_version": runtime.service,
                "api_contract_version": API_V1,
                "integration_baseline": INTEGRATION_V1,
            },
        },
        "rehearsal_candidate": {
            "mode": "planning_only_no_runtime_cutover",
            "target_service_contract_version": SERVICE_V3,
            "target_api_contract_version": API_V1,
            "requires_runtime_cutover": False,
            "cutover_not_before_utc_date": reh.cutover_not_before.isoformat(),
        },
        "non_2xx_envelope_policy": {
            "service_v2_stable": _V2_POLICY,
            "service_v3_candidate": _V3_POLICY,
        },
        "error_code_expectations": {
            "validation_mode": "set_equality",
            "codes": list(catalog.ERROR_CODES),
            "additive_change_notice_policy": {
                "standard_business_days": 10,
                "emergency_notice_hours": 24,
                "emergency_requires_same_day_docs_spec_tests": True,
            },
        },
        "migration_overlap_assumptions": {
            "duration_days": 14,
            "service_v2_stability_required": True,
            "consumer_enrichment_must_remain_optional_non_blocking": True,
            "consumer_fallback_must_remain_deterministic": True,
        },
        "required_producer_checks": catalog.producer_commands(),
        "required_consumer_checks": catalog.CANDIDATE_CONSUMER_VALIDATION[1:],
        "rollback_policy": {
            "triggers": [
                "consumer_contract_suite_red",
                "non_2xx_envelope_shape_mismatch",
                "deterministic_fallback_regression",
            ],
            "action": (
                "repin consumer to last approved service.v2 tag/sha and reopen overlap window"
            ),
        },
    }


def contract_source(reh: Rehearsal) -> Json:
    """The producer's contract source of truth for the release it handed off."""
    release = reh.producer_release
    return {
        "service_contract_source_version": "service-contract-source.v1",
        "expected_service_contract_version": release.service,
        "expected_api_contract_version": API_V1,
        "integration_baseline": INTEGRATION_V1,
        "liveness_endpoint": "/v1/health",
        "readiness_endpoint": "/v1/ready",
        "error_code_enum": list(catalog.ERROR_CODES),
        "non_2xx_envelope_policy": _V2_POLICY if release.service == SERVICE_V2 else _V3_POLICY,
    }


def evidence_bundle(reh: Rehearsal, shipped: dict[str, bytes], mirror: bytes) -> Json:
    """The release evidence bundle: hashes of the shipped files plus two files not shipped.

    ``shipped`` maps bundle-relative paths to the bytes written under ``producer/``. The manifest
    entry hashes the pinned release's manifest (the bytes the consumer mirrors) while the producer
    is still on it; the OpenAPI entry stands for a file the evidence folder never carries.
    """
    release = reh.producer_release
    manifest_sha = (
        sha256(mirror) if reh.stable else sha256(f"{_MANIFEST_PATH}@{release.tag}".encode())
    )
    listed = [(_MANIFEST_PATH, manifest_sha)]
    listed += [(path, sha256(data)) for path, data in shipped.items()]
    listed.append((_OPENAPI_PATH, sha256(f"{_OPENAPI_PATH}@{release.tag}".encode())))
    published = _published_at(reh) + dt.timedelta(
        minutes=2, microseconds=stable_int(f"{reh.id}/bundle", 0, 999_999)
    )
    return {
        "evidence_bundle_version": "release-evidence-bundle.v1",
        "generated_at_utc": iso(published, 6),
        "generator": "scripts/generate_release_evidence_bundle.sh",
        "git_commit_head": release.commit_sha,
        "runtime_baseline": release_baseline(reh.plan.pin),
        "policy_assertions": {
            "error_code_enum": list(catalog.ERROR_CODES),
            "service_contract_source_version": "service-contract-source.v1",
            "slo_policy_version": "service-slo-policy.v1",
        },
        "artifacts": [{"path": path, "sha256": digest} for path, digest in listed],
        "required_validation_commands": catalog.producer_commands("<repo>"),
        "handoff_mode": "stable" if reh.stable else "service-v3-candidate",
    }
