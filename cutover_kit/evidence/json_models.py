"""Pydantic models of the JSON artifacts the producer and consumer tools write.

They state what each tool guarantees (required keys, types, enum values) and let everything else
through (``extra="allow"``): tools add fields over time and the kit must keep reading them. A
validation error names the JSON pointer of the offending field, which becomes the finding's pointer.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

Sha1Hex = Field(pattern=r"^[0-9a-f]{40}$")
Sha256Hex = Field(pattern=r"^[0-9a-f]{64}$")
# Version-agnostic shapes: a payload names the service version it is for in these strings
# (``orders-v7-candidate``, ``orders-v7-rehearsal-handoff.v1``); which version is wanted is
# decided by the gates against the policy, never here.
STABLE_HANDOFF_MODE = "stable"
# Keys the consumer's tools name after the producer (``<producer>_pin``), by their ending.
PRODUCER_PIN, PRODUCER_REPO = "producer_pin", "producer_repo"


def _one_of_shape(pattern: str, expected: str) -> AfterValidator:
    """A string of an open family of enum values (one per service version): outside the
    family it is an unknown enum value, as a ``Literal`` would report it."""
    shape = re.compile(pattern)

    def check(value: str) -> str:
        if not shape.fullmatch(value):
            raise PydanticCustomError("enum", "Input should be {expected}", {"expected": expected})
        return value

    return AfterValidator(check)


HandoffMode = Annotated[
    str,
    _one_of_shape(
        rf"{STABLE_HANDOFF_MODE}|[A-Za-z0-9][A-Za-z0-9-]*-candidate",
        f"'{STABLE_HANDOFF_MODE}' or '<service version>-candidate'",
    ),
]
RehearsalHandoffVersion = Annotated[
    str,
    _one_of_shape(
        r"[A-Za-z0-9][A-Za-z0-9-]*-rehearsal-handoff\.v1",
        "'<service version>-rehearsal-handoff.v1'",
    ),
]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class RuntimeBaseline(_Open):
    release_tag: str
    commit_sha: str = Sha1Hex
    expected_service_contract_version: str
    expected_api_contract_version: str
    integration_baseline: str


class IntegrationPin(_Open):
    # The pin names the producer's repository as ``<producer>_repo``; the loader hands it over as
    # ``producer_repo`` (see ContractEvidence.producer_pin).
    producer_repo_key: str = PRODUCER_REPO
    producer_repo: str
    release_tag: str = Field(min_length=1)
    commit_sha: str = Sha1Hex
    expected_service_contract_version: str
    expected_api_contract_version: str
    expected_integration_baseline: str
    expected_producer_manifest_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    default_base_url: str | None = None
    default_timeout_ms: int | None = None


class ProducerManifest(_Open):
    manifest_contract_version: str
    release_tag: str
    commit_sha: str = Sha1Hex
    expected_service_contract_version: str
    expected_api_contract_version: str
    integration_baseline: str
    error_code_enum: list[str]


class EnvelopeRule(_Open):
    requires: list[str] = Field(default_factory=list)
    optional: list[str] = Field(default_factory=list)
    forbids: list[str] = Field(default_factory=list)


class ProducerHandoff(_Open):
    handoff_generated_at_utc: str
    # Earlier producer handoffs had no mode: every one of them was a stable handoff. Which
    # version a candidate mode names is the gates' business (the policy's runtime target).
    handoff_mode: HandoffMode = STABLE_HANDOFF_MODE
    release_tag: str
    commit_sha: str
    expected_service_contract_version: str
    expected_api_contract_version: str
    integration_baseline: str
    active_runtime_baseline: RuntimeBaseline | None = None
    error_code_enum: list[str]
    non_2xx_envelope_policy: dict[str, EnvelopeRule] = Field(default_factory=dict)
    manifest_contract_version: str
    verification_commands: list[str] = Field(default_factory=list)
    rehearsal_candidate: dict[str, Any] | None = None
    compatibility_expectations: Any = None
    required_consumer_validation_commands: list[str] = Field(default_factory=list)


class ReleaseArtifact(_Open):
    path: str = Field(min_length=1)
    sha256: str = Sha256Hex


class ReleaseEvidenceBundle(_Open):
    evidence_bundle_version: Literal["release-evidence-bundle.v1"]
    generated_at_utc: str | None = None
    runtime_baseline: RuntimeBaseline
    policy_assertions: dict[str, Any] = Field(default_factory=dict)
    artifacts: list[ReleaseArtifact]
    required_validation_commands: list[str] = Field(default_factory=list)
    handoff_mode: str | None = None


class CandidateBaseline(_Open):
    release_tag: str
    commit_sha: str = Sha1Hex
    service_contract_version: str
    api_contract_version: str
    integration_baseline: str


class CandidateProducer(_Open):
    active_runtime_baseline: CandidateBaseline


class RehearsalCandidate(_Open):
    mode: str
    target_service_contract_version: str
    target_api_contract_version: str
    requires_runtime_cutover: bool
    cutover_not_before_utc_date: dt.date | None = None


class RehearsalHandoffCandidate(_Open):
    # ``<service version>-rehearsal-handoff.v1``: the gates check the version is the target's.
    payload_contract_version: RehearsalHandoffVersion
    generated_at_utc: str | None = None
    producer: CandidateProducer
    rehearsal_candidate: RehearsalCandidate
    non_2xx_envelope_policy: dict[str, EnvelopeRule]
    error_code_expectations: dict[str, Any] = Field(default_factory=dict)
    required_producer_checks: list[str] = Field(default_factory=list)
    required_consumer_checks: list[str] = Field(default_factory=list)
    rollback_policy: dict[str, Any] = Field(default_factory=dict)


class ContractSource(_Open):
    service_contract_source_version: str
    expected_service_contract_version: str
    expected_api_contract_version: str
    integration_baseline: str
    error_code_enum: list[str]
    non_2xx_envelope_policy: EnvelopeRule


class EvidenceBaseline(_Open):
    release_tag: str
    commit_sha: str = Sha1Hex
    expected_service_contract_version: str
    expected_api_contract_version: str
    integration_baseline: str


_HANDOFF_CHECK_VALUE = re.compile(
    r"^(pass|fail|not-used|used-for-pinned-validation|skipped(-[a-z0-9-]+)?)$"
)


class HandoffEvidence(_Open):
    schema_version: Literal["v1"]
    generated_at_utc: str
    handoff_payload_path: str | None = None
    baseline: EvidenceBaseline
    checks: dict[str, str]
    # The consumer's first check (b80ca7f) wrote no mode: it only validated the pinned baseline.
    mode: Literal["pinned-baseline", "rehearsal-candidate"] = "pinned-baseline"
    status: Literal["passed"]

    def invalid_check_values(self) -> dict[str, str]:
        """Checks whose value is none of the states the consumer script writes."""
        return {
            name: value
            for name, value in self.checks.items()
            if not _HANDOFF_CHECK_VALUE.match(value)
        }


class ContractPin(_Open):
    repo: str | None = None
    release_tag: str
    commit_sha: str = Sha1Hex


class ExpectedContracts(_Open):
    service_contract_version: str
    api_contract_version: str
    integration_baseline: str


class Verification(_Open):
    contract_test_command: str | None = None
    pin_sync_command: str | None = None
    status: Literal["passed", "failed"]


class ContractEvidence(_Open):
    schema_version: Literal["v1"]
    generated_at: str
    consumer: dict[str, Any] = Field(default_factory=dict)
    # The consumer's tool names the pin after the producer (``<producer>_pin``); the loader finds
    # that key and hands it over as ``producer_pin``, remembering its name for pointers.
    producer_pin_key: str = PRODUCER_PIN
    producer_pin: ContractPin
    expected_contracts: ExpectedContracts
    verification: Verification
