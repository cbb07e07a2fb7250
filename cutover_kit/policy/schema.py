"""The policy's schema: pydantic models for every table of a policy file, and their rules.

Models are strict (unknown keys are refused) and frozen; cross-field rules (gate ids unique, gate
owners among the required roles) live in :class:`Policy`. Reading files and turning validation
errors into messages is :mod:`cutover_kit.policy.load`'s job.
"""

from __future__ import annotations

import fnmatch
import re

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cutover_kit.policy.categories import GateCategory

__all__ = [
    "GATE_CATEGORIES",
    "MAX_DUE_IN_DAYS",
    "Capture",
    "Commands",
    "ContractVersions",
    "Envelopes",
    "Fallback",
    "FollowUps",
    "Gate",
    "Policy",
    "PolicyInfo",
    "Readiness",
    "ReleaseBundle",
    "RequiredRole",
    "Roles",
    "Scenario",
    "Trend",
    "Verdicts",
]

GATE_CATEGORIES = tuple(GateCategory)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PolicyInfo(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    service: str
    producer: str
    consumer: str


class ContractVersions(_Strict):
    """One side of the cutover; the names producers derive from its service version live here
    so that no module spells a version: ``orders.v7`` has the envelope-policy sections
    ``orders_v7_candidate`` / ``orders_v7_stable``, the candidate handoff mode
    ``orders-v7-candidate`` and the rehearsal candidate payload ``orders-v7-rehearsal-handoff.v1``.
    """

    service_contract_version: str = Field(min_length=1)
    api_contract_version: str
    integration_baseline: str

    def _spelled(self, separator: str) -> str:
        return re.sub(r"[^0-9A-Za-z]+", separator, self.service_contract_version)

    def envelope_section(self, stage: str) -> str:
        """The handoff payload's envelope-policy section for this version at ``stage``
        (``candidate`` or ``stable``)."""
        return f"{self._spelled('_')}_{stage}"

    @property
    def candidate_handoff_mode(self) -> str:
        """The ``handoff_mode`` of a producer payload offering this version as a candidate."""
        return f"{self._spelled('-')}-candidate"

    @property
    def rehearsal_handoff_prefix(self) -> str:
        """How the ``payload_contract_version`` of a rehearsal candidate for this version starts
        (the format version follows)."""
        return f"{self._spelled('-')}-rehearsal-handoff."


class Commands(_Strict):
    required: list[str]
    consumer_suites: list[str]
    producer_suites: list[str]
    stop_on_failure: list[str]
    handoff_checks: list[str]
    # Handoff checks run with the runtime target as the expected service version and the pin
    # match relaxed (the consumer's candidate check); the other handoff checks run as the default
    # check, which validates the pinned baseline.
    candidate_handoff_checks: list[str] = Field(default_factory=list)
    candidate_consumer_validation: list[str]

    def stops_on(self, command: str) -> bool:
        return any(fnmatch.fnmatchcase(command, pattern) for pattern in self.stop_on_failure)


class Envelopes(_Strict):
    candidate_requires: list[str]
    candidate_forbids: list[str]
    status_by_code: dict[str, int]


class ReleaseBundle(_Strict):
    # The release evidence bundle appears with the runtime release: dry runs have none.
    required_for_kinds: list[str] = Field(default_factory=lambda: ["cutover"])


class Readiness(_Strict):
    window: int = Field(ge=1)
    max_fallback_regressions: int = Field(ge=0)


class Trend(_Strict):
    """Trend review settings; the table is optional so older policy files stay valid."""

    flaky_threshold: float = Field(default=0.25, ge=0, le=1)
    rolling_window: int = Field(default=5, ge=1)


class RequiredRole(_Strict):
    id: str
    label: str
    aliases: list[str] = Field(default_factory=list)


class Roles(_Strict):
    unassigned_values: list[str]
    required: list[RequiredRole] = Field(min_length=1)

    def is_unassigned(self, owner: str) -> bool:
        return owner.strip().strip("`*").casefold() in self.unassigned_values

    def role_for(self, slug: str) -> str | None:
        """The required role a written role slug names, if any."""
        return next((r.id for r in self.required if slug == r.id or slug in r.aliases), None)


class Scenario(_Strict):
    id: str
    patterns: list[str] = Field(min_length=1)


class Fallback(_Strict):
    scenarios: list[Scenario] = Field(min_length=1)

    def scenario_of(self, test_name: str) -> str | None:
        """First scenario one of whose patterns matches the test name (case-insensitive)."""
        name = test_name.casefold()
        for scenario in self.scenarios:
            if any(_matches(name, p.casefold()) for p in scenario.patterns):
                return scenario.id
        return None


def _matches(name: str, pattern: str) -> bool:
    """Shell-style match; ``*word*`` is a substring test, linear even for a 10 MB test name."""
    core = pattern[1:-1]
    if len(pattern) > 1 and pattern[0] == pattern[-1] == "*" and not set(core) & set("*?["):
        return core in name
    return fnmatch.fnmatchcase(name, pattern)


MAX_DUE_IN_DAYS = 3650
"""Ten years: a follow-up due later is a typo, and a far larger delay overflows the calendar."""


class FollowUps(_Strict):
    due_in_days: int = Field(ge=0, le=MAX_DUE_IN_DAYS)


class Verdicts(_Strict):
    continuation_categories: list[str]


class Capture(_Strict):
    """How ``capture`` and ``capture-plan`` run a session: the runner and the evidence to copy.

    ``runner`` prefixes each required command (``pnpm run <script>``); ``evidence`` lists the
    files, relative to the consumer repo, copied into the rehearsal after every command; ``pin``
    is hashed before and after each command (guardrail GRD-1). ``agenda`` seeds ``new-session``.
    """

    runner: list[str] = Field(default_factory=list)
    pin: str = ""
    evidence: list[str] = Field(default_factory=list)
    agenda: list[str] = Field(default_factory=list)


class Gate(_Strict):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*-[0-9A-Za-z]+$")
    category: str
    check: str
    description: str
    owner_role: str
    command: str | None = None
    skip_for_kinds: list[str] = Field(default_factory=list)


class Policy(_Strict):
    policy: PolicyInfo
    baseline: ContractVersions
    runtime_target: ContractVersions
    commands: Commands
    envelopes: Envelopes
    release_bundle: ReleaseBundle = Field(default_factory=ReleaseBundle)
    readiness: Readiness
    roles: Roles
    fallback: Fallback
    follow_ups: FollowUps
    verdicts: Verdicts
    capture: Capture = Capture()
    gates: list[Gate] = Field(min_length=1)
    trend: Trend = Field(default_factory=Trend)

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        ids = [gate.id for gate in self.gates]
        duplicates = sorted({gate_id for gate_id in ids if ids.count(gate_id) > 1})
        if duplicates:
            raise ValueError(f"gates: duplicate gate id(s) {', '.join(duplicates)}")
        role_ids = {role.id for role in self.roles.required}
        for index, gate in enumerate(self.gates):
            if gate.category not in GATE_CATEGORIES:
                raise ValueError(
                    f"gates[{index}].category: {gate.category!r} is not one of "
                    f"{', '.join(GATE_CATEGORIES)}"
                )
            if gate.owner_role not in role_ids:
                raise ValueError(
                    f"gates[{index}].owner_role: {gate.owner_role!r} is not a required role"
                )
        return self
