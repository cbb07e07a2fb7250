"""The gate policy: which gates, commands, roles and fallback scenarios a cutover is judged by.

The default policy (``default.toml`` beside this module) encodes the cutover the kit was first
built for; ``--policy FILE`` replaces it for another producer/consumer pair. The engine names no
contract version itself: every version, and every name derived from one (the envelope-policy
section a handoff payload holds for it, the candidate handoff mode), comes from the policy. An
invalid policy is refused with the dotted key that is wrong, never half-applied.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
import tomllib
from functools import cached_property
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from cutover_kit.errors import PolicyError

GATE_CATEGORIES = (
    "precondition",
    "command",
    "artifact-review",
    "guardrail",
    "stop-condition",
    "rollback-readiness",
    "completion",
)


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
            if gate.check == "command_passed" and not gate.command:
                raise ValueError(f"gates[{index}].command: required by check command_passed")
            if gate.owner_role not in role_ids:
                raise ValueError(
                    f"gates[{index}].owner_role: {gate.owner_role!r} is not a required role"
                )
        return self


class LoadedPolicy:
    """A validated policy with the name and hash of the file it came from."""

    def __init__(self, policy: Policy, source: str, raw: bytes) -> None:
        self.policy = policy
        self.source = source
        self.raw = raw

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def _dotted(location: tuple[int | str, ...]) -> str:
    dotted = ""
    for part in location:
        dotted += f"[{part}]" if isinstance(part, int) else (f".{part}" if dotted else str(part))
    return dotted


def parse_policy(raw: bytes, source: str) -> LoadedPolicy:
    """Validate policy TOML bytes; :class:`PolicyError` names the first wrong key."""
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"policy {source} is not valid UTF-8 TOML: {exc}") from None
    try:
        policy = Policy.model_validate(document)
    except ValidationError as exc:
        problems = []
        for issue in exc.errors(include_url=False):
            key = _dotted(tuple(issue["loc"]))
            message = issue["msg"].removeprefix("Value error, ")
            problems.append(f"{key}: {message}" if key else message)
        raise PolicyError(f"policy {source} is invalid: " + "; ".join(problems)) from None
    return LoadedPolicy(policy, source, raw)


def load_policy(path: Path | str | None = None) -> LoadedPolicy:
    """The policy at ``path``, or the packaged default policy."""
    if path is None:
        raw = resources.files(__package__).joinpath("default.toml").read_bytes()
        return parse_policy(raw, "default.toml")
    policy_path = Path(path)
    try:
        raw = policy_path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"policy {policy_path} cannot be read: {exc.strerror}") from None
    return parse_policy(raw, policy_path.name)
