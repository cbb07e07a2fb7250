"""The gate checks, keyed by the name a policy's ``check`` field uses.

Each check reads one rehearsal through a :class:`~cutover_kit.gates.view.RehearsalView` and
returns a :class:`~cutover_kit.gates.model.GateResult` whose evidence names the file and the
field or line it used. Checks never guess: when the evidence they need is absent or was rejected
they say ``missing``. A policy for another producer/consumer pair reuses these checks under its
own gate ids; a new kind of check is one more entry in :data:`CHECKS`, and a policy naming a
check the registry lacks is refused by :func:`validate_policy_checks`.
"""

from __future__ import annotations

from collections.abc import Callable

from cutover_kit.errors import PolicyError, UnknownNameError
from cutover_kit.gates.checks.base import GateInput
from cutover_kit.gates.checks.bundle_gates import bundle_hashes
from cutover_kit.gates.checks.command_gates import command_passed, no_failed_commands, suites_green
from cutover_kit.gates.checks.completion_gates import (
    consumer_repinned,
    consumer_verified,
    rollback_refreshed,
    target_published,
)
from cutover_kit.gates.checks.envelope_gates import envelope_semantics
from cutover_kit.gates.checks.fallback_gates import fallback_green, no_fallback_regression
from cutover_kit.gates.checks.handoff_gates import handoff_fields, handoff_review
from cutover_kit.gates.checks.pin_gates import (
    baseline_pinned,
    manifest_hash,
    no_runtime_switch,
    pin_unchanged,
)
from cutover_kit.gates.checks.readiness_gates import roles_unambiguous, rollback_ready
from cutover_kit.gates.model import GateResult
from cutover_kit.policy import LoadedPolicy
from cutover_kit.registry import Registry

Check = Callable[[GateInput], GateResult]

CHECKS: Registry[Check] = Registry(
    "check",
    [
        ("handoff_review", handoff_review),
        ("baseline_pinned", baseline_pinned),
        ("suites_green", suites_green),
        ("command_passed", command_passed),
        ("handoff_fields", handoff_fields),
        ("bundle_hashes", bundle_hashes),
        ("manifest_hash", manifest_hash),
        ("pin_unchanged", pin_unchanged),
        ("no_runtime_switch", no_runtime_switch),
        ("no_fallback_regression", no_fallback_regression),
        ("envelope_semantics", envelope_semantics),
        ("fallback_green", fallback_green),
        ("roles_unambiguous", roles_unambiguous),
        ("no_failed_commands", no_failed_commands),
        ("rollback_ready", rollback_ready),
        ("target_published", target_published),
        ("consumer_repinned", consumer_repinned),
        ("consumer_verified", consumer_verified),
        ("rollback_refreshed", rollback_refreshed),
    ],
)


# Checks that read their gate's ``command``: a gate using one must name the command.
NEEDS_COMMAND = frozenset({"command_passed"})


def validate_policy_checks(loaded: LoadedPolicy) -> None:
    """Refuse a policy whose gate names a check this registry does not hold, or leaves out a
    field its check needs; the :class:`PolicyError` names the gate's key."""
    for index, gate in enumerate(loaded.policy.gates):
        where = f"policy {loaded.source} is invalid: gates[{index}]"
        if gate.check not in CHECKS:
            unknown = UnknownNameError(CHECKS.what, gate.check, CHECKS.names())
            raise PolicyError(f"{where}.check: {unknown}")
        if gate.check in NEEDS_COMMAND and not gate.command:
            raise PolicyError(f"{where}.command: required by check {gate.check}")


__all__ = ["CHECKS", "NEEDS_COMMAND", "Check", "GateInput", "validate_policy_checks"]
