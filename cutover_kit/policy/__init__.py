"""The gate policy: which gates, commands, roles and fallback scenarios a cutover is judged by.

The default policy (``default.toml`` beside this module) encodes the cutover the kit was first
built for; ``--policy FILE`` replaces it for another producer/consumer pair. The engine names no
contract version itself: every version, and every name derived from one (the envelope-policy
section a handoff payload holds for it, the candidate handoff mode), comes from the policy. An
invalid policy is refused with the dotted key that is wrong, never half-applied.
"""

from cutover_kit.policy.load import LoadedPolicy, load_policy, parse_policy
from cutover_kit.policy.schema import (
    GATE_CATEGORIES,
    MAX_DUE_IN_DAYS,
    Capture,
    Commands,
    ContractVersions,
    Envelopes,
    Fallback,
    FollowUps,
    Gate,
    Policy,
    PolicyInfo,
    Readiness,
    ReleaseBundle,
    RequiredRole,
    Roles,
    Scenario,
    Trend,
    Verdicts,
)

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
    "LoadedPolicy",
    "Policy",
    "PolicyInfo",
    "Readiness",
    "ReleaseBundle",
    "RequiredRole",
    "Roles",
    "Scenario",
    "Trend",
    "Verdicts",
    "load_policy",
    "parse_policy",
]
